//! Mapping goldens: the fixture dataset maps to exactly the quads in `tests/fixtures/mapping/base.nq`
//! (compared by dataset isomorphism with sophia).

use super::support::*;
use sophia_api::quad::Spog;
use sophia_api::source::QuadSource;
use sophia_api::term::SimpleTerm;
use unionkg::config::BaseIri;

fn parse(nq: &str) -> Vec<Spog<SimpleTerm<'static>>> {
    sophia_turtle::parser::nq::parse_str(nq).collect_quads().unwrap()
}

#[test]
fn the_fixture_records_map_to_the_expected_quads() {
    let data = fixture_data(None);
    let base = BaseIri::parse("http://example.org/").unwrap();
    let dataset = unionkg::records::load(data.path()).unwrap();
    let quads = unionkg::mapping::map_dataset(&dataset, &base);
    let mut lines: Vec<String> = quads.iter().map(|q| format!("{q} .")).collect();
    lines.sort();
    let got = lines.join("\n") + "\n";
    let path = fixtures().join("mapping/base.nq");
    if updating() {
        std::fs::write(&path, &got).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    let same = sophia_isomorphism::isomorphic_datasets(&parse(&expected), &parse(&got)).unwrap();
    if !same {
        let exp: std::collections::BTreeSet<&str> = expected.lines().collect();
        let now: std::collections::BTreeSet<&str> = got.lines().collect();
        let missing: Vec<_> = exp.difference(&now).collect();
        let extra: Vec<_> = now.difference(&exp).collect();
        panic!("mapping changed\nmissing: {missing:#?}\nextra: {extra:#?}");
    }
}

#[test]
fn mapping_is_deterministic() {
    let data = fixture_data(None);
    let base = BaseIri::default();
    let ds = unionkg::records::load(data.path()).unwrap();
    assert_eq!(unionkg::mapping::map_dataset(&ds, &base), unionkg::mapping::map_dataset(&ds, &base));
}

#[test]
fn every_minted_iri_is_under_the_base() {
    let data = fixture_data(None);
    let base = BaseIri::parse("https://kg.example/unions/").unwrap();
    let ds = unionkg::records::load(data.path()).unwrap();
    for q in unionkg::mapping::map_dataset(&ds, &base) {
        let s = q.subject.to_string();
        assert!(s.starts_with("<https://kg.example/unions/"), "{s}");
    }
}
