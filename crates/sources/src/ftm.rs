//! OpenSanctions FollowTheMoney JSON lines (`entities.ftm.json`) with optional delta files
//! (`*.delta.json`, one `{"op": "ADD"|"MOD"|"DEL", "entity": {...}}` per line).
//!
//! Every file not named `*.delta.json` is a base file, read in the order given; the deltas are
//! then applied in file-name order. `ADD` of an id already present replaces that entity in place
//! (an upsert, as OpenSanctions' own consumers treat it); `MOD` replaces the whole entity, and
//! `MOD` or `DEL` of an unknown id is an issue. Entities are built from the final state, so an
//! entity deleted by a delta leaves no trace and no issue. A line that is not valid JSON, or not
//! an entity with an id and a schema, is an issue naming its file and line; a base file in which
//! no line is a JSON object is not FollowTheMoney at all ([`Error::Malformed`]).
//!
//! Schemata: `Person`; `Organization`, `Company`, `LegalEntity`, `PublicBody` (organisations);
//! `Vessel`; `Airplane` (aircraft); `CryptoWallet`. Other schemata are not screened but feed
//! those that are: `Address` entities named by `addressEntity` become addresses, `Sanction`
//! entities add programmes and listing dates to their `entity`, `Identification` and `Passport`
//! entities add identifiers to their `holder`, and relationship entities (`Ownership`,
//! `Directorship`, `Family`, `Associate`, `Membership`, `Employment`, `Representation`,
//! `UnknownLink`) become links on both parties. Anything else is skipped.
//! (`ftm_ownership` reads the `Ownership` and `Directorship` entities of the same final state
//! as relations for the ownership graph.)
//!
//! Properties: the primary name is the `name` value equal to `caption`, else the first; other
//! `name` values and `alias` are strong aliases, `weakAlias` weak, `previousName` former names,
//! and any strong name in a non-Latin script is an original-script name. Name parts
//! (`firstName`, `middleName`/`secondName`, `fatherName`, `lastName`) are set on a person's name
//! when exactly one value of the property occurs in that name. `topics` (`sanction`,
//! `crime.terror`) are not programmes, so they are kept as a remark, as are `notes`.
//! `createdAt` is the designation date unless a `listingDate` (own or from a `Sanction`) says
//! otherwise.
//!
//! A line written by interdict's own export (`ftm_export`) carries the canonical entity; it is
//! taken as it is when the line's FtM id, schema and properties are still what the export
//! writes for it, so an export re-imported has the same content hash.
//!
//! Entity ids are `<list>:<ftm id>`. Without a list id, the list is the dataset most of the base
//! entities name in `datasets` (e.g. `eu_fsf`), else `opensanctions`.

use std::collections::{BTreeMap, HashMap};

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Gender, Identifier, IdentifierKind, Link, Name,
    NameKind, NameParts, PartialDate, Schema, SourceRecord, country_code,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{Error, Format, Issue, Parsed, SourceFile};

/// One FtM entity as exported.
#[derive(Debug, Deserialize)]
pub(crate) struct RawEntity {
    #[serde(default)]
    pub(crate) id: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    pub(crate) schema: String,
    #[serde(default)]
    properties: Map<String, Value>,
    #[serde(default)]
    referents: Vec<String>,
    #[serde(default)]
    datasets: Vec<String>,
    /// The canonical entity an interdict export embeds (see `ftm_export`).
    #[serde(default, rename = "interdict_entity")]
    embedded: Option<Value>,
}

impl RawEntity {
    /// The string values of `property`; FtM writes arrays of strings, a bare string is
    /// accepted and anything else ignored.
    pub(crate) fn values(&self, property: &str) -> Vec<&str> {
        match self.properties.get(property) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect(),
            Some(Value::String(value)) if !value.trim().is_empty() => vec![value.trim()],
            _ => Vec::new(),
        }
    }
}

/// One line of a delta file.
#[derive(Debug, Deserialize)]
struct Delta {
    op: String,
    entity: RawEntity,
}

/// An entity with where it was read.
pub(crate) struct Stored {
    pub(crate) raw: RawEntity,
    pub(crate) file: String,
    pub(crate) base_name: String,
    line: usize,
    pub(crate) text: String,
}

