//! Fixture paths, temporary data directories, the built binary, and a shared in-memory build of `data/`.

use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use unionkg::config::BaseIri;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// Whether golden files should be rewritten from the current output (`UPDATE_EXPECT=1`).
pub fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A temporary copy of the fixture dataset, with `extra` added as `records/case.toml`.
pub fn fixture_data(extra: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("data"), dir.path());
    if let Some(extra) = extra {
        std::fs::copy(extra, dir.path().join("records/case.toml")).unwrap();
    }
    dir
}

pub fn unionkg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unionkg")).args(args).output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `data/` built once into an in-memory store, shared by the tests that query it.
pub fn data_store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let base = BaseIri::default();
        let (_, quads) =
            unionkg::pipeline::load_and_map(&root().join("data"), &base).unwrap_or_else(|e| panic!("data/ does not build: {e}"));
        unionkg::store::in_memory(quads).unwrap()
    })
}

/// Query results as TSV text.
pub fn tsv(store: &Store, query: &str) -> String {
    let results = unionkg::store::query(store, query).unwrap_or_else(|e| panic!("{e}\n{query}"));
    let mut out = Vec::new();
    unionkg::store::write_results(results, "tsv", &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
