//! The SPARQL 1.1 Protocol's request forms, parsed into one [`ProtocolRequest`] (pure; no I/O).

use super::error::ApiError;
use axum::http::Method;

/// What the request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Query(String),
    Update(String),
    /// Neither: the service description, or the query page for a browser.
    Describe,
}

/// A parsed protocol request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProtocolRequest {
    pub operation: Option<Operation>,
    pub default_graphs: Vec<String>,
    pub named_graphs: Vec<String>,
    pub using_graphs: Vec<String>,
    pub using_named_graphs: Vec<String>,
    /// The `format` parameters (some clients send several, or comma-separated lists), overriding `Accept`.
    pub formats: Vec<String>,
    /// The `timeout` parameter, in seconds.
    pub timeout: Option<String>,
}

/// Decodes `application/x-www-form-urlencoded` pairs (also query strings), `+` as space.
pub fn form_pairs(input: &str) -> Result<Vec<(String, String)>, ApiError> {
    input
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .map_err(|_| ApiError::bad_request(format!("the parameter '{k}' is not UTF-8 once percent-decoded")))
            };
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// The media type and charset of a `Content-Type` value, lower-cased.
fn media_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
    (media, charset)
}

fn utf8_body(body: &[u8], charset: Option<&str>) -> Result<String, ApiError> {
    if let Some(c) = charset {
        if c != "utf-8" && c != "utf8" {
            return Err(ApiError::unsupported_media_type(format!(
                "charset '{c}' is not supported: send UTF-8"
            )));
        }
    }
    String::from_utf8(body.to_vec()).map_err(|_| ApiError::bad_request("the request body is not valid UTF-8"))
}

