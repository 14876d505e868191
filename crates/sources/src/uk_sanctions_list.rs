//! FCDO UK Sanctions List XML (root `Designations`: a `DateGenerated` and one `Designation` per
//! listed party), the UK list that replaced the OFSI consolidated list in January 2026. Its
//! CSV variant ([`crate::uk_sanctions_list_csv`]) is mapped by [`build_entity`] too.
//!
//! Mapping choices worth knowing:
//! - The id is `<list>:<UniqueID>` (`uk-sanctions-list:AFG0001`). The `OFSIGroupID` (the
//!   party's id on the old consolidated list, `uk-ofsi:<Group ID>`) and the `UniqueID` itself
//!   (which the consolidated list writes as `(UK Sanctions List Ref)`) are kept as identifiers,
//!   and `UNReferenceNumber` as a UN reference ([`crate::UN_REFERENCE_LABEL`]), so that the
//!   same party on other lists can be found.
//! - `IndividualEntityShip` `Individual` / `Entity` / `Ship` is a person, organisation or vessel;
//!   anything else is [`Schema::Unknown`] rather than an error.
//! - Names are `Name1`..`Name5` (given names) then `Name6` (surname, or the whole name of an
//!   entity or ship), joined in that order. `NameType` `Primary Name` (any case) is the
//!   primary name, the first name when none is; an `Alias` of `AliasStrength` `Low quality
//!   a.k.a` is a weak alias, other aliases strong. `NonLatinNames` are original-script names
//!   tagged with their language (or script when no language is given).
//! - DOBs are `DD/MM/YYYY` as written, with unknown parts written `dd`, `mm` or `00`
//!   (`dd/mm/1961` is 1961, `00/00/1975` 1975). A year with unknown digits (`15/08/19yy`) is
//!   the range of years it allows (1900 to 1999), and the day and month are kept in a remark.
//!   Any other DOB that does not read as a date is a remark, not a guess.
//! - Passports and national identifiers keep their additional information as the note and the
//!   country it starts with (`Afghanistan passport number ...`) as the issuing country.
//! - Ships: `IMONumber`s are IMO identifiers (digits only), the current flag is a country of the
//!   vessel, owners/operators are links, and type, tonnage, length, year built and previous
//!   flags are remarks.
//! - `RegimeName` is the programme, `Title` and `Position` (several joined with `|`) titles,
//!   `DateDesignated` the designation date; `SanctionsImposed`, `OtherInformation` and the
//!   statement of reasons are remarks.
//! - `DateGenerated` is the publication date. A file without any `Designation` is an error.

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Gender, Identifier, IdentifierKind, Link, Name,
    NameKind, NameParts, PartialDate, Schema, country_code,
};

use crate::cross_reference;
use crate::xml::{self, Element, push_unique};
use crate::{Error, Format, Issue, Parsed, SourceFile};

use crate::cross_reference::{OFSI_GROUP_ID_LABEL, UK_SANCTIONS_LIST_REF_LABEL};

/// Parses UK Sanctions List XML files into entities with ids `<list>:<UniqueID>`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::UkSanctionsListXml, list);
    for file in files {
        parse_file(file, list, &mut parsed)?;
    }
    Ok(parsed)
}

fn parse_file(file: &SourceFile, list: &str, parsed: &mut Parsed) -> Result<(), Error> {
    let mut designations = 0usize;
    let mut generated: Option<(usize, String)> = None;
    let encoding = xml::read_records(file, check_root, 2, |record| {
        let element = &record.element;
        match element.name.as_str() {
            "DateGenerated" => {
                generated = Some((record.line, element.text().unwrap_or_default()));
            }
            "Designation" => {
                designations += 1;
                let location = match element.child_text("UniqueID") {
                    Some(id) => format!(
                        "Designation {designations} (UniqueID {id}), line {}",
                        record.line
                    ),
                    None => format!("Designation {designations}, line {}", record.line),
                };
                let mut problems = Vec::new();
                let entity = build_entity(element, list, &mut problems);
                parsed.add_record(file, location, problems, entity, record.raw);
            }
            other => parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {}", record.line),
                message: format!("unexpected element <{other}> where Designation records belong"),
            }),
        }
    })?;
    if designations == 0 {
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: "line 1".into(),
            reason: "no Designation records".into(),
        });
    }
    parsed.note_encoding(encoding);
    if let Some((line, text)) = generated {
        match parse_date(&text) {
            Some(date) => parsed.note_published(Some(date.year_known_date())),
            None => parsed.issues.push(Issue {
                file: file.name.clone(),
                location: format!("line {line}"),
                message: format!("DateGenerated {text:?} is not a date (DD/MM/YYYY)"),
            }),
        }
    }
    Ok(())
}

