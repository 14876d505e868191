//! EU Financial Sanctions Files XML (FSF 1.1: root `export`, one `sanctionEntity` per listed
//! party). The published namespace is `http://eu.europa.ec/fpi/fsd/export` (host `.ec`, as in
//! the 2026-08-05 export); the `.eu` host the schema documentation uses is accepted too. The
//! root's `generationDate` is the publication date.
//!
//! Mapping choices worth knowing:
//! - The id is `<list>:<logicalId>`; the EU reference number (`EU.27.28`) and the UN reference
//!   are kept as identifiers of their own kind, not as the id.
//! - The primary name is the first strong `nameAlias` written in Latin script (the name the
//!   list files the party under in its English edition), else the first name given. Other
//!   aliases are weak when `strong="false"`, original-script names when written in a non-Latin
//!   script (Cyrillic, Greek, Arabic, ...), strong aliases otherwise. `nameLanguage` becomes the
//!   name's language tag.
//! - An alias whose remark calls it `low quality` is weak even where `strong` says `true`, as
//!   published records do; alias remarks are kept prefixed with the name they are about.
//! - `citizenship` goes to citizenships; `function` and `title` of any alias to titles; the
//!   programmes of the regulations to programs, and each regulation's reference (type, number,
//!   publication date, URL) to remarks.
//! - Country codes `00` / `UNKNOWN` mean "not known" in FSF and are dropped.
//! - The entity's `designationDate` is its designation date; without one, the earliest
//!   regulation publication date.
//! - Birth dates in the Islamic calendar: FSF writes the Hijri day, month and year in
//!   `dayOfMonth`/`monthOfYear`/`year` and, when it knows it, the Gregorian equivalent in
//!   `birthdate` (`1402-06-24` with `birthdate="1982-04-19"`). The Gregorian date becomes a date
//!   of birth; the Hijri one stays a remark. A Hijri year alone is not converted: FSF also tags
//!   Iranian solar-Hijri years as `ISLAMIC` (`1343` beside Gregorian 1964 and 1965), so a lunar
//!   conversion (1924) would be wrong.
//! - `identification` becomes an identifier by `identificationTypeCode` (passport, national
//!   id, registration number, tax id, ...), with its country, issue and expiry dates, and a note
//!   saying when it is known to be false, expired, lost, revoked or diplomatic.
//! - `contactInfo` (phone, e-mail, website) becomes identifiers of those kinds.
//! - Structured values that do not read as dates are issues.

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Gender, Identifier, IdentifierKind, Name, NameKind,
    NameParts, PartialDate, Schema, country_code, country_name,
};

use crate::cross_reference;
use crate::xml::{self, Element, push_unique};
use crate::{Error, Format, Parsed, SourceFile};

/// The FSF export namespaces: as published (`.ec`) and as documented (`.eu`).
const NAMESPACES: [&str; 2] = [
    "http://eu.europa.ec/fpi/fsd/export",
    "http://eu.europa.eu/fpi/fsd/export",
];

/// Parses EU FSF XML files into entities with ids `<list>:<logicalId>`.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let mut parsed = Parsed::empty(Format::EuFsfXml, list);
    for file in files {
        parse_file(file, list, &mut parsed)?;
    }
    Ok(parsed)
}

fn parse_file(file: &SourceFile, list: &str, parsed: &mut Parsed) -> Result<(), Error> {
    let mut ordinal = 0usize;
    let mut generated: Option<String> = None;
    let root_check = |root: &Element| {
        generated = root.attr("generationDate").map(str::to_owned);
        check_root(root)
    };
    let encoding = xml::read_records(file, root_check, 2, |record| {
        ordinal += 1;
        let element = &record.element;
        let location = match element.attr("logicalId") {
            Some(id) => format!(
                "{} {ordinal} (logicalId {id}), line {}",
                element.name, record.line
            ),
            None => format!("{} {ordinal}, line {}", element.name, record.line),
        };
        let mut problems = Vec::new();
        let entity = if element.name == "sanctionEntity" {
            build_entity(element, list, &mut problems)
        } else {
            problems.push(format!(
                "unexpected element <{}> where sanctionEntity records belong",
                element.name
            ));
            None
        };
        parsed.add_record(file, location, problems, entity, record.raw);
    })?;
    parsed.note_encoding(encoding);
    let published = generated.as_deref().and_then(|text| {
        let date = PartialDate::parse(text);
        if date.is_none() {
            parsed.issues.push(crate::Issue {
                file: file.name.clone(),
                location: "export".into(),
                message: format!("generationDate {text:?} is not a date"),
            });
        }
        date
    });
    parsed.note_published(published);
    Ok(())
}

