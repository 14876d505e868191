//! Alerts: one per (subject, entity) pair, with their history and four-eyes decisions. The
//! subject is a portfolio customer (monitoring) or a screened payment message
//! ([`Store::open_payment_alerts`]); both are reviewed the same way.
//!
//! A monitoring run's plan is recorded in one transaction ([`Store::record_monitor_run`]):
//! new alerts, re-raised pairs (the decision they had is kept beside them as the previous
//! decision), refreshed open alerts, closed alerts, and what the portfolio was screened
//! against. Every action on an alert appends to its history, and every action a subscriber
//! cares about also writes one webhook outbox row per subscription in the same transaction,
//! so a notification is never lost and never sent for something that did not happen.
//!
//! Decisions take two people: an analyst proposes `true_match` or `false_positive` with a
//! note, and a different user approves (the alert takes the decision) or rejects it (the
//! alert stays as it was). The check is done in the database transaction, so nobody approves
//! their own proposal whichever client they use. Escalation is one person's act. Each of these
//! acts is also an audit record (kind `alert`), appended in the transaction that makes it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use interdict_model::AlertReason;

use crate::audit::{AuditKind, AuditRecord, NewAuditRecord};
use crate::portfolio::now;
use crate::{Error, Store};

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertStatus {
    /// Waiting for an analyst.
    Open,
    /// Waiting for a senior analyst.
    Escalated,
    /// Decided: the customer is the listed party.
    TrueMatch,
    /// Decided: the customer is not the listed party.
    FalsePositive,
    /// Closed without a decision: the entity was delisted or the customer removed.
    Closed,
}

impl AlertStatus {
    /// Every status.
    pub const ALL: [AlertStatus; 5] = [
        AlertStatus::Open,
        AlertStatus::Escalated,
        AlertStatus::TrueMatch,
        AlertStatus::FalsePositive,
        AlertStatus::Closed,
    ];

    /// The stored and printed name, e.g. `false_positive`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Escalated => "escalated",
            AlertStatus::TrueMatch => "true_match",
            AlertStatus::FalsePositive => "false_positive",
            AlertStatus::Closed => "closed",
        }
    }

    /// Whether the alert waits for someone (open or escalated).
    pub fn is_open(self) -> bool {
        matches!(self, AlertStatus::Open | AlertStatus::Escalated)
    }

    /// Whether the alert carries a decision (true match or false positive).
    pub fn is_decided(self) -> bool {
        matches!(self, AlertStatus::TrueMatch | AlertStatus::FalsePositive)
    }
}

impl fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AlertStatus {
    type Err = String;

    /// Accepts `true_match` and `true-match` alike.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        AlertStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown alert status {s:?} (one of {})",
                    AlertStatus::ALL.map(AlertStatus::as_str).join(", ")
                )
            })
    }
}

/// A decision an analyst can propose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The customer is the listed party.
    TrueMatch,
    /// The customer is not the listed party.
    FalsePositive,
}

impl Decision {
    /// The status the alert takes when the decision is approved.
    pub fn status(self) -> AlertStatus {
        match self {
            Decision::TrueMatch => AlertStatus::TrueMatch,
            Decision::FalsePositive => AlertStatus::FalsePositive,
        }
    }
}

/// A hit to raise, re-raise or refresh an alert with.
#[derive(Debug, Clone)]
pub struct NewAlert {
    /// The customer id.
    pub customer_id: String,
    /// The listed entity id (`<list>:<source-id>`).
    pub entity_id: String,
    /// The list version the entity was screened in.
    pub list_version: String,
    /// The score, in [0, 1].
    pub score: f64,
    /// The entity's name that matched.
    pub matched_name: String,
    /// The explanation of the score, as JSON.
    pub explanation: Value,
    /// The customer's match-relevant fingerprint.
    pub customer_fingerprint: String,
    /// The entity's match-relevant fingerprint.
    pub entity_fingerprint: String,
    /// Why it is raised (unused for a refresh).
    pub reason: AlertReason,
}

/// A monitoring run's outcome, to record at once.
#[derive(Debug, Clone, Default)]
pub struct MonitorRun {
    /// Pairs with no alert yet.
    pub create: Vec<NewAlert>,
    /// Decided or closed pairs to open again.
    pub reraise: Vec<NewAlert>,
    /// Open alerts whose data changed.
    pub refresh: Vec<NewAlert>,
    /// Open alerts to close: (customer id, entity id, reason).
    pub close: Vec<(String, String, AlertReason)>,
    /// The list versions screened, by list id.
    pub lists: BTreeMap<String, String>,
    /// The portfolio revision screened through.
    pub customers_screened_through: i64,
    /// Who ran it (recorded in the history), e.g. `monitor`.
    pub actor: String,
}

/// What recording a run did (pairs that changed under the run are skipped).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonitorRunOutcome {
    /// Alerts created.
    pub created: usize,
    /// Alerts opened again.
    pub reraised: usize,
    /// Open alerts refreshed.
    pub refreshed: usize,
    /// Alerts closed.
    pub closed: usize,
}

