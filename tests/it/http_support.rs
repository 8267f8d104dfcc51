//! An in-process server on port 0 and a raw HTTP/1.1 client over `TcpStream`, for the endpoint tests.
//!
//! The client writes the request bytes itself (so a test can omit `Content-Type` or send UTF-16), always
//! sends `Connection: close`, bounds every read with a timeout, and tells a complete body from one cut
//! short (EOF or reset before the terminating zero-length chunk, or before `Content-Length` bytes).

use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::store::Store;
use std::io;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::{timeout, Instant};
use unionkg::config::BaseIri;
use unionkg::http::{AppState, ServerConfig};

/// The longest any single read may wait before the test fails.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

pub fn config() -> ServerConfig {
    ServerConfig::new(BaseIri::default())
}

/// A small store: three triples in two named graphs.
pub fn small_store() -> Store {
    let p = NamedNode::new_unchecked("http://e/p");
    let quads = (0..3).map(|i| {
        Quad::new(
            NamedNode::new_unchecked(format!("http://e/s{i}")),
            p.clone(),
            NamedNode::new_unchecked(format!("http://e/o{i}")),
            GraphName::NamedNode(NamedNode::new_unchecked(format!("http://e/g{}", i % 2))),
        )
    });
    unionkg::store::in_memory(quads).unwrap()
}

/// 200,000 triples `<http://e/s{i}> <http://e/p> <http://e/o{i % 1000}>`: joins on `?x` explode.
pub fn big_store() -> Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let p = NamedNode::new_unchecked("http://e/p");
            let quads = (0..200_000).map(|i| {
                Quad::new(
                    NamedNode::new_unchecked(format!("http://e/s{i}")),
                    p.clone(),
                    NamedNode::new_unchecked(format!("http://e/o{}", i % 1000)),
                    GraphName::DefaultGraph,
                )
            });
            unionkg::store::in_memory(quads).unwrap()
        })
        .clone()
}

/// Streams rows at once and for a very long time (4·10⁷ rows).
pub const STREAMING_QUERY: &str = "SELECT * WHERE { ?a <http://e/p> ?x . ?b <http://e/p> ?x }";
/// Produces nothing for a very long time (counts 4·10⁷ rows), yet stops soon when cancelled: the
/// `EXISTS` reads the store for every row, and Oxigraph checks its cancellation token on store reads (an
/// aggregate over a join computed in memory would run to its end, and keep the test process alive).
pub const SILENT_QUERY: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://e/p> ?x . ?b <http://e/p> ?x . FILTER EXISTS { ?a <http://e/p> ?x . ?b <http://e/p> ?x } }";