fn check_root(root: &Element) -> Result<(), String> {
    if root.name == "Designations" {
        Ok(())
    } else {
        Err(format!(
            "root element is <{}>, expected <Designations> (UK Sanctions List)",
            root.name
        ))
    }
}

/// The texts of the `item` children of the `list` child (`DOBs/DOB`), blanks left out.
fn list_texts(element: &Element, list: &str, item: &str) -> Vec<String> {
    element
        .children_named(list)
        .flat_map(|l| l.children_named(item))
        .filter_map(Element::text)
        .collect()
}

/// The entity of one `Designation` element (also built by the CSV variant from its rows).
pub(crate) fn build_entity(
    element: &Element,
    list: &str,
    problems: &mut Vec<String>,
) -> Option<Entity> {
    let Some(unique_id) = element.child_text("UniqueID") else {
        problems.push("Designation has no UniqueID".into());
        return None;
    };
    let schema = match element
        .child_text("IndividualEntityShip")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "individual" => Schema::Person,
        "entity" => Schema::Organization,
        "ship" => Schema::Vessel,
        _ => Schema::Unknown,
    };
    let names: Vec<(Name, &Element)> = element
        .children_named("Names")
        .flat_map(|names| names.children_named("Name"))
        .filter_map(|name| Some((name_of(name, schema)?, name)))
        .collect();
    let primary = names
        .iter()
        .position(|(_, element)| is_primary(element))
        .unwrap_or(0);
    let Some((primary_name, _)) = names.get(primary) else {
        problems.push(format!("Designation {unique_id} has no name"));
        return None;
    };
    let mut entity = Entity::new(
        EntityId::new(list, &unique_id),
        schema,
        primary_name.full.clone(),
    );
    if let Some(first) = entity.names.first_mut() {
        first.parts = primary_name.parts.clone();
    }
    for (index, (name, _)) in names.iter().enumerate() {
        if index != primary {
            entity.add_name(name.clone());
        }
    }
    for non_latin in element
        .children_named("NonLatinNames")
        .flat_map(|n| n.children_named("NonLatinName"))
    {
        if let Some(full) = non_latin.child_text("NameNonLatinScript") {
            // The list files some Latin spellings with diacritics (`António`) here too.
            let kind = if crate::eu_fsf::is_latin_script(&full) {
                NameKind::StrongAka
            } else {
                NameKind::OriginalScript
            };
            let mut name = Name::new(full, kind);
            name.lang = non_latin
                .child_text("NonLatinScriptLanguage")
                .and_then(|language| crate::uk_ofsi::language_tag(&language))
                .or_else(|| {
                    non_latin
                        .child_text("NonLatinScriptType")
                        .and_then(|script| script_tag(&script))
                });
            entity.add_name(name);
        }
    }

    add_references(&mut entity, element, &unique_id);
    if let Some(regime) = element.child_text("RegimeName") {
        push_unique(&mut entity.programs, regime);
    }
    for title in list_texts(element, "Titles", "Title") {
        push_unique(&mut entity.titles, title);
    }
    if let Some(text) = element.child_text("DateDesignated") {
        match parse_date(&text) {
            Some(date) => entity.designation_date = Some(date.year_known_date()),
            None => problems.push(format!("DateDesignated {text:?} is not a date")),
        }
    }
    for (field, label) in [
        ("SanctionsImposed", "Sanctions imposed"),
        ("DesignationSource", "Designation source"),
    ] {
        if let Some(text) = element.child_text(field) {
            entity.remarks.push(format!("{label}: {text}"));
        }
    }
    for field in ["OtherInformation", "UKStatementofReasons"] {
        if let Some(text) = element.child_text(field) {
            // Some records name their UN reference only here (`UN Ref KPe.073`).
            for reference in cross_reference::un_references_in(&text) {
                entity.add_identifier(cross_reference::un_reference(&reference));
            }
            entity.remarks.push(text);
        }
    }
    for address in element
        .children_named("Addresses")
        .flat_map(|a| a.children_named("Address"))
        .filter_map(address)
    {
        push_unique(&mut entity.addresses, address);
    }
    for (list, item, kind) in [
        ("PhoneNumbers", "PhoneNumber", IdentifierKind::Phone),
        ("EmailAddresses", "EmailAddress", IdentifierKind::Email),
        ("Websites", "Website", IdentifierKind::Website),
    ] {
        for value in list_texts(element, list, item) {
            entity.add_identifier(Identifier::new(kind.clone(), value));
        }
    }
    for individual in element
        .children_named("IndividualDetails")
        .flat_map(|d| d.children_named("Individual"))
    {
        add_individual(&mut entity, individual);
    }
    for organisation in element
        .children_named("EntityDetails")
        .flat_map(|d| d.children_named("Entity"))
    {
        add_organisation(&mut entity, organisation);
    }
    for ship in element
        .children_named("ShipDetails")
        .flat_map(|d| d.children_named("Ship"))
    {
        add_ship(&mut entity, ship, problems);
    }
    entity.collect_countries();
    Some(entity)
}

