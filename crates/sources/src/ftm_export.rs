//! FollowTheMoney out: an interdict entity as an FtM entity (the shape OpenSanctions exports
//! and yente answers in), and the JSON line `lists export --format ftm` writes.
//!
//! The FtM properties are what FtM tools read: `name` (the primary name and names in their
//! original script), `alias`, `weakAlias`, `previousName`, a person's name parts, `birthDate`
//! (or `incorporationDate`), `nationality`, `citizenship`, `country`, `gender`, `address`,
//! the identifiers by kind (`passportNumber`, `idNumber`, `taxNumber`, `registrationNumber`,
//! `imoNumber`, `swiftBic`, `publicKey`, ...), `program`, `title`, `createdAt` (designation
//! date), `notes` and `topics`. The id is `<list>-<source id>` (FtM ids take no `:`), and the
//! interdict id is the one referent.
//!
//! FtM cannot say everything interdict keeps (a date of birth "circa 1963", an identifier's
//! label, issue date and note, links to other listed entities), so an exported line also
//! carries the entity's canonical JSON under [`EMBEDDED_KEY`]. The reader (`ftm`) takes that
//! entity as it is only when the line's FtM id, schema and properties are still exactly what
//! this module writes for it: an edited line is read from its properties. Export then import
//! thus gives the same content hash, and FtM tools ignore the extra key.

use std::collections::BTreeMap;

use interdict_model::{
    Address, DateOfBirth, Entity, EntityId, Gender, IdentifierKind, NameKind, Schema,
};
use serde_json::{Map, Value, json};

/// The key under which an exported FtM line carries the entity's canonical JSON.
pub const EMBEDDED_KEY: &str = "interdict_entity";

/// FtM properties: property name → values, in a stable order.
pub type FtmProperties = BTreeMap<String, Vec<String>>;

/// The FtM schema an entity is exported as.
pub fn ftm_schema(schema: Schema) -> &'static str {
    match schema {
        Schema::Person => "Person",
        Schema::Organization => "Organization",
        Schema::Vessel => "Vessel",
        Schema::Aircraft => "Airplane",
        Schema::CryptoWallet => "CryptoWallet",
        Schema::Unknown => "LegalEntity",
    }
}

/// The FtM id of an interdict entity: `<list>-<source id>`, with every character FtM ids do
/// not allow (anything but ASCII letters, digits, `.` and `-`) written `-`.
pub fn ftm_id(id: &EntityId) -> String {
    let source: String = id
        .source_id()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-{}", id.list(), source)
}

fn push(properties: &mut FtmProperties, property: &str, value: impl Into<String>) {
    let value = value.into();
    if value.trim().is_empty() {
        return;
    }
    let values = properties.entry(property.to_owned()).or_default();
    if !values.contains(&value) {
        values.push(value);
    }
}

/// A date of birth as FtM dates are written (ISO prefixes): an exact date as it is, a
/// circa date as its date, a range as both ends.
fn ftm_dates(date: &DateOfBirth) -> Vec<String> {
    match date {
        DateOfBirth::Exact { date } | DateOfBirth::Circa { date } => vec![date.to_string()],
        DateOfBirth::Range { from, to } => vec![from.to_string(), to.to_string()],
    }
}

