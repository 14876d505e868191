//! The audit trail: one record, verification of the whole chain, replay of a screening, and
//! export of a time range for examiners, page by page.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use interdict_store::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::{AuditExportJson, AuditRecordJson, ReplayResponse, VerifyResponse, parse_time};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

/// One audit record, e.g. a screening by its `screening_id`.
#[utoipa::path(
    get,
    path = "/v1/audit/{id}",
    tag = "audit",
    params(("id" = String, Path, description = "The record id (a screening_id)")),
    responses(
        (status = 200, description = "The record", body = AuditRecordJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Needs the analyst role", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn record(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AuditRecordJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let record = state.store().audit_record(&id).await?;
    Ok(Json(AuditRecordJson::from_record(&record)?))
}

/// Walks the whole chain and names the first record that is missing, altered or out of place.
#[utoipa::path(
    get,
    path = "/v1/audit/verify",
    tag = "audit",
    responses(
        (status = 200, description = "Whether the chain is intact, and if not where it breaks", body = VerifyResponse),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Needs the reviewer role", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn verify(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<VerifyResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    Ok(Json(state.store().verify_audit().await?.into()))
}

/// Re-runs a recorded screening against its recorded list versions and says whether the
/// result is identical.
#[utoipa::path(
    post,
    path = "/v1/audit/{id}/replay",
    tag = "audit",
    params(("id" = String, Path, description = "The screening_id")),
    responses(
        (status = 200, description = "The comparison", body = ReplayResponse),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Needs the reviewer role", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
        (status = 422, description = "Not a screening record", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn replay(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ReplayResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    Ok(Json(
        interdict_app::screening::replay(state.store(), &id).await?,
    ))
}

/// Most records one export page holds.
const MAX_EXPORT_PAGE: u32 = 1000;

/// Which records to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportParams {
    /// Records appended at or after this time: RFC 3339, or YYYY-MM-DD for its midnight UTC.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")]
    from: String,
    /// Records appended before this time (after `from`), in the same forms.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")]
    to: String,
    /// Only records after this sequence number: the `next_after` of the previous page.
    #[serde(default)]
    after: u64,
    /// Most records in this page (default and at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The records appended in a time range, in chain order, a page at a time: follow
/// `next_after` until it is null. The CLI's `audit export` writes the same records as JSONL.
#[utoipa::path(
    get,
    path = "/v1/audit/export",
    tag = "audit",
    params(ExportParams),
    responses(
        (status = 200, description = "A page of records", body = AuditExportJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Needs the reviewer role", body = ErrorBody),
        (status = 422, description = "Missing or unreadable time, empty range, bad limit", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Json<AuditExportJson>, ApiError> {
    caller.require(Role::Reviewer)?;
    let params = query_params(params)?;
    let from = parse_time(&params.from).map_err(|e| ApiError::invalid("from", e))?;
    let to = parse_time(&params.to).map_err(|e| ApiError::invalid("to", e))?;
    if from >= to {
        return Err(ApiError::invalid("to", "`to` must be after `from`"));
    }
    let limit = params.limit.unwrap_or(MAX_EXPORT_PAGE);
    if limit == 0 || limit > MAX_EXPORT_PAGE {
        return Err(ApiError::invalid(
            "limit",
            format!("must be between 1 and {MAX_EXPORT_PAGE}"),
        ));
    }
    let page = state
        .store()
        .audit_records_between(from, to, params.after, limit)
        .await?;
    let next_after = (page.len() == limit as usize)
        .then(|| page.last().map(|r| r.seq))
        .flatten();
    let records = page
        .iter()
        .map(AuditRecordJson::from_record)
        .collect::<Result<_, _>>()?;
    Ok(Json(AuditExportJson {
        records,
        next_after,
    }))
}
