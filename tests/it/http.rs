//! The SPARQL endpoint over real HTTP: an in-process server on port 0 and a raw HTTP/1.1 client.

use crate::http_support::{
    big_store, config, enc, metric_value, run_bounded, small_store, Conn, Req, Resp, TestServer, SILENT_QUERY, STREAMING_QUERY,
};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use oxigraph::store::Store;
use std::time::Duration;
use tokio::time::timeout;

const TOKEN: &str = "http-test-token-0123456789";

/// Collects failed checks so that one run reports all of them.
#[derive(Default)]
struct Checks(Vec<String>);

impl Checks {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn finish(self) {
        assert!(self.0.is_empty(), "{} failed checks:\n{}", self.0.len(), self.0.join("\n"));
    }
}

fn boolean(r: &Resp) -> Option<bool> {
    let format = QueryResultsFormat::from_media_type(&r.media_type())?;
    match QueryResultsParser::from_format(format).for_slice(&r.body).ok()? {
        SliceQueryResultsParserOutput::Boolean(b) => Some(b),
        SliceQueryResultsParserOutput::Solutions(_) => None,
    }
}

/// Whether a results body parses in its declared format (CSV: a header line).
fn results_parse(r: &Resp) -> Result<usize, String> {
    let media = r.media_type();
    if media == "text/csv" {
        return r
            .text()
            .lines()
            .next()
            .filter(|l| !l.is_empty())
            .map(|_| 0)
            .ok_or("empty CSV".into());
    }
    let format = QueryResultsFormat::from_media_type(&media).ok_or(format!("{media} is not a results format"))?;
    match QueryResultsParser::from_format(format)
        .for_slice(&r.body)
        .map_err(|e| e.to_string())?
    {
        SliceQueryResultsParserOutput::Boolean(_) => Err("a boolean".into()),
        SliceQueryResultsParserOutput::Solutions(rows) => {
            let mut n = 0;
            for row in rows {
                row.map_err(|e| e.to_string())?;
                n += 1;
            }
            Ok(n)
        }
    }
}

fn rdf_parse(r: &Resp) -> Result<usize, String> {
    let media = r.media_type();
    let format = RdfFormat::from_media_type(&media).ok_or(format!("{media} is not an RDF format"))?;
    let mut n = 0;
    for q in RdfParser::from_format(format).for_slice(&r.body) {
        q.map_err(|e| e.to_string())?;
        n += 1;
    }
    Ok(n)
}

fn auth(req: Req, token: &str) -> Req {
    req.header("Authorization", &format!("Bearer {token}"))
}

async fn ask(server: &TestServer, query: &str) -> Option<bool> {
    boolean(&server.send(&Req::query(query, "")).await)
}

