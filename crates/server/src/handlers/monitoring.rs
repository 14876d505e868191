//! Continuous monitoring over HTTP: the customer portfolio (analyst), alerts (analyst), and
//! four-eyes decisions: an analyst proposes, a reviewer who is another key approves or
//! rejects. The acting user is the API key; without authentication every caller is the same
//! `anonymous` user, so nothing can be approved.
//!
//! The request and response types are this module's own (the monitoring part of the API
//! contract). `POST /v1/monitor/run` runs monitoring as `interdict monitor run` does.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use interdict_store::{AlertFilter, AlertStatus, Customer, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{AlertDetailJson, AlertJson, MonitorReport};
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::{ApiError, ErrorBody};
use crate::params::{ApiPath, query_params};

/// A customer's fields (the id is in the path or the batch item).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomerRequest {
    /// The name, in any script and order (not blank).
    #[schema(example = "Yelena Mizulina", pattern = r"\S")]
    pub(crate) name: String,
    /// Date of birth: `YYYY-MM-DD`, `YYYY`, `circa 1960`, ...
    #[serde(default)]
    pub(crate) dob: Option<String>,
    /// Countries, ISO codes or names, separated by `;`.
    #[serde(default)]
    pub(crate) country: Option<String>,
    /// `person`, `organization`, `vessel`, `aircraft` or `any` (the default; so is empty).
    #[serde(default)]
    #[schema(pattern = "^(person|organization|vessel|aircraft|any)?$")]
    pub(crate) schema: Option<String>,
}

/// One customer of a bulk upload.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BulkCustomer {
    /// The bank's customer id (not blank).
    #[schema(pattern = r"\S")]
    pub(crate) id: String,
    /// The name (not blank).
    #[schema(pattern = r"\S")]
    pub(crate) name: String,
    /// Date of birth.
    #[serde(default)]
    pub(crate) dob: Option<String>,
    /// Countries, `;`-separated.
    #[serde(default)]
    pub(crate) country: Option<String>,
    /// The kind of party, as in a single customer.
    #[serde(default)]
    #[schema(pattern = "^(person|organization|vessel|aircraft|any)?$")]
    pub(crate) schema: Option<String>,
}

/// A bulk upload of customers.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BulkCustomersRequest {
    /// The customers; invalid ones are reported and skipped.
    pub(crate) customers: Vec<BulkCustomer>,
}

/// What happened to one customer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CustomerOutcomeJson {
    /// The customer id.
    pub(crate) id: String,
    /// `new`, `changed` or `unchanged`.
    pub(crate) outcome: String,
}

/// A customer that was not imported.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct InvalidCustomerJson {
    /// Its position in `customers`, from 0.
    pub(crate) index: usize,
    /// What is wrong with it.
    pub(crate) error: String,
}

/// What a bulk upload did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BulkOutcomeJson {
    /// Customers added.
    pub(crate) new: usize,
    /// Customers changed.
    pub(crate) changed: usize,
    /// Customers given as stored.
    pub(crate) unchanged: usize,
    /// Customers refused, with why.
    pub(crate) invalid: Vec<InvalidCustomerJson>,
}

/// What removing a customer did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RemovedCustomerJson {
    /// The customer id.
    pub(crate) id: String,
    /// Open alerts closed with reason `customer_removed`.
    pub(crate) alerts_closed: usize,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AlertsQuery {
    /// `open`, `escalated`, `true_match`, `false_positive`, `closed`, or `pending` (a
    /// decision waits for approval).
    #[param(pattern = "^(open|escalated|true_match|false_positive|closed|pending)?$")]
    pub(crate) status: Option<String>,
    /// Only this customer's alerts.
    pub(crate) customer: Option<String>,
}

/// A decision to propose (`true_match`, `false_positive`) or an escalation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionRequest {
    /// `true_match`, `false_positive` or `escalate`.
    #[schema(
        example = "false_positive",
        pattern = "^(true_match|false_positive|escalate)$"
    )]
    pub(crate) decision: String,
    /// Why (required, not blank).
    #[schema(pattern = r"\S")]
    pub(crate) note: String,
}

/// A review of the decision waiting on an alert.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewRequest {
    /// Why (for a rejection).
    #[serde(default)]
    pub(crate) note: Option<String>,
}

