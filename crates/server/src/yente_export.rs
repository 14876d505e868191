//! `GET /v1/lists/{list}/export?format=ftm[&version=V]`: a list version as FollowTheMoney JSON
//! lines (`application/x-ndjson`), the same lines `interdict lists export` writes, through
//! `interdict_app::yente::export`. Importing them again gives the same version.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use interdict_app::yente::ExportFormat;
use interdict_store::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportParams {
    /// `ftm` (the default).
    format: Option<String>,
    /// The version (id, unique prefix or `list@prefix`); the active one by default.
    version: Option<String>,
}

/// A list version as FollowTheMoney JSON lines, one entity per line.
#[utoipa::path(
    get,
    path = "/v1/lists/{list}/export",
    tag = "lists",
    params(("list" = String, Path, description = "The list id, e.g. ofac-sdn"), ExportParams),
    responses(
        (status = 200, description = "One FtM entity per line", content_type = "application/x-ndjson", body = String),
        (status = 404, description = "No such version", body = ErrorBody),
        (status = 422, description = "Unknown format, or a version of another list", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(list): ApiPath<String>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Role::Screener)?;
    let params = query_params(params)?;
    let format: ExportFormat = params.format.as_deref().unwrap_or("ftm").parse()?;
    let export =
        interdict_app::yente::export(state.store(), &list, params.version.as_deref(), format)
            .await?;
    let mut body = String::with_capacity(export.lines.iter().map(|l| l.len() + 1).sum());
    for line in &export.lines {
        body.push_str(line);
        body.push('\n');
    }
    Ok(([(CONTENT_TYPE, "application/x-ndjson")], body).into_response())
}