fn check_root(root: &Element) -> Result<(), String> {
    if root.name != "export" {
        return Err(format!(
            "root element is <{}>, expected <export> (EU Financial Sanctions Files)",
            root.name
        ));
    }
    match root.attr("xmlns") {
        Some(namespace) if !NAMESPACES.contains(&namespace) => Err(format!(
            "root element <export> is in namespace {namespace}, expected {}",
            NAMESPACES.join(" or ")
        )),
        _ => Ok(()),
    }
}

/// One alias as written.
struct Alias<'a> {
    element: &'a Element,
    full: String,
    strong: bool,
    latin: bool,
}

fn build_entity(element: &Element, list: &str, problems: &mut Vec<String>) -> Option<Entity> {
    let Some(logical_id) = element.attr("logicalId") else {
        problems.push("sanctionEntity has no logicalId".into());
        return None;
    };
    let aliases: Vec<Alias<'_>> = element
        .children_named("nameAlias")
        .filter_map(|alias| {
            let full = alias_full_name(alias)?;
            Some(Alias {
                element: alias,
                latin: is_latin_script(&full),
                strong: alias.attr("strong") != Some("false") && !said_low_quality(alias),
                full,
            })
        })
        .collect();
    let primary = aliases
        .iter()
        .position(|a| a.strong && a.latin)
        .or_else(|| aliases.iter().position(|a| a.strong))
        .unwrap_or(0);
    let Some(primary_alias) = aliases.get(primary) else {
        problems.push(format!(
            "sanctionEntity {logical_id} has no name (no nameAlias with a name)"
        ));
        return None;
    };
    let schema = schema(element.child("subjectType"));
    let mut entity = Entity::new(
        EntityId::new(list, logical_id),
        schema,
        primary_alias.full.clone(),
    );
    if let Some(name) = entity.names.first_mut() {
        name.parts = alias_parts(primary_alias.element);
        name.lang = alias_language(primary_alias.element);
    }
    for (index, alias) in aliases.iter().enumerate() {
        if index != primary {
            let kind = if !alias.strong {
                NameKind::WeakAka
            } else if !alias.latin {
                NameKind::OriginalScript
            } else {
                NameKind::StrongAka
            };
            entity.add_name(Name {
                full: alias.full.clone(),
                kind,
                parts: alias_parts(alias.element),
                lang: alias_language(alias.element),
            });
        }
        add_alias_details(&mut entity, alias.element, &alias.full);
    }
    if let Some(reference) = element.attr("euReferenceNumber") {
        entity.add_identifier(Identifier::new(
            IdentifierKind::Other {
                label: "EU reference number".into(),
            },
            reference,
        ));
    }
    if let Some(reference) = element.attr("unitedNationId") {
        entity.add_identifier(cross_reference::un_reference(reference));
    }
    if let Some(details) = element.attr("designationDetails") {
        entity.remarks.push(details.to_owned());
    }
    for remark in element.children_named("remark").filter_map(Element::text) {
        entity.remarks.push(remark);
    }
    for regulation in element.children_named("regulation") {
        add_regulation(&mut entity, regulation, problems);
    }
    for citizenship in element.children_named("citizenship") {
        add_citizenship(&mut entity, citizenship);
    }
    for birth in element.children_named("birthdate") {
        add_birthdate(&mut entity, birth, problems);
    }
    for identification in element.children_named("identification") {
        add_identification(&mut entity, identification, problems);
    }
    for address in element.children_named("address").filter_map(address) {
        push_unique(&mut entity.addresses, address);
    }
    // Contacts come on the entity or, in published files, inside an address.
    let addresses = element.children_named("address");
    for contact in element
        .children_named("contactInfo")
        .chain(addresses.flat_map(|a| a.children_named("contactInfo")))
    {
        add_contact(&mut entity, contact);
    }
    if let Some(text) = element.attr("designationDate") {
        match PartialDate::parse(text) {
            Some(date) => entity.designation_date = Some(date),
            None => problems.push(format!("designationDate {text:?} is not a date")),
        }
    }
    entity.collect_countries();
    Some(entity)
}

