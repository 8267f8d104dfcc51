//! The description of one resource, as a Linked Data document about it holds it: its own triples, its
//! hash-IRI parts, the labels of what it links to, the links that point at it, and its provenance.

use crate::store::StoreError;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::path::PathBuf;

const LABELS: [&str; 2] = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
];
const HAS_SOURCE: &str = "http://www.w3.org/ns/oa#hasSource";

/// Accumulates triples once each, in the order they were found.
#[derive(Default)]
struct Acc {
    seen: HashSet<Triple>,
    triples: Vec<Triple>,
}

impl Acc {
    fn push(&mut self, t: Triple) {
        if self.seen.insert(t.clone()) {
            self.triples.push(t);
        }
    }
}

fn err(source: oxigraph::store::StorageError) -> StoreError {
    StoreError::Storage {
        path: PathBuf::from("(describe)"),
        source,
    }
}

/// Every triple with `subject`, across all graphs.
fn outgoing(store: &Store, subject: NamedNodeRef<'_>, acc: &mut Acc) -> Result<Vec<Triple>, StoreError> {
    let mut found = Vec::new();
    for q in store.quads_for_pattern(Some(subject.into()), None, None, None) {
        let t = Triple::from(q.map_err(err)?);
        found.push(t.clone());
        acc.push(t);
    }
    Ok(found)
}

fn labels(store: &Store, node: NamedNodeRef<'_>, acc: &mut Acc) -> Result<(), StoreError> {
    for p in LABELS {
        for q in store.quads_for_pattern(Some(node.into()), Some(NamedNodeRef::new_unchecked(p)), None, None) {
            acc.push(Triple::from(q.map_err(err)?));
        }
    }
    Ok(())
}

/// Describes `iri`: the document for `iri` also describes every `iri#…` part it links to.
pub fn describe(store: &Store, iri: NamedNodeRef<'_>) -> Result<Vec<Triple>, StoreError> {
    let mut acc = Acc::default();
    let part_prefix = format!("{}#", iri.as_str());
    let mut queue: Vec<NamedNode> = vec![iri.into_owned()];
    let mut visited: HashSet<NamedNode> = HashSet::new();
    let mut linked: Vec<NamedNode> = Vec::new();
    while let Some(node) = queue.pop() {
        if !visited.insert(node.clone()) {
            continue;
        }
        for t in outgoing(store, node.as_ref(), &mut acc)? {
            let Term::NamedNode(o) = t.object else { continue };
            if o.as_str().starts_with(&part_prefix) {
                queue.push(o);
            } else {
                // A citation's passage: its text is the fact's evidence.
                if t.predicate.as_str() == HAS_SOURCE {
                    outgoing(store, o.as_ref(), &mut acc)?;
                }
                linked.push(o);
            }
        }
    }
    for o in &linked {
        labels(store, o.as_ref(), &mut acc)?;
    }
    for q in store.quads_for_pattern(None, None, Some(iri.into()), None) {
        let q = q.map_err(err)?;
        if let NamedOrBlankNode::NamedNode(s) = &q.subject {
            labels(store, s.as_ref(), &mut acc)?;
        }
        acc.push(Triple::from(q));
    }
    Ok(acc.triples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};

    fn store(turtle: &str) -> Store {
        let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
            .for_reader(turtle.as_bytes())
            .map(Result::unwrap)
            .collect();
        crate::store::in_memory(quads).unwrap()
    }

    #[test]
    fn a_description_holds_parts_labels_incoming_links_and_evidence() {
        let s = store(
            r#"@prefix e: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix oa: <http://www.w3.org/ns/oa#> .
            e:x e:country e:c ; e:citation <http://e/x#citation-1> .
            <http://e/x#citation-1> oa:hasSource <http://e/doc#p1> ; oa:hasSelector <http://e/x#citation-1-selector> .
            <http://e/x#citation-1-selector> oa:exact "quote" .
            <http://e/doc#p1> e:text "the passage" .
            e:c rdfs:label "C" ; e:unrelated "no" .
            e:y e:partner e:x ; rdfs:label "Y" .
            e:z e:other e:w ."#,
        );
        let d: HashSet<String> = describe(&s, NamedNodeRef::new_unchecked("http://e/x"))
            .unwrap()
            .iter()
            .map(|t| t.to_string())
            .collect();
        for expected in [
            "<http://e/x> <http://e/country> <http://e/c>",
            "<http://e/x#citation-1-selector> <http://www.w3.org/ns/oa#exact> \"quote\"",
            "<http://e/doc#p1> <http://e/text> \"the passage\"",
            "<http://e/c> <http://www.w3.org/2000/01/rdf-schema#label> \"C\"",
            "<http://e/y> <http://e/partner> <http://e/x>",
            "<http://e/y> <http://www.w3.org/2000/01/rdf-schema#label> \"Y\"",
        ] {
            assert!(d.contains(expected), "missing {expected} in {d:#?}");
        }
        assert!(!d.iter().any(|t| t.contains("unrelated") || t.contains("http://e/z")), "{d:#?}");
    }
}