/// An existing alert as monitoring planning needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertKey {
    /// The customer id.
    pub customer_id: String,
    /// The entity id.
    pub entity_id: String,
    /// Where it stands.
    pub status: AlertStatus,
    /// The customer's fingerprint the alert is about.
    pub customer_fingerprint: String,
    /// The entity's fingerprint the alert is about.
    pub entity_fingerprint: String,
}

/// An approved decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    /// `true_match` or `false_positive`.
    pub status: AlertStatus,
    /// The analyst's note.
    pub note: String,
    /// Who proposed it.
    pub decided_by: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved (RFC 3339).
    pub decided_at: String,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalState {
    /// Waiting for a second person.
    Pending,
    /// Approved: the alert took the decision.
    Approved,
    /// Rejected: the alert stayed as it was.
    Rejected,
    /// Voided because the alert's data changed or it closed before review.
    Superseded,
}

impl ProposalState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Pending => "pending",
            ProposalState::Approved => "approved",
            ProposalState::Rejected => "rejected",
            ProposalState::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> Option<ProposalState> {
        [
            ProposalState::Pending,
            ProposalState::Approved,
            ProposalState::Rejected,
            ProposalState::Superseded,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// A proposed decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Its id.
    pub id: i64,
    /// The decision proposed.
    pub decision: Decision,
    /// The analyst's note.
    pub note: String,
    /// Who proposed it.
    pub proposed_by: String,
    /// When (RFC 3339).
    pub proposed_at: String,
    /// Where it stands.
    pub state: ProposalState,
    /// Who approved or rejected it.
    pub reviewed_by: Option<String>,
    /// When it was reviewed or voided.
    pub reviewed_at: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertSubjectKind {
    /// A customer of the monitored portfolio.
    Customer,
    /// A screened payment message.
    Payment,
}

impl AlertSubjectKind {
    /// The stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSubjectKind::Customer => "customer",
            AlertSubjectKind::Payment => "payment",
        }
    }
}

impl FromStr for AlertSubjectKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "customer" => Ok(AlertSubjectKind::Customer),
            "payment" => Ok(AlertSubjectKind::Payment),
            other => Err(format!("unknown alert subject {other:?}")),
        }
    }
}

/// A payment alert to open: one per (message, entity or jurisdiction rule).
#[derive(Debug, Clone)]
pub struct NewPaymentAlert {
    /// The message's key (`payment:<format>/<message id>/<reference>`): screening the same
    /// message again finds the same alert.
    pub subject_key: String,
    /// What the analyst sees of the message: its id, reference, format, screening, the field
    /// and value that hit (the application layer's JSON).
    pub subject: Value,
    /// The listed entity id, or `jurisdiction:<rule>` for a sanctioned place.
    pub entity_id: String,
    /// The list version screened against (empty for a jurisdiction rule).
    pub list_version: String,
    /// The score, in [0, 1].
    pub score: f64,
    /// The listed name (or the rule's description) that was hit.
    pub matched_name: String,
    /// Why it scored what it did.
    pub explanation: Value,
}

/// An alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Its id.
    pub id: i64,
    /// The customer id, or for a payment alert the message's key.
    pub customer_id: String,
    /// Whether it is about a customer or a payment.
    pub subject_kind: AlertSubjectKind,
    /// For a payment alert, the message and the field that hit (JSON).
    pub subject: Option<Value>,
    /// The listed entity id.
    pub entity_id: String,
    /// The entity's list.
    pub list: String,
    /// The list version the entity was last screened in.
    pub list_version: String,
    /// The score, in [0, 1].
    pub score: f64,
    /// The entity's name that matched.
    pub matched_name: String,
    /// Where it stands.
    pub status: AlertStatus,
    /// Why it was (re-)raised or closed.
    pub reason: AlertReason,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// The decision it carries, when decided.
    pub decision: Option<DecisionRecord>,
    /// The decision the pair had before it was raised again.
    pub previous_decision: Option<DecisionRecord>,
    /// The decision waiting for approval, if any.
    pub pending: Option<Proposal>,
}

/// One entry of an alert's history.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertEvent {
    /// Its id (also the `event_id` of its webhook notifications).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who: a user, or `monitor`.
    pub actor: String,
    /// `created`, `reraised`, `refreshed`, `closed`, `proposed`, `approved`, `rejected`,
    /// `escalated`, `superseded`.
    pub action: String,
    /// The alert's status after it.
    pub status: AlertStatus,
    /// A note, when one was given.
    pub note: Option<String>,
    /// Details (score, reason, decision) as JSON.
    pub detail: Value,
}

/// An alert with everything known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertDetail {
    /// The alert.
    pub alert: Alert,
    /// The explanation of its score.
    pub explanation: Value,
    /// The customer's fingerprint it is about.
    pub customer_fingerprint: String,
    /// The entity's fingerprint it is about.
    pub entity_fingerprint: String,
    /// Its history, oldest first.
    pub history: Vec<AlertEvent>,
    /// Every decision proposed on it, oldest first.
    pub proposals: Vec<Proposal>,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// Only alerts in this status.
    pub status: Option<AlertStatus>,
    /// Only alerts of this customer.
    pub customer_id: Option<String>,
    /// Only alerts about this kind of subject.
    pub subject_kind: Option<AlertSubjectKind>,
    /// Only alerts with a decision waiting for approval.
    pub awaiting_approval: bool,
}