fn schema(subject_type: Option<&Element>) -> Schema {
    let code = subject_type.and_then(|s| s.attr("code"));
    let class = subject_type.and_then(|s| s.attr("classificationCode"));
    match (code, class) {
        (Some("person"), _) | (None, Some("P")) => Schema::Person,
        (Some("enterprise"), _) | (None, Some("E")) => Schema::Organization,
        _ => Schema::Unknown,
    }
}

/// `wholeName`, or the parts joined when only they are given.
fn alias_full_name(alias: &Element) -> Option<String> {
    let whole = alias.attr("wholeName").and_then(xml::collapse_whitespace);
    whole.or_else(|| {
        let parts: Vec<&str> = ["firstName", "middleName", "lastName"]
            .iter()
            .filter_map(|a| alias.attr(a))
            .collect();
        xml::collapse_whitespace(&parts.join(" "))
    })
}

fn alias_parts(alias: &Element) -> Option<NameParts> {
    let part = |name: &str| alias.attr(name).and_then(xml::collapse_whitespace);
    let parts = NameParts {
        first: part("firstName"),
        middle: part("middleName"),
        patronymic: None,
        last: part("lastName"),
    };
    (!parts.is_empty()).then_some(parts)
}

/// The alias's `nameLanguage`, lower-cased; left out when a name in another script is tagged
/// with a language written in Latin script (a Cyrillic name tagged `EN` in the 2026-08-05
/// export), since the tag then describes the regulation, not the name.
fn alias_language(alias: &Element) -> Option<String> {
    /// The EU languages written in Latin script.
    const LATIN_LANGUAGES: [&str; 22] = [
        "cs", "da", "de", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt",
        "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    ];
    let language = alias.attr("nameLanguage")?.to_ascii_lowercase();
    let name = alias_full_name(alias).unwrap_or_default();
    if !is_latin_script(&name) && LATIN_LANGUAGES.contains(&language.as_str()) {
        return None;
    }
    Some(language)
}

/// Whether every letter of `text` is a Latin letter (with or without diacritics).
pub(crate) fn is_latin_script(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).all(|c| {
        c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
    })
}

/// Gender, function and title of an alias.
/// Whether an alias's remark calls it low quality (`low quality alias; formerly listed as`):
/// published records say so there while leaving `strong="true"`.
fn said_low_quality(alias: &Element) -> bool {
    alias
        .children_named("remark")
        .filter_map(Element::text)
        .any(|remark| remark.to_ascii_lowercase().contains("low quality"))
}

fn add_alias_details(entity: &mut Entity, alias: &Element, full: &str) {
    if entity.gender.is_none() {
        entity.gender = alias.attr("gender").and_then(|g| g.parse::<Gender>().ok());
    }
    for attribute in ["function", "title"] {
        if let Some(title) = alias.attr(attribute).and_then(xml::collapse_whitespace) {
            push_unique(&mut entity.titles, title);
        }
    }
    // Said of one name, so kept with it.
    for remark in alias.children_named("remark").filter_map(Element::text) {
        entity.remarks.push(format!("{full}: {remark}"));
    }
}

fn add_regulation(entity: &mut Entity, regulation: &Element, problems: &mut Vec<String>) {
    if let Some(programme) = regulation.attr("programme") {
        push_unique(&mut entity.programs, programme.to_owned());
    }
    // The legal act, for the analyst: `Regulation 1210/2003 (OJ L169) of 2003-07-08, <url>`.
    if let Some(number) = regulation.attr("numberTitle") {
        let kind = regulation.attr("regulationType").unwrap_or("regulation");
        let mut reference = format!("EU {kind} {number}");
        if let Some(date) = regulation.attr("publicationDate") {
            reference.push_str(&format!(" of {date}"));
        }
        if let Some(url) = regulation.child_text("publicationUrl") {
            reference.push_str(&format!(", {url}"));
        }
        push_unique(&mut entity.remarks, reference);
    }
    if let Some(text) = regulation.attr("publicationDate") {
        match PartialDate::parse(text) {
            Some(date) => {
                if entity
                    .designation_date
                    .is_none_or(|earliest| date < earliest)
                {
                    entity.designation_date = Some(date);
                }
            }
            None => problems.push(format!("regulation publicationDate {text:?} is not a date")),
        }
    }
}

