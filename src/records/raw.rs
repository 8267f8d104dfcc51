//! The record files as written: serde types that mirror the TOML, converted once into [`Record`]s.

use super::builder::RecordBuilder;
use super::model::{Kind, Record};
use super::RecordError;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

type S = Spanned<String>;
pub(super) type Labels = Spanned<BTreeMap<String, String>>;
pub(super) type LabelLists = Spanned<BTreeMap<String, Vec<String>>>;

pub(super) const ORGANISATION_CLASSES: &[&str] = &[
    "national-centre",
    "sectoral-union",
    "union-movement",
    "regional-union-organisation",
    "international-union-organisation",
    "intergovernmental",
    "institution",
    "unit",
];
pub(super) const EVENT_CLASSES: &[&str] = &[
    "visit",
    "congress",
    "conference",
    "seminar",
    "exhibition",
    "aid-programme",
    "expert-programme",
    "meeting",
    "other",
];
pub(super) const POLICY_CLASSES: &[&str] = &["policy", "principle-set", "proposal-set", "slogan"];
pub(super) const IDENTIFICATION: &[&str] = &["confirmed", "probable", "uncertain", "unidentified"];
pub(super) const ENGLISH_NAME: &[&str] = &["established", "translation"];
pub(super) const RELATION_STATUS: &[&str] = &["friendly", "contact", "none", "suspended"];
pub(super) const CHANGES: &[&str] = &[
    "first-contact",
    "established",
    "restored",
    "formalised",
    "strengthened",
    "never-interrupted",
    "blocked",
    "suspended",
    "broken",
];
pub(super) const QUALIFIERS: &[&str] = &["more-than", "exactly", "about", "at-least"];

