//! `/ui/payments`: a payment message (ISO 20022 XML or SWIFT MT), pasted or uploaded,
//! screened field by field: the decision (hit or clear) in words, every hit with its field
//! path, kind, value, listed name, score and explanation, and a message that cannot be read
//! with its line, element and reason. The screening goes through the application layer like
//! `POST /v1/screen/payment`: parsed and screened on the screening pool, and each screened
//! message recorded in the audit trail before it is shown.

use axum::extract::{Multipart, State};
use axum::response::Html;
use interdict_app::contract::{PaymentHitJson, PaymentScreeningJson};
use interdict_app::payments::{
    PaymentAlerts, PaymentErrorJson, PaymentInput, PaymentOutcome, record, screen_inputs,
};
use interdict_store::Role;
use maud::{Markup, html};
use serde_json::Value;

use super::layout::{csrf_field, page, percent, short, words};
use super::scan::{mention_explanation, threshold_field};
use super::upload::{self, UploadForm};
use super::{UiError, Viewer, explain};
use crate::AppState;

/// The name of the pasted message in results and the audit trail.
const PASTED: &str = "pasted message";

fn form_markup(viewer: &Viewer, message: &str, threshold: &str) -> Markup {
    html! {
        form.document method="post" action="/ui/payments" enctype="multipart/form-data" {
            (csrf_field(viewer))
            div.field {
                label for="message" { "Message (ISO 20022 XML or SWIFT MT)" }
                textarea #message name="message" rows="8" spellcheck="false" { (message) }
            }
            div.row {
                div.field {
                    label for="file" { "Or a file" }
                    input #file type="file" name="file";
                }
                div.field {
                    label for="threshold" { "Name threshold (0 to 1, default 0.7)" }
                    input #threshold type="text" inputmode="decimal" name="threshold" value=(threshold) placeholder="0.7";
                }
                button type="submit" { "Screen payment" }
            }
            div.field.check {
                input #open_alerts type="checkbox" name="open_alerts" value="1";
                label for="open_alerts" { "Open alerts for the hits, for review with four eyes (once per message and listed party)" }
            }
        }
    }
}

/// `GET /ui/payments`: the form.
pub(crate) async fn form(viewer: Viewer) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    Ok(page(
        &viewer,
        "payments",
        "Screen a payment",
        form_markup(&viewer, "", ""),
    ))
}

/// What was sent: the pasted message and the file, each one input.
fn inputs(form: &mut UploadForm) -> Vec<PaymentInput> {
    let mut inputs = Vec::new();
    let pasted = form.field("message");
    if !pasted.trim().is_empty() {
        inputs.push(PaymentInput {
            name: PASTED.to_owned(),
            bytes: pasted.as_bytes().to_vec(),
        });
    }
    if let Some(file) = form.take_file() {
        inputs.push(PaymentInput {
            name: file.name,
            bytes: file.bytes,
        });
    }
    inputs
}

/// `POST /ui/payments`: parses, screens and records each message, and shows the outcomes.
pub(crate) async fn screen(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Multipart,
) -> Result<Html<String>, UiError> {
    let mut form = upload::read(multipart, "file", state.config().limits.max_body_bytes).await?;
    viewer.check_csrf(form.field("csrf"))?;
    viewer.require(Role::Screener)?;
    let inputs = inputs(&mut form);
    let alerts = if form.checked("open_alerts") {
        PaymentAlerts::Open
    } else {
        PaymentAlerts::None
    };
    let outcome = match threshold_field(form.field("threshold")) {
        Err(problem) => Err(problem),
        Ok(_) if inputs.is_empty() => Err("paste a message or choose a file".to_owned()),
        Ok(threshold) => {
            let threshold = threshold.unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
            let snapshot = state.index().require()?;
            let actor = viewer.actor().to_owned();
            let screened = state
                .on_screening_pool(move || screen_inputs(&snapshot, &actor, &inputs, threshold))
                .await?;
            match screened {
                Ok(screened) => Ok(record(state.store(), screened, alerts).await?),
                Err(error) if error.is_user_error() => Err(error.to_string()),
                Err(error) => return Err(error.into()),
            }
        }
    };
    let content = html! {
        (form_markup(&viewer, form.field("message"), form.field("threshold")))
        @match &outcome {
            Ok(outcomes) => (results(outcomes)),
            Err(problem) => p.flash.refused role="alert" { strong { "Refused: " } (problem) },
        }
    };
    Ok(page(&viewer, "payments", "Screen a payment", content))
}

