//! IRIs of the external vocabularies the mapping writes; the ontology's own terms come from [`crate::config::BaseIri::term`].

use oxigraph::model::NamedNodeRef;

const fn n(iri: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(iri)
}

pub const RDF_TYPE: NamedNodeRef<'static> = n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
pub const RDFS_LABEL: NamedNodeRef<'static> = n("http://www.w3.org/2000/01/rdf-schema#label");
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const XSD_DATE: NamedNodeRef<'static> = n("http://www.w3.org/2001/XMLSchema#date");
pub const XSD_INTEGER: NamedNodeRef<'static> = n("http://www.w3.org/2001/XMLSchema#integer");
pub const XSD_BOOLEAN: NamedNodeRef<'static> = n("http://www.w3.org/2001/XMLSchema#boolean");

pub const SKOS_PREF_LABEL: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#prefLabel");
pub const SKOS_ALT_LABEL: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#altLabel");
pub const SKOS_NOTE: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#note");
pub const SKOS_NOTATION: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#notation");
pub const SKOS_IN_SCHEME: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#inScheme");
pub const SKOS_CONCEPT: NamedNodeRef<'static> = n("http://www.w3.org/2004/02/skos/core#Concept");

pub const DCT_IDENTIFIER: NamedNodeRef<'static> = n("http://purl.org/dc/terms/identifier");
pub const DCT_TITLE: NamedNodeRef<'static> = n("http://purl.org/dc/terms/title");
pub const DCT_IS_PART_OF: NamedNodeRef<'static> = n("http://purl.org/dc/terms/isPartOf");
pub const DCT_HAS_PART: NamedNodeRef<'static> = n("http://purl.org/dc/terms/hasPart");
pub const DCT_LANGUAGE: NamedNodeRef<'static> = n("http://purl.org/dc/terms/language");
pub const DCT_BIBLIOGRAPHIC_RESOURCE: NamedNodeRef<'static> = n("http://purl.org/dc/terms/BibliographicResource");

pub const PROV_WAS_DERIVED_FROM: NamedNodeRef<'static> = n("http://www.w3.org/ns/prov#wasDerivedFrom");
pub const PROV_HAD_PRIMARY_SOURCE: NamedNodeRef<'static> = n("http://www.w3.org/ns/prov#hadPrimarySource");

pub const OA_SPECIFIC_RESOURCE: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#SpecificResource");
pub const OA_TEXT_QUOTE_SELECTOR: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#TextQuoteSelector");
pub const OA_HAS_SOURCE: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#hasSource");
pub const OA_HAS_SELECTOR: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#hasSelector");
pub const OA_EXACT: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#exact");
pub const OA_PREFIX: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#prefix");
pub const OA_SUFFIX: NamedNodeRef<'static> = n("http://www.w3.org/ns/oa#suffix");

pub const ORG_MEMBERSHIP: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#Membership");
pub const ORG_MEMBER: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#member");
pub const ORG_ORGANIZATION: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#organization");
pub const ORG_MEMBER_OF: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#memberOf");
pub const ORG_HAS_MEMBERSHIP: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#hasMembership");
pub const ORG_MEMBER_DURING: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#memberDuring");
pub const ORG_SUB_ORGANIZATION_OF: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#subOrganizationOf");
pub const ORG_UNIT_OF: NamedNodeRef<'static> = n("http://www.w3.org/ns/org#unitOf");

pub const TIME_PROPER_INTERVAL: NamedNodeRef<'static> = n("http://www.w3.org/2006/time#ProperInterval");
pub const TIME_INSTANT: NamedNodeRef<'static> = n("http://www.w3.org/2006/time#Instant");
pub const TIME_HAS_BEGINNING: NamedNodeRef<'static> = n("http://www.w3.org/2006/time#hasBeginning");
pub const TIME_HAS_END: NamedNodeRef<'static> = n("http://www.w3.org/2006/time#hasEnd");
pub const TIME: &str = "http://www.w3.org/2006/time#";

pub const SCHEMA_ORGANIZATION: NamedNodeRef<'static> = n("https://schema.org/Organization");
pub const SCHEMA_WORKERS_UNION: NamedNodeRef<'static> = n("https://schema.org/WorkersUnion");
pub const SCHEMA_PERSON: NamedNodeRef<'static> = n("https://schema.org/Person");
pub const SCHEMA_COUNTRY: NamedNodeRef<'static> = n("https://schema.org/Country");
pub const SCHEMA_PLACE: NamedNodeRef<'static> = n("https://schema.org/Place");
pub const SCHEMA_EVENT: NamedNodeRef<'static> = n("https://schema.org/Event");
pub const SCHEMA_FOUNDING_DATE: NamedNodeRef<'static> = n("https://schema.org/foundingDate");
pub const SCHEMA_DISSOLUTION_DATE: NamedNodeRef<'static> = n("https://schema.org/dissolutionDate");
pub const FOAF_PERSON: NamedNodeRef<'static> = n("http://xmlns.com/foaf/0.1/Person");
pub const FOAF_ORGANIZATION: NamedNodeRef<'static> = n("http://xmlns.com/foaf/0.1/Organization");

/// The prefixes every serializer declares.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("schema", "https://schema.org/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("sd", "http://www.w3.org/ns/sparql-service-description#"),
    ("void", "http://rdfs.org/ns/void#"),
];
