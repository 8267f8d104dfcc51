//! Records stage: reads `data/`, checks every record, and yields a [`Dataset`] or every error found.

mod builder;
pub mod date;
pub mod model;
mod passages;
pub use passages::load_sources as load_documents;
mod raw;
mod validate;

pub use builder::is_slug;
pub use model::{Citation, Component, Kind, Label, LabelRole, Link, Location, Record, Text};
pub use passages::{split_passages, Passage, SourceDocument};

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in the data, located by file, line, record and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub file: PathBuf,
    pub line: usize,
    pub record: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl RecordError {
    pub fn new(file: &Path, line: usize, record: Option<&str>, field: &str, message: String) -> Self {
        Self {
            file: file.to_owned(),
            line,
            record: record.map(str::to_owned),
            field: Some(field.to_owned()),
            message,
        }
    }

    fn io(file: &Path, e: &std::io::Error) -> Self {
        Self {
            file: file.to_owned(),
            line: 0,
            record: None,
            field: None,
            message: format!("cannot read: {e}"),
        }
    }

    fn toml(file: &Path, text: &str, e: &toml::de::Error) -> Self {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        Self {
            file: file.to_owned(),
            line,
            record: None,
            field: None,
            message: e.message().trim().to_owned(),
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        write!(f, ":")?;
        if let Some(r) = &self.record {
            write!(f, " record '{r}'")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{} field '{field}'", if self.record.is_some() { "," } else { "" })?;
        }
        write!(
            f,
            "{} {}",
            if self.record.is_some() || self.field.is_some() { ":" } else { "" },
            self.message
        )
    }
}

impl std::error::Error for RecordError {}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Everything `data/` holds, checked.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub documents: Vec<SourceDocument>,
    pub records: Vec<Record>,
    index: HashMap<String, usize>,
}

impl Dataset {
    pub fn get(&self, id: &str) -> Option<&Record> {
        self.index.get(id).map(|&i| &self.records[i])
    }

    pub fn document(&self, id: &str) -> Option<&SourceDocument> {
        self.documents.iter().find(|d| d.id == id)
    }
}

/// Reads and checks `data_dir`: every error in every file is reported, sorted by file and line.
pub fn load(data_dir: &Path) -> Result<Dataset, Vec<RecordError>> {
    let documents = passages::load_sources(data_dir)?;
    let records_dir = data_dir.join("records");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&records_dir)
        .map_err(|e| vec![RecordError::io(&records_dir, &e)])?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut unreadable = false;
    for path in &files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(RecordError::io(path, &e));
                unreadable = true;
                continue;
            }
        };
        let raw: raw::RawFile = match toml::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                errors.push(RecordError::toml(path, &text, &e));
                unreadable = true;
                continue;
            }
        };
        let ctx = builder::FileContext {
            path,
            text: &text,
            documents: &documents,
        };
        let (ok, bad) = raw.into_records(&ctx);
        records.extend(ok);
        errors.extend(bad);
    }
    // References into a file that could not be read would all look unknown: check them once it reads.
    let index = validate::check_dataset(&records, !unreadable, &mut errors);
    errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    errors.dedup();
    if errors.is_empty() {
        Ok(Dataset { documents, records, index })
    } else {
        Err(errors)
    }
}
