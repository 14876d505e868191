//! yente's routes (`POST /match/{dataset}`, `GET /entities/{id}`, `GET /search/{dataset}`,
//! `GET /catalog`, `GET /algorithms`), so that a client of OpenSanctions' screening API can
//! switch to interdict by changing its base URL. The contract and its mapping onto
//! interdict's screenings live in `interdict_app::yente`; this module extracts, checks the
//! role, runs the screenings on the screening pool and answers every failure as yente does,
//! `{"detail": "..."}` with yente's status (the service's own status for its own failures:
//! 401, 403, 429, 503).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use interdict_app::yente::{
    EntityMatchResponse, ErrorResponse, MatchBatch, MatchParams, MatchRequest, SearchResponse,
    YenteError,
};
use interdict_store::Role;
use serde_json::Value;

use crate::auth::Caller;
use crate::body::read_body;
use crate::error::ApiError;
use crate::{AppState, metrics};

/// The response header naming the request's `weights` and `config` entries that were
/// accepted, as yente accepts them, and not applied (`weights.name_match, config.nm_...`).
pub(crate) const NOT_APPLIED_HEADER: &str = "x-interdict-not-applied";

/// A failure answered in yente's shape.
#[derive(Debug)]
pub(crate) enum Failure {
    /// One of yente's own refusals, with its status.
    Yente(YenteError),
    /// The service's refusal (authentication, role, rate, readiness, internal).
    Service(ApiError),
}

impl From<YenteError> for Failure {
    fn from(error: YenteError) -> Self {
        match error {
            YenteError::App(error) => Failure::Service(error.into()),
            other => Failure::Yente(other),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure::Service(error)
    }
}

fn detail(status: StatusCode, message: String) -> Response {
    (status, Json(ErrorResponse { detail: message })).into_response()
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Yente(error) => {
                let status = error
                    .status()
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::BAD_REQUEST);
                detail(status, error.to_string())
            }
            Failure::Service(error) => {
                let message = match &error {
                    ApiError::Internal(_) => {
                        "internal error; the detail is in the server log".to_owned()
                    }
                    other => other.to_string(),
                };
                // The service's response (status, Retry-After; an internal error is logged)
                // with yente's body.
                let mut response = error.into_response();
                let body = detail(response.status(), message).into_body();
                *response.body_mut() = body;
                response
            }
        }
    }
}

/// The caller, who must hold the screener role.
fn screener(caller: Result<Caller, ApiError>) -> Result<Caller, Failure> {
    let caller = caller?;
    caller.require(Role::Screener)?;
    Ok(caller)
}

fn path<T>(path: Result<Path<T>, PathRejection>) -> Result<T, Failure> {
    path.map(|Path(value)| value)
        .map_err(|e| Failure::Yente(YenteError::Invalid(e.body_text())))
}

