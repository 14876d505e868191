//! The OFAC remarks mini-language, and the field vocabulary both OFAC formats share.
//!
//! The legacy CSV packs most of an entry into its `Remarks` column as `;`-separated statements:
//! `DOB 22 Nov 1963; alt. DOB 1965; POB Moscow, Russia; nationality Russia; Passport 123
//! (Russia) issued 28 Oct 2008 expires 29 Oct 2013; a.k.a. 'X'; Linked To: Y LTD.`. The XML
//! format carries the same statements as `idList/id` entries (`idType` is the label, `idNumber`
//! the value), so the XML parser writes each `id` back as a statement and parses it here: both
//! formats then map a label to the same field.
//!
//! Mapping choices worth knowing:
//! - `alt.` only says the value is an alternative; it is dropped.
//! - Quoted `a.k.a.` names are weak aliases (OFAC puts its strong aliases in `alt.csv` or the
//!   XML `akaList`); `f.k.a.`/`n.k.a.` are former/new names.
//! - A value that does not read as what its label promises (a DOB that is no date, a nationality
//!   that names no country, an alias cut off by a truncated field) is kept verbatim in
//!   `remarks`, never dropped and never guessed.
//! - `Identification Number` is a national id for a person and a registration number for
//!   anything else; any identifier whose value is `IMO 1234567` is an IMO number.
//! - The remarks field ends with a full stop that belongs to the sentence, not to the last value;
//!   it is removed from values, but a `Linked To:` target may really end in `LTD.`, so
//!   [`resolve_link_targets`] settles those against the names on the list.

use std::collections::HashSet;

use interdict_model::{
    CountryCode, DateOfBirth, Entity, Gender, Identifier, IdentifierKind, Link, Name, NameKind,
    NameParts, PartialDate, Schema, country_code,
};

/// What one remarks statement says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fact {
    /// `DOB ...`.
    BirthDate(DateOfBirth),
    /// `POB ...`, as written.
    BirthPlace(String),
    /// `nationality ...`.
    Nationality(CountryCode),
    /// `citizen ...`.
    Citizenship(CountryCode),
    /// `Gender ...`.
    Gender(Gender),
    /// A passport, registration number, wallet address, ...
    Identifier(Identifier),
    /// `a.k.a. '...'`, `f.k.a. '...'`, `n.k.a. '...'`.
    Alias(String, NameKind),
    /// `Linked To: ...`.
    Link(String),
    /// `Organization Established Date ...`: kept with the dates of birth.
    Established(DateOfBirth),
    /// A country the entity is registered in (`Nationality of Registration ...`); the statement
    /// itself is kept as a remark too, since it says more than the bare country.
    Country(CountryCode, String),
    /// Anything else, verbatim.
    Remark(String),
}

/// How an identifier label maps to a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Passport,
    NationalId,
    TaxId,
    Registration,
    /// National id for a person, registration number for anything else.
    PersonOrRegistration,
    Mmsi,
    CallSign,
    SwiftBic,
    Aircraft,
    Email,
    Website,
    Phone,
    Fax,
    Other,
}

