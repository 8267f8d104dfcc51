//! Runs a prepared query on a blocking thread and streams its serialisation with bounded memory.
//!
//! The blocking side serialises into 32 KiB chunks pushed through a channel of a few slots, so a slow
//! reader slows the query instead of filling memory. One `CancellationToken` per query is cancelled at
//! the deadline and when the response is dropped (the client went away). Before the first chunk a
//! failure is an ordinary error response; after it, the body stream ends with an error, which makes
//! the server abort the connection: a client never gets a 200 whose body quietly stops.

use super::error::ApiError;
use super::formats::Output;
use super::AppState;
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults};
use oxigraph::store::Store;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::Instant;

const CHUNK: usize = 32 * 1024;

/// Why a query stopped before finishing.
#[derive(Debug)]
enum Failure {
    Deadline,
    Evaluation(String),
    Gone,
}

/// How the blocking half ended, read by the async half once the channel closes: a failure can then
/// never be lost to a full channel.
type Outcome = Arc<std::sync::Mutex<Option<Failure>>>;

fn take(outcome: &Outcome) -> Option<Failure> {
    outcome.lock().ok().and_then(|mut o| o.take())
}

/// Cancels the query when dropped: when the response body (or the handler, before the first byte) is
/// dropped because the client disconnected, the query stops at its next storage read or row.
pub struct CancelOnDrop {
    token: CancellationToken,
    finished: Arc<AtomicBool>,
    state: AppState,
}

impl CancelOnDrop {
    /// The query ended for another reason than the client leaving: cancel it without counting a disconnect.
    fn disarm(&self) {
        self.token.cancel();
        self.finished.store(true, Ordering::Release);
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if !self.finished.load(Ordering::Acquire) {
            self.token.cancel();
            self.state.metrics().cancelled_total.inc();
        }
    }
}

/// An `io::Write` that sends full chunks to the response, waiting (until the deadline) for room.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: mpsc::Sender<Bytes>,
    token: CancellationToken,
    deadline: Instant,
    runtime: tokio::runtime::Handle,
}

impl ChannelWriter {
    fn send(&mut self, chunk: Bytes) -> io::Result<()> {
        let (tx, deadline) = (self.tx.clone(), self.deadline);
        match self
            .runtime
            .block_on(async move { tokio::time::timeout_at(deadline, tx.send(chunk)).await })
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => {
                self.token.cancel();
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
            }
            Err(_) => {
                self.token.cancel();
                Err(io::Error::new(io::ErrorKind::TimedOut, "deadline"))
            }
        }
    }

    fn flush_chunk(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.send(chunk)
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.token.is_cancelled() {
            // Not `Interrupted`: `write_all` retries that kind forever.
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "cancelled"));
        }
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn classify(e: &QueryEvaluationError, token: &CancellationToken, deadline: Instant) -> Failure {
    if matches!(e, QueryEvaluationError::Cancelled) || token.is_cancelled() {
        if Instant::now() >= deadline {
            Failure::Deadline
        } else {
            Failure::Gone
        }
    } else {
        Failure::Evaluation(e.to_string())
    }
}

fn io_failure(e: &io::Error, deadline: Instant) -> Failure {
    match e.kind() {
        io::ErrorKind::TimedOut => Failure::Deadline,
        _ if Instant::now() >= deadline => Failure::Deadline,
        io::ErrorKind::BrokenPipe => Failure::Gone,
        _ => Failure::Evaluation(e.to_string()),
    }
}

/// Between rows: stop at the deadline or once cancelled (Oxigraph checks the token only when it reads
/// storage, so rows computed in memory are checked here).
fn alive(token: &CancellationToken, deadline: Instant) -> Result<(), Failure> {
    if Instant::now() >= deadline {
        token.cancel();
        return Err(Failure::Deadline);
    }
    if token.is_cancelled() {
        return Err(Failure::Gone);
    }
    Ok(())
}

/// The blocking half: evaluate, serialise row by row, report how it ended.
fn produce(store: &Store, prepared: PreparedSparqlQuery, output: Output, w: &mut ChannelWriter) -> Result<(), Failure> {
    let (token, deadline) = (w.token.clone(), w.deadline);
    let results = prepared.on_store(store).execute().map_err(|e| classify(&e, &token, deadline))?;
    match (results, output) {
        (QueryResults::Solutions(solutions), Output::Results(format)) => {
            let mut s = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut *w, solutions.variables().to_vec())
                .map_err(|e| io_failure(&e, deadline))?;
            for row in solutions {
                alive(&token, deadline)?;
                let row = row.map_err(|e| classify(&e, &token, deadline))?;
                s.serialize(&row).map_err(|e| io_failure(&e, deadline))?;
            }
            s.finish().map_err(|e| io_failure(&e, deadline))?;
        }
        (QueryResults::Boolean(b), Output::Results(format)) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut *w, b)
                .map_err(|e| io_failure(&e, deadline))?;
        }
        (QueryResults::Graph(triples), Output::Rdf(format)) => {
            let mut s = super::rdf_serializer(format).for_writer(&mut *w);
            for t in triples {
                alive(&token, deadline)?;
                let t = t.map_err(|e| classify(&e, &token, deadline))?;
                s.serialize_triple(&t).map_err(|e| io_failure(&e, deadline))?;
            }
            s.finish().map_err(|e| io_failure(&e, deadline))?;
        }
        _ => return Err(Failure::Evaluation("the output format does not fit the query form".into())),
    }
    w.flush_chunk().map_err(|e| io_failure(&e, deadline))
}

