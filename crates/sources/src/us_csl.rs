//! US Consolidated Screening List CSV (trade.gov): one row per listed party, drawn from
//! several source lists (Denied Persons List, Entity List, SDN, ...).
//!
//! Columns are found by header name, so the newer export with a leading `_id` column parses
//! too; `source` and `name` are required. Multi-valued cells (`alt_names`, `addresses`,
//! `programs`, `dates_of_birth`, `ids`, ...) are `;`-separated. An `ids` item is
//! `[country, ]number, type[, issue date[, expiry date]]`; items that are sanctions notes
//! rather than identifiers (`Additional Sanctions Information -`, `Former Vessel Flag`) become
//! remarks.
//!
//! Entity ids: many rows have no `entity_number`, so the id is `<ABBR>-<entity_number>` when
//! there is one (`SDN-20264`), else `<ABBR>-<hash>` where the hash is a 48-bit FNV-1a of the
//! normalised source, name and addresses (`DPL-1f0c3a9b2e44`): stable across re-imports and
//! distinct for the same name listed at different addresses. `ABBR` is the source list's
//! abbreviation in parentheses (`Denied Persons List (DPL) - ...`). Rows identical in all three
//! get `-2`, `-3`, ... in file order.
//!
//! Schema: `type` when given. Many rows (DPL, EL, DTC) have none; such a row is a person when
//! it has a date or place of birth, nationality or citizenship, an organisation when its name
//! carries a legal form or institutional word (`Ltd.`, `Institute`, `Regiment`), and otherwise
//! [`Schema::Unknown`]: those lists name people and companies alike, and calling a person an
//! organisation would stop a person screening from ever matching them.

use std::collections::HashMap;

use interdict_model::{
    Address, CountryCode, DateOfBirth, Entity, EntityId, Gender, Identifier, IdentifierKind, Link,
    Name, NameKind, NameParts, PartialDate, Schema, SourceRecord, country_code,
};

use crate::csv_records::{CsvRecord, header_index, read_csv};
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// Columns this parser cannot do without.
const REQUIRED_COLUMNS: [&str; 2] = ["source", "name"];

/// Parses one or more CSL CSV files into entities with ids on list `list`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::UsCslCsv, list);
    // Shared across files so that ids stay unique over the whole set.
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    for file in files {
        parse_file(file, list, &mut seen_ids, &mut parsed)?;
    }
    Ok(parsed)
}

/// The header: column name to index.
struct Columns {
    index: HashMap<String, usize>,
    count: usize,
}

impl Columns {
    /// The trimmed cell of `column` in `row`, or `""` when the column is absent.
    fn get<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.index
            .get(column)
            .and_then(|&i| row.get(i))
            .map_or("", |cell| cell.trim())
    }
}

fn read_header(file: &SourceFile, record: Option<&CsvRecord>) -> Result<Columns, Error> {
    let record = record.ok_or_else(|| Error::Malformed {
        file: file.name.clone(),
        location: "line 1".into(),
        reason: "empty file; expected a US CSL header row".into(),
    })?;
    let index = header_index(
        file,
        record.line,
        &record.fields,
        &REQUIRED_COLUMNS,
        "US Consolidated Screening List CSV",
    )?;
    Ok(Columns {
        index,
        count: record.fields.len(),
    })
}

fn parse_file(
    file: &SourceFile,
    list: &str,
    seen_ids: &mut HashMap<String, usize>,
    parsed: &mut Parsed,
) -> Result<(), Error> {
    let records = read_csv(file)?;
    let columns = read_header(file, records.first())?;
    for record in records.iter().skip(1) {
        let issue = |message: String| Issue {
            file: file.name.clone(),
            location: format!("line {}", record.line),
            message,
        };
        match row_cells(record, &columns) {
            Ok(Some(row)) => match build_entity(&row, &columns, list, seen_ids) {
                Ok(mut entity) => {
                    entity.source = SourceRecord {
                        format: Format::UsCslCsv.name().to_owned(),
                        file: file.base_name().to_owned(),
                        location: format!("line {}", record.line),
                        raw: record.raw.clone(),
                    };
                    parsed.entities.push(entity);
                }
                Err(message) => parsed.issues.push(issue(message)),
            },
            Ok(None) => {}
            Err(message) => parsed.issues.push(issue(message)),
        }
    }
    Ok(())
}

