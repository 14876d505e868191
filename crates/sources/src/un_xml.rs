//! UN Security Council consolidated list XML (`CONSOLIDATED_LIST` with `INDIVIDUALS/INDIVIDUAL`
//! and `ENTITIES/ENTITY`).
//!
//! Mapping choices worth knowing:
//! - The id is `<list>:<REFERENCE_NUMBER>` (`un-sc:QDi.430`), or `<list>:<DATAID>` when a record
//!   has no reference number; a record with neither is an issue.
//! - The primary name is `FIRST_NAME` to `FOURTH_NAME` joined with spaces, in the list's order.
//!   UN writes names as the person's culture orders them (Arabic chains of father's and
//!   grandfather's names, Russian patronymics, Korean family-name-first), so the parts are kept
//!   positional: `first` is `FIRST_NAME`, `last` is the last of `SECOND_NAME..FOURTH_NAME` given,
//!   and the ones between are `middle` (or `patronymic` when it is one Russian-style patronymic).
//! - Alias quality `Good`/`a.k.a.` is a strong alias, `Low` a weak one, `f.k.a.` a former name.
//!   Dates and places of birth given with an alias are the person's too (the identity was used),
//!   so they join the entity's.
//! - Dates given in their structured fields that do not read as dates are issues; free-text
//!   notes that do not read as dates are kept as remarks.
//! - The root's `dateGenerated` is the publication date.
//! - Documents without a `NUMBER` (the number is then buried in a note) are kept as remarks, not
//!   identifiers, since a guessed number could match wrongly.

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Gender, Identifier, IdentifierKind, Name, NameKind,
    NameParts, PartialDate, Schema, country_code,
};

use crate::xml::{self, Element, Record, push_unique};
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// Parses UN consolidated list files into entities with ids `<list>:<reference number>`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::UnScXml, list);
    for file in files {
        parse_file(file, list, &mut parsed)?;
    }
    Ok(parsed)
}

fn parse_file(file: &SourceFile, list: &str, parsed: &mut Parsed) -> Result<(), Error> {
    let mut individuals = 0usize;
    let mut entities = 0usize;
    let mut generated: Option<String> = None;
    let root_check = |root: &Element| {
        generated = root.attr("dateGenerated").map(str::to_owned);
        check_root(root)
    };
    let encoding = xml::read_records(file, root_check, 3, |record| {
        let (schema, ordinal) = match record.element.name.as_str() {
            "INDIVIDUAL" => {
                individuals += 1;
                (Schema::Person, individuals)
            }
            "ENTITY" => {
                entities += 1;
                (Schema::Organization, entities)
            }
            other => {
                parsed.issues.push(Issue {
                    file: file.name.clone(),
                    location: format!("line {}", record.line),
                    message: format!(
                        "unexpected element <{other}> where INDIVIDUAL or ENTITY records belong"
                    ),
                });
                return;
            }
        };
        let location = location(&record, ordinal);
        let mut problems = Vec::new();
        let entity = build_entity(&record.element, schema, list, &mut problems);
        parsed.add_record(file, location, problems, entity, record.raw);
    })?;
    parsed.note_encoding(encoding);
    let published = generated.as_deref().and_then(|text| {
        let date = parse_date(text);
        if date.is_none() {
            parsed.issues.push(Issue {
                file: file.name.clone(),
                location: "CONSOLIDATED_LIST".into(),
                message: format!("dateGenerated {text:?} is not a date"),
            });
        }
        date
    });
    parsed.note_published(published);
    Ok(())
}

fn check_root(root: &Element) -> Result<(), String> {
    if root.name == "CONSOLIDATED_LIST" {
        Ok(())
    } else {
        Err(format!(
            "root element is <{}>, expected <CONSOLIDATED_LIST> (UN Security Council consolidated list)",
            root.name
        ))
    }
}

/// `INDIVIDUAL 12 (DATAID 6908555), line 345`.
fn location(record: &Record, ordinal: usize) -> String {
    match record.element.child_text("DATAID") {
        Some(data_id) => format!(
            "{} {ordinal} (DATAID {data_id}), line {}",
            record.element.name, record.line
        ),
        None => format!("{} {ordinal}, line {}", record.element.name, record.line),
    }
}

