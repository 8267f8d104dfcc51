#!/usr/bin/env bash
# Interop with independent tools: rdflib parses every export format and the ontology, pySHACL validates
# the export against ontology + shapes, pyLODE renders the ontology documentation.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
venv="${XDG_CACHE_HOME:-$HOME/.cache}/unionkg/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
cargo build --quiet --bin unionkg
bin="$CARGO_TARGET_DIR/debug/unionkg"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$bin" build --store "$work/store" 2> "$work/build.log" || { cat "$work/build.log"; exit 1; }
for f in nq trig nt ttl jsonld rdf; do "$bin" export --store "$work/store" --format "$f" > "$work/export.$f"; done
"$venv/bin/python" tests/interop/check_export.py "$work"