pub fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A request, written byte by byte by [`Conn::send`].
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Req {
    pub fn new(method: &str, target: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            target: target.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn get(target: impl Into<String>) -> Self {
        Self::new("GET", target)
    }

    /// `GET /sparql?query=…` (plus `extra`, already encoded, e.g. `&format=csv`).
    pub fn query(query: &str, extra: &str) -> Self {
        Self::get(format!("/sparql?query={}{extra}", enc(query)))
    }

    /// A POST with the given `Content-Type`, or none at all.
    pub fn post(target: impl Into<String>, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Self {
        let r = Self::new("POST", target).body(body);
        match content_type {
            Some(ct) => r.header("Content-Type", ct),
            None => r,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    pub fn bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n", self.method, self.target).into_bytes();
        for (k, v) in &self.headers {
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        let needs_length = self.body.is_some() || matches!(self.method.as_str(), "POST" | "PUT");
        if needs_length {
            let n = self.body.as_ref().map_or(0, Vec::len);
            out.extend_from_slice(format!("Content-Length: {n}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Some(b) = &self.body {
            out.extend_from_slice(b);
        }
        out
    }
}

/// A response head.
#[derive(Debug, Clone)]
pub struct Head {
    pub status: u16,
    /// Names lower-cased, in order.
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a header, joined with ", ".
    pub fn header_all(&self, name: &str) -> String {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The media type of `Content-Type`, lower-cased, without parameters.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    pub fn is_chunked(&self) -> bool {
        self.header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    }
}

/// A whole response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub head: Head,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// Whether the body ended as its framing says (zero chunk, `Content-Length`, or EOF if neither).
    pub complete: bool,
}

impl Resp {
    pub fn status(&self) -> u16 {
        self.head.status
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.header(name)
    }

    pub fn media_type(&self) -> String {
        self.head.media_type()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A one-line summary for assertion messages.
    pub fn describe(&self) -> String {
        let mut t = self.text();
        t.truncate(300);
        format!("{} {:?} body: {t:?}", self.head.status, self.head.headers)
    }
}

/// One connection.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
    addr: SocketAddr,
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("timed out waiting for {what}"))
}

impl Conn {
    pub async fn connect(addr: SocketAddr) -> Self {
        let stream = timeout(Duration::from_secs(10), TcpStream::connect(addr))
            .await
            .expect("connect timed out")
            .expect("connect failed");
        Self {
            stream,
            buf: Vec::new(),
            addr,
        }
    }

    pub async fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        let deadline = Instant::now() + READ_TIMEOUT;
        while !data.is_empty() {
            tokio::time::timeout_at(deadline, self.stream.writable())
                .await
                .map_err(|_| timed_out("the socket to accept the request"))??;
            match self.stream.try_write(data) {
                Ok(n) => data = &data[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub async fn send(&mut self, req: &Req) -> io::Result<()> {
        let bytes = req.bytes(self.addr);
        self.write_all(&bytes).await
    }

    /// Reads more bytes into the buffer; `Ok(0)` at EOF.
    async fn fill(&mut self, within: Duration) -> io::Result<usize> {
        let deadline = Instant::now() + within;
        let mut tmp = vec![0u8; 64 * 1024];
        loop {
            tokio::time::timeout_at(deadline, self.stream.readable())
                .await
                .map_err(|_| timed_out("response bytes"))??;
            match self.stream.try_read(&mut tmp) {
                Ok(n) => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the status line and headers.
    pub async fn read_head(&mut self) -> io::Result<Head> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 4);
                let mut lines = head.split("\r\n");
                let status_line = lines.next().unwrap_or("");
                let status = status_line
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad status line {status_line:?}")))?;
                let headers = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                return Ok(Head { status, headers });
            }
            if self.fill(READ_TIMEOUT).await? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "EOF before the response head"));
            }
        }
    }

    /// Reads a body; a reset or EOF before the framing's end gives `complete = false`.
    /// A read that times out is an error.
    pub async fn read_body(&mut self, head: &Head, method: &str) -> io::Result<(Vec<u8>, bool)> {
        if method == "HEAD" || head.status / 100 == 1 || head.status == 204 || head.status == 304 {
            return Ok((Vec::new(), true));
        }
        if head.is_chunked() {
            let mut body = Vec::new();
            loop {
                // The size line.
                let line_end = loop {
                    if let Some(i) = find(&self.buf, b"\r\n") {
                        break i;
                    }
                    if !self.more().await? {
                        return Ok((body, false));
                    }
                };
                let line = String::from_utf8_lossy(&self.buf[..line_end]).into_owned();
                let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("bad chunk size line {line:?}")))?;
                self.buf.drain(..line_end + 2);
                if size == 0 {
                    // Trailers, up to an empty line.
                    loop {
                        if let Some(i) = find(&self.buf, b"\r\n") {
                            let empty = i == 0;
                            self.buf.drain(..i + 2);
                            if empty {
                                return Ok((body, true));
                            }
                            continue;
                        }
                        if !self.more().await? {
                            return Ok((body, false));
                        }
                    }
                }
                while self.buf.len() < size + 2 {
                    if !self.more().await? {
                        let n = self.buf.len().min(size);
                        body.extend_from_slice(&self.buf[..n]);
                        return Ok((body, false));
                    }
                }
                body.extend_from_slice(&self.buf[..size]);
                self.buf.drain(..size + 2);
            }
        } else if let Some(n) = head.header("content-length").and_then(|v| v.trim().parse::<usize>().ok()) {
            while self.buf.len() < n {
                if !self.more().await? {
                    return Ok((std::mem::take(&mut self.buf), false));
                }
            }
            let body = self.buf[..n].to_vec();
            self.buf.drain(..n);
            Ok((body, true))
        } else {
            while self.more().await? {}
            Ok((std::mem::take(&mut self.buf), true))
        }
    }

    /// Reads more; `false` at EOF or on a reset (the connection was aborted).
    async fn more(&mut self) -> io::Result<bool> {
        match self.fill(READ_TIMEOUT).await {
            Ok(0) => Ok(false),
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads at least `n` raw bytes after the head (or up to EOF); returns how many are buffered.
    pub async fn read_at_least(&mut self, n: usize) -> io::Result<usize> {
        while self.buf.len() < n {
            if !self.more().await? {
                break;
            }
        }
        Ok(self.buf.len())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Sends one request on a fresh connection and reads the whole response.
pub async fn request(addr: SocketAddr, req: &Req) -> Resp {
    let mut c = Conn::connect(addr).await;
    c.send(req)
        .await
        .unwrap_or_else(|e| panic!("sending {} {}: {e}", req.method, req.target));
    let head = c
        .read_head()
        .await
        .unwrap_or_else(|e| panic!("reading the head of {} {}: {e}", req.method, req.target));
    let (body, complete) = c
        .read_body(&head, &req.method)
        .await
        .unwrap_or_else(|e| panic!("reading the body of {} {}: {e}", req.method, req.target));
    Resp { head, body, complete }
}

/// A server on `127.0.0.1:0`, shut down when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<io::Result<()>>>,
}

impl TestServer {
    pub async fn start(store: Store, config: ServerConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(store, config);
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(unionkg::http::serve(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        Self {
            addr,
            state,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub async fn send(&self, req: &Req) -> Resp {
        request(self.addr, req).await
    }

    pub async fn get(&self, target: &str) -> Resp {
        self.send(&Req::get(target)).await
    }

    pub async fn connect(&self) -> Conn {
        Conn::connect(self.addr).await
    }

    /// The value of an unlabelled metric at `/metrics`.
    pub async fn metric(&self, name: &str) -> u64 {
        let r = self.get("/metrics").await;
        assert_eq!(r.status(), 200, "{}", r.describe());
        metric_value(&r.text(), name).unwrap_or_else(|| panic!("no metric {name} in:\n{}", r.text()))
    }

    /// Polls `cond` on the metrics until it holds or `within` passes; returns the last metrics text.
    pub async fn wait_for_metrics(&self, within: Duration, cond: impl Fn(&str) -> bool) -> (bool, String) {
        let deadline = Instant::now() + within;
        loop {
            let text = self.get("/metrics").await.text();
            if cond(&text) {
                return (true, text);
            }
            if Instant::now() >= deadline {
                return (false, text);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Triggers the shutdown and waits (at most `within`) for `serve` to return.
    pub async fn stop(mut self, within: Duration) -> Result<io::Result<()>, tokio::time::error::Elapsed> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let handle = self.handle.take().unwrap();
        timeout(within, async { handle.await.expect("serve panicked") }).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn metric_value(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|v| v as u64)
}

/// Runs `f` on its own two-worker runtime and then gives the runtime's blocking threads at most 5 s to
/// end. `#[tokio::test]` would wait for them forever: a server query that never stops (a bug under test)
/// would hang the whole test binary instead of failing one test.
pub fn run_bounded<F: std::future::Future>(f: F) -> F::Output {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(f)));
    rt.shutdown_timeout(Duration::from_secs(5));
    out.unwrap_or_else(|p| std::panic::resume_unwind(p))
}