/// The OFSI group id, the UK Sanctions List id and the UN reference, as identifiers.
fn add_references(entity: &mut Entity, element: &Element, unique_id: &str) {
    if let Some(group) = element.child_text("OFSIGroupID") {
        entity.add_identifier(Identifier::new(
            IdentifierKind::Other {
                label: OFSI_GROUP_ID_LABEL.into(),
            },
            group,
        ));
    }
    entity.add_identifier(Identifier::new(
        IdentifierKind::Other {
            label: UK_SANCTIONS_LIST_REF_LABEL.into(),
        },
        unique_id,
    ));
    if let Some(reference) = element.child_text("UNReferenceNumber") {
        entity.add_identifier(cross_reference::un_reference(&reference));
    }
}

fn is_primary(name: &Element) -> bool {
    name.child_text("NameType")
        .is_some_and(|t| t.eq_ignore_ascii_case("primary name"))
}

/// One `Name`: `Name1`..`Name5` then `Name6`, with its kind and, for people, its parts.
fn name_of(name: &Element, schema: Schema) -> Option<Name> {
    let given: Vec<String> = ["Name1", "Name2", "Name3", "Name4", "Name5"]
        .iter()
        .filter_map(|part| name.child_text(part))
        .collect();
    let last = name.child_text("Name6");
    let full = xml::collapse_whitespace(
        &given
            .iter()
            .chain(last.iter())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
    )?;
    let name_type = name.child_text("NameType").unwrap_or_default();
    let strength = name.child_text("AliasStrength").unwrap_or_default();
    let kind = if name_type.eq_ignore_ascii_case("primary name") {
        NameKind::Primary
    } else if strength.to_ascii_lowercase().starts_with("low") {
        NameKind::WeakAka
    } else {
        NameKind::StrongAka
    };
    let parts = (schema == Schema::Person).then(|| NameParts {
        first: given.first().cloned(),
        middle: (given.len() > 1).then(|| given.get(1..).unwrap_or_default().join(" ")),
        patronymic: None,
        last,
    });
    Some(Name {
        full,
        // The primary name is placed by the caller; a second "primary" is an alias.
        kind: if kind == NameKind::Primary {
            NameKind::StrongAka
        } else {
            kind
        },
        parts: parts.filter(|p| !p.is_empty()),
        lang: None,
    })
}

/// ISO 15924 tags for the scripts the list names in `NonLatinScriptType`.
fn script_tag(script: &str) -> Option<String> {
    let tag = match script.to_ascii_lowercase().as_str() {
        "cyrillic" => "Cyrl",
        "arabic" => "Arab",
        "chinese" | "han" => "Hani",
        "korean" | "hangul" => "Hang",
        "greek" => "Grek",
        "georgian" => "Geor",
        "armenian" => "Armn",
        "hebrew" => "Hebr",
        "burmese" | "myanmar" => "Mymr",
        _ => return None,
    };
    Some(tag.to_owned())
}

