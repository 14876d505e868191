//! The audit trail: one record, verification of the whole chain, replay of a screening.

use axum::Json;
use axum::extract::{Path, State};
use interdict_store::Role;

use crate::AppState;
use crate::api::{AuditRecordJson, ReplayResponse, VerifyResponse};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

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
    Path(id): Path<String>,
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
    Path(id): Path<String>,
) -> Result<Json<ReplayResponse>, ApiError> {
    caller.require(Role::Reviewer)?;
    Ok(Json(crate::screening::replay(state.store(), &id).await?))
}