// ---------------------------------------------------------------------------------------------------
// 2. Status codes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_codes() {
    let mut cfg = config();
    cfg.write_token = Some(TOKEN.into());
    cfg.max_uri_bytes = 1024;
    cfg.max_body_bytes = 4096;
    let server = TestServer::start(small_store(), cfg).await;
    let mut c = Checks::default();
    let form = Some("application/x-www-form-urlencoded");
    let direct = Some("application/sparql-query");

    for (what, req) in [
        ("GET query", Req::query("ASK {}", "")),
        ("POST form query", Req::post("/sparql", form, format!("query={}", enc("ASK {}")))),
        ("POST direct query", Req::post("/sparql", direct, "ASK {}")),
        (
            "POST direct query, charset=UTF-8",
            Req::post("/sparql", Some("application/sparql-query; charset=UTF-8"), "ASK {}"),
        ),
    ] {
        let r = server.send(&req).await;
        c.check(r.status() == 200 && boolean(&r) == Some(true), || {
            format!("{what}: expected 200 true; {}", r.describe())
        });
    }

    // An update by GET is refused, even with the token, and does not run.
    let before = server.state.store().len().unwrap();
    let insert = "INSERT DATA { <http://e/new> <http://e/p> <http://e/o> }";
    let r = server.send(&auth(Req::get(format!("/sparql?update={}", enc(insert))), TOKEN)).await;
    c.check(r.status() == 400, || format!("update by GET: expected 400; {}", r.describe()));
    let after = server.state.store().len().unwrap();
    c.check(before == after, || {
        format!("update by GET changed the store: {before} -> {after} quads")
    });
    c.check(ask(&server, "ASK { <http://e/new> ?p ?o }").await == Some(false), || {
        "update by GET ran".into()
    });

    for method in ["PUT", "DELETE", "PATCH"] {
        let r = server.send(&Req::new(method, format!("/sparql?query={}", enc("ASK {}")))).await;
        let allow = r.header("allow").unwrap_or("").to_owned();
        c.check(r.status() == 405 && allow.contains("GET") && allow.contains("POST"), || {
            format!("{method} /sparql: expected 405 with Allow: GET, POST; {}", r.describe())
        });
    }

    let r = server.send(&Req::post("/sparql", None, "ASK {}")).await;
    c.check(r.status() == 400, || {
        format!("POST without Content-Type: expected 400; {}", r.describe())
    });
    let r = server.send(&Req::post("/sparql", None, format!("query={}", enc("ASK {}")))).await;
    c.check(r.status() == 400, || {
        format!("form POST without Content-Type: expected 400; {}", r.describe())
    });
    let r = server.send(&Req::post("/sparql", Some("text/plain"), "ASK {}")).await;
    c.check(r.status() == 415, || format!("POST text/plain: expected 415; {}", r.describe()));

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("ASK {}".encode_utf16().flat_map(u16::to_le_bytes));
    for ct in ["application/sparql-query; charset=UTF-16", "application/sparql-query"] {
        let r = server.send(&Req::post("/sparql", Some(ct), utf16.clone())).await;
        c.check(r.status() / 100 == 4, || {
            format!("UTF-16 body with {ct}: expected 4xx; {}", r.describe())
        });
    }

    let r = server.send(&Req::query("ASK {", "")).await;
    let body = r.text();
    c.check(
        r.status() == 400
            && r.media_type() == "text/plain"
            && body.starts_with("Query syntax error: ")
            && body.trim().len() > "Query syntax error: ".len(),
        || format!("syntax error: expected 400 text/plain with the parser's message; {}", r.describe()),
    );
    let r = server
        .send(&Req::post("/sparql", Some("application/sparql-update"), "CLEAR XYZ").header("Authorization", &format!("Bearer {TOKEN}")))
        .await;
    c.check(r.status() == 400 && r.media_type() == "text/plain", || {
        format!("update syntax error: expected 400 text/plain; {}", r.describe())
    });

    let long = format!("ASK {{}} #{}", "x".repeat(2000));
    let r = server.send(&Req::query(&long, "")).await;
    c.check(r.status() == 414, || format!("over-long URI: expected 414; {}", r.describe()));
    // Long queries go by POST.
    let r = server.send(&Req::post("/sparql", direct, long.clone())).await;
    c.check(r.status() == 200, || format!("long query by POST: expected 200; {}", r.describe()));

    let big = format!("ASK {{}} #{}", "x".repeat(8192));
    let r = server.send(&Req::post("/sparql", direct, big)).await;
    c.check(r.status() == 413, || {
        format!("body over max_body_bytes: expected 413; {}", r.describe())
    });

    // Neither query nor update: the service description, not an error.
    let r = server.send(&Req::post("/sparql", form, "")).await;
    c.check(r.status() == 200, || {
        format!("empty form POST: expected the service description; {}", r.describe())
    });
    let r = server.get("/nowhere").await;
    c.check(r.status() == 404, || format!("unknown path: expected 404; {}", r.describe()));
    c.finish();
}