fn add_individual(entity: &mut Entity, individual: &Element) {
    for text in list_texts(individual, "DOBs", "DOB") {
        match date_of_birth(&text) {
            Some((date, note)) => {
                push_unique(&mut entity.dates_of_birth, date);
                if let Some(note) = note {
                    entity.remarks.push(note);
                }
            }
            None => entity.remarks.push(format!("DOB: {text}")),
        }
    }
    if entity.gender.is_none() {
        entity.gender = list_texts(individual, "Genders", "Gender")
            .iter()
            .find_map(|g| g.parse::<Gender>().ok());
    }
    for text in list_texts(individual, "Nationalities", "Nationality") {
        match country_code(&text) {
            Some(code) => push_unique(&mut entity.nationalities, code),
            None => entity.remarks.push(format!("Nationality: {text}")),
        }
    }
    for position in list_texts(individual, "Positions", "Position") {
        for title in position.split('|').filter_map(xml::collapse_whitespace) {
            push_unique(&mut entity.titles, title);
        }
    }
    for location in individual
        .children_named("BirthDetails")
        .flat_map(|b| b.children_named("Location"))
    {
        let place: Vec<String> = ["TownOfBirth", "CountryOfBirth"]
            .iter()
            .filter_map(|field| location.child_text(field))
            .collect();
        if !place.is_empty() {
            push_unique(&mut entity.places_of_birth, place.join(", "));
        }
    }
    for passport in individual
        .children_named("PassportDetails")
        .flat_map(|d| d.children_named("Passport"))
    {
        add_document(
            entity,
            IdentifierKind::Passport,
            passport.child_text("PassportNumber"),
            passport.child_text("PassportAdditionalInformation"),
        );
    }
    for national in individual
        .children_named("NationalIdentifierDetails")
        .flat_map(|d| d.children_named("NationalIdentifier"))
    {
        add_document(
            entity,
            IdentifierKind::NationalId,
            national.child_text("NationalIdentifierNumber"),
            national.child_text("NationalIdentifierAdditionalInformation"),
        );
    }
}

/// A document number with its additional information; information without a number is a
/// remark, since a number guessed from prose could match wrongly.
fn add_document(
    entity: &mut Entity,
    kind: IdentifierKind,
    number: Option<String>,
    information: Option<String>,
) {
    match number {
        Some(number) => {
            let mut identifier = Identifier::new(kind, number);
            identifier.country = information.as_deref().and_then(leading_country);
            identifier.note = information;
            entity.add_identifier(identifier);
        }
        None => {
            if let Some(information) = information {
                entity
                    .remarks
                    .push(format!("{} without number: {information}", kind.label()));
            }
        }
    }
}

/// The country a text starts with (`Afghanistan passport number ...`, `Egypt number`).
fn leading_country(text: &str) -> Option<interdict_model::CountryCode> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    (1..=words.len())
        .rev()
        .find_map(|n| country_code(&words.get(..n)?.join(" ")))
}

fn add_organisation(entity: &mut Entity, organisation: &Element) {
    for text in list_texts(
        organisation,
        "BusinessRegistrationNumbers",
        "BusinessRegistrationNumber",
    ) {
        for identifier in registration_numbers(&text) {
            entity.add_identifier(identifier);
        }
    }
    for kind in list_texts(organisation, "TypeOfEntities", "TypeOfEntity") {
        entity.remarks.push(format!("Type of entity: {kind}"));
    }
    for subsidiary in list_texts(organisation, "Subsidiaries", "Subsidiary") {
        push_unique(
            &mut entity.links,
            Link {
                relation: "subsidiary".into(),
                target: subsidiary,
            },
        );
    }
    for parent in list_texts(organisation, "ParentCompanies", "ParentCompany") {
        push_unique(
            &mut entity.links,
            Link {
                relation: "parent_company".into(),
                target: parent,
            },
        );
    }
}

/// `INN - 5045023416`, `OGRN: 1025005917551`, `OGRN: 1247... KPP: 7707... INN: 9707...` or a
/// bare number: each labelled value is one identifier (INN/TIN a tax id, the rest
/// registration numbers) with its label as the note.
fn registration_numbers(text: &str) -> Vec<Identifier> {
    let text = text.replacen(" - ", ": ", 1);
    let mut found: Vec<(Option<String>, Vec<&str>)> = Vec::new();
    for word in text.split_whitespace() {
        let label = word
            .strip_suffix(':')
            .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_alphabetic() || c == '.'));
        match (label, found.last_mut()) {
            (Some(label), _) => found.push((Some(label.to_owned()), Vec::new())),
            (None, Some((_, values))) => values.push(word),
            (None, None) => found.push((None, vec![word])),
        }
    }
    found
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(label, values)| {
            let tax = label
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case("INN") || l.eq_ignore_ascii_case("TIN"));
            let kind = if tax {
                IdentifierKind::TaxId
            } else {
                IdentifierKind::RegistrationNumber
            };
            let mut identifier = Identifier::new(kind, values.join(" "));
            identifier.note = label;
            identifier
        })
        .collect()
}

