//! `/ui/alerts`: the review queue and one alert's page. The queue is filtered by status,
//! list and score, sorted and paged, with the count in each status; `j`/`k` move through it
//! and Enter opens an alert (`ui.js`). An alert's page shows the customer and the listed
//! entity side by side with the explanation, history and any earlier decision, and the
//! actions the user's role allows. Decisions go to the store, which enforces the four-eyes
//! rule: whoever proposed a decision cannot approve or reject it, and is told so.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use interdict_app::alert_queue::{BulkDecision, QueueOrder, QueueRequest, QueueStatus};
use interdict_app::contract::{AlertDetailJson, DecisionJson};
use interdict_store::{AlertStatus, Decision, Role};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_field, page, percent, short, words};
use super::{UiError, Viewer, explain};
use crate::AppState;
use crate::error::ApiError;

/// The queue's filters, as links and the filter form send them.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    list: Option<String>,
    #[serde(default)]
    min_score: Option<String>,
    #[serde(default)]
    order: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

const PAGE_SIZE: usize = 50;

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `GET /ui/alerts`.
pub(crate) async fn queue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<QueueParams>,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Analyst)?;
    // No status chosen: what waits for someone.
    let status = match present(&params.status) {
        None => Some(QueueStatus::Status(AlertStatus::Open)),
        Some("all") => None,
        Some(s) => Some(
            s.parse::<QueueStatus>()
                .map_err(|e| ApiError::invalid("status", e))?,
        ),
    };
    let min_score = match present(&params.min_score) {
        None => None,
        Some(s) => Some(
            s.parse::<f64>()
                .map(|percent| percent / 100.0)
                .map_err(|_| ApiError::invalid("min_score", "give a percentage from 0 to 100"))?,
        ),
    };
    let order = present(&params.order)
        .unwrap_or("")
        .parse::<QueueOrder>()
        .map_err(|e| ApiError::invalid("order", e))?;
    let request = QueueRequest {
        status,
        list: present(&params.list).map(str::to_owned),
        min_score,
        order,
        page: params.page.unwrap_or(1),
        page_size: PAGE_SIZE,
    };
    let queue = interdict_app::alert_queue::queue(state.store(), &request).await?;
    let status_name = status.map_or("all", QueueStatus::as_str);
    let link = |status: &str, page: usize| -> String {
        let mut link = format!("/ui/alerts?status={status}&order={}", order.as_str());
        if let Some(list) = &request.list {
            link.push_str(&format!("&list={list}"));
        }
        if let Some(score) = present(&params.min_score) {
            link.push_str(&format!("&min_score={score}"));
        }
        if page > 1 {
            link.push_str(&format!("&page={page}"));
        }
        link
    };
    let content = html! {
        nav.counts aria-label="Alerts by status" {
            ul {
                @for (choice, count) in &queue.counts {
                    li {
                        @let label = words(choice.as_str());
                        @if Some(*choice) == status {
                            a href=(link(choice.as_str(), 1)) aria-current="page" { (label) " " span.count { (count) } }
                        } @else {
                            a href=(link(choice.as_str(), 1)) { (label) " " span.count { (count) } }
                        }
                    }
                }
                li { a href=(link("all", 1)) aria-current=[status.is_none().then_some("page")] { "all" } }
            }
        }
        form.filters method="get" action="/ui/alerts" {
            input type="hidden" name="status" value=(status_name);
            div.field {
                label for="list" { "List" }
                select #list name="list" {
                    option value="" { "Any list" }
                    @for list in &queue.lists {
                        option value=(list) selected[request.list.as_deref() == Some(list.as_str())] { (list) }
                    }
                }
            }
            div.field {
                label for="min_score" { "Score at least (%)" }
                input #min_score type="number" name="min_score" min="0" max="100" step="1"
                    value=[present(&params.min_score)];
            }
            div.field {
                label for="order" { "Sort by" }
                select #order name="order" {
                    @for (value, label) in [("score", "Score, highest first"), ("newest", "Last changed, newest first"), ("oldest", "Raised, oldest first")] {
                        option value=(value) selected[order.as_str() == value] { (label) }
                    }
                }
            }
            button type="submit" { "Filter" }
        }
        p.meta {
            (queue.matching) " " (words(status_name)) " alert" @if queue.matching != 1 { "s" }
            @if queue.pages > 1 { " · page " (queue.page) " of " (queue.pages) }
            " · keys: " kbd { "j" } "/" kbd { "k" } " move, " kbd { "Enter" } " opens"
        }
        @if queue.alerts.is_empty() {
            p { "No alert here." }
        } @else {
            table.queue #queue {
                thead { tr {
                    th scope="col" { "Alert" } th scope="col" { "Customer" } th scope="col" { "Listed name" }
                    th scope="col" { "List" } th scope="col" { "Score" } th scope="col" { "Status" }
                    th scope="col" { "Reason" } th scope="col" { "Changed" }
                } }
                tbody {
                    @for alert in &queue.alerts {
                        tr data-href={ "/ui/alerts/" (alert.id) } {
                            td { a href={ "/ui/alerts/" (alert.id) } { "#" (alert.id) } }
                            td { (alert.customer_id) }
                            td { (alert.matched_name) }
                            td { (alert.list) }
                            td.num { (percent(alert.score)) }
                            td {
                                (words(&alert.status))
                                @if alert.pending.is_some() { " · " em { "awaiting approval" } }
                            }
                            td { (words(&alert.reason)) }
                            td { time { (alert.updated_at) } }
                        }
                    }
                }
            }
        }
        @if !queue.alerts.is_empty() && matches!(status, Some(QueueStatus::Status(AlertStatus::Open | AlertStatus::Escalated))) {
            form.bulk method="post" action="/ui/alerts/bulk" {
                (csrf_field(&viewer))
                input type="hidden" name="ids" value=(queue.alerts.iter().map(|a| a.id.to_string()).collect::<Vec<_>>().join(","));
                input type="hidden" name="back" value=(link(status_name, queue.page));
                h2 { "Decide all " (queue.alerts.len()) " alerts shown" }
                label for="bulk-note" { "Note" }
                textarea #bulk-note name="note" required rows="2" {}
                div.actions {
                    button type="submit" name="decision" value="false_positive" { "False positive for all shown" }
                    button type="submit" name="decision" value="escalate" { "Escalate all shown" }
                }
                p.hint { "Each alert still needs its own approval by another user." }
            }
        }
        @if queue.pages > 1 {
            nav.pages aria-label="Pages" {
                @if queue.page > 1 { a href=(link(status_name, queue.page - 1)) rel="prev" { "← Previous" } }
                @if queue.page < queue.pages { a href=(link(status_name, queue.page + 1)) rel="next" { "Next →" } }
            }
        }
    };
    Ok(page(&viewer, "alerts", "Alerts", content))
}

