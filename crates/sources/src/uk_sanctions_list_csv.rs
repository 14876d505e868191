//! FCDO UK Sanctions List, CSV variant: the same list as [`crate::uk_sanctions_list`]'s XML,
//! published as CSV. The first line is a `Report Date` line (`Report Date: 07-Sep-2026`, or
//! the date in a second cell), then a header row, then one row per name of a designation
//! (and per further address, date of birth, document, ... that the designation has): rows
//! sharing a `Unique ID` are one designation.
//!
//! Columns are found by header name, compared without case and with runs of spaces (and
//! no-break spaces) as one, so a reordered or extended layout still reads. The names are
//! those of the FCDO's CSV (`Unique ID`, `OFSI Group ID`, `UN Reference Number`, `Name 1`..
//! `Name 6`, `Name type`, `Alias strength`, `Name non-latin script`, `Regime Name`,
//! `Designation Type`, `D.O.B`, `Nationality(/ies)`, `Passport number`, `IMO number`, ...;
//! the column of party kinds is also accepted as `Individual, Entity, Ship`). Required are
//! `Unique ID`, `Name 6` and `Name type`.
//!
//! Each designation's rows are turned into the XML parser's `Designation` element (each
//! row's name a `Name`, each distinct address, date of birth, passport, ... one entry of its
//! list, single-valued fields from the first row that has them) and built by the XML
//! parser's own mapping, so the two variants give the same entities by construction. A row
//! with another number of cells than the header is an issue (a cut inside a row); the report
//! date is the publication date.

use std::collections::HashMap;

use interdict_model::PartialDate;

use crate::csv_records::{Row, malformed, read_csv};
use crate::text;
use crate::uk_sanctions_list::{build_entity, parse_list_date};
use crate::xml::Element;
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// The format's name in errors.
const FORMAT_NAME: &str = "UK Sanctions List CSV";

/// Columns without which a file is not a UK Sanctions List CSV (normalised names).
const REQUIRED_COLUMNS: [&str; 3] = ["unique id", "name 6", "name type"];

/// The names the column of party kinds goes by.
const KIND_COLUMNS: [&str; 3] = [
    "designation type",
    "individual, entity, ship",
    "entity, vessel or individual",
];

/// Single-valued fields: the XML element and the column it comes from.
const SINGLE_FIELDS: [(&str, &str); 10] = [
    ("OFSIGroupID", "ofsi group id"),
    ("UNReferenceNumber", "un reference number"),
    ("LastUpdated", "last updated"),
    ("DateDesignated", "date designated"),
    ("RegimeName", "regime name"),
    ("DesignationSource", "designation source"),
    ("SanctionsImposed", "sanctions imposed"),
    ("OtherInformation", "other information"),
    ("UKStatementofReasons", "uk statement of reasons"),
    ("UniqueID", "unique id"),
];

/// Name parts: the XML element and its column.
const NAME_FIELDS: [(&str, &str); 8] = [
    ("Name1", "name 1"),
    ("Name2", "name 2"),
    ("Name3", "name 3"),
    ("Name4", "name 4"),
    ("Name5", "name 5"),
    ("Name6", "name 6"),
    ("NameType", "name type"),
    ("AliasStrength", "alias strength"),
];

/// Original-script names: the XML element and its column.
const NON_LATIN_FIELDS: [(&str, &str); 3] = [
    ("NameNonLatinScript", "name non-latin script"),
    ("NonLatinScriptType", "non-latin script type"),
    ("NonLatinScriptLanguage", "non-latin script language"),
];

/// Address parts: the XML element and its column.
const ADDRESS_FIELDS: [(&str, &str); 8] = [
    ("AddressLine1", "address line 1"),
    ("AddressLine2", "address line 2"),
    ("AddressLine3", "address line 3"),
    ("AddressLine4", "address line 4"),
    ("AddressLine5", "address line 5"),
    ("AddressLine6", "address line 6"),
    ("AddressPostalCode", "address postal code"),
    ("AddressCountry", "address country"),
];

