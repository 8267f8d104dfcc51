//! The bad-record corpus: each `tests/fixtures/bad/<case>.toml` fails with exactly the messages in `<case>.expected`,
//! and a build with it changes nothing.

use super::support::*;

fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the corpus should cover every kind of mistake");
    cases
}

#[test]
fn the_fixture_dataset_itself_is_valid() {
    let data = fixture_data(None);
    let out = unionkg(&["validate", "--data", data.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn each_bad_record_fails_with_its_expected_message() {
    let mut failures = Vec::new();
    for case in cases() {
        let data = fixture_data(Some(&case));
        let prefix = format!("{}/", data.path().display());
        let out = unionkg(&["validate", "--data", data.path().to_str().unwrap()]);
        let got = text(&out.stderr).replace(&prefix, "DATA/");
        let expected_path = case.with_extension("expected");
        if updating() {
            std::fs::write(&expected_path, &got).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if out.status.code() != Some(1) || got != expected {
            failures.push(format!(
                "{}: exit {:?}\n--- expected\n{expected}--- got\n{got}",
                case.display(),
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_failed_build_leaves_the_store_unchanged() {
    let good = fixture_data(None);
    let store = tempfile::tempdir().unwrap();
    let s = store.path().join("store");
    let s = s.to_str().unwrap();
    let ok = unionkg(&["build", "--data", good.path().to_str().unwrap(), "--store", s]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let before_link = std::fs::read_link(store.path().join("store/current")).unwrap();
    let query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let before = text(&unionkg(&["query", "--store", s, query]).stdout);
    for case in cases() {
        let bad = fixture_data(Some(&case));
        let out = unionkg(&["build", "--data", bad.path().to_str().unwrap(), "--store", s]);
        assert_eq!(out.status.code(), Some(1), "{}", case.display());
        assert!(text(&out.stderr).contains("nothing was written"));
        assert_eq!(std::fs::read_link(store.path().join("store/current")).unwrap(), before_link);
        assert_eq!(text(&unionkg(&["query", "--store", s, query]).stdout), before, "{}", case.display());
    }
}