// ---------------------------------------------------------------------------------------------------
// 3. Content negotiation

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_negotiation() {
    let server = TestServer::start(small_store(), config()).await;
    let mut c = Checks::default();
    let select = "SELECT * WHERE { ?s ?p ?o }";
    let construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }";
    let select_cases: &[(Option<&str>, &str)] = &[
        (None, "application/sparql-results+json"),
        (Some("*/*"), "application/sparql-results+json"),
        (Some("application/sparql-results+json"), "application/sparql-results+json"),
        (Some("application/json"), "application/sparql-results+json"),
        (Some("application/sparql-results+xml"), "application/sparql-results+xml"),
        (Some("application/xml"), "application/sparql-results+xml"),
        (Some("text/csv"), "text/csv"),
        (Some("text/tab-separated-values"), "text/tab-separated-values"),
        (
            Some("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8"),
            "application/sparql-results+xml",
        ),
        (Some("text/*;q=0.5, text/tab-separated-values"), "text/tab-separated-values"),
        (Some("*/*, application/sparql-results+json;q=0"), "application/sparql-results+xml"),
    ];
    for (accept, expected) in select_cases {
        let mut req = Req::query(select, "");
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let r = server.send(&req).await;
        let parsed = results_parse(&r);
        c.check(r.status() == 200 && r.media_type() == *expected && parsed.is_ok(), || {
            format!(
                "SELECT, Accept {accept:?}: expected 200 {expected} that parses ({parsed:?}); {}",
                r.describe()
            )
        });
        c.check(r.header("vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept")), || {
            format!("SELECT, Accept {accept:?}: no Vary: Accept; {:?}", r.head.headers)
        });
    }
    let construct_cases: &[(Option<&str>, &str)] = &[
        (None, "text/turtle"),
        (Some("*/*"), "text/turtle"),
        (Some("text/turtle"), "text/turtle"),
        (Some("application/n-triples"), "application/n-triples"),
        (Some("application/rdf+xml"), "application/rdf+xml"),
        (Some("application/ld+json"), "application/ld+json"),
        (Some("application/n-quads"), "application/n-quads"),
        (Some("application/trig"), "application/trig"),
        (Some("text/turtle;q=0.1, */*"), "application/n-triples"),
        (Some("application/rdf+xml, application/xml"), "application/rdf+xml"),
        (Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), "text/html"),
    ];
    for (accept, expected) in construct_cases {
        let mut req = Req::query(construct, "");
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let r = server.send(&req).await;
        let parsed = if *expected == "text/html" { Ok(0) } else { rdf_parse(&r) };
        c.check(r.status() == 200 && r.media_type() == *expected && parsed.is_ok(), || {
            format!(
                "CONSTRUCT, Accept {accept:?}: expected 200 {expected} that parses ({parsed:?}); {}",
                r.describe()
            )
        });
        c.check(r.header("vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept")), || {
            format!("CONSTRUCT, Accept {accept:?}: no Vary: Accept; {:?}", r.head.headers)
        });
    }
    // The parsed CONSTRUCT has the store's three triples.
    let r = server
        .send(&Req::query(construct, "").header("Accept", "application/n-triples"))
        .await;
    c.check(rdf_parse(&r) == Ok(3), || {
        format!("CONSTRUCT: expected 3 triples; {}", r.describe())
    });

    // Unsatisfiable Accept: 406 listing what is offered.
    for (q, offered) in [(select, "application/sparql-results+json"), (construct, "text/turtle")] {
        let r = server.send(&Req::query(q, "").header("Accept", "image/png")).await;
        c.check(r.status() == 406 && r.text().contains(offered), || {
            format!("Accept image/png: expected 406 listing {offered}; {}", r.describe())
        });
    }
    let r = server.send(&Req::query(construct, "").header("Accept", "text/turtle;q=0")).await;
    c.check(r.status() == 406, || {
        format!("CONSTRUCT, Accept text/turtle;q=0: expected 406; {}", r.describe())
    });

    // `format` overrides Accept.
    let r = server
        .send(&Req::query(select, "&format=csv").header("Accept", "application/sparql-results+xml"))
        .await;
    c.check(r.status() == 200 && r.media_type() == "text/csv", || {
        format!("format=csv: expected text/csv; {}", r.describe())
    });
    let r = server
        .send(&Req::query(construct, "&format=nt").header("Accept", "text/turtle"))
        .await;
    c.check(r.status() == 200 && r.media_type() == "application/n-triples", || {
        format!("format=nt: expected application/n-triples; {}", r.describe())
    });

    // A browser gets the query page.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    let r = server.send(&Req::query(select, "").header("Accept", browser)).await;
    c.check(
        r.status() == 200 && r.media_type() == "text/html" && r.text().to_ascii_lowercase().contains("<html"),
        || format!("browser GET ?query: expected the HTML page; {}", r.describe()),
    );
    let r = server.send(&Req::get("/sparql").header("Accept", browser)).await;
    c.check(r.status() == 200 && r.media_type() == "text/html", || {
        format!("browser GET /sparql: expected HTML; {}", r.describe())
    });
    // ... but not when it POSTs (a script) or names a format.
    let r = server.send(&Req::query(select, "&format=json").header("Accept", browser)).await;
    c.check(r.media_type() == "application/sparql-results+json", || {
        format!("browser with format=json: {}", r.describe())
    });
    c.finish();
}