/// One record file: an array of tables per kind.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    country: Vec<RawCountry>,
    #[serde(default)]
    region: Vec<RawRegion>,
    #[serde(default)]
    organisation: Vec<RawOrganisation>,
    #[serde(default)]
    person: Vec<RawPerson>,
    #[serde(default)]
    membership: Vec<RawMembership>,
    #[serde(default)]
    event: Vec<RawEvent>,
    #[serde(default)]
    relation: Vec<RawRelation>,
    #[serde(default)]
    relation_change: Vec<RawRelationChange>,
    #[serde(default)]
    policy: Vec<RawPolicy>,
    #[serde(default)]
    claim: Vec<RawClaim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub passage: S,
    pub quote: S,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawCountry {
    id: S,
    name: Labels,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    iso: Option<S>,
    #[serde(default)]
    historical: bool,
    #[serde(default)]
    regions: Vec<S>,
    identification: Option<S>,
    identification_note: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawRegion {
    id: S,
    name: Labels,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    part_of: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawOrganisation {
    id: S,
    name: Labels,
    class: S,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    country: Option<S>,
    #[serde(default)]
    regions: Vec<S>,
    parent: Option<S>,
    founded: Option<S>,
    dissolved: Option<S>,
    identification: Option<S>,
    identification_note: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawPerson {
    id: S,
    name: Labels,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    country: Option<S>,
    identification: Option<S>,
    identification_note: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawMembership {
    id: S,
    member: S,
    organisation: S,
    role: Option<Labels>,
    start: Option<S>,
    end: Option<S>,
    date: Option<S>,
    date_note: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawEvent {
    id: S,
    name: Labels,
    class: S,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    date: Option<S>,
    date_note: Option<S>,
    #[serde(default)]
    visiting: Vec<S>,
    #[serde(default)]
    leaders: Vec<S>,
    #[serde(default)]
    hosts: Vec<S>,
    #[serde(default)]
    organisers: Vec<S>,
    #[serde(default)]
    participants: Vec<S>,
    #[serde(default)]
    recipients: Vec<S>,
    #[serde(default)]
    destination_countries: Vec<S>,
    #[serde(default)]
    destination_regions: Vec<S>,
    location: Option<S>,
    part_of: Option<S>,
    ordinal: Option<Spanned<i64>>,
    theme: Option<Labels>,
    #[serde(default)]
    announced: Vec<S>,
    #[serde(default)]
    guided_by: Vec<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawRelation {
    id: S,
    parties: Spanned<Vec<S>>,
    status: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawRelationChange {
    id: S,
    relation: S,
    change: S,
    date: Option<S>,
    date_note: Option<S>,
    reason: Option<Labels>,
    event: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawPolicy {
    id: S,
    name: Labels,
    class: S,
    english_name: Option<S>,
    alt_names: Option<LabelLists>,
    abbr: Option<LabelLists>,
    wording: Option<S>,
    wording_en: Option<S>,
    #[serde(default)]
    announced_by: Vec<S>,
    announced_at: Option<S>,
    date: Option<S>,
    date_note: Option<S>,
    #[serde(default)]
    applies_to: Vec<S>,
    #[serde(default)]
    components: Vec<Spanned<BTreeMap<String, String>>>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawClaim {
    id: S,
    about: S,
    count: Spanned<i64>,
    qualifier: S,
    counted: Labels,
    scope: Option<S>,
    date: Option<S>,
    date_note: Option<S>,
    note: Option<S>,
    sources: Vec<RawSource>,
}

impl RawFile {
    /// Converts every record of the file, collecting all errors rather than stopping at the first.
    pub(super) fn into_records(self, b: &super::builder::FileContext<'_>) -> (Vec<Record>, Vec<RecordError>) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let mut push = |r: Result<Record, Vec<RecordError>>| match r {
            Ok(r) => out.push(r),
            Err(e) => errors.extend(e),
        };
        for r in self.country {
            let mut rb = RecordBuilder::new(b, Kind::Country, &r.id);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.iso(r.iso.as_ref());
            rb.historical(r.historical);
            rb.links("regions", &r.regions);
            rb.identification(r.identification.as_ref(), r.identification_note.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.region {
            let mut rb = RecordBuilder::new(b, Kind::Region, &r.id);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.link("part-of", r.part_of.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.organisation {
            let mut rb = RecordBuilder::new(b, Kind::Organisation, &r.id);
            rb.class(&r.class, ORGANISATION_CLASSES);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.link("country", r.country.as_ref());
            rb.links("regions", &r.regions);
            rb.link("parent", r.parent.as_ref());
            rb.single_date("founded", r.founded.as_ref());
            rb.single_date("dissolved", r.dissolved.as_ref());
            rb.identification(r.identification.as_ref(), r.identification_note.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.person {
            let mut rb = RecordBuilder::new(b, Kind::Person, &r.id);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.link("country", r.country.as_ref());
            rb.identification(r.identification.as_ref(), r.identification_note.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.membership {
            let mut rb = RecordBuilder::new(b, Kind::Membership, &r.id);
            rb.link("member", Some(&r.member));
            rb.link("organisation", Some(&r.organisation));
            rb.texts("role", r.role.as_ref());
            rb.single_date("start", r.start.as_ref());
            rb.single_date("end", r.end.as_ref());
            rb.date("date", r.date.as_ref(), r.date_note.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.event {
            let mut rb = RecordBuilder::new(b, Kind::Event, &r.id);
            rb.class(&r.class, EVENT_CLASSES);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.date("date", r.date.as_ref(), r.date_note.as_ref());
            for (field, list) in [
                ("visiting", &r.visiting),
                ("leaders", &r.leaders),
                ("hosts", &r.hosts),
                ("organisers", &r.organisers),
                ("participants", &r.participants),
                ("recipients", &r.recipients),
                ("destination-countries", &r.destination_countries),
                ("destination-regions", &r.destination_regions),
                ("announced", &r.announced),
                ("guided-by", &r.guided_by),
            ] {
                rb.links(field, list);
            }
            rb.link("location", r.location.as_ref());
            rb.link("part-of", r.part_of.as_ref());
            rb.integer("ordinal", r.ordinal.as_ref(), 1);
            rb.texts("theme", r.theme.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.relation {
            let mut rb = RecordBuilder::new(b, Kind::Relation, &r.id);
            rb.parties(&r.parties);
            rb.term("status", r.status.as_ref(), RELATION_STATUS);
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.relation_change {
            let mut rb = RecordBuilder::new(b, Kind::RelationChange, &r.id);
            rb.link("relation", Some(&r.relation));
            rb.term("change", Some(&r.change), CHANGES);
            rb.date("date", r.date.as_ref(), r.date_note.as_ref());
            rb.texts("reason", r.reason.as_ref());
            rb.link("event", r.event.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.policy {
            let mut rb = RecordBuilder::new(b, Kind::Policy, &r.id);
            rb.class(&r.class, POLICY_CLASSES);
            rb.naming(Some(&r.name), r.english_name.as_ref(), r.alt_names.as_ref(), r.abbr.as_ref());
            rb.text("wording", "zh-Hans", r.wording.as_ref());
            rb.text("wording", "en", r.wording_en.as_ref());
            rb.links("announced-by", &r.announced_by);
            rb.link("announced-at", r.announced_at.as_ref());
            rb.date("date", r.date.as_ref(), r.date_note.as_ref());
            rb.links("applies-to", &r.applies_to);
            rb.components(&r.components);
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        for r in self.claim {
            let mut rb = RecordBuilder::new(b, Kind::Claim, &r.id);
            rb.link("about", Some(&r.about));
            rb.integer("count", Some(&r.count), 0);
            rb.term("qualifier", Some(&r.qualifier), QUALIFIERS);
            rb.texts("counted", Some(&r.counted));
            rb.link("scope", r.scope.as_ref());
            rb.date("date", r.date.as_ref(), r.date_note.as_ref());
            rb.note(r.note.as_ref());
            push(rb.finish(&r.sources));
        }
        (out, errors)
    }
}
