//! `POST /v1/screen` and `POST /v1/screen/batch`: screen, record in the audit trail, answer.
//! A screening is recorded before its response is sent; one that cannot be recorded fails.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use interdict_app::PartyMatch;
use interdict_app::Screening;
use interdict_store::Role;

use crate::api::{BatchResponse, ScreenRequest, ScreenResponse};
use crate::auth::Caller;
use crate::body::{JsonBody, is_ndjson, parse_batch, read_body};
use crate::error::{ApiError, ErrorBody};
use crate::live::Snapshot;
use crate::{AppState, metrics};

/// Screens validated requests against one snapshot on the screening pool, off the async
/// workers; a batch is spread over the pool's threads.
async fn run(
    state: &AppState,
    snapshot: Arc<Snapshot>,
    screenings: Vec<Screening>,
) -> Result<(Vec<Screening>, Vec<Vec<PartyMatch>>), ApiError> {
    state
        .on_screening_pool(move || {
            let results = snapshot.screen(&screenings);
            (screenings, results)
        })
        .await
}

/// Screens and records a batch in one audit transaction; results in request order.
async fn screen_all(
    state: &AppState,
    caller: &Caller,
    requests: Vec<ScreenRequest>,
    in_batch: bool,
) -> Result<Vec<ScreenResponse>, ApiError> {
    let limits = state.screening_limits();
    let screenings = requests
        .into_iter()
        .enumerate()
        .map(|(i, request)| {
            let prefix = if in_batch {
                format!("[{i}].")
            } else {
                String::new()
            };
            Screening::new(request, limits, &prefix)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Refused before anything is screened or recorded: a batch asking for too many matches,
    // and a caller whose budget cannot take what the screenings weigh.
    interdict_app::screening::check_batch(&screenings, limits)?;
    let weight = interdict_app::screening::weight(&screenings);
    state
        .rate_limiter()
        .charge_more(&caller.actor, weight.saturating_sub(1))?;
    let snapshot = state.index().require()?;
    let versions = snapshot.versions.clone();
    let ownership = std::sync::Arc::clone(&snapshot.ownership);
    let (screenings, results) = run(state, snapshot, screenings).await?;
    let responses = interdict_app::screening::record(
        state.store(),
        &caller.actor,
        &versions,
        &ownership,
        &screenings,
        &results,
    )
    .await?;
    let match_count = responses.iter().map(|r| r.matches.len()).sum();
    metrics::screened(responses.len(), match_count);
    Ok(responses)
}

/// Screens one name against the active list versions.
#[utoipa::path(
    post,
    path = "/v1/screen",
    tag = "screening",
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "Matches, recorded in the audit trail", body = ScreenResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
        (status = 429, description = "Rate limit exceeded", body = ErrorBody),
        (status = 503, description = "No list loaded yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn screen(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<ScreenRequest>,
) -> Result<Json<ScreenResponse>, ApiError> {
    caller.require(Role::Screener)?;
    let mut responses = screen_all(&state, &caller, vec![request], false).await?;
    responses
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::internal("a screening produced no result"))
}

/// Screens many names: a JSON array, or NDJSON with `Content-Type: application/x-ndjson`.
/// Every request is validated before any is screened; each is recorded in the audit trail.
#[utoipa::path(
    post,
    path = "/v1/screen/batch",
    tag = "screening",
    request_body(content = Vec<ScreenRequest>, description = "A JSON array, or one request per line as application/x-ndjson"),
    responses(
        (status = 200, description = "One result per request, in order", body = BatchResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 408, description = "The body was not received in time", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid field; empty or too long batch, or one asking for too many matches in all", body = ErrorBody),
        (status = 429, description = "Rate limit exceeded", body = ErrorBody),
        (status = 503, description = "No list loaded yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn screen_batch(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Json<BatchResponse>, ApiError> {
    caller.require(Role::Screener)?;
    let ndjson = is_ndjson(&request);
    let limits = state.config().limits;
    let bytes = read_body(
        request,
        &state,
        limits.max_body_bytes,
        limits.body_read_timeout,
    )
    .await?;
    let requests: Vec<ScreenRequest> = parse_batch(&bytes, ndjson, limits.max_batch)?;
    let results = screen_all(&state, &caller, requests, true).await?;
    Ok(Json(BatchResponse { results }))
}
