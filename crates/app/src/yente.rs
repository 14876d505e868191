//! yente's API, answered by interdict: the request and response types of `POST
//! /match/{dataset}`, `GET /entities/{id}`, `GET /search/{dataset}`, `GET /catalog` and `GET
//! /algorithms` as yente (OpenSanctions' screening API) defines them, and the one mapping of a
//! FollowTheMoney query entity onto interdict's screenings.
//!
//! A yente query is an FtM entity: a schema and properties. Each of its names (`name`,
//! `alias`, `previousName`; else the name parts joined) becomes one [`Screening`] with the
//! query's date of birth (`birthDate`, `incorporationDate`), countries (`nationality`,
//! `citizenship`, `country`, `jurisdiction`, `birthCountry`, `mainCountry`, `flag`) and
//! identifiers (`idNumber`, `passportNumber`, `taxNumber`, `registrationNumber`, `imoNumber`,
//! `swiftBic`, `publicKey`, ...); each screening runs through the ordinary use case and is
//! recorded in the audit trail, and a listed entity's score for the query is its best score
//! over the query's names. Results are FtM entities (`ftm_export`) with yente's `score`,
//! `match` (score ≥ `threshold`) and `explanations`; `total.value` counts every candidate with
//! `match` true before `limit` is applied, as yente's does.
//!
//! Datasets are interdict's lists: `default` is every active list, each list id is a
//! dataset of its own, and each stored collection ([`crate::datasets`]) names a set of lists. Errors carry yente's status codes and its `{"detail"}` body
//! ([`YenteError::status`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::cross_list::PartyMatch;
use crate::entity_history::EntityHistory;
use crate::ownership::OwnershipHits;
use interdict_model::{Entity, country_code};
use interdict_sources::ftm_export::{ftm_entity, ftm_id, ftm_schema};
use interdict_store::{AlertFilter, AlertStatus, AlertSubjectKind, DatasetCollection, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::contract::{IdentifierRequest, MatchJson, ScreenRequest};
use crate::screening::{ENGINE_VERSION, Limits};
use crate::{ActiveLists, Error, Screening};

/// Most queries in one `/match` request, as yente's `YENTE_MAX_BATCH` default.
pub const MAX_BATCH: usize = 100;
/// Results per query when `limit` is not given (yente's `MATCH_PAGE`).
pub const DEFAULT_LIMIT: usize = 5;
/// The largest `limit` a `/match` accepts (yente's `MAX_MATCHES`).
pub const MAX_MATCHES: usize = 500;
/// Candidates scored per result asked for (yente's `MATCH_CANDIDATES`): `total.value`
/// counts the matches among them, not only among the `limit` returned.
const MATCH_CANDIDATES: usize = 10;
/// The fewest candidates scored per query, even for `limit=1` (yente's floor).
const MIN_CANDIDATES: usize = 20;
/// The most candidates scored per query unless `limit` is larger (yente's
/// `MAX_MATCH_CANDIDATES`).
const MAX_MATCH_CANDIDATES: usize = 500;
/// Results of `/search` when `limit` is not given (yente's search page).
pub const DEFAULT_SEARCH_LIMIT: usize = 10;
/// The dataset that holds every active list.
pub const DEFAULT_DATASET: &str = crate::datasets::DEFAULT_DATASET;
/// interdict's own algorithm name.
pub const ALGORITHM: &str = "interdict";
/// The lowest score `/search` lists: a search shows near names a screening would not.
const SEARCH_THRESHOLD: f64 = 0.5;

/// What goes wrong in a yente call, each with yente's status code.
#[derive(Debug, thiserror::Error)]
pub enum YenteError {
    /// A request yente refuses with 400: an empty or too large batch, an unknown algorithm
    /// or configuration key, a query entity that cannot be read.
    #[error("{0}")]
    BadRequest(String),
    /// An unknown dataset or entity (404).
    #[error("{0}")]
    NotFound(String),
    /// A parameter out of range or malformed, which yente's validation answers with 422.
    #[error("{0}")]
    Invalid(String),
    /// The use case failed (no lists, the store).
    #[error(transparent)]
    App(#[from] Error),
}

impl YenteError {
    /// The HTTP status yente answers this with; `None` for [`YenteError::App`], whose status
    /// is the service's ordinary one.
    pub fn status(&self) -> Option<u16> {
        match self {
            YenteError::BadRequest(_) => Some(400),
            YenteError::NotFound(_) => Some(404),
            YenteError::Invalid(_) => Some(422),
            YenteError::App(_) => None,
        }
    }
}

/// The body of every yente error.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorResponse {
    /// What went wrong.
    pub detail: String,
}

/// A query entity: an FtM schema and properties (each a value or a list of values).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityExample {
    /// The caller's id, echoed.
    #[serde(default)]
    pub id: Option<String>,
    /// The FtM schema: `Person`, `Company`, `Organization`, `LegalEntity`, `Vessel`, ...
    #[schema(example = "Person")]
    pub schema: String,
    /// FtM properties: `name`, `birthDate`, `nationality`, `idNumber`, ...
    #[schema(value_type = Object)]
    pub properties: Map<String, Value>,
}

/// The body of `POST /match/{dataset}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MatchRequest {
    /// Per-feature weights of yente's algorithms ([`LOGIC_V2_FEATURES`]): accepted, as yente
    /// accepts any, and not applied (interdict's matcher has no per-feature weights); the
    /// answer's `x-interdict-not-applied` header names them.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Algorithm configuration: keys of logic-v2's ([`LOGIC_V2_CONFIG`]) are accepted for
    /// `best` and `logic-v2` and not applied (named in `x-interdict-not-applied`); any other
    /// key is refused, as yente refuses a key its algorithm does not know.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config: Map<String, Value>,
    /// The queries by the caller's key; a `null` query is skipped, as yente skips it.
    #[schema(value_type = Object)]
    pub queries: BTreeMap<String, Option<EntityExample>>,
}

