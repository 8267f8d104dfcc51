//! Descriptions on the real data: every subject is described by the document of its IRI (the IRI
//! without its fragment), and a record's description carries its provenance.

use super::support::*;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNode};
use std::collections::{BTreeSet, HashMap};
use unionkg::describe::describe;

#[test]
fn every_subject_under_the_base_is_described_by_its_document() {
    let store = data_store();
    let mut by_document: HashMap<String, BTreeSet<String>> = HashMap::new();
    for q in store.iter() {
        // Only IRIs under our base are ours to dereference (the ontology also restates a few external axioms).
        if let NamedOrBlankNode::NamedNode(s) = q.unwrap().subject {
            if !s.as_str().starts_with(unionkg::config::DEFAULT_BASE_IRI) {
                continue;
            }
            let doc = s.as_str().split('#').next().unwrap().to_owned();
            by_document.entry(doc).or_default().insert(s.as_str().to_owned());
        }
    }
    let mut missing = Vec::new();
    for (doc, subjects) in &by_document {
        let described: BTreeSet<String> = describe(store, NamedNodeRef::new_unchecked(doc))
            .unwrap()
            .into_iter()
            .filter_map(|t| match t.subject {
                NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        missing.extend(subjects.difference(&described).cloned());
    }
    assert!(
        missing.is_empty(),
        "{} subjects no document describes, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

#[test]
fn a_record_is_described_with_its_evidence_and_neighbours() {
    let d: Vec<String> = describe(
        data_store(),
        NamedNodeRef::new_unchecked("http://localhost:7878/id/visit-1979-04-dgb"),
    )
    .unwrap()
    .iter()
    .map(|t| t.to_string())
    .collect();
    let has = |needle: &str| d.iter().any(|t| t.contains(needle));
    assert!(
        has("<http://www.w3.org/ns/oa#exact> \"中国工会召开九大后，1979年4月费特尔应邀亲自率领德国工联代表团访问中国\""),
        "the verbatim quote"
    );
    assert!(
        has("<http://localhost:7878/source/a#p17> <http://localhost:7878/ontology#text>"),
        "the passage text"
    );
    assert!(
        has("<http://localhost:7878/id/dgb> <http://www.w3.org/2004/02/skos/core#prefLabel> \"德国工会联合会\"@zh-hans")
            || has("<http://localhost:7878/id/dgb> <http://www.w3.org/2004/02/skos/core#prefLabel>"),
        "the visiting union's labels"
    );
    assert!(
        has("<http://localhost:7878/ontology#broughtAboutBy> <http://localhost:7878/id/visit-1979-04-dgb>"),
        "the incoming link from the relation change"
    );
}
