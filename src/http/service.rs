//! The SPARQL 1.1 Service Description, with VoID statistics of the default dataset.

use super::error::ApiError;
use super::AppState;
use oxigraph::io::RdfFormat;
use oxigraph::model::{BlankNode, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QueryResults;

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const VOID: &str = "http://rdfs.org/ns/void#";
const FORMATS: &str = "http://www.w3.org/ns/formats/";

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

/// Triples per named graph and in the union, counted by the store.
fn graph_sizes(state: &AppState) -> Result<(Vec<(NamedNode, u64)>, u64), ApiError> {
    let q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g";
    let mut graphs = Vec::new();
    if let QueryResults::Solutions(rows) = crate::store::query(state.store(), q).map_err(ApiError::internal)? {
        for row in rows {
            let row = row.map_err(ApiError::internal)?;
            if let (Some(Term::NamedNode(g)), Some(Term::Literal(n))) = (row.get("g"), row.get("n")) {
                graphs.push((g.clone(), n.value().parse().unwrap_or(0)));
            }
        }
    }
    let mut union = 0;
    if let QueryResults::Solutions(mut rows) =
        crate::store::query(state.store(), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").map_err(ApiError::internal)?
    {
        if let Some(Ok(row)) = rows.next() {
            if let Some(Term::Literal(n)) = row.get("n") {
                union = n.value().parse().unwrap_or(0);
            }
        }
    }
    Ok((graphs, union))
}

/// The description of the endpoint at `endpoint`, serialised as `format`.
pub fn description(state: &AppState, endpoint: &str, format: RdfFormat) -> Result<Vec<u8>, ApiError> {
    let mut triples: Vec<Triple> = Vec::new();
    let sd = |l: &str| iri(&format!("{SD}{l}"));
    let mut add = |s: &NamedOrBlankNode, p: NamedNode, o: Term| triples.push(Triple::new(s.clone(), p, o));
    let rdf_type = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let service: NamedOrBlankNode = iri(endpoint).into();
    add(&service, rdf_type.clone(), sd("Service").into());
    add(&service, sd("endpoint"), iri(endpoint).into());
    let mut languages = vec!["SPARQL10Query", "SPARQL11Query"];
    if state.config().write_token.is_some() {
        languages.push("SPARQL11Update");
    }
    for l in languages {
        add(&service, sd("supportedLanguage"), sd(l).into());
    }
    for f in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "N-Quads",
        "TriG",
        "RDF_XML",
        "JSON-LD",
    ] {
        add(&service, sd("resultFormat"), iri(&format!("{FORMATS}{f}")).into());
    }
    if state.config().write_token.is_some() {
        for f in ["Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD"] {
            add(&service, sd("inputFormat"), iri(&format!("{FORMATS}{f}")).into());
        }
    }
    for f in ["UnionDefaultGraph", "EmptyGraphs"] {
        add(&service, sd("feature"), sd(f).into());
    }
    add(
        &service,
        sd("defaultEntailmentRegime"),
        iri("http://www.w3.org/ns/entailment/Simple").into(),
    );
    let (graphs, union) = graph_sizes(state)?;
    let dataset: NamedOrBlankNode = BlankNode::default().into();
    let default_graph: NamedOrBlankNode = BlankNode::default().into();
    add(&service, sd("defaultDataset"), dataset.clone().into());
    add(&dataset, rdf_type.clone(), sd("Dataset").into());
    add(&dataset, sd("defaultGraph"), default_graph.clone().into());
    add(&default_graph, rdf_type.clone(), sd("Graph").into());
    add(&default_graph, iri(&format!("{VOID}triples")), Literal::from(union as i64).into());
    for (name, n) in graphs {
        let named: NamedOrBlankNode = BlankNode::default().into();
        let graph: NamedOrBlankNode = BlankNode::default().into();
        add(&dataset, sd("namedGraph"), named.clone().into());
        add(&named, rdf_type.clone(), sd("NamedGraph").into());
        add(&named, sd("name"), name.into());
        add(&named, sd("graph"), graph.clone().into());
        add(&graph, rdf_type.clone(), sd("Graph").into());
        add(&graph, iri(&format!("{VOID}triples")), Literal::from(n as i64).into());
    }
    let mut w = super::rdf_serializer(format).for_writer(Vec::new());
    for t in &triples {
        let r = if format.supports_datasets() {
            w.serialize_quad(t.as_ref().in_graph(GraphNameRef::DefaultGraph))
        } else {
            w.serialize_triple(t)
        };
        r.map_err(ApiError::internal)?;
    }
    w.finish().map_err(ApiError::internal)
}