/// Identifier labels seen in OFAC remarks and `idType`s, matched case-insensitively at the start
/// of a statement; the longest matching label wins.
static IDENTIFIER_LABELS: &[(&str, Category)] = &[
    ("Passport", Category::Passport),
    ("Passport No.", Category::Passport),
    ("Passport Number", Category::Passport),
    ("Diplomatic Passport", Category::Passport),
    ("Passport Booklet", Category::Passport),
    ("National ID No.", Category::NationalId),
    ("National ID No", Category::NationalId),
    ("National ID Number", Category::NationalId),
    ("National Foreign ID Number", Category::NationalId),
    ("Personal ID Card", Category::NationalId),
    ("Kenyan ID No.", Category::NationalId),
    ("Turkish Identification Number", Category::NationalId),
    ("Numero de Identidad", Category::NationalId),
    ("Citizen's Card Number", Category::NationalId),
    ("Tazkira National ID Card", Category::NationalId),
    ("C.U.R.P.", Category::NationalId),
    ("C.U.R.P. #", Category::NationalId),
    ("D.N.I.", Category::NationalId),
    ("Cedula No.", Category::NationalId),
    ("C.U.I.", Category::NationalId),
    ("UAE Identification", Category::NationalId),
    ("SSN", Category::NationalId),
    ("Identification Number", Category::PersonOrRegistration),
    ("Tax ID No.", Category::TaxId),
    ("NIT #", Category::TaxId),
    ("R.F.C.", Category::TaxId),
    ("R.F.C. #", Category::TaxId),
    ("RFC", Category::TaxId),
    ("RUC #", Category::TaxId),
    ("RIF #", Category::TaxId),
    ("RTN", Category::TaxId),
    ("V.A.T. Number", Category::TaxId),
    ("C.U.I.T.", Category::TaxId),
    ("C.I.F.", Category::TaxId),
    ("US FEIN", Category::TaxId),
    ("Italian Fiscal Code", Category::TaxId),
    ("Paraguayan tax identification number", Category::TaxId),
    (
        "Numero Unico de Identificacao Tributaria (NUIT)",
        Category::TaxId,
    ),
    ("Registration Number", Category::Registration),
    ("Registration ID", Category::Registration),
    ("Business Registration Number", Category::Registration),
    ("Business Registration Document #", Category::Registration),
    ("Business Number", Category::Registration),
    ("Commercial Registry Number", Category::Registration),
    ("Company Number", Category::Registration),
    ("UK Company Number", Category::Registration),
    ("Legal Entity Number", Category::Registration),
    ("Government Gazette Number", Category::Registration),
    ("Unified Social Credit Code (USCC)", Category::Registration),
    (
        "United Social Credit Code Certificate (USCCC)",
        Category::Registration,
    ),
    ("Folio Mercantil No.", Category::Registration),
    ("Matricula Mercantil No", Category::Registration),
    ("Matricula Mercantil No.", Category::Registration),
    ("C.R. No.", Category::Registration),
    ("Romanian C.R.", Category::Registration),
    ("Trade License No.", Category::Registration),
    ("Economic Register Number (CBLS)", Category::Registration),
    ("Chamber of Commerce Number", Category::Registration),
    ("Istanbul Chamber of Comm. No.", Category::Registration),
    (
        "Dubai Chamber of Commerce Membership No.",
        Category::Registration,
    ),
    ("Central Registration System Number", Category::Registration),
    ("Enterprise Number", Category::Registration),
    ("Branch Unit Number", Category::Registration),
    ("Public Registration Number", Category::Registration),
    (
        "Certificate of Incorporation Number",
        Category::Registration,
    ),
    ("Registered Charity No.", Category::Registration),
    ("LE Number", Category::Registration),
    ("Organization Code", Category::Registration),
    ("D-U-N-S Number", Category::Registration),
    ("MMSI", Category::Mmsi),
    ("Call Sign", Category::CallSign),
    ("Vessel Call Sign", Category::CallSign),
    ("Other Vessel Call Sign", Category::CallSign),
    ("SWIFT/BIC", Category::SwiftBic),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        Category::Aircraft,
    ),
    ("Aircraft Serial Identification", Category::Aircraft),
    ("Aircraft Tail Number", Category::Aircraft),
    ("Previous Aircraft Tail Number", Category::Aircraft),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        Category::Aircraft,
    ),
    ("Email Address", Category::Email),
    ("Email", Category::Email),
    ("Website", Category::Website),
    ("Phone Number", Category::Phone),
    ("Phone No.", Category::Phone),
    ("Phone", Category::Phone),
    ("Telephone", Category::Phone),
    ("Telephone No.", Category::Phone),
    ("Fax", Category::Fax),
    ("Fax No.", Category::Fax),
    ("Vessel Registration Identification", Category::Other),
    ("BIK (RU)", Category::Other),
    ("Equity Ticker", Category::Other),
    ("ISIN", Category::Other),
    ("Birth Certificate Number", Category::Other),
    ("Electoral Registry No.", Category::Other),
    ("Credencial electoral", Category::Other),
    ("I.F.E.", Category::Other),
    ("C.U.I.P.", Category::Other),
    ("Residency Number", Category::Other),
    ("Refugee ID Card", Category::Other),
    ("Travel Document Number", Category::Other),
    ("VisaNumberID", Category::Other),
    ("Driver's License No.", Category::Other),
    ("Cartilla de Servicio Militar Nacional", Category::Other),
    ("Military Registration Number", Category::Other),
    ("Pilot License Number", Category::Other),
    ("License", Category::Other),
    ("Permit Number", Category::Other),
    ("SRE Permit No.", Category::Other),
    (
        "Afghan Money Service Provider License Number",
        Category::Other,
    ),
    ("File Number", Category::Other),
    ("Immigration No.", Category::Other),
    ("Public Security and Immigration No.", Category::Other),
    ("Serial No.", Category::Other),
    ("Chinese Commercial Code", Category::Other),
    ("Aircraft Mode S Transponder Code", Category::Other),
];

/// Splits a remarks field into its statements: at `;`, but not inside parentheses or the quotes
/// of an alias (`a.k.a. '...'`). Quotes elsewhere are apostrophes (`Said Jan 'Abd al-Salam`),
/// and inside an alias a quote closes only before a separator (`'ABU-'UMAR'`). If the field
/// ends inside quotes or parentheses (a truncated field, a stray apostrophe) those guesses were
/// wrong and every `;` splits.
pub(crate) fn split_statements(text: &str) -> Vec<&str> {
    let parts = split_guarded(text).unwrap_or_else(|| text.split(';').collect());
    parts
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect()
}

fn split_guarded(text: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match c {
            '\'' if quoted => {
                quoted =
                    !next.is_none_or(|n| n.is_whitespace() || matches!(n, ';' | '.' | ',' | ')'));
            }
            '\'' if depth == 0 => quoted = opens_alias(text.get(start..at)?),
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.checked_sub(1)?,
            ';' if !quoted && depth == 0 => {
                parts.push(text.get(start..at)?);
                start = at + 1;
            }
            _ => {}
        }
    }
    if quoted || depth > 0 {
        return None;
    }
    parts.push(text.get(start..)?);
    Some(parts)
}

/// Whether a statement so far is an alias label, so that a quote now opens the alias.
fn opens_alias(statement: &str) -> bool {
    let statement = statement.trim();
    let statement = strip_prefix_ci(statement, "alt. ").unwrap_or(statement);
    ["a.k.a.", "f.k.a.", "n.k.a."]
        .iter()
        .any(|label| statement.eq_ignore_ascii_case(label))
}

