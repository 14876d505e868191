//! `POST /v1/scan`: documents scanned for mentions of listed parties, each scan recorded in
//! the audit trail before it is answered.

use axum::Json;
use axum::extract::{Request, State};
use interdict_app::scan::{Scan, ScanLimits, scan_all};
use interdict_store::Role;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{ScanRequest, ScanResponse};
use crate::auth::Caller;
use crate::body::{parse_batch, read_body};
use crate::error::{ApiError, ErrorBody};

/// The answer to a batch: one result per document, in order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ScanBatchResponse {
    /// One result per document.
    results: Vec<ScanResponse>,
}

/// The answer: one document's result for an object, `{"results": [...]}` for an array.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ScanAnswer {
    /// One document.
    One(ScanResponse),
    /// A batch.
    Many(ScanBatchResponse),
}

/// Scans text for every name and alias of every active list, in any script: people as
/// listed or reordered or in other romanisations, with titles and possessives; surnames
/// linked to a full mention; organisations with legal forms rewritten; vessels by name and
/// IMO number; wallets and BICs. Byte offsets into the UTF-8 text. A JSON object scans one
/// document; an array scans each.
#[utoipa::path(
    post,
    path = "/v1/scan",
    tag = "screening",
    request_body(content = ScanRequest, description = "A document, or a JSON array of documents"),
    responses(
        (status = 200, description = "The mentions, recorded (a batch answers `{\"results\": [...]}`)", body = ScanResponse),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid field, empty or too long batch", body = ErrorBody),
        (status = 503, description = "No list loaded yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn scan(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Json<ScanAnswer>, ApiError> {
    caller.require(Role::Screener)?;
    let limits = state.config().limits;
    let bytes = read_body(
        request,
        &state,
        limits.max_body_bytes,
        limits.body_read_timeout,
    )
    .await?;
    let batch = bytes.trim_ascii_start().first() == Some(&b'[');
    let requests: Vec<ScanRequest> = if batch {
        parse_batch(&bytes, false, limits.max_batch)?
    } else {
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        if !value.is_object() {
            return Err(ApiError::invalid("body", "expected a JSON object or array"));
        }
        vec![serde_json::from_value(value).map_err(|e| ApiError::invalid("body", e.to_string()))?]
    };
    let scan_limits = ScanLimits {
        max_text_bytes: limits.max_body_bytes,
        ..ScanLimits::default()
    };
    let scans = requests
        .into_iter()
        .enumerate()
        .map(|(i, request)| {
            let prefix = if batch {
                format!("[{i}].")
            } else {
                String::new()
            };
            Scan::new(request, scan_limits, &prefix)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let snapshot = state.index().require()?;
    let versions = snapshot.versions.clone();
    // Scanning is CPU work: on the screening pool, off the async workers.
    let (scans, results) = state
        .on_screening_pool(move || {
            let results = scan_all(&snapshot, &scans);
            (scans, results)
        })
        .await?;
    let mut responses =
        interdict_app::scan::record(state.store(), &caller.actor, &versions, &scans, &results)
            .await?;
    if batch {
        return Ok(Json(ScanAnswer::Many(ScanBatchResponse {
            results: responses,
        })));
    }
    responses
        .pop()
        .map(|one| Json(ScanAnswer::One(one)))
        .ok_or_else(|| ApiError::internal("a scan produced no result"))
}
