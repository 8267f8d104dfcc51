//! Checks across records: unique ids, and references that exist and point at the right kind.

use super::model::{Kind, Record};
use super::RecordError;
use std::collections::HashMap;

/// Which kinds a reference field may point at, for a record of `kind`.
pub fn allowed_targets(kind: Kind, field: &str) -> &'static [Kind] {
    use Kind::*;
    match (kind, field) {
        (_, "country") => &[Country],
        (_, "regions" | "destination-regions" | "scope") => &[Region],
        (Region, "part-of") => &[Region],
        (Event, "part-of") => &[Event],
        (Organisation, "parent") => &[Organisation],
        (Membership, "member") => &[Person, Organisation, Country],
        (Membership, "organisation") => &[Organisation],
        (Event, "visiting" | "hosts") => &[Organisation, Person],
        (Event, "leaders") => &[Person],
        (Event, "organisers") => &[Organisation],
        (Event, "participants") => &[Organisation, Person, Country],
        (Event, "recipients") => &[Organisation, Country],
        (Event, "destination-countries") => &[Country],
        (Event, "location") => &[Country, Region],
        (Event, "announced" | "guided-by") => &[Policy],
        (Relation, "parties") => &[Organisation],
        (RelationChange, "relation") => &[Relation],
        (RelationChange, "event") => &[Event],
        (Policy, "announced-by") => &[Organisation, Person, Country],
        (Policy, "announced-at") => &[Event],
        (Policy, "applies-to") => &[Region, Country, Organisation],
        (Claim, "about") => &[Organisation],
        _ => &[],
    }
}

fn kinds_text(kinds: &[Kind]) -> String {
    let names: Vec<String> = kinds.iter().map(|k| k.with_article()).collect();
    names.join(" or ")
}

/// Builds the id index and reports duplicate ids and bad references.
pub(super) fn check_dataset(records: &[Record], check_references: bool, errors: &mut Vec<RecordError>) -> HashMap<String, usize> {
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(&first) = index.get(&r.id) {
            let f = &records[first].location;
            errors.push(RecordError::new(
                &r.location.file,
                r.location.line,
                Some(&r.id),
                "id",
                format!(
                    "duplicate id: already used by the {} at {}:{}",
                    records[first].kind.as_str(),
                    f.file.display(),
                    f.line
                ),
            ));
        } else {
            index.insert(r.id.clone(), i);
        }
    }
    for r in records.iter().filter(|_| check_references) {
        for link in &r.links {
            let allowed = allowed_targets(r.kind, link.field);
            match index.get(&link.target).map(|&i| &records[i]) {
                None => errors.push(RecordError::new(
                    &r.location.file,
                    link.line,
                    Some(&r.id),
                    link.field,
                    format!("unknown reference '{}'", link.target),
                )),
                Some(t) if !allowed.contains(&t.kind) => errors.push(RecordError::new(
                    &r.location.file,
                    link.line,
                    Some(&r.id),
                    link.field,
                    format!(
                        "'{}' is {}, but this field takes {}",
                        link.target,
                        kinds_text(&[t.kind]),
                        kinds_text(allowed)
                    ),
                )),
                Some(_) if link.target == r.id => errors.push(RecordError::new(
                    &r.location.file,
                    link.line,
                    Some(&r.id),
                    link.field,
                    "a record cannot refer to itself".into(),
                )),
                Some(_) => {}
            }
        }
    }
    index
}
