//! The W3C SPARQL 1.1 Protocol test suite (34 tests), data-driven from
//! `tests/fixtures/w3c-protocol/protocol_tests.json`, each against a fresh in-memory store and server.

use crate::http_support::{request, Req, Resp, TestServer};
use crate::support::fixtures;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use oxigraph::store::Store;
use serde_json::Value;
use std::path::PathBuf;

const TOKEN: &str = "w3c-test-token-0123456789";

fn dir() -> PathBuf {
    fixtures().join("w3c-protocol")
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The body bytes as the suite's `bodyEncoding` says (UTF-16 as Python encodes it: BOM, little-endian).
fn encode(body: &str, encoding: Option<&str>) -> Vec<u8> {
    match encoding.map(str::to_ascii_uppercase).as_deref() {
        Some("UTF-16") => {
            let mut out = vec![0xFF, 0xFE];
            for u in body.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            out
        }
        _ => body.as_bytes().to_vec(),
    }
}

fn is_update(path: &str, content_type: Option<&str>, body: Option<&str>) -> bool {
    let ct_update = content_type.is_some_and(|ct| ct.trim().to_ascii_lowercase().starts_with("application/sparql-update"));
    let query_string = path.split_once('?').map_or("", |(_, q)| q);
    let param_update = |s: &str| s.split('&').any(|p| p.starts_with("update="));
    ct_update || param_update(query_string) || body.is_some_and(param_update)
}

fn check_format(expected: &str, resp: &Resp, expected_boolean: Option<bool>) -> Result<(), String> {
    let media = resp.media_type();
    match expected {
        "boolean" | "tabular" => {
            let format = match media.as_str() {
                "application/sparql-results+xml" => QueryResultsFormat::Xml,
                "application/sparql-results+json" => QueryResultsFormat::Json,
                "text/csv" if expected == "tabular" => QueryResultsFormat::Csv,
                "text/tab-separated-values" if expected == "tabular" => QueryResultsFormat::Tsv,
                other => return Err(format!("Content-Type {other:?} is not a {expected} results format")),
            };
            if format == QueryResultsFormat::Csv {
                // Oxigraph does not parse CSV results (lossy): a header line is the least to expect.
                return if resp.text().lines().next().is_some_and(|l| !l.is_empty()) {
                    Ok(())
                } else {
                    Err("empty CSV results".into())
                };
            }
            match QueryResultsParser::from_format(format).for_slice(&resp.body) {
                Err(e) => Err(format!("the {media} body does not parse: {e}")),
                Ok(SliceQueryResultsParserOutput::Boolean(b)) => {
                    if expected != "boolean" {
                        return Err("a boolean where solutions were expected".into());
                    }
                    match expected_boolean {
                        Some(want) if want != b => Err(format!("boolean {b}, expected {want}")),
                        _ => Ok(()),
                    }
                }
                Ok(SliceQueryResultsParserOutput::Solutions(rows)) => {
                    if expected != "tabular" {
                        return Err("solutions where a boolean was expected".into());
                    }
                    for row in rows {
                        row.map_err(|e| format!("a solution does not parse: {e}"))?;
                    }
                    Ok(())
                }
            }
        }
        "RDF" => {
            let format = match media.as_str() {
                "application/rdf+xml" => RdfFormat::RdfXml,
                "text/turtle" => RdfFormat::Turtle,
                "application/n-triples" => RdfFormat::NTriples,
                other => return Err(format!("Content-Type {other:?} is not RDF/XML, Turtle or N-Triples")),
            };
            for q in RdfParser::from_format(format).for_slice(&resp.body) {
                q.map_err(|e| format!("the {media} body does not parse: {e}"))?;
            }
            Ok(())
        }
        other => Err(format!("unknown expectedFormat {other:?}")),
    }
}

/// Runs one test; `Err` says why it failed.
async fn run_test(test: &Value) -> Result<(), String> {
    let store = Store::new().map_err(|e| e.to_string())?;
    for g in test["graphData"].as_array().into_iter().flatten() {
        let (Some(file), Some(label)) = (str_field(g, "file"), str_field(g, "label")) else {
            continue;
        };
        let path = dir().join(file);
        // Entries without a file (`data0.rdf`) are never loaded, as the suite intends.
        let Ok(data) = std::fs::read(&path) else { continue };
        let graph = NamedNode::new(label).map_err(|e| e.to_string())?;
        store
            .load_from_slice(
                RdfParser::from_format(RdfFormat::NTriples)
                    .without_named_graphs()
                    .with_default_graph(graph),
                &data,
            )
            .map_err(|e| format!("loading {file}: {e}"))?;
    }
    let mut config = crate::http_support::config();
    config.write_token = Some(TOKEN.into());
    let server = TestServer::start(store, config).await;
    let requests = test["requests"].as_array().ok_or("no requests")?;
    for (i, r) in requests.iter().enumerate() {
        let method = str_field(r, "method").ok_or("no method")?;
        let raw_path = str_field(r, "path").ok_or("no path")?;
        let path = match raw_path.strip_prefix("/sparql/") {
            Some(rest) => format!("/sparql{rest}"),
            None => raw_path.to_owned(),
        };
        let content_type = r.get("headers").and_then(|h| str_field(h, "content-type"));
        let body = str_field(r, "body");
        let mut req = Req::new(method, path.clone());
        for (k, v) in r.get("headers").and_then(Value::as_object).into_iter().flatten() {
            req = req.header(k, v.as_str().unwrap_or(""));
        }
        if let Some(b) = body {
            req = req.body(encode(b, str_field(r, "bodyEncoding")));
        }
        if is_update(&path, content_type, body) {
            req = req.header("Authorization", &format!("Bearer {TOKEN}"));
        }
        let resp = request(server.addr, &req).await;
        let what = format!("request {} ({method} {path})", i + 1);
        let classes: Vec<u16> = r["expectedStatus"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str()?.strip_prefix("StatusCode")?.strip_suffix("xx")?.parse().ok())
            .collect();
        if !classes.contains(&(resp.status() / 100)) {
            return Err(format!(
                "{what}: status {}, expected {classes:?}xx; {}",
                resp.status(),
                resp.describe()
            ));
        }
        if !resp.complete {
            return Err(format!("{what}: the body was cut short"));
        }
        if let Some(format) = str_field(r, "expectedFormat") {
            let boolean = str_field(r, "expectedBoolean").map(|b| b == "true");
            check_format(format, &resp, boolean).map_err(|e| format!("{what}: {e}; {}", resp.describe()))?;
        } else if let Some(b) = str_field(r, "expectedBoolean") {
            check_format("boolean", &resp, Some(b == "true")).map_err(|e| format!("{what}: {e}; {}", resp.describe()))?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn w3c_protocol_suite() {
    let text = std::fs::read_to_string(dir().join("protocol_tests.json")).unwrap();
    let tests: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(tests.len(), 34, "the suite has 34 tests");
    let mut failures = Vec::new();
    let mut passed = 0;
    for test in &tests {
        let id = str_field(test, "id").unwrap_or("?");
        let owned = test.clone();
        // A task, so that a panic in one test (a read that times out) is reported with the others.
        let task = tokio::spawn(async move { run_test(&owned).await });
        match tokio::time::timeout(std::time::Duration::from_secs(60), task).await {
            Ok(Ok(Ok(()))) => passed += 1,
            Ok(Ok(Err(e))) => failures.push(format!("{id}: {e}")),
            Ok(Err(e)) => failures.push(format!("{id}: panicked: {e}")),
            Err(_) => failures.push(format!("{id}: timed out")),
        }
    }
    assert!(
        failures.is_empty(),
        "{passed}/{} W3C protocol tests passed; failures:\n{}",
        tests.len(),
        failures.join("\n")
    );
}
