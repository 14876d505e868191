//! Probes, metrics, and the cross-cutting handlers: unknown routes, wrong methods, time
//! limits and panics, all answered with the API's error JSON.

use std::any::Any;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::api::HealthJson;
use crate::error::{ApiError, ErrorBody};

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "The process is alive", body = HealthJson))
)]
pub(crate) async fn healthz() -> Json<HealthJson> {
    Json(HealthJson {
        status: "ok".into(),
        entities: None,
        list_versions: None,
    })
}

/// Readiness: an index is loaded and the store answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready to screen", body = HealthJson),
        (status = 503, description = "No index loaded, or the store does not answer", body = ErrorBody),
    )
)]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<Json<HealthJson>, ApiError> {
    let snapshot = state.index().require()?;
    state
        .store()
        .ping()
        .await
        .map_err(|e| ApiError::NotReady(format!("the store does not answer: {e}")))?;
    Ok(Json(HealthJson {
        status: "ready".into(),
        entities: Some(snapshot.entities),
        list_versions: Some(snapshot.versions.clone()),
    }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Metrics", body = String, content_type = "text/plain"))
)]
pub(crate) async fn metrics() -> Result<Response, ApiError> {
    let handle = crate::metrics::handle()
        .ok_or_else(|| ApiError::internal("no metrics recorder is installed"))?;
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response())
}

/// Any route that does not exist.
pub(crate) async fn not_found(request: Request) -> ApiError {
    ApiError::NotFound(format!("route {}", request.uri().path()))
}

/// A route that exists, with another method.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Fails requests that take longer than the route's limit.
pub(crate) async fn time_limit(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout(limit).into_response(),
    }
}

/// A panic in a handler becomes a 500 with the API's error JSON, never a dropped connection.
pub(crate) fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a handler panicked");
    ApiError::internal(format!("panic: {detail}")).into_response()
}
