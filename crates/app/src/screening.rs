//! Screening: a request validated into what the engine is asked, screened against the
//! active lists, recorded in the audit trail before it is answered, and replayed later
//! against the exact list versions it was recorded with.
//!
//! [`Screening::new`] is the only way to build a screening, and it refuses what the engine
//! cannot honour (a threshold outside [0, 1], a limit of 0 or above the maximum, a name with
//! nothing left to match once normalised, more countries than a query may carry), so every
//! recorded screening can be replayed. The record holds the request as received, the query
//! as understood, the exact list versions, the engine version, the threshold and limit
//! applied, and the result; replaying it must give the same result, byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use interdict_matching::{Index, Match, PreparedName, Query, ScreenOptions};
use interdict_model::{
    CountryCode, DateOfBirth, Entity, Identifier, IdentifierKind, Schema, country_code,
};
use interdict_store::{AuditKind, NewAuditRecord, Store};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::Error;
use crate::contract::{
    AlsoListedJson, MatchJson, QueryJson, ReplayResponse, ScreenRequest, ScreenResponse,
};
use crate::cross_list::{CrossListParties, OtherListing, PartyMatch};
use crate::ownership::{OwnershipHits, screenable};

/// The engine version recorded with every screening.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default number of matches per screening.
pub const DEFAULT_LIMIT: usize = 10;

/// How much one screening may ask for. The service's values are [`Limits::DEFAULT`]; the
/// command line uses the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest name, in characters.
    pub max_name_chars: usize,
    /// Most matches per screening.
    pub max_matches: usize,
    /// Most countries per query.
    pub max_countries: usize,
    /// Most matches a batch may ask for in all: the sum of its screenings' limits.
    pub max_batch_matches: usize,
}

impl Limits {
    /// The limits of every front-end.
    pub const DEFAULT: Limits = Limits {
        max_name_chars: 500,
        // The maximum that the OpenAPI document gives `ScreenRequest::limit`.
        max_matches: 100,
        max_countries: 20,
        // A thousand screenings at the default limit of 10.
        max_batch_matches: 10_000,
    };

    /// No size limits: for replaying what was once accepted. Validity (a threshold in
    /// [0, 1], a limit of at least 1, a name that normalises to something) still holds.
    pub const NONE: Limits = Limits {
        max_name_chars: usize::MAX,
        max_matches: usize::MAX,
        max_countries: usize::MAX,
        max_batch_matches: usize::MAX,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A validated screening: the request as received and what the engine is asked.
#[derive(Debug, Clone)]
pub struct Screening {
    request: ScreenRequest,
    query: Query,
    options: ScreenOptions,
}

/// A secondary field of a batch row that did not parse and was left out of its screening,
/// which ran on the rest (see [`Screening::lenient`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredField {
    /// The field, e.g. `dob` or `[3].country`.
    pub field: String,
    /// The value as given.
    pub value: String,
    /// Why it was ignored.
    pub reason: String,
}

impl std::fmt::Display for IgnoredField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?} ignored: {}",
            self.field, self.value, self.reason
        )
    }
}

/// Parses a schema as requests give it: empty or `any` means no restriction.
pub fn parse_schema(text: Option<&str>) -> Result<Option<Schema>, String> {
    match text.map(str::trim) {
        None | Some("") | Some("any") => Ok(None),
        Some(text) => text.parse::<Schema>().map(Some),
    }
}

/// Most identifiers per query.
pub const MAX_IDENTIFIERS: usize = 20;

/// The kind of a requested identifier, by the labels [`IdentifierKind::label`] writes for the
/// decisive kinds (`passport`, `national_id`, ..., `crypto_address:XBT`).
pub fn identifier_kind(label: &str) -> Result<IdentifierKind, String> {
    let label = label.trim();
    if let Some(currency) = label.strip_prefix("crypto_address:") {
        return Ok(IdentifierKind::CryptoAddress {
            currency: currency.trim().to_owned(),
        });
    }
    let kind = match label {
        "passport" => IdentifierKind::Passport,
        "national_id" => IdentifierKind::NationalId,
        "tax_id" => IdentifierKind::TaxId,
        "registration_number" => IdentifierKind::RegistrationNumber,
        "imo" => IdentifierKind::Imo,
        "mmsi" => IdentifierKind::Mmsi,
        "swift_bic" => IdentifierKind::SwiftBic,
        "aircraft_id" => IdentifierKind::AircraftId,
        other => {
            return Err(format!(
                "{other:?} is not an identifier kind; expected passport, national_id, tax_id, \
                 registration_number, imo, mmsi, swift_bic, aircraft_id or \
                 crypto_address:<currency>"
            ));
        }
    };
    Ok(kind)
}