// ---------------------------------------------------------------------------------------------------
// 4. Service description

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_description() {
    let store = crate::support::data_store().clone();
    let server = TestServer::start(store, config()).await;
    let r = server.send(&Req::get("/sparql").header("Accept", "text/turtle")).await;
    assert_eq!(r.status(), 200, "{}", r.describe());
    assert_eq!(r.media_type(), "text/turtle", "{}", r.describe());
    assert!(r.header("vary").is_some_and(|v| v.contains("Accept")), "{:?}", r.head.headers);
    let sd = Store::new().unwrap();
    sd.load_from_slice(RdfFormat::Turtle, &r.body)
        .unwrap_or_else(|e| panic!("the description is not Turtle: {e}\n{}", r.text()));
    let endpoint = format!("http://{}/sparql", server.addr);
    let q = format!(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
         PREFIX void: <http://rdfs.org/ns/void#>
         SELECT ?n WHERE {{
           ?svc a sd:Service ; sd:endpoint <{endpoint}> ; sd:feature sd:UnionDefaultGraph ;
                sd:defaultDataset/sd:defaultGraph/void:triples ?n .
         }}"
    );
    let described = crate::support::tsv(&sd, &q);
    let count = server
        .send(&Req::query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "").header("Accept", "text/tab-separated-values"))
        .await;
    assert_eq!(count.status(), 200, "{}", count.describe());
    let number = |tsv: &str| -> Option<u64> {
        let line = tsv.lines().nth(1)?;
        line.trim().trim_start_matches('"').split('"').next()?.parse().ok()
    };
    let counted = number(&count.text()).unwrap_or_else(|| panic!("no count in {:?}", count.text()));
    assert!(counted > 0);
    assert_eq!(
        number(&described),
        Some(counted),
        "void:triples of the default graph (with sd:endpoint <{endpoint}> and sd:UnionDefaultGraph) vs COUNT(*):\n{described}\n{}",
        r.text()
    );
}

// ---------------------------------------------------------------------------------------------------
// 5. Timeouts

#[test]
fn a_deadline_before_the_first_byte_is_a_503() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let r = timeout(Duration::from_secs(30), server.send(&Req::query(SILENT_QUERY, "&timeout=0.5")))
            .await
            .expect("no answer within 30 s");
        assert_eq!(r.status(), 503, "{}", r.describe());
        assert!(r.header("retry-after").is_some(), "no Retry-After: {}", r.describe());
        assert_eq!(r.media_type(), "text/plain", "{}", r.describe());
        assert!(!r.text().trim().is_empty(), "no reason given");
        // The query itself stops too.
        let (ok, text) = server
            .wait_for_metrics(Duration::from_secs(10), |m| {
                metric_value(m, "unionkg_queries_in_flight") == Some(0) && metric_value(m, "unionkg_query_timeouts_total") >= Some(1)
            })
            .await;
        assert!(ok, "the query did not stop or was not counted as a timeout:\n{text}");
    })
}

#[test]
fn a_deadline_is_counted_as_a_timeout_not_a_cancellation() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let r = timeout(Duration::from_secs(30), server.send(&Req::query(SILENT_QUERY, "&timeout=0.5")))
            .await
            .expect("no answer within 30 s");
        assert_eq!(r.status(), 503, "{}", r.describe());
        let (_, text) = server
            .wait_for_metrics(Duration::from_secs(10), |m| metric_value(m, "unionkg_queries_in_flight") == Some(0))
            .await;
        assert_eq!(
            metric_value(&text, "unionkg_query_cancellations_total"),
            Some(0),
            "a deadline counted as a client disconnect (unionkg_query_cancellations_total):\n{text}"
        );
    })
}