/// Understands one statement. `schema` decides what a generic `Identification Number` is;
/// `sentence_end` says the statement is the last of its field, whose final full stop ends the
/// sentence rather than the value.
pub(crate) fn parse_statement(statement: &str, schema: Schema, sentence_end: bool) -> Fact {
    let statement = statement.trim();
    let body = strip_prefix_ci(statement, "alt. ").unwrap_or(statement);
    let sentence_end = sentence_end && body.ends_with('.');
    let value = |rest: &str| -> String {
        let rest = rest.trim();
        let rest = if sentence_end {
            rest.strip_suffix('.').unwrap_or(rest)
        } else {
            rest
        };
        rest.trim().to_owned()
    };
    // `alt.` adds nothing to a remark and would set the CSV apart from the XML.
    let remark = || Fact::Remark(body.to_owned());

    for (prefix, kind) in [
        ("a.k.a.", NameKind::WeakAka),
        ("f.k.a.", NameKind::Fka),
        ("n.k.a.", NameKind::Nka),
    ] {
        if let Some(rest) = strip_prefix_ci(body, prefix) {
            return alias(rest, sentence_end).map_or_else(remark, |name| Fact::Alias(name, kind));
        }
    }
    if let Some(rest) = strip_label(body, "DOB") {
        return parse_date_of_birth(&value(rest)).map_or_else(remark, Fact::BirthDate);
    }
    if let Some(rest) = strip_label(body, "POB") {
        let place = value(rest);
        return if place.is_empty() {
            remark()
        } else {
            Fact::BirthPlace(place)
        };
    }
    for label in ["Nationality of Registration", "Registration Country"] {
        if let Some(rest) = strip_label(body, label) {
            return country(&value(rest))
                .map_or_else(remark, |code| Fact::Country(code, body.to_owned()));
        }
    }
    if let Some(rest) = strip_label(body, "nationality") {
        return country(&value(rest)).map_or_else(remark, Fact::Nationality);
    }
    if let Some(rest) = strip_label(body, "citizen") {
        return country(&value(rest)).map_or_else(remark, Fact::Citizenship);
    }
    if let Some(rest) = strip_label(body, "Gender") {
        return value(rest).parse().map_or_else(|_| remark(), Fact::Gender);
    }
    if let Some(rest) = strip_prefix_ci(body, "Linked To:") {
        let target = link_target(rest.trim(), sentence_end);
        return if target.is_empty() {
            remark()
        } else {
            Fact::Link(target)
        };
    }
    if let Some(rest) = strip_label(body, "Organization Established Date") {
        return parse_date_of_birth(&value(rest)).map_or_else(remark, Fact::Established);
    }
    if let Some(rest) = strip_prefix_ci(body, "Digital Currency Address -") {
        return crypto_address(rest, sentence_end).map_or_else(remark, Fact::Identifier);
    }
    let label = IDENTIFIER_LABELS
        .iter()
        .filter(|(label, _)| strip_label(body, label).is_some())
        .max_by_key(|(label, _)| label.len());
    if let Some(&(label, category)) = label {
        let rest = strip_label(body, label).unwrap_or_default();
        return identifier(label, category, rest, schema, sentence_end)
            .map_or_else(remark, Fact::Identifier);
    }
    remark()
}

/// Parses every statement of a remarks field into `entity`.
pub(crate) fn apply_remarks(entity: &mut Entity, remarks: &str) {
    let statements = split_statements(remarks);
    let count = statements.len();
    for (at, statement) in statements.into_iter().enumerate() {
        let fact = parse_statement(statement, entity.schema, at + 1 == count);
        apply_fact(entity, fact);
    }
}

/// Records what a statement says in the entity, skipping what is already there.
pub(crate) fn apply_fact(entity: &mut Entity, fact: Fact) {
    match fact {
        Fact::BirthDate(date) | Fact::Established(date) => {
            push_new(&mut entity.dates_of_birth, date)
        }
        Fact::BirthPlace(place) => push_new(&mut entity.places_of_birth, place),
        Fact::Nationality(code) => push_new(&mut entity.nationalities, code),
        Fact::Citizenship(code) => push_new(&mut entity.citizenships, code),
        Fact::Gender(gender) => {
            entity.gender.get_or_insert(gender);
        }
        Fact::Identifier(identifier) => entity.add_identifier(identifier),
        Fact::Alias(full, kind) => {
            let name = name_of(entity.schema, full, kind);
            entity.add_name(name);
        }
        Fact::Link(target) => push_new(
            &mut entity.links,
            Link {
                relation: "linked_to".into(),
                target,
            },
        ),
        Fact::Country(code, text) => {
            entity.add_country(code);
            push_new(&mut entity.remarks, text);
        }
        Fact::Remark(text) => {
            // The CSV repeats the Title column as a remark; it is already a title.
            let bare = text.trim_end_matches('.');
            if !entity.titles.iter().any(|title| title == bare) {
                push_new(&mut entity.remarks, text);
            }
        }
    }
}

fn push_new<T: PartialEq>(items: &mut Vec<T>, item: T) {
    if !items.contains(&item) {
        items.push(item);
    }
}

/// A name of an entity of `schema`; a person's `LAST, First Middle` gets its parts.
pub(crate) fn name_of(schema: Schema, full: String, kind: NameKind) -> Name {
    let parts = if schema == Schema::Person {
        full.split_once(',')
            .and_then(|(last, given)| person_name_parts(last, given))
    } else {
        None
    };
    let mut name = Name::new(full, kind);
    name.parts = parts;
    name
}

/// The parts of a person's name given its family name and the rest (`First Middle`, perhaps
/// followed by `, Jr.`, which is left out of the parts).
pub(crate) fn person_name_parts(last: &str, given: &str) -> Option<NameParts> {
    let last = last.trim();
    let given = given.split(',').next().unwrap_or_default();
    let mut words = given.split_whitespace();
    let first = words.next().map(str::to_owned);
    let middle = words.collect::<Vec<_>>().join(" ");
    let parts = NameParts {
        first,
        middle: (!middle.is_empty()).then_some(middle),
        patronymic: None,
        last: (!last.is_empty()).then(|| last.to_owned()),
    };
    (!parts.is_empty()).then_some(parts)
}

/// The country a list text names; besides what [`country_code`] reads, `Region: Gaza`, `Man,
/// Isle of` (inverted) and `North Macedonia, The Republic of` (a formal name appended).
pub(crate) fn country(text: &str) -> Option<CountryCode> {
    let text = text.trim();
    let text = strip_label(text, "Region").map_or(text, str::trim);
    country_code(text).or_else(|| {
        let (head, tail) = text.split_once(',')?;
        country_code(&format!("{} {}", tail.trim(), head.trim())).or_else(|| country_code(head))
    })
}

/// Dates of birth as OFAC writes them; besides what [`DateOfBirth::parse`] reads, `circa
/// 1977-1979` (a range).
pub(crate) fn parse_date_of_birth(text: &str) -> Option<DateOfBirth> {
    let text = text.trim().trim_end_matches('.').trim();
    DateOfBirth::parse(text).or_else(|| {
        let range = DateOfBirth::parse(strip_prefix_ci(text, "circa ")?)?;
        matches!(range, DateOfBirth::Range { .. }).then_some(range)
    })
}

