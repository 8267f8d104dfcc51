//! The whole build: records → mapping → store, with the ontology and the SHACL gate.

use crate::config::BaseIri;
use crate::mapping;
use crate::records::{self, Dataset, RecordError};
use crate::shacl::{Finding, Severity, ShaclError, Shapes};
use crate::store::{self, StoreDir, StoreError};
use oxigraph::model::{Graph, GraphNameRef, Quad};
use std::path::{Path, PathBuf};

/// The ontology, compiled into the binary so that a build never depends on the working directory.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/unionkg.ttl");
/// The SHACL shapes for the instance data.
pub const SHAPES_TTL: &str = include_str!("../ontology/shapes.ttl");

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{} problem(s) in the records", .0.len())]
    Records(Vec<RecordError>),
    #[error("{} SHACL violation(s)", .0.iter().filter(|f| f.severity == Severity::Violation).count())]
    Invalid(Vec<Finding>),
    #[error(transparent)]
    Shacl(#[from] ShaclError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a successful build or validation found.
#[derive(Debug)]
pub struct Report {
    pub records: usize,
    pub quads: usize,
    /// Warnings and informational findings (never violations).
    pub findings: Vec<Finding>,
    pub store: Option<PathBuf>,
}

/// The ontology's quads, in the ontology graph, with relative IRIs resolved against `base`.
pub fn ontology_quads(base: &BaseIri) -> Result<Vec<Quad>, StoreError> {
    let graph = base.graph("ontology");
    store::parse_turtle(
        ONTOLOGY_TTL,
        "ontology/unionkg.ttl",
        base.as_str(),
        GraphNameRef::NamedNode(graph.as_ref()),
    )
}

/// The compiled shapes.
pub fn shapes(base: &BaseIri) -> Result<Shapes, BuildError> {
    let quads = store::parse_turtle(SHAPES_TTL, "ontology/shapes.ttl", base.as_str(), GraphNameRef::DefaultGraph)?;
    let graph: Graph = quads.into_iter().map(oxigraph::model::Triple::from).collect();
    Ok(Shapes::compile(&graph)?)
}

/// Reads and checks the records, and maps them with the ontology into quads.
pub fn load_and_map(data_dir: &Path, base: &BaseIri) -> Result<(Dataset, Vec<Quad>), BuildError> {
    let dataset = records::load(data_dir).map_err(BuildError::Records)?;
    let mut quads = ontology_quads(base)?;
    quads.extend(mapping::map_dataset(&dataset, base));
    Ok((dataset, quads))
}

fn split(findings: Vec<Finding>) -> Result<Vec<Finding>, BuildError> {
    if findings.iter().any(|f| f.severity == Severity::Violation) {
        Err(BuildError::Invalid(findings))
    } else {
        Ok(findings)
    }
}

/// `unionkg validate`: every check of a build, in memory, writing nothing.
pub fn validate(data_dir: &Path, base: &BaseIri) -> Result<Report, BuildError> {
    let shapes = shapes(base)?;
    let (dataset, quads) = load_and_map(data_dir, base)?;
    let n = quads.len();
    let store = store::in_memory(quads)?;
    let findings = split(shapes.validate(&store)?)?;
    Ok(Report {
        records: dataset.records.len(),
        quads: n,
        findings,
        store: None,
    })
}

/// `unionkg build`: validate, write a fresh store, check it against the shapes, then swap it in.
pub fn build(
    data_dir: &Path,
    store_dir: &Path,
    base: &BaseIri,
    progress: impl Fn(u64) + Send + Sync + 'static,
) -> Result<Report, BuildError> {
    let shapes = shapes(base)?;
    let (dataset, quads) = load_and_map(data_dir, base)?;
    let n = quads.len();
    let mut findings = Vec::new();
    let mut failure = None;
    let result = StoreDir::new(store_dir).replace_with(quads, progress, |store| {
        let found = shapes.validate(store).map_err(|e| match e {
            ShaclError::Store(s) => s,
            other => StoreError::Load {
                file: "ontology/shapes.ttl".into(),
                message: other.to_string(),
            },
        })?;
        let violations = found.iter().filter(|f| f.severity == Severity::Violation).count();
        if violations > 0 {
            failure = Some(found);
        } else {
            findings = found;
        }
        Ok(violations)
    });
    match (result, failure) {
        (Err(StoreError::Invalid(_)), Some(found)) => Err(BuildError::Invalid(found)),
        (Err(e), _) => Err(e.into()),
        (Ok(path), _) => Ok(Report {
            records: dataset.records.len(),
            quads: n,
            findings,
            store: Some(path),
        }),
    }
}

/// The store to serve: the current generation, built from `data_dir` first if there is none yet.
pub fn open_or_build(
    data_dir: &Path,
    store_dir: &Path,
    base: &BaseIri,
    writable: bool,
    progress: impl Fn(u64) + Send + Sync + 'static,
) -> Result<(oxigraph::store::Store, Option<Report>), BuildError> {
    let dir = StoreDir::new(store_dir);
    let report = if dir.current().is_none() {
        Some(build(data_dir, store_dir, base, progress)?)
    } else {
        None
    };
    let store = if writable { dir.open_writable()? } else { dir.open_read_only()? };
    Ok((store, report))
}
