//! Mapping stage: checked records → quads. Pure and deterministic: no I/O, no store, no HTTP.

use crate::config::BaseIri;
use crate::records::date::Date;
use crate::records::{Dataset, Kind, LabelRole, Record, SourceDocument};
use crate::vocab::*;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::HashSet;

/// Everything the mapping needs besides the record itself.
pub struct MapContext<'a> {
    pub base: &'a BaseIri,
    pub dataset: &'a Dataset,
}

/// A predicate of the ontology (`tu:`) or of an external vocabulary.
#[derive(Clone, Copy)]
enum P {
    Tu(&'static str),
    Ext(NamedNodeRef<'static>),
}

/// Appends quads to an accumulator, all in one graph.
struct Sink<'a> {
    acc: &'a mut Vec<Quad>,
    graph: GraphName,
    base: &'a BaseIri,
}

impl Sink<'_> {
    fn pred(&self, p: P) -> NamedNode {
        match p {
            P::Tu(local) => self.base.term(local),
            P::Ext(n) => n.into_owned(),
        }
    }

    fn add(&mut self, s: &NamedNode, p: P, o: impl Into<Term>) {
        let p = self.pred(p);
        self.add_iri(s, p, o);
    }

    fn add_iri(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.acc
            .push(Quad::new(NamedOrBlankNode::NamedNode(s.clone()), p, o, self.graph.clone()));
    }

    fn typed(&mut self, s: &NamedNode, local: &str) {
        let class = self.base.term(local);
        self.add(s, P::Ext(RDF_TYPE), class);
    }
}

/// A language-tagged literal, or a plain string when `lang` is empty.
fn lit(value: &str, lang: &str) -> Literal {
    if lang.is_empty() {
        Literal::new_simple_literal(value)
    } else {
        // Tags were checked when the record was read.
        Literal::new_language_tagged_literal(value, lang).unwrap_or_else(|_| Literal::new_simple_literal(value))
    }
}

fn integer(v: i64) -> Literal {
    Literal::new_typed_literal(v.to_string(), XSD_INTEGER)
}

fn xsd(value: String, local: &str) -> Literal {
    Literal::new_typed_literal(value, NamedNode::new_unchecked(format!("{XSD}{local}")))
}

