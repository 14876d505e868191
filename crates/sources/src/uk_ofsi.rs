//! UK OFSI consolidated list CSV (`ConList.csv`).
//!
//! The file starts with a `Last Updated,<date>` line, then a header row (`Name 6, Name 1, ...,
//! Group Type, Alias Type, Alias Quality, Regime, Listed On, ..., Group ID`). There is one row
//! per name, and a party with several addresses repeats its rows per address: rows sharing a
//! `Group ID` are one entity (id `<list>:<Group ID>`), and their names, addresses, identifiers,
//! dates and remarks are merged without duplicates. Columns are found by header name.
//!
//! Names: `Name 6` is the surname, `Name 1`–`Name 5` the given names; the full name is written
//! in natural order (`Sergei Kuzhugetovich SHOIGU`) with the parts kept for people. `Alias Type`
//! `Primary name` gives the primary name (the group's first name when no row says so),
//! `Primary name variation` a strong alias, `AKA` a strong or, with `Alias Quality` `Low`, a
//! weak alias. `Name Non-Latin Script` is an original-script name. Cells that hold several
//! values number them: `(1) Russia (2) Ukraine`.
//!
//! Dates are `dd/mm/yyyy`, with `00` for an unknown day or month (`00/00/1965` is 1965). The
//! `Last Updated` date is the publication date. Files as published are Windows-1252 (curly
//! quotes, dashes, accented letters); UTF-8 is read too. `UN Ref QDe.004` in Other
//! Information becomes a UN reference identifier ([`crate::UN_REFERENCE_LABEL`]).
//! Unknown enumerations are read the safe way rather than refused: an unknown `Group Type`
//! gives [`Schema::Unknown`], an unknown alias type a strong alias.

use std::collections::HashMap;

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Identifier, IdentifierKind, Name, NameKind, NameParts,
    PartialDate, Schema, SourceRecord, country_code,
};

use crate::cross_reference;
use crate::csv_records::{Row, header_index, malformed, read_csv};
use crate::text;
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// Columns without which a file is not an OFSI consolidated list.
const REQUIRED_COLUMNS: [&str; 5] = ["Name 6", "Name 1", "Group Type", "Alias Type", "Group ID"];

/// The given-name columns, in order.
const GIVEN_NAME_COLUMNS: [&str; 5] = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5"];

/// The address line columns, in order.
const ADDRESS_COLUMNS: [&str; 6] = [
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
];

/// Parses one or more OFSI consolidated list CSV files into entities on list `list`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::UkOfsiCsv, list);
    for file in files {
        parse_file(file, list, &mut parsed)?;
    }
    Ok(parsed)
}

/// The header: column name to index.
struct Columns {
    index: HashMap<String, usize>,
    count: usize,
}

impl Columns {
    /// The trimmed cell of `column`, or `""` when the column is absent.
    fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        row.cell(&self.index, column)
    }
}

fn parse_file(file: &SourceFile, list: &str, parsed: &mut Parsed) -> Result<(), Error> {
    // Published files are Windows-1252; the rest of the parser reads UTF-8.
    let (text, encoding) = text::decode_utf8_or_windows_1252(&file.bytes);
    parsed.note_encoding(encoding);
    let decoded = SourceFile {
        name: file.name.clone(),
        bytes: text.into_owned().into_bytes(),
    };
    let file = &decoded;
    let mut records = read_csv(file)?.into_iter().peekable();
    // The `Last Updated,<date>` line comes before the header in published files.
    let date_line = records.peek().and_then(|record| {
        let cell = |i: usize| {
            record
                .fields
                .get(i)
                .map(|c| String::from_utf8_lossy(c).trim().to_owned())
        };
        (cell(0)? == "Last Updated").then(|| (record.line, cell(1).unwrap_or_default()))
    });
    if let Some((line, date)) = date_line {
        records.next();
        match parse_date(&date) {
            Some(date) => parsed.note_published(Some(date)),
            None => parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {line}"),
                message: format!("Last Updated {date:?} is not a date (DD/MM/YYYY)"),
            }),
        }
    }
    let header = records
        .next()
        .ok_or_else(|| malformed(file, 1, "no header row; not an OFSI consolidated list CSV"))?;
    let columns = read_header(file, header.line, &header.fields)?;

    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for record in records {
        let line = record.line;
        let issue = |message: String| Issue {
            file: file.name.clone(),
            location: format!("line {line}"),
            message,
        };
        let cells = match row_cells(&record.fields, columns.count) {
            Ok(Some(cells)) => cells,
            Ok(None) => continue,
            Err(message) => {
                parsed.issues.push(issue(message));
                continue;
            }
        };
        let row = Row {
            line,
            cells,
            raw: record.raw,
        };
        let group_id = columns.get(&row, "Group ID").to_owned();
        if group_id.is_empty() {
            parsed.issues.push(issue("no Group ID".into()));
            continue;
        }
        if full_name(&columns, &row).is_empty() {
            parsed
                .issues
                .push(issue("no name in Name 1 to Name 6".into()));
            continue;
        }
        match group_index.get(&group_id) {
            Some(&i) => {
                if let Some((_, group)) = groups.get_mut(i) {
                    group.push(row);
                }
            }
            None => {
                group_index.insert(group_id.clone(), groups.len());
                groups.push((group_id, vec![row]));
            }
        }
    }
    for (group_id, rows) in &groups {
        let (entity, issues) = build_entity(file, list, &columns, group_id, rows);
        parsed.entities.extend(entity);
        parsed.issues.extend(issues);
    }
    Ok(())
}