/// Reads a streamed response to its end; the body must be cut short, never a complete 200.
async fn expect_aborted(conn: &mut Conn, head: &crate::http_support::Head) {
    assert_eq!(head.status, 200, "{head:?}");
    assert!(head.is_chunked(), "a large result should be chunked: {head:?}");
    let (body, complete) = timeout(Duration::from_secs(60), conn.read_body(head, "GET"))
        .await
        .expect("the response neither ended nor was aborted within 60 s")
        .expect("read failed");
    let tail = String::from_utf8_lossy(&body[body.len().saturating_sub(200)..]).into_owned();
    assert!(
        !complete,
        "a query past its deadline ended with a complete 200 body ({} bytes, ending {tail:?}): the connection must be aborted",
        body.len()
    );
}

#[test]
fn a_deadline_mid_stream_aborts_the_connection_slow_reader() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let mut conn = server.connect().await;
        conn.send(&Req::query(STREAMING_QUERY, "&timeout=1")).await.unwrap();
        let head = conn.read_head().await.unwrap();
        // Read nothing until well past the deadline.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        expect_aborted(&mut conn, &head).await;
    })
}

#[test]
fn a_deadline_mid_stream_aborts_the_connection_fast_reader() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let mut conn = server.connect().await;
        conn.send(&Req::query(STREAMING_QUERY, "&timeout=1")).await.unwrap();
        let head = conn.read_head().await.unwrap();
        expect_aborted(&mut conn, &head).await;
    })
}

#[test]
fn a_runaway_query_does_not_block_others() {
    run_bounded(async {
        let mut cfg = config();
        cfg.max_concurrent_queries = 2;
        cfg.timeout = Duration::from_secs(15);
        let server = TestServer::start(big_store(), cfg).await;
        let mut runaway = server.connect().await;
        runaway.send(&Req::query(SILENT_QUERY, "")).await.unwrap();
        let (running, text) = server
            .wait_for_metrics(Duration::from_secs(5), |m| metric_value(m, "unionkg_queries_in_flight") == Some(1))
            .await;
        assert!(running, "the runaway query is not running:\n{text}");
        let r = timeout(Duration::from_secs(5), server.send(&Req::query("ASK {}", "")))
            .await
            .expect("ASK {} was not answered within 5 s while a runaway query ran");
        assert_eq!(r.status(), 200, "{}", r.describe());
        assert_eq!(boolean(&r), Some(true), "{}", r.describe());
        drop(runaway);
    })
}

// ---------------------------------------------------------------------------------------------------
// 6. Disconnect cancellation

async fn expect_cancelled(server: &TestServer) {
    let (ok, text) = server
        .wait_for_metrics(Duration::from_secs(10), |m| {
            metric_value(m, "unionkg_query_cancellations_total") >= Some(1) && metric_value(m, "unionkg_queries_in_flight") == Some(0)
        })
        .await;
    assert!(ok, "the query was not cancelled after the client went away:\n{text}");
}

#[test]
fn a_disconnect_mid_stream_cancels_the_query() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let mut conn = server.connect().await;
        conn.send(&Req::query(STREAMING_QUERY, "")).await.unwrap();
        let head = conn.read_head().await.unwrap();
        assert_eq!(head.status, 200, "{head:?}");
        conn.read_at_least(1).await.unwrap();
        drop(conn);
        expect_cancelled(&server).await;
    })
}

#[test]
fn a_disconnect_before_the_first_byte_cancels_the_query() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let mut conn = server.connect().await;
        conn.send(&Req::query(SILENT_QUERY, "")).await.unwrap();
        let (running, text) = server
            .wait_for_metrics(Duration::from_secs(5), |m| metric_value(m, "unionkg_queries_in_flight") == Some(1))
            .await;
        assert!(running, "the query is not running:\n{text}");
        drop(conn);
        expect_cancelled(&server).await;
    })
}

// ---------------------------------------------------------------------------------------------------
// 7. Admission control