/// Parses countries as requests give them: ISO codes or names, separated by `;` or `|`.
pub fn parse_countries(text: &str) -> Result<Vec<CountryCode>, String> {
    text.split([';', '|'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| country_code(c).ok_or_else(|| format!("{c:?} is not a known country")))
        .collect()
}

impl Screening {
    /// Validates `request`, naming the field at fault (`prefix` locates the request in a
    /// batch, e.g. `[3].`).
    pub fn new(request: ScreenRequest, limits: Limits, prefix: &str) -> Result<Screening, Error> {
        let field = |name: &str| format!("{prefix}{name}");
        let name = request.name.trim();
        if name.is_empty() {
            return Err(Error::invalid(field("name"), "the name is empty"));
        }
        let chars = name.chars().count();
        if chars > limits.max_name_chars {
            return Err(Error::invalid(
                field("name"),
                format!(
                    "the name has {chars} characters; at most {} are accepted",
                    limits.max_name_chars
                ),
            ));
        }
        let mut query = Query::name(name);
        query.schema = parse_schema(request.schema.as_deref())
            .map_err(|e| Error::invalid(field("schema"), e))?;
        // `any` asks for every kind of party; no schema lets the engine infer one (a date of
        // birth, a gender or a patronymic make a person).
        query.any_schema = request.schema.as_deref().map(str::trim) == Some("any");
        if PreparedName::new(name, query.schema).is_empty() {
            return Err(Error::invalid(
                field("name"),
                format!(
                    "{name:?} has nothing left to match once titles and punctuation are removed"
                ),
            ));
        }
        if let Some(dob) = request
            .dob
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            query.dob = Some(DateOfBirth::parse(dob).ok_or_else(|| {
                Error::invalid(field("dob"), format!("{dob:?} is not a date of birth"))
            })?);
        }
        if let Some(countries) = request.country.as_deref() {
            query.countries =
                parse_countries(countries).map_err(|e| Error::invalid(field("country"), e))?;
            if query.countries.len() > limits.max_countries {
                return Err(Error::invalid(
                    field("country"),
                    format!(
                        "{} countries given; at most {} are accepted",
                        query.countries.len(),
                        limits.max_countries
                    ),
                ));
            }
        }
        if request.identifiers.len() > MAX_IDENTIFIERS {
            return Err(Error::invalid(
                field("identifiers"),
                format!(
                    "{} identifiers given; at most {MAX_IDENTIFIERS} are accepted",
                    request.identifiers.len()
                ),
            ));
        }
        for (i, identifier) in request.identifiers.iter().enumerate() {
            let kind = identifier_kind(&identifier.kind)
                .map_err(|e| Error::invalid(field(&format!("identifiers[{i}].kind")), e))?;
            let identifier = Identifier::new(kind, identifier.value.trim());
            if identifier.normalized_value().is_empty() {
                return Err(Error::invalid(
                    field(&format!("identifiers[{i}].value")),
                    "the identifier has no letter or digit",
                ));
            }
            query.identifiers.push(identifier);
        }
        let threshold = check_threshold(request.threshold, &field("threshold"))?;
        let limit = check_limit(
            request.limit.unwrap_or(DEFAULT_LIMIT),
            limits.max_matches,
            &field("limit"),
        )?;
        Ok(Screening {
            request,
            query,
            options: ScreenOptions { threshold, limit },
        })
    }

    /// Validates `request` for a batch, where a sanctions screen must never drop a name
    /// because a secondary field is malformed: a date of birth, country or schema that does
    /// not parse is left out (unknown countries one by one, the known ones kept) and reported,
    /// and the name is screened on the rest. The screening holds the *cleaned* request, so
    /// that what is recorded replays as screened. The name, threshold and limit are still
    /// refused as [`Screening::new`] refuses them, and so are too many countries.
    pub fn lenient(
        mut request: ScreenRequest,
        limits: Limits,
        prefix: &str,
    ) -> Result<(Screening, Vec<IgnoredField>), Error> {
        let mut ignored = Vec::new();
        let mut ignore = |name: &str, value: &str, reason: String| {
            ignored.push(IgnoredField {
                field: format!("{prefix}{name}"),
                value: value.to_owned(),
                reason,
            });
        };
        if let Some(dob) = request.dob.take() {
            let trimmed = dob.trim();
            if trimmed.is_empty() || DateOfBirth::parse(trimmed).is_some() {
                request.dob = Some(dob);
            } else {
                ignore("dob", &dob, "not a date of birth".into());
            }
        }
        if let Some(countries) = request.country.take() {
            let mut known = Vec::new();
            for part in countries
                .split([';', '|'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                match country_code(part) {
                    Some(_) => known.push(part),
                    None => ignore("country", part, "not a known country".into()),
                }
            }
            if !known.is_empty() {
                request.country = Some(known.join(";"));
            }
        }
        if let Some(schema) = request.schema.take() {
            match parse_schema(Some(&schema)) {
                Ok(_) => request.schema = Some(schema),
                Err(e) => ignore("schema", &schema, e),
            }
        }
        Ok((Screening::new(request, limits, prefix)?, ignored))
    }

    /// The request as received.
    pub fn request(&self) -> &ScreenRequest {
        &self.request
    }

    /// What the engine is asked.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Threshold and limit.
    pub fn options(&self) -> ScreenOptions {
        self.options
    }

    /// The query as understood, for the response and the record.
    pub fn query_json(&self) -> QueryJson {
        query_json(&self.query)
    }
}

/// A threshold as requested (the engine's default when absent), refused outside [0, 1].
pub(crate) fn check_threshold(threshold: Option<f64>, field: &str) -> Result<f64, Error> {
    let threshold = threshold.unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    if (0.0..=1.0).contains(&threshold) {
        Ok(threshold)
    } else {
        Err(Error::invalid(
            field,
            format!("{threshold} is not in [0, 1]"),
        ))
    }
}

/// A limit of results, refused outside [1, `max`].
pub(crate) fn check_limit(limit: usize, max: usize, field: &str) -> Result<usize, Error> {
    if limit == 0 || limit > max {
        Err(Error::invalid(
            field,
            format!("{limit} is not in [1, {max}]"),
        ))
    } else {
        Ok(limit)
    }
}

/// The entities of the list versions a record names, as they were, less the registry
/// parties that nothing blocks through their owners today (scan records keep no date):
/// what their replay runs against.
pub(crate) async fn recorded_entities(
    store: &Store,
    versions: &BTreeMap<String, String>,
) -> Result<Vec<Arc<Entity>>, Error> {
    let entities = all_recorded_entities(store, versions)
        .await?
        .into_iter()
        .map(Arc::unwrap_or_clone)
        .collect();
    let screenable = screenable(store, versions, entities, crate::ownership::today()).await?;
    Ok(screenable.entities.into_iter().map(Arc::new).collect())
}

/// Every entity of the list versions a record names, as they were.
pub(crate) async fn all_recorded_entities(
    store: &Store,
    versions: &BTreeMap<String, String>,
) -> Result<Vec<Arc<Entity>>, Error> {
    let mut entities = Vec::new();
    for (list, version) in versions {
        entities.extend(
            store
                .version_entities(list, version)
                .await?
                .into_iter()
                .map(Arc::new),
        );
    }
    Ok(entities)
}

/// What a replay found, whatever was replayed (a screening, a payment, a scan).
pub(crate) struct Replayed {
    pub(crate) identical: bool,
    pub(crate) list_versions: BTreeMap<String, String>,
    pub(crate) recorded_results: usize,
    pub(crate) replayed_results: usize,
    pub(crate) recorded_engine: String,
}

impl Replayed {
    fn response(self, id: String) -> ReplayResponse {
        ReplayResponse {
            screening_id: id,
            identical: self.identical,
            recorded_engine: self.recorded_engine,
            replay_engine: ENGINE_VERSION.to_owned(),
            list_versions: self.list_versions,
            recorded_matches: self.recorded_results,
            replayed_matches: self.replayed_results,
        }
    }
}

/// Refuses a batch that asks for more matches in all (the sum of its limits) than
/// `limits.max_batch_matches`, before anything is screened or recorded: the matches a batch
/// may return, and the audit record it writes, grow with that sum.
pub fn check_batch(screenings: &[Screening], limits: Limits) -> Result<(), Error> {
    let asked: usize = screenings
        .iter()
        .map(|s| s.options.limit)
        .fold(0, usize::saturating_add);
    if asked > limits.max_batch_matches {
        return Err(Error::invalid(
            "batch",
            format!(
                "the batch asks for up to {asked} matches in all (the sum of its limits); \
                 at most {} are accepted: lower the limits or split the batch",
                limits.max_batch_matches
            ),
        ));
    }
    Ok(())
}

/// What screenings weigh against a caller's request budget: each weighs one unit per
/// [`DEFAULT_LIMIT`] matches it may return (rounded up, at least one), so a batch weighs by
/// its size times its limit, and a thousand screenings at limit 100 weigh 10,000 requests.
pub fn weight(screenings: &[Screening]) -> u64 {
    screenings
        .iter()
        .map(|s| s.options.limit.div_ceil(DEFAULT_LIMIT).max(1) as u64)
        .fold(0, u64::saturating_add)
}

fn query_json(query: &Query) -> QueryJson {
    QueryJson {
        name: query.name.clone(),
        dob: query.dob.map(|d| d.to_string()),
        countries: query.countries.iter().map(ToString::to_string).collect(),
        schema: query
            .screened_schema()
            .map_or("any", Schema::as_str)
            .to_owned(),
    }
}

impl std::fmt::Debug for ActiveLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActiveLists")
            .field("versions", &self.versions)
            .field("entities", &self.entities)
            .finish_non_exhaustive()
    }
}

