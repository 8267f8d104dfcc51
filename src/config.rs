//! Validated settings: the base IRI every identifier is minted under, and the IRI patterns.

use iri_string::types::IriStr;
use oxigraph::model::NamedNode;

/// The default base: what `unionkg serve` answers on, so every minted IRI dereferences locally.
pub const DEFAULT_BASE_IRI: &str = "http://localhost:7878/";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("base IRI '{0}' is not an absolute IRI: {1}")]
    NotAnIri(String, String),
    #[error("base IRI '{0}' must use http or https, have no query or fragment, and end with '/'")]
    BadShape(String),
}

/// The base IRI, checked: absolute, http(s), ending in `/`, no query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseIri(String);

impl BaseIri {
    pub fn parse(iri: &str) -> Result<Self, ConfigError> {
        let parsed = IriStr::new(iri).map_err(|e| ConfigError::NotAnIri(iri.into(), e.to_string()))?;
        let scheme_ok = matches!(parsed.scheme_str(), "http" | "https");
        if !scheme_ok
            || parsed.query().is_some()
            || parsed.fragment().is_some()
            || !iri.ends_with('/')
            || parsed.authority_str().is_none_or(str::is_empty)
        {
            return Err(ConfigError::BadShape(iri.into()));
        }
        Ok(Self(iri.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn node(&self, path: &str) -> NamedNode {
        // Every path below is built from checked slugs and fixed segments, so the IRI stays valid.
        NamedNode::new_unchecked(format!("{}{path}", self.0))
    }

    /// `<base>id/{id}`: the thing a record describes.
    pub fn id(&self, id: &str) -> NamedNode {
        self.node(&format!("id/{id}"))
    }

    /// `<base>id/{id}#{part}`: a part of a record (a citation, a component, an interval).
    pub fn part(&self, id: &str, part: &str) -> NamedNode {
        self.node(&format!("id/{id}#{part}"))
    }

    /// `<base>source/{doc}`: a source document.
    pub fn source(&self, doc: &str) -> NamedNode {
        self.node(&format!("source/{doc}"))
    }

    /// `<base>source/{doc}#p{n}`: a passage, also the anchor on the document's page.
    pub fn passage(&self, doc: &str, n: usize) -> NamedNode {
        self.node(&format!("source/{doc}#p{n}"))
    }

    /// `<base>graph/{name}`: a named graph (one per source document, plus `ontology`).
    pub fn graph(&self, name: &str) -> NamedNode {
        self.node(&format!("graph/{name}"))
    }

    /// `<base>ontology#{local}`: a term of the ontology.
    pub fn term(&self, local: &str) -> NamedNode {
        self.node(&format!("ontology#{local}"))
    }

    pub fn ontology(&self) -> NamedNode {
        self.node("ontology")
    }
}

impl Default for BaseIri {
    fn default() -> Self {
        Self(DEFAULT_BASE_IRI.into())
    }
}

#[cfg(test)]
mod tests {
    use super::BaseIri;

    #[test]
    fn accepts_only_usable_bases() {
        for ok in ["http://localhost:7878/", "https://example.org/kg/"] {
            assert!(BaseIri::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "localhost/",
            "http://example.org",
            "ftp://example.org/",
            "http://example.org/?x=1",
            "http://example.org/#",
            "http:///",
            "not an iri/",
        ] {
            assert!(BaseIri::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mints_the_documented_patterns() {
        let b = BaseIri::parse("http://example.org/").unwrap();
        assert_eq!(b.id("acftu").as_str(), "http://example.org/id/acftu");
        assert_eq!(b.part("acftu", "citation-1").as_str(), "http://example.org/id/acftu#citation-1");
        assert_eq!(b.passage("a", 3).as_str(), "http://example.org/source/a#p3");
        assert_eq!(b.graph("ontology").as_str(), "http://example.org/graph/ontology");
        assert_eq!(b.term("Person").as_str(), "http://example.org/ontology#Person");
    }
}
