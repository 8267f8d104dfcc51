//! Store stage: writes quads into a fresh Oxigraph store, swaps it in atomically, and answers queries.
//!
//! On disk, `--store DIR` holds generations (`gen-*`) and a symlink `current` naming the one in use.
//! A build writes a new generation, validates it, and only then renames a new symlink over `current`
//! (`rename(2)` is atomic), so a build that fails or is killed leaves the previous store as it was.

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {0}: no store has been built there yet (run `unionkg build`)")]
    NotBuilt(PathBuf),
    #[error("store {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("store {path}: {source}")]
    Storage {
        path: PathBuf,
        source: oxigraph::store::StorageError,
    },
    #[error("{file}: cannot load: {message}")]
    Load { file: String, message: String },
    #[error("query syntax: {0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    #[error("query evaluation: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("writing results: {0}")]
    Write(#[from] std::io::Error),
    #[error("the new store has {0} SHACL violation(s); the previous store is unchanged")]
    Invalid(usize),
    #[error("unsupported format '{0}' for {1}")]
    Format(String, &'static str),
}

/// A store directory holding generations and the `current` link.
#[derive(Debug, Clone)]
pub struct StoreDir {
    root: PathBuf,
}

const CURRENT: &str = "current";

impl StoreDir {
    pub fn new(root: &Path) -> Self {
        Self { root: root.to_owned() }
    }

    fn io(&self, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: self.root.clone(),
            source,
        }
    }

    /// The generation `current` points at, if a build ever completed.
    pub fn current(&self) -> Option<PathBuf> {
        let target = std::fs::read_link(self.root.join(CURRENT)).ok()?;
        let path = self.root.join(target);
        path.is_dir().then_some(path)
    }

    /// Opens the current generation read-only (for queries and export).
    pub fn open_read_only(&self) -> Result<Store, StoreError> {
        let path = self.current().ok_or_else(|| StoreError::NotBuilt(self.root.clone()))?;
        Store::open_read_only(&path).map_err(|source| StoreError::Storage { path, source })
    }

    /// Opens the current generation read-write (a server that accepts updates).
    pub fn open_writable(&self) -> Result<Store, StoreError> {
        let path = self.current().ok_or_else(|| StoreError::NotBuilt(self.root.clone()))?;
        Store::open(&path).map_err(|source| StoreError::Storage { path, source })
    }

    /// Writes `quads` into a new generation, runs `check` on it, and makes it current if `check` passes.
    ///
    /// `check` returns the number of blocking problems; any other value than 0 discards the generation.
    pub fn replace_with(
        &self,
        quads: impl IntoIterator<Item = Quad>,
        progress: impl Fn(u64) + Send + Sync + 'static,
        check: impl FnOnce(&Store) -> Result<usize, StoreError>,
    ) -> Result<PathBuf, StoreError> {
        std::fs::create_dir_all(&self.root).map_err(|e| self.io(e))?;
        self.remove_stale_generations();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("gen-{stamp}-{}", std::process::id());
        let path = self.root.join(&name);
        let result = (|| {
            let store = Store::open(&path).map_err(|source| StoreError::Storage {
                path: path.clone(),
                source,
            })?;
            let mut loader = store.bulk_loader().with_max_memory_size_in_megabytes(200).on_progress(progress);
            loader.load_quads(quads).map_err(|source| StoreError::Storage {
                path: path.clone(),
                source,
            })?;
            loader.commit().map_err(|source| StoreError::Storage {
                path: path.clone(),
                source,
            })?;
            let problems = check(&store)?;
            if problems > 0 {
                return Err(StoreError::Invalid(problems));
            }
            store.flush().map_err(|source| StoreError::Storage {
                path: path.clone(),
                source,
            })?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&path);
            return Err(e);
        }
        self.swap_current(&name)?;
        self.remove_stale_generations();
        Ok(path)
    }

    /// Points `current` at `name` with one atomic rename.
    fn swap_current(&self, name: &str) -> Result<(), StoreError> {
        let tmp = self.root.join(format!("{CURRENT}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(name, &tmp).map_err(|e| self.io(e))?;
        std::fs::rename(&tmp, self.root.join(CURRENT)).map_err(|e| self.io(e))?;
        if let Ok(dir) = std::fs::File::open(&self.root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Removes generations other than the current one and the newest previous one
    /// (which a running server may still have open), and leftovers of interrupted builds.
    fn remove_stale_generations(&self) {
        let current = self.current();
        let Ok(entries) = std::fs::read_dir(&self.root) else { return };
        let mut gens: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("gen-")))
            .filter(|p| Some(p) != current.as_ref())
            .collect();
        gens.sort_by_key(|p| generation_stamp(p));
        gens.pop();
        for g in gens {
            let _ = std::fs::remove_dir_all(g);
        }
    }
}

fn generation_stamp(p: &Path) -> u128 {
    p.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("gen-"))
        .and_then(|n| n.split('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// An in-memory store holding `quads` (for `validate` and tests: no persistence, no RocksDB files).
pub fn in_memory(quads: impl IntoIterator<Item = Quad>) -> Result<Store, StoreError> {
    let storage = |source| StoreError::Storage {
        path: PathBuf::from("(memory)"),
        source,
    };
    let store = Store::new().map_err(storage)?;
    let mut loader = store.bulk_loader();
    loader.load_quads(quads).map_err(storage)?;
    // Nothing loaded by the bulk loader is visible before the commit.
    loader.commit().map_err(storage)?;
    Ok(store)
}

/// Parses Turtle (the ontology files) with relative IRIs resolved against `base`, into `graph`.
pub fn parse_turtle(text: &str, file: &str, base: &str, graph: GraphNameRef<'_>) -> Result<Vec<Quad>, StoreError> {
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(base)
        .map_err(|e| StoreError::Load {
            file: file.into(),
            message: e.to_string(),
        })?
        .with_default_graph(graph.into_owned());
    parser
        .for_reader(text.as_bytes())
        .map(|q| {
            q.map_err(|e| StoreError::Load {
                file: file.into(),
                message: e.to_string(),
            })
        })
        .collect()
}

/// Runs a query with the union of all graphs as the default graph.
pub fn query(store: &Store, sparql: &str) -> Result<QueryResults<'static>, StoreError> {
    let mut prepared = SparqlEvaluator::new().parse_query(sparql)?;
    prepared.dataset_mut().set_default_graph_as_union();
    Ok(prepared.on_store(store).execute()?)
}

/// The output formats of `unionkg query` and `unionkg export`.
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    Some(match name {
        "ttl" | "turtle" => RdfFormat::Turtle,
        "nt" | "ntriples" => RdfFormat::NTriples,
        "nq" | "nquads" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdf" | "rdfxml" | "xml" => RdfFormat::RdfXml,
        "jsonld" => RdfFormat::JsonLd {
            profile: Default::default(),
        },
        _ => return None,
    })
}

fn results_format(name: &str) -> Option<QueryResultsFormat> {
    Some(match name {
        "json" => QueryResultsFormat::Json,
        "xml" => QueryResultsFormat::Xml,
        "csv" => QueryResultsFormat::Csv,
        "tsv" => QueryResultsFormat::Tsv,
        _ => return None,
    })
}

/// A serializer declaring the usual prefixes (and `tu:` when its namespace is given).
pub fn serializer(format: RdfFormat, tu: Option<&str>) -> RdfSerializer {
    let mut s = RdfSerializer::from_format(format);
    for (p, ns) in crate::vocab::PREFIXES.iter().copied().chain(tu.map(|t| ("tu", t))) {
        s = s.with_prefix(p, ns).expect("the prefixes are valid IRIs");
    }
    s
}

/// Writes query results: solutions and booleans as json/xml/csv/tsv, graphs as any RDF format.
pub fn write_results(results: QueryResults<'_>, format: &str, out: impl Write) -> Result<(), StoreError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let f =
                results_format(format).ok_or_else(|| StoreError::Format(format.into(), "SELECT results (use json, xml, csv or tsv)"))?;
            let mut w = QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
            for s in solutions {
                w.serialize(&s?)?;
            }
            w.finish()?;
        }
        QueryResults::Boolean(b) => {
            let f = results_format(format).ok_or_else(|| StoreError::Format(format.into(), "ASK results (use json, xml, csv or tsv)"))?;
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, b)?;
        }
        QueryResults::Graph(triples) => {
            let f = rdf_format(format)
                .filter(|f| !f.supports_datasets())
                .ok_or_else(|| StoreError::Format(format.into(), "CONSTRUCT/DESCRIBE results (use ttl, nt, rdf or jsonld)"))?;
            let mut w = serializer(f, None).for_writer(out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// The dataset as canonical N-Quads, per RDF Dataset Canonicalization (RDFC-1.0), computed by sophia.
pub fn canonical_nquads(store: &Store) -> Result<Vec<u8>, StoreError> {
    use sophia_api::quad::Spog;
    use sophia_api::source::QuadSource;
    use sophia_api::term::SimpleTerm;
    let mut nquads = Vec::new();
    store
        .dump_to_writer(RdfSerializer::from_format(RdfFormat::NQuads), &mut nquads)
        .map_err(|e| StoreError::Load {
            file: "(checksum)".into(),
            message: e.to_string(),
        })?;
    let text = String::from_utf8(nquads).map_err(|e| StoreError::Load {
        file: "(checksum)".into(),
        message: e.to_string(),
    })?;
    let dataset: HashSet<Spog<SimpleTerm<'static>>> =
        sophia_turtle::parser::nq::parse_str(&text)
            .collect_quads()
            .map_err(|e| StoreError::Load {
                file: "(checksum)".into(),
                message: e.to_string(),
            })?;
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut out).map_err(|e| StoreError::Load {
        file: "(checksum)".into(),
        message: e.to_string(),
    })?;
    Ok(out)
}

/// SHA-256 of the canonical N-Quads, in hex, and the number of quads.
pub fn checksum(store: &Store) -> Result<(String, usize), StoreError> {
    use sha2::{Digest, Sha256};
    let canonical = canonical_nquads(store)?;
    let quads = canonical.iter().filter(|&&b| b == b'\n').count();
    Ok((format!("{:x}", Sha256::digest(&canonical)), quads))
}

/// The `tu:` namespace of a built store (its base IRI is whatever the build used).
pub fn tu_namespace(store: &Store) -> Result<String, StoreError> {
    let q = "SELECT ?o WHERE { GRAPH ?g { ?o a <http://www.w3.org/2002/07/owl#Ontology> } } LIMIT 1";
    if let QueryResults::Solutions(mut s) = query(store, q)? {
        if let Some(row) = s.next() {
            if let Some(oxigraph::model::Term::NamedNode(n)) = row?.get("o") {
                return Ok(format!("{}#", n.as_str()));
            }
        }
    }
    Ok(format!("{}ontology#", crate::config::DEFAULT_BASE_IRI))
}

/// Writes the whole store: N-Quads and TriG keep the graphs; triple formats write the union, each triple once.
pub fn export(store: &Store, format: RdfFormat, tu_namespace: &str, out: impl Write) -> Result<(), StoreError> {
    let storage = |source| StoreError::Storage {
        path: PathBuf::from("(export)"),
        source,
    };
    let mut w = serializer(format, Some(tu_namespace)).for_writer(out);
    if format.supports_datasets() {
        for q in store.iter() {
            w.serialize_quad(&q.map_err(storage)?)?;
        }
    } else {
        let mut seen = HashSet::new();
        for q in store.iter() {
            let t = Triple::from(q.map_err(storage)?);
            if seen.insert(t.clone()) {
                w.serialize_triple(&t)?;
            }
        }
    }
    w.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_from(nquads: &str) -> Store {
        let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::NQuads)
            .for_reader(nquads.as_bytes())
            .map(Result::unwrap)
            .collect();
        in_memory(quads).unwrap()
    }

    #[test]
    fn the_checksum_ignores_blank_node_labels_and_order() {
        let a = store_from("<http://e/s> <http://e/p> _:x <http://e/g> .\n_:x <http://e/q> \"1\" <http://e/g> .\n");
        let b = store_from("_:other <http://e/q> \"1\" <http://e/g> .\n<http://e/s> <http://e/p> _:other <http://e/g> .\n");
        let c = store_from("<http://e/s> <http://e/p> _:x <http://e/g> .\n_:x <http://e/q> \"2\" <http://e/g> .\n");
        assert_eq!(checksum(&a).unwrap(), checksum(&b).unwrap());
        assert_ne!(checksum(&a).unwrap().0, checksum(&c).unwrap().0);
        assert_eq!(checksum(&a).unwrap().1, 2);
        assert!(String::from_utf8(canonical_nquads(&a).unwrap()).unwrap().contains("_:c14n0"));
    }
}

#[cfg(test)]
mod generation_tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode};

    fn quad(v: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked("http://e/s"),
            NamedNode::new_unchecked("http://e/p"),
            Literal::new_simple_literal(v),
            GraphName::DefaultGraph,
        )
    }

    #[test]
    fn a_generation_that_fails_its_check_is_discarded_and_current_kept() {
        let dir = tempfile::tempdir().unwrap();
        let sd = StoreDir::new(&dir.path().join("s"));
        let first = sd.replace_with([quad("1")], |_| {}, |_| Ok(0)).unwrap();
        let refused = sd.replace_with([quad("2")], |_| {}, |store| Ok(usize::from(store.len().unwrap() == 1) * 3));
        assert!(matches!(refused, Err(StoreError::Invalid(3))));
        assert_eq!(sd.current().unwrap(), first);
        let gens = std::fs::read_dir(dir.path().join("s"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("gen-"))
            .count();
        assert_eq!(gens, 1, "the refused generation is removed");
        let store = sd.open_read_only().unwrap();
        assert!(store.contains(&quad("1")).unwrap());
    }
}