/// The active list versions, indexed: what screenings run against.
pub struct ActiveLists {
    /// The index over every active version's entities.
    pub index: Arc<Index>,
    /// The free-text scanner over the same index, built on first use (it takes about a
    /// second, which a command that only screens names need not pay).
    scanner: std::sync::OnceLock<interdict_matching::Scanner>,
    /// The payment rules (BICs, IMO numbers, wallets, jurisdictions) over the same entities.
    pub payments: interdict_payments::Screener,
    /// The parties listed on more than one of these lists: screening hits are one per party.
    pub parties: Arc<CrossListParties>,
    /// list id → active version, exactly those indexed.
    pub versions: BTreeMap<String, String>,
    /// Entities indexed.
    pub entities: usize,
    /// The registry parties indexed because their owners block them, with the paths: a
    /// match on one of them has basis `ownership` ([`crate::ownership::screenable`]).
    pub ownership: Arc<OwnershipHits>,
    /// When each entity was first seen, last seen and last changed, computed on first use
    /// ([`ActiveLists::entity_history`]).
    history: std::sync::OnceLock<Arc<crate::entity_history::EntityHistory>>,
    /// The ownership graph of these versions on `ownership_date`, propagated; `None` when
    /// none of them holds relations. The next load updates it rather than compute it again.
    pub ownership_view: Option<Arc<crate::ownership::OwnershipView>>,
    /// The screening date of the ownership graph and hits.
    pub ownership_date: interdict_model::PartialDate,
    /// Whether the ownership graph was updated from the lists loaded before (only the seeds
    /// that changed) rather than computed.
    pub ownership_updated: bool,
}