fn pairs(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Vec<(String, String)>, Failure> {
    query
        .map(|Query(pairs)| pairs)
        .map_err(|e| Failure::Yente(YenteError::Invalid(e.body_text())))
}

/// Matches a batch of FtM query entities against a dataset, as yente's `/match` does; every
/// name screened is recorded in the audit trail before the answer.
#[utoipa::path(
    post,
    path = "/match/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "`default` (every active list), a list id, or a collection (`GET /v1/datasets`)"),
        ("limit" = Option<usize>, Query, description = "Results per query (default 5, at most 500); `total.value` counts every match among the candidates screened, before the limit"),
        ("threshold" = Option<f64>, Query, description = "Score from which a result is a match (default 0.7)"),
        ("cutoff" = Option<f64>, Query, description = "Deprecated: lowest score returned (never above threshold)"),
        ("algorithm" = Option<String>, Query, description = "best, interdict, logic-v2, logic-v1, name-qualified or name-based"),
        ("include_dataset" = Option<Vec<String>>, Query, description = "Only these lists or collections (a collection stands for its lists)"),
        ("exclude_dataset" = Option<Vec<String>>, Query, description = "Not these lists or collections"),
        ("exclude_schema" = Option<Vec<String>>, Query, description = "Not these FtM schemata"),
        ("topics" = Option<Vec<String>>, Query, description = "Only entities with one of these topics (every listed entity has `sanction`)"),
        ("changed_since" = Option<String>, Query, description = "Only entities whose `last_change` (the list version in which their content last changed, by publication date else import time) is at or after this time: YYYY-MM-DD[THH[:MM[:SS]]]"),
        ("exclude_entity_ids" = Option<Vec<String>>, Query, description = "Not these entities (interdict or FtM ids)"),
        ("exclude_cleared" = Option<bool>, Query, description = "interdict's extension: for a query with an `id` (your customer id), leave out the entities whose alert for that customer was decided `false_positive` through the four-eyes review; each screening's audit record names them under `notes.exclude_cleared`"),
    ),
    request_body = MatchRequest,
    responses(
        (status = 200, description = "One answer per query, recorded in the audit trail; `weights` and logic-v2 `config` keys are accepted and not applied, and the `x-interdict-not-applied` header names them", body = EntityMatchResponse),
        (status = 400, description = "Empty or too large batch, unknown algorithm or configuration key, unreadable query", body = ErrorResponse),
        (status = 404, description = "No such dataset", body = ErrorResponse),
        (status = 422, description = "A parameter or the body is malformed or out of range", body = ErrorResponse),
    ),
    security(("bearer" = []), ("api_key" = []), ("yente_api_key" = []))
)]
pub(crate) async fn match_entities(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    dataset: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    request: Request,
) -> Result<Response, Failure> {
    let caller = screener(caller)?;
    let dataset = path(dataset)?;
    let mut params = MatchParams::from_pairs(&pairs(query)?)?;
    let limits = state.config().limits;
    let bytes = read_body(
        request,
        &state,
        limits.max_body_bytes,
        limits.body_read_timeout,
    )
    .await?;
    let body: MatchRequest = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Yente(YenteError::Invalid(format!("body: {e}"))))?;
    let snapshot = state.index().require()?;
    let dataset_lists =
        interdict_app::yente::dataset_lists(state.store(), &dataset, &snapshot).await?;
    interdict_app::yente::expand_dataset_filters(state.store(), &mut params, &snapshot).await?;
    let history = snapshot
        .entity_history(state.store())
        .await
        .map_err(YenteError::from)?;
    let mut batch = MatchBatch::new(
        dataset_lists,
        body,
        &params,
        history,
        state.screening_limits(),
    )?;
    state
        .rate_limiter()
        .charge_more(&caller.actor, batch.weight().saturating_sub(1))?;
    batch.load_cleared(state.store()).await?;
    let versions = snapshot.versions.clone();
    let ownership = Arc::clone(&snapshot.ownership);
    let (batch, results) = state
        .on_screening_pool(move || {
            let results = snapshot.screen(batch.screenings());
            (batch, results)
        })
        .await?;
    let screened = batch.screenings().len();
    let not_applied = batch.not_applied().to_vec();
    let matches = results.iter().map(Vec::len).sum();
    let answer = batch
        .record(
            state.store(),
            &caller.actor,
            &versions,
            &ownership,
            &results,
        )
        .await?;
    metrics::screened(screened, matches);
    let batch_size = answer.responses.len().to_string();
    let mut response = Json(answer).into_response();
    if let Ok(value) = HeaderValue::from_str(&batch_size) {
        response.headers_mut().insert("x-batch-size", value);
    }
    if !not_applied.is_empty()
        && let Ok(value) = HeaderValue::from_str(&not_applied.join(", "))
    {
        response.headers_mut().insert(NOT_APPLIED_HEADER, value);
    }
    Ok(response)
}

