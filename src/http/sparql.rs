//! `/sparql`: queries, updates, the service description, and the query page for browsers.

use super::error::ApiError;
use super::formats::{self, Output};
use super::protocol::{self, Operation, ProtocolRequest};
use super::{conneg, execute, header_str, origin, service, AppState};
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{CancellationToken, SparqlEvaluator};
use std::time::Duration;

const QUERY_PAGE: &str = include_str!("../../assets/query.html");
const QUERY_CSS: &str = include_str!("../../assets/query.css");
const QUERY_JS: &str = include_str!("../../assets/query.js");
const EXAMPLES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// Whether the client prefers HTML to every data format we could send (a browser).
fn wants_html(headers: &HeaderMap, data_types: &[&'static str]) -> bool {
    let mut offered: Vec<&'static str> = data_types.to_vec();
    // Last, so that `*/*` picks data: only an explicit preference for HTML gets the page.
    offered.push("text/html");
    conneg::negotiate(header_str(headers, header::ACCEPT), &offered).is_ok_and(|i| offered[i] == "text/html")
}

fn query_page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::VARY, "Accept")],
        QUERY_PAGE,
    )
        .into_response()
}

/// The media type to answer with: the first `format` value that names an offered type, else the one
/// negotiated from `Accept`. Unknown `format` values are ignored, as clients such as SPARQLWrapper send
/// their own names (`n3`, `json-ld`, lists of media types) alongside a correct `Accept`.
fn choose(headers: &HeaderMap, format: &[String], offered: &[&'static str]) -> Result<&'static str, ApiError> {
    if let Some(t) = format
        .iter()
        .filter_map(|f| formats::from_format_param(f))
        .find(|t| offered.contains(t))
    {
        return Ok(t);
    }
    conneg::negotiate(header_str(headers, header::ACCEPT), offered)
        .map(|i| offered[i])
        .map_err(|e| ApiError::not_acceptable(&e.0))
}

fn graph_names(iris: &[String], what: &str) -> Result<Vec<NamedNode>, ApiError> {
    iris.iter()
        .map(|i| NamedNode::new(i).map_err(|e| ApiError::bad_request(format!("{what} '{i}' is not an absolute IRI: {e}"))))
        .collect()
}

/// The effective deadline: the server's, or less if the client asks (`timeout` in seconds).
fn timeout(state: &AppState, requested: Option<&str>) -> Result<Duration, ApiError> {
    let max = state.config().timeout;
    match requested {
        None => Ok(max),
        Some(t) => {
            let secs: f64 = t
                .trim()
                .parse()
                .map_err(|_| ApiError::bad_request(format!("timeout '{t}' is not a number of seconds")))?;
            if !(secs > 0.0 && secs.is_finite()) {
                return Err(ApiError::bad_request(format!("timeout '{t}' must be a positive number of seconds")));
            }
            Ok(Duration::from_secs_f64(secs).min(max))
        }
    }
}

/// Only the holder of the write token may change the store.
pub(super) fn authorize_write(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &state.config().write_token else {
        return Err(ApiError::forbidden(
            "This server is read-only: start it with --write-token-file to allow writes",
        ));
    };
    let given = header_str(headers, header::AUTHORIZATION).and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    match given {
        None => Err(ApiError::unauthorized()),
        // Compare in constant time: no early exit on the first differing byte.
        Some(t) if t.len() == expected.len() && t.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0 => Ok(()),
        Some(_) => Err(ApiError::forbidden("The write token is not valid")),
    }
}

pub async fn endpoint(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(state, method, uri, headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn handle(state: AppState, method: Method, uri: axum::http::Uri, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    if method == Method::OPTIONS {
        return Ok((StatusCode::NO_CONTENT, [(header::ALLOW, "GET, HEAD, POST, OPTIONS")]).into_response());
    }
    let limit = state.config().max_uri_bytes;
    if uri.query().is_some_and(|q| q.len() > limit) {
        return Err(ApiError::uri_too_long(limit));
    }
    let request = protocol::parse(&method, uri.query(), header_str(&headers, header::CONTENT_TYPE), &body)?;
    let endpoint = format!("{}/sparql", origin(&headers));
    match request.operation.clone().unwrap_or(Operation::Describe) {
        Operation::Describe if wants_html(&headers, formats::GRAPHS) => Ok(query_page()),
        Operation::Describe => describe(state, &headers, &request, endpoint).await,
        // A browser following a link to a query gets the page, which runs it and shows a table.
        Operation::Query(_)
            if method == Method::GET
                && request.formats.is_empty()
                && wants_html(&headers, formats::SOLUTIONS)
                && wants_html(&headers, formats::GRAPHS) =>
        {
            Ok(query_page())
        }
        Operation::Query(text) => query(state, &headers, &request, &endpoint, &text).await,
        Operation::Update(text) => update(state, &headers, &request, &endpoint, &text).await,
    }
}

/// A protocol dataset (`default-graph-uri`/`named-graph-uri`, or their `using-` forms) as graph names.
fn dataset(default: &[String], named: &[String], using: bool) -> Result<(Vec<GraphName>, Vec<NamedOrBlankNode>), ApiError> {
    let (d, n) = if using {
        ("using-graph-uri", "using-named-graph-uri")
    } else {
        ("default-graph-uri", "named-graph-uri")
    };
    let default = graph_names(default, d)?.into_iter().map(GraphName::from).collect();
    let named = graph_names(named, n)?.into_iter().map(NamedOrBlankNode::from).collect();
    Ok((default, named))
}

/// The Service Description.
async fn describe(state: AppState, headers: &HeaderMap, request: &ProtocolRequest, endpoint: String) -> Result<Response, ApiError> {
    let format = formats::rdf_for(choose(headers, &request.formats, formats::GRAPHS)?);
    let body = tokio::task::spawn_blocking(move || service::description(&state, &endpoint, format))
        .await
        .map_err(ApiError::internal)??;
    Ok((
        [(header::CONTENT_TYPE, Output::Rdf(format).content_type()), (header::VARY, "Accept")],
        body,
    )
        .into_response())
}

async fn query(state: AppState, headers: &HeaderMap, request: &ProtocolRequest, endpoint: &str, text: &str) -> Result<Response, ApiError> {
    let token = CancellationToken::new();
    let parsed = spargebra::SparqlParser::new()
        .with_base_iri(endpoint)
        .map_err(ApiError::internal)?
        .parse_query(text)
        .map_err(|e| ApiError::bad_request(format!("Query syntax error: {e}")))?;
    let graph_form = matches!(parsed, spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. });
    let mut prepared = SparqlEvaluator::new().with_cancellation_token(token.clone()).for_query(parsed);
    let media = choose(
        headers,
        &request.formats,
        if graph_form { formats::GRAPHS } else { formats::SOLUTIONS },
    )?;
    let deadline = timeout(&state, request.timeout.as_deref())?;
    if request.default_graphs.is_empty() && request.named_graphs.is_empty() {
        // Without a protocol dataset: the query's own FROM/FROM NAMED, else the union of all graphs.
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
    } else {
        // The protocol dataset overrides FROM and FROM NAMED in the query.
        let (default, named) = dataset(&request.default_graphs, &request.named_graphs, false)?;
        prepared.dataset_mut().set_default_graph(default);
        prepared.dataset_mut().set_available_named_graphs(named);
    }
    state.metrics().queries_total.inc();
    let mut response = execute::run(&state, prepared, token, formats::output_for(media, graph_form), deadline).await?;
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(response)
}

async fn update(state: AppState, headers: &HeaderMap, request: &ProtocolRequest, endpoint: &str, text: &str) -> Result<Response, ApiError> {
    authorize_write(&state, headers)?;
    let mut prepared = SparqlEvaluator::new()
        .with_base_iri(endpoint)
        .map_err(ApiError::internal)?
        .parse_update(text)
        .map_err(|e| ApiError::bad_request(format!("Update syntax error: {e}")))?;
    if !request.using_graphs.is_empty() || !request.using_named_graphs.is_empty() {
        let (default, named) = dataset(&request.using_graphs, &request.using_named_graphs, true)?;
        for d in prepared.using_datasets_mut() {
            if !d.is_default_dataset() {
                return Err(ApiError::bad_request(
                    "using-graph-uri and using-named-graph-uri cannot be combined with USING, USING NAMED or WITH in the update",
                ));
            }
            d.set_default_graph(default.clone());
            d.set_available_named_graphs(named.clone());
        }
    }
    let store = state.store().clone();
    tokio::task::spawn_blocking(move || prepared.on_store(&store).execute())
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| match e {
            oxigraph::sparql::UpdateEvaluationError::Storage(e) => ApiError::internal(e),
            other => ApiError::bad_request(format!("Update failed: {other}")),
        })?;
    state.metrics().updates_total.inc();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `/sparql/examples`: the shipped competency questions, for the query page.
pub async fn examples() -> Response {
    let list: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(file, query)| {
            let question = query.lines().find_map(|l| l.strip_prefix("# Question:")).unwrap_or(file).trim();
            serde_json::json!({ "file": file, "question": question, "query": query })
        })
        .collect();
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::Value::Array(list).to_string(),
    )
        .into_response()
}

/// `/assets/{file}`: the query page's stylesheet and script, compiled into the binary.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "query.css" => (QUERY_CSS, "text/css; charset=utf-8"),
        "query.js" => (QUERY_JS, "text/javascript; charset=utf-8"),
        _ => return ApiError::not_found("no such asset").into_response(),
    };
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")],
        body,
    )
        .into_response()
}