impl Stored {
    pub(crate) fn location(&self) -> String {
        format!("line {}", self.line)
    }
}

/// The entities by id, in the order they were first added.
#[derive(Default)]
pub(crate) struct State {
    slots: Vec<Option<Stored>>,
    index: HashMap<String, usize>,
}

impl State {
    fn get(&self, id: &str) -> Option<&Stored> {
        self.index
            .get(id)
            .and_then(|&i| self.slots.get(i))
            .and_then(Option::as_ref)
    }

    /// Adds `stored`, replacing an entity with the same id in place.
    fn upsert(&mut self, stored: Stored) {
        match self.index.get(&stored.raw.id) {
            Some(&i) => {
                if let Some(slot) = self.slots.get_mut(i) {
                    *slot = Some(stored);
                }
            }
            None => {
                self.index.insert(stored.raw.id.clone(), self.slots.len());
                self.slots.push(Some(stored));
            }
        }
    }

    fn remove(&mut self, id: &str) -> bool {
        match self.index.remove(id) {
            Some(i) => self.slots.get_mut(i).and_then(Option::take).is_some(),
            None => false,
        }
    }

    pub(crate) fn entities(&self) -> impl Iterator<Item = &Stored> {
        self.slots.iter().flatten()
    }
}

/// Parses FtM base and delta files; `list` defaults to the data's own dataset name.
pub(crate) fn parse(files: &[SourceFile], list: Option<&str>) -> Result<Parsed, Error> {
    let (state, list, mut issues) = read_final(files, list)?;
    let context = Context::new(&state, &list);
    let mut entities = Vec::new();
    for stored in state.entities() {
        if let Some(mut entity) = stored.raw.embedded.as_ref().and_then(|embedded| {
            let raw = &stored.raw;
            crate::ftm_export::embedded_entity(
                &raw.id,
                &raw.schema,
                &raw.properties,
                embedded,
                &list,
            )
        }) {
            entity.source = source_record(stored);
            entities.push(entity);
            continue;
        }
        let Some(schema) = screened_schema(&stored.raw.schema) else {
            continue;
        };
        match build_entity(stored, schema, &list, &context) {
            Some(entity) => entities.push(entity),
            None => issues.push(Issue {
                file: stored.file.clone(),
                location: stored.location(),
                message: format!("{} {} has no name", stored.raw.schema, stored.raw.id),
            }),
        }
    }
    Ok(Parsed {
        format: Format::Ftm,
        list,
        entities,
        issues,
        encoding: Some(crate::text::UTF_8),
        // FollowTheMoney entities carry per-entity dates, not the export's publication date.
        published: None,
    })
}

fn is_delta(file: &SourceFile) -> bool {
    file.base_name()
        .to_ascii_lowercase()
        .ends_with(".delta.json")
}

/// Reads the base files and applies the deltas: the final entities by id, the list id (given,
/// else the data's dominant dataset) and the issues of every line. Shared with
/// `ftm_ownership`, which reads the relationship entities of the same files.
pub(crate) fn read_final(
    files: &[SourceFile],
    list: Option<&str>,
) -> Result<(State, String, Vec<Issue>), Error> {
    let (mut deltas, bases): (Vec<&SourceFile>, Vec<&SourceFile>) =
        files.iter().partition(|f| is_delta(f));
    if bases.is_empty() {
        return Err(Error::MissingFile {
            name: "entities.ftm.json (a FollowTheMoney base file for the deltas)".into(),
        });
    }
    deltas.sort_by(|a, b| a.name.cmp(&b.name));

    let mut issues = Vec::new();
    let mut state = State::default();
    for file in bases {
        read_base(file, &mut state, &mut issues)?;
    }
    let list = match list {
        Some(list) => list.to_owned(),
        None => dominant_dataset(&state).unwrap_or_else(|| Format::Ftm.default_list_id().into()),
    };
    for file in deltas {
        apply_deltas(file, &mut state, &mut issues);
    }
    Ok((state, list, issues))
}

/// The non-empty lines of a file with their 1-based numbers; invalid UTF-8 is reported.
fn lines(file: &SourceFile) -> impl Iterator<Item = (usize, Result<&str, String>)> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, line)| {
            let text = std::str::from_utf8(line)
                .map(str::trim)
                .map_err(|e| format!("invalid UTF-8: {e}"));
            (i + 1, text)
        })
        .filter(|(_, text)| text.as_ref().map_or(true, |t| !t.is_empty()))
}

