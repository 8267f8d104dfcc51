//! SHACL validation: the subset of SHACL Core (and SHACL-SPARQL `sh:select`) that `ontology/shapes.ttl`
//! uses, each constraint compiled into one SPARQL query over the whole store.
//!
//! Supported: `sh:targetClass` (following `rdfs:subClassOf*`), property shapes with an IRI or
//! `sh:inversePath` path, `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:or` of datatypes or of classes, `sh:class`,
//! `sh:nodeKind` (`sh:IRI`, `sh:Literal`), `sh:in`, `sh:pattern`, `sh:languageIn`, `sh:uniqueLang`,
//! `sh:lessThanOrEquals`, `sh:hasValue`, `sh:severity`, `sh:message`, and `sh:sparql` constraints whose
//! `sh:select` uses `$this` in its pattern (it is evaluated once, then joined with the focus nodes).
//! A shape using anything else is refused rather than silently ignored.

use crate::store::{self, StoreError};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::collections::HashSet;
use std::fmt;

const SH: &str = "http://www.w3.org/ns/shacl#";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

/// One validation result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub focus: String,
    pub path: Option<String>,
    pub component: String,
    pub value: Option<String>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.severity, self.focus)?;
        if let Some(p) = &self.path {
            write!(f, " {p}")?;
        }
        write!(f, ": {} ({})", self.message, self.component)?;
        if let Some(v) = &self.value {
            write!(f, " value {v}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ShaclError {
    #[error("shapes: {0}")]
    Unsupported(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One compiled check: a SPARQL query whose rows (`?this`, optional `?value`) are findings.
#[derive(Debug, Clone)]
struct Check {
    query: String,
    severity: Severity,
    path: Option<String>,
    component: String,
    message: String,
    /// For `sh:sparql`: the focus-node query the results are joined with.
    focus_query: Option<String>,
}

/// Shapes compiled into checks.
#[derive(Debug, Clone)]
pub struct Shapes {
    checks: Vec<Check>,
}

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

fn objects<'a>(g: &'a Graph, s: NamedOrBlankNodeRef<'a>, p: &str) -> Vec<TermRef<'a>> {
    g.objects_for_subject_predicate(s, NamedNodeRef::new_unchecked(p)).collect()
}

fn one<'a>(g: &'a Graph, s: NamedOrBlankNodeRef<'a>, local: &str) -> Option<TermRef<'a>> {
    objects(g, s, &format!("{SH}{local}")).into_iter().next()
}

fn as_node(t: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match t {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn list<'a>(g: &'a Graph, mut head: TermRef<'a>) -> Vec<TermRef<'a>> {
    let mut out = Vec::new();
    while let Some(node) = as_node(head) {
        let Some(first) = objects(g, node, RDF_FIRST).into_iter().next() else {
            break;
        };
        out.push(first);
        match objects(g, node, RDF_REST).into_iter().next() {
            Some(rest) => head = rest,
            None => break,
        }
    }
    out
}

fn literal_text(t: TermRef<'_>) -> Option<String> {
    match t {
        TermRef::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

fn sparql_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

fn severity(g: &Graph, s: NamedOrBlankNodeRef<'_>, default: Severity) -> Severity {
    match one(g, s, "severity") {
        Some(TermRef::NamedNode(n)) if n.as_str() == format!("{SH}Info") => Severity::Info,
        Some(TermRef::NamedNode(n)) if n.as_str() == format!("{SH}Warning") => Severity::Warning,
        Some(_) => Severity::Violation,
        None => default,
    }
}

const KNOWN_PROPERTY_KEYS: &[&str] = &[
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "or",
    "class",
    "nodeKind",
    "in",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "lessThanOrEquals",
    "hasValue",
    "severity",
    "message",
    "name",
    "description",
    "order",
    "group",
    "deactivated",
];
const KNOWN_NODE_KEYS: &[&str] = &[
    "targetClass",
    "property",
    "sparql",
    "severity",
    "message",
    "name",
    "description",
    "deactivated",
    "closed",
];

impl Shapes {
    /// Compiles the shapes graph.
    pub fn compile(g: &Graph) -> Result<Self, ShaclError> {
        let mut checks = Vec::new();
        let type_ = NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        let node_shape = sh("NodeShape");
        let shapes: Vec<NamedOrBlankNodeRef<'_>> = g.subjects_for_predicate_object(type_, &node_shape).collect();
        for shape in shapes {
            let name = shape.to_string();
            check_keys(g, shape, KNOWN_NODE_KEYS, &name)?;
            if one(g, shape, "deactivated").and_then(literal_text).as_deref() == Some("true") {
                continue;
            }
            let targets: Vec<String> = objects(g, shape, &format!("{SH}targetClass"))
                .into_iter()
                .map(|t| t.to_string())
                .collect();
            if targets.is_empty() {
                continue;
            }
            let target_pattern = targets
                .iter()
                .map(|c| format!("{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {c} }}"))
                .collect::<Vec<_>>()
                .join(" UNION ");
            let shape_severity = severity(g, shape, Severity::Violation);
            for p in objects(g, shape, &format!("{SH}property")) {
                let p = as_node(p).ok_or_else(|| ShaclError::Unsupported(format!("{name}: sh:property must be a node")))?;
                compile_property(g, p, &target_pattern, shape_severity, &mut checks, &name)?;
            }
            for c in objects(g, shape, &format!("{SH}sparql")) {
                let c = as_node(c).ok_or_else(|| ShaclError::Unsupported(format!("{name}: sh:sparql must be a node")))?;
                let select = one(g, c, "select")
                    .and_then(literal_text)
                    .ok_or_else(|| ShaclError::Unsupported(format!("{name}: sh:sparql needs sh:select")))?;
                let message = one(g, c, "message")
                    .and_then(literal_text)
                    .unwrap_or_else(|| "SPARQL constraint".into());
                checks.push(Check {
                    query: select.replace("$this", "?this"),
                    severity: severity(g, c, shape_severity),
                    path: None,
                    component: "sh:SPARQLConstraintComponent".into(),
                    message,
                    focus_query: Some(format!("SELECT DISTINCT ?this WHERE {{ {target_pattern} }}")),
                });
            }
        }
        Ok(Self { checks })
    }

    /// Runs every check against `store` (union default graph), returning findings sorted by severity.
    pub fn validate(&self, store: &Store) -> Result<Vec<Finding>, ShaclError> {
        let mut findings = Vec::new();
        for check in &self.checks {
            let focus: Option<HashSet<String>> = match &check.focus_query {
                Some(q) => Some(rows(store, q)?.into_iter().map(|(t, _)| t).collect()),
                None => None,
            };
            for (this, value) in rows(store, &check.query)? {
                if focus.as_ref().is_some_and(|f| !f.contains(&this)) {
                    continue;
                }
                findings.push(Finding {
                    severity: check.severity,
                    focus: this,
                    path: check.path.clone(),
                    component: check.component.clone(),
                    value,
                    message: check.message.clone(),
                });
            }
        }
        findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.focus.cmp(&b.focus)));
        findings.dedup();
        Ok(findings)
    }
}

fn check_keys(g: &Graph, s: NamedOrBlankNodeRef<'_>, known: &[&str], name: &str) -> Result<(), ShaclError> {
    for t in g.triples_for_subject(s) {
        if let Some(local) = t.predicate.as_str().strip_prefix(SH) {
            if !known.contains(&local) {
                return Err(ShaclError::Unsupported(format!(
                    "{name}: sh:{local} is not supported by this validator"
                )));
            }
        }
    }
    Ok(())
}

fn rows(store: &Store, query: &str) -> Result<Vec<(String, Option<String>)>, ShaclError> {
    let mut out = Vec::new();
    if let QueryResults::Solutions(solutions) = store::query(store, query)? {
        for s in solutions {
            let s = s.map_err(StoreError::from)?;
            if let Some(this) = s.get("this") {
                out.push((this.to_string(), s.get("value").map(Term::to_string)));
            }
        }
    }
    Ok(out)
}

fn compile_property(
    g: &Graph,
    p: NamedOrBlankNodeRef<'_>,
    target: &str,
    default: Severity,
    checks: &mut Vec<Check>,
    shape: &str,
) -> Result<(), ShaclError> {
    check_keys(g, p, KNOWN_PROPERTY_KEYS, shape)?;
    let path_term = one(g, p, "path").ok_or_else(|| ShaclError::Unsupported(format!("{shape}: property shape without sh:path")))?;
    let path = match path_term {
        TermRef::NamedNode(n) => n.to_string(),
        other => {
            let node = as_node(other).ok_or_else(|| ShaclError::Unsupported(format!("{shape}: bad sh:path")))?;
            match one(g, node, "inversePath") {
                Some(TermRef::NamedNode(n)) => format!("^{n}"),
                _ => {
                    return Err(ShaclError::Unsupported(format!(
                        "{shape}: only IRI and sh:inversePath paths are supported"
                    )))
                }
            }
        }
    };
    let sev = severity(g, p, default);
    let custom = one(g, p, "message").and_then(literal_text);
    let mut add = |component: &str, query: String, default_message: String| {
        checks.push(Check {
            query,
            severity: sev,
            path: Some(path.clone()),
            component: format!("sh:{component}"),
            message: custom.clone().unwrap_or(default_message),
            focus_query: None,
        });
    };
    let each = |filter: &str| format!("SELECT DISTINCT ?this ?value WHERE {{ {{ {target} }} ?this {path} ?value . FILTER({filter}) }}");
    let int = |local: &str| one(g, p, local).and_then(literal_text).and_then(|v| v.parse::<u64>().ok());
    if let Some(min) = int("minCount") {
        add(
            "MinCountConstraintComponent",
            format!("SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {min})"),
            format!("needs at least {min} value(s) for {path}"),
        );
    }
    if let Some(max) = int("maxCount") {
        add(
            "MaxCountConstraintComponent",
            format!("SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} ?this {path} ?value }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {max})"),
            format!("allows at most {max} value(s) for {path}"),
        );
    }
    if let Some(d) = one(g, p, "datatype") {
        add(
            "DatatypeConstraintComponent",
            each(&format!("!isLiteral(?value) || datatype(?value) != {d}")),
            format!("values must be {d}"),
        );
    }
    if let Some(or) = one(g, p, "or") {
        let (mut types, mut classes) = (Vec::new(), Vec::new());
        for alt in list(g, or) {
            let alt = as_node(alt).ok_or_else(|| ShaclError::Unsupported(format!("{shape}: sh:or member must be a node")))?;
            match (one(g, alt, "datatype"), one(g, alt, "class")) {
                (Some(d), None) => types.push(d.to_string()),
                (None, Some(c)) => classes.push(c.to_string()),
                _ => {
                    return Err(ShaclError::Unsupported(format!(
                        "{shape}: sh:or members must each be one sh:datatype or one sh:class"
                    )))
                }
            }
        }
        if !types.is_empty() && !classes.is_empty() {
            return Err(ShaclError::Unsupported(format!("{shape}: sh:or cannot mix datatypes and classes")));
        }
        if classes.is_empty() {
            add(
                "OrConstraintComponent",
                each(&format!("!isLiteral(?value) || datatype(?value) NOT IN ({})", types.join(", "))),
                format!("values must be one of {}", types.join(", ")),
            );
        } else {
            add(
                "OrConstraintComponent",
                each(&format!(
                    "NOT EXISTS {{ VALUES ?class {{ {} }} ?value a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }}",
                    classes.join(" ")
                )),
                format!("values must be instances of {}", classes.join(" or ")),
            );
        }
    }
    if let Some(c) = one(g, p, "class") {
        add(
            "ClassConstraintComponent",
            each(&format!(
                "NOT EXISTS {{ ?value a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {c} }}"
            )),
            format!("values must be instances of {c}"),
        );
    }
    if let Some(TermRef::NamedNode(k)) = one(g, p, "nodeKind") {
        let filter = match k.as_str().strip_prefix(SH) {
            Some("IRI") => "!isIRI(?value)",
            Some("Literal") => "!isLiteral(?value)",
            Some("BlankNode") => "!isBlank(?value)",
            _ => return Err(ShaclError::Unsupported(format!("{shape}: sh:nodeKind {k} is not supported"))),
        };
        add(
            "NodeKindConstraintComponent",
            each(filter),
            format!("values must have node kind {k}"),
        );
    }
    if let Some(values) = one(g, p, "in") {
        let values: Vec<String> = list(g, values).into_iter().map(|t| t.to_string()).collect();
        add(
            "InConstraintComponent",
            each(&format!("?value NOT IN ({})", values.join(", "))),
            format!("values must be one of {}", values.join(", ")),
        );
    }
    if let Some(pattern) = one(g, p, "pattern").and_then(literal_text) {
        let flags = one(g, p, "flags").and_then(literal_text).unwrap_or_default();
        add(
            "PatternConstraintComponent",
            each(&format!(
                "isBlank(?value) || !REGEX(STR(?value), {}, {})",
                sparql_string(&pattern),
                sparql_string(&flags)
            )),
            format!("values must match {pattern}"),
        );
    }
    if let Some(langs) = one(g, p, "languageIn") {
        let tests: Vec<String> = list(g, langs)
            .into_iter()
            .filter_map(literal_text)
            .map(|l| format!("langMatches(lang(?value), {})", sparql_string(&l)))
            .collect();
        add(
            "LanguageInConstraintComponent",
            each(&format!("!isLiteral(?value) || !({})", tests.join(" || "))),
            "language tag not allowed".into(),
        );
    }
    if one(g, p, "uniqueLang").and_then(literal_text).as_deref() == Some("true") {
        add(
            "UniqueLangConstraintComponent",
            format!("SELECT ?this (SAMPLE(?l) AS ?value) WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} ?this {path} ?v . BIND(lang(?v) AS ?l) FILTER(?l != \"\") }} GROUP BY ?this ?l HAVING (COUNT(DISTINCT ?v) > 1)"),
            "more than one value per language".into(),
        );
    }
    if let Some(TermRef::NamedNode(other)) = one(g, p, "lessThanOrEquals") {
        add(
            "LessThanOrEqualsConstraintComponent",
            format!(
                "SELECT DISTINCT ?this ?value WHERE {{ {{ {target} }} ?this {path} ?value . ?this {other} ?o . FILTER(!(?value <= ?o)) }}"
            ),
            format!("values must be <= {other}"),
        );
    }
    if let Some(v) = one(g, p, "hasValue") {
        add(
            "HasValueConstraintComponent",
            format!("SELECT DISTINCT ?this WHERE {{ {{ {target} }} FILTER NOT EXISTS {{ ?this {path} {v} }} }}"),
            format!("must have the value {v}"),
        );
    }
    Ok(())
}
