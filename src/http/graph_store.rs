//! `/store`: the SPARQL 1.1 Graph Store HTTP Protocol, indirect addressing (`?graph=IRI` or `?default`).
//! Reads are open to all; writes need the write token.

use super::error::ApiError;
use super::formats::{self, Output};
use super::protocol::form_pairs;
use super::sparql::authorize_write;
use super::{conneg, header_str, AppState};
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};

/// Which graph a request addresses.
fn target(query: Option<&str>) -> Result<GraphName, ApiError> {
    let pairs = form_pairs(query.unwrap_or(""))?;
    let graphs: Vec<&String> = pairs.iter().filter(|(k, _)| k == "graph").map(|(_, v)| v).collect();
    let default = pairs.iter().any(|(k, _)| k == "default");
    match (graphs.as_slice(), default) {
        ([g], false) => NamedNode::new(g.as_str())
            .map(GraphName::NamedNode)
            .map_err(|e| ApiError::bad_request(format!("graph '{g}' is not an absolute IRI: {e}"))),
        ([], true) => Ok(GraphName::DefaultGraph),
        _ => Err(ApiError::bad_request("address exactly one graph: ?graph=<IRI> or ?default")),
    }
}

fn exists(state: &AppState, graph: &GraphName) -> Result<bool, ApiError> {
    match graph {
        GraphName::DefaultGraph => Ok(true),
        GraphName::NamedNode(g) => state.store().contains_named_graph(g).map_err(ApiError::internal),
        GraphName::BlankNode(_) => Ok(false),
    }
}

fn upload_format(headers: &HeaderMap) -> Result<RdfFormat, ApiError> {
    let ct = header_str(headers, header::CONTENT_TYPE)
        .ok_or_else(|| ApiError::bad_request("a write needs a Content-Type naming an RDF format"))?;
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    RdfFormat::from_media_type(&media)
        .ok_or_else(|| ApiError::unsupported_media_type(format!("Content-Type '{media}' is not an RDF format this server reads")))
}

pub async fn handle(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(state, method, uri.query(), headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn run(state: AppState, method: Method, query: Option<&str>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    if method == Method::OPTIONS {
        return Ok((StatusCode::NO_CONTENT, [(header::ALLOW, "GET, HEAD, PUT, POST, DELETE, OPTIONS")]).into_response());
    }
    let graph = target(query)?;
    match method {
        Method::GET | Method::HEAD => {
            let offered = formats::GRAPHS;
            let media = conneg::negotiate(header_str(&headers, header::ACCEPT), offered)
                .map(|i| offered[i])
                .map_err(|e| ApiError::not_acceptable(&e.0))?;
            let format = formats::rdf_for(media);
            let state2 = state.clone();
            let g = graph.clone();
            let body = tokio::task::spawn_blocking(move || -> Result<Option<Vec<u8>>, ApiError> {
                if !exists(&state2, &g)? {
                    return Ok(None);
                }
                let mut w = super::rdf_serializer(format).for_writer(Vec::new());
                for q in state2.store().quads_for_pattern(None, None, None, Some(g.as_ref())) {
                    let q = q.map_err(ApiError::internal)?;
                    let r = if format.supports_datasets() {
                        w.serialize_quad(&q)
                    } else {
                        w.serialize_triple(q.as_ref())
                    };
                    r.map_err(ApiError::internal)?;
                }
                w.finish().map(Some).map_err(ApiError::internal)
            })
            .await
            .map_err(ApiError::internal)??;
            let body = body.ok_or_else(|| ApiError::not_found(format!("no graph {graph}")))?;
            Ok((
                [(header::CONTENT_TYPE, Output::Rdf(format).content_type()), (header::VARY, "Accept")],
                body,
            )
                .into_response())
        }
        Method::PUT | Method::POST | Method::DELETE => {
            authorize_write(&state, &headers)?;
            let parsed = if method == Method::DELETE {
                Vec::new()
            } else {
                let format = upload_format(&headers)?;
                let g = graph.clone();
                RdfParser::from_format(format)
                    .without_named_graphs()
                    .with_default_graph(g)
                    .for_slice(&body)
                    .collect::<Result<Vec<Quad>, _>>()
                    .map_err(|e| ApiError::bad_request(format!("the RDF does not parse: {e}")))?
            };
            let state2 = state.clone();
            let status = tokio::task::spawn_blocking(move || -> Result<StatusCode, ApiError> {
                let existed = exists(&state2, &graph)?;
                let store = state2.store();
                let mut tx = store.start_transaction().map_err(ApiError::internal)?;
                match method {
                    Method::DELETE if !existed => return Err(ApiError::not_found(format!("no graph {graph}"))),
                    Method::DELETE => {
                        tx.clear_graph(graph.as_ref()).map_err(ApiError::internal)?;
                        if let GraphName::NamedNode(g) = &graph {
                            tx.remove_named_graph(g).map_err(ApiError::internal)?;
                        }
                    }
                    Method::PUT => {
                        tx.clear_graph(graph.as_ref()).map_err(ApiError::internal)?;
                        tx.extend(parsed.iter());
                    }
                    _ => tx.extend(parsed.iter()),
                }
                if let GraphName::NamedNode(g) = &graph {
                    if method != Method::DELETE {
                        tx.insert_named_graph(g);
                    }
                }
                tx.commit().map_err(ApiError::internal)?;
                Ok(if existed || method == Method::DELETE {
                    StatusCode::NO_CONTENT
                } else {
                    StatusCode::CREATED
                })
            })
            .await
            .map_err(ApiError::internal)??;
            state.metrics().updates_total.inc();
            Ok(status.into_response())
        }
        _ => Err(ApiError::method_not_allowed("GET, HEAD, PUT, POST, DELETE, OPTIONS")),
    }
}