/// The entity of one record, or `None` (with a problem said) when it has no id or no name.
fn build_entity(
    element: &Element,
    schema: Schema,
    list: &str,
    problems: &mut Vec<String>,
) -> Option<Entity> {
    let source_id = element
        .child_text("REFERENCE_NUMBER")
        .or_else(|| element.child_text("DATAID"));
    let Some(source_id) = source_id else {
        problems.push("record has neither REFERENCE_NUMBER nor DATAID".into());
        return None;
    };
    let name_fields: Vec<Option<String>> =
        ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .map(|field| element.child_text(field))
            .collect();
    let full_name = name_fields
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if full_name.is_empty() {
        problems.push(format!(
            "record {source_id} has no name (FIRST_NAME..FOURTH_NAME all empty)"
        ));
        return None;
    }
    let mut entity = Entity::new(EntityId::new(list, &source_id), schema, full_name);
    if schema == Schema::Person
        && let Some(primary) = entity.names.first_mut()
    {
        primary.parts = Some(name_parts(&name_fields));
    }
    for original in element
        .children_named("NAME_ORIGINAL_SCRIPT")
        .filter_map(Element::text)
    {
        entity.add_name(Name::new(original, NameKind::OriginalScript));
    }
    let alias_tag = if schema == Schema::Person {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    for alias in element.children_named(alias_tag) {
        add_alias(&mut entity, alias, problems);
    }
    if let Some(gender) = element.child_text("GENDER") {
        match gender.parse::<Gender>() {
            Ok(gender) => entity.gender = Some(gender),
            Err(_) => entity.remarks.push(format!("gender: {gender}")),
        }
    }
    for holder in ["TITLE", "DESIGNATION"] {
        for title in values(element, holder) {
            push_unique(&mut entity.titles, title);
        }
    }
    for nationality in values(element, "NATIONALITY") {
        match country_code(&nationality) {
            Some(code) => push_unique(&mut entity.nationalities, code),
            None if is_not_available(&nationality) => {}
            None => entity.remarks.push(format!("nationality: {nationality}")),
        }
    }
    if let Some(program) = element.child_text("UN_LIST_TYPE") {
        push_unique(&mut entity.programs, program);
    }
    if let Some(listed) = element.child_text("LISTED_ON") {
        match parse_date(&listed) {
            Some(date) => entity.designation_date = Some(date),
            None => problems.push(format!("LISTED_ON {listed:?} is not a date")),
        }
    }
    for birth in element.children_named("INDIVIDUAL_DATE_OF_BIRTH") {
        add_date_of_birth(&mut entity, birth, problems);
    }
    for place in element.children_named("INDIVIDUAL_PLACE_OF_BIRTH") {
        add_place_of_birth(&mut entity, place);
    }
    let address_tag = if schema == Schema::Person {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    for address in element.children_named(address_tag).filter_map(address) {
        push_unique(&mut entity.addresses, address);
    }
    for document in element.children_named("INDIVIDUAL_DOCUMENT") {
        add_document(&mut entity, document, problems);
    }
    if let Some(comments) = element.child_text("COMMENTS1") {
        entity.remarks.push(comments);
    }
    entity.collect_countries();
    Some(entity)
}

/// `first` = FIRST_NAME, `last` = the last later part given, the ones between `middle` — or
/// `patronymic` when that is one Russian-style patronymic (`RAJAPOVICH`).
fn name_parts(fields: &[Option<String>]) -> NameParts {
    let first = fields.first().cloned().flatten();
    let mut later: Vec<String> = fields.iter().skip(1).flatten().cloned().collect();
    let last = later.pop();
    let between = (!later.is_empty()).then(|| later.join(" "));
    let (middle, patronymic) = match between {
        Some(part) if is_patronymic(&part) => (None, Some(part)),
        other => (other, None),
    };
    NameParts {
        first,
        middle,
        patronymic,
        last,
    }
}

fn is_patronymic(part: &str) -> bool {
    let lower = part.to_lowercase();
    !lower.contains(' ')
        && ["ovich", "evich", "ovna", "evna"]
            .iter()
            .any(|s| lower.ends_with(s))
}

fn add_alias(entity: &mut Entity, alias: &Element, problems: &mut Vec<String>) {
    let Some(name) = alias.child_text("ALIAS_NAME") else {
        return;
    };
    let quality = alias.child_text("QUALITY").unwrap_or_default();
    let kind = match quality.to_ascii_lowercase().as_str() {
        "low" => NameKind::WeakAka,
        "f.k.a." => NameKind::Fka,
        _ => NameKind::StrongAka,
    };
    if let Some(date) = alias.child_text("DATE_OF_BIRTH") {
        match PartialDate::parse(&date) {
            Some(date) => push_unique(&mut entity.dates_of_birth, DateOfBirth::Exact { date }),
            None => problems.push(format!(
                "DATE_OF_BIRTH {date:?} of alias {name:?} is not a date"
            )),
        }
    }
    let place = join_unique([
        alias.child_text("CITY_OF_BIRTH"),
        alias.child_text("COUNTRY_OF_BIRTH"),
    ]);
    if let Some(place) = place {
        push_unique(&mut entity.places_of_birth, place);
    }
    let note = alias.child_text("NOTE");
    entity.add_name(Name::new(name.clone(), kind));
    // Some aliases carry their original-script form in the note: `original script: Абу Джихад`.
    let original = note.as_deref().and_then(|n| {
        let (label, rest) = n.split_once(':')?;
        label
            .trim()
            .eq_ignore_ascii_case("original script")
            .then(|| rest.trim().to_owned())
    });
    match (original, note) {
        (Some(original), _) => entity.add_name(Name::new(original, NameKind::OriginalScript)),
        (None, Some(note)) => entity.remarks.push(format!("alias {name}: {note}")),
        (None, None) => {}
    }
}

/// The texts of the `VALUE` children of each `holder` child (`NATIONALITY/VALUE`).
fn values(element: &Element, holder: &str) -> Vec<String> {
    element
        .children_named(holder)
        .flat_map(|h| h.children_named("VALUE"))
        .filter_map(Element::text)
        .collect()
}

fn is_not_available(text: &str) -> bool {
    matches!(text.to_ascii_lowercase().as_str(), "na" | "n/a" | "unknown")
}

/// A list date; `LISTED_ON` sometimes carries a time-zone suffix (`2015-04-07-04:00`).
fn parse_date(text: &str) -> Option<PartialDate> {
    PartialDate::parse(text).or_else(|| text.get(..10).and_then(PartialDate::parse))
}

fn add_date_of_birth(entity: &mut Entity, birth: &Element, problems: &mut Vec<String>) {
    let kind = birth
        .child_text("TYPE_OF_DATE")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let note = birth.child_text("NOTE");
    let mut field_date = |field: &str| -> Option<PartialDate> {
        let text = birth.child_text(field)?;
        let date = PartialDate::parse(&text);
        if date.is_none() {
            problems.push(format!("date of birth {field} {text:?} is not a date"));
        }
        date
    };
    let date = field_date("DATE").or_else(|| field_date("YEAR"));
    let range = match (field_date("FROM_YEAR"), field_date("TO_YEAR")) {
        (Some(from), Some(to)) => Some(DateOfBirth::Range { from, to }),
        _ => None,
    };
    let circa = kind == "APPROXIMATELY";
    let stated = match (date, range) {
        (Some(date), _) if circa => Some(DateOfBirth::Circa { date }),
        (Some(date), _) => Some(DateOfBirth::Exact { date }),
        (None, Some(range)) => Some(range),
        (None, None) => None,
    };
    match (stated, note) {
        (Some(stated), note) => {
            push_unique(&mut entity.dates_of_birth, stated);
            if let Some(note) = note {
                entity
                    .remarks
                    .push(format!("date of birth {stated}: {note}"));
            }
        }
        // Only a note: `Nov. 1973` reads as a date, `Between Aug. and Sep. 1977` does not.
        (None, Some(note)) => match PartialDate::parse(&note) {
            Some(date) if circa => {
                push_unique(&mut entity.dates_of_birth, DateOfBirth::Circa { date })
            }
            Some(date) => push_unique(&mut entity.dates_of_birth, DateOfBirth::Exact { date }),
            None => entity.remarks.push(format!("date of birth: {note}")),
        },
        (None, None) => {}
    }
}

fn add_place_of_birth(entity: &mut Entity, place: &Element) {
    let text =
        join_unique(["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"].map(|f| place.child_text(f)));
    if let Some(text) = text {
        push_unique(&mut entity.places_of_birth, text);
    }
    if let Some(note) = place.child_text("NOTE") {
        entity.remarks.push(format!("place of birth: {note}"));
    }
}

/// The given parts joined with `, `, each once (UN sometimes repeats a city as the street).
fn join_unique<const N: usize>(parts: [Option<String>; N]) -> Option<String> {
    let mut kept: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten() {
        push_unique(&mut kept, part);
    }
    (!kept.is_empty()).then(|| kept.join(", "))
}

fn address(element: &Element) -> Option<Address> {
    let country_text = element.child_text("COUNTRY");
    let country = country_text.as_deref().and_then(country_code);
    let address = Address {
        street: element.child_text("STREET"),
        city: element.child_text("CITY"),
        region: element.child_text("STATE_PROVINCE"),
        postal_code: element.child_text("ZIP_CODE"),
        country,
        country_name: if country.is_none() {
            country_text
        } else {
            None
        },
        note: element.child_text("NOTE"),
    };
    (address != Address::default()).then_some(address)
}

fn add_document(entity: &mut Entity, document: &Element, problems: &mut Vec<String>) {
    let primary_type = document.child_text("TYPE_OF_DOCUMENT");
    let secondary_type = document.child_text("TYPE_OF_DOCUMENT2");
    let note = document.child_text("NOTE");
    let country_text = document
        .child_text("ISSUING_COUNTRY")
        .or_else(|| document.child_text("COUNTRY_OF_ISSUE"));
    let Some(number) = document.child_text("NUMBER") else {
        let described = join_unique([primary_type, secondary_type, note, country_text]);
        if let Some(described) = described {
            entity.remarks.push(format!("document: {described}"));
        }
        return;
    };
    let kind = document_kind(primary_type.as_deref(), secondary_type.as_deref());
    let value = document_number(&number);
    let mut notes: Vec<String> = Vec::new();
    if value != number {
        notes.push(format!("as written: {number}"));
    }
    if let Some(secondary) = secondary_type
        && !matches!(&kind, IdentifierKind::Other { label } if *label == secondary)
    {
        notes.push(secondary);
    }
    let country = country_text.as_deref().and_then(country_code);
    if let (None, Some(text)) = (country, &country_text) {
        notes.push(format!("issuing country: {text}"));
    }
    if let Some(city) = document.child_text("CITY_OF_ISSUE") {
        notes.push(format!("issued in {city}"));
    }
    let issued = document.child_text("DATE_OF_ISSUE").and_then(|text| {
        let date = PartialDate::parse(&text);
        if date.is_none() {
            problems.push(format!(
                "DATE_OF_ISSUE {text:?} of document {number:?} is not a date"
            ));
        }
        date
    });
    let expires = note.as_deref().and_then(expiry_in_note);
    notes.extend(note);
    entity.add_identifier(Identifier {
        kind,
        value: value.to_owned(),
        country,
        issued,
        expires,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    });
}

/// The kind from `TYPE_OF_DOCUMENT` (`Passport`, `National Identification Number`), unless
/// `TYPE_OF_DOCUMENT2` names something that is not an identity document (a ration card, a
/// birth certificate), which UN also files under "National Identification Number".
fn document_kind(primary: Option<&str>, secondary: Option<&str>) -> IdentifierKind {
    const NOT_IDENTITY: [&str; 11] = [
        "birth certificate",
        "ration card",
        "driver",
        "voter",
        "student",
        "military",
        "ex-serviceman",
        "residential card",
        "fardc",
        "other id",
        "certificate of",
    ];
    if let Some(secondary) = secondary {
        let lower = secondary.to_lowercase();
        if lower.contains("fiscal code") || lower.contains("tax") {
            return IdentifierKind::TaxId;
        }
        if NOT_IDENTITY.iter().any(|k| lower.contains(k)) {
            return IdentifierKind::Other {
                label: secondary.trim_end_matches(':').trim().to_owned(),
            };
        }
    }
    match primary.or(secondary) {
        Some(label) => {
            let lower = label.to_lowercase();
            if ["passport", "passeport", "pasaporte"]
                .iter()
                .any(|k| lower.contains(k))
            {
                IdentifierKind::Passport
            } else if ["national identification", "identity", "identification"]
                .iter()
                .any(|k| lower.contains(k))
            {
                IdentifierKind::NationalId
            } else {
                IdentifierKind::Other {
                    label: label.to_owned(),
                }
            }
        }
        None => IdentifierKind::Other {
            label: "document".into(),
        },
    }
}

/// The number out of `Libyan Passport No. 96/184442` or `Congo service passport number
/// SA0020249`: what follows a wordy label, when it has a digit.
fn document_number(text: &str) -> &str {
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    for label in ["number ", "no. "] {
        if let Some(at) = lower.rfind(label) {
            let head = text.get(..at).unwrap_or_default();
            let rest = text.get(at + label.len()..).unwrap_or_default().trim();
            let wordy_head = head.chars().all(|c| c.is_alphabetic() || c.is_whitespace());
            if wordy_head && rest.chars().any(|c| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    text
}

/// The expiry date from notes such as `expires on 21 January 2022`, `Expired 28 Nov. 2016`,
/// `Expiration date: 2026-12-11.`, `valid until 15 Feb. 2017`.
fn expiry_in_note(note: &str) -> Option<PartialDate> {
    let lower = note.to_ascii_lowercase();
    let lower = lower.trim_start_matches("and ");
    [
        "expiration date:",
        "expiration date",
        "expires on",
        "expired on",
        "expires",
        "expired",
        "valid until",
    ]
    .iter()
    .find_map(|prefix| lower.strip_prefix(prefix))
    .and_then(PartialDate::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_labels_from_document_numbers() {
        assert_eq!(
            document_number("Congo service passport number SA0020249"),
            "SA0020249"
        );
        assert_eq!(
            document_number("Libyan Passport No. 96/184442"),
            "96/184442"
        );
        assert_eq!(document_number("OB 0243318"), "OB 0243318");
        assert_eq!(document_number("1-78-09-44621-80"), "1-78-09-44621-80");
    }

    #[test]
    fn reads_expiry_from_notes() {
        let date = |s: &str| expiry_in_note(s).map(|d| d.to_string());
        assert_eq!(
            date("Expiration date: 2026-12-11. ").as_deref(),
            Some("2026-12-11")
        );
        assert_eq!(date("Expired 28 Nov. 2016").as_deref(), Some("2016-11-28"));
        assert_eq!(
            date("and expired on 25 May 2008").as_deref(),
            Some("2008-05-25")
        );
        assert_eq!(date("issued in Hammam Lif"), None);
    }

    #[test]
    fn classifies_documents() {
        let kind = document_kind;
        assert_eq!(kind(Some("Passport"), None), IdentifierKind::Passport);
        assert_eq!(
            kind(Some("Número de pasaporte"), None),
            IdentifierKind::Passport
        );
        assert_eq!(
            kind(Some("National Identification Number"), None),
            IdentifierKind::NationalId
        );
        assert_eq!(
            kind(
                Some("National Identification Number"),
                Some("Italian Fiscal Code:")
            ),
            IdentifierKind::TaxId
        );
        assert_eq!(
            kind(
                Some("National Identification Number"),
                Some("Ration card number:")
            ),
            IdentifierKind::Other {
                label: "Ration card number".into()
            }
        );
        assert_eq!(
            kind(
                Some("National Identification Number"),
                Some("national passport")
            ),
            IdentifierKind::NationalId
        );
    }
}