/// The country of an element with `countryIso2Code` and `countryDescription`: the code, or
/// the description as written when it names no known country. `00`/`UNKNOWN` give neither.
fn country_of(element: &Element) -> (Option<interdict_model::CountryCode>, Option<String>) {
    let code = element.attr("countryIso2Code").filter(|c| *c != "00");
    let description = element
        .attr("countryDescription")
        .filter(|d| !d.eq_ignore_ascii_case("unknown"));
    match code
        .and_then(country_code)
        .or_else(|| description.and_then(country_code))
    {
        Some(country) => (Some(country), None),
        None => (None, description.map(str::to_owned)),
    }
}

fn add_citizenship(entity: &mut Entity, citizenship: &Element) {
    match country_of(citizenship) {
        (Some(country), _) => push_unique(&mut entity.citizenships, country),
        (None, Some(description)) => entity.remarks.push(format!("citizenship: {description}")),
        (None, None) => {}
    }
    if let Some(region) = citizenship.attr("region") {
        entity.remarks.push(format!("citizenship region: {region}"));
    }
}

fn add_birthdate(entity: &mut Entity, birth: &Element, problems: &mut Vec<String>) {
    let calendar = birth.attr("calendarType").unwrap_or("GREGORIAN");
    if calendar.eq_ignore_ascii_case("gregorian") {
        match birth_date(birth, problems) {
            Some(date) => push_unique(&mut entity.dates_of_birth, date),
            // FSF gives day and month without a year when only they are known.
            None if birth.attr("birthdate").is_none() && birth.attr("year").is_none() => {
                let known: Vec<String> = [("dayOfMonth", "day"), ("monthOfYear", "month")]
                    .iter()
                    .filter_map(|(attribute, said)| {
                        birth.attr(attribute).map(|v| format!("{said} {v}"))
                    })
                    .collect();
                if !known.is_empty() {
                    entity.remarks.push(format!(
                        "date of birth: {} (year unknown)",
                        known.join(", ")
                    ));
                }
            }
            None => {}
        }
    } else {
        // FSF gives the Gregorian equivalent of a Hijri date in `birthdate`; the parts are in
        // the record's own calendar and must not be read as Gregorian.
        if let Some(text) = birth.attr("birthdate") {
            match PartialDate::parse(text) {
                Some(date) if birth.attr("circa") == Some("true") => {
                    push_unique(&mut entity.dates_of_birth, DateOfBirth::Circa { date });
                }
                Some(date) => push_unique(&mut entity.dates_of_birth, DateOfBirth::Exact { date }),
                None => problems.push(format!("birthdate {text:?} is not a date")),
            }
        }
        let written: Vec<String> = ["year", "monthOfYear", "dayOfMonth"]
            .iter()
            .filter_map(|a| birth.attr(a).map(|v| format!("{a} {v}")))
            .collect();
        if !written.is_empty() {
            entity.remarks.push(format!(
                "date of birth ({calendar} calendar): {}",
                written.join(", ")
            ));
        }
    }
    let country = match country_of(birth) {
        (Some(code), _) => Some(country_name(code).to_owned()),
        (None, description) => description,
    };
    let parts = [
        birth.attr("place"),
        birth.attr("city"),
        birth.attr("region"),
        country.as_deref(),
    ];
    let place: Vec<&str> = parts.into_iter().flatten().collect();
    if !place.is_empty() {
        push_unique(&mut entity.places_of_birth, place.join(", "));
    }
    for remark in birth.children_named("remark").filter_map(Element::text) {
        entity.remarks.push(format!("date of birth: {remark}"));
    }
}

/// The Gregorian date of birth in `birthdate`, or in `year`/`monthOfYear`/`dayOfMonth`, or in
/// `yearRangeFrom`/`yearRangeTo`; `circa="true"` makes it approximate.
fn birth_date(birth: &Element, problems: &mut Vec<String>) -> Option<DateOfBirth> {
    let date = if let Some(text) = birth.attr("birthdate") {
        let date = PartialDate::parse(text);
        if date.is_none() {
            problems.push(format!("birthdate {text:?} is not a date"));
        }
        date
    } else if let Some(year) = birth.attr("year") {
        let date = date_from_parts(year, birth.attr("monthOfYear"), birth.attr("dayOfMonth"));
        if date.is_none() {
            problems.push(format!(
                "birth year {year:?}, month {:?}, day {:?} is not a date",
                birth.attr("monthOfYear").unwrap_or(""),
                birth.attr("dayOfMonth").unwrap_or("")
            ));
        }
        date
    } else {
        None
    };
    if let Some(date) = date {
        return Some(if birth.attr("circa") == Some("true") {
            DateOfBirth::Circa { date }
        } else {
            DateOfBirth::Exact { date }
        });
    }
    let (from, to) = (birth.attr("yearRangeFrom")?, birth.attr("yearRangeTo")?);
    match (
        date_from_parts(from, None, None),
        date_from_parts(to, None, None),
    ) {
        (Some(from), Some(to)) => Some(DateOfBirth::Range { from, to }),
        _ => {
            problems.push(format!(
                "birth year range {from:?} to {to:?} is not a range of years"
            ));
            None
        }
    }
}