/// The number of results that matched, and how exact that count is: `eq`, or `gte` when a
/// query's candidates ran out before its matches did (there may be more).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotalSpec {
    /// The count.
    pub value: usize,
    /// `eq`.
    pub relation: String,
}

/// The answer to one query.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMatches {
    /// 200.
    pub status: u16,
    /// FtM entities with `score`, `match` and `explanations`, best first.
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<Value>,
    /// How many candidates have `match` true, `limit` aside.
    pub total: TotalSpec,
    /// The query as understood.
    pub query: EntityExample,
}

/// The answer to `POST /match/{dataset}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityMatchResponse {
    /// One answer per query key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The results limit applied.
    pub limit: usize,
}

/// The query parameters of `/match`, as yente names them.
#[derive(Debug, Clone, Default)]
pub struct MatchParams {
    /// Results per query (default 5).
    pub limit: Option<usize>,
    /// The score from which a result is a match (default 0.70).
    pub threshold: Option<f64>,
    /// Deprecated in yente: the score below which results are not returned at all (never
    /// above `threshold`).
    pub cutoff: Option<f64>,
    /// `best`, `interdict`, or a yente algorithm name interdict answers for.
    pub algorithm: Option<String>,
    /// Only results from these datasets.
    pub include_dataset: Vec<String>,
    /// No results from these datasets.
    pub exclude_dataset: Vec<String>,
    /// No results of these FtM schemata.
    pub exclude_schema: Vec<String>,
    /// Only results with one of these topics.
    pub topics: Vec<String>,
    /// Only entities whose `last_change` is at or after this time (`YYYY-MM-DDTHH:MM:SS`,
    /// completed from yente's shorter forms).
    pub changed_since: Option<String>,
    /// No results with these ids (interdict or FtM ids).
    pub exclude_entity_ids: Vec<String>,
    /// interdict's extension (`exclude_cleared=true`): for a query with an `id` (the
    /// caller's customer id), no results whose alert for that customer was decided
    /// `false_positive` through the four-eyes review; the audit record names them.
    pub exclude_cleared: bool,
}

fn parse_number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, YenteError> {
    value
        .trim()
        .parse()
        .map_err(|_| YenteError::Invalid(format!("{name}: {value:?} is not a valid number")))
}

/// yente's pattern for `changed_since`: `YYYY-MM-DD`, optionally with `THH[:MM[:SS]]`.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let date = bytes.len() >= 10
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10);
    let time = match bytes.len() {
        10 => true,
        13 => bytes[10] == b'T' && digits(11..13),
        16 => bytes[10] == b'T' && digits(11..13) && bytes[13] == b':' && digits(14..16),
        19 => {
            bytes[10] == b'T'
                && digits(11..13)
                && bytes[13] == b':'
                && digits(14..16)
                && bytes[16] == b':'
                && digits(17..19)
        }
        _ => false,
    };
    date && time
}

impl MatchParams {
    /// Reads the parameters from a query string's decoded pairs (list parameters repeat,
    /// `?exclude_schema=Vessel&exclude_schema=Airplane`). Unknown parameters are ignored, as
    /// yente ignores them. `changed_since` must have yente's form
    /// (`YYYY-MM-DD[THH[:MM[:SS]]]`).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<MatchParams, YenteError> {
        let mut params = MatchParams::default();
        for (key, value) in pairs {
            match key.as_str() {
                "limit" => params.limit = Some(parse_number("limit", value)?),
                "threshold" => params.threshold = Some(parse_number("threshold", value)?),
                "cutoff" => params.cutoff = Some(parse_number("cutoff", value)?),
                "algorithm" => params.algorithm = Some(value.clone()),
                "include_dataset" => params.include_dataset.push(value.clone()),
                "exclude_dataset" => params.exclude_dataset.push(value.clone()),
                "exclude_schema" => params.exclude_schema.push(value.clone()),
                "topics" => params.topics.push(value.clone()),
                "exclude_entity_ids" => params.exclude_entity_ids.push(value.clone()),
                "exclude_cleared" => {
                    params.exclude_cleared = match value.trim() {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        other => {
                            return Err(YenteError::Invalid(format!(
                                "exclude_cleared: {other:?} is not true or false"
                            )));
                        }
                    }
                }
                "changed_since" => {
                    if !is_timestamp(value) {
                        return Err(YenteError::Invalid(format!(
                            "changed_since: {value:?} does not match YYYY-MM-DD[THH[:MM[:SS]]]"
                        )));
                    }
                    // Completed to the seconds, it compares as text with the history's times.
                    let rest = "T00:00:00".get(value.len().saturating_sub(10)..);
                    let completed = format!("{value}{}", rest.unwrap_or_default());
                    params.changed_since = Some(completed);
                }
                _ => {}
            }
        }
        // yente caps the id list at 50.
        if params.exclude_entity_ids.len() > 50 {
            return Err(YenteError::Invalid(
                "exclude_entity_ids: at most 50 ids are accepted".into(),
            ));
        }
        Ok(params)
    }
}

/// How interdict answers an algorithm name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Names, dates of birth, countries and identifiers.
    Full,
    /// Names only (yente's `name-based`).
    NamesOnly,
}

/// The algorithms interdict answers for: its own, `best`, and yente's names it can honour,
/// each with what interdict does for it.
const ALGORITHMS: &[(&str, Reading, &str)] = &[
    (
        ALGORITHM,
        Reading::Full,
        "interdict's matcher: names (transliterated, token-aligned, rarity-weighted) with date \
         of birth, countries, gender and decisive identifiers",
    ),
    (
        "logic-v2",
        Reading::Full,
        "answered by interdict's matcher (names, date of birth, countries, identifiers)",
    ),
    (
        "logic-v1",
        Reading::Full,
        "answered by interdict's matcher (names, date of birth, countries, identifiers)",
    ),
    (
        "name-qualified",
        Reading::Full,
        "answered by interdict's matcher: names, qualified by date of birth, countries and \
         identifiers",
    ),
    (
        "name-based",
        Reading::NamesOnly,
        "answered by interdict's matcher on the query's names alone",
    ),
];

