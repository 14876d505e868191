//! Alerts as reviewers see them: one alert with everything needed to decide it, in the one
//! shape the command line and the API both answer.

use interdict_store::{Alert, AlertFilter, AlertSubjectKind, Decision, Store};

use crate::Error;
use crate::alert_queue::BulkDecision;
use crate::contract::{AlertDetailJson, AlsoListedJson, RelatedAlertJson};

/// Reads what an analyst asks to do with an alert, as every front-end spells it:
/// `true_match` or `false_positive` (a proposal another user must approve) or `escalate`.
pub fn parse_action(text: &str) -> Result<BulkDecision, Error> {
    match text.trim() {
        "true_match" => Ok(BulkDecision::Propose(Decision::TrueMatch)),
        "false_positive" => Ok(BulkDecision::Propose(Decision::FalsePositive)),
        "escalate" => Ok(BulkDecision::Escalate),
        other => Err(Error::invalid(
            "decision",
            format!("{other:?}: use true_match, false_positive or escalate"),
        )),
    }
}

/// Does `action` on alert `id` as `actor`, with the analyst's `note`.
pub async fn act(
    store: &Store,
    id: i64,
    action: BulkDecision,
    actor: &str,
    note: &str,
) -> Result<Alert, interdict_store::Error> {
    match action {
        BulkDecision::Propose(decision) => store.propose_decision(id, decision, actor, note).await,
        BulkDecision::Escalate => store.escalate(id, actor, note).await,
    }
}

/// Alert `id` with its explanation, history, proposals, customer (for a customer alert; a
/// payment alert's subject is in the alert) and entity name.
pub async fn detail(store: &Store, id: i64) -> Result<AlertDetailJson, Error> {
    let detail = store.alert(id).await?;
    let customer = match detail.alert.subject_kind {
        AlertSubjectKind::Payment => None,
        AlertSubjectKind::Customer => match store.customer(&detail.alert.customer_id).await {
            Ok(stored) => Some(stored.customer),
            Err(e) if e.is_user_error() => None,
            Err(e) => return Err(e.into()),
        },
    };
    let entity_name = match store.entity(&detail.alert.entity_id).await {
        Ok(stored) => Some(stored.entity.name),
        Err(e) if e.is_user_error() => None,
        Err(e) => return Err(e.into()),
    };
    Ok(AlertDetailJson::new(
        &detail,
        customer.as_ref(),
        entity_name,
    ))
}

/// Completes an alert's detail with its party: `also_listed` (the alert's entity's records on
/// the other active lists, from the caller's grouping: the live index's, or
/// [`crate::cross_list::also_listed`]) and the same customer's other alerts on those records
/// (`related_alerts`, oldest first), so that an analyst deciding one sees the others. A
/// customer's alerts raised before alerts were grouped by party, or on two lists' records,
/// stay apart in the store; each is decided on its own.
pub async fn with_party(
    store: &Store,
    mut detail: AlertDetailJson,
    also_listed: Vec<AlsoListedJson>,
) -> Result<AlertDetailJson, Error> {
    detail.related_alerts = if also_listed.is_empty() {
        Vec::new()
    } else {
        store
            .alerts(&AlertFilter {
                customer_id: Some(detail.alert.customer_id.clone()),
                ..AlertFilter::default()
            })
            .await?
            .iter()
            .filter(|a| a.id != detail.alert.id)
            .filter(|a| also_listed.iter().any(|o| o.entity_id == a.entity_id))
            .map(RelatedAlertJson::from)
            .collect()
    };
    detail.also_listed = also_listed;
    Ok(detail)
}