/// The programs of a `Program` column: `SDGT`, or `SDGT] [IRGC` (the brackets of the first and
/// last are missing in the legacy CSV), or `[SDGT] [IRGC]`.
pub(crate) fn split_programs(text: &str) -> Vec<String> {
    let mut programs: Vec<String> = Vec::new();
    for program in text.split(['[', ']']).map(str::trim) {
        if !program.is_empty() && !programs.iter().any(|p| p == program) {
            programs.push(program.to_owned());
        }
    }
    programs
}

/// The vessel columns of the CSV, `vesselInfo` in the XML; empty strings for what is missing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct VesselInfo<'a> {
    /// Radio call sign.
    pub(crate) call_sign: &'a str,
    /// Vessel type (`Crude Oil Tanker`).
    pub(crate) vessel_type: &'a str,
    /// Flag state as written.
    pub(crate) flag: &'a str,
    /// Owner's name.
    pub(crate) owner: &'a str,
    /// Tonnage as written.
    pub(crate) tonnage: &'a str,
    /// Gross registered tonnage as written.
    pub(crate) gross_tonnage: &'a str,
}

/// Records vessel details: the call sign is an identifier, the flag a country, the owner a
/// link (`owned_by`); type and tonnages, which nothing matches on, are remarks.
pub(crate) fn apply_vessel_info(entity: &mut Entity, info: &VesselInfo<'_>) {
    if !info.call_sign.is_empty() {
        entity.add_identifier(Identifier::new(IdentifierKind::CallSign, info.call_sign));
    }
    if !info.vessel_type.is_empty() {
        entity
            .remarks
            .push(format!("Vessel Type: {}", info.vessel_type));
    }
    if !info.flag.is_empty() {
        if let Some(code) = country(info.flag) {
            entity.add_country(code);
        }
        entity.remarks.push(format!("Vessel Flag: {}", info.flag));
    }
    if !info.tonnage.is_empty() {
        entity.remarks.push(format!("Tonnage: {}", info.tonnage));
    }
    if !info.gross_tonnage.is_empty() {
        entity
            .remarks
            .push(format!("Gross Registered Tonnage: {}", info.gross_tonnage));
    }
    if !info.owner.is_empty() {
        push_new(
            &mut entity.links,
            Link {
                relation: "owned_by".into(),
                target: info.owner.to_owned(),
            },
        );
    }
}

/// Settles `Linked To:` targets whose last full stop may or may not belong to the name: a
/// target that names no entity on the list, while the same text with (or without) a final
/// `.` does, takes that spelling.
pub(crate) fn resolve_link_targets(entities: &mut [Entity]) {
    let names: HashSet<String> = entities
        .iter()
        .flat_map(|entity| entity.names.iter().map(|name| name.full.clone()))
        .collect();
    for link in entities
        .iter_mut()
        .flat_map(|entity| entity.links.iter_mut())
    {
        if link.relation != "linked_to" || names.contains(&link.target) {
            continue;
        }
        let other = match link.target.strip_suffix('.') {
            Some(bare) => bare.to_owned(),
            None => format!("{}.", link.target),
        };
        if names.contains(&other) {
            link.target = other;
        }
    }
}

