//! Printing helpers shared by the commands.

use std::io::Write;

use anyhow::Result;
use interdict_model::{Entity, country_name};
use serde::Serialize;

/// `text` as it may be printed to a terminal: control characters (escape sequences, line
/// breaks, tabs) shown escaped as `escape_debug` writes them (`\u{1b}`, `\n`), everything
/// else as it is. Names stored before they were validated, or read from a store written by
/// other means, cannot move the cursor, recolour the screen or forge table rows.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Prints `value` as one line of JSON on stdout.
pub(crate) fn print_json_line(value: &impl Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A readable, multi-line description of an entity for analysts.
pub(crate) fn describe_entity(entity: &Entity) -> String {
    let mut lines = vec![format!(
        "{}  [{}]  {}",
        entity.id, entity.schema, entity.name
    )];
    let mut field = |label: &str, values: Vec<String>| {
        if !values.is_empty() {
            lines.push(format!("  {label:<14} {}", values.join("; ")));
        }
    };
    field(
        "names",
        entity
            .names
            .iter()
            .skip(1)
            .map(|n| format!("{} ({:?})", n.full, n.kind))
            .collect(),
    );
    field(
        "born",
        entity
            .dates_of_birth
            .iter()
            .map(ToString::to_string)
            .collect(),
    );
    field("birthplace", entity.places_of_birth.clone());
    field(
        "nationality",
        entity
            .nationalities
            .iter()
            .map(|c| format!("{} ({c})", country_name(*c)))
            .collect(),
    );
    field(
        "citizenship",
        entity.citizenships.iter().map(|c| c.to_string()).collect(),
    );
    field(
        "countries",
        entity.countries.iter().map(|c| c.to_string()).collect(),
    );
    field(
        "gender",
        entity.gender.iter().map(|g| format!("{g:?}")).collect(),
    );
    field(
        "identifiers",
        entity
            .identifiers
            .iter()
            .map(|i| {
                let country = i.country.map(|c| format!(" ({c})")).unwrap_or_default();
                format!("{} {}{country}", i.kind.label(), i.value)
            })
            .collect(),
    );
    field("programs", entity.programs.clone());
    field("titles", entity.titles.clone());
    field(
        "listed",
        entity
            .designation_date
            .iter()
            .map(ToString::to_string)
            .collect(),
    );
    field(
        "addresses",
        entity
            .addresses
            .iter()
            .map(|a| {
                [
                    &a.street,
                    &a.city,
                    &a.region,
                    &a.postal_code,
                    &a.country_name,
                ]
                .into_iter()
                .flatten()
                .cloned()
                .chain(a.country.map(|c| c.to_string()))
                .collect::<Vec<_>>()
                .join(", ")
            })
            .collect(),
    );
    field(
        "links",
        entity
            .links
            .iter()
            .map(|l| format!("{} {}", l.relation, l.target))
            .collect(),
    );
    field("source list", entity.source_list.iter().cloned().collect());
    field("remarks", entity.remarks.clone());
    lines.push(format!(
        "  {:<14} {} {} {} ({})",
        "source", entity.source.format, entity.source.file, entity.source.location, "provenance"
    ));
    lines.join("\n")
}

/// `println!` that returns the write error instead of panicking on it: a closed stdout
/// (`interdict lists | head`) then travels up as an error that `main` ends quietly.
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;

/// Writes to stdout, returning the error rather than panicking (see [`outln!`]).
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    std::io::stdout().lock().write_fmt(args)
}

/// Whether `error` comes from writing to a stdout that the reader closed: the command's
/// output is no longer wanted, which is no failure.
pub(crate) fn is_closed_stdout(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// A recorded explanation (the JSON of `interdict_matching::Explanation`) laid out for an
/// analyst: the names compared, how each token lined up, and what every feature did to
/// the score. A shape this does not know is shown as its JSON.
pub(crate) fn explanation_lines(explanation: &serde_json::Value) -> Vec<String> {
    let text = |key: &str| explanation.get(key).and_then(serde_json::Value::as_str);
    let number = |value: Option<&serde_json::Value>| value.and_then(serde_json::Value::as_f64);
    let (Some(query), Some(matched)) = (text("query_normalized"), text("matched_normalized"))
    else {
        return vec![explanation.to_string()];
    };
    let mut lines = vec![format!("compared      {query:?} with {matched:?}")];
    if let Some(score) = number(explanation.get("name_score")) {
        lines.push(format!("name score    {score:.3}"));
    }
    let tokens = explanation
        .get("tokens")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !tokens.is_empty() {
        lines.push("tokens".into());
    }
    for token in tokens {
        let side = |key: &str| {
            token
                .get(key)
                .and_then(serde_json::Value::as_str)
                .unwrap_or("-")
        };
        let verdict = side("verdict").replace('_', " ");
        lines.push(format!(
            "  {:<16} ~ {:<16} {:<12} similarity {:.2}",
            side("query"),
            side("matched"),
            verdict,
            number(token.get("similarity")).unwrap_or_default()
        ));
    }
    let features = explanation
        .get("features")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !features.is_empty() {
        lines.push("features".into());
    }
    for feature in features {
        lines.push(format!(
            "  {:+.3}  {}",
            number(feature.get("effect")).unwrap_or_default(),
            feature
                .get("detail")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
        ));
    }
    if let Some(score) = number(explanation.get("score")) {
        lines.push(format!("score         {score:.3}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_print_escaped_and_the_rest_as_it_is() {
        assert_eq!(printable("ofac-sdn"), "ofac-sdn");
        assert_eq!(printable("Zahlungsverkehr ü"), "Zahlungsverkehr ü");
        assert_eq!(printable("\u{1b}[31mred\tx\n"), "\\u{1b}[31mred\\tx\\n");
    }
}
