//! Path and query parameters whose rejection is the API's own error: a path segment that does
//! not decode (percent-encoded bytes that are not UTF-8), or a query string that does not
//! parse, is a 422 in the API's JSON, not axum's plain-text 400.

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A path parameter of type `T`.
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|e| ApiError::invalid("path", e.body_text()))
    }
}

/// The parameters of a query string, or a 422 naming the query. Handlers take the extractor's
/// `Result` and call this after their role check, so that a caller without the role is told
/// that first.
pub(crate) fn query_params<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(params)| params)
        .map_err(|e| ApiError::invalid("query", e.body_text()))
}
