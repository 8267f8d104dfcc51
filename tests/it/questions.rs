//! The competency questions: each `sparql/*.rq` answers exactly its `sparql/*.tsv` on a build of `data/`.
//! Queries with ORDER BY are compared row by row; others as sorted rows.

use super::support::*;

#[test]
fn every_question_gets_its_expected_answer() {
    let dir = root().join("sparql");
    let mut queries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 15, "at least 15 competency questions, found {}", queries.len());
    let mut failures = Vec::new();
    for q in &queries {
        let query = std::fs::read_to_string(q).unwrap();
        let got = tsv(data_store(), &query);
        let expected_path = q.with_extension("tsv");
        if updating() {
            std::fs::write(&expected_path, &got).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let normalise = |s: &str| {
            let mut lines: Vec<String> = s.lines().map(str::to_owned).collect();
            if !query.to_uppercase().contains("ORDER BY") && lines.len() > 1 {
                lines[1..].sort();
            }
            lines
        };
        if normalise(&got) != normalise(&expected) {
            failures.push(format!("{}\n--- expected\n{expected}--- got\n{got}", q.display()));
        }
        assert!(
            got.lines().count() > 1 || query.contains("# expect: empty"),
            "{} returns nothing",
            q.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
