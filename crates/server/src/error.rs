//! The one error type of the API and the one table that maps it to HTTP statuses and stable
//! codes. Internal failures reach clients as a generic message; their detail is only logged.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use interdict_store::Role;
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The body is not JSON (or not NDJSON) at all.
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    /// No API key, or one that is unknown or revoked.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The key's role may not do this.
    #[error("this needs the {needed} role; the key has the {held} role")]
    Forbidden {
        /// The least role that may.
        needed: Role,
        /// The key's role.
        held: Role,
    },
    /// No such resource.
    #[error("{0} not found")]
    NotFound(String),
    /// No such route for this method.
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// The body is larger than the route allows.
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A field is missing, of the wrong type, or out of range.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field, e.g. `threshold` or `[3].name`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// An uploaded list cannot be imported (unknown format, broken records, no entities).
    #[error("{0}")]
    InvalidList(String),
    /// The state changed under the request (another import activated a version meanwhile).
    #[error("{0}")]
    Conflict(String),
    /// The key sent more requests than its rate allows.
    #[error("rate limit exceeded; retry in {} s", retry_after.as_secs().max(1))]
    RateLimited {
        /// When a request would be accepted again.
        retry_after: Duration,
    },
    /// The service cannot answer yet (no list loaded) or the store does not answer.
    #[error("not ready: {0}")]
    NotReady(String),
    /// The request took longer than the configured timeout.
    #[error("the request took longer than {} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The client did not send its request's head, or its body, within the time allowed.
    #[error("the request was not received within {} s", .0.as_secs_f64())]
    RequestTimeout(Duration),
    /// The request's head is not HTTP/1.1 the service can parse (its request line or a
    /// header is malformed); answered by the connection layer, before any route.
    #[error("the request's head is not valid HTTP/1.1")]
    MalformedRequest,
    /// The request's URI is longer than the service reads (65,534 bytes).
    #[error("the request's URI is too long")]
    UriTooLong,
    /// The request's head has more headers (100) or more bytes than the service reads.
    #[error("the request's head has too many headers or is too large")]
    HeadTooLarge,
    /// The service holds as many connections as it is configured to.
    #[error("the service is at its connection limit ({0}); retry shortly")]
    TooManyConnections(usize),
    /// Anything else: a bug or an infrastructure failure. The detail is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A stable code for programs and a message for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, e.g. `invalid_field`; see the table in the API description.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// The table: each error's HTTP status and stable code.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            ApiError::InvalidField { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
            ApiError::InvalidList(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_list"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::NotReady(_) => (StatusCode::SERVICE_UNAVAILABLE, "not_ready"),
            ApiError::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            ApiError::RequestTimeout(_) => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            ApiError::TooManyConnections(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "too_many_connections")
            }
            ApiError::MalformedRequest => (StatusCode::BAD_REQUEST, "malformed_request"),
            ApiError::UriTooLong => (StatusCode::URI_TOO_LONG, "uri_too_long"),
            ApiError::HeadTooLarge => (
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
            ),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// A field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The whole HTTP/1.1 response for this error, head and JSON body, closing the
    /// connection: for what is answered outside the router, on the raw connection (a client
    /// refused at the connection limit, a request whose head never arrived or could not be
    /// parsed).
    pub(crate) fn raw_http1_response(&self) -> Vec<u8> {
        let (status, code) = self.status_and_code();
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.to_string(),
            },
        };
        // Serialising two strings cannot fail; an empty body would still be a valid answer.
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            body.len()
        );
        if matches!(self, ApiError::TooManyConnections(_)) {
            response.push_str("retry-after: 1\r\n");
        }
        response.push_str("\r\n");
        let mut bytes = response.into_bytes();
        bytes.extend_from_slice(&body);
        bytes
    }

    /// An internal error from anything displayable.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(detail.to_string())
    }
}

impl From<interdict_store::Error> for ApiError {
    fn from(error: interdict_store::Error) -> Self {
        match error {
            interdict_store::Error::NotFound { what } => ApiError::NotFound(what),
            interdict_store::Error::Invalid(message) => ApiError::invalid("request", message),
            e @ interdict_store::Error::Ambiguous { .. } => {
                ApiError::invalid("version", e.to_string())
            }
            interdict_store::Error::Conflict(message) => ApiError::Conflict(message),
            other => ApiError::internal(other),
        }
    }
}

impl From<interdict_app::Error> for ApiError {
    fn from(error: interdict_app::Error) -> Self {
        match error {
            interdict_app::Error::InvalidField { field, message } => {
                ApiError::InvalidField { field, message }
            }
            interdict_app::Error::InvalidList(message) => ApiError::InvalidList(message),
            e @ interdict_app::Error::NoLists => ApiError::NotReady(e.to_string()),
            interdict_app::Error::Store(e) => e.into(),
            other => ApiError::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> Self {
        ApiError::internal(format!("a background task failed: {error}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error; the detail is in the server log".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: ErrorDetail { code, message },
            }),
        )
            .into_response();
        if let ApiError::RateLimited { retry_after } = &self {
            let seconds = retry_after.as_secs().max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_per_status_table_row() {
        let all = [
            ApiError::MalformedJson(String::new()),
            ApiError::Unauthenticated(""),
            ApiError::Forbidden {
                needed: Role::Admin,
                held: Role::Screener,
            },
            ApiError::NotFound(String::new()),
            ApiError::MethodNotAllowed,
            ApiError::PayloadTooLarge { limit: 1 },
            ApiError::invalid("f", "m"),
            ApiError::InvalidList(String::new()),
            ApiError::Conflict(String::new()),
            ApiError::RateLimited {
                retry_after: Duration::from_secs(1),
            },
            ApiError::NotReady(String::new()),
            ApiError::Timeout(Duration::from_secs(1)),
            ApiError::RequestTimeout(Duration::from_secs(1)),
            ApiError::TooManyConnections(1),
            ApiError::MalformedRequest,
            ApiError::UriTooLong,
            ApiError::HeadTooLarge,
            ApiError::internal(""),
        ];
        let mut codes: Vec<&str> = all.iter().map(|e| e.status_and_code().1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn a_raw_response_is_http_with_the_error_json() {
        let raw = ApiError::TooManyConnections(8).raw_http1_response();
        let text = String::from_utf8(raw).expect("utf-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        assert!(
            head.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
            "{head}"
        );
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let json: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(json["error"]["code"], "too_many_connections");
    }
}
