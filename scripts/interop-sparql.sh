#!/usr/bin/env bash
# Interop of the SPARQL endpoint with real clients, against a live `unionkg serve`:
#   tests/interop/sparql_clients.py  SPARQLWrapper and rdflib's SPARQLStore (Python)
#   tests/interop/comunica/          Comunica with the endpoint as a sparql@ source (Node)
#   tests/interop/browser/           the query page in headless Chromium through playwright-core (Node)
# Every check prints `ok ...` or `FAIL ...`; the last line is `N passed, M failed` (exit 1 on any failure).
# The screenshot of the query page is kept in ${XDG_CACHE_HOME:-~/.cache}/unionkg/interop/query-page.png.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
root="$PWD"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/unionkg"
venv="$cache/venv"
artifacts="$cache/interop"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
say() { echo "== $*"; }
die() { echo "interop-sparql: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- tools (each step idempotent and bounded)
say "python clients (venv $venv)"
if [ ! -x "$venv/bin/python" ]; then timeout 120 python3 -m venv "$venv" || die "cannot create the venv"; fi
timeout 900 "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/interop/requirements.txt \
  || die "pip install failed"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  say "installing chromium (Debian package)"
  timeout 300 $SUDO apt-get update -qq || die "apt-get update failed"
  timeout 900 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || die "apt-get install chromium failed"
  [ -x "$chromium" ] || die "no chromium at $chromium after installing"
fi
# Without a CJK font the Chinese labels render as empty boxes in the screenshots.
if ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; then
  say "installing a CJK font (Debian package fonts-wqy-zenhei)"
  timeout 600 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null \
    || { timeout 300 $SUDO apt-get update -qq && timeout 600 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; } \
    || die "apt-get install fonts-wqy-zenhei failed"
fi
export CHROMIUM="$chromium"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node and npm are needed (Node 20 or later)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "Node 20 or later is needed, found $(node --version)"
for dir in tests/interop/comunica tests/interop/browser; do
  # Reinstall only when package.json, the lock file or Node changed (node_modules is gitignored).
  stamp="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -c1-16)-$(node --version)"
  if [ "$(cat "$dir/node_modules/.unionkg-stamp" 2>/dev/null)" != "$stamp" ]; then
    say "npm packages in $dir"
    if [ -f "$dir/package-lock.json" ]; then
      (cd "$dir" && timeout 900 npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir"
    else
      (cd "$dir" && timeout 900 npm install --no-audit --no-fund --loglevel=error) || die "npm install failed in $dir"
    fi
    echo "$stamp" > "$dir/node_modules/.unionkg-stamp"
  fi
done

say "cargo build"
timeout 3000 cargo build --quiet --bin unionkg || die "cargo build failed"
bin="$CARGO_TARGET_DIR/debug/unionkg"

# ---------------------------------------------------------------- the server
work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "interop-sparql: the server did not stop within 10 s of SIGTERM; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

say "unionkg build"
timeout 600 "$bin" build --store "$work/store" 2> "$work/build.log" || { cat "$work/build.log"; die "unionkg build failed"; }

say "unionkg serve"
"$bin" serve --store "$work/store" --bind 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.log" &
server_pid=$!
url=""
for _ in $(seq 600); do # up to 60 s for the first stdout line
  if line="$(head -n 1 "$work/serve.out" 2>/dev/null)" && [[ "$line" =~ serving\ (http://127\.0\.0\.1:[0-9]+)/ ]]; then
    url="${BASH_REMATCH[1]}"; break
  fi
  kill -0 "$server_pid" 2>/dev/null || { tail -20 "$work/serve.log"; die "unionkg serve exited before it printed its address"; }
  sleep 0.1
done
[ -n "$url" ] || { tail -20 "$work/serve.log"; die "unionkg serve printed no 'serving http://127.0.0.1:PORT/' line within 60 s"; }
timeout 60 "$venv/bin/python" - "$url/health" <<'EOF' || { tail -20 "$work/serve.log"; die "$url/health did not answer 200 within 60 s"; }
import sys, time, urllib.request
while True:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=5).status == 200:
            break
    except OSError:
        pass
    time.sleep(0.2)
EOF
echo "endpoint $url/sparql"

# ---------------------------------------------------------------- the suites
passed=0
failed=0
run_suite() { # name, command...: counts its `ok`/`FAIL` lines; a crash without FAIL lines is one failure
  local name="$1"; shift
  local log="$work/suite-$name.log" rc ok bad
  say "$name"
  set +e
  timeout 300 "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  ok=$(grep -c '^ok ' "$log" || true)
  bad=$(grep -c '^FAIL ' "$log" || true)
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    if [ "$rc" -eq 124 ]; then echo "FAIL $name: timed out after 300 s"; else echo "FAIL $name: exited with status $rc"; fi
    bad=1
  elif [ "$rc" -eq 0 ] && [ "$ok" -eq 0 ]; then
    echo "FAIL $name: ran no check"
    bad=1
  fi
  passed=$((passed + ok)); failed=$((failed + bad))
}

mkdir -p "$artifacts"
run_suite python "$venv/bin/python" "$root/tests/interop/sparql_clients.py" "$url/sparql"
run_suite comunica node "$root/tests/interop/comunica/query.mjs" "$url/sparql"
run_suite browser node "$root/tests/interop/browser/query-page.mjs" "$url/" "$artifacts/query-page.png"

say "server"
if kill -0 "$server_pid" 2>/dev/null; then
  echo "ok server: still running after the suites"; passed=$((passed + 1))
else
  echo "FAIL server: exited during the suites"; failed=$((failed + 1))
fi
panics=$(grep -c 'panicked at' "$work/serve.log" || true)
if [ "$panics" -eq 0 ]; then
  echo "ok server: no panic in its log"; passed=$((passed + 1))
else
  echo "FAIL server: $panics panics in its log, the first:"; grep -m1 -A1 'panicked at' "$work/serve.log"
  failed=$((failed + 1))
fi
stop_server
[ "$failed" -eq 0 ] || { echo "-- last lines of the server log:"; grep -v '"target":"access"' "$work/serve.log" | tail -15; }
echo "screenshot: $artifacts/query-page.png"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