/// logic-v2's features (nomenklatura's `LogicV2.features`): the names a yente client gives
/// `weights` under. yente passes weights to the algorithm, which ignores names it does not
/// know, so any name is accepted; interdict's matcher has no per-feature weights, so none is
/// applied, and the answer says so ([`MatchBatch::not_applied`]).
pub const LOGIC_V2_FEATURES: &[&str] = &[
    "name_match",
    "address_entity_match",
    "crypto_wallet_address",
    "isin_security_match",
    "lei_code_match",
    "ogrn_code_match",
    "vessel_imo_mmsi_match",
    "inn_code_match",
    "bic_code_match",
    "uei_code_match",
    "npi_code_match",
    "identifier_match",
    "weak_alias_match",
    "address_prop_match",
    "country_mismatch",
    "dob_year_disjoint",
    "dob_day_disjoint",
    "gender_mismatch",
];

/// logic-v2's configuration keys (nomenklatura's `LogicV2.CONFIG`): yente refuses any other
/// key, so interdict does too when the algorithm asked is `best` or `logic-v2` (yente's
/// `best` is logic-v2); accepted keys are not applied ([`MatchBatch::not_applied`]).
pub const LOGIC_V2_CONFIG: &[&str] = &[
    "nm_name_property",
    "nm_number_mismatch",
    "nm_extra_query_name",
    "nm_extra_result_name",
    "nm_family_name_weight",
    "nm_fuzzy_cutoff_factor",
];

/// The algorithm asked for (`best` when none), as interdict answers it: its canonical name,
/// reading, and the configuration keys yente's algorithm of that name accepts; an unknown
/// name is yente's 400.
fn algorithm(
    name: Option<&str>,
) -> Result<(&'static str, Reading, &'static [&'static str]), YenteError> {
    let asked = name.map(str::trim).unwrap_or("best").to_ascii_lowercase();
    let config: &[&str] = match asked.as_str() {
        "best" | "logic-v2" => LOGIC_V2_CONFIG,
        _ => &[],
    };
    let asked = if asked == "best" { ALGORITHM } else { &asked };
    ALGORITHMS
        .iter()
        .find(|(known, ..)| *known == asked)
        .map(|&(known, reading, _)| (known, reading, config))
        .ok_or_else(|| {
            YenteError::BadRequest(format!("Invalid algorithm: {}", name.unwrap_or("best")))
        })
}

/// The list ids a dataset names: every active list for `default`, the list itself for a
/// list id, the active lists of a stored collection ([`crate::datasets`]); else yente's 404.
pub async fn dataset_lists(
    store: &Store,
    dataset: &str,
    lists: &ActiveLists,
) -> Result<Vec<String>, YenteError> {
    if dataset == DEFAULT_DATASET {
        return Ok(lists.versions.keys().cloned().collect());
    }
    if lists.versions.contains_key(dataset) {
        return Ok(vec![dataset.to_owned()]);
    }
    // Only a name that is neither asks the store.
    match store
        .dataset_collection(dataset)
        .await
        .map_err(Error::from)?
    {
        Some(collection) => Ok(collection
            .lists
            .into_iter()
            .filter(|list| lists.versions.contains_key(list))
            .collect()),
        None => Err(YenteError::NotFound("No such dataset.".into())),
    }
}

/// `include_dataset` and `exclude_dataset` as lists: a stored collection (or `default`) stands
/// for its lists, a list id for itself; a name that is neither stays as given and so keeps
/// or drops nothing, as a dataset unknown to yente's index does.
pub async fn expand_dataset_filters(
    store: &Store,
    params: &mut MatchParams,
    lists: &ActiveLists,
) -> Result<(), YenteError> {
    for names in [&mut params.include_dataset, &mut params.exclude_dataset] {
        let mut expanded = Vec::with_capacity(names.len());
        for name in names.iter() {
            match dataset_lists(store, name, lists).await {
                Ok(members) => expanded.extend(members),
                Err(YenteError::NotFound(_)) => expanded.push(name.clone()),
                Err(error) => return Err(error),
            }
        }
        *names = expanded;
    }
    Ok(())
}

/// FtM schemata a query may have, as interdict's schema names (`any` for both people and
/// organisations). Other FtM schemata (Address, Sanction, Ownership, ...) are not matchable.
fn query_schema(schema: &str) -> Result<&'static str, String> {
    let mapped = match schema {
        "Person" => "person",
        "Organization" | "Company" | "PublicBody" => "organization",
        "LegalEntity" | "Thing" => "any",
        "Vessel" => "vessel",
        "Airplane" => "aircraft",
        "CryptoWallet" => "crypto_wallet",
        "Address" | "Sanction" | "Ownership" | "Directorship" | "Family" | "Associate"
        | "Membership" | "Employment" | "Representation" | "UnknownLink" | "Identification"
        | "Passport" | "Position" | "Occupancy" | "Security" | "BankAccount" | "Asset"
        | "RealEstate" | "Vehicle" | "Document" | "Event" | "Payment" | "Contract" | "Note" => {
            return Err(format!("Non-matchable schema for query: {schema}"));
        }
        other => return Err(format!("Unknown schema: {other:?}")),
    };
    Ok(mapped)
}

