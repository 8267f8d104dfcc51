//! The ontology against the data: every `tu:` term the data uses is declared, labelled in English and
//! Chinese and defined; and the data conforms to the shapes.

use super::support::*;

const TU: &str = "http://localhost:7878/ontology#";

#[test]
fn every_term_the_data_uses_is_declared_labelled_and_defined() {
    let store = data_store();
    let q = format!(
        r#"SELECT DISTINCT ?term WHERE {{
            {{ GRAPH ?g {{ ?s ?term ?o }} }} UNION {{ GRAPH ?g {{ ?s a ?term }} }} UNION {{ GRAPH ?g {{ ?s ?p ?term }} FILTER(isIRI(?term)) }}
            FILTER(STRSTARTS(STR(?term), "{TU}"))
            FILTER NOT EXISTS {{
              GRAPH <http://localhost:7878/graph/ontology> {{
                ?term <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?en, ?zh ;
                      <http://www.w3.org/2004/02/skos/core#definition> ?def .
                FILTER(langMatches(lang(?en), "en") && langMatches(lang(?zh), "zh-Hans"))
              }}
            }}
        }} ORDER BY ?term"#
    );
    let missing = tsv(store, &q);
    assert_eq!(
        missing.trim(),
        "?term",
        "terms used but not declared with labels and definition:\n{missing}"
    );
}

#[test]
fn the_data_conforms_to_the_shapes() {
    let shapes = unionkg::pipeline::shapes(&unionkg::config::BaseIri::default()).unwrap();
    let findings = shapes.validate(data_store()).unwrap();
    let violations: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == unionkg::shacl::Severity::Violation)
        .map(|f| f.to_string())
        .collect();
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // Uncertain identifications are reported (as information), never hidden.
    assert!(
        findings.iter().any(|f| f.severity == unionkg::shacl::Severity::Info),
        "uncertain identifications should be reported"
    );
}