/// An active entity in FtM, by its interdict id (`ofac-sdn:36`) or its FtM id
/// (`ofac-sdn-36`).
#[utoipa::path(
    get,
    path = "/entities/{id}",
    tag = "yente",
    params(("id" = String, Path, description = "interdict or FtM entity id")),
    responses(
        (status = 200, description = "The entity in FtM", body = Object),
        (status = 404, description = "No such entity among the active lists", body = ErrorResponse),
    ),
    security(("bearer" = []), ("api_key" = []), ("yente_api_key" = []))
)]
pub(crate) async fn entity(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, Failure> {
    screener(caller)?;
    let id = path(id)?;
    let snapshot = state.index().require()?;
    let history = snapshot
        .entity_history(state.store())
        .await
        .map_err(YenteError::from)?;
    Ok(Json(interdict_app::yente::entity(
        &snapshot, &history, &id,
    )?))
}

/// Entities whose names are near `q` (a lookup, not recorded as a screening).
#[utoipa::path(
    get,
    path = "/search/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "`default`, a list id, or a collection"),
        ("q" = String, Query, description = "A name"),
        ("schema" = Option<String>, Query, description = "An FtM schema to narrow to"),
        ("limit" = Option<usize>, Query, description = "At most this many (default 10)"),
    ),
    responses(
        (status = 200, description = "Entities, best first", body = SearchResponse),
        (status = 404, description = "No such dataset", body = ErrorResponse),
        (status = 422, description = "No `q`, or a parameter out of range", body = ErrorResponse),
    ),
    security(("bearer" = []), ("api_key" = []), ("yente_api_key" = []))
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    dataset: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<SearchResponse>, Failure> {
    screener(caller)?;
    let dataset = path(dataset)?;
    let pairs = pairs(query)?;
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let q = get("q").unwrap_or_default().to_owned();
    let schema = get("schema").map(str::to_owned);
    let limit = match get("limit") {
        Some(text) => Some(text.trim().parse::<usize>().map_err(|_| {
            Failure::Yente(YenteError::Invalid(format!(
                "limit: {text:?} is not a number"
            )))
        })?),
        None => None,
    };
    let snapshot = state.index().require()?;
    let dataset_lists =
        interdict_app::yente::dataset_lists(state.store(), &dataset, &snapshot).await?;
    let history = snapshot
        .entity_history(state.store())
        .await
        .map_err(YenteError::from)?;
    let limits = state.screening_limits();
    let answer = state
        .on_screening_pool(move || {
            interdict_app::yente::search(
                &snapshot,
                &history,
                &dataset_lists,
                &q,
                schema.as_deref(),
                limit,
                limits,
            )
        })
        .await??;
    Ok(Json(answer))
}

/// The datasets: `default`, one per active list, and each collection with its `children`.
#[utoipa::path(
    get,
    path = "/catalog",
    tag = "yente",
    responses((status = 200, description = "yente's data catalog", body = Object)),
    security(("bearer" = []), ("api_key" = []), ("yente_api_key" = []))
)]
pub(crate) async fn catalog(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Value>, Failure> {
    screener(caller)?;
    let snapshot = state.index().require()?;
    let collections = state
        .store()
        .dataset_collections()
        .await
        .map_err(|e| YenteError::from(interdict_app::Error::from(e)))?;
    Ok(Json(interdict_app::yente::catalog(&snapshot, &collections)))
}

/// The algorithm names `/match` answers for.
#[utoipa::path(
    get,
    path = "/algorithms",
    tag = "yente",
    responses((status = 200, description = "Algorithms, `default` and `best`", body = Object)),
    security(("bearer" = []), ("api_key" = []), ("yente_api_key" = []))
)]
pub(crate) async fn algorithms(caller: Result<Caller, ApiError>) -> Result<Json<Value>, Failure> {
    screener(caller)?;
    Ok(Json(interdict_app::yente::algorithms()))
}