/// The cells of a data row as text; `None` for a blank row.
fn row_cells(record: &CsvRecord, columns: &Columns) -> Result<Option<Vec<String>>, String> {
    let mut cells = Vec::with_capacity(record.fields.len());
    for (i, field) in record.fields.iter().enumerate() {
        let text = std::str::from_utf8(field)
            .map_err(|_| format!("field {} is not valid UTF-8", i + 1))?;
        cells.push(text.to_owned());
    }
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    if cells.len() < columns.count {
        return Err(format!(
            "row has {} fields, the header has {}",
            cells.len(),
            columns.count
        ));
    }
    if cells
        .iter()
        .skip(columns.count)
        .any(|c| !c.trim().is_empty())
    {
        return Err(format!(
            "row has {} fields, the header has {}",
            cells.len(),
            columns.count
        ));
    }
    Ok(Some(cells))
}

fn build_entity(
    row: &[String],
    columns: &Columns,
    list: &str,
    seen_ids: &mut HashMap<String, usize>,
) -> Result<Entity, String> {
    let col = |name: &str| columns.get(row, name);
    let source = col("source");
    let name = collapse_spaces(col("name"));
    if name.is_empty() {
        return Err("empty name".into());
    }
    if source.is_empty() {
        return Err("empty source list".into());
    }
    let source_id = unique_source_id(
        source_id(source, col("entity_number"), &name, col("addresses")),
        seen_ids,
    );

    let dates: Vec<&str> = split_list(col("dates_of_birth")).collect();
    let places: Vec<&str> = split_list(col("places_of_birth")).collect();
    let nationalities: Vec<&str> = split_list(col("nationalities")).collect();
    let citizenships: Vec<&str> = split_list(col("citizenships")).collect();
    let person_evidence = !(dates.is_empty()
        && places.is_empty()
        && nationalities.is_empty()
        && citizenships.is_empty());
    let schema = schema_of(col("type"), &name, person_evidence);

    let mut entity = Entity::new(EntityId::new(list, &source_id), schema, name.clone());
    entity.source_list = Some(source.to_owned());
    if col("type").eq_ignore_ascii_case("individual") {
        // SDN-style `LAST, First` names of typed individuals.
        for n in &mut entity.names {
            n.parts = name_parts(&n.full);
        }
    }
    for alias in split_list(col("alt_names")) {
        // One EL row writes its last alias as `...; and Shijiazhuang ...`.
        let alias = collapse_spaces(alias.strip_prefix("and ").unwrap_or(alias));
        if !alias.is_empty() && !entity.names.iter().any(|n| n.full == alias) {
            let mut aka = Name::new(alias, NameKind::StrongAka);
            if col("type").eq_ignore_ascii_case("individual") {
                aka.parts = name_parts(&aka.full);
            }
            entity.names.push(aka);
        }
    }
    for program in split_list(col("programs")) {
        push_unique(&mut entity.programs, program);
    }
    if !col("title").is_empty() {
        entity.titles.push(col("title").to_owned());
    }
    for date in dates {
        match DateOfBirth::parse(date) {
            Some(dob) if !entity.dates_of_birth.contains(&dob) => entity.dates_of_birth.push(dob),
            Some(_) => {}
            None => entity.remarks.push(format!("Date of birth: {date}")),
        }
    }
    for place in places {
        push_unique(&mut entity.places_of_birth, place);
    }
    for (text, label, is_citizenship) in nationalities
        .iter()
        .map(|t| (*t, "Nationality", false))
        .chain(citizenships.iter().map(|t| (*t, "Citizenship", true)))
    {
        match country_code(text) {
            Some(code) if is_citizenship => push_unique_copy(&mut entity.citizenships, code),
            Some(code) => push_unique_copy(&mut entity.nationalities, code),
            None => entity.remarks.push(format!("{label}: {text}")),
        }
    }
    for text in split_list(col("addresses")) {
        if let Some(address) = parse_address(text) {
            push_unique_copy(&mut entity.addresses, address);
        }
    }
    for item in split_list(col("ids")) {
        add_id_item(&mut entity, item);
    }
    add_vessel_fields(&mut entity, columns, row);
    entity.designation_date = PartialDate::parse(col("start_date"));
    add_remarks(&mut entity, col("remarks"));
    for (column, label) in [
        ("end_date", "End date"),
        ("license_requirement", "License requirement"),
        ("license_policy", "License policy"),
    ] {
        if !col(column).is_empty() {
            entity.remarks.push(format!("{label}: {}", col(column)));
        }
    }
    entity.collect_countries();
    Ok(entity)
}