fn add_ship(entity: &mut Entity, ship: &Element, problems: &mut Vec<String>) {
    for text in list_texts(ship, "IMONumbers", "IMONumber") {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 7 {
            entity.add_identifier(Identifier::new(IdentifierKind::Imo, digits));
        } else {
            problems.push(format!("IMONumber {text:?} is not seven digits"));
        }
    }
    for owner in list_texts(ship, "CurrentOwnerOperators", "CurrentOwnerOperator") {
        push_unique(
            &mut entity.links,
            Link {
                relation: "owner_operator".into(),
                target: owner,
            },
        );
    }
    for flag in list_texts(
        ship,
        "CurrentBelievedFlagOfShips",
        "CurrentBelievedFlagOfShip",
    ) {
        match country_code(&flag) {
            Some(code) => entity.add_country(code),
            None => entity.remarks.push(format!("Flag: {flag}")),
        }
    }
    for (list, item, label) in [
        ("PreviousFlags", "PreviousFlag", "Previous flag"),
        ("TypeOfShipDetails", "TypeOfShip", "Type of ship"),
        ("TonnageOfShipDetails", "TonnageOfShip", "Tonnage"),
        ("LengthOfShipDetails", "LengthOfShip", "Length"),
        ("YearsBuilt", "YearBuilt", "Year built"),
        (
            "HullIdentificationNumbers",
            "HullIdentificationNumber",
            "Hull identification number",
        ),
    ] {
        for value in list_texts(ship, list, item) {
            entity.remarks.push(format!("{label}: {value}"));
        }
    }
}

fn address(element: &Element) -> Option<Address> {
    let mut lines: Vec<String> = (1..=6)
        .filter_map(|n| element.child_text(&format!("AddressLine{n}")))
        .collect();
    let country = element.child_text("AddressCountry");
    let code = country.as_deref().and_then(country_code);
    let address = Address {
        // As on the consolidated list, the last line given is the town.
        city: lines.pop(),
        street: (!lines.is_empty()).then(|| lines.join(", ")),
        postal_code: element.child_text("AddressPostalCode"),
        country: code,
        country_name: country.filter(|_| code.is_none()),
        ..Address::default()
    };
    (address != Address::default()).then_some(address)
}

/// A `DD/MM/YYYY` date as the list writes it, parts unknown (`dd`, `00`) left out; `None`
/// when it is not one or its year is not known whole.
pub(crate) fn parse_list_date(text: &str) -> Option<PartialDate> {
    parse_date(text)?.year_known()
}

/// A `DD/MM/YYYY` date whose parts may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListDate {
    day: Option<u8>,
    month: Option<u8>,
    /// The known leading digits of the year and how many trailing digits are unknown
    /// (`19yy` is `(19, 2)`).
    year_prefix: u16,
    unknown_year_digits: u32,
}

impl ListDate {
    /// The date, when the year is known whole.
    fn year_known(self) -> Option<PartialDate> {
        if self.unknown_year_digits != 0 {
            return None;
        }
        let year = self.year_prefix;
        match (self.month, self.day) {
            (None, _) => Some(PartialDate::year(year)),
            (Some(month), None) => Some(PartialDate {
                year,
                month: Some(month),
                day: None,
            }),
            (Some(month), Some(day)) => PartialDate::ymd(year, month, day),
        }
    }

    /// [`ListDate::year_known`] for dates already checked to have a whole year.
    fn year_known_date(self) -> PartialDate {
        self.year_known()
            .unwrap_or_else(|| PartialDate::year(self.year_prefix))
    }
}