fn results(outcomes: &[PaymentOutcome]) -> Markup {
    html! {
        @for (i, outcome) in outcomes.iter().enumerate() {
            @match outcome {
                Ok(screening) => (screened(i, screening)),
                Err(error) => (unreadable(i, error)),
            }
        }
    }
}

fn unreadable(i: usize, error: &PaymentErrorJson) -> Markup {
    html! {
        section.results.unreadable aria-labelledby={ "message-" (i) } {
            h2 id={ "message-" (i) } { "“" (error.message) "” could not be read" }
            p.flash.refused role="alert" { strong { "Not screened: " } (error.reason) }
            dl {
                dt { "Problem" } dd { code { (error.code) } }
                dt { "Line" } dd { @if let Some(line) = error.line { (line) } @else { "—" } }
                dt { "Element" } dd { @if let Some(element) = &error.element { code { (element) } } @else { "—" } }
            }
        }
    }
}

fn screened(i: usize, screening: &PaymentScreeningJson) -> Markup {
    let hit = screening.decision == "hit";
    html! {
        section.results aria-labelledby={ "message-" (i) } {
            h2 id={ "message-" (i) } { "“" (screening.message) "”: " (screening.format) }
            @if hit {
                p.decision.flash.refused role="alert" {
                    strong { "Decision: HIT" } " — stop the payment and review the "
                    (screening.hits.len()) " hit" @if screening.hits.len() != 1 { "s" } " below."
                }
            } @else {
                p.decision.flash.done role="status" { strong { "Decision: CLEAR" } " — no field matches a listed party." }
            }
            p.meta {
                "Recorded as "
                a href={ "/ui/audit?id=" (screening.screening_id) } { code { (screening.screening_id) } }
                @if let Some(id) = &screening.message_id { " · message id " code { (id) } }
                @if let Some(reference) = &screening.reference { " · reference " code { (reference) } }
                " · against "
                @for (n, (list, version)) in screening.list_versions.iter().enumerate() {
                    @if n > 0 { ", " }
                    (list) " " code { (short(version)) }
                }
                "; name threshold " (percent(screening.threshold)) "."
            }
            @if !screening.alert_ids.is_empty() {
                p.meta {
                    "Alerts for review: "
                    @for (n, id) in screening.alert_ids.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href={ "/ui/alerts/" (id) } { "#" (id) }
                    }
                }
            }
            @if hit {
                table.hits {
                    thead { tr {
                        th scope="col" { "Field" } th scope="col" { "Line" } th scope="col" { "Kind" }
                        th scope="col" { "Value" } th scope="col" { "Listed name" } th scope="col" { "Listed as" }
                        th scope="col" { "Score" }
                    } }
                    tbody {
                        @for h in &screening.hits {
                            tr {
                                td { code { (h.field) } }
                                td.num { (h.line) }
                                td { (words(&h.kind)) }
                                td { (h.value) }
                                td {
                                    @match (&h.entity_id, &h.listed_name) {
                                        (Some(id), Some(name)) => a href={ "/ui/entities/" (id) } { (name) },
                                        (None, Some(name)) => (name),
                                        _ => "—",
                                    }
                                }
                                td { (h.listed_value.as_deref().or(h.rule.as_deref()).unwrap_or("—")) }
                                td.num { (percent(h.score)) }
                            }
                        }
                    }
                }
                @for (n, h) in screening.hits.iter().enumerate() {
                    details.match open[n == 0] {
                        summary { "Why " code { (h.field) } " “" (h.value) "” is a " (words(&h.kind)) " hit" }
                        (hit_explanation(h))
                    }
                }
            }
        }
    }
}

/// A hit's explanation: a name match drawn, a free-text mention, or the rule's sentence.
fn hit_explanation(hit: &PaymentHitJson) -> Markup {
    match &hit.explanation {
        Value::String(sentence) => html! { p { (sentence) } },
        explanation if explanation.get("detail").is_some() => mention_explanation(explanation),
        explanation => explain::explanation(explanation),
    }
}