/// History actions that subscribers are told about.
const NOTIFIED: [&str; 7] = [
    "created",
    "reraised",
    "closed",
    "proposed",
    "approved",
    "rejected",
    "escalated",
];

const ALERT_COLUMNS: &str = "a.alert_id, a.customer_id, a.subject_kind, a.subject, a.entity_id, a.list_id, a.list_version, \
     a.score_e4, a.matched_name, a.status, a.reason, a.created_at, a.updated_at, \
     a.decision_note, a.decided_by, a.approved_by, a.decided_at, a.previous_status, \
     a.previous_note, a.previous_decided_by, a.previous_approved_by, a.previous_decided_at, \
     p.proposal_id, p.decision, p.note, p.proposed_by, p.proposed_at, p.state, \
     p.reviewed_by, p.reviewed_at, p.review_note";

const ALERT_FROM: &str = "FROM alerts a LEFT JOIN alert_proposals p \
     ON p.alert_id = a.alert_id AND p.state = 'pending'";

fn score_e4(score: f64) -> i64 {
    (score.clamp(0.0, 1.0) * 10_000.0).round() as i64
}

fn corrupt(what: String) -> impl Fn(String) -> Error {
    move |reason| Error::Corrupt {
        what: what.clone(),
        reason,
    }
}

fn decision_of(status: AlertStatus) -> Option<Decision> {
    match status {
        AlertStatus::TrueMatch => Some(Decision::TrueMatch),
        AlertStatus::FalsePositive => Some(Decision::FalsePositive),
        _ => None,
    }
}

/// The current decision's columns, and the previous decision's.
const DECISION_COLUMNS: [&str; 4] = ["decision_note", "decided_by", "approved_by", "decided_at"];
const PREVIOUS_COLUMNS: [&str; 4] = [
    "previous_note",
    "previous_decided_by",
    "previous_approved_by",
    "previous_decided_at",
];

fn decision_record(
    row: &AnyRow,
    status: Option<AlertStatus>,
    [note, decided_by, approved_by, decided_at]: [&str; 4],
) -> Result<Option<DecisionRecord>, Error> {
    let Some(status) = status.filter(|s| s.is_decided()) else {
        return Ok(None);
    };
    let text = |column: &str| -> Result<String, Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .unwrap_or_default())
    };
    Ok(Some(DecisionRecord {
        status,
        note: text(note)?,
        decided_by: text(decided_by)?,
        approved_by: text(approved_by)?,
        decided_at: text(decided_at)?,
    }))
}

fn proposal_from_row(row: &AnyRow, id_column: &str) -> Result<Option<Proposal>, Error> {
    let id: Option<i64> = row.try_get(id_column)?;
    let Some(id) = id else { return Ok(None) };
    let bad = corrupt(format!("proposal {id}"));
    let decision: String = row.try_get("decision")?;
    let decision = decision
        .parse::<AlertStatus>()
        .ok()
        .and_then(decision_of)
        .ok_or_else(|| bad(format!("decision {decision:?}")))?;
    let state: String = row.try_get("state")?;
    let state = ProposalState::parse(&state).ok_or_else(|| bad(format!("state {state:?}")))?;
    Ok(Some(Proposal {
        id,
        decision,
        note: row.try_get("note")?,
        proposed_by: row.try_get("proposed_by")?,
        proposed_at: row.try_get("proposed_at")?,
        state,
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_at: row.try_get("reviewed_at")?,
        review_note: row.try_get("review_note")?,
    }))
}

fn alert_from_row(row: &AnyRow) -> Result<Alert, Error> {
    let id: i64 = row.try_get("alert_id")?;
    let bad = corrupt(format!("alert {id}"));
    let status: String = row.try_get("status")?;
    let status: AlertStatus = status.parse().map_err(&bad)?;
    let reason: String = row.try_get("reason")?;
    let reason: AlertReason = reason.parse().map_err(&bad)?;
    let previous: Option<String> = row.try_get("previous_status")?;
    let previous = previous
        .map(|p| p.parse::<AlertStatus>().map_err(&bad))
        .transpose()?;
    let score: i64 = row.try_get("score_e4")?;
    let subject_kind: String = row.try_get("subject_kind")?;
    let subject_kind: AlertSubjectKind = subject_kind.parse().map_err(&bad)?;
    let subject: Option<String> = row.try_get("subject")?;
    let subject = subject
        .map(|text| serde_json::from_str::<Value>(&text).map_err(|e| bad(e.to_string())))
        .transpose()?;
    Ok(Alert {
        id,
        customer_id: row.try_get("customer_id")?,
        subject_kind,
        subject,
        entity_id: row.try_get("entity_id")?,
        list: row.try_get("list_id")?,
        list_version: row.try_get("list_version")?,
        score: score as f64 / 10_000.0,
        matched_name: row.try_get("matched_name")?,
        status,
        reason,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        decision: decision_record(row, Some(status), DECISION_COLUMNS)?,
        previous_decision: decision_record(row, previous, PREVIOUS_COLUMNS)?,
        pending: proposal_from_row(row, "proposal_id")?,
    })
}