/// Lists of one value each: the list element, its item element and the column.
type ListField = (&'static str, &'static str, &'static str);

/// Lists directly under `Designation`.
const DESIGNATION_LISTS: [ListField; 4] = [
    ("Titles", "Title", "title"),
    ("PhoneNumbers", "PhoneNumber", "phone number"),
    ("EmailAddresses", "EmailAddress", "email address"),
    ("Websites", "Website", "website"),
];

/// Lists under `IndividualDetails/Individual`.
const INDIVIDUAL_LISTS: [ListField; 4] = [
    ("DOBs", "DOB", "d.o.b"),
    ("Genders", "Gender", "gender"),
    ("Nationalities", "Nationality", "nationality(/ies)"),
    ("Positions", "Position", "position"),
];

/// Lists under `EntityDetails/Entity`.
const ENTITY_LISTS: [ListField; 4] = [
    (
        "BusinessRegistrationNumbers",
        "BusinessRegistrationNumber",
        "business registration number (s)",
    ),
    ("TypeOfEntities", "TypeOfEntity", "type of entity"),
    ("Subsidiaries", "Subsidiary", "subsidiaries"),
    ("ParentCompanies", "ParentCompany", "parent company"),
];

/// Lists under `ShipDetails/Ship`.
const SHIP_LISTS: [ListField; 9] = [
    ("IMONumbers", "IMONumber", "imo number"),
    (
        "CurrentOwnerOperators",
        "CurrentOwnerOperator",
        "current owner/operator (s)",
    ),
    (
        "CurrentBelievedFlagOfShips",
        "CurrentBelievedFlagOfShip",
        "current believed flag of ship",
    ),
    ("PreviousFlags", "PreviousFlag", "previous flags"),
    ("TypeOfShipDetails", "TypeOfShip", "type of ship"),
    ("TonnageOfShipDetails", "TonnageOfShip", "tonnage of ship"),
    ("LengthOfShipDetails", "LengthOfShip", "length of ship"),
    ("YearsBuilt", "YearBuilt", "year built"),
    (
        "HullIdentificationNumbers",
        "HullIdentificationNumber",
        "hull identification number (hin)",
    ),
];

/// Parses UK Sanctions List CSV files into entities with ids `<list>:<Unique ID>`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::UkSanctionsListCsv, list);
    for file in files {
        parse_file(file, list, &mut parsed)?;
    }
    Ok(parsed)
}

/// A column name as compared: trimmed, lower case, runs of spaces as one.
pub(crate) fn column_key(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The header: normalised column name to index.
struct Columns {
    index: HashMap<String, usize>,
    count: usize,
    kind: Option<usize>,
}

impl Columns {
    /// The trimmed cell of `column` (a normalised name), `""` when the column is absent.
    fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        row.cell(&self.index, column)
    }
}

/// The date of a `Report Date` line, as written after the label (`Report Date: 07-Sep-2026`)
/// or in the next cell (`Report Date,07/09/2026`); `None` when the line is not one.
pub(crate) fn report_date_text(cells: &[String]) -> Option<String> {
    let first = cells.first()?.trim();
    let rest = strip_prefix_ignore_case(first, "report date")?;
    let inline = rest.trim_start_matches([':', ' ', '\t']).trim();
    if !inline.is_empty() {
        return Some(inline.to_owned());
    }
    Some(
        cells
            .get(1)
            .map(|c| c.trim().to_owned())
            .unwrap_or_default(),
    )
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// A report date: `DD/MM/YYYY`, `DD-Mon-YYYY` (English month, short or long) or
/// `YYYY-MM-DD`, with any time after it ignored.
pub(crate) fn parse_report_date(text: &str) -> Option<PartialDate> {
    let date = text.trim().split([' ', 'T']).next()?;
    if let Some(date) = parse_list_date(date) {
        return Some(date);
    }
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 => {
            PartialDate::ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
        }
        [day, month, year] if year.len() == 4 => {
            let month = month_number(month)?;
            PartialDate::ymd(year.parse().ok()?, month, day.parse().ok()?)
        }
        _ => None,
    }
}

fn month_number(name: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let short = lower.get(..3)?;
    let at = MONTHS.iter().position(|m| *m == short)?;
    u8::try_from(at + 1).ok()
}