/// `<ABBR>-<entity_number>`, or `<ABBR>-<content hash>` when the row has no number.
fn source_id(source: &str, entity_number: &str, name: &str, addresses: &str) -> String {
    let abbreviation = source_abbreviation(source);
    if !entity_number.is_empty() {
        let number: String = entity_number
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':')
            .collect();
        return format!("{abbreviation}-{number}");
    }
    let key = [source, name, addresses]
        .map(|part| collapse_spaces(part).to_lowercase())
        .join("\u{1f}");
    // 48 bits: a dozen hex digits keep ids short while collisions stay negligible for a
    // list of tens of thousands of rows (and would still be made unique below).
    format!("{abbreviation}-{:012x}", fnv1a64(key.as_bytes()) >> 16)
}

/// Appends `-2`, `-3`, ... to ids already used in this parse.
fn unique_source_id(id: String, seen_ids: &mut HashMap<String, usize>) -> String {
    let count = seen_ids.entry(id.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        id
    } else {
        format!("{id}-{count}")
    }
}

/// The text in parentheses of `Denied Persons List (DPL) - Bureau of ...`; `CSL` if none.
fn source_abbreviation(source: &str) -> String {
    let inner = source
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or("", |(inner, _)| inner);
    let abbreviation: String = inner.chars().filter(char::is_ascii_alphanumeric).collect();
    if abbreviation.is_empty() {
        "CSL".to_owned()
    } else {
        abbreviation
    }
}

/// 64-bit FNV-1a: tiny, dependency-free, and fixed by its specification, so ids do not change
/// with a library upgrade.
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// Words that mark a name as an organisation's when the row has no type.
const ORGANIZATION_WORDS: &[&str] = &[
    "academy",
    "aerospace",
    "agency",
    "airlines",
    "association",
    "bank",
    "bureau",
    "cargo",
    "center",
    "centre",
    "co",
    "company",
    "contracting",
    "corp",
    "corporation",
    "division",
    "engineering",
    "enterprise",
    "enterprises",
    "factory",
    "gmbh",
    "group",
    "holding",
    "holdings",
    "inc",
    "industrial",
    "industries",
    "institute",
    "international",
    "investment",
    "limited",
    "llc",
    "logistics",
    "ltd",
    "ltda",
    "ministry",
    "oao",
    "ojsc",
    "ooo",
    "pjsc",
    "plant",
    "plc",
    "regiment",
    "sa",
    "services",
    "shipping",
    "solutions",
    "systems",
    "technik",
    "technology",
    "trading",
    "university",
    "zao",
];