fn alert_id(text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse()
        .map_err(|_| ApiError::NotFound(format!("alert {text}")))
}

/// An identifier's kind as the model names it, e.g. `passport`, in words.
pub(crate) fn identifier_kind(kind: &interdict_model::IdentifierKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(words))
        .unwrap_or_else(|| "identifier".to_owned())
}

fn decision(d: &DecisionJson) -> Markup {
    html! {
        p {
            strong { (words(&d.decision)) } ", proposed by " code { (d.decided_by) }
            ", approved by " code { (d.approved_by) } " on " time { (d.decided_at) } "."
        }
        blockquote { (d.note) }
    }
}

/// `GET /ui/alerts/{id}`.
pub(crate) async fn alert(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Analyst)?;
    let id = alert_id(&id)?;
    let detail = interdict_app::alerts::detail(state.store(), id).await?;
    let also_listed = crate::handlers::lists::also_listed(&state, &detail.alert.entity_id).await?;
    let detail = interdict_app::alerts::with_party(state.store(), detail, also_listed).await?;
    let entity = match state.store().entity(&detail.alert.entity_id).await {
        Ok(stored) => Some(stored),
        Err(e) if e.is_user_error() => None,
        Err(e) => return Err(e.into()),
    };
    let title = format!("Alert #{id}");
    let content = alert_content(&viewer, &detail, entity.as_ref());
    Ok(page(&viewer, "alerts", &title, content))
}