fn failure_response(f: Failure, timeout_secs: f64, state: &AppState) -> ApiError {
    match f {
        Failure::Deadline => {
            state.metrics().timeouts_total.inc();
            ApiError::unavailable(
                format!("The query was stopped at its deadline of {timeout_secs} s before producing a result"),
                1,
            )
        }
        Failure::Gone => ApiError::unavailable("The query was cancelled", 1),
        Failure::Evaluation(message) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("Query evaluation failed: {message}")),
    }
}

/// Runs `prepared` under admission control and a deadline, answering with a streamed body.
pub async fn run(
    state: &AppState,
    prepared: PreparedSparqlQuery,
    token: CancellationToken,
    output: Output,
    timeout: std::time::Duration,
) -> Result<Response, ApiError> {
    let Ok(permit) = state.limiter().clone().try_acquire_owned() else {
        state.metrics().rejected_total.inc();
        return Err(ApiError::unavailable("Too many queries are running: retry shortly", 1));
    };
    let deadline = Instant::now() + timeout;
    let finished = Arc::new(AtomicBool::new(false));
    let guard = CancelOnDrop {
        token: token.clone(),
        finished: finished.clone(),
        state: state.clone(),
    };
    let registration = state.register(token.clone());
    let (tx, mut rx) = mpsc::channel::<Bytes>(4);
    let outcome: Outcome = Arc::default();
    let store = state.store().clone();
    let runtime = tokio::runtime::Handle::current();
    let deadline_token = token.clone();
    let watchdog = tokio::spawn(async move {
        tokio::time::sleep_until(deadline).await;
        deadline_token.cancel();
    });
    let (done, result) = (finished.clone(), outcome.clone());
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let _registration = registration;
        let mut w = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            tx,
            token,
            deadline,
            runtime,
        };
        if let Err(f) = produce(&store, prepared, output, &mut w) {
            if let Ok(mut slot) = result.lock() {
                *slot = Some(f);
            }
        }
        done.store(true, Ordering::Release);
        // Dropping the writer closes the channel: the async half then reads the outcome.
    });
    let secs = timeout.as_secs_f64();
    let first = match tokio::time::timeout_at(deadline, rx.recv()).await {
        Err(_) => {
            guard.disarm();
            return Err(failure_response(Failure::Deadline, secs, state));
        }
        Ok(None) => match take(&outcome) {
            Some(f) => return Err(failure_response(f, secs, state)),
            // A serialiser that writes nothing for no results (an empty CONSTRUCT in N-Triples).
            None => Bytes::new(),
        },
        Ok(Some(chunk)) => chunk,
    };
    let mut response = match rx.try_recv() {
        // Everything fit in one chunk and the query is over: answer with a Content-Length.
        Err(mpsc::error::TryRecvError::Disconnected) if take(&outcome).is_none() => {
            watchdog.abort();
            drop(guard);
            Response::new(Body::from(first))
        }
        Err(mpsc::error::TryRecvError::Disconnected) => {
            // It failed right after its first chunk: end the body with an error rather than let it look complete.
            let failed = futures_util::stream::iter([Ok(first), Err(io::Error::other("query failed mid-stream"))]);
            Response::new(Body::from_stream(failed))
        }
        next => {
            let second = next.ok();
            let state = state.clone();
            let head = futures_util::stream::iter([Ok::<_, io::Error>(first)].into_iter().chain(second.map(Ok)));
            let rest = futures_util::stream::unfold(Some((rx, guard, watchdog, outcome)), move |s| {
                let state = state.clone();
                async move {
                    let (mut rx, guard, watchdog, outcome) = s?;
                    match rx.recv().await {
                        Some(chunk) => Some((Ok(chunk), Some((rx, guard, watchdog, outcome)))),
                        None => {
                            watchdog.abort();
                            let f = take(&outcome)?;
                            if matches!(f, Failure::Deadline) {
                                state.metrics().timeouts_total.inc();
                            }
                            tracing::warn!(failure = ?f, "query failed after the first byte: aborting the response");
                            drop(guard);
                            Some((Err(io::Error::other(format!("{f:?}"))), None))
                        }
                    }
                }
            });
            // Fused: layers such as compression may poll once more after the end.
            Response::new(Body::from_stream(futures_util::StreamExt::fuse(futures_util::StreamExt::chain(
                head, rest,
            ))))
        }
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(output.content_type()));
    Ok(response.into_response())
}
