//! `/ui/scan`: a document (news, a memo, remittance text) scanned for mentions of listed
//! parties, shown with each mention marked and numbered in place, and a table of the
//! mentions with their listed name, list, score and explanation. The scan goes through the
//! application layer like `POST /v1/scan`: validated by the same rules, run on the
//! screening pool, and recorded in the audit trail before it is shown.

use axum::Form;
use axum::extract::State;
use axum::response::Html;
use interdict_app::contract::{MentionJson, ScanRequest, ScanResponse};
use interdict_app::scan::{Scan, ScanLimits, scan_all};
use interdict_store::Role;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use super::layout::{csrf_field, page, percent, short, words};
use super::{UiError, Viewer, explain};
use crate::error::ApiError;
use crate::{AppState, metrics};

/// The scan form as sent.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ScanForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    csrf: String,
}

fn form_markup(viewer: &Viewer, form: &ScanForm) -> Markup {
    html! {
        form.document method="post" action="/ui/scan" {
            (csrf_field(viewer))
            div.field {
                label for="text" { "Text" }
                textarea #text name="text" rows="6" required autofocus { (form.text) }
            }
            div.row {
                div.field {
                    label for="doc-id" { "Document id (optional)" }
                    input #doc-id type="text" name="id" value=(form.id) spellcheck="false";
                }
                div.field {
                    label for="threshold" { "Threshold (0 to 1, default 0.7)" }
                    input #threshold type="text" inputmode="decimal" name="threshold" value=(form.threshold) placeholder="0.7";
                }
                button type="submit" { "Scan" }
            }
        }
    }
}

/// `GET /ui/scan`: the form.
pub(crate) async fn form(viewer: Viewer) -> Result<Html<String>, UiError> {
    viewer.require(Role::Screener)?;
    let content = form_markup(&viewer, &ScanForm::default());
    Ok(page(&viewer, "scan", "Scan a text", content))
}

/// A threshold field: empty is the default, anything else must be a number (the range is
/// the application layer's rule).
pub(crate) fn threshold_field(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.replace(',', ".")
        .parse::<f64>()
        .map(Some)
        .map_err(|_| format!("threshold: {text:?} is not a number"))
}

/// `POST /ui/scan`: scans, records, and shows the text with its mentions.
pub(crate) async fn scan(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(mut form): Form<ScanForm>,
) -> Result<Html<String>, UiError> {
    viewer.check_csrf(&form.csrf)?;
    viewer.require(Role::Screener)?;
    // Browsers send a textarea's line breaks as CRLF; the text scanned (and recorded, and
    // shown) is the one the user typed.
    form.text = form.text.replace("\r\n", "\n");
    let outcome = match threshold_field(&form.threshold) {
        Err(problem) => Err(problem),
        Ok(threshold) => {
            let request = ScanRequest {
                text: form.text.clone(),
                id: Some(form.id.trim().to_owned()).filter(|id| !id.is_empty()),
                threshold,
                ..ScanRequest::default()
            };
            let limits = ScanLimits {
                max_text_bytes: state.config().limits.max_body_bytes,
                ..ScanLimits::default()
            };
            match Scan::new(request, limits, "") {
                Ok(scan) => Ok(run(&state, &viewer, scan).await?),
                Err(error) if error.is_user_error() => Err(error.to_string()),
                Err(error) => return Err(error.into()),
            }
        }
    };
    let content = html! {
        (form_markup(&viewer, &form))
        @match &outcome {
            Ok(response) => (results(&form.text, response)),
            Err(problem) => p.flash.refused role="alert" { strong { "Refused: " } (problem) },
        }
    };
    Ok(page(&viewer, "scan", "Scan a text", content))
}

/// Scans on the screening pool (off the async workers) and records the scan.
async fn run(state: &AppState, viewer: &Viewer, scan: Scan) -> Result<ScanResponse, UiError> {
    let snapshot = state.index().require()?;
    let versions = snapshot.versions.clone();
    let (scans, results) = state
        .on_screening_pool(move || {
            let scans = vec![scan];
            let results = scan_all(&snapshot, &scans);
            (scans, results)
        })
        .await?;
    let mut responses =
        interdict_app::scan::record(state.store(), viewer.actor(), &versions, &scans, &results)
            .await?;
    let response = responses
        .pop()
        .ok_or_else(|| ApiError::internal("a scan produced no result"))?;
    metrics::screened(1, response.mentions.len());
    Ok(response)
}

/// A piece of the document as shown: plain text, or the text of mention number `n`
/// (1-based, the mention's row in the table).
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Plain(&'a str),
    Mention(&'a str, usize),
}

/// Cuts `text` at the mentions' byte offsets. A mention whose offsets are not character
/// boundaries of `text`, or that overlaps one already marked, is listed in the table but not
/// marked (the document is never cut inside a character).
fn pieces<'a>(text: &'a str, mentions: &[MentionJson]) -> Vec<Piece<'a>> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].start, std::cmp::Reverse(mentions[i].end)));
    let mut pieces = Vec::new();
    let mut done = 0;
    for i in order {
        let (start, end) = (mentions[i].start, mentions[i].end);
        if start < done || start >= end {
            continue;
        }
        let (Some(before), Some(marked)) = (text.get(done..start), text.get(start..end)) else {
            continue;
        };
        if !before.is_empty() {
            pieces.push(Piece::Plain(before));
        }
        pieces.push(Piece::Mention(marked, i + 1));
        done = end;
    }
    if let Some(rest) = text.get(done..).filter(|rest| !rest.is_empty()) {
        pieces.push(Piece::Plain(rest));
    }
    pieces
}