/// The string values of a property: a string or a list of strings (anything else is not
/// an FtM value).
fn values<'a>(properties: &'a Map<String, Value>, property: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    match properties.get(property) {
        Some(Value::String(text)) => out.push(text.as_str()),
        Some(Value::Array(items)) => out.extend(items.iter().filter_map(Value::as_str)),
        _ => {}
    }
    out.into_iter()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Currencies a wallet address is looked up under when the query gives none (FtM's
/// `currency`): those the lists give for addresses.
const WALLET_CURRENCIES: &[&str] = &[
    "XBT", "ETH", "USDT", "USDC", "XMR", "LTC", "ZEC", "DASH", "BCH", "BSV", "BTG", "ETC", "TRX",
    "XRP",
];

/// The identifier kinds (as [`IdentifierRequest::kind`] labels) an FtM identifier property
/// is compared as. `idNumber` is any state-issued number, so a passport too; `publicKey` is
/// a wallet in the query's `currency`, else in each currency lists use.
fn identifier_kinds(property: &str, currencies: &[&str]) -> Vec<String> {
    let kinds: &[&str] = match property {
        "passportNumber" => &["passport"],
        "idNumber" | "socialSecurityNumber" => &["national_id", "passport"],
        "taxNumber" | "innCode" | "vatCode" => &["tax_id"],
        "registrationNumber" | "ogrnCode" | "leiCode" => &["registration_number"],
        "imoNumber" => &["imo"],
        "mmsi" => &["mmsi"],
        "swiftBic" => &["swift_bic"],
        "serialNumber" => &["aircraft_id"],
        "publicKey" => {
            let currencies = if currencies.is_empty() {
                WALLET_CURRENCIES
            } else {
                currencies
            };
            return currencies
                .iter()
                .map(|c| format!("crypto_address:{}", c.to_ascii_uppercase()))
                .collect();
        }
        _ => &[],
    };
    kinds.iter().map(|k| (*k).to_owned()).collect()
}

/// Properties that hold a query's countries.
const COUNTRY_PROPERTIES: &[&str] = &[
    "nationality",
    "citizenship",
    "country",
    "jurisdiction",
    "birthCountry",
    "mainCountry",
    "flag",
];

/// One query entity read into the screening requests of its names.
struct ReadQuery {
    /// The query as understood, echoed in the response.
    echo: EntityExample,
    /// One request per name.
    requests: Vec<ScreenRequest>,
}

/// Reads a query entity (yente's `Entity.from_example`): its schema, names, date of birth,
/// countries and identifiers. Countries interdict does not know are left out, as yente's
/// cleaning drops values that are not countries.
fn read_query(example: &EntityExample, reading: Reading) -> Result<ReadQuery, String> {
    let schema = query_schema(example.schema.trim())?;
    let properties = &example.properties;
    let mut names: Vec<&str> = Vec::new();
    for property in ["name", "alias", "previousName"] {
        for name in values(properties, property) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let joined;
    if names.is_empty() {
        // yente builds names from the parts when none is given.
        let parts: Vec<&str> = [
            "firstName",
            "secondName",
            "middleName",
            "fatherName",
            "lastName",
        ]
        .iter()
        .filter_map(|p| values(properties, p).first().copied())
        .collect();
        joined = parts.join(" ");
        if !joined.is_empty() {
            names.push(&joined);
        }
    }
    let currencies = values(properties, "currency");
    let mut identifiers = Vec::new();
    let mut echo = Map::new();
    for property in properties.keys() {
        let given = values(properties, property);
        if given.is_empty() {
            continue;
        }
        for kind in identifier_kinds(property, &currencies) {
            for value in &given {
                // FtM writes IMO numbers `IMO9312341`; lists give the number.
                let value = match kind.as_str() {
                    "imo" => value.strip_prefix("IMO").map_or(*value, str::trim),
                    _ => value,
                };
                let identifier = IdentifierRequest {
                    kind: kind.clone(),
                    value: value.to_owned(),
                };
                if !identifiers.contains(&identifier) {
                    identifiers.push(identifier);
                }
            }
        }
        echo.insert(property.clone(), json!(given));
    }
    // The screening's cap; the wallet's currency guesses are the last given up.
    identifiers.truncate(crate::screening::MAX_IDENTIFIERS);
    if names.is_empty() {
        return Err(
            "the query has no name (name, alias or name parts); interdict screens names".into(),
        );
    }
    let date_property = if schema == "person" {
        "birthDate"
    } else {
        "incorporationDate"
    };
    let dob = values(properties, date_property)
        .into_iter()
        .chain(values(properties, "birthDate"))
        .find(|d| interdict_model::DateOfBirth::parse(d).is_some())
        .map(str::to_owned);
    let mut countries: Vec<String> = Vec::new();
    for property in COUNTRY_PROPERTIES {
        for text in values(properties, property) {
            if let Some(code) = country_code(text) {
                let code = code.to_string();
                if !countries.contains(&code) {
                    countries.push(code);
                }
            }
        }
    }
    let (dob, country) = match reading {
        Reading::Full => (dob, (!countries.is_empty()).then(|| countries.join(";"))),
        Reading::NamesOnly => (None, None),
    };
    let requests = names
        .iter()
        .map(|name| ScreenRequest {
            name: (*name).to_owned(),
            dob: dob.clone(),
            country: country.clone(),
            schema: Some(schema.to_owned()),
            threshold: None,
            limit: None,
            identifiers: match reading {
                Reading::Full => identifiers.clone(),
                Reading::NamesOnly => Vec::new(),
            },
        })
        .collect();
    Ok(ReadQuery {
        echo: EntityExample {
            id: example.id.clone(),
            schema: example.schema.trim().to_owned(),
            properties: echo,
        },
        requests,
    })
}

/// Which results a call keeps, beyond the score.
#[derive(Debug, Clone)]
struct ResultFilter {
    lists: Vec<String>,
    exclude_schema: Vec<String>,
    exclude_ids: Vec<String>,
    topics: Vec<String>,
    changed_since: Option<String>,
    history: Arc<EntityHistory>,
}

impl ResultFilter {
    fn new(
        dataset_lists: Vec<String>,
        params: &MatchParams,
        history: Arc<EntityHistory>,
    ) -> ResultFilter {
        let mut lists = dataset_lists;
        if !params.include_dataset.is_empty() {
            lists.retain(|l| params.include_dataset.contains(l));
        }
        lists.retain(|l| !params.exclude_dataset.contains(l));
        ResultFilter {
            lists,
            exclude_schema: params.exclude_schema.clone(),
            exclude_ids: params.exclude_entity_ids.clone(),
            topics: params.topics.clone(),
            changed_since: params.changed_since.clone(),
            history,
        }
    }

    fn keeps(&self, entity: &Entity) -> bool {
        let id = entity.id.as_str();
        self.lists.iter().any(|l| l == entity.id.list())
            && !self
                .exclude_schema
                .iter()
                .any(|s| s == ftm_schema(entity.schema))
            && !self
                .exclude_ids
                .iter()
                .any(|x| x == id || *x == ftm_id(&entity.id))
            // Every listed entity carries the topic `sanction`.
            && (self.topics.is_empty() || self.topics.iter().any(|t| t == "sanction"))
            // An entity the history does not know is kept: the filter only ever narrows.
            && self.changed_since.as_deref().is_none_or(|since| {
                self.history
                    .get(id)
                    .is_none_or(|seen| seen.last_change >= since)
            })
    }
}

/// A `/match` request validated and read into screenings, ready to screen.
#[derive(Debug)]
pub struct MatchBatch {
    screenings: Vec<Screening>,
    /// Per query key: its echo, and the range of its screenings in `screenings`.
    queries: Vec<(String, EntityExample, std::ops::Range<usize>)>,
    algorithm: &'static str,
    limit: usize,
    threshold: f64,
    filter: ResultFilter,
    not_applied: Vec<String>,
    weight: u64,
    /// The matches each screening asked for (yente's candidates, within the budget).
    screened_limit: usize,
    /// Whether to leave out entities cleared for the query's customer.
    exclude_cleared: bool,
    /// Per query (in `queries` order): the entities cleared for its customer, with the
    /// alert that cleared each ([`MatchBatch::load_cleared`]).
    cleared: Vec<BTreeMap<String, i64>>,
}

impl MatchBatch {
    /// Validates a `/match` request for the (active) lists its dataset
    /// names ([`dataset_lists`], yente's first check): yente's checks in yente's order
    /// (algorithm and its configuration, batch size, then each query), and interdict's
    /// limits. Each name of each query becomes one [`Screening`].
    pub fn new(
        dataset_lists: Vec<String>,
        request: MatchRequest,
        params: &MatchParams,
        history: Arc<EntityHistory>,
        limits: Limits,
    ) -> Result<MatchBatch, YenteError> {
        let (algorithm, reading, config_keys) = algorithm(params.algorithm.as_deref())?;
        // yente names the algorithm `best` stands for (logic-v2) in this message.
        let asked_name = match params.algorithm.as_deref().unwrap_or("best").trim() {
            name if name.eq_ignore_ascii_case("best") => "logic-v2",
            name => name,
        };
        if let Some(key) = request
            .config
            .keys()
            .find(|key| !config_keys.contains(&key.as_str()))
        {
            return Err(YenteError::BadRequest(format!(
                "Invalid configuration parameter: {key} for algorithm {asked_name}"
            )));
        }
        // Accepted as yente accepts them, applied by neither: said in the answer.
        let not_applied = request
            .weights
            .keys()
            .map(|key| format!("weights.{key}"))
            .chain(request.config.keys().map(|key| format!("config.{key}")))
            .collect();
        let queries: Vec<(String, EntityExample)> = request
            .queries
            .into_iter()
            .filter_map(|(key, query)| query.map(|q| (key, q)))
            .collect();
        if queries.len() > MAX_BATCH {
            return Err(YenteError::BadRequest(format!(
                "Too many queries in one batch (limit: {MAX_BATCH})"
            )));
        }
        if queries.is_empty() {
            return Err(YenteError::BadRequest("No queries provided.".into()));
        }
        let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_MATCHES {
            return Err(YenteError::Invalid(format!(
                "limit: {limit} is not in [1, {MAX_MATCHES}]"
            )));
        }
        let threshold = params
            .threshold
            .unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
        let cutoff = params.cutoff.unwrap_or(threshold).min(threshold);
        for (name, value) in [("threshold", threshold), ("cutoff", cutoff)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(YenteError::Invalid(format!(
                    "{name}: {value} is not in [0, 1]"
                )));
            }
        }
        let filter = ResultFilter::new(dataset_lists, params, history);
        // yente's limit reaches past the screening's own cap (100).
        let limits = Limits {
            max_matches: limits.max_matches.max(MAX_MATCHES),
            ..limits
        };
        let mut read = Vec::new();
        for (key, example) in queries {
            let query = read_query(&example, reading)
                .map_err(|e| YenteError::BadRequest(format!("Cannot parse example entity: {e}")))?;
            read.push((key, query));
        }
        // Each name is screened for yente's number of candidates (ten per result asked,
        // at least 20, at most 500 unless `limit` is larger), so that `total.value` counts
        // the matches beyond `limit` as yente's does and a filter rarely leaves a query
        // fewer results than it would have had. The batch's budget of matches bounds the
        // work (and the audit record): a batch of 100 queries at limit 500 screens each name
        // for at most 10,000 / 100 matches, and a count cut short says `gte`.
        let names: usize = read.iter().map(|(_, q)| q.requests.len()).sum();
        let candidates = (limit * MATCH_CANDIDATES)
            .max(MIN_CANDIDATES)
            .min(MAX_MATCH_CANDIDATES.max(limit));
        let screened_limit = candidates
            .min(limits.max_batch_matches / names.max(1))
            .max(1);
        let mut screenings = Vec::with_capacity(names);
        let mut queries = Vec::with_capacity(read.len());
        for (key, query) in read {
            let start = screenings.len();
            for mut request in query.requests {
                request.threshold = Some(cutoff);
                request.limit = Some(screened_limit);
                let screening = Screening::new(request, limits, &format!("queries.{key}."))
                    .map_err(|e| {
                        YenteError::BadRequest(format!("Cannot parse example entity: {e}"))
                    })?;
                screenings.push(screening);
            }
            queries.push((key, query.echo, start..screenings.len()));
        }
        crate::screening::check_batch(&screenings, limits)
            .map_err(|e| YenteError::BadRequest(e.to_string()))?;
        let weight = (names as u64)
            .saturating_mul(limit.div_ceil(crate::screening::DEFAULT_LIMIT).max(1) as u64);
        Ok(MatchBatch {
            screenings,
            queries,
            algorithm,
            limit,
            threshold,
            filter,
            not_applied,
            weight,
            screened_limit,
            exclude_cleared: params.exclude_cleared,
            cleared: Vec::new(),
        })
    }

    /// The screenings to run ([`ActiveLists::screen`]), one per name of each query.
    pub fn screenings(&self) -> &[Screening] {
        &self.screenings
    }

    /// What the batch weighs against a caller's request budget: as [`crate::screening::weight`]
    /// weighs screenings at the `limit` the caller asked for (the extra candidates screened
    /// for `total.value` are bounded by the batch's budget of matches, not charged).
    pub fn weight(&self) -> u64 {
        self.weight
    }

    /// The `weights` and `config` entries the request gave (`weights.NAME`, `config.KEY`),
    /// accepted as yente accepts them and applied by interdict's matcher to nothing.
    pub fn not_applied(&self) -> &[String] {
        &self.not_applied
    }

    /// With `exclude_cleared`, reads each query's cleared entities: those whose alert for
    /// the customer the query's `id` names was decided `false_positive` (approved through
    /// the four-eyes review). A query without an `id` has none.
    pub async fn load_cleared(&mut self, store: &Store) -> Result<(), YenteError> {
        if !self.exclude_cleared {
            return Ok(());
        }
        let mut cleared = Vec::with_capacity(self.queries.len());
        for (_, echo, _) in &self.queries {
            let Some(customer) = echo.id.as_deref().filter(|id| !id.trim().is_empty()) else {
                cleared.push(BTreeMap::new());
                continue;
            };
            let filter = AlertFilter {
                status: Some(AlertStatus::FalsePositive),
                customer_id: Some(customer.to_owned()),
                subject_kind: Some(AlertSubjectKind::Customer),
                awaiting_approval: false,
            };
            let alerts = store.alerts(&filter).await.map_err(Error::from)?;
            cleared.push(alerts.into_iter().map(|a| (a.entity_id, a.id)).collect());
        }
        self.cleared = cleared;
        Ok(())
    }

    /// Records the screenings and their results by `actor` (one audit append, as any batch
    /// of screenings) and answers in yente's shape. Entities cleared for a query's customer
    /// ([`MatchBatch::load_cleared`]) are recorded as found and left out of the answer; the
    /// screening's record says so under `notes.exclude_cleared`.
    pub async fn record(
        self,
        store: &Store,
        actor: &str,
        versions: &BTreeMap<String, String>,
        ownership: &OwnershipHits,
        results: &[Vec<PartyMatch>],
    ) -> Result<EntityMatchResponse, YenteError> {
        let notes = self.cleared_notes(results);
        let recorded = crate::screening::record_noted(
            store,
            actor,
            versions,
            ownership,
            &self.screenings,
            results,
            &notes,
        )
        .await?;
        let no_cleared = BTreeMap::new();
        let mut responses = BTreeMap::new();
        for (query_index, (key, echo, range)) in self.queries.into_iter().enumerate() {
            let cleared = self.cleared.get(query_index).unwrap_or(&no_cleared);
            // The best score of each listed entity over the query's names.
            let mut best: BTreeMap<&str, (&Arc<Entity>, &MatchJson, &str)> = BTreeMap::new();
            // A screening that filled its limit may have left matches uncounted.
            let cut_short = range
                .clone()
                .any(|index| results.get(index).map_or(0, Vec::len) >= self.screened_limit);
            for index in range {
                let (Some(matches), Some(response)) = (results.get(index), recorded.get(index))
                else {
                    return Err(Error::internal("a screening of the batch has no result").into());
                };
                for (found, json) in matches.iter().zip(&response.matches) {
                    let found = &found.lead;
                    if !self.filter.keeps(&found.entity)
                        || cleared.contains_key(found.entity.id.as_str())
                    {
                        continue;
                    }
                    let slot = best.entry(found.entity.id.as_str()).or_insert((
                        &found.entity,
                        json,
                        &response.screening_id,
                    ));
                    if json.score > slot.1.score {
                        *slot = (&found.entity, json, &response.screening_id);
                    }
                }
            }
            let mut ranked: Vec<_> = best.into_values().collect();
            ranked.sort_by(|a, b| {
                b.1.score
                    .total_cmp(&a.1.score)
                    .then(a.1.entity_id.cmp(&b.1.entity_id))
            });
            // yente counts every candidate that matches, before the limit.
            let matched = ranked
                .iter()
                .filter(|(_, json, _)| json.score >= self.threshold)
                .count();
            ranked.truncate(self.limit);
            let mut results = Vec::with_capacity(ranked.len());
            for (entity, json, screening_id) in ranked {
                let is_match = json.score >= self.threshold;
                let mut value =
                    scored_entity(entity, json, is_match, self.algorithm, screening_id)?;
                with_times(&mut value, &self.filter.history, entity.id.as_str());
                results.push(value);
            }
            responses.insert(
                key,
                EntityMatches {
                    status: 200,
                    results,
                    total: TotalSpec {
                        value: matched,
                        relation: if cut_short { "gte" } else { "eq" }.into(),
                    },
                    query: echo,
                },
            );
        }
        Ok(EntityMatchResponse {
            responses,
            limit: self.limit,
        })
    }
}

impl MatchBatch {
    /// Per screening, the note its audit record carries when `exclude_cleared` left some
    /// of its matches out: the customer and each entity left out with the alert that
    /// cleared it (null where nothing was left out).
    fn cleared_notes(&self, results: &[Vec<PartyMatch>]) -> Vec<Value> {
        let mut notes = vec![Value::Null; self.screenings.len()];
        if !self.exclude_cleared {
            return notes;
        }
        for ((_, echo, range), cleared) in self.queries.iter().zip(&self.cleared) {
            if cleared.is_empty() {
                continue;
            }
            for index in range.clone() {
                let left_out: Vec<Value> = results
                    .get(index)
                    .into_iter()
                    .flatten()
                    .filter_map(|party| {
                        let id = party.lead.entity.id.as_str();
                        cleared
                            .get(id)
                            .map(|alert| json!({"entity_id": id, "alert_id": alert}))
                    })
                    .collect();
                if let (false, Some(note)) = (left_out.is_empty(), notes.get_mut(index)) {
                    *note = json!({"exclude_cleared": {
                        "customer_id": echo.id,
                        "decision": "false_positive",
                        "left_out": left_out,
                    }});
                }
            }
        }
        notes
    }
}

/// yente's `FeatureResult`: a sub-score with a sentence.
fn feature(detail: String, score: f64, weight: f64) -> Value {
    json!({ "detail": detail, "score": score, "weight": weight })
}

/// A result: the entity in FtM with yente's `score`, `match` and `explanations` (the name
/// comparison, each feature interdict weighed, and which algorithm answered and where the
/// screening is on record).
fn scored_entity(
    entity: &Entity,
    json: &MatchJson,
    is_match: bool,
    algorithm: &str,
    screening_id: &str,
) -> Result<Value, YenteError> {
    let mut value = ftm_entity(entity, false).map_err(Error::internal)?;
    let mut explanations = Map::new();
    let explanation = &json.explanation;
    let name_score = explanation
        .get("name_score")
        .and_then(Value::as_f64)
        .unwrap_or(json.score);
    explanations.insert(
        "name".into(),
        feature(
            format!(
                "{:?} compared with {:?}",
                json.query_name, json.matched_name
            ),
            name_score,
            1.0,
        ),
    );
    for effect in explanation
        .get("features")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = effect.get("feature").and_then(Value::as_str) else {
            continue;
        };
        let detail = effect
            .get("detail")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let score = effect.get("effect").and_then(Value::as_f64).unwrap_or(0.0);
        explanations.insert(name.to_owned(), feature(detail, score, 1.0));
    }
    explanations.insert(
        "interdict".into(),
        feature(
            format!(
                "algorithm {algorithm} answered by interdict {ENGINE_VERSION}; on record as \
                 screening {screening_id}"
            ),
            json.score,
            0.0,
        ),
    );
    if let Some(object) = value.as_object_mut() {
        object.insert("score".into(), json!(json.score));
        object.insert("match".into(), json!(is_match));
        object.insert("explanations".into(), Value::Object(explanations));
    }
    Ok(value)
}