fn alert_content(
    viewer: &Viewer,
    detail: &AlertDetailJson,
    entity: Option<&interdict_store::StoredEntity>,
) -> Markup {
    let alert = &detail.alert;
    let open = matches!(alert.status.as_str(), "open" | "escalated");
    html! {
        p.meta {
            "Status " strong { (words(&alert.status)) }
            " · score " strong { (percent(alert.score)) }
            " · " (words(&alert.reason))
            " · raised " time { (alert.created_at) }
        }
        @if !detail.related_alerts.is_empty() {
            // Alerts of one customer on two records of one party (raised before alerts were
            // grouped by party, or on two lists' records): each is decided on its own.
            section.related aria-labelledby="related-title" {
                h2 #related-title { "Same party, other alerts" }
                ul {
                    @for related in &detail.related_alerts {
                        li {
                            a href={ "/ui/alerts/" (related.id) } { "#" (related.id) }
                            " on " code { (related.entity_id) } " (" (related.list) "): "
                            (words(&related.status))
                            @if related.awaiting_approval { ", awaiting approval" }
                            @if related.undecided {
                                " — " a.also-decide href={ "/ui/alerts/" (related.id) } { "also decide #" (related.id) }
                            }
                        }
                    }
                }
                p.hint { "The same customer and the same listed party: decide these alerts alike. Each is decided, and approved, on its own." }
            }
        }
        div.side-by-side {
            @if let Some(payment) = &alert.subject.payment {
                @let text = |key: &str| payment.get(key).and_then(|v| v.as_str()).unwrap_or("—").to_owned();
                section aria-labelledby="payment-title" {
                    h2 #payment-title { "Payment" }
                    dl {
                        dt { "Message" } dd { (text("message")) " (" (text("format")) ")" }
                        dt { "Message id" } dd { code { (text("message_id")) } }
                        dt { "Reference" } dd { code { (text("reference")) } }
                        dt { "Field" } dd { code { (text("field")) } }
                        dt { "Value" } dd { (text("value")) }
                        dt { "Hit" } dd { (words(&text("hit_kind"))) }
                        dt { "Screening" } dd { code { (text("screening_id")) } }
                    }
                }
            } @else {
            section aria-labelledby="customer-title" {
                h2 #customer-title { "Customer" }
                @if let Some(customer) = &detail.customer {
                    dl {
                        dt { "Id" } dd { (customer.id) }
                        dt { "Name" } dd { (customer.name) }
                        dt { "Date of birth" } dd { (customer.dob.as_deref().unwrap_or("—")) }
                        dt { "Countries" } dd { @if customer.countries.is_empty() { "—" } @else { (customer.countries.join(", ")) } }
                        dt { "Kind" } dd { (customer.schema.as_deref().unwrap_or("any")) }
                    }
                } @else {
                    p { "Customer " code { (alert.customer_id) } " is no longer in the portfolio." }
                }
            }
            }
            section aria-labelledby="entity-title" {
                h2 #entity-title { "Listed entity" }
                @if let Some(stored) = entity {
                    @let e = &stored.entity;
                    dl {
                        dt { "Id" } dd { a href={ "/ui/entities/" (e.id.as_str()) } { (e.id.as_str()) } }
                        dt { "Name" } dd { (e.name) }
                        dt { "Name matched" } dd { (alert.matched_name) }
                        @if !detail.also_listed.is_empty() {
                            dt { "Same party on other lists" } dd {
                                ul { @for other in &detail.also_listed {
                                    li { a href={ "/ui/entities/" (other.entity_id) } { (other.name) } " (" (other.list) ", " (other.linked_by) ")" }
                                } }
                            }
                        }
                        dt { "Other names" } dd {
                            @let others: Vec<&str> = e.names.iter().map(|n| n.full.as_str()).filter(|n| *n != e.name).take(8).collect();
                            @if others.is_empty() { "—" } @else { (others.join("; ")) }
                        }
                        dt { "Dates of birth" } dd {
                            @if e.dates_of_birth.is_empty() { "—" } @else {
                                (e.dates_of_birth.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
                            }
                        }
                        dt { "Countries" } dd {
                            @let countries: std::collections::BTreeSet<String> = e.nationalities.iter().chain(&e.citizenships).chain(&e.countries).map(ToString::to_string).collect();
                            @if countries.is_empty() { "—" } @else { (countries.into_iter().collect::<Vec<_>>().join(", ")) }
                        }
                        dt { "Identifiers" } dd {
                            @if e.identifiers.is_empty() { "—" } @else {
                                ul { @for identifier in &e.identifiers {
                                    li { (identifier_kind(&identifier.kind)) " " (identifier.value)
                                        @if let Some(country) = identifier.country { " (" (country) ")" } }
                                } }
                            }
                        }
                        dt { "Programmes" } dd { @if e.programs.is_empty() { "—" } @else { (e.programs.join(", ")) } }
                        dt { "List version" } dd {
                            (stored.version.list) " " code { (short(&stored.version.version)) }
                            @if let Some(published) = stored.version.published { " published " (published.to_string()) }
                            @if stored.version.active { " (active)" } @else { " (not active)" }
                        }
                    }
                } @else {
                    p { "Entity " code { (alert.entity_id) } " (" (detail.entity_name.as_deref().unwrap_or("name unknown")) ") is no longer stored." }
                }
            }
        }
        @if let Some(previous) = &alert.previous_decision {
            section.previous aria-labelledby="previous-title" {
                h2 #previous-title { "Earlier decision on this pair" }
                (decision(previous))
            }
        }
        @if let Some(current) = &alert.decision {
            section aria-labelledby="decision-title" {
                h2 #decision-title { "Decision" }
                (decision(current))
            }
        }
        section aria-labelledby="explanation-title" {
            h2 #explanation-title { "Why it matched" }
            (explain::explanation(&detail.explanation))
        }
        @if let Some(pending) = &alert.pending {
            section.pending aria-labelledby="pending-title" {
                h2 #pending-title { "Awaiting approval" }
                p {
                    code { (pending.proposed_by) } " proposed " strong { (words(&pending.decision)) }
                    " on " time { (pending.proposed_at) } ":"
                }
                blockquote { (pending.note) }
                @if viewer.may(Role::Reviewer) {
                    p.hint { "Another user than the one who proposed it must approve or reject it." }
                    div.actions {
                        form method="post" action={ "/ui/alerts/" (alert.id) "/approve" } {
                            (csrf_field(viewer))
                            button type="submit" { "Approve" }
                        }
                        form method="post" action={ "/ui/alerts/" (alert.id) "/reject" } {
                            (csrf_field(viewer))
                            label for="reject-note" { "Reason for rejecting" }
                            input #reject-note type="text" name="note";
                            button type="submit" { "Reject" }
                        }
                    }
                } @else {
                    p.hint { "A reviewer must approve or reject it." }
                }
            }
        } @else if open {
            section aria-labelledby="decide-title" {
                h2 #decide-title { "Decide" }
                form.decide method="post" action={ "/ui/alerts/" (alert.id) "/decision" } {
                    (csrf_field(viewer))
                    label for="note" { "Note" }
                    textarea #note name="note" required rows="3" {}
                    div.actions {
                        button type="submit" name="decision" value="true_match" { "True match" }
                        button type="submit" name="decision" value="false_positive" { "False positive" }
                        @if alert.status != "escalated" {
                            button type="submit" name="decision" value="escalate" { "Escalate" }
                        }
                    }
                    p.hint { "A decision takes effect once another user approves it." }
                }
            }
        }
        section aria-labelledby="history-title" {
            h2 #history-title { "History" }
            table.history {
                thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Status after" } th scope="col" { "Note" } } }
                tbody {
                    @for event in &detail.history {
                        tr {
                            td { time { (event.at) } }
                            td { code { (event.actor) } }
                            td { (event.action) }
                            td { (words(&event.status)) }
                            td { (event.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

/// A decision as the form sends it.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf: String,
}

/// A review as the forms send it.
#[derive(Debug, Deserialize)]
pub(crate) struct ReviewForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf: String,
}

/// Back to the alert, with what happened: a refusal the user can act on is told, not failed.
fn outcome(
    viewer: &Viewer,
    id: i64,
    result: Result<String, interdict_store::Error>,
) -> Result<Redirect, UiError> {
    match result {
        Ok(done) => viewer.flash(false, done),
        // The store's own words, without its "invalid input" prefix meant for API clients.
        Err(interdict_store::Error::Invalid(message)) => viewer.flash(true, message),
        Err(error) if error.is_user_error() => viewer.flash(true, error.to_string()),
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&format!("/ui/alerts/{id}")))
}

/// `POST /ui/alerts/{id}/decision`: proposes a decision, or escalates.
pub(crate) async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Analyst)?;
    let id = alert_id(&id)?;
    let action = interdict_app::alerts::parse_action(&form.decision)?;
    let result = interdict_app::alerts::act(state.store(), id, action, viewer.actor(), &form.note)
        .await
        .map(|_| match action {
            BulkDecision::Propose(Decision::TrueMatch) => {
                "proposed “true match”; another user must approve it".to_owned()
            }
            BulkDecision::Propose(_) => {
                "proposed “false positive”; another user must approve it".to_owned()
            }
            BulkDecision::Escalate => "escalated".to_owned(),
        });
    outcome(&viewer, id, result)
}

/// `POST /ui/alerts/{id}/approve`.
pub(crate) async fn approve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Reviewer)?;
    let id = alert_id(&id)?;
    let result = state
        .store()
        .approve_decision(id, viewer.actor())
        .await
        .map(|alert| {
            format!(
                "approved: the alert is now {}",
                words(alert.status.as_str())
            )
        });
    outcome(&viewer, id, result)
}

/// `POST /ui/alerts/{id}/reject`.
pub(crate) async fn reject(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Reviewer)?;
    let id = alert_id(&id)?;
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let result = state
        .store()
        .reject_decision(id, viewer.actor(), note)
        .await
        .map(|alert| format!("rejected: the alert stays {}", words(alert.status.as_str())));
    outcome(&viewer, id, result)
}

/// A decision over the alerts a queue page shows, as its form sends it.
#[derive(Debug, Deserialize)]
pub(crate) struct BulkForm {
    #[serde(default)]
    ids: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /ui/alerts/bulk`: proposes (or escalates) on every alert of the page, each still
/// needing its own approval; back to the same page of the queue with what was done.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<BulkForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Analyst)?;
    let ids = form
        .ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(alert_id)
        .collect::<Result<Vec<_>, _>>()?;
    let decision = interdict_app::alerts::parse_action(&form.decision)?;
    // Only back into the queue: the field comes from the form, so never anywhere else.
    let back = if form.back.starts_with("/ui/alerts?") {
        form.back.as_str()
    } else {
        "/ui/alerts"
    };
    match interdict_app::alert_queue::decide_all(
        state.store(),
        &ids,
        decision,
        viewer.actor(),
        &form.note,
    )
    .await
    {
        Ok(outcome) => {
            let what = match decision {
                BulkDecision::Escalate => "escalated".to_owned(),
                BulkDecision::Propose(_) => format!("proposed “{}” on", words(&form.decision)),
            };
            let n = outcome.done.len();
            let mut text = format!("{what} {n} alert{}", if n == 1 { "" } else { "s" });
            if !outcome.done.is_empty() && decision != BulkDecision::Escalate {
                text.push_str("; another user must approve each");
            }
            for (id, why) in &outcome.refused {
                text.push_str(&format!("; #{id} refused: {why}"));
            }
            viewer.flash(!outcome.refused.is_empty() && outcome.done.is_empty(), text);
        }
        Err(error) if error.is_user_error() => viewer.flash(true, error.to_string()),
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(back))
}
