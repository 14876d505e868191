//! `GET /v1/entities/{id}/ownership`: whether an entity is blocked through its owners under
//! each regime, with the paths from blocked owners (`app::ownership`, the JSON the command
//! line's `interdict ownership --json` prints), from the live index's ownership graph.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use interdict_app::ownership::{OwnershipJson, parse_date};
use interdict_model::PartialDate;
use interdict_store::Role;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

/// When to read the ownership data.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub(crate) struct OwnershipParams {
    /// The screening date (YYYY-MM-DD, default today): relations that ended before it or
    /// begin after it are left out.
    #[param(example = "2022-03-24")]
    date: Option<String>,
}

/// An entity's verdict under the OFAC 50 percent rule and the EU and UK ownership and
/// control tests, with the paths from its blocked owners (each step's percentage, and how
/// each owner is tied to a listed party). Shares are fractions, 0–1. Answered from the
/// ownership graph the screenings use (the active lists, propagated for today and updated
/// as lists change); a `date` other than today's is computed on demand from the store,
/// which takes longer (about a second per million relations).
#[utoipa::path(
    get,
    path = "/v1/entities/{id}/ownership",
    tag = "lists",
    params(
        ("id" = String, Path, description = "The entity id, `<list>:<source id>`"),
        OwnershipParams,
    ),
    responses(
        (status = 200, description = "The verdict per regime and the paths", body = OwnershipJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 404, description = "Neither the ownership data nor a list names the entity", body = ErrorBody),
        (status = 422, description = "Unreadable date", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn ownership(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    params: Result<Query<OwnershipParams>, QueryRejection>,
) -> Result<Json<OwnershipJson>, ApiError> {
    caller.require(Role::Screener)?;
    let params = query_params(params)?;
    let date = params
        .date
        .as_deref()
        .map(|d| parse_date("date", d))
        .transpose()?;
    Ok(Json(report(&state, &id, date).await?))
}

/// The entity's ownership report for the API and the UI: the graph the screenings use answers
/// for its own date; another date, or a service whose index is not loaded yet, is computed.
pub(crate) async fn report(
    state: &AppState,
    id: &str,
    date: Option<PartialDate>,
) -> Result<OwnershipJson, interdict_app::Error> {
    match state.index().snapshot() {
        Some(active) => {
            interdict_app::ownership::report_loaded(state.store(), &active, id, date).await
        }
        None => interdict_app::ownership::report(state.store(), id, date).await,
    }
}