/// The list of an entity, from its id (`ofac-sdn:12345`).
pub(crate) fn list_of(entity_id: &str) -> &str {
    entity_id.split_once(':').map_or("", |(list, _)| list)
}

/// A mention's explanation: how it was found, why it counts, and the name match drawn.
pub(crate) fn mention_explanation(explanation: &Value) -> Markup {
    let kind = explanation
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("");
    let detail = explanation
        .get("detail")
        .and_then(Value::as_str)
        .unwrap_or("");
    html! {
        p { strong { "Found as " (words(kind)) ": " } (detail) }
        @if let Some(identifier) = explanation.get("identifier").filter(|v| !v.is_null()) {
            p { strong { "Listed identifier: " } code { (identifier_text(identifier)) } }
        }
        @if let Some(name) = explanation.get("name").filter(|v| v.is_object()) {
            (explain::explanation(name))
        }
    }
}

fn identifier_text(identifier: &Value) -> String {
    match (
        identifier.get("type").and_then(Value::as_str),
        identifier.get("value").and_then(Value::as_str),
    ) {
        (Some(kind), Some(value)) => format!("{} {value}", words(kind)),
        _ => identifier.to_string(),
    }
}

fn results(text: &str, response: &ScanResponse) -> Markup {
    let count = response.mentions.len();
    html! {
        section.results aria-labelledby="results-title" {
            h2 #results-title {
                (count) " mention" @if count != 1 { "s" }
                @if let Some(id) = &response.id { " in “" (id) "”" }
            }
            p.meta {
                "Recorded as "
                a href={ "/ui/audit?id=" (response.scan_id) } { code { (response.scan_id) } }
                " against "
                @for (i, (list, version)) in response.list_versions.iter().enumerate() {
                    @if i > 0 { ", " }
                    (list) " " code { (short(version)) }
                }
                "; threshold " (percent(response.threshold)) "."
            }
            h3 { "The text, each mention marked and numbered" }
            div.document #document {
                @for piece in pieces(text, &response.mentions) {
                    @match piece {
                        Piece::Plain(plain) => (plain),
                        Piece::Mention(marked, n) => mark id={ "mention-" (n) } {
                            (marked) sup { "[" (n) "]" }
                        },
                    }
                }
            }
            @if count == 0 {
                p { "No listed party is mentioned above the threshold." }
            } @else {
                table.mentions {
                    thead { tr {
                        th scope="col" { "#" } th scope="col" { "Mention" } th scope="col" { "Listed name" }
                        th scope="col" { "List" } th scope="col" { "Score" } th scope="col" { "Bytes" }
                    } }
                    tbody {
                        @for (i, m) in response.mentions.iter().enumerate() {
                            tr {
                                td.num { (i + 1) }
                                td { (m.text) }
                                td { a href={ "/ui/entities/" (m.entity_id) } { (m.listed_name) } }
                                td { (list_of(&m.entity_id)) }
                                td.num { (percent(m.score)) }
                                td.num { (m.start) "–" (m.end) }
                            }
                        }
                    }
                }
                @for (i, m) in response.mentions.iter().enumerate() {
                    details.match open[i == 0] {
                        summary { "[" (i + 1) "] Why “" (m.text) "” is " (m.listed_name) " (" (percent(m.score)) ")" }
                        (mention_explanation(&m.explanation))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, needle: &str) -> MentionJson {
        let start = text.find(needle).expect("needle in text");
        MentionJson {
            start,
            end: start + needle.len(),
            text: needle.to_owned(),
            entity_id: "ofac-sdn:1".into(),
            listed_name: needle.to_uppercase(),
            score: 0.9,
            explanation: Value::Null,
        }
    }

    #[test]
    fn mentions_are_cut_at_their_byte_offsets_in_cyrillic_text() {
        let text = "Встреча: Владимир Путин и Сергей Лавров — в Москве.";
        let mentions = [
            mention(text, "Сергей Лавров"),
            mention(text, "Владимир Путин"),
        ];
        assert_eq!(
            pieces(text, &mentions),
            vec![
                Piece::Plain("Встреча: "),
                Piece::Mention("Владимир Путин", 2),
                Piece::Plain(" и "),
                Piece::Mention("Сергей Лавров", 1),
                Piece::Plain(" — в Москве."),
            ]
        );
    }

    #[test]
    fn offsets_inside_a_character_or_overlapping_are_not_marked() {
        let text = "Путин Putin";
        let mut inside = mention(text, "Путин");
        inside.start = 1; // inside "П", which takes two bytes
        let whole = mention(text, "Putin");
        let mut overlapping = mention(text, "Putin");
        overlapping.start += 2;
        let shown = pieces(text, &[inside, whole, overlapping]);
        assert_eq!(
            shown,
            vec![Piece::Plain("Путин "), Piece::Mention("Putin", 2)]
        );
        let joined: String = shown
            .iter()
            .map(|p| match p {
                Piece::Plain(s) | Piece::Mention(s, _) => *s,
            })
            .collect();
        assert_eq!(joined, text, "nothing of the text is lost");
    }

    #[test]
    fn offsets_past_the_end_leave_the_text_whole() {
        let text = "Lavrov";
        let mut beyond = mention(text, "Lavrov");
        beyond.end = 99;
        assert_eq!(pieces(text, &[beyond]), vec![Piece::Plain("Lavrov")]);
    }

    #[test]
    fn a_threshold_is_empty_or_a_number() {
        assert_eq!(threshold_field("  "), Ok(None));
        assert_eq!(threshold_field("0,8"), Ok(Some(0.8)));
        assert!(threshold_field("high").is_err());
    }
}