fn read_header(file: &SourceFile, line: u64, header: &csv::ByteRecord) -> Result<Columns, Error> {
    let index = header_index(
        file,
        line,
        header,
        &REQUIRED_COLUMNS,
        "OFSI consolidated list CSV",
    )?;
    // Published rows may end with a trailing comma the header lacks; count named columns.
    let count = header
        .iter()
        .rposition(|name| !name.iter().all(u8::is_ascii_whitespace))
        .map_or(0, |i| i + 1);
    Ok(Columns { index, count })
}

/// The cells of a row as text; `None` for a blank row.
fn row_cells(record: &csv::ByteRecord, expected: usize) -> Result<Option<Vec<String>>, String> {
    let mut cells = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let text = std::str::from_utf8(field)
            .map_err(|_| format!("field {} is not valid UTF-8", i + 1))?;
        cells.push(text.to_owned());
    }
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    let extra_filled = cells.iter().skip(expected).any(|c| !c.trim().is_empty());
    if cells.len() < expected || extra_filled {
        return Err(format!(
            "row has {} fields, the header has {expected}",
            cells.len()
        ));
    }
    Ok(Some(cells))
}

/// Given names then surname, space-separated.
fn full_name(columns: &Columns, row: &Row) -> String {
    GIVEN_NAME_COLUMNS
        .iter()
        .chain(std::iter::once(&"Name 6"))
        .map(|c| columns.get(row, c))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn name_parts(columns: &Columns, row: &Row) -> NameParts {
    let given: Vec<&str> = GIVEN_NAME_COLUMNS
        .iter()
        .map(|c| columns.get(row, c))
        .collect();
    let non_empty = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let middle: Vec<&str> = given
        .iter()
        .skip(1)
        .copied()
        .filter(|p| !p.is_empty())
        .collect();
    NameParts {
        first: given.first().and_then(|first| non_empty(first)),
        middle: non_empty(&middle.join(" ")),
        patronymic: None,
        last: non_empty(columns.get(row, "Name 6")),
    }
}

fn schema_of(group_type: &str) -> Schema {
    match group_type.to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "entity" => Schema::Organization,
        "ship" => Schema::Vessel,
        _ => Schema::Unknown,
    }
}

fn name_kind(alias_type: &str, quality: &str) -> NameKind {
    let alias_type = alias_type.to_ascii_lowercase();
    if alias_type == "primary name" {
        NameKind::Primary
    } else if alias_type == "fka" || alias_type.starts_with("formerly") {
        NameKind::Fka
    } else if alias_type == "aka" && quality.to_ascii_lowercase().starts_with("low") {
        NameKind::WeakAka
    } else {
        NameKind::StrongAka
    }
}