/// An address on one line, as FtM's `address` property holds it.
fn one_line(address: &Address) -> String {
    let country = address
        .country
        .map(|c| interdict_model::country_name(c).to_owned())
        .or_else(|| address.country_name.clone());
    [
        address.street.clone(),
        address.postal_code.clone(),
        address.city.clone(),
        address.region.clone(),
        country,
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// Whether FtM's `LegalEntity` properties (`idNumber`, `taxNumber`, `incorporationDate`,
/// `email`, ...) exist on the schema an entity of `schema` is exported as.
fn is_legal_entity(schema: Schema) -> bool {
    matches!(
        schema,
        Schema::Person | Schema::Organization | Schema::Unknown
    )
}

/// The FtM property an identifier of `kind` goes in, for an entity of `schema`; `None` for
/// what FtM has no property for on that schema (kept in `notes`).
fn identifier_property(kind: &IdentifierKind, schema: Schema) -> Option<&'static str> {
    let legal = is_legal_entity(schema);
    let vehicle = matches!(schema, Schema::Vessel | Schema::Aircraft);
    let property = match kind {
        IdentifierKind::Passport if schema == Schema::Person => "passportNumber",
        IdentifierKind::Imo | IdentifierKind::Mmsi | IdentifierKind::CallSign
            if schema == Schema::Vessel =>
        {
            match kind {
                IdentifierKind::Imo => "imoNumber",
                IdentifierKind::Mmsi => "mmsi",
                _ => "callSign",
            }
        }
        IdentifierKind::AircraftId if schema == Schema::Aircraft => "serialNumber",
        IdentifierKind::RegistrationNumber if legal || vehicle => "registrationNumber",
        IdentifierKind::CryptoAddress { .. } if schema == Schema::CryptoWallet => "publicKey",
        IdentifierKind::CryptoAddress { .. } => return None,
        IdentifierKind::TaxId if legal => "taxNumber",
        IdentifierKind::SwiftBic if legal => "swiftBic",
        IdentifierKind::Email if legal => "email",
        IdentifierKind::Website if legal => "website",
        IdentifierKind::Phone if legal => "phone",
        _ if legal => "idNumber",
        _ => return None,
    };
    Some(property)
}

/// The FtM properties of an entity (see the module's documentation for the mapping).
pub fn ftm_properties(entity: &Entity) -> FtmProperties {
    let mut properties = FtmProperties::new();
    let person = entity.schema == Schema::Person;
    push(&mut properties, "name", entity.name.clone());
    for name in &entity.names {
        let property = match name.kind {
            NameKind::Primary | NameKind::OriginalScript => "name",
            NameKind::StrongAka | NameKind::Nka => "alias",
            NameKind::WeakAka => "weakAlias",
            NameKind::Fka => "previousName",
        };
        push(&mut properties, property, name.full.clone());
        if let (true, Some(parts)) = (person, &name.parts) {
            for (property, part) in [
                ("firstName", &parts.first),
                ("middleName", &parts.middle),
                ("fatherName", &parts.patronymic),
                ("lastName", &parts.last),
            ] {
                if let Some(part) = part {
                    push(&mut properties, property, part.clone());
                }
            }
        }
    }
    // A vessel's or a wallet's date has no FtM property of that meaning: a note.
    let date_property = match entity.schema {
        Schema::Person => Some("birthDate"),
        schema if is_legal_entity(schema) => Some("incorporationDate"),
        _ => None,
    };
    for date in &entity.dates_of_birth {
        match date_property {
            Some(property) => {
                for text in ftm_dates(date) {
                    push(&mut properties, property, text);
                }
            }
            None => push(&mut properties, "notes", format!("Date: {date}")),
        }
    }
    let country = |code: &interdict_model::CountryCode| code.as_str().to_ascii_lowercase();
    if person {
        for place in &entity.places_of_birth {
            push(&mut properties, "birthPlace", place.clone());
        }
        for code in &entity.nationalities {
            push(&mut properties, "nationality", country(code));
        }
        for code in &entity.citizenships {
            push(&mut properties, "citizenship", country(code));
        }
        if let Some(gender) = entity.gender {
            let gender = match gender {
                Gender::Male => "male",
                Gender::Female => "female",
            };
            push(&mut properties, "gender", gender);
        }
        for title in &entity.titles {
            push(&mut properties, "title", title.clone());
        }
    }
    for code in &entity.countries {
        let elsewhere =
            person && (entity.nationalities.contains(code) || entity.citizenships.contains(code));
        if !elsewhere {
            push(&mut properties, "country", country(code));
        }
    }
    for address in &entity.addresses {
        push(&mut properties, "address", one_line(address));
    }
    for identifier in &entity.identifiers {
        match identifier_property(&identifier.kind, entity.schema) {
            Some("imoNumber") => {
                let value = identifier.value.trim();
                let prefixed = if value.starts_with("IMO") {
                    value.to_owned()
                } else {
                    format!("IMO{value}")
                };
                push(&mut properties, "imoNumber", prefixed);
            }
            Some(property) => {
                push(&mut properties, property, identifier.value.clone());
                if let IdentifierKind::CryptoAddress { currency } = &identifier.kind {
                    push(&mut properties, "currency", currency.clone());
                }
            }
            None => {
                let note = match &identifier.kind {
                    IdentifierKind::CryptoAddress { currency } => {
                        format!("Digital currency address {currency} {}", identifier.value)
                    }
                    other => format!("{}: {}", other.label(), identifier.value),
                };
                push(&mut properties, "notes", note);
            }
        }
    }
    for program in &entity.programs {
        push(&mut properties, "program", program.clone());
    }
    if let Some(date) = entity.designation_date {
        push(&mut properties, "createdAt", date.to_string());
    }
    for remark in &entity.remarks {
        push(&mut properties, "notes", remark.clone());
    }
    push(&mut properties, "topics", "sanction");
    properties
}

/// The entity's canonical JSON: its serde form without provenance, as hashed.
fn canonical(entity: &Entity) -> Result<Value, serde_json::Error> {
    let mut value = serde_json::to_value(entity)?;
    if let Some(object) = value.as_object_mut() {
        object.remove("source");
    }
    Ok(value)
}

/// An entity as an FtM JSON object: `id`, `caption`, `schema`, `properties`, `referents`
/// (the interdict id), `datasets` (the list), `target`, and the canonical entity under
/// [`EMBEDDED_KEY`] when `embed` is set.
pub fn ftm_entity(entity: &Entity, embed: bool) -> Result<Value, serde_json::Error> {
    let mut object = Map::new();
    object.insert("id".into(), json!(ftm_id(&entity.id)));
    object.insert("caption".into(), json!(entity.name));
    object.insert("schema".into(), json!(ftm_schema(entity.schema)));
    object.insert(
        "properties".into(),
        serde_json::to_value(ftm_properties(entity))?,
    );
    object.insert("referents".into(), json!([entity.id.as_str()]));
    object.insert("datasets".into(), json!([entity.id.list()]));
    object.insert("target".into(), json!(true));
    if embed {
        object.insert(EMBEDDED_KEY.into(), canonical(entity)?);
    }
    Ok(Value::Object(object))
}

/// One line of an FtM export (without its line break): the entity as [`ftm_entity`] writes
/// it, with the canonical entity embedded so that a re-import is exact.
pub fn ftm_line(entity: &Entity) -> Result<String, serde_json::Error> {
    serde_json::to_string(&ftm_entity(entity, true)?)
}

/// The entity embedded in an exported line, when the line is still exactly what
/// [`ftm_entity`] writes for it (same FtM id, schema, properties and list); `None` for any
/// other line, which is then read from its FtM properties.
pub(crate) fn embedded_entity(
    id: &str,
    schema: &str,
    properties: &Map<String, Value>,
    embedded: &Value,
    list: &str,
) -> Option<Entity> {
    let mut value = embedded.clone();
    // Provenance is not content: the reader sets it from the file.
    value.as_object_mut()?.insert(
        "source".into(),
        serde_json::to_value(interdict_model::SourceRecord::default()).ok()?,
    );
    let entity: Entity = serde_json::from_value(value).ok()?;
    let written = serde_json::to_value(ftm_properties(&entity)).ok()?;
    let unchanged = entity.id.list() == list
        && ftm_id(&entity.id) == id
        && ftm_schema(entity.schema) == schema
        && written.as_object() == Some(properties);
    unchanged.then_some(entity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{Identifier, Name, PartialDate, country_code};

    fn person() -> Entity {
        let mut entity = Entity::new(
            EntityId::new("un-sc", "QDi.430"),
            Schema::Person,
            "Ivan PETROV",
        );
        entity
            .names
            .push(Name::new("Иван Петров", NameKind::OriginalScript));
        entity.names.push(Name::new("Vanya", NameKind::WeakAka));
        entity.dates_of_birth.push(DateOfBirth::Circa {
            date: PartialDate::year(1963),
        });
        entity.nationalities.extend(country_code("Russia"));
        entity.collect_countries();
        entity
            .identifiers
            .push(Identifier::new(IdentifierKind::Passport, "AB123"));
        entity.identifiers.push(Identifier::new(
            IdentifierKind::CryptoAddress {
                currency: "XBT".into(),
            },
            "1abc",
        ));
        entity
    }

    #[test]
    fn writes_ftm_properties_by_kind() {
        let properties = ftm_properties(&person());
        assert_eq!(properties["name"], ["Ivan PETROV", "Иван Петров"]);
        assert_eq!(properties["weakAlias"], ["Vanya"]);
        assert_eq!(properties["birthDate"], ["1963"]);
        assert_eq!(properties["nationality"], ["ru"]);
        assert!(
            !properties.contains_key("country"),
            "a nationality is not repeated as country"
        );
        assert_eq!(properties["passportNumber"], ["AB123"]);
        assert_eq!(properties["notes"], ["Digital currency address XBT 1abc"]);
        assert_eq!(properties["topics"], ["sanction"]);

        // A vessel has no `idNumber` or `incorporationDate` in FtM: notes instead.
        let mut vessel = Entity::new(EntityId::new("ofac-sdn", "15037"), Schema::Vessel, "ARK");
        vessel
            .identifiers
            .push(Identifier::new(IdentifierKind::Imo, "9187655"));
        vessel
            .identifiers
            .push(Identifier::new(IdentifierKind::TaxId, "T1"));
        vessel.dates_of_birth.push(DateOfBirth::Exact {
            date: PartialDate::year(1999),
        });
        let properties = ftm_properties(&vessel);
        assert_eq!(properties["imoNumber"], ["IMO9187655"]);
        assert_eq!(properties["notes"], ["Date: 1999", "tax_id: T1"]);
        assert!(!properties.contains_key("idNumber") && !properties.contains_key("taxNumber"));
    }

    #[test]
    fn ids_are_ftm_ids_and_the_interdict_id_is_the_referent() {
        let entity = person();
        assert_eq!(ftm_id(&entity.id), "un-sc-QDi.430");
        assert_eq!(
            ftm_id(&EntityId::new("ofac-sdn", "a b:c")),
            "ofac-sdn-a-b-c"
        );
        let value = ftm_entity(&entity, false).expect("serialisable");
        assert_eq!(value["referents"], json!(["un-sc:QDi.430"]));
        assert_eq!(value["schema"], "Person");
        assert!(value.get(EMBEDDED_KEY).is_none());
    }

    #[test]
    fn the_embedded_entity_is_taken_only_from_an_unedited_line() {
        let entity = person();
        let value = ftm_entity(&entity, true).expect("serialisable");
        let properties = value["properties"].as_object().expect("object").clone();
        let embedded = &value[EMBEDDED_KEY];
        let read = embedded_entity("un-sc-QDi.430", "Person", &properties, embedded, "un-sc")
            .expect("unedited");
        assert_eq!(read, entity);
        // Another list, or an edited property, is read from the properties instead.
        assert!(embedded_entity("un-sc-QDi.430", "Person", &properties, embedded, "eu").is_none());
        let mut edited = properties.clone();
        edited.insert("name".into(), json!(["Someone Else"]));
        assert!(embedded_entity("un-sc-QDi.430", "Person", &edited, embedded, "un-sc").is_none());
    }
}