fn parse_file(file: &SourceFile, list: &str, parsed: &mut Parsed) -> Result<(), Error> {
    let (text, encoding) = text::decode_utf8_or_windows_1252(&file.bytes);
    parsed.note_encoding(encoding);
    let decoded = SourceFile {
        name: file.name.clone(),
        bytes: text.into_owned().into_bytes(),
    };
    let file = &decoded;
    let mut records = read_csv(file)?.into_iter().peekable();
    let cells_of = |fields: &csv::ByteRecord| -> Vec<String> {
        fields
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    };
    let report = records
        .peek()
        .and_then(|record| Some((record.line, report_date_text(&cells_of(&record.fields))?)));
    if let Some((line, date)) = report {
        records.next();
        match parse_report_date(&date) {
            Some(date) => parsed.note_published(Some(date)),
            None => parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {line}"),
                message: format!("Report Date {date:?} is not a date"),
            }),
        }
    }
    let header = records
        .next()
        .ok_or_else(|| malformed(file, 1, format!("no header row; not a {FORMAT_NAME}")))?;
    let columns = read_header(file, header.line, &cells_of(&header.fields))?;

    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for record in records {
        let cells = cells_of(&record.fields);
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.line;
        if cells.len() != columns.count {
            parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {line}"),
                message: format!(
                    "{} cells where the header has {} columns (a cut or broken row)",
                    cells.len(),
                    columns.count
                ),
            });
            continue;
        }
        let row = Row {
            line,
            cells,
            raw: record.raw,
        };
        let id = columns.get(&row, "unique id").to_owned();
        if id.is_empty() {
            parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {line}"),
                message: "no Unique ID".into(),
            });
            continue;
        }
        match group_index.get(&id) {
            Some(&at) => {
                if let Some((_, rows)) = groups.get_mut(at) {
                    rows.push(row);
                }
            }
            None => {
                group_index.insert(id.clone(), groups.len());
                groups.push((id, vec![row]));
            }
        }
    }
    if groups.is_empty() {
        return Err(malformed(file, header.line, "no designation rows"));
    }
    for (ordinal, (id, rows)) in groups.iter().enumerate() {
        let first_line = rows.first().map_or(0, |r| r.line);
        let location = format!(
            "Designation {} (Unique ID {id}), line {first_line}",
            ordinal + 1
        );
        let element = designation(&columns, rows);
        let mut problems = Vec::new();
        let entity = build_entity(&element, list, &mut problems);
        let raw = rows
            .iter()
            .map(|r| r.raw.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        parsed.add_record(file, location, problems, entity, raw);
    }
    Ok(())
}

fn read_header(file: &SourceFile, line: u64, cells: &[String]) -> Result<Columns, Error> {
    let mut index = HashMap::new();
    for (at, name) in cells.iter().enumerate() {
        index.entry(column_key(name)).or_insert(at);
    }
    let missing: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .copied()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(malformed(
            file,
            line,
            format!(
                "header lacks column(s) {}; not a {FORMAT_NAME}",
                missing.join(", ")
            ),
        ));
    }
    let kind = KIND_COLUMNS.iter().find_map(|c| index.get(*c).copied());
    Ok(Columns {
        index,
        count: cells.len(),
        kind,
    })
}

/// An element with only text.
fn leaf(name: &str, text: &str) -> Element {
    Element {
        name: name.to_owned(),
        attributes: Vec::new(),
        text: text.to_owned(),
        children: Vec::new(),
    }
}

/// An element with only children.
fn node(name: &str, children: Vec<Element>) -> Element {
    Element {
        name: name.to_owned(),
        attributes: Vec::new(),
        text: String::new(),
        children,
    }
}

/// The leaves `fields` of one row, `None` when all are blank.
fn record_of(columns: &Columns, row: &Row, fields: &[(&str, &str)]) -> Option<Vec<Element>> {
    let values: Vec<(&str, &str)> = fields
        .iter()
        .map(|(element, column)| (*element, columns.get(row, column)))
        .collect();
    values.iter().any(|(_, value)| !value.is_empty()).then(|| {
        values
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(element, value)| leaf(element, value))
            .collect()
    })
}

/// One entry per distinct non-blank record of `fields` over the rows, in row order.
fn records(columns: &Columns, rows: &[Row], fields: &[(&str, &str)]) -> Vec<Vec<Element>> {
    let mut seen: Vec<Vec<(String, String)>> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        if let Some(record) = record_of(columns, row, fields) {
            let key: Vec<(String, String)> = record
                .iter()
                .map(|e| (e.name.clone(), e.text.clone()))
                .collect();
            if !seen.contains(&key) {
                seen.push(key);
                out.push(record);
            }
        }
    }
    out
}

/// `<list><item>value</item>...</list>` of the distinct values of `column`, or nothing.
fn list_of(columns: &Columns, rows: &[Row], (list, item, column): ListField) -> Option<Element> {
    let items: Vec<Element> = records(columns, rows, &[(item, column)])
        .into_iter()
        .flatten()
        .collect();
    (!items.is_empty()).then(|| node(list, items))
}

/// `<wrapper><inner>lists...</inner></wrapper>`, or nothing when every list is empty.
fn details(
    columns: &Columns,
    rows: &[Row],
    wrapper: &str,
    inner: &str,
    lists: &[ListField],
    mut extra: Vec<Element>,
) -> Option<Element> {
    let mut children: Vec<Element> = lists
        .iter()
        .filter_map(|field| list_of(columns, rows, *field))
        .collect();
    children.append(&mut extra);
    (!children.is_empty()).then(|| node(wrapper, vec![node(inner, children)]))
}