impl ActiveLists {
    /// Loads and indexes the active versions (the index is built off the async workers);
    /// [`Error::NoLists`] when nothing is imported yet.
    pub async fn load(store: &Store) -> Result<ActiveLists, Error> {
        Self::load_after(store, None).await
    }

    /// [`ActiveLists::load`], updating the ownership graph of `previous` (the lists loaded
    /// before) where only the lists of designations changed, on the same day
    /// ([`crate::ownership::screenable_after`]).
    pub async fn load_after(
        store: &Store,
        previous: Option<&ActiveLists>,
    ) -> Result<ActiveLists, Error> {
        let (versions, entities) = store.active_entities().await?;
        if entities.is_empty() {
            return Err(Error::NoLists);
        }
        let versions: BTreeMap<String, String> = versions
            .into_iter()
            .map(|(list, v)| (list, v.version))
            .collect();
        // A registry's parties are screened only when blocked through their owners, today.
        let date = crate::ownership::today();
        let previous = previous.and_then(|p| p.ownership_view.clone());
        let screenable =
            crate::ownership::screenable_after(store, &versions, entities, date, previous).await?;
        Ok(tokio::task::spawn_blocking(move || {
            let mut active = ActiveLists::build(screenable.entities, versions);
            active.ownership = Arc::new(screenable.ownership);
            active.ownership_view = screenable.view;
            active.ownership_date = date;
            active.ownership_updated = screenable.incremental;
            active
        })
        .await?)
    }