/// ISO 639-1 tags for the languages OFSI names in `Non-Latin Script Language`.
pub(crate) fn language_tag(language: &str) -> Option<String> {
    let tag = match language.to_ascii_lowercase().as_str() {
        "russian" => "ru",
        "ukrainian" => "uk",
        "belarusian" => "be",
        "arabic" => "ar",
        "persian" | "farsi" => "fa",
        "chinese" => "zh",
        "korean" => "ko",
        "japanese" => "ja",
        "burmese" => "my",
        "georgian" => "ka",
        "armenian" => "hy",
        _ => return None,
    };
    Some(tag.to_owned())
}

/// Splits `(1) a (2) b` into `a`, `b`; a cell without numbering is one value.
fn numbered_values(cell: &str) -> Vec<String> {
    let cell = cell.trim();
    if !cell.starts_with("(1)") {
        return if cell.is_empty() {
            Vec::new()
        } else {
            vec![cell.to_owned()]
        };
    }
    let mut values = Vec::new();
    let mut rest = cell;
    let mut next = 1;
    while let Some(after) = rest.strip_prefix(&format!("({next})")) {
        next += 1;
        let end = after.find(&format!("({next})")).unwrap_or(after.len());
        let (value, tail) = after.split_at(end);
        let value = value.trim();
        if !value.is_empty() {
            values.push(value.to_owned());
        }
        rest = tail;
    }
    values
}

/// `dd/mm/yyyy` with `00` for an unknown day or month.
fn parse_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.trim().split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (day, month, year): (u8, u8, u16) =
        (day.parse().ok()?, month.parse().ok()?, year.parse().ok()?);
    if !(1000..=2999).contains(&year) {
        return None;
    }
    match (month, day) {
        (0, 0) => Some(PartialDate::year(year)),
        (1..=12, 0) => Some(PartialDate {
            year,
            month: Some(month),
            day: None,
        }),
        _ => PartialDate::ymd(year, month, day),
    }
}

fn push_unique(values: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}

fn push_unique_copy<T: PartialEq>(values: &mut Vec<T>, value: T) {
    if !values.contains(&value) {
        values.push(value);
    }
}

/// The seven digits after `IMO` in free text (`IMO number: 9179842`, `IMO 9179842`).
fn imo_number(text: &str) -> Option<String> {
    const SEPARATORS: [char; 5] = [' ', ':', '-', '(', ')'];
    let (_, after) = text.split_once("IMO")?;
    let after = after.trim_start_matches(SEPARATORS);
    let after = ["number", "Number", "No.", "no."]
        .iter()
        .find_map(|word| after.strip_prefix(word))
        .unwrap_or(after)
        .trim_start_matches(SEPARATORS);
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 7).then_some(digits)
}

/// The `(Label):value` fields OFSI writes into Other Information, e.g.
/// `(UK Sanctions List Ref):RUS0123. (Flag of ship):Cameroon`.
fn labelled_fields(text: &str) -> Vec<(&str, &str)> {
    // (start of the label's parenthesis, end of `):`, label)
    let mut markers: Vec<(usize, usize, &str)> = Vec::new();
    let mut from = 0;
    while let Some(close) = text
        .get(from..)
        .and_then(|t| t.find("):"))
        .map(|i| i + from)
    {
        if let Some(open) = opening_parenthesis(text, close) {
            markers.push((open, close + 2, text.get(open + 1..close).unwrap_or("")));
        }
        from = close + 2;
    }
    let ends = markers
        .iter()
        .skip(1)
        .map(|(open, _, _)| *open)
        .chain(std::iter::once(text.len()));
    markers
        .iter()
        .zip(ends)
        .map(|((_, value_start, label), end)| {
            let value = text.get(*value_start..end).unwrap_or("");
            (label.trim(), value.trim().trim_end_matches('.').trim())
        })
        .collect()
}

