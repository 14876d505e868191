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