    /// Indexes `entities`, the active versions `versions` (no ownership hits).
    pub fn build(entities: Vec<Entity>, versions: BTreeMap<String, String>) -> ActiveLists {
        let count = entities.len();
        let payments = crate::payments::rules_screener(&entities);
        let entities: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
        let parties = Arc::new(CrossListParties::build(&entities));
        let index = Arc::new(Index::build(entities));
        ActiveLists {
            index,
            scanner: std::sync::OnceLock::new(),
            payments,
            parties,
            versions,
            entities: count,
            ownership: Arc::new(OwnershipHits::new()),
            history: std::sync::OnceLock::new(),
            ownership_view: None,
            ownership_date: crate::ownership::today(),
            ownership_updated: false,
        }
    }

    /// When each active entity was first seen, last seen and last changed: walked from the
    /// store's versions of these lists on first use, then kept with this snapshot (so once
    /// per set of active versions). Two first uses at once may both walk; one result stays.
    pub async fn entity_history(
        &self,
        store: &Store,
    ) -> Result<Arc<crate::entity_history::EntityHistory>, Error> {
        if let Some(history) = self.history.get() {
            return Ok(Arc::clone(history));
        }
        let loaded = crate::entity_history::EntityHistory::load(store, &self.versions).await?;
        Ok(Arc::clone(self.history.get_or_init(|| Arc::new(loaded))))
    }

    /// The free-text scanner, built on first use.
    pub fn scanner(&self) -> &interdict_matching::Scanner {
        self.scanner
            .get_or_init(|| interdict_matching::Scanner::new(Arc::clone(&self.index)))
    }

    /// The records of `entity_id`'s party on the other active lists (empty when it is listed
    /// once).
    pub fn also_listed(&self, entity_id: &str) -> Vec<AlsoListedJson> {
        self.parties
            .others(entity_id)
            .iter()
            .map(also_listed_json)
            .collect()
    }

    /// Screens every screening, spread over the current rayon pool's threads: one hit per
    /// party, with its records on other lists beside it.
    pub fn screen(&self, screenings: &[Screening]) -> Vec<Vec<PartyMatch>> {
        screenings
            .par_iter()
            .map(|s| screen_parties(&self.index, &self.parties, &s.query, s.options))
            .collect()
    }
}

/// Screens `query` and folds the matches into one hit per party: the index is asked for
/// enough matches that `options.limit` parties can be answered.
pub fn screen_parties(
    index: &Index,
    parties: &CrossListParties,
    query: &Query,
    options: ScreenOptions,
) -> Vec<PartyMatch> {
    let asked = ScreenOptions {
        limit: parties.matches_for(options.limit),
        ..options
    };
    parties.group(index.screen(query, &asked), options.limit)
}

fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// One match as JSON: the fields of `interdict screen --json`, the API and the record.
pub fn match_json(m: &Match) -> Result<MatchJson, Error> {
    Ok(MatchJson {
        entity_id: m.entity.id.as_str().to_owned(),
        list: m.entity.id.list().to_owned(),
        schema: m.entity.schema.as_str().to_owned(),
        name: m.entity.name.clone(),
        matched_name: m.matched_name.clone(),
        query_name: m.query_name.clone(),
        score: round(m.score),
        explanation: serde_json::to_value(&m.explanation).map_err(Error::internal)?,
        ownership: None,
        also_listed: Vec::new(),
    })
}

/// A record of the party on another list as JSON.
pub fn also_listed_json(other: &OtherListing) -> AlsoListedJson {
    AlsoListedJson {
        entity_id: other.entity.id.as_str().to_owned(),
        list: other.entity.id.list().to_owned(),
        name: other.entity.name.clone(),
        score: other.score.map(round),
        matched_name: other.matched_name.clone(),
        linked_by: other.linked_by.clone(),
    }
}

/// One hit for a party as JSON: its lead record's match, with `also_listed`, and its
/// ownership hit (basis `ownership`, regimes, share, paths) when the party is blocked
/// through its owners.
pub fn party_match_json(hit: &PartyMatch, ownership: &OwnershipHits) -> Result<MatchJson, Error> {
    let mut json = match_json(&hit.lead)?;
    json.also_listed = hit.also_listed.iter().map(also_listed_json).collect();
    json.ownership = ownership.get(hit.lead.entity.id.as_str()).cloned();
    Ok(json)
}

