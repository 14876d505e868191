//! An explanation drawn for a person: the two names as normalised, their tokens lined up
//! pair by pair with each pair's verdict in words (never colour alone), and every feature
//! with what it added to or took from the score. It reads the explanation's JSON (the shape
//! the API and the audit trail record), so recorded and fresh ones draw alike.

use maud::{Markup, html};
use serde_json::Value;

/// A verdict in words, and the class that colours it.
fn verdict(name: &str) -> (&'static str, &'static str) {
    match name {
        "exact" => ("exact", "v-exact"),
        "close" => ("close variant", "v-close"),
        "partial" => ("partial", "v-partial"),
        "conflict" => ("conflict", "v-conflict"),
        "query_only" => ("only in the query", "v-alone"),
        "listed_only" => ("only in the listed name", "v-alone"),
        _ => ("other", "v-alone"),
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn number(value: &Value, key: &str) -> Option<f64> {
    value.get(key).and_then(Value::as_f64)
}

/// A signed effect on the score, e.g. `+0.050` or `−0.120`.
fn effect(value: f64) -> String {
    if value < 0.0 {
        format!("−{:.3}", -value)
    } else {
        format!("+{value:.3}")
    }
}

/// The explanation `explanation` (the JSON of a match's or an alert's explanation).
pub(crate) fn explanation(explanation: &Value) -> Markup {
    let tokens = explanation
        .get("tokens")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let features = explanation
        .get("features")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    html! {
        div.explanation {
            dl.names {
                dt { "Query, normalised" }
                dd { code { (text(explanation, "query_normalized")) } }
                dt { "Listed name, normalised" }
                dd { code { (text(explanation, "matched_normalized")) } }
            }
            @if !tokens.is_empty() {
                table.tokens {
                    caption { "Aligned tokens" }
                    thead { tr { th scope="col" { "Query" } th scope="col" { "Listed" } th scope="col" { "Verdict" } th scope="col" { "Similarity" } th scope="col" { "Weight" } } }
                    tbody {
                        @for token in tokens {
                            @let (words, class) = verdict(text(token, "verdict"));
                            tr class=(class) {
                                td { @if let Some(q) = token.get("query").and_then(Value::as_str) { mark { (q) } } @else { "—" } }
                                td { @if let Some(m) = token.get("matched").and_then(Value::as_str) { mark { (m) } } @else { "—" } }
                                td { span.verdict { (words) } }
                                td.num { (format!("{:.2}", number(token, "similarity").unwrap_or(0.0))) }
                                td.num { (format!("{:.2}", number(token, "weight").unwrap_or(0.0))) }
                            }
                        }
                    }
                }
            }
            @if !features.is_empty() {
                table.features {
                    caption { "Features and their effect on the score" }
                    thead { tr { th scope="col" { "Feature" } th scope="col" { "Value" } th scope="col" { "Effect" } th scope="col" { "Why" } } }
                    tbody {
                        @for feature in features {
                            @let change = number(feature, "effect").unwrap_or(0.0);
                            tr class=(if change < 0.0 { "down" } else if change > 0.0 { "up" } else { "none" }) {
                                th scope="row" { (text(feature, "feature").replace('_', " ")) }
                                td { (text(feature, "value")) }
                                td.num { (effect(change)) }
                                td { (text(feature, "detail")) }
                            }
                        }
                    }
                }
            }
            @if let Some(score) = number(explanation, "score") {
                p.score {
                    "Name similarity "
                    (format!("{:.3}", number(explanation, "name_score").unwrap_or(0.0)))
                    ", final score " strong { (format!("{score:.3}")) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_and_features_are_drawn_with_words_and_signed_effects() {
        let drawn = explanation(&json!({
            "query_normalized": "sergei shoigu",
            "matched_normalized": "sergey shoygu",
            "tokens": [
                { "query": "sergei", "matched": "sergey", "similarity": 0.9, "weight": 1.0, "verdict": "close" },
                { "query": "x", "similarity": 0.0, "weight": 0.2, "verdict": "query_only" }
            ],
            "name_score": 0.91,
            "features": [
                { "feature": "date_of_birth", "value": "1955 vs 1960", "effect": -0.12, "detail": "years differ" }
            ],
            "score": 0.79
        }))
        .into_string();
        assert!(drawn.contains("sergey shoygu"));
        assert!(drawn.contains("close variant"));
        assert!(drawn.contains("only in the query"));
        assert!(drawn.contains("date of birth"));
        assert!(drawn.contains("−0.120"));
        assert!(drawn.contains("0.790"));
    }
}