/// Validates a customer's fields as a screening request's, naming the field at fault.
fn customer(id: &str, request: CustomerRequest, prefix: &str) -> Result<Customer, ApiError> {
    Ok(interdict_app::portfolio::customer(
        id,
        &request.name,
        request.dob.as_deref(),
        request.country.as_deref(),
        request.schema.as_deref(),
        prefix,
    )?)
}

fn alert_id(text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse()
        .map_err(|_| ApiError::NotFound(format!("alert {text}")))
}

/// Adds or updates one customer.
#[utoipa::path(
    put,
    path = "/v1/portfolio/{id}",
    tag = "monitoring",
    params(("id" = String, Path, description = "The bank's customer id")),
    request_body = CustomerRequest,
    responses(
        (status = 200, description = "new, changed or unchanged", body = CustomerOutcomeJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn put_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(request): JsonBody<CustomerRequest>,
) -> Result<Json<CustomerOutcomeJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let customer = customer(&id, request, "")?;
    let outcome = state
        .store()
        .upsert_customers(std::slice::from_ref(&customer))
        .await?;
    let word = if outcome.new > 0 {
        "new"
    } else if outcome.changed > 0 {
        "changed"
    } else {
        "unchanged"
    };
    Ok(Json(CustomerOutcomeJson {
        id: customer.id,
        outcome: word.into(),
    }))
}

/// Adds or updates many customers; invalid ones are reported by position and skipped.
#[utoipa::path(
    post,
    path = "/v1/portfolio",
    tag = "monitoring",
    request_body = BulkCustomersRequest,
    responses(
        (status = 200, description = "Counts and invalid customers", body = BulkOutcomeJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn bulk_customers(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<BulkCustomersRequest>,
) -> Result<Json<BulkOutcomeJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let mut good: Vec<Customer> = Vec::new();
    let mut invalid = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, item) in request.customers.into_iter().enumerate() {
        let fields = CustomerRequest {
            name: item.name,
            dob: item.dob,
            country: item.country,
            schema: item.schema,
        };
        match customer(&item.id, fields, &format!("customers[{index}].")) {
            Ok(c) => match seen.get(&c.id) {
                Some(first) => invalid.push(InvalidCustomerJson {
                    index,
                    error: format!("customer id {:?} is already at index {first}", c.id),
                }),
                None => {
                    seen.insert(c.id.clone(), index);
                    good.push(c);
                }
            },
            Err(e) => invalid.push(InvalidCustomerJson {
                index,
                error: e.to_string(),
            }),
        }
    }
    let outcome = state.store().upsert_customers(&good).await?;
    Ok(Json(BulkOutcomeJson {
        new: outcome.new,
        changed: outcome.changed,
        unchanged: outcome.unchanged,
        invalid,
    }))
}

/// Removes a customer; its open alerts close with reason `customer_removed`.
#[utoipa::path(
    delete,
    path = "/v1/portfolio/{id}",
    tag = "monitoring",
    params(("id" = String, Path, description = "The bank's customer id")),
    responses(
        (status = 200, description = "Removed", body = RemovedCustomerJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn delete_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RemovedCustomerJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let outcome = state
        .store()
        .remove_customers(std::slice::from_ref(&id), &caller.actor)
        .await?;
    if outcome.removed.is_empty() {
        return Err(ApiError::NotFound(format!("customer {id}")));
    }
    Ok(Json(RemovedCustomerJson {
        id,
        alerts_closed: outcome.alerts_closed,
    }))
}

/// Alerts, oldest first.
#[utoipa::path(
    get,
    path = "/v1/alerts",
    tag = "monitoring",
    params(AlertsQuery),
    responses(
        (status = 200, description = "Alerts", body = [AlertJson]),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 422, description = "Unknown status, or a query that does not parse", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn alerts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AlertsQuery>, QueryRejection>,
) -> Result<Json<Vec<AlertJson>>, ApiError> {
    caller.require(Role::Analyst)?;
    let query = query_params(query)?;
    let mut filter = AlertFilter {
        customer_id: query.customer,
        ..AlertFilter::default()
    };
    match query.status.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("pending") => filter.awaiting_approval = true,
        Some(status) => {
            filter.status = Some(
                status
                    .parse::<AlertStatus>()
                    .map_err(|e| ApiError::invalid("status", e))?,
            );
        }
    }
    let alerts = state.store().alerts(&filter).await?;
    Ok(Json(alerts.iter().map(AlertJson::from).collect()))
}

