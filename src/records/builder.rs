//! Per-record checks while converting a raw record: slugs, labels, dates, controlled values, quotes.

use super::date::Date;
use super::model::{Citation, Component, Kind, Label, LabelRole, Link, Location, Record, Text};
use super::passages::SourceDocument;
use super::raw::{LabelLists, Labels, RawSource, ENGLISH_NAME, IDENTIFICATION};
use super::{line_of, RecordError};
use oxigraph::model::Literal;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The file being converted: its path and text (for line numbers) and the passages quotes are checked against.
pub(super) struct FileContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub documents: &'a [SourceDocument],
}

impl FileContext<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        line_of(self.text, span.start)
    }
}

/// Accumulates one record and every problem found in it.
pub(super) struct RecordBuilder<'a> {
    ctx: &'a FileContext<'a>,
    record: Record,
    errors: Vec<RecordError>,
}

/// Whether `id` is a slug: lower-case ASCII letters, digits and single hyphens, starting with a letter.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl<'a> RecordBuilder<'a> {
    pub fn new(ctx: &'a FileContext<'a>, kind: Kind, id: &Spanned<String>) -> Self {
        let line = ctx.line(id.span());
        let record = Record {
            id: id.get_ref().clone(),
            kind,
            class: None,
            location: Location {
                file: ctx.path.to_owned(),
                line,
            },
            labels: Vec::new(),
            links: Vec::new(),
            dates: Vec::new(),
            texts: Vec::new(),
            integers: Vec::new(),
            terms: Vec::new(),
            iso: None,
            historical: false,
            components: Vec::new(),
            citations: Vec::new(),
        };
        let mut b = Self {
            ctx,
            record,
            errors: Vec::new(),
        };
        if !is_slug(id.get_ref()) {
            b.error(id.span(), "id", format!("'{}' is not a valid id: use lower-case letters, digits and single hyphens, starting with a letter, at most 64 characters", id.get_ref()));
        }
        b
    }

    fn error(&mut self, span: Range<usize>, field: &str, message: String) {
        let line = self.ctx.line(span);
        self.errors
            .push(RecordError::new(self.ctx.path, line, Some(&self.record.id), field, message));
    }

    fn check_text(&mut self, span: Range<usize>, field: &str, value: &str) -> bool {
        if value.trim().is_empty() {
            self.error(span, field, "must not be empty".into());
            false
        } else if value.trim() != value {
            self.error(span, field, format!("'{value}' has leading or trailing spaces"));
            false
        } else {
            true
        }
    }

    fn check_lang(&mut self, span: Range<usize>, field: &str, lang: &str) -> bool {
        if Literal::new_language_tagged_literal("x", lang).is_err() {
            self.error(span, field, format!("'{lang}' is not a BCP 47 language tag"));
            return false;
        }
        true
    }

    fn labels(&mut self, role: LabelRole, field: &str, map: &BTreeMap<String, String>, span: Range<usize>) {
        for (lang, value) in map {
            let f = format!("{field}.{lang}");
            if self.check_lang(span.clone(), &f, lang) && self.check_text(span.clone(), &f, value) {
                self.record.labels.push(Label {
                    role,
                    lang: lang.clone(),
                    value: value.clone(),
                });
            }
        }
    }

    fn label_lists(&mut self, role: LabelRole, field: &str, lists: Option<&LabelLists>) {
        let Some(lists) = lists else { return };
        for (lang, values) in lists.get_ref() {
            for v in values {
                let f = format!("{field}.{lang}");
                if self.check_lang(lists.span(), &f, lang) && self.check_text(lists.span(), &f, v) {
                    self.record.labels.push(Label {
                        role,
                        lang: lang.clone(),
                        value: v.clone(),
                    });
                }
            }
        }
    }

    /// Preferred, alternative and abbreviated names; `zh-Hans`, `en` (and pinyin where needed) are required.
    pub fn naming(
        &mut self,
        name: Option<&Labels>,
        english: Option<&Spanned<String>>,
        alt: Option<&LabelLists>,
        abbr: Option<&LabelLists>,
    ) {
        if let Some(name) = name {
            self.labels(LabelRole::Preferred, "name", name.get_ref(), name.span());
            let kind = self.record.kind;
            let mut required = vec!["zh-Hans", "en"];
            if kind.needs_pinyin() {
                required.push("zh-Latn-pinyin");
            }
            for lang in required {
                if !name.get_ref().contains_key(lang) {
                    self.error(
                        name.span(),
                        &format!("name.{lang}"),
                        format!("{} needs a name in {lang}", kind.with_article()),
                    );
                }
            }
        }
        self.term("english-name", english, ENGLISH_NAME);
        self.label_lists(LabelRole::Alternative, "alt-names", alt);
        self.label_lists(LabelRole::Abbreviation, "abbr", abbr);
    }

    pub fn class(&mut self, class: &Spanned<String>, allowed: &[&str]) {
        if allowed.contains(&class.get_ref().as_str()) {
            self.record.class = Some(class.get_ref().clone());
        } else {
            self.error(
                class.span(),
                "class",
                format!("'{}' is not one of: {}", class.get_ref(), allowed.join(", ")),
            );
        }
    }

    pub fn term(&mut self, field: &'static str, value: Option<&Spanned<String>>, allowed: &[&str]) {
        let Some(value) = value else { return };
        if allowed.contains(&value.get_ref().as_str()) {
            self.record.terms.push((field, value.get_ref().clone()));
        } else {
            self.error(
                value.span(),
                field,
                format!("'{}' is not one of: {}", value.get_ref(), allowed.join(", ")),
            );
        }
    }

    pub fn identification(&mut self, status: Option<&Spanned<String>>, note: Option<&Spanned<String>>) {
        self.term("identification", status, IDENTIFICATION);
        let doubtful = status.is_some_and(|s| s.get_ref() != "confirmed");
        if doubtful && note.is_none() {
            self.error(
                status.map(|s| s.span()).unwrap_or_default(),
                "identification-note",
                "an identification that is not confirmed needs a note explaining the doubt".into(),
            );
        }
        self.text("identification-note", "en", note);
    }

    pub fn link(&mut self, field: &'static str, target: Option<&Spanned<String>>) {
        if let Some(t) = target {
            let line = self.ctx.line(t.span());
            self.record.links.push(Link {
                field,
                target: t.get_ref().clone(),
                line,
            });
        }
    }

    pub fn links(&mut self, field: &'static str, targets: &[Spanned<String>]) {
        for t in targets {
            self.link(field, Some(t));
        }
    }

    pub fn parties(&mut self, parties: &Spanned<Vec<Spanned<String>>>) {
        let list = parties.get_ref();
        if list.len() != 2 || list[0].get_ref() == list[1].get_ref() {
            self.error(
                parties.span(),
                "parties",
                format!("a relation needs exactly two different parties, found {}", list.len()),
            );
        }
        self.links("parties", list);
    }

    fn push_date(&mut self, field: &'static str, value: Option<&Spanned<String>>, parse: fn(&str) -> Result<Date, String>) {
        let Some(v) = value else { return };
        match parse(v.get_ref()) {
            Ok(d) => self.record.dates.push((field, d)),
            Err(e) => self.error(v.span(), field, format!("malformed date {e}")),
        }
    }

    pub fn date(&mut self, field: &'static str, value: Option<&Spanned<String>>, note: Option<&Spanned<String>>) {
        self.push_date(field, value, Date::parse);
        self.text("date-note", "", note);
    }

    pub fn single_date(&mut self, field: &'static str, value: Option<&Spanned<String>>) {
        self.push_date(field, value, Date::parse_single);
    }

    pub fn integer(&mut self, field: &'static str, value: Option<&Spanned<i64>>, min: i64) {
        let Some(v) = value else { return };
        if *v.get_ref() < min {
            self.error(v.span(), field, format!("{} is below the minimum {min}", v.get_ref()));
        } else {
            self.record.integers.push((field, *v.get_ref()));
        }
    }

    pub fn text(&mut self, field: &'static str, lang: &str, value: Option<&Spanned<String>>) {
        let Some(v) = value else { return };
        if self.check_text(v.span(), field, v.get_ref()) {
            self.record.texts.push(Text {
                field,
                lang: lang.into(),
                value: v.get_ref().clone(),
            });
        }
    }

    pub fn texts(&mut self, field: &'static str, value: Option<&Labels>) {
        let Some(v) = value else { return };
        for (lang, text) in v.get_ref() {
            let f = format!("{field}.{lang}");
            if self.check_lang(v.span(), &f, lang) && self.check_text(v.span(), &f, text) {
                self.record.texts.push(Text {
                    field,
                    lang: lang.clone(),
                    value: text.clone(),
                });
            }
        }
    }

    pub fn note(&mut self, note: Option<&Spanned<String>>) {
        self.text("note", "en", note);
    }

    pub fn iso(&mut self, iso: Option<&Spanned<String>>) {
        let Some(iso) = iso else { return };
        let code = iso.get_ref();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
            self.record.iso = Some(code.clone());
        } else {
            self.error(iso.span(), "iso", format!("'{code}' is not an ISO 3166-1 alpha-2 code"));
        }
    }

    pub fn historical(&mut self, historical: bool) {
        self.record.historical = historical;
    }

    pub fn components(&mut self, components: &[Spanned<BTreeMap<String, String>>]) {
        for c in components {
            let mut labels = Vec::new();
            for (lang, text) in c.get_ref() {
                if self.check_lang(c.span(), "components", lang) && self.check_text(c.span(), "components", text) {
                    labels.push((lang.clone(), text.clone()));
                }
            }
            if !c.get_ref().contains_key("zh-Hans") {
                self.error(c.span(), "components", "each component needs its zh-Hans wording".into());
            }
            self.record.components.push(Component { labels });
        }
    }

    /// Checks each citation against its passage and finishes the record.
    pub fn finish(mut self, sources: &[RawSource]) -> Result<Record, Vec<RecordError>> {
        if sources.is_empty() {
            let line = self.record.location.line;
            self.errors.push(RecordError::new(
                self.ctx.path,
                line,
                Some(&self.record.id),
                "sources",
                "every record cites at least one passage".into(),
            ));
        }
        for s in sources {
            self.citation(s);
        }
        if self.errors.is_empty() {
            Ok(self.record)
        } else {
            Err(self.errors)
        }
    }

    fn citation(&mut self, s: &RawSource) {
        let reference = s.passage.get_ref();
        let Some((doc_id, number)) = reference.split_once("#p").and_then(|(d, n)| Some((d, n.parse::<usize>().ok()?))) else {
            self.error(
                s.passage.span(),
                "sources.passage",
                format!("'{reference}' is not a passage reference like \"a#p12\""),
            );
            return;
        };
        let Some(doc) = self.ctx.documents.iter().find(|d| d.id == doc_id) else {
            self.error(
                s.passage.span(),
                "sources.passage",
                format!("'{reference}': there is no source document '{doc_id}'"),
            );
            return;
        };
        let Some(passage) = doc.passage(number) else {
            self.error(
                s.passage.span(),
                "sources.passage",
                format!("'{reference}': document '{doc_id}' has {} passages", doc.passages.len()),
            );
            return;
        };
        let quote = s.quote.get_ref();
        let Some(at) = (!quote.is_empty()).then(|| passage.text.find(quote.as_str())).flatten() else {
            self.error(
                s.quote.span(),
                "sources.quote",
                format!("the quote is not in passage {reference}: \"{quote}\""),
            );
            return;
        };
        let before: Vec<char> = passage.text[..at].chars().collect();
        let prefix: String = before[before.len().saturating_sub(16)..].iter().collect();
        let suffix: String = passage.text[at + quote.len()..].chars().take(16).collect();
        let line = self.ctx.line(s.quote.span());
        self.record.citations.push(Citation {
            document: doc_id.to_owned(),
            passage: number,
            quote: quote.clone(),
            prefix,
            suffix,
            line,
        });
    }
}