fn read_base(file: &SourceFile, state: &mut State, issues: &mut Vec<Issue>) -> Result<(), Error> {
    let mut line_issues = Vec::new();
    let mut any_object = false;
    for (line, text) in lines(file) {
        let parsed = text.and_then(|text| {
            serde_json::from_str::<Value>(text)
                .map_err(|e| format!("not JSON: {e}"))
                .map(|value| (text, value))
        });
        let (text, value) = match parsed {
            Ok((text, value @ Value::Object(_))) => (text, value),
            Ok(_) => {
                line_issues.push(line_issue(file, line, "not a JSON object".into()));
                continue;
            }
            Err(reason) => {
                line_issues.push(line_issue(file, line, reason));
                continue;
            }
        };
        any_object = true;
        let raw = match RawEntity::deserialize(value) {
            Ok(raw) => raw,
            Err(e) => {
                line_issues.push(line_issue(file, line, format!("not an FtM entity: {e}")));
                continue;
            }
        };
        if let Err(message) = check_entity(&raw) {
            line_issues.push(line_issue(file, line, message));
            continue;
        }
        if let Some(previous) = state.get(&raw.id) {
            line_issues.push(line_issue(
                file,
                line,
                format!(
                    "duplicate entity id {} (first on line {})",
                    raw.id, previous.line
                ),
            ));
            continue;
        }
        state.upsert(stored(file, line, text, raw));
    }
    // Not one JSON object: this is not an FtM file at all, rather than an FtM file with bad
    // lines.
    if let (false, Some(first)) = (any_object, line_issues.first()) {
        return Err(Error::Malformed {
            file: first.file.clone(),
            location: first.location.clone(),
            reason: format!("{}; expected FollowTheMoney JSON lines", first.message),
        });
    }
    issues.extend(line_issues);
    Ok(())
}

fn apply_deltas(file: &SourceFile, state: &mut State, issues: &mut Vec<Issue>) {
    for (line, text) in lines(file) {
        let delta = text.and_then(|text| {
            serde_json::from_str::<Delta>(text)
                .map_err(|e| format!("not a delta line: {e}"))
                .map(|delta| (text, delta))
        });
        let (text, delta) = match delta {
            Ok(delta) => delta,
            Err(reason) => {
                issues.push(line_issue(file, line, reason));
                continue;
            }
        };
        let id = delta.entity.id.clone();
        let op = delta.op.to_ascii_uppercase();
        if (op == "ADD" || op == "MOD")
            && let Err(message) = check_entity(&delta.entity)
        {
            issues.push(line_issue(file, line, message));
            continue;
        }
        match op.as_str() {
            "ADD" => state.upsert(stored(file, line, text, delta.entity)),
            "MOD" if state.get(&id).is_none() => {
                issues.push(line_issue(
                    file,
                    line,
                    format!("MOD of unknown entity {id}"),
                ));
            }
            "MOD" => state.upsert(stored(file, line, text, delta.entity)),
            "DEL" => {
                if !state.remove(&id) {
                    issues.push(line_issue(
                        file,
                        line,
                        format!("DEL of unknown entity {id}"),
                    ));
                }
            }
            other => issues.push(line_issue(
                file,
                line,
                format!("unknown delta op {other:?}; expected ADD, MOD or DEL"),
            )),
        }
    }
}

fn check_entity(raw: &RawEntity) -> Result<(), String> {
    if raw.id.trim().is_empty() {
        return Err("entity without an id".into());
    }
    if raw.schema.trim().is_empty() {
        return Err(format!("entity {} has no schema", raw.id));
    }
    Ok(())
}

fn stored(file: &SourceFile, line: usize, text: &str, raw: RawEntity) -> Stored {
    Stored {
        raw,
        file: file.name.clone(),
        base_name: file.base_name().to_owned(),
        line,
        text: text.to_owned(),
    }
}

fn line_issue(file: &SourceFile, line: usize, message: String) -> Issue {
    Issue {
        file: file.name.clone(),
        location: format!("line {line}"),
        message,
    }
}