/// Reads one alert inside a transaction.
async fn alert_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<Alert, Error> {
    let row = sqlx::query(&format!(
        "SELECT {ALERT_COLUMNS} {ALERT_FROM} WHERE a.alert_id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: format!("alert {id}"),
    })?;
    alert_from_row(&row)
}

/// The JSON subscribers receive about a decision: the API's `DecisionJson`.
fn decision_json(decision: &DecisionRecord) -> Value {
    json!({
        "decision": decision.status.as_str(),
        "note": decision.note,
        "decided_by": decision.decided_by,
        "approved_by": decision.approved_by,
        "decided_at": decision.decided_at,
    })
}

/// The JSON subscribers receive about an alert: the API's `AlertJson` (this crate cannot
/// name the application layer's contract types, so a test holds the two equal).
fn alert_json(alert: &Alert) -> Value {
    let pending = alert.pending.as_ref().map(|p| {
        json!({
            "id": p.id,
            "decision": p.decision.status().as_str(),
            "note": p.note,
            "proposed_by": p.proposed_by,
            "proposed_at": p.proposed_at,
            "state": p.state.as_str(),
            "reviewed_by": p.reviewed_by,
            "reviewed_at": p.reviewed_at,
            "review_note": p.review_note,
        })
    });
    json!({
        "id": alert.id,
        "customer_id": alert.customer_id,
        "subject": {
            "kind": alert.subject_kind.as_str(),
            "payment": alert.subject,
        },
        "entity_id": alert.entity_id,
        "list": alert.list,
        "list_version": alert.list_version,
        "score": alert.score,
        "matched_name": alert.matched_name,
        "status": alert.status.as_str(),
        "reason": alert.reason.as_str(),
        "created_at": alert.created_at,
        "updated_at": alert.updated_at,
        "decision": alert.decision.as_ref().map(decision_json),
        "previous_decision": alert.previous_decision.as_ref().map(decision_json),
        "pending": pending,
    })
}

/// Appends to an alert's history and, for the actions subscribers are told about, writes one
/// outbox row per webhook, all in the caller's transaction.
async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    alert_id: i64,
    action: &str,
    actor: &str,
    note: Option<&str>,
    detail: Value,
) -> Result<(), Error> {
    let alert = alert_in(tx, alert_id).await?;
    let at = now();
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO alert_history (alert_id, at, actor, action, status, note, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING event_id",
    )
    .bind(alert_id)
    .bind(at.as_str())
    .bind(actor)
    .bind(action)
    .bind(alert.status.as_str())
    .bind(note)
    .bind(detail.to_string())
    .fetch_one(&mut **tx)
    .await?;
    if !NOTIFIED.contains(&action) {
        return Ok(());
    }
    let webhooks: Vec<i64> =
        sqlx::query_scalar("SELECT webhook_id FROM webhooks ORDER BY webhook_id")
            .fetch_all(&mut **tx)
            .await?;
    if webhooks.is_empty() {
        return Ok(());
    }
    let event_type = format!("alert.{action}");
    let payload = json!({
        "event_id": event_id,
        "type": event_type,
        "occurred_at": at,
        "actor": actor,
        "note": note,
        "detail": detail,
        "alert": alert_json(&alert),
    })
    .to_string();
    for webhook in webhooks {
        sqlx::query(
            "INSERT INTO webhook_outbox (webhook_id, event_id, event_type, payload, state, \
             attempts, next_attempt_ms, lease_until_ms, created_at) \
             VALUES ($1, $2, $3, $4, 'pending', 0, 0, 0, $5)",
        )
        .bind(webhook)
        .bind(event_id)
        .bind(event_type.as_str())
        .bind(payload.as_str())
        .bind(at.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Voids the pending proposal of an alert, if any, recording it.
async fn supersede_pending(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    alert_id: i64,
    actor: &str,
    why: &str,
) -> Result<(), Error> {
    let voided = sqlx::query(
        "UPDATE alert_proposals SET state = 'superseded', reviewed_at = $1, review_note = $2 \
         WHERE alert_id = $3 AND state = 'pending'",
    )
    .bind(now())
    .bind(why)
    .bind(alert_id)
    .execute(&mut **tx)
    .await?;
    if voided.rows_affected() > 0 {
        record_event(tx, alert_id, "superseded", actor, Some(why), json!({})).await?;
    }
    Ok(())
}

/// The alert id and status of a pair, if it has an alert.
async fn pair_alert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    customer_id: &str,
    entity_id: &str,
) -> Result<Option<(i64, AlertStatus)>, Error> {
    let row = sqlx::query(
        "SELECT alert_id, status FROM alerts WHERE customer_id = $1 AND entity_id = $2 \
         AND subject_kind = 'customer'",
    )
    .bind(customer_id)
    .bind(entity_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("alert_id")?;
    let status: String = row.try_get("status")?;
    let status = status.parse().map_err(corrupt(format!("alert {id}")))?;
    Ok(Some((id, status)))
}

/// Closes one open alert; false when it is not open (any more).
async fn close_alert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    alert_id: i64,
    reason: AlertReason,
    actor: &str,
) -> Result<bool, Error> {
    let closed = sqlx::query(
        "UPDATE alerts SET status = 'closed', reason = $1, updated_at = $2 \
         WHERE alert_id = $3 AND status IN ('open', 'escalated')",
    )
    .bind(reason.as_str())
    .bind(now())
    .bind(alert_id)
    .execute(&mut **tx)
    .await?;
    if closed.rows_affected() == 0 {
        return Ok(false);
    }
    supersede_pending(tx, alert_id, actor, "the alert closed").await?;
    record_event(
        tx,
        alert_id,
        "closed",
        actor,
        None,
        json!({ "reason": reason.as_str() }),
    )
    .await?;
    Ok(true)
}

/// Closes the open alerts of these customers.
pub(crate) async fn close_alerts_of_customers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    customer_ids: &[String],
    reason: AlertReason,
    actor: &str,
) -> Result<usize, Error> {
    let mut closed = 0;
    for customer in customer_ids {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT alert_id FROM alerts WHERE customer_id = $1 \
             AND subject_kind = 'customer' AND status IN ('open', 'escalated') \
             ORDER BY alert_id",
        )
        .bind(customer.as_str())
        .fetch_all(&mut **tx)
        .await?;
        for id in ids {
            if close_alert(tx, id, reason, actor).await? {
                closed += 1;
            }
        }
    }
    Ok(closed)
}

