//! The media types the endpoint offers for each kind of result, and the `format` parameter's names.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// Offered for SELECT and ASK, in order of preference (aliases last).
pub const SOLUTIONS: &[&str] = &[
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
];

/// Offered for CONSTRUCT and DESCRIBE, in order of preference (aliases last).
pub const GRAPHS: &[&str] = &[
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/ld+json",
    "text/plain",
    "application/xml",
    "application/json",
];

/// A concrete output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
}

impl Output {
    /// The `Content-Type` to answer with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Results(QueryResultsFormat::Json) => "application/sparql-results+json",
            Self::Results(QueryResultsFormat::Xml) => "application/sparql-results+xml",
            Self::Results(QueryResultsFormat::Csv) => "text/csv; charset=utf-8",
            Self::Results(_) => "text/tab-separated-values; charset=utf-8",
            Self::Rdf(RdfFormat::Turtle) => "text/turtle; charset=utf-8",
            Self::Rdf(RdfFormat::NTriples) => "application/n-triples",
            Self::Rdf(RdfFormat::NQuads) => "application/n-quads",
            Self::Rdf(RdfFormat::TriG) => "application/trig",
            Self::Rdf(RdfFormat::RdfXml) => "application/rdf+xml",
            Self::Rdf(_) => "application/ld+json",
        }
    }
}

/// The output for an offered media type: of [`GRAPHS`] when `graph`, else of [`SOLUTIONS`].
pub fn output_for(media_type: &str, graph: bool) -> Output {
    if graph {
        return Output::Rdf(rdf_for(media_type));
    }
    Output::Results(match media_type {
        "application/sparql-results+xml" | "application/xml" | "text/xml" => QueryResultsFormat::Xml,
        "text/csv" => QueryResultsFormat::Csv,
        "text/tab-separated-values" => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    })
}

/// The RDF format for an offered graph media type.
pub fn rdf_for(media_type: &str) -> RdfFormat {
    match media_type {
        "application/n-triples" | "text/plain" => RdfFormat::NTriples,
        "application/n-quads" => RdfFormat::NQuads,
        "application/trig" => RdfFormat::TriG,
        "application/rdf+xml" | "application/xml" => RdfFormat::RdfXml,
        "application/ld+json" | "application/json" => RdfFormat::JsonLd {
            profile: Default::default(),
        },
        _ => RdfFormat::Turtle,
    }
}

/// The media type a `format` parameter names (a short name or a media type), if any.
pub fn from_format_param(value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    Some(match v.as_str() {
        "json" | "srj" => "application/sparql-results+json",
        "xml" | "srx" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "ttl" | "turtle" => "text/turtle",
        "nt" | "ntriples" | "n-triples" => "application/n-triples",
        "nq" | "nquads" | "n-quads" => "application/n-quads",
        "trig" => "application/trig",
        "rdf" | "rdfxml" | "rdf+xml" => "application/rdf+xml",
        "jsonld" | "json-ld" => "application/ld+json",
        other => return SOLUTIONS.iter().chain(GRAPHS).find(|t| **t == other).copied(),
    })
}