fn date_from_parts(year: &str, month: Option<&str>, day: Option<&str>) -> Option<PartialDate> {
    let year = PartialDate::parse(year).filter(|d| d.month.is_none())?.year;
    let Some(month) = month else {
        return Some(PartialDate::year(year));
    };
    let month: u8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    match day {
        Some(day) => PartialDate::ymd(year, month, day.parse().ok()?),
        None => Some(PartialDate {
            year,
            month: Some(month),
            day: None,
        }),
    }
}

fn identification_kind(code: Option<&str>, description: Option<&str>) -> IdentifierKind {
    let code_lower = code.unwrap_or_default().to_ascii_lowercase();
    match code_lower.as_str() {
        "passport" | "diplomatic-passport" | "nationalpassport" => IdentifierKind::Passport,
        "id" | "ssn" | "nationalid" => IdentifierKind::NationalId,
        "fiscalcode" | "tin" | "tax" => IdentifierKind::TaxId,
        "regnumber" => IdentifierKind::RegistrationNumber,
        "imo" => IdentifierKind::Imo,
        "swiftbic" | "swift" => IdentifierKind::SwiftBic,
        _ => IdentifierKind::Other {
            label: description.or(code).unwrap_or("identification").to_owned(),
        },
    }
}

fn add_identification(entity: &mut Entity, identification: &Element, problems: &mut Vec<String>) {
    let number = identification
        .attr("number")
        .or_else(|| identification.attr("documentNumber"));
    let latin = identification.attr("latinNumber");
    let Some(number) = number.or(latin) else {
        let remarks: Vec<String> = identification
            .children_named("remark")
            .filter_map(Element::text)
            .collect();
        let described = identification
            .attr("identificationTypeDescription")
            .map(str::to_owned);
        if let Some(text) = described
            .into_iter()
            .chain(remarks)
            .reduce(|a, b| format!("{a}; {b}"))
        {
            entity
                .remarks
                .push(format!("identification without number: {text}"));
        }
        return;
    };
    let description = identification.attr("identificationTypeDescription");
    let kind = identification_kind(identification.attr("identificationTypeCode"), description);
    let mut date = |attribute: &str| -> Option<PartialDate> {
        let text = identification.attr(attribute)?;
        let date = PartialDate::parse(text);
        if date.is_none() {
            problems.push(format!(
                "identification {number:?} {attribute} {text:?} is not a date"
            ));
        }
        date
    };
    // Published files write `issueDate`; older ones `issuedDate`.
    let issued = date("issueDate")
        .or_else(|| date("issuedDate"))
        .or_else(|| date("validFrom"));
    let expires = date("validTo");
    let (country, unresolved_country) = country_of(identification);
    let mut notes: Vec<String> = Vec::new();
    if let Some(description) = description
        && !matches!(&kind, IdentifierKind::Other { label } if label == description)
    {
        notes.push(description.to_owned());
    }
    for (flag, said) in [
        ("diplomatic", "diplomatic"),
        ("knownExpired", "known expired"),
        ("knownFalse", "known false"),
        ("reportedLost", "reported lost"),
        ("revokedByIssuer", "revoked by issuer"),
    ] {
        if identification.attr(flag) == Some("true") {
            notes.push(said.to_owned());
        }
    }
    let labelled = [
        ("issuedBy", "issued by"),
        ("nameOnDocument", "name on document"),
        ("region", "region"),
    ];
    for (attribute, label) in labelled {
        if let Some(value) = identification.attr(attribute) {
            notes.push(format!("{label}: {value}"));
        }
    }
    if let Some(country) = unresolved_country {
        notes.push(format!("issuing country: {country}"));
    }
    notes.extend(
        identification
            .children_named("remark")
            .filter_map(Element::text),
    );
    let identifier = Identifier {
        kind,
        value: number.to_owned(),
        country,
        issued,
        expires,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    };
    // A number with non-Latin letters also has its Latin transliteration: keep both, since a
    // customer's document may be written either way.
    let latin = latin.filter(|l| *l != number).map(|l| Identifier {
        value: l.to_owned(),
        ..identifier.clone()
    });
    entity.add_identifier(identifier);
    if let Some(latin) = latin {
        entity.add_identifier(latin);
    }
}