#[test]
fn admission_control_rejects_beyond_the_limit() {
    run_bounded(async {
        let mut cfg = config();
        cfg.max_concurrent_queries = 1;
        cfg.timeout = Duration::from_secs(20);
        let server = TestServer::start(big_store(), cfg).await;
        let mut first = server.connect().await;
        first.send(&Req::query(STREAMING_QUERY, "")).await.unwrap();
        let head = first.read_head().await.unwrap();
        assert_eq!(head.status, 200, "{head:?}");
        // The first query holds its permit while its reader does not read.
        let r = server.send(&Req::query("ASK {}", "")).await;
        assert_eq!(r.status(), 503, "{}", r.describe());
        assert!(r.header("retry-after").is_some(), "no Retry-After: {}", r.describe());
        assert_eq!(r.media_type(), "text/plain", "{}", r.describe());
        assert!(server.metric("unionkg_query_rejections_total").await >= 1);
        drop(first);
        // Once the first is gone, queries are admitted again.
        let (ok, text) = server
            .wait_for_metrics(Duration::from_secs(10), |m| metric_value(m, "unionkg_queries_in_flight") == Some(0))
            .await;
        assert!(ok, "the first query never stopped:\n{text}");
        let r = server.send(&Req::query("ASK {}", "")).await;
        assert_eq!(r.status(), 200, "{}", r.describe());
    })
}

// ---------------------------------------------------------------------------------------------------
// 8. Auth on writes, Graph Store

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token() {
    let insert = "INSERT DATA { GRAPH <http://e/g9> { <http://e/new> <http://e/p> <http://e/o> } }";
    let update = || Req::post("/sparql", Some("application/sparql-update"), insert);

    let read_only = TestServer::start(small_store(), config()).await;
    let r = read_only.send(&auth(update(), TOKEN)).await;
    assert_eq!(r.status(), 403, "read-only server: {}", r.describe());
    let r = read_only
        .send(&Req::post(
            "/sparql",
            Some("application/x-www-form-urlencoded"),
            format!("update={}", enc(insert)),
        ))
        .await;
    assert_eq!(r.status(), 403, "read-only server, form update: {}", r.describe());
    let r = read_only
        .send(
            &auth(Req::new("PUT", "/store?graph=http%3A%2F%2Fe%2Fg9"), TOKEN)
                .header("Content-Type", "text/turtle")
                .body(""),
        )
        .await;
    assert_eq!(r.status(), 403, "read-only server, Graph Store PUT: {}", r.describe());

    let mut cfg = config();
    cfg.write_token = Some(TOKEN.into());
    let server = TestServer::start(small_store(), cfg).await;
    let mut c = Checks::default();
    let r = server.send(&update()).await;
    c.check(
        r.status() == 401 && r.header("www-authenticate").is_some_and(|v| v.starts_with("Bearer")),
        || format!("no Authorization: expected 401 with WWW-Authenticate: Bearer; {}", r.describe()),
    );
    let r = server.send(&auth(update(), "wrong-token-0123456789abc")).await;
    c.check(r.status() == 403, || format!("wrong token: expected 403; {}", r.describe()));
    let r = server.send(&update().header("Authorization", "Basic dXNlcjpwYXNz")).await;
    c.check(r.status() / 100 == 4, || format!("Basic auth: expected 4xx; {}", r.describe()));
    c.check(ask(&server, "ASK { <http://e/new> ?p ?o }").await == Some(false), || {
        "a refused update ran".into()
    });
    let r = server.send(&auth(update(), TOKEN)).await;
    c.check(r.status() == 204, || format!("right token: expected 204; {}", r.describe()));
    c.check(ask(&server, "ASK { <http://e/new> ?p ?o }").await == Some(true), || {
        "the update did not change the data".into()
    });

    // Graph Store: reads open to all.
    let g0 = "/store?graph=http%3A%2F%2Fe%2Fg0";
    let r = server.get(g0).await;
    c.check(
        r.status() == 200 && r.media_type() == "text/turtle" && rdf_parse(&r) == Ok(2),
        || format!("GET {g0}: expected 200 Turtle with 2 triples; {}", r.describe()),
    );
    let r = server.send(&Req::get(g0).header("Accept", "application/n-triples")).await;
    c.check(r.status() == 200 && r.media_type() == "application/n-triples", || {
        format!("GET {g0} as N-Triples: {}", r.describe())
    });
    let missing = "/store?graph=http%3A%2F%2Fe%2Fmissing";
    let r = server.get(missing).await;
    c.check(r.status() == 404, || format!("GET {missing}: expected 404; {}", r.describe()));

    let target = "/store?graph=http%3A%2F%2Fe%2Fnew-graph";
    let ttl = "<http://e/a> <http://e/b> <http://e/c> . <http://e/a> <http://e/b> <http://e/d> .";
    let put = || Req::new("PUT", target).header("Content-Type", "text/turtle").body(ttl);
    let r = server.send(&put()).await;
    c.check(r.status() == 401, || format!("PUT without token: expected 401; {}", r.describe()));
    let r = server.send(&auth(put(), TOKEN)).await;
    c.check(r.status() == 201, || format!("first PUT: expected 201; {}", r.describe()));
    let r = server.send(&auth(put(), TOKEN)).await;
    c.check(r.status() == 204, || format!("second PUT: expected 204; {}", r.describe()));
    let r = server.get(target).await;
    c.check(r.status() == 200 && rdf_parse(&r) == Ok(2), || {
        format!("GET after PUT: expected 2 triples; {}", r.describe())
    });
    c.check(
        ask(
            &server,
            "ASK { GRAPH <http://e/new-graph> { <http://e/a> <http://e/b> <http://e/d> } }",
        )
        .await
            == Some(true),
        || "the PUT graph is not queryable".into(),
    );
    let r = server.send(&Req::new("DELETE", target)).await;
    c.check(r.status() == 401, || {
        format!("DELETE without token: expected 401; {}", r.describe())
    });
    let r = server.send(&auth(Req::new("DELETE", target), TOKEN)).await;
    c.check(r.status() == 204, || format!("DELETE: expected 204; {}", r.describe()));
    let r = server.send(&auth(Req::new("DELETE", target), TOKEN)).await;
    c.check(r.status() == 404, || format!("second DELETE: expected 404; {}", r.describe()));
    let r = server.get(target).await;
    c.check(r.status() == 404, || format!("GET after DELETE: expected 404; {}", r.describe()));
    let r = server
        .send(&auth(
            Req::new("PUT", target)
                .header("Content-Type", "text/plain; charset=utf-8")
                .body("x"),
            TOKEN,
        ))
        .await;
    c.check(r.status() / 100 == 4, || {
        format!("PUT with a non-RDF type: expected 4xx; {}", r.describe())
    });
    let r = server
        .send(&auth(
            Req::new("PUT", target).header("Content-Type", "text/turtle").body("<a> <b"),
            TOKEN,
        ))
        .await;
    c.check(r.status() == 400, || format!("PUT with bad Turtle: expected 400; {}", r.describe()));
    c.finish();
}

