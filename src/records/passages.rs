//! Source documents and their passages: the unique non-empty lines of each text.

use super::raw::Labels;
use super::RecordError;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    document: Vec<RawDocument>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawDocument {
    id: Spanned<String>,
    file: Spanned<String>,
    title: Labels,
    title_kind: Option<String>,
    language: String,
    note: Option<String>,
}

/// A source text split into passages.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    pub id: String,
    pub file: PathBuf,
    pub titles: Vec<(String, String)>,
    pub descriptive_title: bool,
    pub language: String,
    pub note: Option<String>,
    pub sha256: String,
    pub passages: Vec<Passage>,
}

/// One passage: its text and the 1-based lines of the file where it stands (more than one when repeated).
#[derive(Debug, Clone)]
pub struct Passage {
    pub number: usize,
    pub text: String,
    pub lines: Vec<usize>,
}

impl SourceDocument {
    pub fn passage(&self, number: usize) -> Option<&Passage> {
        number.checked_sub(1).and_then(|i| self.passages.get(i))
    }
}

/// Splits a text into passages; a repeated line is the passage it repeats.
pub fn split_passages(text: &str) -> Vec<Passage> {
    let mut passages: Vec<Passage> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(&index) = seen.get(line) {
            passages[index].lines.push(i + 1);
        } else {
            seen.insert(line, passages.len());
            passages.push(Passage {
                number: passages.len() + 1,
                text: line.to_owned(),
                lines: vec![i + 1],
            });
        }
    }
    passages
}

/// Reads `sources/sources.toml` and the texts it names.
pub fn load_sources(data_dir: &Path) -> Result<Vec<SourceDocument>, Vec<RecordError>> {
    let index = data_dir.join("sources").join("sources.toml");
    let text = std::fs::read_to_string(&index).map_err(|e| vec![RecordError::io(&index, &e)])?;
    let raw: RawSources = toml::from_str(&text).map_err(|e| vec![RecordError::toml(&index, &text, &e)])?;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for d in raw.document {
        let at = |span: std::ops::Range<usize>| super::line_of(&text, span.start);
        let path = data_dir.join("sources").join(d.file.get_ref());
        let body = match std::fs::read_to_string(&path) {
            Ok(b) => b,
            Err(e) => {
                errors.push(RecordError::new(
                    &index,
                    at(d.file.span()),
                    Some(d.id.get_ref()),
                    "file",
                    format!("cannot read {}: {e}", path.display()),
                ));
                continue;
            }
        };
        docs.push(SourceDocument {
            id: d.id.get_ref().clone(),
            file: path,
            titles: d.title.into_inner().into_iter().collect(),
            descriptive_title: d.title_kind.as_deref() == Some("descriptive"),
            language: d.language,
            note: d.note,
            sha256: format!("{:x}", Sha256::digest(body.as_bytes())),
            passages: split_passages(&body),
        });
    }
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::split_passages;

    #[test]
    fn a_repeated_line_is_one_passage() {
        let p = split_passages("one\n\ntwo\r\none\nthree\n");
        let texts: Vec<_> = p.iter().map(|p| (p.number, p.text.as_str(), p.lines.clone())).collect();
        assert_eq!(texts, vec![(1, "one", vec![1, 4]), (2, "two", vec![3]), (3, "three", vec![5])]);
    }
}
