//! `POST /v1/screen/payment`: payment messages screened field by field, each screened message
//! recorded in the audit trail before it is answered. The body is a message as sent
//! (`application/xml` or `text/plain`; several SWIFT MT messages may follow one another), or a
//! JSON array of `{"name"?, "message"}` objects. With `?alerts=true` the messages that hit
//! open alerts for the four-eyes review (`/v1/alerts`), one per message and entity.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use interdict_app::payments::{
    PaymentAlerts, PaymentErrorJson, PaymentInput, record, screen_inputs,
};
use interdict_store::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::PaymentScreeningJson;
use crate::auth::Caller;
use crate::body::{declares, parse_batch, read_body};
use crate::error::{ApiError, ErrorBody};
use crate::params::query_params;

/// One message of a JSON batch.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PaymentMessageRequest {
    /// How the result names the message (default: its position, `[n]`).
    #[serde(default)]
    name: Option<String>,
    /// The message as sent: ISO 20022 XML or SWIFT MT text.
    message: String,
}

/// How to screen.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PaymentParams {
    /// Minimum score of a name match in [0, 1] (default 0.7).
    #[param(minimum = 0.0, maximum = 1.0)]
    threshold: Option<f64>,
    /// Open an alert for each message and listed entity (or jurisdiction rule) hit, reviewed
    /// under `/v1/alerts` like a customer's; the same message (format, message id, reference)
    /// screened again finds its alerts and opens none. Each result names them in `alert_ids`.
    #[serde(default)]
    alerts: bool,
}

/// One message's outcome: its screening, or why it could not be read.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum PaymentResultJson {
    /// Screened and recorded.
    Screened(PaymentScreeningJson),
    /// Not a message that can be read: `{"message", "error": {code, line, element, reason}}`.
    Unreadable {
        /// The message's name.
        message: String,
        /// What is wrong with it.
        #[schema(value_type = Object)]
        error: PaymentErrorJson,
    },
}

/// The outcome of every message of the request, in order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentResponse {
    /// One result per message.
    results: Vec<PaymentResultJson>,
}

/// Screens payment messages: parties with the name matcher (as people or organisations
/// where the field says), free text, BICs (a listed BIC8 covers its branches), IMO numbers,
/// wallets and sanctioned jurisdictions. A message that cannot be read is answered with its
/// own error and never stops the rest.
#[utoipa::path(
    post,
    path = "/v1/screen/payment",
    tag = "screening",
    params(PaymentParams),
    request_body(content = Vec<PaymentMessageRequest>, description = "A message as sent (application/xml or text/plain), or a JSON array of messages"),
    responses(
        (status = 200, description = "One result per message, each screened one recorded", body = PaymentResponse),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Empty body or batch, or a threshold out of range", body = ErrorBody),
        (status = 503, description = "No list loaded yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn screen_payment(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<PaymentParams>, QueryRejection>,
    request: Request,
) -> Result<Json<PaymentResponse>, ApiError> {
    caller.require(Role::Screener)?;
    let params = query_params(params)?;
    let json = declares(&request, &["application/json"]);
    let limits = state.config().limits;
    let bytes = read_body(
        request,
        &state,
        limits.max_body_bytes,
        limits.body_read_timeout,
    )
    .await?;
    let inputs = if json {
        let messages: Vec<PaymentMessageRequest> = parse_batch(&bytes, false, limits.max_batch)?;
        messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| PaymentInput {
                name: m.name.unwrap_or_else(|| format!("[{i}]")),
                bytes: m.message.into_bytes(),
            })
            .collect()
    } else {
        if bytes.trim_ascii().is_empty() {
            return Err(ApiError::invalid("body", "the body holds no message"));
        }
        vec![PaymentInput {
            name: "message".into(),
            bytes: bytes.to_vec(),
        }]
    };
    let threshold = params
        .threshold
        .unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    let snapshot = state.index().require()?;
    let actor = caller.actor.clone();
    // Parsing and screening are CPU work: on the screening pool, off the async workers.
    let screened = state
        .on_screening_pool(move || screen_inputs(&snapshot, &actor, &inputs, threshold))
        .await??;
    let alerts = if params.alerts {
        PaymentAlerts::Open
    } else {
        PaymentAlerts::None
    };
    let outcomes = record(state.store(), screened, alerts).await?;
    Ok(Json(PaymentResponse {
        results: outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Ok(screening) => PaymentResultJson::Screened(screening),
                Err(error) => PaymentResultJson::Unreadable {
                    message: error.message.clone(),
                    error,
                },
            })
            .collect(),
    }))
}