/// The hits as JSON, best first.
pub fn matches_json(
    hits: &[PartyMatch],
    ownership: &OwnershipHits,
) -> Result<Vec<MatchJson>, Error> {
    hits.iter()
        .map(|hit| party_match_json(hit, ownership))
        .collect()
}

/// The audit record of one screening by `actor`.
fn screening_record(
    actor: &str,
    screening: &Screening,
    list_versions: &BTreeMap<String, String>,
    matches: &[MatchJson],
) -> NewAuditRecord {
    NewAuditRecord {
        kind: AuditKind::Screening,
        actor: actor.to_owned(),
        payload: json!({
            "request": screening.request,
            "query": query_json(&screening.query),
            "list_versions": list_versions,
            "engine": { "name": "interdict", "version": ENGINE_VERSION },
            "threshold": screening.options.threshold,
            "limit": screening.options.limit,
            "result": { "matches": matches },
        }),
    }
}

/// Records screenings and their results by `actor` against `versions` in one audit
/// append (all or none), and answers them in order, each with its `screening_id`. Nothing
/// is answered that is not on record.
pub async fn record(
    store: &Store,
    actor: &str,
    versions: &BTreeMap<String, String>,
    ownership: &OwnershipHits,
    screenings: &[Screening],
    results: &[Vec<PartyMatch>],
) -> Result<Vec<ScreenResponse>, Error> {
    record_noted(store, actor, versions, ownership, screenings, results, &[]).await
}

/// [`record`], with a note per screening (by index; none where `notes` is shorter or the
/// note is null) recorded under the payload's `notes`: what the caller did with the result
/// beyond the screening itself (yente's `/match` leaving out cleared entities). A replay
/// ignores it.
pub async fn record_noted(
    store: &Store,
    actor: &str,
    versions: &BTreeMap<String, String>,
    ownership: &OwnershipHits,
    screenings: &[Screening],
    results: &[Vec<PartyMatch>],
    notes: &[Value],
) -> Result<Vec<ScreenResponse>, Error> {
    let mut records = Vec::with_capacity(screenings.len());
    let mut responses = Vec::with_capacity(screenings.len());
    for (index, (screening, matches)) in screenings.iter().zip(results).enumerate() {
        let matches = matches_json(matches, ownership)?;
        let mut record = screening_record(actor, screening, versions, &matches);
        if let (Some(note), Some(payload)) = (
            notes.get(index).filter(|n| !n.is_null()),
            record.payload.as_object_mut(),
        ) {
            payload.insert("notes".into(), note.clone());
        }
        records.push(record);
        responses.push(ScreenResponse {
            screening_id: String::new(),
            query: screening.query_json(),
            threshold: screening.options.threshold,
            list_versions: versions.clone(),
            matches,
        });
    }
    let stored = store.append_audit_all(records).await?;
    for (response, record) in responses.iter_mut().zip(stored) {
        response.screening_id = record.id;
    }
    Ok(responses)
}

/// The parts of a screening record that a replay needs, read without re-encoding the result.
#[derive(Deserialize)]
struct RecordedScreening<'a> {
    request: ScreenRequest,
    list_versions: BTreeMap<String, String>,
    engine: RecordedEngine,
    threshold: f64,
    limit: usize,
    #[serde(borrow)]
    result: &'a RawValue,
}

#[derive(Deserialize)]
struct RecordedEngine {
    version: String,
}

