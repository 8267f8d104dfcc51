//! Content negotiation (RFC 9110 §12.5.1): one pure function, shared by every endpoint.

/// A parsed media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    params: Vec<(String, String)>,
    q: f32,
}

/// Nothing offered is acceptable; the value lists what is offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAcceptable(pub Vec<&'static str>);

fn parse_accept(header: &str) -> Vec<Range> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let (kind, subtype) = pieces.next()?.trim().split_once('/')?;
            let (kind, subtype) = (kind.trim().to_ascii_lowercase(), subtype.trim().to_ascii_lowercase());
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let mut q = 1.0;
            let mut params = Vec::new();
            for p in pieces {
                let Some((k, v)) = p.split_once('=') else { continue };
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"'));
                if k == "q" {
                    q = v.parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
                } else if k != "charset" {
                    // Every response is UTF-8, so a charset parameter never decides anything.
                    params.push((k, v.to_owned()));
                }
            }
            Some(Range { kind, subtype, params, q })
        })
        .collect()
}

/// How specifically `range` matches `offered` (higher is more specific), or `None`.
fn specificity(range: &Range, offered: &str) -> Option<u8> {
    let mut parts = offered.split(';');
    let (kind, subtype) = parts.next()?.split_once('/')?;
    let offered_params: Vec<(String, String)> = parts
        .filter_map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"').to_owned()))
        })
        .collect();
    match (range.kind.as_str(), range.subtype.as_str()) {
        ("*", "*") => Some(0),
        (k, "*") if k == kind => Some(1),
        (k, s) if k == kind && s == subtype => {
            if range.params.iter().all(|p| offered_params.contains(p)) {
                Some(2 + u8::from(!range.params.is_empty()))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Picks the index of the offered media type the client prefers.
///
/// `offered` is in the server's order of preference, which breaks ties. For each offered type the most
/// specific matching range gives its quality; `q=0` excludes. No `Accept` header (or an empty one)
/// means anything is acceptable, and the first offered type wins.
pub fn negotiate(accept: Option<&str>, offered: &[&'static str]) -> Result<usize, NotAcceptable> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => {
            return if offered.is_empty() {
                Err(NotAcceptable(Vec::new()))
            } else {
                Ok(0)
            }
        }
        Some(h) => parse_accept(h),
    };
    let mut best: Option<(usize, f32)> = None;
    for (i, o) in offered.iter().enumerate() {
        let quality = ranges
            .iter()
            .filter_map(|r| specificity(r, o).map(|s| (s, r.q)))
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(_, q)| q);
        if let Some(q) = quality.filter(|q| *q > 0.0) {
            if best.is_none_or(|(_, bq)| q > bq) {
                best = Some((i, q));
            }
        }
    }
    best.map(|(i, _)| i).ok_or_else(|| NotAcceptable(offered.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::negotiate;

    const RESULTS: &[&str] = &[
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ];
    const GRAPH: &[&str] = &["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"];

    #[test]
    fn the_table() {
        type Case<'a> = (Option<&'a str>, &'a [&'a str], Result<&'a str, ()>);
        let cases: &[Case] = &[
            (None, RESULTS, Ok("application/sparql-results+json")),
            (Some(""), GRAPH, Ok("text/turtle")),
            (Some("*/*"), GRAPH, Ok("text/turtle")),
            (Some("text/csv"), RESULTS, Ok("text/csv")),
            (Some("TEXT/CSV"), RESULTS, Ok("text/csv")),
            (Some("text/*"), RESULTS, Ok("text/csv")),
            (Some("text/*;q=0.5, text/tab-separated-values"), RESULTS, Ok("text/tab-separated-values")),
            (Some("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8"), RESULTS, Ok("application/sparql-results+xml")),
            // q is read wherever it stands among the parameters.
            (Some("text/csv;q=0.9;charset=utf-8, text/tab-separated-values;q=0.3"), RESULTS, Ok("text/csv")),
            // A parameter the offered type lacks means no match.
            (Some("text/csv;header=absent, text/tab-separated-values;q=0.3"), RESULTS, Ok("text/tab-separated-values")),
            (Some("application/sparql-results+xml;q=0.2, text/csv;q=0.3"), RESULTS, Ok("text/csv")),
            // q=0 excludes, even under a wildcard.
            (Some("*/*, application/sparql-results+json;q=0"), RESULTS, Ok("application/sparql-results+xml")),
            (Some("text/turtle;q=0"), GRAPH, Err(())),
            // The most specific range decides: text/turtle at 0.1 beats the */* at 1.0 for Turtle.
            (Some("text/turtle;q=0.1, */*"), GRAPH, Ok("application/n-triples")),
            // An LDSpider-style crawler: only RDF/XML.
            (Some("application/rdf+xml, application/xml"), GRAPH, Ok("application/rdf+xml")),
            // A browser, offered no HTML.
            (Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), GRAPH, Ok("text/turtle")),
            (Some("text/html"), GRAPH, Err(())),
            // Comunica's long list.
            (
                Some("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,*/*;q=0.1"),
                GRAPH,
                Ok("application/ld+json"),
            ),
            (Some("application/sparql-results+json;q=1.0,application/sparql-results+xml;q=0.7"), RESULTS, Ok("application/sparql-results+json")),
            // Malformed parts are ignored, not fatal.
            (Some("garbage, ;;, text/csv;q=abc, text/tab-separated-values"), RESULTS, Ok("text/tab-separated-values")),
            (Some("text/turtle;charset=utf-8"), GRAPH, Ok("text/turtle")),
            (Some("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\""), GRAPH, Err(())),
            (Some("*/*;q=0.0001"), RESULTS, Ok("application/sparql-results+json")),
        ];
        for (accept, offered, expected) in cases {
            let got = negotiate(*accept, offered).map(|i| offered[i]).map_err(|_| ());
            assert_eq!(got, *expected, "Accept: {accept:?}");
        }
    }

    #[test]
    fn not_acceptable_lists_the_offer() {
        assert_eq!(negotiate(Some("image/png"), GRAPH).unwrap_err().0, GRAPH.to_vec());
    }
}
