//! `/ui/screen`: screen one name and read each match's explanation. The screening goes
//! through the application layer like `POST /v1/screen`: validated by the same rules,
//! screened on the screening pool against one snapshot, and recorded in the audit trail
//! before the result is shown, with the signed-in key as actor. A hit on a company no list
//! names but blocked owners hold shows its basis (`ownership`), regimes, share and paths.

use axum::Form;
use axum::extract::State;
use axum::response::Html;
use interdict_app::Screening;
use interdict_app::contract::{ScreenRequest, ScreenResponse};
use interdict_store::Role;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_field, page, percent, short};
use super::{UiError, Viewer, explain, ownership};
use crate::error::ApiError;
use crate::{AppState, metrics};

/// The screening form as sent.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ScreenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    schema: String,
    #[serde(default)]
    csrf: String,
}

const SCHEMAS: [(&str, &str); 5] = [
    ("", "Any"),
    ("person", "Person"),
    ("organization", "Organisation"),
    ("vessel", "Vessel"),
    ("aircraft", "Aircraft"),
];

fn form_markup(viewer: &Viewer, form: &ScreenForm) -> Markup {
    html! {
        form.screen method="post" action="/ui/screen" {
            (csrf_field(viewer))
            div.field {
                label for="name" { "Name" }
                input #name type="text" name="name" value=(form.name) required autofocus;
            }
            div.field {
                label for="dob" { "Date of birth" }
                input #dob type="text" name="dob" value=(form.dob) placeholder="1955-05-21, 1955 or circa 1955";
            }
            div.field {
                label for="country" { "Country" }
                input #country type="text" name="country" value=(form.country) placeholder="RU or Russia; several with ;";
            }
            div.field {
                label for="schema" { "Kind of party" }
                select #schema name="schema" {
                    @for (value, label) in SCHEMAS {
                        option value=(value) selected[form.schema == value] { (label) }
                    }
                }
            }
            button type="submit" { "Screen" }
        }
    }
}

/// `GET /ui/screen`: the form.
pub(crate) async fn form(viewer: Viewer) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    let content = form_markup(&viewer, &ScreenForm::default());
    Ok(page(&viewer, "screen", "Screen a name", content))
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `POST /ui/screen`: screens, records, and shows the matches with their explanations.
pub(crate) async fn screen(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ScreenForm>,
) -> Result<Html<String>, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Screener)?;
    let request = ScreenRequest {
        name: form.name.clone(),
        dob: optional(&form.dob),
        country: optional(&form.country),
        schema: optional(&form.schema),
        ..ScreenRequest::default()
    };
    let outcome = match Screening::new(request, state.screening_limits(), "") {
        Ok(screening) => Ok(run(&state, &viewer, screening).await?),
        Err(error) if error.is_user_error() => Err(error.to_string()),
        Err(error) => return Err(error.into()),
    };
    let content = html! {
        (form_markup(&viewer, &form))
        @match &outcome {
            Ok(response) => (results(response)),
            Err(problem) => p.flash.refused role="alert" { strong { "Refused: " } (problem) },
        }
    };
    Ok(page(&viewer, "screen", "Screen a name", content))
}

/// Screens on the screening pool (off the async workers) and records the screening.
async fn run(
    state: &AppState,
    viewer: &Viewer,
    screening: Screening,
) -> Result<ScreenResponse, UiError> {
    let snapshot = state.index().require()?;
    let versions = snapshot.versions.clone();
    let ownership = std::sync::Arc::clone(&snapshot.ownership);
    let (screenings, results) = state
        .on_screening_pool(move || {
            let screenings = vec![screening];
            let results = snapshot.screen(&screenings);
            (screenings, results)
        })
        .await?;
    let mut responses = interdict_app::screening::record(
        state.store(),
        viewer.actor(),
        &versions,
        &ownership,
        &screenings,
        &results,
    )
    .await?;
    let response = responses
        .pop()
        .ok_or_else(|| ApiError::internal("a screening produced no result"))?;
    metrics::screened(1, response.matches.len());
    Ok(response)
}

fn results(response: &ScreenResponse) -> Markup {
    html! {
        section.results aria-labelledby="results-title" {
            h2 #results-title {
                (response.matches.len()) " match" @if response.matches.len() != 1 { "es" }
                " for “" (response.query.name) "”"
            }
            p.meta {
                "Recorded as "
                a href={ "/ui/audit?id=" (response.screening_id) } { code { (response.screening_id) } }
                " against "
                @for (i, (list, version)) in response.list_versions.iter().enumerate() {
                    @if i > 0 { ", " }
                    (list) " " code { (short(version)) }
                }
                "; threshold " (percent(response.threshold)) "."
            }
            @if response.matches.is_empty() {
                p { "No listed party scores above the threshold." }
            } @else {
                table.matches {
                    thead { tr {
                        th scope="col" { "Listed name" } th scope="col" { "Name matched" }
                        th scope="col" { "List" } th scope="col" { "Kind" } th scope="col" { "Score" }
                    } }
                    tbody {
                        @for m in &response.matches {
                            tr {
                                td { a href={ "/ui/entities/" (m.entity_id) } { (m.name) } }
                                td { (m.matched_name) }
                                td { (m.list) }
                                td { (m.schema) }
                                td.num { (percent(m.score)) }
                            }
                            // On no list, but blocked through its owners: the basis says so.
                            @if let Some(hit) = &m.ownership {
                                tr.ownership-hit {
                                    td colspan="5" { (ownership::hit_summary(&m.entity_id, hit)) }
                                }
                            }
                            // The same party on other lists: listed under its hit, not as hits.
                            @for other in &m.also_listed {
                                tr.also-listed title={ "Same party: " (other.linked_by) } {
                                    td { "↳ also " a href={ "/ui/entities/" (other.entity_id) } { (other.name) } }
                                    td { (other.matched_name.as_deref().unwrap_or("—")) }
                                    td { (other.list) }
                                    td { (other.linked_by) }
                                    td.num { (other.score.map(percent).unwrap_or_else(|| "—".into())) }
                                }
                            }
                        }
                    }
                }
                @for (i, m) in response.matches.iter().enumerate() {
                    details.match open[i == 0] {
                        summary { "Why " (m.name) " scored " (percent(m.score)) }
                        @if let Some(hit) = &m.ownership {
                            h3 { "Blocked through its owners (" (hit.date) ")" }
                            (ownership::paths_markup(&hit.paths, false))
                        }
                        (explain::explanation(&m.explanation))
                    }
                }
            }
        }
    }
}