/// Reads `DD/MM/YYYY` where the day or month may be `dd`, `mm` or `00` and the year may end in
/// `y`s; `None` when it is not of that shape or names an impossible day.
fn parse_date(text: &str) -> Option<ListDate> {
    let mut parts = text.trim().split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    let unknown = |part: &str, letter: char| part.chars().all(|c| c == letter || c == '0');
    let day = if unknown(&day.to_ascii_lowercase(), 'd') {
        None
    } else {
        Some(day.parse::<u8>().ok()?)
    };
    let month = if unknown(&month.to_ascii_lowercase(), 'm') {
        None
    } else {
        Some(month.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?)
    };
    let lower = year.to_ascii_lowercase();
    let known = lower.trim_end_matches('y');
    let unknown_year_digits = u32::try_from(lower.len() - known.len()).ok()?;
    if known.is_empty() || !known.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let date = ListDate {
        day: day.filter(|_| month.is_some()),
        month,
        year_prefix: known.parse().ok()?,
        unknown_year_digits,
    };
    // A whole year must be a plausible one and the day must exist in its month.
    if unknown_year_digits == 0 {
        if !(1000..=2999).contains(&date.year_prefix) {
            return None;
        }
        date.year_known()?;
    }
    Some(date)
}

/// A DOB as written: the date of birth, and a remark when the date says more than the model
/// can hold (`15/08/19yy`: the day and month of a year known only to its century).
fn date_of_birth(text: &str) -> Option<(DateOfBirth, Option<String>)> {
    let date = parse_date(text)?;
    if let Some(date) = date.year_known() {
        return Some((DateOfBirth::Exact { date }, None));
    }
    let scale = 10u16.checked_pow(date.unknown_year_digits)?;
    let from = date.year_prefix.checked_mul(scale)?;
    let to = from.checked_add(scale - 1)?;
    if !(1000..=2999).contains(&from) {
        return None;
    }
    let note = date
        .month
        .map(|_| format!("DOB: {text} (day and month known, year only to {from}-{to})"));
    Some((
        DateOfBirth::Range {
            from: PartialDate::year(from),
            to: PartialDate::year(to),
        },
        note,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dob(text: &str) -> Option<String> {
        date_of_birth(text).map(|(date, _)| date.to_string())
    }

    #[test]
    fn reads_dates_of_birth_as_written() {
        assert_eq!(dob("30/01/1972").as_deref(), Some("1972-01-30"));
        assert_eq!(dob("dd/mm/1961").as_deref(), Some("1961"));
        assert_eq!(dob("00/00/1975").as_deref(), Some("1975"));
        assert_eq!(dob("dd/09/1958").as_deref(), Some("1958-09"));
        assert_eq!(dob("15/08/19yy").as_deref(), Some("1900 to 1999"));
        assert!(
            date_of_birth("15/08/19yy")
                .and_then(|(_, note)| note)
                .is_some()
        );
        assert_eq!(dob("31/02/1970"), None);
        assert_eq!(dob("1970"), None);
        assert_eq!(dob("yy/08/1970"), None);
        assert_eq!(dob("01/01/yyyy"), None);
    }

    #[test]
    fn splits_registration_numbers() {
        let read = |text: &str| -> Vec<(IdentifierKind, String, Option<String>)> {
            registration_numbers(text)
                .into_iter()
                .map(|i| (i.kind, i.value, i.note))
                .collect()
        };
        assert_eq!(
            read("INN - 5045023416"),
            [(
                IdentifierKind::TaxId,
                "5045023416".into(),
                Some("INN".into())
            )]
        );
        assert_eq!(
            read("OGRN: 1247700291200 KPP: 770701001 INN: 9707028663"),
            [
                (
                    IdentifierKind::RegistrationNumber,
                    "1247700291200".into(),
                    Some("OGRN".into())
                ),
                (
                    IdentifierKind::RegistrationNumber,
                    "770701001".into(),
                    Some("KPP".into())
                ),
                (
                    IdentifierKind::TaxId,
                    "9707028663".into(),
                    Some("INN".into())
                ),
            ]
        );
        assert_eq!(
            read("12-345"),
            [(IdentifierKind::RegistrationNumber, "12-345".into(), None)]
        );
    }

    #[test]
    fn finds_the_issuing_country_a_text_starts_with() {
        assert_eq!(
            leading_country("Afghanistan passport number P04581926, issued"),
            country_code("Afghanistan")
        );
        assert_eq!(leading_country("issue date: 26/05/2003"), None);
    }
}
