//! `interdict alerts`: list and show alerts, propose decisions, approve or reject them.

use anyhow::{Context, Result, bail};
use interdict_app::contract::{AlertDetailJson, AlertJson};
use interdict_store::{
    Alert, AlertDetail, AlertFilter, AlertStatus, Decision, DecisionRecord, Store,
};

use crate::args::AlertsCommand;
use crate::output::print_json_line;
use crate::output::{outln, printable};

pub(crate) async fn run(store: &Store, command: AlertsCommand) -> Result<()> {
    match command {
        AlertsCommand::List {
            status,
            customer,
            json,
        } => run_list(store, status.as_deref(), customer, json).await,
        AlertsCommand::Show { id, json } => run_show(store, &id, json).await,
        AlertsCommand::Decide {
            id,
            decision,
            by,
            note,
            json,
        } => {
            let id = alert_id(&id)?;
            let alert = match decision
                .trim()
                .to_ascii_lowercase()
                .replace('_', "-")
                .as_str()
            {
                "true-match" => {
                    store
                        .propose_decision(id, Decision::TrueMatch, &by, &note)
                        .await?
                }
                "false-positive" => {
                    store
                        .propose_decision(id, Decision::FalsePositive, &by, &note)
                        .await?
                }
                "escalate" => store.escalate(id, &by, &note).await?,
                other => bail!("--decision {other:?}: use true-match, false-positive or escalate"),
            };
            print_outcome(&alert, json)
        }
        AlertsCommand::Approve { id, by, json } => {
            let alert = store.approve_decision(alert_id(&id)?, &by).await?;
            print_outcome(&alert, json)
        }
        AlertsCommand::Reject { id, by, note, json } => {
            let alert = store
                .reject_decision(alert_id(&id)?, &by, note.as_deref())
                .await?;
            print_outcome(&alert, json)
        }
    }
}

fn alert_id(text: &str) -> Result<i64> {
    text.trim()
        .parse()
        .with_context(|| format!("{text:?} is not an alert id (a number)"))
}

fn describe_decision(decision: &DecisionRecord) -> String {
    format!(
        "{} by {} approved by {} on {}: {}",
        decision.status,
        decision.decided_by,
        decision.approved_by,
        decision.decided_at,
        decision.note
    )
}

async fn run_list(
    store: &Store,
    status: Option<&str>,
    customer_id: Option<String>,
    json: bool,
) -> Result<()> {
    let mut filter = AlertFilter {
        customer_id,
        ..AlertFilter::default()
    };
    match status.map(str::trim) {
        None => {}
        Some("pending") => filter.awaiting_approval = true,
        Some(status) => {
            filter.status = Some(
                status
                    .parse::<AlertStatus>()
                    .map_err(|e| anyhow::anyhow!("--status: {e}, or pending"))?,
            );
        }
    }
    let alerts = store.alerts(&filter).await?;
    for alert in &alerts {
        if json {
            print_json_line(&AlertJson::from(alert))?;
        } else {
            outln!(
                "{:>6}  {:<14} {:.3}  {:<16} {:<20} {}{}",
                alert.id,
                alert.status,
                alert.score,
                alert.reason,
                alert.customer_id,
                alert.entity_id,
                alert
                    .pending
                    .as_ref()
                    .map(|p| format!("  ({} proposed by {})", p.decision.status(), p.proposed_by))
                    .unwrap_or_default()
            )?;
        }
    }
    if !json && alerts.is_empty() {
        outln!("no alerts")?;
    }
    Ok(())
}

async fn run_show(store: &Store, id: &str, json: bool) -> Result<()> {
    let shown: AlertDetailJson = interdict_app::alerts::detail(store, alert_id(id)?).await?;
    let also_listed = interdict_app::cross_list::also_listed(store, &shown.alert.entity_id).await?;
    let shown = interdict_app::alerts::with_party(store, shown, also_listed).await?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&shown)?)?;
        return Ok(());
    }
    let detail: AlertDetail = store.alert(shown.alert.id).await?;
    let alert = &detail.alert;
    let customer = shown.customer.as_ref();
    outln!(
        "alert {}  {}  ({}), score {:.3}",
        alert.id,
        alert.status,
        alert.reason,
        alert.score
    )?;
    match (&alert.subject, customer) {
        (Some(payment), _) => {
            let text = |key: &str| payment.get(key).and_then(|v| v.as_str()).unwrap_or("-");
            outln!(
                "  payment      {} {} (message id {}, reference {}), screening {}",
                text("format"),
                printable(text("message")),
                printable(text("message_id")),
                printable(text("reference")),
                text("screening_id")
            )?;
            outln!(
                "  hit          {} {} {:?}",
                text("field"),
                text("hit_kind"),
                printable(text("value"))
            )?;
        }
        (None, Some(c)) => outln!(
            "  customer     {} {:?}{}{}",
            c.id,
            c.name,
            c.dob
                .as_deref()
                .map(|d| format!(", born {d}"))
                .unwrap_or_default(),
            if c.countries.is_empty() {
                String::new()
            } else {
                format!(", {}", c.countries.join("+"))
            }
        )?,
        (None, None) => outln!(
            "  customer     {} (no longer in the portfolio)",
            alert.customer_id
        )?,
    }
    outln!(
        "  entity       {} {:?} (matched {:?}) in {}@{}",
        alert.entity_id,
        shown.entity_name.as_deref().unwrap_or_default(),
        alert.matched_name,
        alert.list,
        alert.list_version
    )?;
    for other in &shown.also_listed {
        outln!(
            "  also listed  {} {:?} ({})",
            other.entity_id,
            other.name,
            other.linked_by
        )?;
    }
    // Each alert is decided on its own: name the party's others so they are decided alike.
    for related in &shown.related_alerts {
        outln!(
            "  same party   alert {} on {}, {}{}",
            related.id,
            related.entity_id,
            related.status,
            if related.undecided {
                format!(": also decide it (interdict alerts show {})", related.id)
            } else {
                String::new()
            }
        )?;
    }
    if let Some(decision) = &alert.decision {
        outln!("  decision     {}", describe_decision(decision))?;
    }
    if let Some(previous) = &alert.previous_decision {
        outln!("  previously   {}", describe_decision(previous))?;
    }
    if let Some(pending) = &alert.pending {
        outln!(
            "  waiting      {} proposed by {} on {}: {} (another user must approve or reject)",
            pending.decision.status(),
            pending.proposed_by,
            pending.proposed_at,
            pending.note
        )?;
    }
    outln!("  explanation")?;
    for line in crate::output::explanation_lines(&detail.explanation) {
        outln!("    {line}")?;
    }
    outln!("  history")?;
    for event in &detail.history {
        outln!(
            "    {}  {:<10} {:<14} by {}{}",
            event.at,
            event.action,
            event.status,
            event.actor,
            event
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

fn print_outcome(alert: &Alert, json: bool) -> Result<()> {
    if json {
        outln!("{}", serde_json::to_string(&AlertJson::from(alert))?)?;
        return Ok(());
    }
    match &alert.pending {
        Some(pending) => outln!(
            "alert {} is {}; {} proposed by {} waits for another user's approval",
            alert.id,
            alert.status,
            pending.decision.status(),
            pending.proposed_by
        )?,
        None => outln!("alert {} is {}", alert.id, alert.status)?,
    }
    Ok(())
}