/// Sets yente's `first_seen`, `last_seen` and `last_change` on an FtM entity from the
/// history (null for an entity it does not know).
fn with_times(value: &mut Value, history: &EntityHistory, entity_id: &str) {
    let seen = history.get(entity_id);
    if let Some(object) = value.as_object_mut() {
        let times = [
            ("first_seen", seen.map(|s| s.first_seen)),
            ("last_seen", seen.map(|s| s.last_seen)),
            ("last_change", seen.map(|s| s.last_change)),
        ];
        for (key, time) in times {
            object.insert(key.into(), time.map_or(Value::Null, |t| json!(t)));
        }
    }
}

/// `GET /entities/{id}`: an active entity by its interdict id or its FtM id, in FtM, with
/// its times from `history`.
pub fn entity(lists: &ActiveLists, history: &EntityHistory, id: &str) -> Result<Value, YenteError> {
    let found = lists
        .index
        .entities()
        .find(|e| e.id.as_str() == id || ftm_id(&e.id) == id)
        .ok_or_else(|| YenteError::NotFound(format!("No such entity: {id}")))?;
    let mut value = ftm_entity(found, false).map_err(Error::internal)?;
    with_times(&mut value, history, found.id.as_str());
    Ok(value)
}

/// The answer to `GET /search/{dataset}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchResponse {
    /// The results limit.
    pub limit: usize,
    /// Always 0: results come in one page.
    pub offset: usize,
    /// How many results there are.
    pub total: TotalSpec,
    /// FtM entities, best first.
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<Value>,
    /// Facets (none).
    #[schema(value_type = Object)]
    pub facets: Map<String, Value>,
}