/// Parses a request to the SPARQL endpoint: its method, query string, `Content-Type` and body.
pub fn parse(method: &Method, query_string: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Result<ProtocolRequest, ApiError> {
    let mut pairs = form_pairs(query_string.unwrap_or(""))?;
    let mut direct: Option<Operation> = None;
    if *method == Method::POST {
        let Some(ct) = content_type else {
            return Err(ApiError::bad_request(
                "a POST needs a Content-Type: application/x-www-form-urlencoded, application/sparql-query or application/sparql-update",
            ));
        };
        let (media, charset) = media_type(ct);
        match media.as_str() {
            "application/x-www-form-urlencoded" => pairs.extend(form_pairs(&utf8_body(body, charset.as_deref())?)?),
            "application/sparql-query" => direct = Some(Operation::Query(utf8_body(body, charset.as_deref())?)),
            "application/sparql-update" => direct = Some(Operation::Update(utf8_body(body, charset.as_deref())?)),
            other => {
                return Err(ApiError::unsupported_media_type(format!(
                    "Content-Type '{other}' is not supported: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"
                )))
            }
        }
    } else if *method != Method::GET && *method != Method::HEAD {
        return Err(ApiError::method_not_allowed("GET, HEAD, POST, OPTIONS"));
    }

    let mut req = ProtocolRequest::default();
    let mut queries = Vec::new();
    let mut updates = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "query" => queries.push(v),
            "update" => updates.push(v),
            "default-graph-uri" => req.default_graphs.push(v),
            "named-graph-uri" => req.named_graphs.push(v),
            "using-graph-uri" => req.using_graphs.push(v),
            "using-named-graph-uri" => req.using_named_graphs.push(v),
            // SPARQLWrapper's `output` and `results` are the same request under other names.
            "format" | "output" | "results" => req
                .formats
                .extend(v.split(',').map(|f| f.trim().to_owned()).filter(|f| !f.is_empty())),
            "timeout" => req.timeout = Some(v),
            _ => {}
        }
    }
    if !updates.is_empty() && *method != Method::POST {
        return Err(ApiError::bad_request("updates are only accepted by POST, never by GET"));
    }
    req.operation = match (direct, queries.len(), updates.len()) {
        (Some(op), 0, 0) => Some(op),
        (Some(_), _, _) => {
            return Err(ApiError::bad_request(
                "the body already holds the operation: do not also send 'query' or 'update' parameters",
            ))
        }
        (None, 0, 0) => Some(Operation::Describe),
        (None, 1, 0) => queries.pop().map(Operation::Query),
        (None, 0, 1) if *method == Method::POST => updates.pop().map(Operation::Update),
        (None, q, u) if q > 0 && u > 0 => return Err(ApiError::bad_request("send either 'query' or 'update', not both")),
        (None, q, _) if q > 1 => return Err(ApiError::bad_request("the 'query' parameter must be given once")),
        _ => return Err(ApiError::bad_request("the 'update' parameter must be given once")),
    };
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn status(method: Method, qs: Option<&str>, ct: Option<&str>, body: &[u8]) -> Result<Operation, StatusCode> {
        parse(&method, qs, ct, body).map(|r| r.operation.unwrap()).map_err(|e| e.status)
    }

    #[test]
    fn the_status_table() {
        use Operation::*;
        let form = Some("application/x-www-form-urlencoded");
        type Case<'a> = (Method, Option<&'a str>, Option<&'a str>, &'a [u8], Result<Operation, StatusCode>);
        let cases: Vec<Case> = vec![
            (Method::GET, Some("query=ASK%20%7B%7D"), None, b"", Ok(Query("ASK {}".into()))),
            (Method::GET, Some("query=ASK+%7B%7D"), None, b"", Ok(Query("ASK {}".into()))),
            (Method::GET, None, None, b"", Ok(Describe)),
            (Method::HEAD, Some("query=ASK%7B%7D"), None, b"", Ok(Query("ASK{}".into()))),
            (Method::POST, None, form, b"query=ASK%20%7B%7D", Ok(Query("ASK {}".into()))),
            (
                Method::POST,
                None,
                Some("application/sparql-query"),
                b"ASK {}",
                Ok(Query("ASK {}".into())),
            ),
            (
                Method::POST,
                None,
                Some("application/sparql-query; charset=UTF-8"),
                b"ASK {}",
                Ok(Query("ASK {}".into())),
            ),
            (
                Method::POST,
                None,
                Some("application/sparql-update"),
                b"CLEAR ALL",
                Ok(Update("CLEAR ALL".into())),
            ),
            (Method::POST, None, form, b"update=CLEAR%20ALL", Ok(Update("CLEAR ALL".into()))),
            // Never an update from GET.
            (Method::GET, Some("update=CLEAR%20ALL"), None, b"", Err(StatusCode::BAD_REQUEST)),
            (
                Method::GET,
                Some("query=ASK%7B%7D&query=ASK%7B%7D"),
                None,
                b"",
                Err(StatusCode::BAD_REQUEST),
            ),
            (
                Method::POST,
                None,
                form,
                b"update=CLEAR%20ALL&update=CLEAR%20ALL",
                Err(StatusCode::BAD_REQUEST),
            ),
            (
                Method::POST,
                None,
                form,
                b"query=ASK%7B%7D&update=CLEAR%20ALL",
                Err(StatusCode::BAD_REQUEST),
            ),
            (Method::POST, None, None, b"ASK {}", Err(StatusCode::BAD_REQUEST)),
            (
                Method::POST,
                None,
                Some("text/plain"),
                b"ASK {}",
                Err(StatusCode::UNSUPPORTED_MEDIA_TYPE),
            ),
            (
                Method::POST,
                None,
                Some("application/sparql-query; charset=UTF-16"),
                b"\xff\xfeA\x00",
                Err(StatusCode::UNSUPPORTED_MEDIA_TYPE),
            ),
            (
                Method::POST,
                None,
                Some("application/sparql-query"),
                b"\xff\xfeA\x00",
                Err(StatusCode::BAD_REQUEST),
            ),
            (
                Method::POST,
                Some("query=ASK%7B%7D"),
                Some("application/sparql-query"),
                b"ASK {}",
                Err(StatusCode::BAD_REQUEST),
            ),
            (Method::PUT, Some("query=ASK%7B%7D"), None, b"", Err(StatusCode::METHOD_NOT_ALLOWED)),
            (Method::DELETE, None, None, b"", Err(StatusCode::METHOD_NOT_ALLOWED)),
            (Method::GET, Some("query=%FF"), None, b"", Err(StatusCode::BAD_REQUEST)),
        ];
        for (method, qs, ct, body, expected) in cases {
            assert_eq!(status(method.clone(), qs, ct, body), expected, "{method} ?{qs:?} {ct:?}");
        }
    }

    #[test]
    fn dataset_parameters_are_collected_from_url_and_body() {
        let r = parse(
            &Method::POST,
            Some("default-graph-uri=http%3A%2F%2Fa&named-graph-uri=http%3A%2F%2Fb"),
            Some("application/x-www-form-urlencoded"),
            b"query=ASK%7B%7D&named-graph-uri=http%3A%2F%2Fc&format=csv&timeout=2",
        )
        .unwrap();
        assert_eq!(r.default_graphs, vec!["http://a"]);
        assert_eq!(r.named_graphs, vec!["http://b", "http://c"]);
        assert_eq!(r.formats, vec!["csv"]);
        assert_eq!(r.timeout.as_deref(), Some("2"));
    }
}