fn schema_of(kind: &str, name: &str, person_evidence: bool) -> Schema {
    match kind.to_ascii_lowercase().as_str() {
        "individual" => return Schema::Person,
        "entity" => return Schema::Organization,
        "vessel" => return Schema::Vessel,
        "aircraft" => return Schema::Aircraft,
        _ => {}
    }
    if person_evidence {
        return Schema::Person;
    }
    let lower = name.to_lowercase();
    let is_organization = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| ORGANIZATION_WORDS.contains(&word));
    if is_organization {
        Schema::Organization
    } else {
        Schema::Unknown
    }
}

/// `LAST, First Middle` as name parts; `None` when the name is not written that way.
fn name_parts(full: &str) -> Option<NameParts> {
    let (last, given) = full.split_once(',')?;
    let (last, given) = (last.trim(), given.trim());
    if last.is_empty() || given.is_empty() || given.contains(',') {
        return None;
    }
    let mut words = given.split_whitespace();
    let first = words.next().map(str::to_owned);
    let middle: Vec<&str> = words.collect();
    Some(NameParts {
        first,
        middle: (!middle.is_empty()).then(|| middle.join(" ")),
        patronymic: None,
        last: Some(last.to_owned()),
    })
}

/// Splits a `;`-separated cell into its trimmed, non-empty items.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_unique(values: &mut Vec<String>, value: &str) {
    if !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
}

fn push_unique_copy<T: PartialEq>(values: &mut Vec<T>, value: T) {
    if !values.contains(&value) {
        values.push(value);
    }
}

/// CSL writes an address as `street, city, state, postal code, country code` with empty
/// parts left out, so the parts are recognised from the end.
fn parse_address(text: &str) -> Option<Address> {
    let mut parts: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut address = Address::default();
    if let Some(code) = parts.last().copied().and_then(two_letter_country) {
        address.country = Some(code);
        parts.pop();
    }
    if parts.len() >= 2 && parts.last().is_some_and(|p| looks_like_postal_code(p)) {
        address.postal_code = parts.pop().map(str::to_owned);
    }
    if parts.len() >= 2 && parts.last().is_some_and(|p| is_upper_pair(p)) {
        address.region = parts.pop().map(str::to_owned);
    }
    address.city = parts.pop().map(str::to_owned);
    if !parts.is_empty() {
        address.street = Some(parts.join(", "));
    }
    (address != Address::default()).then_some(address)
}

fn is_upper_pair(text: &str) -> bool {
    text.len() == 2 && text.chars().all(|c| c.is_ascii_uppercase())
}

fn two_letter_country(text: &str) -> Option<CountryCode> {
    if is_upper_pair(text) {
        country_code(text)
    } else {
        None
    }
}