/// The `(` that balances the `)` at byte `close`, so that `(Current owner/operator(s)):` is
/// one label.
fn opening_parenthesis(text: &str, close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.get(..close)?.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some(i),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn build_entity(
    file: &SourceFile,
    list: &str,
    columns: &Columns,
    group_id: &str,
    rows: &[Row],
) -> (Option<Entity>, Vec<Issue>) {
    let mut issues = Vec::new();
    let Some(first) = rows.first() else {
        return (None, issues);
    };
    let col = |row: &'_ Row, name: &str| columns.get(row, name).to_owned();
    let group_type = col(first, "Group Type");
    let schema = schema_of(&group_type);
    for row in rows {
        if !col(row, "Group Type").eq_ignore_ascii_case(&group_type) {
            issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {}", row.line),
                message: format!(
                    "Group Type {:?} differs from {group_type:?} on line {} of group {group_id}",
                    col(row, "Group Type"),
                    first.line
                ),
            });
        }
    }
    let primary_row = rows
        .iter()
        .find(|r| name_kind(&col(r, "Alias Type"), "") == NameKind::Primary)
        .unwrap_or(first);
    let mut entity = Entity::new(
        EntityId::new(list, group_id),
        schema,
        full_name(columns, primary_row),
    );
    if schema == Schema::Person
        && let Some(primary) = entity.names.first_mut()
    {
        primary.parts = Some(name_parts(columns, primary_row));
    }
    for row in rows {
        add_row(&mut entity, columns, row);
    }
    entity.collect_countries();
    entity.source = SourceRecord {
        format: Format::UkOfsiCsv.name().to_owned(),
        file: file.base_name().to_owned(),
        location: format!("line {}", first.line),
        raw: rows
            .iter()
            .map(|r| r.raw.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    (Some(entity), issues)
}

/// Merges what one row adds to its group's entity.
fn add_row(entity: &mut Entity, columns: &Columns, row: &Row) {
    let col = |name: &str| columns.get(row, name);
    let full = full_name(columns, row);
    if !entity.names.iter().any(|n| n.full == full) {
        let kind = match name_kind(col("Alias Type"), col("Alias Quality")) {
            // The primary name is already set; a second one is an alias.
            NameKind::Primary => NameKind::StrongAka,
            kind => kind,
        };
        let mut name = Name::new(full, kind);
        if entity.schema == Schema::Person {
            name.parts = Some(name_parts(columns, row));
        }
        entity.names.push(name);
    }
    let original = col("Name Non-Latin Script");
    if !original.is_empty() && !entity.names.iter().any(|n| n.full == original) {
        let mut name = Name::new(original, NameKind::OriginalScript);
        name.lang = language_tag(col("Non-Latin Script Language"));
        entity.names.push(name);
    }
    for title in [col("Title")]
        .into_iter()
        .map(str::to_owned)
        .chain(numbered_values(col("Position")))
    {
        push_unique(&mut entity.titles, &title);
    }
    for text in numbered_values(col("DOB")) {
        match parse_date(&text) {
            Some(date) => push_unique_copy(&mut entity.dates_of_birth, DateOfBirth::Exact { date }),
            None => push_unique(&mut entity.remarks, &format!("DOB: {text}")),
        }
    }
    let birthplace = [col("Town of Birth"), col("Country of Birth")]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    push_unique(&mut entity.places_of_birth, &birthplace);
    for text in numbered_values(col("Nationality")) {
        match country_code(&text) {
            Some(code) => push_unique_copy(&mut entity.nationalities, code),
            None => push_unique(&mut entity.remarks, &format!("Nationality: {text}")),
        }
    }
    add_documents(
        entity,
        IdentifierKind::Passport,
        col("Passport Number"),
        col("Passport Details"),
    );
    let national_kind = if col("National Identification Details").contains("IMO") {
        IdentifierKind::Imo
    } else {
        IdentifierKind::NationalId
    };
    add_documents(
        entity,
        national_kind,
        col("National Identification Number"),
        col("National Identification Details"),
    );
    if let Some(address) = address(columns, row) {
        push_unique_copy(&mut entity.addresses, address);
    }
    let other = col("Other Information");
    push_unique(&mut entity.remarks, other);
    add_other_information(entity, other);
    push_unique(&mut entity.programs, col("Regime"));
    if entity.designation_date.is_none() {
        entity.designation_date = parse_date(col("Listed On"))
            .or_else(|| parse_date(col("UK Sanctions List Date Designated")));
    }
}

/// Turns the identifiers and flag OFSI writes into Other Information into fields.
fn add_other_information(entity: &mut Entity, other: &str) {
    for (label, value) in labelled_fields(other) {
        let kind = match label.to_ascii_lowercase().as_str() {
            "uk sanctions list ref" => IdentifierKind::Other {
                label: crate::cross_reference::UK_SANCTIONS_LIST_REF_LABEL.into(),
            },
            "imo number" | "imo" => IdentifierKind::Imo,
            "business reg no" | "business registration number" => {
                IdentifierKind::RegistrationNumber
            }
            "tax id" | "tax identification number" => IdentifierKind::TaxId,
            "flag of ship" => {
                if let Some(code) = country_code(value) {
                    entity.add_country(code);
                }
                continue;
            }
            _ => continue,
        };
        entity.add_identifier(Identifier::new(kind, value));
    }
    if let Some(imo) = imo_number(other) {
        entity.add_identifier(Identifier::new(IdentifierKind::Imo, imo));
    }
    for reference in cross_reference::un_references_in(other) {
        entity.add_identifier(cross_reference::un_reference(&reference));
    }
}

/// Pairs numbered numbers with numbered details: `(1) 123 (2) 456` / `(1) Russia (2) ...`.
fn add_documents(entity: &mut Entity, kind: IdentifierKind, numbers: &str, details: &str) {
    let details = numbered_values(details);
    for (i, number) in numbered_values(numbers).into_iter().enumerate() {
        let detail = details.get(i).map(String::as_str).unwrap_or_default();
        let mut identifier = Identifier::new(kind.clone(), number);
        identifier.country = detail
            .split(['.', ';', '(', ')'])
            .find_map(|part| country_code(part.trim()));
        identifier.note = (!detail.is_empty()).then(|| detail.to_owned());
        entity.add_identifier(identifier);
    }
}

fn address(columns: &Columns, row: &Row) -> Option<Address> {
    let mut lines: Vec<&str> = ADDRESS_COLUMNS
        .iter()
        .map(|c| columns.get(row, c))
        .filter(|line| !line.is_empty())
        .collect();
    let postal = columns.get(row, "Post/Zip Code");
    let country = columns.get(row, "Country");
    let mut address = Address {
        // The last address line is the town in OFSI's layout.
        city: lines.pop().map(str::to_owned),
        postal_code: (!postal.is_empty()).then(|| postal.to_owned()),
        ..Address::default()
    };
    if !lines.is_empty() {
        address.street = Some(lines.join(", "));
    }
    match country_code(country) {
        Some(code) => address.country = Some(code),
        None if !country.is_empty() => address.country_name = Some(country.to_owned()),
        None => {}
    }
    (address != Address::default()).then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_numbered_values() {
        assert_eq!(
            numbered_values("(1) Russia (2) Ukraine"),
            ["Russia", "Ukraine"]
        );
        assert_eq!(numbered_values("Russia"), ["Russia"]);
        assert_eq!(numbered_values(""), Vec::<String>::new());
        assert_eq!(numbered_values("(1) a (3) b"), ["a (3) b"]);
    }

    #[test]
    fn reads_dates_with_unknown_parts() {
        assert_eq!(parse_date("21/05/1955"), PartialDate::ymd(1955, 5, 21));
        assert_eq!(parse_date("00/00/1965"), Some(PartialDate::year(1965)));
        assert_eq!(
            parse_date("00/04/1965").map(|d| d.to_string()).as_deref(),
            Some("1965-04")
        );
        assert_eq!(parse_date("31/02/1965"), None);
        assert_eq!(parse_date("1965"), None);
    }

    #[test]
    fn finds_imo_numbers_in_text() {
        assert_eq!(
            imo_number("IMO number: 9179842. Flag: Russia").as_deref(),
            Some("9179842")
        );
        assert_eq!(imo_number("IMO 9179842").as_deref(), Some("9179842"));
        assert_eq!(imo_number("IMO 91798"), None);
        assert_eq!(imo_number("no number"), None);
        assert_eq!(
            imo_number("(IMO number):9312341.").as_deref(),
            Some("9312341")
        );
    }

    #[test]
    fn reads_labelled_fields() {
        let text = "(UK Sanctions List Ref):RUS9004. (Current owner/operator(s)):ACME LTD (Flag of ship):Cameroon";
        assert_eq!(
            labelled_fields(text),
            [
                ("UK Sanctions List Ref", "RUS9004"),
                ("Current owner/operator(s)", "ACME LTD"),
                ("Flag of ship", "Cameroon"),
            ]
        );
        assert_eq!(labelled_fields("no labels here"), []);
        assert_eq!(labelled_fields("odd ): text"), []);
    }
}