/// The dataset most base entities belong to; ties go to the alphabetically first.
fn dominant_dataset(state: &State) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for stored in state.entities() {
        for dataset in &stored.raw.datasets {
            // A list id ends at the first `:` of an entity id, so it cannot hold one.
            if !dataset.is_empty() && !dataset.contains([':', ' ', '/']) {
                *counts.entry(dataset).or_default() += 1;
            }
        }
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, count)| *count == best)
        .map(|(dataset, _)| dataset.to_owned())
}

fn screened_schema(schema: &str) -> Option<Schema> {
    match schema {
        "Person" => Some(Schema::Person),
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => Some(Schema::Organization),
        "Vessel" => Some(Schema::Vessel),
        "Airplane" => Some(Schema::Aircraft),
        "CryptoWallet" => Some(Schema::CryptoWallet),
        _ => None,
    }
}

/// What the unscreened entities (addresses, sanctions, identifications, relationships) add to
/// the screened ones, by FtM id.
#[derive(Default)]
struct Context {
    addresses: HashMap<String, Address>,
    programs: HashMap<String, Vec<String>>,
    listing_dates: HashMap<String, PartialDate>,
    identifiers: HashMap<String, Vec<Identifier>>,
    links: HashMap<String, Vec<Link>>,
}

/// Relationship schemata: (schema, one party, other party, link on the first, on the second).
const RELATIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("Ownership", "owner", "asset", "owns", "owned_by"),
    (
        "Directorship",
        "director",
        "organization",
        "director_of",
        "directed_by",
    ),
    ("Family", "person", "relative", "family", "family"),
    ("Associate", "person", "associate", "associate", "associate"),
    (
        "Membership",
        "member",
        "organization",
        "member_of",
        "has_member",
    ),
    (
        "Employment",
        "employee",
        "employer",
        "employed_by",
        "employs",
    ),
    (
        "Representation",
        "agent",
        "client",
        "represents",
        "represented_by",
    ),
    ("UnknownLink", "subject", "object", "linked_to", "linked_to"),
];

impl Context {
    fn new(state: &State, list: &str) -> Self {
        let mut context = Context::default();
        for stored in state.entities() {
            let raw = &stored.raw;
            match raw.schema.as_str() {
                "Address" => {
                    if let Some(address) = address_of(raw) {
                        context.addresses.insert(raw.id.clone(), address);
                    }
                }
                "Sanction" => context.add_sanction(raw),
                "Identification" | "Passport" => context.add_identification(raw),
                schema => {
                    let relation = RELATIONS.iter().find(|(name, ..)| *name == schema);
                    if let Some(&(_, one, other, one_link, other_link)) = relation {
                        for a in raw.values(one) {
                            for b in raw.values(other) {
                                context.link(a, one_link, list, b);
                                context.link(b, other_link, list, a);
                            }
                        }
                    }
                }
            }
        }
        context
    }

    fn link(&mut self, from: &str, relation: &str, list: &str, to: &str) {
        let link = Link {
            relation: relation.to_owned(),
            target: EntityId::new(list, to).to_string(),
        };
        let links = self.links.entry(from.to_owned()).or_default();
        if !links.contains(&link) {
            links.push(link);
        }
    }

    fn add_sanction(&mut self, raw: &RawEntity) {
        let date = raw
            .values("listingDate")
            .into_iter()
            .chain(raw.values("startDate"))
            .filter_map(PartialDate::parse)
            .min();
        for target in raw.values("entity") {
            let programs = self.programs.entry(target.to_owned()).or_default();
            for program in raw
                .values("programId")
                .into_iter()
                .chain(raw.values("program"))
            {
                push_unique(programs, program);
            }
            if let Some(date) = date {
                let earliest = self.listing_dates.entry(target.to_owned()).or_insert(date);
                *earliest = (*earliest).min(date);
            }
        }
    }