/// `GET /search/{dataset}?q=`: the active entities whose names are near `q` (a lookup by
/// name, not a screening, so not recorded), at most `limit`, best first; `schema` narrows to
/// one FtM schema; results carry their times from `history`. Only entities of
/// `dataset_lists` ([`dataset_lists`]) are answered.
pub fn search(
    lists: &ActiveLists,
    history: &EntityHistory,
    dataset_lists: &[String],
    q: &str,
    schema: Option<&str>,
    limit: Option<usize>,
    limits: Limits,
) -> Result<SearchResponse, YenteError> {
    let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
    if limit == 0 || limit > limits.max_matches {
        return Err(YenteError::Invalid(format!(
            "limit: {limit} is not in [1, {}]",
            limits.max_matches
        )));
    }
    let schema = match schema.map(str::trim).filter(|s| !s.is_empty()) {
        Some(schema) => Some(query_schema(schema).map_err(YenteError::BadRequest)?),
        None => None,
    };
    let request = ScreenRequest {
        name: q.to_owned(),
        schema: schema.map(str::to_owned),
        threshold: Some(SEARCH_THRESHOLD),
        limit: Some(limits.max_matches),
        ..ScreenRequest::default()
    };
    let screening =
        Screening::new(request, limits, "").map_err(|e| YenteError::Invalid(e.to_string()))?;
    let found = lists.screen(std::slice::from_ref(&screening));
    let mut results = Vec::new();
    for m in found.into_iter().flatten().map(|party| party.lead) {
        if !dataset_lists.iter().any(|l| l == m.entity.id.list()) {
            continue;
        }
        if results.len() == limit {
            break;
        }
        let mut value = ftm_entity(&m.entity, false).map_err(Error::internal)?;
        with_times(&mut value, history, m.entity.id.as_str());
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "score".into(),
                json!((m.score * 10_000.0).round() / 10_000.0),
            );
        }
        results.push(value);
    }
    Ok(SearchResponse {
        limit,
        offset: 0,
        total: TotalSpec {
            value: results.len(),
            relation: "eq".into(),
        },
        results,
        facets: Map::new(),
    })
}