/// The alias of `a.k.a. 'NAME'`: what lies between the first and the last quote (inner quotes
/// are part of the name, `''FOOPIE''`). An alias whose closing quote is missing was cut off
/// and is not a name.
fn alias(rest: &str, sentence_end: bool) -> Option<String> {
    let rest = rest.trim();
    let name = match rest.strip_prefix('\'') {
        Some(quoted) => {
            let close = quoted.rfind('\'')?;
            let after = quoted.get(close + 1..)?;
            if !after.trim().trim_end_matches('.').is_empty() {
                return None;
            }
            quoted.get(..close)?
        }
        None if sentence_end => rest.strip_suffix('.').unwrap_or(rest),
        None => rest,
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// A `Linked To:` target. The final full stop of a field is the sentence's unless the last
/// word is an abbreviation (`S.A.`, `CO.`, an initial); [`resolve_link_targets`] settles the
/// rest against the list.
fn link_target(target: &str, sentence_end: bool) -> String {
    let Some(bare) = target.strip_suffix('.').filter(|_| sentence_end) else {
        return target.to_owned();
    };
    let last_word = bare.rsplit(' ').next().unwrap_or(bare);
    let abbreviation = last_word.contains('.')
        || last_word.chars().count() == 1
        || ["LTD", "CO", "CORP", "INC", "JR", "SR"].contains(&last_word);
    if abbreviation {
        target.to_owned()
    } else {
        bare.trim_end().to_owned()
    }
}

fn crypto_address(rest: &str, sentence_end: bool) -> Option<Identifier> {
    let mut words = rest.split_whitespace();
    let currency = words.next()?;
    let mut address = words.next()?;
    let note: Vec<&str> = words.collect();
    if sentence_end && note.is_empty() {
        address = address.strip_suffix('.').unwrap_or(address);
    }
    let mut identifier = Identifier::new(
        IdentifierKind::CryptoAddress {
            currency: currency.to_owned(),
        },
        address,
    );
    if !note.is_empty() {
        identifier.note = Some(note.join(" "));
    }
    Some(identifier)
}

fn identifier(
    label: &str,
    category: Category,
    rest: &str,
    schema: Schema,
    sentence_end: bool,
) -> Option<Identifier> {
    let rest = rest.trim();
    let rest = if sentence_end {
        rest.strip_suffix('.').unwrap_or(rest)
    } else {
        rest
    };
    let kind = match category {
        Category::Passport => IdentifierKind::Passport,
        Category::NationalId => IdentifierKind::NationalId,
        Category::TaxId => IdentifierKind::TaxId,
        Category::Registration => IdentifierKind::RegistrationNumber,
        Category::PersonOrRegistration if schema == Schema::Person => IdentifierKind::NationalId,
        Category::PersonOrRegistration => IdentifierKind::RegistrationNumber,
        Category::Mmsi => IdentifierKind::Mmsi,
        Category::CallSign => IdentifierKind::CallSign,
        Category::SwiftBic => IdentifierKind::SwiftBic,
        Category::Aircraft => IdentifierKind::AircraftId,
        Category::Email => IdentifierKind::Email,
        Category::Website => IdentifierKind::Website,
        Category::Phone | Category::Fax => IdentifierKind::Phone,
        Category::Other => IdentifierKind::Other {
            label: label.trim_end_matches(':').to_owned(),
        },
    };
    if matches!(category, Category::Email | Category::Website) {
        // One address, sometimes followed by a sentence about it.
        let (address, note) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let address = if note.is_empty() {
            address
        } else {
            address.trim_end_matches('.')
        };
        let mut identifier = Identifier::new(kind, address);
        identifier.note = (!note.trim().is_empty()).then(|| note.trim().to_owned());
        return (!address.is_empty()).then_some(identifier);
    }

    let mut notes: Vec<String> = Vec::new();
    let mut rest = rest;
    let mut expires = None;
    if let Some((head, date)) = rest.rsplit_once(" expires ") {
        match PartialDate::parse(date) {
            Some(date) => expires = Some(date),
            None => notes.push(format!("expires {date}")),
        }
        rest = head;
    }
    let mut issued = None;
    if let Some((head, date)) = rest.rsplit_once(" issued ") {
        match PartialDate::parse(date) {
            Some(date) => issued = Some(date),
            None => notes.insert(0, format!("issued {date}")),
        }
        rest = head;
    }
    // Trailing ` (Country)` and other ` (...)` notes; `(98)(21)(66153220)` is a phone number.
    let mut country = None;
    let mut rest = rest.trim_end();
    while let Some(inner_and_open) = rest.strip_suffix(')') {
        let Some(open) = inner_and_open.rfind('(') else {
            break;
        };
        let (head, inner) = (
            inner_and_open.get(..open).unwrap_or_default(),
            inner_and_open.get(open + 1..).unwrap_or_default(),
        );
        if !head.ends_with(char::is_whitespace)
            || head.trim().is_empty()
            || inner
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace())
        {
            break;
        }
        match self::country(inner).filter(|_| country.is_none()) {
            Some(code) => country = Some(code),
            None => notes.insert(0, inner.trim().to_owned()),
        }
        rest = head.trim_end();
    }

    let mut kind = kind;
    let mut value = rest.trim();
    // Numbers have digits and few words without: "Passport and National ID were issued in
    // Ulm" is prose, `MAT 46-47 TOMO 460 L.` and `1 63 08 4 01 001 005E` are numbers.
    let has_digit = |word: &str| word.chars().any(|c| c.is_ascii_digit());
    let numbered = !matches!(category, Category::CallSign | Category::SwiftBic);
    if numbered
        && (!has_digit(value) || value.split_whitespace().filter(|w| !has_digit(w)).count() > 3)
    {
        return None;
    }
    let imo = strip_label(value, "IMO")
        .map(str::trim)
        .filter(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()));
    if let Some(number) = imo {
        kind = IdentifierKind::Imo;
        value = number;
    }
    if category == Category::Fax {
        notes.insert(0, "fax".to_owned());
    }
    if value.is_empty() {
        return None;
    }
    Some(Identifier {
        kind,
        value: value.to_owned(),
        country,
        issued,
        expires,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// `text` without a leading `prefix`, compared ASCII case-insensitively.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// The value after a label that stands as a word of its own, perhaps with a colon:
/// `Passport X` and `Email:x@y.z` are labelled `Passport` and `Email`, `Passports` is not.
fn strip_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let rest = strip_prefix_ci(text, label)?;
    if let Some(value) = rest.strip_prefix(':') {
        return Some(value);
    }
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> CountryCode {
        country_code(text).expect("country")
    }

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).expect("date")
    }

    fn id(kind: IdentifierKind, value: &str) -> Identifier {
        Identifier::new(kind, value)
    }

    fn other(label: &str) -> IdentifierKind {
        IdentifierKind::Other {
            label: label.into(),
        }
    }

    /// Real statements from the SDN list (2021–2024), each with what it must mean.
    #[test]
    fn understands_real_statements() {
        let passport_with_dates = Identifier {
            country: Some(code("Iran")),
            issued: Some(date("28 Oct 2008")),
            expires: Some(date("29 Oct 2013")),
            ..id(IdentifierKind::Passport, "T14553558")
        };
        let cases: Vec<(&str, Schema, Fact)> = vec![
            (
                "DOB 22 Jan 1958",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Exact { date: date("1958-01-22") }),
            ),
            (
                "alt. DOB 1966",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Exact { date: date("1966") }),
            ),
            (
                "DOB circa 1958",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Circa { date: date("1958") }),
            ),
            (
                "DOB 1960 to 1962",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Range { from: date("1960"), to: date("1962") }),
            ),
            (
                "DOB circa 1977-1979",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Range { from: date("1977"), to: date("1979") }),
            ),
            (
                "DOB 01 Jan 1961 to 31 Dec 1963",
                Schema::Person,
                Fact::BirthDate(DateOfBirth::Range {
                    from: date("1961-01-01"),
                    to: date("1963-12-31"),
                }),
            ),
            ("POB Al-Madinah, Saudi Arabia", Schema::Person, Fact::BirthPlace("Al-Madinah, Saudi Arabia".into())),
            ("nationality Saudi Arabia", Schema::Person, Fact::Nationality(code("SA"))),
            ("alt. nationality Bosnia and Herzegovina", Schema::Person, Fact::Nationality(code("BA"))),
            ("nationality Korea, North", Schema::Person, Fact::Nationality(code("KP"))),
            ("citizen Iran", Schema::Person, Fact::Citizenship(code("IR"))),
            ("Gender Male", Schema::Person, Fact::Gender(Gender::Male)),
            (
                "Passport A-992535 (Saudi Arabia)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("SA")),
                    ..id(IdentifierKind::Passport, "A-992535")
                }),
            ),
            (
                "alt. Passport B 524420 issued 15 Jul 1998 expires 22 May 2003",
                Schema::Person,
                Fact::Identifier(Identifier {
                    issued: Some(date("1998-07-15")),
                    expires: Some(date("2003-05-22")),
                    ..id(IdentifierKind::Passport, "B 524420")
                }),
            ),
            (
                "Passport T14553558 (Iran) issued 28 Oct 2008 expires 29 Oct 2013",
                Schema::Person,
                Fact::Identifier(passport_with_dates),
            ),
            (
                "Passport 0310857 (Eritrea) issued in Sarajevo, Bosnia-Herzegovina",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("ER")),
                    note: Some("issued in Sarajevo, Bosnia-Herzegovina".into()),
                    ..id(IdentifierKind::Passport, "0310857")
                }),
            ),
            (
                "National ID No. 216040 (Yemen)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("YE")),
                    ..id(IdentifierKind::NationalId, "216040")
                }),
            ),
            (
                "Cedula No. 6068015 (Colombia)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("CO")),
                    ..id(IdentifierKind::NationalId, "6068015")
                }),
            ),
            (
                "Tax ID No. 7811139006 (Russia)",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    country: Some(code("RU")),
                    ..id(IdentifierKind::TaxId, "7811139006")
                }),
            ),
            (
                "C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("MX")),
                    issued: Some(date("1968")),
                    ..id(IdentifierKind::NationalId, "AIMM67125HCHRRG06")
                }),
            ),
            (
                "Registration Number HRA 738077 (Stuttgart) (Germany)",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    country: Some(code("DE")),
                    note: Some("Stuttgart".into()),
                    ..id(IdentifierKind::RegistrationNumber, "HRA 738077")
                }),
            ),
            (
                "Unified Social Credit Code (USCC) 9113100033607322XK (China)",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    country: Some(code("CN")),
                    ..id(IdentifierKind::RegistrationNumber, "9113100033607322XK")
                }),
            ),
            (
                "Identification Number 210302198701102136 (China)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("CN")),
                    ..id(IdentifierKind::NationalId, "210302198701102136")
                }),
            ),
            (
                "Identification Number 220340015320 (Kazakhstan)",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    country: Some(code("KZ")),
                    ..id(IdentifierKind::RegistrationNumber, "220340015320")
                }),
            ),
            (
                "Vessel Registration Identification IMO 9187629",
                Schema::Vessel,
                Fact::Identifier(id(IdentifierKind::Imo, "9187629")),
            ),
            (
                "Vessel Registration Identification IMO  8730455",
                Schema::Vessel,
                Fact::Identifier(id(IdentifierKind::Imo, "8730455")),
            ),
            (
                "Company Number IMO 5055293",
                Schema::Organization,
                Fact::Identifier(id(IdentifierKind::Imo, "5055293")),
            ),
            ("MMSI 572469210", Schema::Vessel, Fact::Identifier(id(IdentifierKind::Mmsi, "572469210"))),
            ("SWIFT/BIC HAVIGB2L", Schema::Organization, Fact::Identifier(id(IdentifierKind::SwiftBic, "HAVIGB2L"))),
            (
                "Digital Currency Address - XBT 149w62rY42aZBox8fGcmqNsXUzSStKeq8C",
                Schema::Person,
                Fact::Identifier(id(
                    IdentifierKind::CryptoAddress { currency: "XBT".into() },
                    "149w62rY42aZBox8fGcmqNsXUzSStKeq8C",
                )),
            ),
            (
                "alt. Digital Currency Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c",
                Schema::Person,
                Fact::Identifier(id(
                    IdentifierKind::CryptoAddress { currency: "ETH".into() },
                    "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c",
                )),
            ),
            (
                "alt. Email Address mastercartaria@yahoo.com",
                Schema::Person,
                Fact::Identifier(id(IdentifierKind::Email, "mastercartaria@yahoo.com")),
            ),
            (
                "Website http://www.transoil-spb.ru",
                Schema::Organization,
                Fact::Identifier(id(IdentifierKind::Website, "http://www.transoil-spb.ru")),
            ),
            (
                "Website www.alturath.org. Revival of Islamic Heritage Society Offices Worldwide.",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    note: Some("Revival of Islamic Heritage Society Offices Worldwide.".into()),
                    ..id(IdentifierKind::Website, "www.alturath.org")
                }),
            ),
            (
                "Phone Number 8613314257947",
                Schema::Person,
                Fact::Identifier(id(IdentifierKind::Phone, "8613314257947")),
            ),
            (
                "Telephone (98)(21)(66153220)",
                Schema::Organization,
                Fact::Identifier(id(IdentifierKind::Phone, "(98)(21)(66153220)")),
            ),
            (
                "Alt. Fax: 9221227700019",
                Schema::Organization,
                Fact::Identifier(Identifier {
                    note: Some("fax".into()),
                    ..id(IdentifierKind::Phone, "9221227700019")
                }),
            ),
            (
                "Aircraft Manufacturer's Serial Number (MSN) 1023409321",
                Schema::Aircraft,
                Fact::Identifier(id(IdentifierKind::AircraftId, "1023409321")),
            ),
            (
                "Aircraft Construction Number (also called L/N or S/N or F/N) 8401",
                Schema::Aircraft,
                Fact::Identifier(id(IdentifierKind::AircraftId, "8401")),
            ),
            (
                "Driver's License No. 180839 (Mexico)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("MX")),
                    ..id(other("Driver's License No."), "180839")
                }),
            ),
            (
                "Other Vessel Call Sign 5IM713",
                Schema::Vessel,
                Fact::Identifier(id(IdentifierKind::CallSign, "5IM713")),
            ),
            ("a.k.a. 'ABU ANAS'", Schema::Person, Fact::Alias("ABU ANAS".into(), NameKind::WeakAka)),
            (
                "a.k.a. ''ABD AL-MUHSI'",
                Schema::Person,
                Fact::Alias("'ABD AL-MUHSI".into(), NameKind::WeakAka),
            ),
            (
                "a.k.a. 'ABDEL' AZIZ BEN NARVAN'",
                Schema::Person,
                Fact::Alias("ABDEL' AZIZ BEN NARVAN".into(), NameKind::WeakAka),
            ),
            ("f.k.a. 'ALPHA'", Schema::Vessel, Fact::Alias("ALPHA".into(), NameKind::Fka)),
            ("n.k.a. 'NEW NAME'", Schema::Organization, Fact::Alias("NEW NAME".into(), NameKind::Nka)),
            // Cut off by a truncated remarks field: not a name.
            ("a.k.a. 'WHOIS HACKIN", Schema::Organization, Fact::Remark("a.k.a. 'WHOIS HACKIN".into())),
            ("Linked To: HIZBALLAH", Schema::Person, Fact::Link("HIZBALLAH".into())),
            ("Linked To: AGROPECUARIA LA PERLA LTDA.", Schema::Person, Fact::Link("AGROPECUARIA LA PERLA LTDA.".into())),
            (
                "Organization Established Date 1969",
                Schema::Organization,
                Fact::Established(DateOfBirth::Exact { date: date("1969") }),
            ),
            (
                "Nationality of Registration Korea, North",
                Schema::Vessel,
                Fact::Country(code("KP"), "Nationality of Registration Korea, North".into()),
            ),
            (
                "Additional Sanctions Information - Subject to Secondary Sanctions",
                Schema::Organization,
                Fact::Remark("Additional Sanctions Information - Subject to Secondary Sanctions".into()),
            ),
            ("nationality Atlantis", Schema::Person, Fact::Remark("nationality Atlantis".into())),
            ("nationality North Macedonia, The Republic of", Schema::Person, Fact::Nationality(code("MK"))),
            ("nationality Region: Gaza", Schema::Person, Fact::Nationality(code("PS"))),
            (
                "Nationality of Registration Man, Isle of",
                Schema::Vessel,
                Fact::Country(code("IM"), "Nationality of Registration Man, Isle of".into()),
            ),
            (
                "Email:adelb@shabakah.net.sa",
                Schema::Person,
                Fact::Identifier(id(IdentifierKind::Email, "adelb@shabakah.net.sa")),
            ),
            (
                "Website:  www.alnakshabandia-army.org",
                Schema::Organization,
                Fact::Identifier(id(IdentifierKind::Website, "www.alnakshabandia-army.org")),
            ),
            (
                "National ID No. 1 63 08 4 01 001 005E (Mali)",
                Schema::Person,
                Fact::Identifier(Identifier {
                    country: Some(code("ML")),
                    ..id(IdentifierKind::NationalId, "1 63 08 4 01 001 005E")
                }),
            ),
            (
                "Passport and National ID were issued in Ulm, Germany.  Currently incarcerated at JVA Bruchsal prison.",
                Schema::Person,
                Fact::Remark(
                    "Passport and National ID were issued in Ulm, Germany.  Currently incarcerated at JVA Bruchsal prison."
                        .into(),
                ),
            ),
            ("DOB sometime", Schema::Person, Fact::Remark("DOB sometime".into())),
            ("Former Vessel Flag Malta", Schema::Vessel, Fact::Remark("Former Vessel Flag Malta".into())),
            ("Passports pending", Schema::Person, Fact::Remark("Passports pending".into())),
        ];
        for (statement, schema, expected) in cases {
            assert_eq!(
                parse_statement(statement, schema, false),
                expected,
                "{statement}"
            );
        }
    }

    #[test]
    fn sentence_final_stop_leaves_values() {
        let cases: Vec<(&str, Fact)> = vec![
            ("Gender Male.", Fact::Gender(Gender::Male)),
            ("nationality Russia.", Fact::Nationality(code("RU"))),
            (
                "DOB 25 Jul 1972.",
                Fact::BirthDate(DateOfBirth::Exact {
                    date: date("1972-07-25"),
                }),
            ),
            (
                "a.k.a. 'BNC'.",
                Fact::Alias("BNC".into(), NameKind::WeakAka),
            ),
            (
                "Email Address dam.d.free@net.sy.",
                Fact::Identifier(id(IdentifierKind::Email, "dam.d.free@net.sy")),
            ),
            (
                "Registered Charity No. 1040094.",
                Fact::Identifier(id(IdentifierKind::RegistrationNumber, "1040094")),
            ),
            (
                "National ID No. 311509004 (Israel).",
                Fact::Identifier(Identifier {
                    country: Some(code("IL")),
                    ..id(IdentifierKind::NationalId, "311509004")
                }),
            ),
            ("Linked To: HIZBALLAH.", Fact::Link("HIZBALLAH".into())),
            ("Linked To: KPD S.A.", Fact::Link("KPD S.A.".into())),
            (
                "Linked To: SAZEH MORAKAB CO.",
                Fact::Link("SAZEH MORAKAB CO.".into()),
            ),
            (
                "Linked To: KOVALCHUK, Yuri Valentinovich.",
                Fact::Link("KOVALCHUK, Yuri Valentinovich".into()),
            ),
            ("ICTY indictee.", Fact::Remark("ICTY indictee.".into())),
        ];
        for (statement, expected) in cases {
            assert_eq!(
                parse_statement(statement, Schema::Person, true),
                expected,
                "{statement}"
            );
        }
    }

    #[test]
    fn splits_at_semicolons_outside_quotes_and_parentheses() {
        assert_eq!(
            split_statements(
                "DOB 1966; alt. DOB 27 Oct 1969; a.k.a. 'ABU ANAS'; a.k.a. ''ABD AL-MUHSI'."
            ),
            vec![
                "DOB 1966",
                "alt. DOB 27 Oct 1969",
                "a.k.a. 'ABU ANAS'",
                "a.k.a. ''ABD AL-MUHSI'."
            ]
        );
        assert_eq!(
            split_statements("possibly Palestinian;arrested 23 Apr 2002;"),
            vec!["possibly Palestinian", "arrested 23 Apr 2002"]
        );
        assert_eq!(
            split_statements(
                "POB Somalia; (Following data: Alt. DOB: 10 October 1969; Alt. POB: Keren Eritrea); Gender Male"
            ),
            vec![
                "POB Somalia",
                "(Following data: Alt. DOB: 10 October 1969; Alt. POB: Keren Eritrea)",
                "Gender Male"
            ]
        );
        assert_eq!(
            split_statements("a.k.a. 'A; B'; Gender Male"),
            vec!["a.k.a. 'A; B'", "Gender Male"]
        );
        // An apostrophe outside an alias quotes nothing.
        assert_eq!(
            split_statements(
                "Passport X issued under the name Said Jan 'Abd al-Salam; a.k.a. 'NANGIALI'."
            ),
            vec![
                "Passport X issued under the name Said Jan 'Abd al-Salam",
                "a.k.a. 'NANGIALI'."
            ]
        );
        // An unclosed quote or parenthesis (a field cut short) splits at every `;`.
        assert_eq!(
            split_statements("Gender Male; a.k.a. 'tianyinyin0404'; a.k.a. 'snowsjo"),
            vec!["Gender Male", "a.k.a. 'tianyinyin0404'", "a.k.a. 'snowsjo"]
        );
        assert_eq!(
            split_statements("Note (open; DOB 1960"),
            vec!["Note (open", "DOB 1960"]
        );
        assert!(split_statements("  ").is_empty());
    }

    #[test]
    fn applies_remarks_to_an_entity() {
        use interdict_model::EntityId;
        // ent_num 26137 of the July 2021 list, verbatim.
        let remarks = "DOB 21 Sep 1979; POB Tehran, Iran; nationality Iran; Email Address iranvisacart@yahoo.com; \
            alt. Email Address mastercartaria@yahoo.com; Additional Sanctions Information - Subject to Secondary \
            Sanctions; Gender Male; Digital Currency Address - XBT 149w62rY42aZBox8fGcmqNsXUzSStKeq8C; Passport \
            T14553558 (Iran) issued 28 Oct 2008 expires 29 Oct 2013; a.k.a. 'Mastercartaria'; a.k.a. 'Iranvisacart'.";
        let mut entity = Entity::new(
            EntityId::new("t", "26137"),
            Schema::Person,
            "KHORASHADIZADEH, Ali",
        );
        apply_remarks(&mut entity, remarks);
        assert_eq!(
            entity.dates_of_birth,
            vec![DateOfBirth::Exact {
                date: date("1979-09-21")
            }]
        );
        assert_eq!(entity.places_of_birth, vec!["Tehran, Iran".to_owned()]);
        assert_eq!(entity.nationalities, vec![code("IR")]);
        assert_eq!(entity.gender, Some(Gender::Male));
        assert_eq!(entity.identifiers.len(), 4);
        assert_eq!(
            entity.remarks,
            vec!["Additional Sanctions Information - Subject to Secondary Sanctions".to_owned()]
        );
        let aliases: Vec<(&str, NameKind)> = entity
            .names
            .iter()
            .skip(1)
            .map(|n| (n.full.as_str(), n.kind))
            .collect();
        assert_eq!(
            aliases,
            vec![
                ("Mastercartaria", NameKind::WeakAka),
                ("Iranvisacart", NameKind::WeakAka)
            ]
        );
    }

    #[test]
    fn title_repeated_as_remark_is_not_kept_twice() {
        use interdict_model::EntityId;
        let mut entity = Entity::new(EntityId::new("t", "1"), Schema::Person, "X, Y");
        entity.titles.push("Member of the State Duma".into());
        apply_remarks(&mut entity, "Gender Male; Member of the State Duma.");
        assert!(entity.remarks.is_empty());
    }

    #[test]
    fn names_people_by_their_parts() {
        let name = name_of(
            Schema::Person,
            "JULAIDAN, Wa'el Hamza Abd Al-Fatah".into(),
            NameKind::Primary,
        );
        let parts = name.parts.expect("parts");
        assert_eq!(parts.last.as_deref(), Some("JULAIDAN"));
        assert_eq!(parts.first.as_deref(), Some("Wa'el"));
        assert_eq!(parts.middle.as_deref(), Some("Hamza Abd Al-Fatah"));
        let parts = person_name_parts("DELOS REYES", " Feliciano Semborio, Jr.").expect("parts");
        assert_eq!(parts.middle.as_deref(), Some("Semborio"));
        assert!(
            name_of(
                Schema::Organization,
                "ANGLO-CARIBBEAN CO., LTD.".into(),
                NameKind::Primary
            )
            .parts
            .is_none()
        );
        assert!(
            name_of(Schema::Person, "ABU ANAS".into(), NameKind::WeakAka)
                .parts
                .is_none()
        );
    }

    #[test]
    fn splits_programs() {
        assert_eq!(split_programs("SDGT"), vec!["SDGT"]);
        assert_eq!(
            split_programs("IRAN] [SDGT] [IRGC] [IFSR"),
            vec!["IRAN", "SDGT", "IRGC", "IFSR"]
        );
        assert_eq!(split_programs("[SDGT] [IRGC]"), vec!["SDGT", "IRGC"]);
        assert!(split_programs("").is_empty());
    }

    #[test]
    fn resolves_link_targets_against_the_list() {
        use interdict_model::EntityId;
        let owner = Entity::new(EntityId::new("t", "1"), Schema::Organization, "EVIL CORP");
        let other = Entity::new(
            EntityId::new("t", "2"),
            Schema::Organization,
            "SAZEH MORAKAB CO. LTD",
        );
        let mut linked = Entity::new(EntityId::new("t", "3"), Schema::Person, "X, Y");
        apply_remarks(
            &mut linked,
            "Linked To: SAZEH MORAKAB CO. LTD; Linked To: EVIL CORP.",
        );
        assert_eq!(linked.links[1].target, "EVIL CORP.");
        let mut entities = vec![owner, other, linked];
        resolve_link_targets(&mut entities);
        let targets: Vec<&str> = entities[2]
            .links
            .iter()
            .map(|l| l.target.as_str())
            .collect();
        assert_eq!(targets, vec!["SAZEH MORAKAB CO. LTD", "EVIL CORP"]);
    }
}