// ---------------------------------------------------------------------------------------------------
// 9. CORS, compression, /health, /metrics

#[test]
fn cors_compression_health_metrics() {
    run_bounded(async {
        let server = TestServer::start(big_store(), config()).await;
        let mut c = Checks::default();

        let r = server
            .send(
                &Req::new("OPTIONS", "/sparql")
                    .header("Origin", "https://example.org")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, authorization"),
            )
            .await;
        let methods = r.head.header_all("access-control-allow-methods").to_ascii_uppercase();
        let headers = r.head.header_all("access-control-allow-headers").to_ascii_lowercase();
        let vary = r.head.header_all("vary").to_ascii_lowercase();
        c.check(r.status() / 100 == 2, || format!("preflight: expected 2xx; {}", r.describe()));
        c.check(methods.contains("POST"), || {
            format!("preflight: Allow-Methods lacks POST; {:?}", r.head.headers)
        });
        c.check(headers.contains("content-type") && headers.contains("authorization"), || {
            format!("preflight: Allow-Headers lacks content-type/authorization; {:?}", r.head.headers)
        });
        c.check(vary.contains("origin"), || {
            format!("preflight: Vary lacks Origin; {:?}", r.head.headers)
        });
        c.check(r.header("access-control-allow-origin").is_some(), || {
            format!("preflight: no Allow-Origin; {:?}", r.head.headers)
        });

        let r = server.send(&Req::query("ASK {}", "").header("Origin", "https://example.org")).await;
        c.check(
            r.header("access-control-allow-origin")
                .is_some_and(|o| o == "https://example.org" || o == "*"),
            || format!("CORS GET: no Access-Control-Allow-Origin; {:?}", r.head.headers),
        );
        c.check(r.head.header_all("vary").to_ascii_lowercase().contains("origin"), || {
            format!("CORS GET: Vary lacks Origin; {:?}", r.head.headers)
        });

        let big_select = "SELECT * WHERE { ?s ?p ?o } LIMIT 20000";
        let r = server.send(&Req::query(big_select, "").header("Accept-Encoding", "gzip")).await;
        c.check(
            r.status() == 200 && r.header("content-encoding") == Some("gzip") && r.body.starts_with(&[0x1f, 0x8b]) && r.complete,
            || {
                format!(
                    "Accept-Encoding gzip: expected a complete gzip body; {:?} ({} bytes)",
                    r.head.headers,
                    r.body.len()
                )
            },
        );
        let plain = server.send(&Req::query(big_select, "")).await;
        c.check(
            plain.header("content-encoding").is_none() && results_parse(&plain) == Ok(20000),
            || format!("no Accept-Encoding: expected 20000 plain rows; {:?}", plain.head.headers),
        );
        c.check(r.body.len() < plain.body.len(), || "the gzip body is not smaller".into());

        let r = server.get("/health").await;
        c.check(r.status() == 200, || format!("/health: expected 200; {}", r.describe()));

        let r = server.get("/metrics").await;
        let text = r.text();
        c.check(r.status() == 200 && r.media_type() == "text/plain", || {
            format!("/metrics: {}", r.describe())
        });
        for name in [
            "unionkg_queries_total",
            "unionkg_updates_total",
            "unionkg_query_timeouts_total",
            "unionkg_query_rejections_total",
            "unionkg_query_cancellations_total",
            "unionkg_queries_in_flight",
        ] {
            c.check(
                metric_value(&text, name).is_some() && text.contains(&format!("# TYPE {name} ")),
                || format!("/metrics lacks {name}:\n{text}"),
            );
        }
        c.check(metric_value(&text, "unionkg_queries_total") >= Some(3), || {
            format!("queries not counted:\n{text}")
        });
        c.check(text.contains("unionkg_http_responses_total{class=\"2xx\"}"), || {
            format!("no responses by class:\n{text}")
        });
        c.finish();
    })
}

