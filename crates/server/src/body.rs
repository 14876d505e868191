//! Reading request bodies: JSON objects (or NDJSON lines of them) into API types, with the
//! API's own errors. Bodies are bounded by the route's limit before they are parsed, so no
//! input allocates without bound; syntax errors are 400, well-formed JSON of the wrong shape
//! is 422. Requests must be JSON objects: serde would also take a struct from an array of its
//! fields in order, which no client means.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;

use crate::AppState;
use crate::error::ApiError;

/// A JSON body of type `T`, read under the server's body limit.
#[derive(Debug)]
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let limits = state.config().limits;
        let bytes = read_body(
            request,
            state,
            limits.max_body_bytes,
            limits.body_read_timeout,
        )
        .await?;
        from_object(parse_json(&bytes, "")?, "").map(JsonBody)
    }
}

/// Reads the whole body, of at most `limit` bytes (the route's limit), within `timeout`: a
/// client that sends it more slowly is answered 408 rather than holding a connection and a
/// task for as long as it likes.
pub(crate) async fn read_body(
    request: Request,
    state: &AppState,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(timeout, Bytes::from_request(request, state)).await {
        Ok(read) => read.map_err(|e| read_error(e, limit)),
        Err(_) => Err(ApiError::RequestTimeout(timeout)),
    }
}

/// The error for a body that could not be read: too large, or cut off.
fn read_error(rejection: BytesRejection, limit: usize) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge { limit }
    } else {
        ApiError::MalformedJson(rejection.body_text())
    }
}

/// Reads a JSON object as `T`; anything else is a 422 naming `location` (e.g. `[3].`).
fn from_object<T: DeserializeOwned>(value: Value, location: &str) -> Result<T, ApiError> {
    let field = format!("{location}body");
    if !value.is_object() {
        return Err(ApiError::invalid(field, "expected a JSON object"));
    }
    serde_json::from_value(value).map_err(|e| ApiError::invalid(field, e.to_string()))
}

/// Parses JSON, telling malformed text (400) from a wrong shape (422). `location` says where
/// the text came from in a larger body, e.g. `line 3: `.
fn parse_json<T: DeserializeOwned>(bytes: &[u8], location: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        Category::Data => ApiError::invalid(format!("{location}body"), e.to_string()),
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::MalformedJson(format!("{location}{e}"))
        }
    })
}

/// Whether the request declares its body as one of `media_types` (parameters such as
/// `charset` ignored, case-insensitive).
pub(crate) fn declares(request: &Request, media_types: &[&str]) -> bool {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| media_types.iter().any(|m| v.trim().eq_ignore_ascii_case(m)))
}

/// Whether the request declares an NDJSON body.
pub(crate) fn is_ndjson(request: &Request) -> bool {
    declares(request, &["application/x-ndjson", "application/jsonl"])
}

/// A batch body: a JSON array of objects, or one object per line (NDJSON), of at most
/// `max_items`.
pub(crate) fn parse_batch<T: DeserializeOwned>(
    bytes: &[u8],
    ndjson: bool,
    max_items: usize,
) -> Result<Vec<T>, ApiError> {
    let values: Vec<Value> = if ndjson {
        let lines: Vec<&[u8]> = bytes
            .split(|&b| b == b'\n')
            .filter(|line| !line.trim_ascii().is_empty())
            // One past the limit is enough to refuse the batch.
            .take(max_items.saturating_add(1))
            .collect();
        check_batch_length(lines.len(), max_items)?;
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| parse_json(line, &format!("line {}: ", i + 1)))
            .collect::<Result<_, _>>()?
    } else {
        parse_json(bytes, "")?
    };
    check_batch_length(values.len(), max_items)?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| from_object(value, &format!("[{i}].")))
        .collect()
}

fn check_batch_length(len: usize, max_items: usize) -> Result<(), ApiError> {
    if len == 0 {
        return Err(ApiError::invalid("batch", "the batch is empty"));
    }
    if len > max_items {
        return Err(ApiError::invalid(
            "batch",
            format!("the batch has {len} requests; at most {max_items} are accepted"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    type Object = Map<String, Value>;

    #[test]
    fn syntax_is_400_and_shape_is_422() {
        assert!(matches!(
            parse_json::<Value>(b"{\"a\": ", ""),
            Err(ApiError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_json::<Vec<u32>>(b"{\"a\": 1}", ""),
            Err(ApiError::InvalidField { .. })
        ));
        assert!(matches!(
            from_object::<Object>(serde_json::json!(["a"]), ""),
            Err(ApiError::InvalidField { .. })
        ));
    }

    #[test]
    fn batches_come_as_arrays_or_lines_of_objects_and_are_bounded() {
        let array: Vec<Object> = parse_batch(b"[{}, {\"a\": 1}, {}]", false, 3).expect("array");
        assert_eq!(array.len(), 3);
        let lines: Vec<Object> = parse_batch(b"{}\n\n{}\r\n{}\n", true, 3).expect("ndjson");
        assert_eq!(lines.len(), 3);
        assert!(parse_batch::<Object>(b"[{}, {}, {}, {}]", false, 3).is_err());
        assert!(parse_batch::<Object>(b"{}\n{}\n{}\n{}", true, 3).is_err());
        assert!(parse_batch::<Object>(b"[]", false, 3).is_err());
        match parse_batch::<Object>(b"[{}, 2]", false, 3) {
            Err(ApiError::InvalidField { field, .. }) => assert_eq!(field, "[1].body"),
            other => panic!("expected a field error, got {other:?}"),
        }
        match parse_batch::<Object>(b"{}\n{oops\n", true, 3) {
            Err(ApiError::MalformedJson(message)) => {
                assert!(message.starts_with("line 2"), "{message}")
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}