fn list_of(entity_id: &str) -> &str {
    entity_id
        .split_once(':')
        .map_or(entity_id, |(list, _)| list)
}

/// Same person, whatever the case and surrounding spaces.
fn same_user(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn required<'a>(value: &'a str, what: &str) -> Result<&'a str, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::Invalid(format!("{what} is required")));
    }
    Ok(value)
}

impl Store {
    /// Records a monitoring run in one transaction: creates, re-raises, refreshes and closes
    /// alerts (each with its history and notifications), and records the list versions and
    /// portfolio revision screened. A pair whose alert changed under the run (decided,
    /// closed, created by another run) or whose customer was removed meanwhile is left as it
    /// is now.
    pub async fn record_monitor_run(&self, run: &MonitorRun) -> Result<MonitorRunOutcome, Error> {
        let mut outcome = MonitorRunOutcome::default();
        let actor = required(&run.actor, "the actor")?;
        let mut tx = self.write_tx().await?;
        for alert in &run.create {
            let present: Option<String> =
                sqlx::query_scalar("SELECT customer_id FROM customers WHERE customer_id = $1")
                    .bind(alert.customer_id.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if present.is_none() {
                continue;
            }
            let time = now();
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO alerts (customer_id, entity_id, list_id, list_version, score_e4, \
                 matched_name, explanation, customer_fingerprint, entity_fingerprint, status, \
                 reason, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $11) \
                 ON CONFLICT (customer_id, entity_id) DO NOTHING RETURNING alert_id",
            )
            .bind(alert.customer_id.as_str())
            .bind(alert.entity_id.as_str())
            .bind(list_of(&alert.entity_id))
            .bind(alert.list_version.as_str())
            .bind(score_e4(alert.score))
            .bind(alert.matched_name.as_str())
            .bind(alert.explanation.to_string())
            .bind(alert.customer_fingerprint.as_str())
            .bind(alert.entity_fingerprint.as_str())
            .bind(alert.reason.as_str())
            .bind(time.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                outcome.created += 1;
                let detail = json!({ "reason": alert.reason.as_str(), "score": alert.score });
                record_event(&mut tx, id, "created", actor, None, detail).await?;
            }
        }
        for alert in &run.reraise {
            let Some((id, status)) =
                pair_alert(&mut tx, &alert.customer_id, &alert.entity_id).await?
            else {
                continue;
            };
            // A decision moves to the previous-decision columns; a closed alert keeps the
            // previous decision it had.
            let keep_previous = if status.is_decided() {
                "previous_status = status, previous_note = decision_note, \
                 previous_decided_by = decided_by, previous_approved_by = approved_by, \
                 previous_decided_at = decided_at,"
            } else if status == AlertStatus::Closed {
                ""
            } else {
                continue;
            };
            let sql = format!(
                "UPDATE alerts SET {keep_previous} status = 'open', reason = $1, \
                 list_version = $2, score_e4 = $3, matched_name = $4, explanation = $5, \
                 customer_fingerprint = $6, entity_fingerprint = $7, decision_note = NULL, \
                 decided_by = NULL, approved_by = NULL, decided_at = NULL, updated_at = $8 \
                 WHERE alert_id = $9 AND status = $10"
            );
            let updated = sqlx::query(&sql)
                .bind(alert.reason.as_str())
                .bind(alert.list_version.as_str())
                .bind(score_e4(alert.score))
                .bind(alert.matched_name.as_str())
                .bind(alert.explanation.to_string())
                .bind(alert.customer_fingerprint.as_str())
                .bind(alert.entity_fingerprint.as_str())
                .bind(now())
                .bind(id)
                .bind(status.as_str())
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() > 0 {
                outcome.reraised += 1;
                let detail = json!({
                    "reason": alert.reason.as_str(),
                    "score": alert.score,
                    "previous_status": status.as_str(),
                });
                record_event(&mut tx, id, "reraised", actor, None, detail).await?;
            }
        }
        for alert in &run.refresh {
            let Some((id, status)) =
                pair_alert(&mut tx, &alert.customer_id, &alert.entity_id).await?
            else {
                continue;
            };
            let updated = sqlx::query(
                "UPDATE alerts SET list_version = $1, score_e4 = $2, matched_name = $3, \
                 explanation = $4, customer_fingerprint = $5, entity_fingerprint = $6, \
                 updated_at = $7 WHERE alert_id = $8 AND status = $9",
            )
            .bind(alert.list_version.as_str())
            .bind(score_e4(alert.score))
            .bind(alert.matched_name.as_str())
            .bind(alert.explanation.to_string())
            .bind(alert.customer_fingerprint.as_str())
            .bind(alert.entity_fingerprint.as_str())
            .bind(now())
            .bind(id)
            .bind(status.as_str())
            .execute(&mut *tx)
            .await?;
            if status.is_open() && updated.rows_affected() > 0 {
                outcome.refreshed += 1;
                supersede_pending(&mut tx, id, actor, "the customer or the entity changed").await?;
                record_event(
                    &mut tx,
                    id,
                    "refreshed",
                    actor,
                    None,
                    json!({ "score": alert.score }),
                )
                .await?;
            }
        }
        for (customer_id, entity_id, reason) in &run.close {
            if let Some((id, _)) = pair_alert(&mut tx, customer_id, entity_id).await?
                && close_alert(&mut tx, id, *reason, actor).await?
            {
                outcome.closed += 1;
            }
        }
        let time = now();
        for (list, version) in &run.lists {
            sqlx::query(
                "INSERT INTO monitor_lists (list_id, version, monitored_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (list_id) DO UPDATE SET version = excluded.version, \
                 monitored_at = excluded.monitored_at",
            )
            .bind(list.as_str())
            .bind(version.as_str())
            .bind(time.as_str())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE monitor_counters SET value = $1 \
             WHERE name = 'customers_screened_through' AND value < $1",
        )
        .bind(run.customers_screened_through)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Opens an alert for each hit of a screened payment, in one transaction, and answers
    /// each one's alert id and whether it was opened now. A message screened again finds the
    /// alerts it already has (whatever their status: a decided one stays decided), so
    /// repeated screening never opens a duplicate.
    pub async fn open_payment_alerts(
        &self,
        alerts: &[NewPaymentAlert],
        actor: &str,
    ) -> Result<Vec<(i64, bool)>, Error> {
        let actor = required(actor, "the actor")?;
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let mut opened = Vec::with_capacity(alerts.len());
        let mut tx = self.write_tx().await?;
        for alert in alerts {
            let key = required(&alert.subject_key, "the payment's key")?;
            let time = now();
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO alerts (customer_id, subject_kind, subject, entity_id, list_id, \
                 list_version, score_e4, matched_name, explanation, customer_fingerprint, \
                 entity_fingerprint, status, reason, created_at, updated_at) \
                 VALUES ($1, 'payment', $2, $3, $4, $5, $6, $7, $8, '', '', 'open', $9, $10, $10) \
                 ON CONFLICT (customer_id, entity_id) DO NOTHING RETURNING alert_id",
            )
            .bind(key)
            .bind(alert.subject.to_string())
            .bind(alert.entity_id.as_str())
            .bind(list_of(&alert.entity_id))
            .bind(alert.list_version.as_str())
            .bind(score_e4(alert.score))
            .bind(alert.matched_name.as_str())
            .bind(alert.explanation.to_string())
            .bind(AlertReason::PaymentHit.as_str())
            .bind(time.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                let detail = json!({
                    "reason": AlertReason::PaymentHit.as_str(),
                    "score": alert.score,
                    "subject": alert.subject,
                });
                record_event(&mut tx, id, "created", actor, None, detail).await?;
                opened.push((id, true));
                continue;
            }
            let row = sqlx::query(
                "SELECT alert_id, subject_kind FROM alerts WHERE customer_id = $1 \
                 AND entity_id = $2",
            )
            .bind(key)
            .bind(alert.entity_id.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let id: i64 = row.try_get("alert_id")?;
            let kind: String = row.try_get("subject_kind")?;
            // A customer whose id is the payment's key would otherwise silently take its
            // alert.
            if kind != AlertSubjectKind::Payment.as_str() {
                return Err(Error::Invalid(format!(
                    "alert {id} of customer {key:?} has the key of this payment's alert; \
                     rename that customer"
                )));
            }
            opened.push((id, false));
        }
        tx.commit().await?;
        Ok(opened)
    }

    /// Every customer alert's pair, status and fingerprints, for planning a monitoring run
    /// (payment alerts are not monitoring's).
    pub async fn alert_keys(&self) -> Result<Vec<AlertKey>, Error> {
        let rows = sqlx::query(
            "SELECT alert_id, customer_id, entity_id, status, customer_fingerprint, \
             entity_fingerprint FROM alerts WHERE subject_kind = 'customer'",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("alert_id")?;
                let status: String = row.try_get("status")?;
                Ok(AlertKey {
                    customer_id: row.try_get("customer_id")?,
                    entity_id: row.try_get("entity_id")?,
                    status: status.parse().map_err(corrupt(format!("alert {id}")))?,
                    customer_fingerprint: row.try_get("customer_fingerprint")?,
                    entity_fingerprint: row.try_get("entity_fingerprint")?,
                })
            })
            .collect()
    }