    fn add_identification(&mut self, raw: &RawEntity) {
        let kind_text = raw.values("type").join(" ").to_lowercase();
        let kind = if raw.schema == "Passport" || kind_text.contains("passport") {
            IdentifierKind::Passport
        } else if kind_text.contains("tax") {
            IdentifierKind::TaxId
        } else {
            IdentifierKind::NationalId
        };
        for holder in raw.values("holder") {
            for number in raw.values("number") {
                let mut identifier = Identifier::new(kind.clone(), number);
                identifier.country = raw.values("country").into_iter().find_map(country_code);
                identifier.issued = raw
                    .values("startDate")
                    .into_iter()
                    .find_map(PartialDate::parse);
                identifier.expires = raw
                    .values("endDate")
                    .into_iter()
                    .find_map(PartialDate::parse);
                self.identifiers
                    .entry(holder.to_owned())
                    .or_default()
                    .push(identifier);
            }
        }
    }
}

fn address_of(raw: &RawEntity) -> Option<Address> {
    let first = |property: &str| raw.values(property).first().map(|v| (*v).to_owned());
    let street: Vec<&str> = raw
        .values("street")
        .into_iter()
        .chain(raw.values("street2"))
        .collect();
    let mut address = Address {
        street: (!street.is_empty()).then(|| street.join(", ")),
        city: first("city"),
        region: first("region").or_else(|| first("state")),
        postal_code: first("postalCode"),
        ..Address::default()
    };
    if address == Address::default() {
        // Only the one-line form: keep it whole as the street.
        address.street = first("full");
    }
    for country in raw.values("country") {
        match country_code(country) {
            Some(code) => address.country = Some(code),
            None => address.country_name = Some(country.to_owned()),
        }
    }
    (address != Address::default()).then_some(address)
}

/// Whether a name is written (at least partly) in a script other than Latin.
fn is_non_latin(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_alphabetic()
            && !matches!(c,
                '\u{0000}'..='\u{024F}'      // Basic Latin to Latin Extended-B
                | '\u{1E00}'..='\u{1EFF}'    // Latin Extended Additional
                | '\u{2C60}'..='\u{2C7F}'    // Latin Extended-C
                | '\u{A720}'..='\u{A7FF}'    // Latin Extended-D
                | '\u{FF21}'..='\u{FF5A}') // full-width Latin
    })
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

/// The names of an entity; `None` when it has none.
fn names_of(raw: &RawEntity, schema: Schema) -> Option<Vec<Name>> {
    let names = raw.values("name");
    let caption = raw
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let primary = match caption {
        Some(caption) if names.contains(&caption) => caption.to_owned(),
        _ => match names.first() {
            Some(first) => (*first).to_owned(),
            None => match caption {
                Some(caption) => caption.to_owned(),
                None => {
                    // A person may be named by parts only.
                    let parts: Vec<&str> = ["firstName", "middleName", "lastName"]
                        .iter()
                        .filter_map(|p| raw.values(p).first().copied())
                        .collect();
                    if parts.is_empty() {
                        return None;
                    }
                    parts.join(" ")
                }
            },
        },
    };
    let mut out = vec![Name::primary(primary)];
    let strong = |text: &str| {
        if is_non_latin(text) {
            NameKind::OriginalScript
        } else {
            NameKind::StrongAka
        }
    };
    let candidates = names
        .iter()
        .chain(&raw.values("alias"))
        .map(|text| (*text, strong(text)))
        .chain(
            raw.values("weakAlias")
                .into_iter()
                .map(|t| (t, NameKind::WeakAka)),
        )
        .chain(
            raw.values("previousName")
                .into_iter()
                .map(|t| (t, NameKind::Fka)),
        )
        .collect::<Vec<_>>();
    for (text, kind) in candidates {
        if !out.iter().any(|n| n.full == text) {
            out.push(Name::new(text, kind));
        }
    }
    if schema == Schema::Person {
        for name in &mut out {
            name.parts = name_parts(raw, &name.full);
        }
    }
    Some(out)
}

/// Lower-case words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The one value of `property` that occurs in `name` as whole words, if exactly one does
/// (ignoring case); preferring the value written as the name writes it.
fn part_in_name(raw: &RawEntity, properties: &[&str], name: &str) -> Option<String> {
    let name_words = words(name);
    let matching: Vec<&str> = properties
        .iter()
        .flat_map(|p| raw.values(p))
        .filter(|value| {
            let value_words = words(value);
            !value_words.is_empty()
                && name_words
                    .windows(value_words.len())
                    .any(|window| window == value_words.as_slice())
        })
        .collect();
    let first = *matching.first()?;
    let distinct = matching
        .iter()
        .all(|v| v.to_lowercase() == first.to_lowercase());
    if !distinct {
        return None;
    }
    let chosen = matching
        .iter()
        .find(|v| name.contains(**v))
        .unwrap_or(&first);
    Some((*chosen).to_owned())
}