/// `GET /catalog`: `default` holding every active list, one dataset per active list, and
/// each stored collection with its lists as `children` (those not active are left out).
pub fn catalog(lists: &ActiveLists, collections: &[DatasetCollection]) -> Value {
    let short = |v: &String| v[..v.len().min(12)].to_owned();
    let mut datasets = vec![json!({
        "name": DEFAULT_DATASET,
        "title": "All active lists",
        "version": lists.versions.values().map(short).collect::<Vec<_>>().join("-"),
        "children": lists.versions.keys().collect::<Vec<_>>(),
        "load": false,
        "namespace": false,
        "index_version": null,
        "index_current": true,
    })];
    for (list, version) in &lists.versions {
        datasets.push(json!({
            "name": list,
            "title": list,
            "version": version,
            "children": [],
            "load": true,
            "namespace": false,
            "index_version": version,
            "index_current": true,
        }));
    }
    let mut names: Vec<String> = vec![DEFAULT_DATASET.to_owned()];
    names.extend(lists.versions.keys().cloned());
    for collection in collections {
        let children: Vec<&String> = collection
            .lists
            .iter()
            .filter(|l| lists.versions.contains_key(*l))
            .collect();
        let version: Vec<String> = children
            .iter()
            .filter_map(|l| lists.versions.get(*l).map(short))
            .collect();
        datasets.push(json!({
            "name": collection.name,
            "title": collection.title,
            "version": version.join("-"),
            "children": children,
            "load": false,
            "namespace": false,
            "index_version": null,
            "index_current": true,
            "updated_at": collection.updated_at,
        }));
        names.push(collection.name.clone());
    }
    json!({
        "datasets": datasets,
        "current": names,
        "outdated": [],
        "index_stale": false,
    })
}