/// Re-runs the recorded screening `id` against the list versions it recorded (read with
/// [`Store::version_entities`]) with its recorded threshold and limit, and compares the
/// result with the recorded one as text.
pub async fn replay(store: &Store, id: &str) -> Result<ReplayResponse, Error> {
    let record = store.audit_record(id).await?;
    if record.kind == AuditKind::Payment.as_str() {
        let replayed =
            crate::payments::replay(store, record.payload.get(), &record.recorded_at).await?;
        return Ok(replayed.response(record.id));
    }
    if record.kind == AuditKind::Scan.as_str() {
        let replayed = crate::scan::replay(store, record.payload.get()).await?;
        return Ok(replayed.response(record.id));
    }
    if record.kind != AuditKind::Screening.as_str() {
        return Err(Error::invalid(
            "id",
            format!("record {id} is a {} record, not a screening", record.kind),
        ));
    }
    let recorded: RecordedScreening<'_> = serde_json::from_str(record.payload.get())
        .map_err(|e| Error::internal(format!("screening record {id} does not decode: {e}")))?;
    let mut screening = Screening::new(recorded.request, Limits::NONE, "request.")?;
    screening.options = ScreenOptions {
        threshold: recorded.threshold,
        limit: recorded.limit,
    };
    // The ownership graph as it stood on the day of the screening.
    let date = record
        .recorded_at
        .get(..10)
        .and_then(interdict_model::PartialDate::parse)
        .unwrap_or_else(crate::ownership::today);
    let entities = all_recorded_entities(store, &recorded.list_versions)
        .await?
        .into_iter()
        .map(Arc::unwrap_or_clone)
        .collect();
    let screenable = screenable(store, &recorded.list_versions, entities, date).await?;
    let query = screening.query.clone();
    let options = screening.options;
    let entities = screenable.entities;
    let matches = tokio::task::spawn_blocking(move || {
        let entities: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
        let parties = CrossListParties::build(&entities);
        let index = Index::build(entities);
        screen_parties(&index, &parties, &query, options)
    })
    .await?;
    let matches = matches_json(&matches, &screenable.ownership)?;
    let replayed =
        serde_json::to_string(&json!({ "matches": matches })).map_err(Error::internal)?;
    let recorded_results = serde_json::from_str::<Value>(recorded.result.get())
        .ok()
        .and_then(|v| v.get("matches").and_then(Value::as_array).map(Vec::len))
        .unwrap_or(0);
    Ok(Replayed {
        identical: replayed == recorded.result.get(),
        list_versions: recorded.list_versions,
        recorded_results,
        replayed_results: matches.len(),
        recorded_engine: recorded.engine.version,
    }
    .response(record.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_name_chars: 20,
        max_matches: 50,
        max_countries: 3,
        max_batch_matches: 60,
    };

    fn field_of(request: ScreenRequest) -> String {
        match Screening::new(request, LIMITS, "[2].") {
            Err(Error::InvalidField { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let named = |name: &str| ScreenRequest {
            name: name.into(),
            ..ScreenRequest::default()
        };
        assert_eq!(field_of(named("  ")), "[2].name");
        assert_eq!(field_of(named("--- ...")), "[2].name");
        assert_eq!(field_of(named(&"x".repeat(21))), "[2].name");
        for (request, field) in [
            (
                ScreenRequest {
                    dob: Some("yesterday".into()),
                    ..named("a")
                },
                "[2].dob",
            ),
            (
                ScreenRequest {
                    country: Some("RU;Atlantis".into()),
                    ..named("a")
                },
                "[2].country",
            ),
            (
                ScreenRequest {
                    country: Some("RU;UA;BY;KZ".into()),
                    ..named("a")
                },
                "[2].country",
            ),
            (
                ScreenRequest {
                    schema: Some("planet".into()),
                    ..named("a")
                },
                "[2].schema",
            ),
            (
                ScreenRequest {
                    threshold: Some(1.5),
                    ..named("a")
                },
                "[2].threshold",
            ),
            (
                ScreenRequest {
                    threshold: Some(f64::NAN),
                    ..named("a")
                },
                "[2].threshold",
            ),
            (
                ScreenRequest {
                    limit: Some(0),
                    ..named("a")
                },
                "[2].limit",
            ),
            (
                ScreenRequest {
                    limit: Some(51),
                    ..named("a")
                },
                "[2].limit",
            ),
        ] {
            assert_eq!(field_of(request), field);
        }
    }

    #[test]
    fn lenient_screens_the_name_on_the_valid_fields_and_records_the_cleaned_request() {
        let request = ScreenRequest {
            name: "Sergei Shoigu".into(),
            dob: Some("31/02/55".into()),
            country: Some("RU; Atlantis".into()),
            schema: Some("planet".into()),
            ..ScreenRequest::default()
        };
        let (screening, ignored) = Screening::lenient(request, LIMITS, "[4].").expect("screened");
        let fields: Vec<&str> = ignored.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["[4].dob", "[4].country", "[4].schema"]);
        assert_eq!(ignored[1].value, "Atlantis");
        assert_eq!(screening.query().dob, None);
        assert_eq!(screening.query_json().countries, ["RU"]);
        // The cleaned request is what is recorded, and it passes the strict check that replay
        // applies.
        let recorded = screening.request().clone();
        assert_eq!(recorded.dob, None);
        assert_eq!(recorded.country.as_deref(), Some("RU"));
        assert_eq!(recorded.schema, None);
        assert!(Screening::new(recorded, Limits::NONE, "").is_ok());

        // A name the engine cannot use is still refused.
        let blank = ScreenRequest {
            name: " ".into(),
            dob: Some("nonsense".into()),
            ..ScreenRequest::default()
        };
        assert!(Screening::lenient(blank, LIMITS, "").is_err());
        // A valid request loses nothing.
        let valid = ScreenRequest {
            name: "a".into(),
            dob: Some("1955".into()),
            country: Some("Russia".into()),
            ..ScreenRequest::default()
        };
        let (screening, ignored) = Screening::lenient(valid.clone(), LIMITS, "").expect("valid");
        assert!(ignored.is_empty());
        assert_eq!(screening.request().country, valid.country);
    }

    #[test]
    fn a_valid_request_becomes_the_engine_query() {
        let request = ScreenRequest {
            name: "  Sergei Shoigu ".into(),
            dob: Some("1955-05-21".into()),
            country: Some("Russia; UA".into()),
            schema: Some("person".into()),
            threshold: Some(0.8),
            limit: Some(3),
            identifiers: Vec::new(),
        };
        let screening = Screening::new(request.clone(), LIMITS, "").expect("valid");
        assert_eq!(screening.query().name, "Sergei Shoigu");
        assert_eq!(screening.query().schema, Some(Schema::Person));
        assert!(screening.query().dob.is_some());
        let json = screening.query_json();
        assert_eq!(json.countries, ["RU", "UA"]);
        assert_eq!(json.schema, "person");
        assert_eq!(
            screening.options(),
            ScreenOptions {
                threshold: 0.8,
                limit: 3
            }
        );

        let any = Screening::new(
            ScreenRequest {
                schema: Some("any".into()),
                threshold: None,
                limit: None,
                ..request
            },
            LIMITS,
            "",
        )
        .expect("valid");
        assert_eq!(any.query().schema, None);
        assert!(any.query().any_schema);
        assert_eq!(any.options(), ScreenOptions::default());
    }

    #[test]
    fn identifiers_reach_the_query_and_bad_ones_are_named() {
        let with = |identifiers: Vec<(&str, &str)>| ScreenRequest {
            name: "Ark".into(),
            identifiers: identifiers
                .into_iter()
                .map(|(kind, value)| crate::contract::IdentifierRequest {
                    kind: kind.into(),
                    value: value.into(),
                })
                .collect(),
            ..ScreenRequest::default()
        };
        let screening = Screening::new(
            with(vec![("imo", "9187655"), ("crypto_address:XBT", "1AbC")]),
            LIMITS,
            "",
        )
        .expect("valid");
        assert_eq!(screening.query().identifiers.len(), 2);
        assert_eq!(screening.query().identifiers[0].kind, IdentifierKind::Imo);
        assert_eq!(
            screening.query().identifiers[1].kind,
            IdentifierKind::CryptoAddress {
                currency: "XBT".into()
            }
        );
        assert_eq!(
            field_of(with(vec![("shoe_size", "42")])),
            "[2].identifiers[0].kind"
        );
        assert_eq!(
            field_of(with(vec![("passport", " - ")])),
            "[2].identifiers[0].value"
        );
        let many = vec![("passport", "A1"); MAX_IDENTIFIERS + 1];
        assert_eq!(field_of(with(many)), "[2].identifiers");
    }

    #[test]
    fn a_batch_is_capped_by_its_total_matches_and_weighs_by_size_times_limit() {
        let at = |limit: usize| {
            Screening::new(
                ScreenRequest {
                    name: "Sergei Shoigu".into(),
                    limit: Some(limit),
                    ..ScreenRequest::default()
                },
                LIMITS,
                "",
            )
            .expect("valid")
        };
        let within = vec![at(30), at(30)];
        assert!(check_batch(&within, LIMITS).is_ok());
        assert_eq!(weight(&within), 6);
        let over = vec![at(30), at(30), at(1)];
        match check_batch(&over, LIMITS) {
            Err(Error::InvalidField { field, message }) => {
                assert_eq!(field, "batch");
                assert!(message.contains("61"), "{message}");
            }
            other => panic!("expected the batch refused, got {other:?}"),
        }
        // At or below the default limit a screening weighs one request.
        assert_eq!(weight(&[at(1), at(10), at(11)]), 4);
    }
}