fn name_parts(raw: &RawEntity, name: &str) -> Option<NameParts> {
    let parts = NameParts {
        first: part_in_name(raw, &["firstName"], name),
        middle: part_in_name(raw, &["middleName", "secondName"], name),
        patronymic: part_in_name(raw, &["fatherName", "patronymic"], name),
        last: part_in_name(raw, &["lastName"], name),
    };
    // A word claimed by two parts (`Agha` as middle and father's name) leaves the name's
    // structure unknown.
    let chosen: Vec<Vec<String>> = [&parts.first, &parts.middle, &parts.patronymic, &parts.last]
        .into_iter()
        .flatten()
        .map(|part| words(part))
        .collect();
    let overlapping = chosen.iter().enumerate().any(|(i, a)| {
        chosen
            .iter()
            .skip(i + 1)
            .any(|b| a.iter().any(|word| b.contains(word)))
    });
    (!parts.is_empty() && !overlapping).then_some(parts)
}

/// FtM properties that are identifiers, and what kind.
const IDENTIFIER_PROPERTIES: &[(&str, IdentifierKind)] = &[
    ("passportNumber", IdentifierKind::Passport),
    ("idNumber", IdentifierKind::NationalId),
    ("taxNumber", IdentifierKind::TaxId),
    ("innCode", IdentifierKind::TaxId),
    ("vatCode", IdentifierKind::TaxId),
    ("ogrnCode", IdentifierKind::RegistrationNumber),
    ("swiftBic", IdentifierKind::SwiftBic),
    ("imoNumber", IdentifierKind::Imo),
    ("mmsi", IdentifierKind::Mmsi),
    ("callSign", IdentifierKind::CallSign),
    ("serialNumber", IdentifierKind::AircraftId),
    ("email", IdentifierKind::Email),
    ("phone", IdentifierKind::Phone),
    ("website", IdentifierKind::Website),
];

