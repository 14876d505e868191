//! The listed entity and its parts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{CountryCode, DateOfBirth, Identifier, Name, PartialDate};

/// A stable entity id: `<list-id>:<source-id>`, e.g. `ofac-sdn:36` or `un-sc:QDi.430`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(String);

impl EntityId {
    /// Builds the id of record `source_id` on list `list`.
    pub fn new(list: &str, source_id: &str) -> Self {
        EntityId(format!("{list}:{source_id}"))
    }

    /// The whole id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The list part (before the first `:`).
    pub fn list(&self) -> &str {
        self.0.split_once(':').map_or(&self.0, |(list, _)| list)
    }

    /// The source record id part (after the first `:`).
    pub fn source_id(&self) -> &str {
        self.0.split_once(':').map_or("", |(_, id)| id)
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EntityId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((list, id)) if !list.is_empty() && !id.is_empty() => Ok(EntityId(s.to_owned())),
            _ => Err(format!(
                "entity id {s:?} is not of the form <list>:<source-id>"
            )),
        }
    }
}

/// What kind of thing an entity is. Matching never pairs incompatible schemas
/// (a person never matches a vessel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schema {
    /// A natural person.
    Person,
    /// A company, organisation, government body, group or other legal entity.
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// A digital-currency wallet listed on its own.
    CryptoWallet,
    /// The source does not say; compatible with everything.
    Unknown,
}

impl Schema {
    /// The lowercase name used in the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "person",
            Schema::Organization => "organization",
            Schema::Vessel => "vessel",
            Schema::Aircraft => "aircraft",
            Schema::CryptoWallet => "crypto_wallet",
            Schema::Unknown => "unknown",
        }
    }

    /// Whether an entity of schema `self` may be the same thing as one of `other`.
    pub fn compatible(self, other: Schema) -> bool {
        self == other || self == Schema::Unknown || other == Schema::Unknown
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Schema {
    type Err = String;

    /// Accepts the names used by the lists and by FollowTheMoney, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let schema = match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" => Schema::Person,
            "organization" | "organisation" | "company" | "legalentity" | "legal_entity"
            | "entity" | "publicbody" => Schema::Organization,
            "vessel" | "ship" => Schema::Vessel,
            "aircraft" | "airplane" => Schema::Aircraft,
            "crypto_wallet" | "cryptowallet" | "wallet" => Schema::CryptoWallet,
            "unknown" | "thing" | "legal" => Schema::Unknown,
            other => return Err(format!("unknown schema {other:?}")),
        };
        Ok(schema)
    }
}

/// Gender as stated by the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl FromStr for Gender {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "m" => Ok(Gender::Male),
            "female" | "f" => Ok(Gender::Female),
            other => Err(format!("unknown gender {other:?}")),
        }
    }
}

/// A postal address, as structured as the source allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City, possibly with state and postal code when the source does not split them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country, normalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The country as the source wrote it, when it could not be normalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
    /// Anything else the source said about the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A link to another listed party ("Linked To:" in OFAC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// How they are linked, e.g. `linked_to`, `owned_by`, `referent`.
    pub relation: String,
    /// The other party: an entity id when the source gives one, otherwise its name.
    pub target: String,
}

/// Where an entity came from, for provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// The list format, e.g. `ofac-sdn-csv`.
    pub format: String,
    /// The file the record came from (file name only).
    pub file: String,
    /// Where in the file: `line 12`, `record 7`, an XML path.
    pub location: String,
    /// The record as the source wrote it (a CSV line, an XML element, a JSON object).
    pub raw: String,
}

/// A listed party: a person, organisation, vessel, aircraft or wallet on a sanctions list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `<list-id>:<source-id>`.
    pub id: EntityId,
    /// What kind of thing it is.
    pub schema: Schema,
    /// The primary name, also present in `names` with [`crate::NameKind::Primary`].
    pub name: String,
    /// Every name: the primary name first, then aliases in source order.
    pub names: Vec<Name>,
    /// Dates of birth (or of incorporation, for organisations where the list gives one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<DateOfBirth>,
    /// Places of birth as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places_of_birth: Vec<String>,
    /// Nationalities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<CountryCode>,
    /// Citizenships.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<CountryCode>,
    /// Every country the entity is tied to (nationality, citizenship, address, flag,
    /// jurisdiction), deduplicated; what country matching compares against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
    /// Gender, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Identifiers: passports, national ids, IMO numbers, wallet addresses, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Sanctions programmes, e.g. `SDGT`, `RUSSIA-EO14024`, `TAi`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// Titles, positions and designations ("Member of the State Duma").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<String>,
    /// When the entity was listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designation_date: Option<PartialDate>,
    /// Free-text remarks the parser did not turn into fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// Links to other parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The source list within a combined list (e.g. the US CSL's `Entity List (EL)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_list: Option<String>,
    /// Where the entity came from. Not part of its content: a record that moved to another
    /// line is the same record, so this is left out of [`crate::entity_hash`] and of diffs.
    pub source: SourceRecord,
}

impl Entity {
    /// A new entity with just an id, schema and primary name; the primary name is also
    /// recorded in `names`.
    pub fn new(id: EntityId, schema: Schema, name: impl Into<String>) -> Self {
        let name = name.into();
        Entity {
            id,
            schema,
            names: vec![Name::primary(name.clone())],
            name,
            dates_of_birth: Vec::new(),
            places_of_birth: Vec::new(),
            nationalities: Vec::new(),
            citizenships: Vec::new(),
            countries: Vec::new(),
            gender: None,
            addresses: Vec::new(),
            identifiers: Vec::new(),
            programs: Vec::new(),
            titles: Vec::new(),
            designation_date: None,
            remarks: Vec::new(),
            links: Vec::new(),
            source_list: None,
            source: SourceRecord::default(),
        }
    }

    /// Adds a name unless the same text of the same kind is already there.
    pub fn add_name(&mut self, name: Name) {
        if !name.full.trim().is_empty()
            && !self
                .names
                .iter()
                .any(|n| n.full == name.full && n.kind == name.kind)
        {
            self.names.push(name);
        }
    }

    /// Adds an identifier unless an equal one is already there.
    pub fn add_identifier(&mut self, identifier: Identifier) {
        if !identifier.value.trim().is_empty() && !self.identifiers.contains(&identifier) {
            self.identifiers.push(identifier);
        }
    }

    /// Adds a country to `countries` unless present.
    pub fn add_country(&mut self, country: CountryCode) {
        if !self.countries.contains(&country) {
            self.countries.push(country);
        }
    }

    /// Recomputes `countries` so that it also holds every nationality, citizenship and
    /// address country. Parsers call this once an entity is complete.
    pub fn collect_countries(&mut self) {
        let extra: Vec<CountryCode> = self
            .nationalities
            .iter()
            .chain(&self.citizenships)
            .copied()
            .chain(self.addresses.iter().filter_map(|a| a.country))
            .collect();
        for country in extra {
            self.add_country(country);
        }
    }
}