/// `first-contact` → `FirstContact`.
fn pascal(value: &str) -> String {
    value
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The ontology classes of a record, most specific first, and the external class it also gets.
fn classes(r: &Record) -> (Vec<&'static str>, Option<NamedNodeRef<'static>>) {
    let class = r.class.as_deref().unwrap_or("");
    match r.kind {
        Kind::Country => (vec!["Country"], Some(SCHEMA_COUNTRY)),
        Kind::Region => (vec!["Region"], Some(SCHEMA_PLACE)),
        Kind::Person => (vec!["Person"], Some(FOAF_PERSON)),
        Kind::Organisation => {
            let union = |c| (vec![c, "TradeUnionOrganisation", "Organisation"], Some(SCHEMA_WORKERS_UNION));
            match class {
                "national-centre" => union("NationalTradeUnionCentre"),
                "sectoral-union" => union("SectoralUnion"),
                "union-movement" => union("TradeUnionMovement"),
                "regional-union-organisation" => union("RegionalTradeUnionOrganisation"),
                "international-union-organisation" => union("InternationalTradeUnionOrganisation"),
                "intergovernmental" => (vec!["IntergovernmentalOrganisation", "Organisation"], Some(SCHEMA_ORGANIZATION)),
                "unit" => (vec!["OrganisationalUnit", "Organisation"], Some(FOAF_ORGANIZATION)),
                _ => (vec!["Institution", "Organisation"], Some(SCHEMA_ORGANIZATION)),
            }
        }
        Kind::Membership => (vec!["Membership"], Some(ORG_MEMBERSHIP)),
        Kind::Event => {
            let specific = match class {
                "visit" => Some("DelegationVisit"),
                "congress" => Some("Congress"),
                "conference" => Some("Conference"),
                "seminar" => Some("Seminar"),
                "exhibition" => Some("Exhibition"),
                "aid-programme" => Some("AidProgramme"),
                "expert-programme" => Some("ExpertProgramme"),
                "meeting" => Some("Meeting"),
                _ => None,
            };
            (specific.into_iter().chain(["Event"]).collect(), Some(SCHEMA_EVENT))
        }
        Kind::Relation => (vec!["BilateralRelation"], None),
        Kind::RelationChange => (vec!["RelationChange", "Event"], Some(SCHEMA_EVENT)),
        Kind::Policy => {
            let specific = match class {
                "principle-set" => Some("PrincipleSet"),
                "proposal-set" => Some("ProposalSet"),
                "slogan" => Some("Slogan"),
                _ => None,
            };
            (specific.into_iter().chain(["Policy"]).collect(), Some(SKOS_CONCEPT))
        }
        Kind::Claim => (vec!["CountingClaim"], None),
    }
}

/// The predicate a reference field maps to.
fn link_predicate(kind: Kind, field: &str) -> P {
    match (kind, field) {
        (_, "country") => P::Tu("country"),
        (_, "regions") => P::Tu("region"),
        (Kind::Region, "part-of") => P::Tu("partOfRegion"),
        (_, "part-of") => P::Tu("partOf"),
        (_, "parent") => P::Ext(ORG_SUB_ORGANIZATION_OF),
        (_, "member") => P::Ext(ORG_MEMBER),
        (_, "organisation") => P::Ext(ORG_ORGANIZATION),
        (_, "visiting") => P::Tu("visitingParty"),
        (_, "leaders") => P::Tu("delegationLeader"),
        (_, "hosts") => P::Tu("hostParty"),
        (_, "organisers") => P::Tu("organiser"),
        (_, "recipients") => P::Tu("recipient"),
        (_, "destination-countries") => P::Tu("destinationCountry"),
        (_, "destination-regions") => P::Tu("destinationRegion"),
        (_, "location") => P::Tu("location"),
        (_, "announced") => P::Tu("announced"),
        (_, "guided-by") => P::Tu("guidedBy"),
        (_, "parties") => P::Tu("party"),
        (_, "relation") => P::Tu("affectsRelation"),
        (_, "event") => P::Tu("broughtAboutBy"),
        (_, "announced-by") => P::Tu("announcedBy"),
        (_, "announced-at") => P::Tu("announcedAt"),
        (_, "applies-to") => P::Tu("appliesTo"),
        (_, "about") => P::Tu("claimAbout"),
        (_, "scope") => P::Tu("scope"),
        _ => P::Tu("participant"),
    }
}

fn text_predicate(field: &str) -> P {
    match field {
        "note" => P::Ext(SKOS_NOTE),
        "identification-note" => P::Tu("identificationNote"),
        "date-note" => P::Tu("dateNote"),
        "theme" => P::Tu("theme"),
        "reason" => P::Tu("reason"),
        "role" => P::Tu("roleName"),
        "wording" => P::Tu("wording"),
        _ => P::Tu("countedThing"),
    }
}

/// The concept a controlled value maps to, and the property that links it.
fn term_concept(field: &str, value: &str) -> (&'static str, String) {
    match field {
        "identification" => ("identificationStatus", format!("Identification{}", pascal(value))),
        "english-name" => (
            "englishNameStatus",
            format!("{}EnglishName", if value == "translation" { "Translated" } else { "Established" }),
        ),
        "status" => ("relationStatus", format!("Status{}", pascal(value))),
        "change" => ("changeType", format!("Change{}", pascal(value))),
        _ => ("countQualifier", pascal(value)),
    }
}

/// Generated labels (`en`, `zh-Hans`) for kinds that carry no names of their own.
fn generated_labels(r: &Record, ds: &Dataset) -> Vec<(String, &'static str)> {
    let name = |id: Option<&str>, lang: &str| -> String {
        id.and_then(|id| ds.get(id))
            .and_then(|t| t.name(lang).or_else(|| t.name("en")))
            .unwrap_or("?")
            .to_owned()
    };
    let first = |field: &str| r.links(field).next();
    let text = |field: &str, lang: &str| r.texts.iter().find(|t| t.field == field && t.lang == lang).map(|t| t.value.clone());
    match r.kind {
        Kind::Relation => {
            let p: Vec<&str> = r.links("parties").collect();
            let (a, b) = (p.first().copied(), p.get(1).copied());
            vec![
                (format!("Relation between {} and {}", name(a, "en"), name(b, "en")), "en"),
                (format!("{}与{}的关系", name(a, "zh-Hans"), name(b, "zh-Hans")), "zh-Hans"),
            ]
        }
        Kind::RelationChange => {
            let rel = first("relation").and_then(|id| ds.get(id));
            let rel_label = |lang| {
                rel.map(|rel| {
                    generated_labels(rel, ds)
                        .into_iter()
                        .find(|(_, l)| *l == lang)
                        .map(|(v, _)| v)
                        .unwrap_or_default()
                })
                .unwrap_or_default()
            };
            let change = r.term("change").unwrap_or("");
            let change_zh = match change {
                "first-contact" => "开始接触",
                "established" => "建立",
                "restored" => "恢复",
                "formalised" => "正式建立",
                "strengthened" => "加强",
                "never-interrupted" => "从未中断",
                "blocked" => "受阻",
                "suspended" => "中断",
                _ => "断绝",
            };
            let date = r.date("date").map(date_text).map(|d| format!(" ({d})")).unwrap_or_default();
            vec![
                (format!("{}: {}{date}", rel_label("en"), change.replace('-', " ")), "en"),
                (format!("{}：{change_zh}{date}", rel_label("zh-Hans")), "zh-Hans"),
            ]
        }
        Kind::Membership => {
            let (m, o) = (first("member"), first("organisation"));
            let role_en = text("role", "en")
                .map(|r| format!("{r} of "))
                .unwrap_or_else(|| "member of ".into());
            let role_zh = text("role", "zh-Hans").unwrap_or_else(|| "成员".into());
            vec![
                (format!("{}, {role_en}{}", name(m, "en"), name(o, "en")), "en"),
                (format!("{}：{}{role_zh}", name(m, "zh-Hans"), name(o, "zh-Hans")), "zh-Hans"),
            ]
        }
        Kind::Claim => {
            let about = first("about");
            let count = r.integers.iter().find(|(f, _)| *f == "count").map_or(0, |(_, c)| *c);
            let q = r.term("qualifier").unwrap_or("exactly");
            let q_en = match q {
                "more-than" => "more than ",
                "about" => "about ",
                "at-least" => "at least ",
                _ => "",
            };
            let counted_en = text("counted", "en").unwrap_or_default();
            let counted_zh = text("counted", "zh-Hans").unwrap_or_default();
            let zh_count = match q {
                "more-than" => format!("{count}多个"),
                "about" => format!("约{count}个"),
                "at-least" => format!("至少{count}个"),
                _ => format!("{count}个"),
            };
            vec![
                (format!("{}: {q_en}{count} {counted_en}", name(about, "en")), "en"),
                (format!("{}：{zh_count}{counted_zh}", name(about, "zh-Hans")), "zh-Hans"),
            ]
        }
        _ => Vec::new(),
    }
}

fn date_text(d: &Date) -> String {
    match (d.value, d.earliest, d.latest) {
        (Some(v), _, _) => v.to_string(),
        (None, Some(e), Some(l)) => format!("{e}/{l}"),
        (None, Some(e), None) => format!("{e}/.."),
        (None, None, Some(l)) => format!("../{l}"),
        (None, None, None) => String::new(),
    }
}

fn add_date(sink: &mut Sink<'_>, s: &NamedNode, d: &Date) {
    if let Some(v) = d.value {
        sink.add(s, P::Tu("date"), xsd(v.to_string(), v.xsd_type()));
    }
    if let Some(e) = d.earliest {
        sink.add(s, P::Tu("earliestDate"), Literal::new_typed_literal(e.to_string(), XSD_DATE));
    }
    if let Some(l) = d.latest {
        sink.add(s, P::Tu("latestDate"), Literal::new_typed_literal(l.to_string(), XSD_DATE));
    }
}

/// The OWL-Time instant for a membership's start or end, at its precision.
fn add_instant(sink: &mut Sink<'_>, r: &Record, part: &str, d: &Date, interval: &NamedNode, edge: NamedNodeRef<'static>) {
    let Some(v) = d.value else { return };
    let instant = sink.base.part(&r.id, part);
    sink.add(interval, P::Ext(edge), instant.clone());
    sink.add(&instant, P::Ext(RDF_TYPE), TIME_INSTANT);
    let prop = match v.xsd_type() {
        "gYear" => "inXSDgYear",
        "gYearMonth" => "inXSDgYearMonth",
        _ => "inXSDDate",
    };
    sink.add_iri(
        &instant,
        NamedNode::new_unchecked(format!("{TIME}{prop}")),
        xsd(v.to_string(), v.xsd_type()),
    );
}

/// Maps one record, appending its quads to `acc`.
pub fn map_record(acc: &mut Vec<Quad>, r: &Record, ctx: &MapContext<'_>) {
    let base = ctx.base;
    let s = base.id(&r.id);
    let primary = r.citations.first().map_or("records", |c| c.document.as_str());
    let mut sink = Sink {
        acc,
        graph: GraphName::NamedNode(base.graph(primary)),
        base,
    };

    let (tu_classes, external) = classes(r);
    for c in tu_classes {
        sink.typed(&s, c);
    }
    if let Some(e) = external {
        sink.add(&s, P::Ext(RDF_TYPE), e);
    }
    if r.kind == Kind::Policy {
        sink.add(&s, P::Ext(SKOS_IN_SCHEME), base.term("PolicyScheme"));
    }
    sink.add(&s, P::Ext(DCT_IDENTIFIER), Literal::new_simple_literal(&r.id));

    for l in &r.labels {
        let value = lit(&l.value, &l.lang);
        match l.role {
            LabelRole::Preferred => {
                sink.add(&s, P::Ext(SKOS_PREF_LABEL), value.clone());
                sink.add(&s, P::Ext(RDFS_LABEL), value);
            }
            LabelRole::Alternative => sink.add(&s, P::Ext(SKOS_ALT_LABEL), value),
            LabelRole::Abbreviation => {
                sink.add(&s, P::Ext(SKOS_ALT_LABEL), value.clone());
                sink.add(&s, P::Tu("abbreviation"), value);
            }
        }
    }
    for (value, lang) in generated_labels(r, ctx.dataset) {
        sink.add(&s, P::Ext(SKOS_PREF_LABEL), lit(&value, lang));
        sink.add(&s, P::Ext(RDFS_LABEL), lit(&value, lang));
    }

    for link in &r.links {
        let target = base.id(&link.target);
        sink.add(&s, link_predicate(r.kind, link.field), target.clone());
        match link.field {
            "parent" if r.class.as_deref() == Some("unit") => sink.add(&s, P::Ext(ORG_UNIT_OF), target),
            "member" => {
                if let Some(org) = r.links("organisation").next() {
                    sink.add(&target, P::Ext(ORG_MEMBER_OF), base.id(org));
                }
                sink.add(&target, P::Ext(ORG_HAS_MEMBERSHIP), s.clone());
            }
            "announced" => sink.add(&target, P::Tu("announcedAt"), s.clone()),
            "announced-at" => sink.add(&target, P::Tu("announced"), s.clone()),
            _ => {}
        }
    }
    let parties: Vec<&str> = r.links("parties").collect();
    if let [a, b] = parties[..] {
        sink.add(&base.id(a), P::Tu("hasRelationWith"), base.id(b));
        sink.add(&base.id(b), P::Tu("hasRelationWith"), base.id(a));
    }

    for (field, d) in &r.dates {
        match *field {
            "founded" | "dissolved" => {
                let p = if *field == "founded" {
                    SCHEMA_FOUNDING_DATE
                } else {
                    SCHEMA_DISSOLUTION_DATE
                };
                if let Some(v) = d.value {
                    sink.add(&s, P::Ext(p), xsd(v.to_string(), v.xsd_type()));
                }
            }
            "start" | "end" => {
                if let Some(v) = d.value {
                    sink.add(
                        &s,
                        P::Tu(if *field == "start" { "startDate" } else { "endDate" }),
                        xsd(v.to_string(), v.xsd_type()),
                    );
                }
            }
            _ => add_date(&mut sink, &s, d),
        }
    }
    if r.date("start").is_some() || r.date("end").is_some() {
        let interval = base.part(&r.id, "interval");
        sink.add(&s, P::Ext(ORG_MEMBER_DURING), interval.clone());
        sink.add(&interval, P::Ext(RDF_TYPE), TIME_PROPER_INTERVAL);
        if let Some(d) = r.date("start") {
            add_instant(&mut sink, r, "start", d, &interval, TIME_HAS_BEGINNING);
        }
        if let Some(d) = r.date("end") {
            add_instant(&mut sink, r, "end", d, &interval, TIME_HAS_END);
        }
    }

    for t in &r.texts {
        sink.add(&s, text_predicate(t.field), lit(&t.value, &t.lang));
    }
    for (field, v) in &r.integers {
        sink.add(&s, P::Tu(if *field == "ordinal" { "ordinal" } else { "statedCount" }), integer(*v));
    }
    let mut terms = r.terms.clone();
    if matches!(r.kind, Kind::Country | Kind::Organisation | Kind::Person) && r.term("identification").is_none() {
        terms.push(("identification", "confirmed".into()));
    }
    for (field, value) in &terms {
        let (prop, concept) = term_concept(field, value);
        sink.add(&s, P::Tu(prop), base.term(&concept));
    }
    if let Some(iso) = &r.iso {
        sink.add(&s, P::Ext(SKOS_NOTATION), Literal::new_simple_literal(iso));
    }
    if r.historical {
        sink.add(&s, P::Tu("historical"), Literal::new_typed_literal("true", XSD_BOOLEAN));
    }

    for (i, c) in r.components.iter().enumerate() {
        let n = i + 1;
        let comp = base.part(&r.id, &format!("component-{n}"));
        sink.add(&s, P::Tu("hasComponent"), comp.clone());
        sink.typed(&comp, "PolicyComponent");
        sink.add(&comp, P::Ext(RDF_TYPE), SKOS_CONCEPT);
        sink.add(&comp, P::Ext(DCT_IS_PART_OF), s.clone());
        sink.add(&comp, P::Tu("componentOrder"), integer(n as i64));
        for (lang, text) in &c.labels {
            sink.add(&comp, P::Tu("wording"), lit(text, lang));
        }
        for lang in ["en", "zh-Hans"] {
            if let Some(policy) = r.name(lang) {
                let label = if lang == "en" {
                    format!("{policy}, component {n}")
                } else {
                    format!("{policy}（{n}）")
                };
                sink.add(&comp, P::Ext(RDFS_LABEL), lit(&label, lang));
            }
        }
    }

    map_citations(&mut sink, r, &s);
}

/// Provenance: the passages a record is derived from, and each verbatim quote as a Web Annotation selector.
fn map_citations(sink: &mut Sink<'_>, r: &Record, s: &NamedNode) {
    let base = sink.base;
    let mut passages = HashSet::new();
    let mut documents = HashSet::new();
    for (i, c) in r.citations.iter().enumerate() {
        let passage = base.passage(&c.document, c.passage);
        if passages.insert(passage.clone()) {
            sink.add(s, P::Ext(PROV_WAS_DERIVED_FROM), passage.clone());
        }
        if documents.insert(c.document.clone()) {
            sink.add(s, P::Ext(PROV_HAD_PRIMARY_SOURCE), base.source(&c.document));
        }
        let cite = base.part(&r.id, &format!("citation-{}", i + 1));
        sink.add(s, P::Tu("citation"), cite.clone());
        // The quote itself lives in the graph of the document it is quoted from.
        let mut doc_sink = Sink {
            acc: &mut *sink.acc,
            graph: GraphName::NamedNode(base.graph(&c.document)),
            base,
        };
        let selector = base.part(&r.id, &format!("citation-{}-selector", i + 1));
        doc_sink.typed(&cite, "Citation");
        doc_sink.add(&cite, P::Ext(RDF_TYPE), OA_SPECIFIC_RESOURCE);
        doc_sink.add(&cite, P::Ext(OA_HAS_SOURCE), passage);
        doc_sink.add(&cite, P::Ext(OA_HAS_SELECTOR), selector.clone());
        doc_sink.add(&selector, P::Ext(RDF_TYPE), OA_TEXT_QUOTE_SELECTOR);
        doc_sink.add(&selector, P::Ext(OA_EXACT), Literal::new_simple_literal(&c.quote));
        if !c.prefix.is_empty() {
            doc_sink.add(&selector, P::Ext(OA_PREFIX), Literal::new_simple_literal(&c.prefix));
        }
        if !c.suffix.is_empty() {
            doc_sink.add(&selector, P::Ext(OA_SUFFIX), Literal::new_simple_literal(&c.suffix));
        }
    }
}

/// Maps a source document and its passages into the document's graph.
pub fn map_document(acc: &mut Vec<Quad>, d: &SourceDocument, base: &BaseIri) {
    let mut sink = Sink {
        acc,
        graph: GraphName::NamedNode(base.graph(&d.id)),
        base,
    };
    let doc = base.source(&d.id);
    sink.typed(&doc, "SourceDocument");
    sink.add(&doc, P::Ext(RDF_TYPE), DCT_BIBLIOGRAPHIC_RESOURCE);
    sink.add(&doc, P::Ext(DCT_IDENTIFIER), Literal::new_simple_literal(&d.id));
    for (lang, title) in &d.titles {
        sink.add(&doc, P::Ext(DCT_TITLE), lit(title, lang));
        sink.add(&doc, P::Ext(RDFS_LABEL), lit(title, lang));
    }
    sink.add(&doc, P::Ext(DCT_LANGUAGE), Literal::new_simple_literal(&d.language));
    sink.add(&doc, P::Tu("sha256"), Literal::new_simple_literal(&d.sha256));
    if let Some(note) = &d.note {
        sink.add(&doc, P::Ext(SKOS_NOTE), lit(note, "en"));
    }
    if d.descriptive_title {
        sink.add(
            &doc,
            P::Ext(SKOS_NOTE),
            lit("The text carries no title of its own; this title describes its content.", "en"),
        );
    }
    for p in &d.passages {
        let node = base.passage(&d.id, p.number);
        sink.add(&doc, P::Ext(DCT_HAS_PART), node.clone());
        sink.typed(&node, "SourcePassage");
        sink.add(&node, P::Ext(RDF_TYPE), OA_SPECIFIC_RESOURCE);
        sink.add(&node, P::Ext(OA_HAS_SOURCE), doc.clone());
        sink.add(&node, P::Ext(DCT_IS_PART_OF), doc.clone());
        sink.add(&node, P::Tu("passageNumber"), integer(p.number as i64));
        sink.add(&node, P::Tu("text"), lit(&p.text, &d.language));
        sink.add(
            &node,
            P::Ext(RDFS_LABEL),
            lit(&format!("Text {}, passage {}", d.id, p.number), "en"),
        );
        sink.add(&node, P::Ext(RDFS_LABEL), lit(&format!("文本{}第{}段", d.id, p.number), "zh-Hans"));
    }
}

/// Maps the whole dataset: documents first, then records in file order; duplicates removed.
pub fn map_dataset(ds: &Dataset, base: &BaseIri) -> Vec<Quad> {
    let ctx = MapContext { base, dataset: ds };
    let mut acc = Vec::new();
    for d in &ds.documents {
        map_document(&mut acc, d, base);
    }
    for r in &ds.records {
        map_record(&mut acc, r, &ctx);
    }
    let mut seen = HashSet::new();
    acc.retain(|q| seen.insert(q.clone()));
    acc
}