fn build_entity(stored: &Stored, schema: Schema, list: &str, context: &Context) -> Option<Entity> {
    let raw = &stored.raw;
    let names = names_of(raw, schema)?;
    let primary = names.first()?.full.clone();
    let mut entity = Entity::new(EntityId::new(list, &raw.id), schema, primary);
    entity.names = names;

    for text in raw
        .values("birthDate")
        .into_iter()
        .chain(if schema == Schema::Person {
            Vec::new()
        } else {
            raw.values("incorporationDate")
        })
    {
        match DateOfBirth::parse(text) {
            Some(date) => push_unique_copy(&mut entity.dates_of_birth, date),
            None => push_unique(&mut entity.remarks, &format!("Date of birth: {text}")),
        }
    }
    for place in raw.values("birthPlace") {
        push_unique(&mut entity.places_of_birth, place);
    }
    add_countries(&mut entity, raw);
    entity.gender = raw
        .values("gender")
        .into_iter()
        .find_map(|g| g.parse::<Gender>().ok());

    for (property, kind) in IDENTIFIER_PROPERTIES {
        for value in raw.values(property) {
            // FtM writes IMO numbers as `IMO9312341`; the number is what other lists give.
            let value = match kind {
                IdentifierKind::Imo => value.strip_prefix("IMO").map_or(value, str::trim_start),
                _ => value,
            };
            entity.add_identifier(Identifier::new(kind.clone(), value));
        }
    }
    let registration_kind = if schema == Schema::Aircraft {
        IdentifierKind::AircraftId
    } else {
        IdentifierKind::RegistrationNumber
    };
    for value in raw.values("registrationNumber") {
        entity.add_identifier(Identifier::new(registration_kind.clone(), value));
    }
    let currency = raw
        .values("currency")
        .first()
        .copied()
        .unwrap_or("")
        .to_owned();
    for key in raw.values("publicKey") {
        entity.add_identifier(Identifier::new(
            IdentifierKind::CryptoAddress {
                currency: currency.clone(),
            },
            key,
        ));
    }
    for identifier in context.identifiers.get(&raw.id).into_iter().flatten() {
        // A `passportNumber` that a Passport entity also describes is one passport.
        let same = entity
            .identifiers
            .iter_mut()
            .find(|i| i.kind == identifier.kind && i.value == identifier.value);
        match same {
            Some(existing) => {
                existing.country = existing.country.or(identifier.country);
                existing.issued = existing.issued.or(identifier.issued);
                existing.expires = existing.expires.or(identifier.expires);
            }
            None => entity.add_identifier(identifier.clone()),
        }
    }

    for program in raw
        .values("programId")
        .into_iter()
        .chain(raw.values("program"))
        .chain(
            context
                .programs
                .get(&raw.id)
                .into_iter()
                .flatten()
                .map(String::as_str),
        )
    {
        push_unique(&mut entity.programs, program);
    }
    for title in raw
        .values("title")
        .into_iter()
        .chain(raw.values("position"))
    {
        push_unique(&mut entity.titles, title);
    }
    entity.designation_date = raw
        .values("listingDate")
        .into_iter()
        .filter_map(PartialDate::parse)
        .min()
        .or_else(|| context.listing_dates.get(&raw.id).copied())
        .or_else(|| {
            raw.values("createdAt")
                .into_iter()
                .filter_map(PartialDate::parse)
                .min()
        });

    for note in raw.values("notes") {
        push_unique(&mut entity.remarks, note);
    }
    let topics = raw.values("topics");
    if !topics.is_empty() {
        entity
            .remarks
            .push(format!("Topics: {}", topics.join(", ")));
    }
    for address_id in raw.values("addressEntity") {
        if let Some(address) = context.addresses.get(address_id) {
            push_unique_copy(&mut entity.addresses, address.clone());
        }
    }
    for full in raw.values("address") {
        let address = Address {
            street: Some(full.to_owned()),
            ..Address::default()
        };
        push_unique_copy(&mut entity.addresses, address);
    }
    for referent in &raw.referents {
        entity.links.push(Link {
            relation: "referent".into(),
            target: referent.clone(),
        });
    }
    for holder in raw.values("holder") {
        entity.links.push(Link {
            relation: "holder".into(),
            target: EntityId::new(list, holder).to_string(),
        });
    }
    entity
        .links
        .extend(context.links.get(&raw.id).into_iter().flatten().cloned());
    entity.collect_countries();
    entity.source = source_record(stored);
    Some(entity)
}

/// Where an entity was read.
fn source_record(stored: &Stored) -> SourceRecord {
    SourceRecord {
        format: Format::Ftm.name().to_owned(),
        file: stored.base_name.clone(),
        location: stored.location(),
        raw: stored.text.clone(),
    }
}

fn add_countries(entity: &mut Entity, raw: &RawEntity) {
    let mut unknown = Vec::new();
    for text in raw.values("nationality") {
        match country_code(text) {
            Some(code) => push_unique_copy(&mut entity.nationalities, code),
            None => unknown.push(text),
        }
    }
    for text in raw.values("citizenship") {
        match country_code(text) {
            Some(code) => push_unique_copy(&mut entity.citizenships, code),
            None => unknown.push(text),
        }
    }
    for property in [
        "country",
        "jurisdiction",
        "mainCountry",
        "birthCountry",
        "flag",
    ] {
        for text in raw.values(property) {
            match country_code(text) {
                Some(code) => entity.add_country(code),
                None => unknown.push(text),
            }
        }
    }
    for text in unknown {
        push_unique(&mut entity.remarks, &format!("Country: {text}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_latin_from_other_scripts() {
        assert!(!is_non_latin("Sviatlana Paulauna PACHODAVOVÁ"));
        assert!(!is_non_latin(
            "„Inter Tobacco“, společnost s ručením omezeným"
        ));
        assert!(is_non_latin("Святлана Паўлаўна ПАХОДАВА"));
        assert!(is_non_latin(
            "Дружество с ограничена отговорност „Inter Tobacco“"
        ));
        assert!(is_non_latin("القاعدة في العراق"));
        assert!(is_non_latin("イラク・イスラム国"));
    }
}