/// One alert with its explanation, history and proposals.
#[utoipa::path(
    get,
    path = "/v1/alerts/{id}",
    tag = "monitoring",
    params(("id" = i64, Path, description = "The alert id")),
    responses(
        (status = 200, description = "The alert", body = AlertDetailJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn alert(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AlertDetailJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let detail = interdict_app::alerts::detail(state.store(), alert_id(&id)?).await?;
    let also_listed = crate::handlers::lists::also_listed(&state, &detail.alert.entity_id).await?;
    Ok(Json(
        interdict_app::alerts::with_party(state.store(), detail, also_listed).await?,
    ))
}

/// Proposes a decision (another key must approve it) or escalates.
#[utoipa::path(
    post,
    path = "/v1/alerts/{id}/decision",
    tag = "monitoring",
    params(("id" = i64, Path, description = "The alert id")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "The alert, with the proposal pending", body = AlertJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
        (status = 422, description = "Not decidable now, or no note", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(request): JsonBody<DecisionRequest>,
) -> Result<Json<AlertJson>, ApiError> {
    caller.require(Role::Analyst)?;
    let id = alert_id(&id)?;
    let action = interdict_app::alerts::parse_action(&request.decision)?;
    let alert =
        interdict_app::alerts::act(state.store(), id, action, &caller.actor, &request.note).await?;
    Ok(Json(AlertJson::from(&alert)))
}

/// Approves the decision waiting on an alert; the key that proposed it cannot.
#[utoipa::path(
    post,
    path = "/v1/alerts/{id}/approve",
    tag = "monitoring",
    params(("id" = i64, Path, description = "The alert id")),
    responses(
        (status = 200, description = "The decided alert", body = AlertJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not a reviewer key", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
        (status = 422, description = "Nothing to approve, or the caller proposed it", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AlertJson>, ApiError> {
    caller.require(Role::Reviewer)?;
    let alert = state
        .store()
        .approve_decision(alert_id(&id)?, &caller.actor)
        .await?;
    Ok(Json(AlertJson::from(&alert)))
}

/// Rejects the decision waiting on an alert; the key that proposed it cannot.
#[utoipa::path(
    post,
    path = "/v1/alerts/{id}/reject",
    tag = "monitoring",
    params(("id" = i64, Path, description = "The alert id")),
    request_body = ReviewRequest,
    responses(
        (status = 200, description = "The alert, as it was", body = AlertJson),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not a reviewer key", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
        (status = 422, description = "Nothing to reject, or the caller proposed it", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    JsonBody(request): JsonBody<ReviewRequest>,
) -> Result<Json<AlertJson>, ApiError> {
    caller.require(Role::Reviewer)?;
    let alert = state
        .store()
        .reject_decision(alert_id(&id)?, &caller.actor, request.note.as_deref())
        .await?;
    Ok(Json(AlertJson::from(&alert)))
}

/// How to run monitoring.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MonitorRunRequest {
    /// Re-screen every customer against every active entity instead of what changed.
    #[serde(default)]
    full: bool,
}

/// Runs monitoring now, as `interdict monitor run` does: new and changed customers against
/// the active lists, and what the lists added or changed since the last run against the
/// rest of the portfolio (or everything with `full`). Runs of one service are serialised.
#[utoipa::path(
    post,
    path = "/v1/monitor/run",
    tag = "monitoring",
    request_body = MonitorRunRequest,
    responses(
        (status = 200, description = "What the run screened and raised", body = MonitorReport),
        (status = 401, description = "No or unknown API key", body = ErrorBody),
        (status = 403, description = "Not an analyst key", body = ErrorBody),
        (status = 503, description = "No list imported yet", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn run_monitor(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<MonitorRunRequest>,
) -> Result<Json<MonitorReport>, ApiError> {
    caller.require(Role::Analyst)?;
    Ok(Json(
        state.run_monitoring(request.full, &caller.actor).await?,
    ))
}