/// `GET /algorithms`: the names interdict answers for, `default` and `best`.
pub fn algorithms() -> Value {
    let algorithms: Vec<Value> = ALGORITHMS
        .iter()
        .map(|(name, _, description)| {
            // logic-v2's names are accepted (and not applied) so that its clients work.
            let (features, config) = if *name == "logic-v2" {
                let features: Map<String, Value> = LOGIC_V2_FEATURES
                    .iter()
                    .map(|f| {
                        let doc = json!({
                            "description": "accepted in `weights`; not applied by interdict",
                            "coefficient": null,
                            "url": null,
                        });
                        ((*f).to_owned(), doc)
                    })
                    .collect();
                let config: Map<String, Value> = LOGIC_V2_CONFIG
                    .iter()
                    .map(|k| {
                        let doc = json!({
                            "description": "accepted in `config`; not applied by interdict",
                            "type": null,
                            "default": null,
                        });
                        ((*k).to_owned(), doc)
                    })
                    .collect();
                (features, config)
            } else {
                (Map::new(), Map::new())
            };
            json!({
                "name": name,
                "description": description,
                "features": features,
                "docs": {
                    "name": name,
                    "description": description,
                    "features": features,
                    "config": config,
                },
            })
        })
        .collect();
    json!({ "algorithms": algorithms, "default": "best", "best": ALGORITHM })
}

/// The formats `lists export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// FollowTheMoney JSON lines, one entity per line (`ftm_export::ftm_line`).
    Ftm,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ftm" | "followthemoney" => Ok(ExportFormat::Ftm),
            other => Err(Error::invalid(
                "format",
                format!("{other:?} is not an export format; expected ftm"),
            )),
        }
    }
}

/// A list version exported: which version, and its entities written one per line.
#[derive(Debug, Clone)]
pub struct Export {
    /// The version exported.
    pub version: interdict_model::ListVersion,
    /// One line per entity (no line breaks), in entity id order.
    pub lines: Vec<String>,
}

/// Exports a version of `list` (the active one, or `version`: an id, a unique prefix or
/// `list@prefix`) in `format`. Importing the FtM lines again (`lists import`) gives the same
/// version: the same content hash.
pub async fn export(
    store: &Store,
    list: &str,
    version: Option<&str>,
    format: ExportFormat,
) -> Result<Export, Error> {
    let found = match version {
        Some(reference) => {
            let found = crate::lists::find_version(store, "version", reference).await?;
            if found.list != list {
                return Err(Error::invalid(
                    "version",
                    format!("version {reference} is of list {}, not {list}", found.list),
                ));
            }
            found
        }
        None => store
            .active_versions()
            .await?
            .remove(list)
            .ok_or_else(|| Error::invalid("list", format!("no list {list:?} is imported")))?,
    };
    let mut entities = store.version_entities(list, &found.version).await?;
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    let lines = match format {
        ExportFormat::Ftm => entities
            .iter()
            .map(interdict_sources::ftm_export::ftm_line)
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::internal)?,
    };
    Ok(Export {
        version: found,
        lines,
    })
}
