//! `/ui/audit`: look up an audit record by id (a screening's `screening_id`, an import's or
//! a key's record), read what was asked, answered and against which list versions, replay a
//! screening, payment screening or scan against its recorded versions (reviewer), and verify the whole chain (reviewer).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use interdict_app::contract::{AuditRecordJson, ReplayResponse};
use interdict_store::Role;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::layout::{csrf_field, page, short};
use super::signin::TokenForm;
use super::{UiError, Viewer};
use crate::AppState;

/// The lookup form as sent.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LookupParams {
    #[serde(default)]
    id: Option<String>,
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// What a record's result holds and how many: a screening's matches, a scan's mentions, a
/// payment screening's hits.
fn recorded_results(result: &Value) -> (&'static str, usize) {
    for (key, one, many) in [
        ("matches", "match", "matches"),
        ("mentions", "mention", "mentions"),
        ("hits", "hit", "hits"),
    ] {
        if let Some(items) = result.get(key).and_then(Value::as_array) {
            return (if items.len() == 1 { one } else { many }, items.len());
        }
    }
    ("results", 0)
}

fn record_markup(viewer: &Viewer, record: &AuditRecordJson) -> Markup {
    let payload = &record.payload;
    html! {
        dl {
            dt { "Id" } dd { code { (record.id) } }
            dt { "Kind" } dd { (record.kind) }
            dt { "Recorded" } dd { time { (record.recorded_at) } }
            dt { "By" } dd { code { (record.actor) } }
            dt { "Position in the chain" } dd { (record.seq) }
            dt { "Hash" } dd { code.hash { (record.hash) } }
            dt { "Previous hash" } dd { code.hash { (record.prev_hash) } }
        }
        @if let Some(versions) = payload.get("list_versions").and_then(Value::as_object) {
            h2 { "List versions" }
            ul { @for (list, version) in versions {
                li { (list) " " code { (version.as_str().map(short).unwrap_or("")) } }
            } }
        }
        @if let Some(request) = payload.get("request") {
            h2 { "Request" }
            pre { (pretty(request)) }
        }
        @if let Some(result) = payload.get("result") {
            h2 { "Result" }
            @let (what, count) = recorded_results(result);
            p { (count) " " (what) " recorded." }
            details { summary { "The recorded result" } pre { (pretty(result)) } }
        } @else {
            h2 { "What was recorded" }
            pre { (pretty(payload)) }
        }
        @if matches!(record.kind.as_str(), "screening" | "payment" | "scan") && viewer.may(Role::Reviewer) {
            form method="post" action={ "/ui/audit/" (record.id) "/replay" } {
                (csrf_field(viewer))
                button type="submit" { "Replay" }
                span.hint { " Re-runs it against the recorded list versions." }
            }
        }
    }
}

fn lookup_form(id: &str) -> Markup {
    html! {
        form.lookup method="get" action="/ui/audit" {
            div.field {
                label for="id" { "Record id" }
                input #id type="text" name="id" value=(id) required spellcheck="false";
            }
            button type="submit" { "Look up" }
        }
    }
}

async fn audit_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    replayed: Option<ReplayResponse>,
) -> Result<Html<String>, UiError> {
    let record = if id.is_empty() {
        None
    } else {
        match state.store().audit_record(id).await {
            Ok(record) => Some(Ok(AuditRecordJson::from_record(&record)?)),
            Err(e) if e.is_user_error() => Some(Err(e.to_string())),
            Err(e) => return Err(e.into()),
        }
    };
    let content = html! {
        (lookup_form(id))
        @if viewer.may(Role::Reviewer) {
            form.verify method="post" action="/ui/audit/verify" {
                (csrf_field(viewer))
                button type="submit" { "Verify the chain" }
            }
        }
        @if let Some(replay) = &replayed {
            @if replay.identical {
                p.flash.done role="status" {
                    strong { "Replay identical: " }
                    "the same " (replay.replayed_matches) " matches as recorded (engine "
                    (replay.recorded_engine) " then, " (replay.replay_engine) " now)."
                }
            } @else {
                p.flash.refused role="alert" {
                    strong { "Replay differs: " }
                    (replay.recorded_matches) " matches recorded, " (replay.replayed_matches)
                    " now (engine " (replay.recorded_engine) " then, " (replay.replay_engine) " now)."
                }
            }
        }
        @match &record {
            Some(Ok(record)) => (record_markup(viewer, record)),
            Some(Err(problem)) => p.flash.refused role="alert" { strong { "Not found: " } (problem) },
            None => p.hint { "Give the id of a record: a screening's id is on its result page." },
        }
    };
    Ok(page(viewer, "audit", "Audit trail", content))
}

/// `GET /ui/audit?id=`.
pub(crate) async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<LookupParams>,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Analyst)?;
    let id = params.id.as_deref().map(str::trim).unwrap_or("");
    audit_page(&state, &viewer, id, None).await
}

/// `POST /ui/audit/{id}/replay`.
pub(crate) async fn replay(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<TokenForm>,
) -> Result<Html<String>, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Reviewer)?;
    let replayed = interdict_app::screening::replay(state.store(), &id).await?;
    audit_page(&state, &viewer, &id, Some(replayed)).await
}

/// `POST /ui/audit/verify`: walks the chain and says whether it is intact.
pub(crate) async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<TokenForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Reviewer)?;
    let verification = state.store().verify_audit().await?;
    match &verification.first_break {
        None => viewer.flash(
            false,
            format!(
                "the chain is intact: {} records, head {}",
                verification.records, verification.head_hash
            ),
        ),
        Some(broken) => viewer.flash(
            true,
            format!(
                "the chain is broken at record {}: {}",
                broken.seq, broken.reason
            ),
        ),
    }
    Ok(Redirect::to("/ui/audit"))
}