/// `<contactInfo key="PHONE" value="..."/>`: phone, e-mail and website become identifiers of
/// those kinds, any other key one labelled with it.
fn add_contact(entity: &mut Entity, contact: &Element) {
    let Some(value) = contact.attr("value") else {
        return;
    };
    let key = contact.attr("key").unwrap_or("contact");
    let kind = match key.to_ascii_uppercase().as_str() {
        "PHONE" | "FAX" | "TELEPHONE" => IdentifierKind::Phone,
        "EMAIL" | "E-MAIL" => IdentifierKind::Email,
        "WEB" | "WEBSITE" | "URL" => IdentifierKind::Website,
        _ => IdentifierKind::Other {
            label: key.to_ascii_lowercase(),
        },
    };
    entity.add_identifier(Identifier::new(kind, value));
}

fn address(element: &Element) -> Option<Address> {
    let po_box = element.attr("poBox").map(|p| format!("PO Box {p}"));
    let street_lines: Vec<String> = element
        .attr("street")
        .map(str::to_owned)
        .into_iter()
        .chain(po_box)
        .collect();
    let city = element.attr("city");
    let place = element.attr("place");
    let (country, country_name) = country_of(element);
    let mut notes: Vec<String> = Vec::new();
    if let (Some(_), Some(place)) = (city, place) {
        notes.push(place.to_owned());
    }
    if element.attr("asAtListingTime") == Some("true") {
        notes.push("as at listing time".into());
    }
    notes.extend(element.children_named("remark").filter_map(Element::text));
    let address = Address {
        street: (!street_lines.is_empty()).then(|| street_lines.join(", ")),
        city: city.or(place).map(str::to_owned),
        region: element.attr("region").map(str::to_owned),
        postal_code: element.attr("zipCode").map(str::to_owned),
        country,
        country_name,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    };
    (address != Address::default()).then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_latin_from_other_scripts() {
        assert!(is_latin_script("Sergei Kuzhugetovich SHOIGU"));
        assert!(is_latin_script("Çelik Ağa Łukasz"));
        assert!(!is_latin_script("Сергей Кужугетович Шойгу"));
        assert!(!is_latin_script("Σεργκέι"));
        assert!(!is_latin_script("محمد"));
    }

    fn birthdate(attributes: &[(&str, &str)]) -> Element {
        Element {
            name: "birthdate".into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Element::default()
        }
    }

    #[test]
    fn reads_year_ranges_and_circa_dates_of_birth() {
        let mut problems = Vec::new();
        let range = birth_date(
            &birthdate(&[("yearRangeFrom", "1960"), ("yearRangeTo", "1965")]),
            &mut problems,
        );
        assert_eq!(range.map(|d| d.year_range()), Some((1960, 1965)));
        let circa = birth_date(
            &birthdate(&[("circa", "true"), ("birthdate", "1970-01-02")]),
            &mut problems,
        );
        assert_eq!(
            circa.map(|d| d.to_string()).as_deref(),
            Some("circa 1970-01-02")
        );
        assert!(problems.is_empty());
        let bad = birth_date(
            &birthdate(&[("yearRangeFrom", "60"), ("yearRangeTo", "1965")]),
            &mut problems,
        );
        assert_eq!(bad, None);
        assert_eq!(
            problems,
            ["birth year range \"60\" to \"1965\" is not a range of years"]
        );
    }

    #[test]
    fn builds_dates_from_parts() {
        let date = |y, m, d| date_from_parts(y, m, d).map(|d| d.to_string());
        assert_eq!(date("1955", None, None).as_deref(), Some("1955"));
        assert_eq!(date("1955", Some("5"), None).as_deref(), Some("1955-05"));
        assert_eq!(
            date("1955", Some("5"), Some("21")).as_deref(),
            Some("1955-05-21")
        );
        assert_eq!(date("1955", Some("13"), None), None);
        assert_eq!(date("1955", Some("2"), Some("30")), None);
        assert_eq!(date("55", None, None), None);
    }
}
