//! The validated, kind-independent form of a record that the mapping stage reads.

use super::date::Date;
use std::path::PathBuf;

/// What a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Country,
    Region,
    Organisation,
    Person,
    Membership,
    Event,
    Relation,
    RelationChange,
    Policy,
    Claim,
}

impl Kind {
    /// The table name used in record files (`[[relation-change]]`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Region => "region",
            Self::Organisation => "organisation",
            Self::Person => "person",
            Self::Membership => "membership",
            Self::Event => "event",
            Self::Relation => "relation",
            Self::RelationChange => "relation-change",
            Self::Policy => "policy",
            Self::Claim => "claim",
        }
    }

    /// The kind's name with its indefinite article, for messages ("an organisation").
    pub fn with_article(self) -> String {
        let name = self.as_str();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {name}")
    }

    /// Kinds that must carry `zh-Hans` and `en` names of their own.
    pub fn needs_names(self) -> bool {
        matches!(
            self,
            Self::Country | Self::Region | Self::Organisation | Self::Person | Self::Event | Self::Policy
        )
    }

    /// Kinds whose Chinese name must also be romanised.
    pub fn needs_pinyin(self) -> bool {
        matches!(self, Self::Country | Self::Region | Self::Organisation | Self::Person)
    }
}

/// Where a record or one of its values was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
}

/// How a label is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelRole {
    Preferred,
    Alternative,
    Abbreviation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub role: LabelRole,
    pub lang: String,
    pub value: String,
}

/// A reference from one record to another, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub field: &'static str,
    pub target: String,
    pub line: usize,
}

/// A language-tagged text held in a field (`theme`, `reason`, `role`, …); `lang` is empty for plain strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub field: &'static str,
    pub lang: String,
    pub value: String,
}

/// A passage of a source document, cited as `<document>#p<number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassageRef<'a> {
    pub document: &'a str,
    pub number: usize,
}

/// A verbatim quote from a passage, with the text around it for an unambiguous selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub document: String,
    pub passage: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub line: usize,
}

/// One ordered component of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub labels: Vec<(String, String)>,
}

/// A record that passed every per-record check; references are checked across records later.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    /// The `class` value (organisation, event and policy kinds).
    pub class: Option<String>,
    pub location: Location,
    pub labels: Vec<Label>,
    pub links: Vec<Link>,
    pub dates: Vec<(&'static str, Date)>,
    pub texts: Vec<Text>,
    pub integers: Vec<(&'static str, i64)>,
    /// Controlled values (`identification`, `status`, `change`, …) by field.
    pub terms: Vec<(&'static str, String)>,
    pub iso: Option<String>,
    pub historical: bool,
    pub components: Vec<Component>,
    pub citations: Vec<Citation>,
}

impl Record {
    /// The preferred label in a language, if the record has one.
    pub fn name(&self, lang: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|l| l.role == LabelRole::Preferred && l.lang == lang)
            .map(|l| l.value.as_str())
    }

    pub fn links<'a, 'f>(&'a self, field: &'f str) -> impl Iterator<Item = &'a str> + use<'a, 'f> {
        self.links.iter().filter(move |l| l.field == field).map(|l| l.target.as_str())
    }

    pub fn date(&self, field: &str) -> Option<&Date> {
        self.dates.iter().find(|(f, _)| *f == field).map(|(_, d)| d)
    }

    pub fn term(&self, field: &str) -> Option<&str> {
        self.terms.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str())
    }
}