/// The `Designation` element the XML variant would have for these rows.
fn designation(columns: &Columns, rows: &[Row]) -> Element {
    let mut children = Vec::new();
    for (element, column) in SINGLE_FIELDS {
        if let Some(value) = rows
            .iter()
            .map(|row| columns.get(row, column))
            .find(|v| !v.is_empty())
        {
            children.push(leaf(element, value));
        }
    }
    let names: Vec<Element> = records(columns, rows, &NAME_FIELDS)
        .into_iter()
        // A row that only repeats the name type (no name part) names nothing.
        .filter(|parts| {
            parts
                .iter()
                .any(|p| p.name.starts_with("Name") && p.name != "NameType")
        })
        .map(|parts| node("Name", parts))
        .collect();
    if !names.is_empty() {
        children.push(node("Names", names));
    }
    let non_latin: Vec<Element> = records(columns, rows, &NON_LATIN_FIELDS)
        .into_iter()
        .map(|parts| node("NonLatinName", parts))
        .collect();
    if !non_latin.is_empty() {
        children.push(node("NonLatinNames", non_latin));
    }
    if let Some(kind) = columns.kind.and_then(|at| {
        rows.iter()
            .filter_map(|row| row.cells.get(at))
            .map(|cell| cell.trim())
            .find(|cell| !cell.is_empty())
    }) {
        children.push(leaf("IndividualEntityShip", kind));
    }
    children.extend(
        DESIGNATION_LISTS
            .iter()
            .filter_map(|field| list_of(columns, rows, *field)),
    );
    let addresses: Vec<Element> = records(columns, rows, &ADDRESS_FIELDS)
        .into_iter()
        .map(|parts| node("Address", parts))
        .collect();
    if !addresses.is_empty() {
        children.push(node("Addresses", addresses));
    }

    let mut individual = Vec::new();
    let births: Vec<Element> = records(
        columns,
        rows,
        &[
            ("TownOfBirth", "town of birth"),
            ("CountryOfBirth", "country of birth"),
        ],
    )
    .into_iter()
    .map(|parts| node("Location", parts))
    .collect();
    if !births.is_empty() {
        individual.push(node("BirthDetails", births));
    }
    for (list, item, fields) in [
        (
            "PassportDetails",
            "Passport",
            [
                ("PassportNumber", "passport number"),
                (
                    "PassportAdditionalInformation",
                    "passport additional information",
                ),
            ],
        ),
        (
            "NationalIdentifierDetails",
            "NationalIdentifier",
            [
                ("NationalIdentifierNumber", "national identifier number"),
                (
                    "NationalIdentifierAdditionalInformation",
                    "national identifier additional information",
                ),
            ],
        ),
    ] {
        let documents: Vec<Element> = records(columns, rows, &fields)
            .into_iter()
            .map(|parts| node(item, parts))
            .collect();
        if !documents.is_empty() {
            individual.push(node(list, documents));
        }
    }
    children.extend(details(
        columns,
        rows,
        "IndividualDetails",
        "Individual",
        &INDIVIDUAL_LISTS,
        individual,
    ));
    children.extend(details(
        columns,
        rows,
        "EntityDetails",
        "Entity",
        &ENTITY_LISTS,
        Vec::new(),
    ));
    children.extend(details(
        columns,
        rows,
        "ShipDetails",
        "Ship",
        &SHIP_LISTS,
        Vec::new(),
    ));
    node("Designation", children)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_report_dates_as_published() {
        let cells =
            |line: &[&str]| -> Vec<String> { line.iter().map(|c| (*c).to_owned()).collect() };
        assert_eq!(
            report_date_text(&cells(&["Report Date: 07-Sep-2026"])).as_deref(),
            Some("07-Sep-2026")
        );
        assert_eq!(
            report_date_text(&cells(&["Report Date", "07/09/2026"])).as_deref(),
            Some("07/09/2026")
        );
        assert_eq!(report_date_text(&cells(&["Unique ID", "Name 6"])), None);
        let date = |text: &str| parse_report_date(text).map(|d| d.to_string());
        assert_eq!(date("07-Sep-2026").as_deref(), Some("2026-09-07"));
        assert_eq!(date("07/09/2026 10:15:00").as_deref(), Some("2026-09-07"));
        assert_eq!(date("2026-09-07T10:15:00").as_deref(), Some("2026-09-07"));
        assert_eq!(date("7-September-2026").as_deref(), Some("2026-09-07"));
        assert_eq!(date("31-Feb-2026"), None);
        assert_eq!(date("someday"), None);
    }

    #[test]
    fn compares_column_names_loosely() {
        assert_eq!(
            column_key(" Entity,\u{a0}Vessel or  Individual "),
            "entity, vessel or individual"
        );
        assert_eq!(column_key("D.O.B"), "d.o.b");
    }
}
