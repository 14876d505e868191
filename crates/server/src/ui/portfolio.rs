//! `/ui/portfolio`: the monitored customers with their open alerts, and "Run monitoring now"
//! (analyst), which runs the same delta (or full) run as `POST /v1/monitor/run`, after any
//! run already under way, and reports what it screened and raised.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use interdict_app::contract::MonitorReport;
use interdict_store::{AlertFilter, Role};
use maud::html;
use serde::Deserialize;

use super::layout::{csrf_field, page};
use super::{UiError, Viewer};
use crate::AppState;

/// Customers shown on one page: the rest are counted.
const SHOWN: usize = 500;

/// `GET /ui/portfolio`.
pub(crate) async fn portfolio(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, UiError> {
    viewer.require(Role::Analyst)?;
    let store = state.store();
    let snapshot = store.portfolio(false).await?;
    let mut open: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for alert in store.alerts(&AlertFilter::default()).await? {
        if alert.status.is_open() {
            open.entry(alert.customer_id.clone())
                .or_default()
                .push((alert.id, alert.matched_name.clone()));
        }
    }
    let monitored = store.monitor_state().await?;
    let content = html! {
        section aria-labelledby="run-title" {
            h2 #run-title { "Monitoring" }
            p.meta {
                (snapshot.customers.len()) " customers · screened through revision "
                (monitored.customers_screened_through) " of " (snapshot.revision)
            }
            form.run method="post" action="/ui/monitor/run" {
                (csrf_field(&viewer))
                div.field.check {
                    input #full type="checkbox" name="full" value="true";
                    label for="full" { "Full run: every customer against every listed entity" }
                }
                button type="submit" { "Run monitoring now" }
            }
        }
        section aria-labelledby="customers-title" {
            h2 #customers-title { "Customers" }
            table.customers {
                thead { tr {
                    th scope="col" { "Id" } th scope="col" { "Name" } th scope="col" { "Date of birth" }
                    th scope="col" { "Countries" } th scope="col" { "Open alerts" }
                } }
                tbody {
                    @for stored in snapshot.customers.iter().take(SHOWN) {
                        @let c = &stored.customer;
                        tr {
                            td { (c.id) }
                            td { (c.name) }
                            td { (c.dob.map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                            td { (c.countries.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")) }
                            td {
                                @match open.get(&c.id) {
                                    Some(alerts) => {
                                        @for (i, (id, name)) in alerts.iter().enumerate() {
                                            @if i > 0 { ", " }
                                            a href={ "/ui/alerts/" (id) } { "#" (id) " " (name) }
                                        }
                                    }
                                    None => "none",
                                }
                            }
                        }
                    }
                }
            }
            @if snapshot.customers.len() > SHOWN {
                p.meta { "and " (snapshot.customers.len() - SHOWN) " more customers." }
            }
        }
    };
    Ok(page(&viewer, "portfolio", "Portfolio", content))
}

/// The run form as sent.
#[derive(Debug, Deserialize)]
pub(crate) struct RunForm {
    #[serde(default)]
    full: Option<String>,
    #[serde(default)]
    csrf: String,
}

/// A run's report in one sentence.
fn summary(report: &MonitorReport) -> String {
    let mut text = format!(
        "{} monitoring run: screened {} customers and {} listed entities; {} alerts raised \
         ({} raised again), {} refreshed, {} closed; {} hits on decided pairs suppressed, {} \
         already open ({:.1} s).",
        report.mode,
        report.screened_customers,
        report.screened_entities,
        report.alerts_created,
        report.alerts_reraised,
        report.alerts_refreshed,
        report.alerts_closed,
        report.suppressed,
        report.already_open,
        report.seconds,
    );
    if !report.saturated.is_empty() {
        text.push_str(&format!(
            " {} entities hit the reverse lookup's cap: run a full run to be sure.",
            report.saturated.len()
        ));
    }
    text
}

/// `POST /ui/monitor/run`.
pub(crate) async fn run(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<RunForm>,
) -> Result<Redirect, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Analyst)?;
    let full = form.full.is_some_and(|v| v == "true");
    match state.run_monitoring(full, viewer.actor()).await {
        Ok(report) => viewer.flash(false, summary(&report)),
        Err(error) if error.status_and_code().0.is_client_error() => {
            viewer.flash(true, error.to_string());
        }
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to("/ui/portfolio"))
}
