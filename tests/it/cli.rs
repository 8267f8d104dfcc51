//! The command line: build, query, export, and the atomicity of builds (even under `kill -9`).

use super::support::*;
use std::process::{Command, Stdio};
use std::time::Duration;

fn data_dir() -> String {
    root().join("data").to_str().unwrap().to_owned()
}

#[test]
fn build_then_query_and_export() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path().join("s");
    let s = s.to_str().unwrap();
    let out = unionkg(&["build", "--data", &data_dir(), "--store", s]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ask = unionkg(&["query", "--store", s, "--format", "json", "ASK { ?x a ?c }"]);
    assert_eq!(text(&ask.stdout).trim(), r#"{"head":{},"boolean":true}"#);
    let count = unionkg(&[
        "query",
        "--store",
        s,
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]);
    let n: usize = text(&count.stdout).lines().nth(1).unwrap().trim().parse().unwrap();
    let nq = unionkg(&["export", "--store", s, "--format", "nq"]);
    assert!(nq.status.success());
    assert_eq!(text(&nq.stdout).lines().count(), n, "the N-Quads export holds every quad");
    let bad = unionkg(&["query", "--store", s, "SELECT WHERE {"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("query syntax"), "{}", text(&bad.stderr));
}

#[test]
fn the_checksum_is_repeatable_and_counts_every_quad() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for s in [&a, &b] {
        assert!(unionkg(&["build", "--data", &data_dir(), "--store", s.to_str().unwrap()])
            .status
            .success());
    }
    let sum = |s: &std::path::Path| text(&unionkg(&["checksum", "--store", s.to_str().unwrap()]).stdout);
    assert_eq!(sum(&a), sum(&b), "two builds of the same records give the same checksum");
    let quads = text(&unionkg(&["export", "--store", a.to_str().unwrap(), "--format", "nq"]).stdout)
        .lines()
        .count();
    let line = sum(&a);
    let (hash, rest) = line.split_once("  ").unwrap();
    assert_eq!(hash.len(), 64);
    assert!(rest.starts_with(&format!("{quads} quads")), "{line}");
}

#[test]
fn query_without_a_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = unionkg(&["query", "--store", dir.path().join("none").to_str().unwrap(), "ASK {}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no store has been built there yet"));
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_store_answering() {
    let store = tempfile::tempdir().unwrap();
    let s = store.path().join("s");
    let s = s.to_str().unwrap();
    assert!(unionkg(&["build", "--data", &data_dir(), "--store", s]).status.success());
    let query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let before = text(&unionkg(&["query", "--store", s, query]).stdout);
    assert!(!before.is_empty());
    for delay_ms in [0, 5, 20, 50, 100, 200, 400, 800] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unionkg"))
            .args(["build", "--data", &data_dir(), "--store", s])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = unionkg(&["query", "--store", s, query]);
        assert!(after.status.success(), "after a kill at {delay_ms} ms: {}", text(&after.stderr));
        assert_eq!(text(&after.stdout), before, "after a kill at {delay_ms} ms");
    }
    // Leftovers of killed builds are cleaned by the next build, which still succeeds.
    assert!(unionkg(&["build", "--data", &data_dir(), "--store", s]).status.success());
    let gens = std::fs::read_dir(store.path().join("s"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert!(gens <= 2, "{gens} generations left");
}

#[test]
fn passages_lists_each_unique_line_once() {
    let out = unionkg(&["passages", "--data", &data_dir(), "--document", "a"]);
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert!(lines[0].starts_with("a#p1\t在“独立自主、广泛联系”方针的指引下"));
    let unique: std::collections::HashSet<_> = lines.iter().map(|l| l.split_once('\t').unwrap().1).collect();
    assert_eq!(unique.len(), lines.len(), "a repeated paragraph is one passage");
}