// ---------------------------------------------------------------------------------------------------
// 10. Graceful shutdown

#[test]
fn shutdown_ends_within_the_grace_period() {
    run_bounded(async {
        let mut cfg = config();
        cfg.shutdown_grace = Duration::from_millis(500);
        let server = TestServer::start(big_store(), cfg).await;
        let mut conn = server.connect().await;
        conn.send(&Req::query(STREAMING_QUERY, "")).await.unwrap();
        let head = conn.read_head().await.unwrap();
        assert_eq!(head.status, 200, "{head:?}");
        conn.read_at_least(1).await.unwrap();
        let state = server.state.clone();
        let result = server.stop(Duration::from_secs(5)).await;
        assert!(
            matches!(result, Ok(Ok(()))),
            "serve did not return within 5 s of the shutdown: {result:?}"
        );
        drop(state);
        drop(conn);
    })
}

// ---------------------------------------------------------------------------------------------------
// Empty results

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_results_are_200() {
    let server = TestServer::start(small_store(), config()).await;
    let mut c = Checks::default();
    for (query, accept) in [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://e/none> ?o }", "text/turtle"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://e/none> ?o }", "application/n-triples"),
        ("DESCRIBE <http://example.org/>", "text/turtle"),
        ("SELECT * WHERE { ?s <http://e/none> ?o }", "text/csv"),
        ("SELECT * WHERE { ?s <http://e/none> ?o }", "application/sparql-results+json"),
    ] {
        let r = server.send(&Req::query(query, "").header("Accept", accept)).await;
        c.check(r.status() == 200 && r.media_type() == accept && r.complete, || {
            format!("{query} (Accept {accept}): expected an empty 200 {accept}; {}", r.describe())
        });
    }
    c.finish();
}
