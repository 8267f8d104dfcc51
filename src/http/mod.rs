//! HTTP stage: the SPARQL 1.1 endpoint and Graph Store on the store; translates, does not decide.
//!
//! `router(state)` builds the routes; `serve(listener, state, shutdown)` runs them on a bound listener.
//! Store work never runs on the async executor: queries go through `execute`, writes through
//! `spawn_blocking`.

pub mod conneg;
mod error;
mod execute;
pub mod formats;
mod graph_store;
mod metrics;
pub mod protocol;
mod service;
mod sparql;

pub use error::ApiError;

use crate::config::BaseIri;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::CancellationToken;
use oxigraph::store::Store;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The longest a query may run; clients may ask for less with `timeout`.
    pub timeout: Duration,
    pub max_concurrent_queries: usize,
    /// The bearer token that allows updates and Graph Store writes; `None` = read-only.
    pub write_token: Option<String>,
    pub max_body_bytes: usize,
    pub max_uri_bytes: usize,
    /// The base IRI of the data (for the examples and, later, the Linked Data pages).
    pub base: BaseIri,
    /// How long shutdown waits for in-flight requests before cancelling them.
    pub shutdown_grace: Duration,
}

impl ServerConfig {
    pub fn new(base: BaseIri) -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_concurrent_queries: 4,
            write_token: None,
            max_body_bytes: 16 * 1024 * 1024,
            max_uri_bytes: 16 * 1024,
            base,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

struct Inner {
    store: Store,
    config: ServerConfig,
    limiter: Arc<Semaphore>,
    metrics: metrics::Metrics,
    running: Mutex<HashMap<u64, CancellationToken>>,
    next_id: AtomicU64,
}

/// Shared by every handler: a cheap clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// Unregisters a running query's token when dropped.
pub struct Registration {
    state: AppState,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.state.0.running.lock().map(|mut m| m.remove(&self.id)).ok();
    }
}

impl AppState {
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let limiter = Arc::new(Semaphore::new(config.max_concurrent_queries.max(1)));
        Self(Arc::new(Inner {
            store,
            config,
            limiter,
            metrics: Default::default(),
            running: Mutex::default(),
            next_id: AtomicU64::new(0),
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    fn limiter(&self) -> &Arc<Semaphore> {
        &self.0.limiter
    }

    fn metrics(&self) -> &metrics::Metrics {
        &self.0.metrics
    }

    fn register(&self, token: CancellationToken) -> Registration {
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed);
        self.0.running.lock().map(|mut m| m.insert(id, token)).ok();
        Registration { state: self.clone(), id }
    }

    fn in_flight(&self) -> usize {
        self.0.running.lock().map_or(0, |m| m.len())
    }

    /// Queries cancelled (deadline, client gone) whose evaluation has not stopped yet: Oxigraph checks
    /// cancellation when it reads the store, so a long step that reads nothing runs on until its next read.
    /// Each keeps its admission permit meanwhile, which bounds the CPU such queries can take.
    fn overrunning(&self) -> usize {
        self.0.running.lock().map_or(0, |m| m.values().filter(|t| t.is_cancelled()).count())
    }

    /// Cancels every running query (at the end of a graceful shutdown).
    pub fn cancel_all(&self) {
        if let Ok(m) = self.0.running.lock() {
            for t in m.values() {
                t.cancel();
            }
        }
    }
}

/// A serializer with the usual prefixes.
fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    crate::store::serializer(format, None)
}

/// The public origin of this server as the client sees it (`http://host:port`).
fn origin(headers: &HeaderMap) -> String {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or("").trim().to_owned())
    };
    let proto = get("x-forwarded-proto")
        .filter(|p| p == "https" || p == "http")
        .unwrap_or_else(|| "http".into());
    let host = get("x-forwarded-host")
        .or_else(|| get("host"))
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)));
    format!("{proto}://{}", host.unwrap_or_else(|| "localhost".into()))
}

async fn health(State(state): State<AppState>) -> Response {
    let ok = tokio::task::spawn_blocking(move || state.store().is_empty().is_ok())
        .await
        .unwrap_or(false);
    if ok {
        ([(header::CONTENT_TYPE, "application/json")], "{\"status\":\"ok\"}\n").into_response()
    } else {
        ApiError::unavailable("the store does not answer", 5).into_response()
    }
}

async fn metrics_page(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics().render(state.in_flight(), state.overrunning()),
    )
        .into_response()
}

/// Logs one structured line per request and feeds the metrics.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let response = next.run(request).await;
    let elapsed = start.elapsed().as_secs_f64();
    state.metrics().observe(response.status().as_u16(), elapsed);
    tracing::info!(target: "access", %method, %path, status = response.status().as_u16(), ms = elapsed * 1000.0);
    response
}

async fn not_found() -> ApiError {
    ApiError::not_found("Nothing here. The SPARQL endpoint is /sparql.")
}

fn cors() -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT_LANGUAGE])
        .expose_headers([header::CONTENT_TYPE, header::RETRY_AFTER, header::LOCATION, header::CONTENT_LENGTH])
        .max_age(Duration::from_secs(86400))
}

/// All routes, with CORS, compression, limits and access logs.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config().max_body_bytes;
    Router::new()
        .route("/sparql", get(sparql::endpoint).post(sparql::endpoint).fallback(sparql::endpoint))
        .route("/sparql/", get(sparql::endpoint).post(sparql::endpoint).fallback(sparql::endpoint))
        .route("/sparql/examples", get(sparql::examples))
        .route("/store", get(graph_store::handle).fallback(graph_store::handle))
        .route("/assets/{file}", get(sparql::asset))
        .route("/health", get(health))
        .route("/metrics", get(metrics_page))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .layer(DefaultBodyLimit::max(body_limit))
        // A client trickling its request body is cut off (408) instead of holding a connection forever.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(Duration::from_secs(30)))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(cors())
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, then lets in-flight requests finish
/// for `shutdown_grace` and cancels the queries still running.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    let app = router(state.clone());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            // A client that takes longer than this to send its request head is dropped.
            .header_read_timeout(Duration::from_secs(10))
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    tracing::info!("shutting down: waiting for in-flight requests");
    if tokio::time::timeout(state.config().shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("grace period over: cancelling the queries still running");
        state.cancel_all();
    }
    Ok(())
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