    /// Alerts, oldest first.
    pub async fn alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>, Error> {
        let mut conditions = Vec::new();
        let mut binds: Vec<&str> = Vec::new();
        if let Some(status) = filter.status {
            binds.push(status.as_str());
            conditions.push(format!("a.status = ${}", binds.len()));
        }
        if let Some(customer) = &filter.customer_id {
            binds.push(customer);
            conditions.push(format!("a.customer_id = ${}", binds.len()));
        }
        if let Some(kind) = filter.subject_kind {
            binds.push(kind.as_str());
            conditions.push(format!("a.subject_kind = ${}", binds.len()));
        }
        if filter.awaiting_approval {
            conditions.push("p.proposal_id IS NOT NULL".into());
        }
        let filter_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!("SELECT {ALERT_COLUMNS} {ALERT_FROM} {filter_sql} ORDER BY a.alert_id");
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = query.bind(value);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(alert_from_row)
            .collect()
    }

    /// One alert with its explanation, history and proposals.
    pub async fn alert(&self, id: i64) -> Result<AlertDetail, Error> {
        let mut tx = self.pool.begin().await?;
        let alert = alert_in(&mut tx, id).await?;
        let bad = corrupt(format!("alert {id}"));
        let row = sqlx::query(
            "SELECT explanation, customer_fingerprint, entity_fingerprint FROM alerts \
             WHERE alert_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let explanation: String = row.try_get("explanation")?;
        let explanation: Value =
            serde_json::from_str(&explanation).map_err(|e| bad(e.to_string()))?;
        let history = sqlx::query(
            "SELECT event_id, at, actor, action, status, note, detail FROM alert_history \
             WHERE alert_id = $1 ORDER BY event_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let detail: String = r.try_get("detail")?;
            Ok(AlertEvent {
                id: r.try_get("event_id")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                status: status.parse().map_err(&bad)?,
                note: r.try_get("note")?,
                detail: serde_json::from_str(&detail).map_err(|e| bad(e.to_string()))?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
        let proposals = sqlx::query(
            "SELECT proposal_id, decision, note, proposed_by, proposed_at, state, reviewed_by, \
             reviewed_at, review_note FROM alert_proposals WHERE alert_id = $1 \
             ORDER BY proposal_id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .filter_map(|r| proposal_from_row(r, "proposal_id").transpose())
        .collect::<Result<Vec<_>, Error>>()?;
        tx.commit().await?;
        Ok(AlertDetail {
            alert,
            explanation,
            customer_fingerprint: row.try_get("customer_fingerprint")?,
            entity_fingerprint: row.try_get("entity_fingerprint")?,
            history,
            proposals,
        })
    }

    /// Proposes a decision on an open or escalated alert; another user must approve it.
    pub async fn propose_decision(
        &self,
        id: i64,
        decision: Decision,
        by: &str,
        note: &str,
    ) -> Result<Alert, Error> {
        let by = required(by, "the proposing user")?;
        let note = required(note, "a note explaining the decision")?;
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let alert = alert_in(&mut tx, id).await?;
        if !alert.status.is_open() {
            return Err(Error::Invalid(format!(
                "alert {id} is {}; only open or escalated alerts can be decided",
                alert.status
            )));
        }
        if let Some(pending) = &alert.pending {
            return Err(Error::Invalid(format!(
                "alert {id} already has a decision waiting for approval ({} proposed by {}); \
                 approve or reject it first",
                pending.decision.status(),
                pending.proposed_by
            )));
        }
        sqlx::query(
            "INSERT INTO alert_proposals (alert_id, decision, note, proposed_by, proposed_at, \
             state) VALUES ($1, $2, $3, $4, $5, 'pending')",
        )
        .bind(id)
        .bind(decision.status().as_str())
        .bind(note)
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let detail = json!({ "decision": decision.status().as_str() });
        record_event(&mut tx, id, "proposed", by, Some(note), detail.clone()).await?;
        let recorded = self
            .audit_alert_act(&mut tx, id, "proposed", by, Some(note), detail)
            .await?;
        let alert = alert_in(&mut tx, id).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(alert)
    }

    /// Escalates an open alert (one person's act; a pending proposal stays pending).
    pub async fn escalate(&self, id: i64, by: &str, note: &str) -> Result<Alert, Error> {
        let by = required(by, "the escalating user")?;
        let note = required(note, "a note explaining the escalation")?;
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let updated = sqlx::query(
            "UPDATE alerts SET status = 'escalated', updated_at = $1 \
             WHERE alert_id = $2 AND status = 'open'",
        )
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            let alert = alert_in(&mut tx, id).await?;
            return Err(Error::Invalid(format!(
                "alert {id} is {}; only open alerts can be escalated",
                alert.status
            )));
        }
        record_event(&mut tx, id, "escalated", by, Some(note), json!({})).await?;
        let recorded = self
            .audit_alert_act(&mut tx, id, "escalated", by, Some(note), json!({}))
            .await?;
        let alert = alert_in(&mut tx, id).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(alert)
    }

    /// Approves the decision waiting on an alert: the alert takes it. The approver must not
    /// be the user who proposed it.
    pub async fn approve_decision(&self, id: i64, by: &str) -> Result<Alert, Error> {
        let by = required(by, "the approving user")?;
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let proposal = self.pending_for_review(&mut tx, id, by).await?;
        let time = now();
        let approved = sqlx::query(
            "UPDATE alert_proposals SET state = 'approved', reviewed_by = $1, reviewed_at = $2 \
             WHERE proposal_id = $3 AND state = 'pending'",
        )
        .bind(by)
        .bind(time.as_str())
        .bind(proposal.id)
        .execute(&mut *tx)
        .await?;
        let decided = sqlx::query(
            "UPDATE alerts SET status = $1, decision_note = $2, decided_by = $3, \
             approved_by = $4, decided_at = $5, updated_at = $5 \
             WHERE alert_id = $6 AND status IN ('open', 'escalated')",
        )
        .bind(proposal.decision.status().as_str())
        .bind(proposal.note.as_str())
        .bind(proposal.proposed_by.as_str())
        .bind(by)
        .bind(time.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if approved.rows_affected() == 0 || decided.rows_affected() == 0 {
            return Err(Error::Invalid(format!(
                "alert {id} changed while it was being approved; look at it again"
            )));
        }
        let detail = json!({
            "decision": proposal.decision.status().as_str(),
            "proposed_by": proposal.proposed_by,
            "proposal_note": proposal.note,
        });
        record_event(&mut tx, id, "approved", by, None, detail.clone()).await?;
        let recorded = self
            .audit_alert_act(&mut tx, id, "approved", by, None, detail)
            .await?;
        let alert = alert_in(&mut tx, id).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(alert)
    }

    /// Rejects the decision waiting on an alert: the alert stays as it was. The reviewer
    /// must not be the user who proposed it.
    pub async fn reject_decision(
        &self,
        id: i64,
        by: &str,
        note: Option<&str>,
    ) -> Result<Alert, Error> {
        let by = required(by, "the reviewing user")?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let proposal = self.pending_for_review(&mut tx, id, by).await?;
        let rejected = sqlx::query(
            "UPDATE alert_proposals SET state = 'rejected', reviewed_by = $1, reviewed_at = $2, \
             review_note = $3 WHERE proposal_id = $4 AND state = 'pending'",
        )
        .bind(by)
        .bind(now())
        .bind(note)
        .bind(proposal.id)
        .execute(&mut *tx)
        .await?;
        if rejected.rows_affected() == 0 {
            return Err(Error::Invalid(format!(
                "alert {id} changed while it was being reviewed; look at it again"
            )));
        }
        let detail = json!({
            "decision": proposal.decision.status().as_str(),
            "proposed_by": proposal.proposed_by,
        });
        record_event(&mut tx, id, "rejected", by, note, detail.clone()).await?;
        let recorded = self
            .audit_alert_act(&mut tx, id, "rejected", by, note, detail)
            .await?;
        let alert = alert_in(&mut tx, id).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(alert)
    }

    /// Appends the audit record of a person's act on an alert inside `tx`: the act and its
    /// record commit together or not at all. The caller holds the writer's turn.
    async fn audit_alert_act(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        action: &str,
        by: &str,
        note: Option<&str>,
        detail: Value,
    ) -> Result<Vec<AuditRecord>, Error> {
        let mut payload = json!({ "action": action, "alert_id": id, "note": note });
        if let (Some(payload), Value::Object(detail)) = (payload.as_object_mut(), detail) {
            payload.extend(detail);
        }
        let record = NewAuditRecord {
            kind: AuditKind::Alert,
            actor: by.to_owned(),
            payload,
        };
        self.append_in(tx, vec![record.prepare()?]).await
    }

    /// The pending proposal of an alert, if `reviewer` may review it.
    async fn pending_for_review(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        reviewer: &str,
    ) -> Result<Proposal, Error> {
        let alert = alert_in(tx, id).await?;
        let proposal = alert.pending.ok_or_else(|| {
            Error::Invalid(format!(
                "alert {id} ({}) has no decision waiting for approval",
                alert.status
            ))
        })?;
        if same_user(&proposal.proposed_by, reviewer) {
            return Err(Error::Invalid(format!(
                "four-eyes rule: {reviewer} proposed this decision and cannot review it; \
                 another user must approve or reject it"
            )));
        }
        Ok(proposal)
    }
}