/// `75081`, `SW3 1ES`, `H2L 1K3`, `N-1630`: short tokens with at least two digits.
fn looks_like_postal_code(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    text.len() <= 10
        && digits >= 2
        && text.split_whitespace().all(|token| {
            token.len() <= 5 && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && text.chars().filter(char::is_ascii_alphabetic).count() <= 4
}

/// What an `ids` item turned out to be.
enum IdItem {
    Identifier(Identifier),
    Gender(Gender),
    Remark(String),
}

fn add_id_item(entity: &mut Entity, item: &str) {
    match parse_id_item(item) {
        IdItem::Identifier(identifier) => entity.add_identifier(identifier),
        IdItem::Gender(gender) => entity.gender = Some(gender),
        IdItem::Remark(remark) => push_unique(&mut entity.remarks, &remark),
    }
}

/// Parses `[country, ]number, type[, issued[, expires]]`.
fn parse_id_item(item: &str) -> IdItem {
    let mut parts: Vec<&str> = item
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut dates = Vec::new();
    while parts.len() > 2 && parts.last().is_some_and(|p| is_iso_date(p)) {
        dates.extend(parts.pop().and_then(PartialDate::parse));
    }
    dates.reverse();
    // A lone value has no type to say what it is.
    let label = match parts.pop() {
        Some(label) if !parts.is_empty() => label,
        _ => return IdItem::Remark(item.trim().to_owned()),
    };
    let country = if parts.len() >= 2 {
        parts.first().copied().and_then(two_letter_country)
    } else {
        None
    };
    if country.is_some() {
        parts.remove(0);
    }
    let value = parts.join(", ");
    let lower = label.to_lowercase();
    let lower = lower.trim_end_matches('.').trim();
    if label.ends_with(':') || label.ends_with('-') || NOTE_LABELS.contains(&lower) {
        return IdItem::Remark(format!(
            "{}: {value}",
            label.trim_end_matches([':', '-', ' '])
        ));
    }
    if lower == "gender"
        && let Ok(gender) = value.parse()
    {
        return IdItem::Gender(gender);
    }
    let (kind, value) = identifier_kind(label, lower, &value);
    // `01200175 (Bogota)`: the parenthesis is a note, not part of the number.
    let (value, note) = match value.split_once(" (") {
        Some((number, rest)) if rest.ends_with(')') => (
            number.trim().to_owned(),
            Some(rest.trim_end_matches(')').to_owned()),
        ),
        _ => (value, None),
    };
    let mut identifier = Identifier::new(kind, value);
    identifier.country = country;
    identifier.note = note;
    let mut dates = dates.into_iter();
    identifier.issued = dates.next();
    identifier.expires = dates.next();
    IdItem::Identifier(identifier)
}

/// `ids` types that are sanctions notes, not identifiers.
const NOTE_LABELS: &[&str] = &[
    "former vessel flag",
    "vessel year of build",
    "vessel flag",
    "organization established date",
    "organization type",
    "target type",
    "nationality of registration",
    "additional sanctions information",
    "secondary sanctions risk",
];

fn identifier_kind(label: &str, lower: &str, value: &str) -> (IdentifierKind, String) {
    let value = value.to_owned();
    let kind = match lower {
        "passport" | "passport no" | "passport number" => IdentifierKind::Passport,
        "national id no"
        | "national id"
        | "national identification number"
        | "cedula no"
        | "identification number"
        | "personal id card"
        | "curp #"
        | "c.u.r.p"
        | "dni"
        | "citizen's card number"
        | "national foreign id number" => IdentifierKind::NationalId,
        "tax id no" | "tax id" | "nit #" | "ruc #" | "rfc" | "inn" | "c.u.i.t" | "vat number" => {
            IdentifierKind::TaxId
        }
        "registration id"
        | "registration number"
        | "company number"
        | "commercial registry number"
        | "business registration number"
        | "business registration document #"
        | "matricula mercantil no"
        | "ogrn" => IdentifierKind::RegistrationNumber,
        "swift/bic" | "swift" | "bic" => IdentifierKind::SwiftBic,
        "email address" | "email" => IdentifierKind::Email,
        "website" => IdentifierKind::Website,
        "phone number" | "telephone" | "phone" => IdentifierKind::Phone,
        "mmsi" => IdentifierKind::Mmsi,
        "call sign" => IdentifierKind::CallSign,
        "vessel registration identification" | "imo" => {
            let number = value
                .strip_prefix("IMO")
                .map_or(value.as_str(), str::trim_start);
            return (IdentifierKind::Imo, number.to_owned());
        }
        _ if lower.starts_with("digital currency address") => IdentifierKind::CryptoAddress {
            currency: label
                .rsplit_once('-')
                .map_or("", |(_, currency)| currency.trim())
                .to_owned(),
        },
        _ if lower.starts_with("aircraft")
            && ["serial", "tail", "construction", "msn"]
                .iter()
                .any(|w| lower.contains(w)) =>
        {
            IdentifierKind::AircraftId
        }
        _ => IdentifierKind::Other {
            label: label.to_owned(),
        },
    };
    (kind, value)
}

fn is_iso_date(text: &str) -> bool {
    text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') && PartialDate::parse(text).is_some()
}

fn add_vessel_fields(entity: &mut Entity, columns: &Columns, row: &[String]) {
    let col = |name: &str| columns.get(row, name);
    if !col("call_sign").is_empty() {
        entity.add_identifier(Identifier::new(IdentifierKind::CallSign, col("call_sign")));
    }
    if !col("vessel_flag").is_empty() {
        match country_code(col("vessel_flag")) {
            Some(code) => entity.add_country(code),
            None => entity
                .remarks
                .push(format!("Vessel flag: {}", col("vessel_flag"))),
        }
    }
    for (column, label) in [
        ("vessel_type", "Vessel type"),
        ("gross_tonnage", "Gross tonnage"),
        ("gross_registered_tonnage", "Gross registered tonnage"),
    ] {
        if !col(column).is_empty() {
            entity.remarks.push(format!("{label}: {}", col(column)));
        }
    }
    if !col("vessel_owner").is_empty() {
        entity.links.push(Link {
            relation: "owned_by".into(),
            target: col("vessel_owner").to_owned(),
        });
    }
}

/// Keeps remarks, turning each `(Linked To: NAME)` into a link.
fn add_remarks(entity: &mut Entity, remarks: &str) {
    const MARKER: &str = "(Linked To:";
    let mut rest = String::new();
    let mut text = remarks;
    while let Some((before, after)) = text.split_once(MARKER) {
        rest.push_str(before);
        let (target, tail) = after.split_once(')').unwrap_or((after, ""));
        let target = target.trim().trim_end_matches('.');
        if !target.is_empty() {
            entity.links.push(Link {
                relation: "linked_to".into(),
                target: target.to_owned(),
            });
        }
        text = tail;
    }
    rest.push_str(text);
    let rest = rest.trim().trim_matches(';').trim();
    if !rest.is_empty() {
        entity.remarks.push(rest.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_address_parts_from_the_end() {
        let address =
            parse_address("605 TRAIL LAKE DRIVE, RICHARDSON, TX, 75081, US").expect("address");
        assert_eq!(address.street.as_deref(), Some("605 TRAIL LAKE DRIVE"));
        assert_eq!(address.city.as_deref(), Some("RICHARDSON"));
        assert_eq!(address.region.as_deref(), Some("TX"));
        assert_eq!(address.postal_code.as_deref(), Some("75081"));
        assert_eq!(
            address.country.map(|c| c.to_string()).as_deref(),
            Some("US")
        );
        let only_country = parse_address("DZ").expect("address");
        assert_eq!(only_country.city, None);
        assert_eq!(
            only_country.country.map(|c| c.to_string()).as_deref(),
            Some("DZ")
        );
        // `HOUSE 21` is not a postal code.
        let house = parse_address("8019 NIEDERSEEON, HOUSE 21, DE").expect("address");
        assert_eq!(house.postal_code, None);
        assert_eq!(house.city.as_deref(), Some("HOUSE 21"));
    }

    #[test]
    fn fnv_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn parses_id_items() {
        let IdItem::Identifier(tax) = parse_id_item("US, 80-0890696, Tax ID No.") else {
            panic!("not an identifier");
        };
        assert_eq!(tax.kind, IdentifierKind::TaxId);
        assert_eq!(tax.value, "80-0890696");
        assert_eq!(tax.country.map(|c| c.to_string()).as_deref(), Some("US"));
        let IdItem::Remark(remark) =
            parse_id_item("Subject to Secondary Sanctions, Additional Sanctions Information -")
        else {
            panic!("not a remark");
        };
        assert_eq!(
            remark,
            "Additional Sanctions Information: Subject to Secondary Sanctions"
        );
        let IdItem::Identifier(dated) =
            parse_id_item("RU, 4509 123456, Passport, 2010-01-05, 2020-01-04")
        else {
            panic!("not an identifier");
        };
        assert_eq!(
            dated.issued.map(|d| d.to_string()).as_deref(),
            Some("2010-01-05")
        );
        assert_eq!(
            dated.expires.map(|d| d.to_string()).as_deref(),
            Some("2020-01-04")
        );
    }
}
