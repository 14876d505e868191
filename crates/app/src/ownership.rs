//! Ownership: the companies blocked without being listed, because blocked parties own or
//! control them. The relations of the active versions make the graph
//! (`interdict-ownership`); the entities of the active lists whose regime is known
//! ([`Regime::for_list`]) are its seeds, and so is every owner the data names by a listed
//! entity's id (`ofac-sdn:35391`). [`report`] answers `interdict ownership ENTITY_ID` and
//! `GET /v1/entities/{id}/ownership` in one JSON shape ([`OwnershipJson`]), which screening
//! hits with basis `ownership` and monitoring alerts carry too.

use std::collections::{BTreeMap, HashMap, HashSet};

use std::sync::Arc;

use interdict_matching::{Index, ScreenOptions};
use interdict_model::{DateOfBirth, Entity, PartialDate, Relation, Schema};
use interdict_monitor::query_for;
use interdict_ownership::{
    BlockedEntity, OwnershipGraph, OwnershipPath, OwnershipReport, PathStep, Propagation, Regime,
    RegimeVerdict, Seed, SeedLink, StatusChange, StepLink,
};
use interdict_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Error;

/// The ownership graph of a store's active versions on one date, propagated to its fixed
/// point under every regime; kept with what it was computed from, so that the next version
/// of the lists can [`OwnershipView::update`] it rather than compute it again.
#[derive(Debug, Clone)]
pub struct OwnershipView {
    propagation: Propagation,
    /// The lists (id → version) whose relations make the graph; empty when not known.
    relation_versions: BTreeMap<String, String>,
    /// Entity ids that only relations not holding on the date name: known to the ownership
    /// data, though not to the graph.
    off_date: HashSet<Box<str>>,
    /// The lists whose people and organisations are resolved to listed ones.
    registries: HashSet<String>,
    /// The listed entities the registry parties were resolved against, by id; empty when
    /// the graph names no registry party (nothing to resolve, now or after an update).
    listed: HashMap<String, Entity>,
    /// The registry parties taken for listed entities.
    resolutions: Vec<Resolution>,
    /// The latest day, up to the screening date, on which a relation began or ended (each
    /// date read at the last day it allows); `None` when no relation says.
    last_dated_change: Option<(u16, u8, u8)>,
}

/// A date read at the last day it allows (`2020` as 31 December 2020), as a tuple that
/// orders.
fn last_day(date: PartialDate) -> (u16, u8, u8) {
    (date.year, date.month.unwrap_or(12), date.day.unwrap_or(31))
}

/// A view brought up to date by [`OwnershipView::update`], and what changed.
#[derive(Debug)]
pub struct UpdatedView {
    /// The view of the new entities.
    pub view: OwnershipView,
    /// The entities whose status changed, per regime, in id and regime order.
    pub changes: Vec<StatusChange>,
    /// Seeds taken out and put in (a resolution whose score changed counts in both).
    pub seeds_removed: usize,
    /// See `seeds_removed`.
    pub seeds_added: usize,
}

impl OwnershipView {
    /// Builds the graph of `relations` that hold on `date` and propagates under each regime
    /// the blocked status of its seeds: every entity of `entities` the graph names whose
    /// list carries a regime ([`Regime::for_list`]), and every person or organisation of a
    /// `registries` list the graph names that [`resolve`] ties to such an entity.
    pub fn compute(
        relations: &[Relation],
        entities: &[Entity],
        registries: &HashSet<String>,
        date: PartialDate,
    ) -> Result<OwnershipView, Error> {
        let graph = OwnershipGraph::from_relations(relations, date);
        let mut off_date = HashSet::new();
        if graph.skipped_relations() > 0 {
            for relation in relations {
                for id in [&relation.owner, &relation.asset] {
                    if !graph.contains(id) {
                        off_date.insert(id.as_str().into());
                    }
                }
            }
        }
        let parties = registry_parties(&graph, entities, registries);
        let (listed, resolutions) = if parties.is_empty() {
            (HashMap::new(), Vec::new())
        } else {
            let resolutions = resolve(&parties, listed_in_order(entities));
            (listed_by_id(entities), resolutions)
        };
        let today = last_day(date);
        let last_dated_change = relations
            .iter()
            .flat_map(|r| [r.start, r.end])
            .flatten()
            .map(last_day)
            .filter(|day| *day <= today)
            .max();
        let seeds = seeds_of(&graph, entities, &resolutions);
        let propagation = Propagation::compute(graph, seeds).map_err(Error::internal)?;
        Ok(OwnershipView {
            propagation,
            relation_versions: BTreeMap::new(),
            off_date,
            registries: registries.clone(),
            listed,
            resolutions,
            last_dated_change,
        })
    }

    /// Whether [`OwnershipView::update`] can bring this view to the given relations (list id
    /// → version of the lists holding them) and screening date: only the same ones; a new
    /// version of the ownership data, or a new day (relations begin and end), is computed
    /// again.
    pub fn can_update(
        &self,
        relation_versions: &BTreeMap<String, String>,
        date: PartialDate,
    ) -> bool {
        !self.relation_versions.is_empty()
            && self.relation_versions == *relation_versions
            && self.date() == date
    }

    /// The view of the same relations and date with `entities` as the active entities (a
    /// new version of a list became active: import, activation, rollback): the seeds of
    /// the entities that left are taken out and those of the new ones put in
    /// (`Propagation::update_seeds` on a copy, touching only what they reach), and the
    /// registry parties are resolved again only against the listed entities that changed
    /// (all of them against every listed entity only when the one a party was resolved to
    /// changed or left). Gives what [`OwnershipView::compute`] gives, with what changed.
    pub fn update(&self, entities: &[Entity]) -> Result<UpdatedView, Error> {
        let graph = self.propagation.graph();
        let (listed, resolutions) = if self.listed.is_empty() {
            (HashMap::new(), Vec::new())
        } else {
            let listed = listed_by_id(entities);
            let resolutions = self.resolve_again(graph, entities, &listed);
            (listed, resolutions)
        };
        let seeds = seeds_of(graph, entities, &resolutions);
        let key = |seed: &Seed| {
            let resolved = match seed.link {
                SeedLink::Resolved { score, .. } => Some(score.to_bits()),
                SeedLink::Listed { .. } => None,
            };
            (
                seed.entity_id.clone(),
                seed.regime,
                seed.listed_id().to_owned(),
                resolved,
            )
        };
        let old: HashSet<_> = self.propagation.seeds().iter().map(key).collect();
        let new: HashSet<_> = seeds.iter().map(key).collect();
        let removed: Vec<Seed> = self
            .propagation
            .seeds()
            .iter()
            .filter(|seed| !new.contains(&key(seed)))
            .cloned()
            .collect();
        let added: Vec<Seed> = seeds
            .into_iter()
            .filter(|seed| !old.contains(&key(seed)))
            .collect();
        let (seeds_removed, seeds_added) = (removed.len(), added.len());
        let mut propagation = self.propagation.clone();
        let changes = propagation
            .update_seeds(added, &removed)
            .map_err(Error::internal)?;
        Ok(UpdatedView {
            view: OwnershipView {
                propagation,
                relation_versions: self.relation_versions.clone(),
                off_date: self.off_date.clone(),
                registries: self.registries.clone(),
                listed,
                resolutions,
                last_dated_change: self.last_dated_change,
            },
            changes,
            seeds_removed,
            seeds_added,
        })
    }

    /// Whether the graph is the same on every day from `day` to the screening date: no
    /// relation began or ended from `day` on (a date given to the month or year counts as
    /// its last day, so that a doubt answers `false`).
    pub fn same_graph_since(&self, day: PartialDate) -> bool {
        self.last_dated_change
            .is_none_or(|change| change < (day.year, day.month.unwrap_or(1), day.day.unwrap_or(1)))
    }

    /// The lists (id → version) whose relations make the graph; empty when not known.
    pub fn relation_versions(&self) -> &BTreeMap<String, String> {
        &self.relation_versions
    }

    /// The entities this view blocks (under some regime, without being listed under it)
    /// that were not blocked before a list update that `added`, `removed` and `changed`
    /// those listed entity ids, on the same relations: the view before is computed from
    /// this one with `Propagation::update_seeds` (the added entities' seeds out, the removed
    /// ones' in), on a copy. A registry party resolved to an added or changed entity counts
    /// as unresolved before, so that a resolution an amendment made possible is never
    /// missed (at worst, a company blocked before as well is named). In id order.
    pub fn became_blocked(
        &self,
        added: &HashSet<String>,
        removed: &[String],
        changed: &HashSet<String>,
    ) -> Result<Vec<String>, Error> {
        let graph = self.propagation.graph();
        let gone_before: Vec<Seed> = self
            .propagation
            .seeds()
            .iter()
            .filter(|seed| match seed.link {
                SeedLink::Listed { .. } => added.contains(&seed.entity_id),
                SeedLink::Resolved { .. } => {
                    added.contains(seed.listed_id()) || changed.contains(seed.listed_id())
                }
            })
            .cloned()
            .collect();
        let there_before = seeds_in(
            graph,
            removed
                .iter()
                .map(|id| (id.as_str(), id.split_once(':').map_or("", |(list, _)| list))),
        );
        if gone_before.is_empty() && there_before.is_empty() {
            return Ok(Vec::new());
        }
        let mut before = self.propagation.clone();
        let changes = before
            .update_seeds(there_before, &gone_before)
            .map_err(Error::internal)?;
        // The changes go from this view to the one before: blocked here, not there.
        let mut became: Vec<String> = changes
            .into_iter()
            .filter(|change| change.was_blocked && !change.blocked && !change.was_listed)
            .map(|change| change.entity_id)
            .collect();
        became.dedup();
        Ok(became)
    }

    /// The resolutions of the registry parties against `listed`, the listed entities after
    /// an update: the earlier ones where the listed entity a party was taken for is still
    /// there unchanged, bettered by a higher score against an entity that is new or changed.
    fn resolve_again(
        &self,
        graph: &OwnershipGraph,
        entities: &[Entity],
        listed: &HashMap<String, Entity>,
    ) -> Vec<Resolution> {
        let changed: HashSet<&str> = self
            .listed
            .iter()
            .filter(|(id, entity)| listed.get(*id) != Some(entity))
            .map(|(id, _)| id.as_str())
            .chain(
                listed
                    .keys()
                    .filter(|id| !self.listed.contains_key(*id))
                    .map(String::as_str),
            )
            .collect();
        if changed.is_empty() {
            return self.resolutions.clone();
        }
        let parties = registry_parties(graph, entities, &self.registries);
        if self
            .resolutions
            .iter()
            .any(|r| changed.contains(r.listed_id.as_str()))
        {
            // A party's listed entity was amended or delisted: what it resolves to now may
            // be any listed entity.
            return resolve(&parties, listed_in_order(entities));
        }
        let fresh: Vec<Arc<Entity>> = listed_in_order(entities)
            .into_iter()
            .filter(|e| changed.contains(e.id.as_str()))
            .collect();
        let mut best: BTreeMap<String, Resolution> = self
            .resolutions
            .iter()
            .map(|r| (r.party_id.clone(), r.clone()))
            .collect();
        for found in resolve(&parties, fresh) {
            match best.get(&found.party_id) {
                Some(kept) if kept.score >= found.score => {}
                _ => {
                    best.insert(found.party_id.clone(), found);
                }
            }
        }
        // In the order `resolve` gives, that of the parties.
        parties
            .iter()
            .filter_map(|party| best.remove(party.id.as_str()))
            .collect()
    }

    /// The screening date.
    pub fn date(&self) -> PartialDate {
        self.propagation.graph().date()
    }

    /// Whether the ownership data names `entity_id`, on the date or on another.
    pub fn names(&self, entity_id: &str) -> bool {
        self.propagation.graph().contains(entity_id) || self.off_date.contains(entity_id)
    }

    /// The propagation, for what the report does not say.
    pub fn propagation(&self) -> &Propagation {
        &self.propagation
    }

    /// The entity's verdicts and paths; `None` when the graph does not name it.
    pub fn report(&self, entity_id: &str) -> Option<OwnershipJson> {
        self.propagation.report(entity_id).map(OwnershipJson::from)
    }

    /// Every entity blocked under some regime without being listed under it, in id order.
    pub fn blocked_unlisted(&self) -> Vec<BlockedEntity> {
        self.propagation.blocked_unlisted()
    }

    /// What changes for every entity when the listed parties change from `earlier`'s to
    /// this view's (the same relations): the entities that became blocked, or stopped being,
    /// under each regime.
    pub fn changes_since(&self, earlier: &OwnershipView) -> Vec<StatusChange> {
        self.propagation.changes_since(&earlier.propagation)
    }
}

/// The people and organisations of `registries` that `graph` names: the parties resolved to
/// listed entities.
fn registry_parties<'a>(
    graph: &OwnershipGraph,
    entities: &'a [Entity],
    registries: &HashSet<String>,
) -> Vec<&'a Entity> {
    entities
        .iter()
        .filter(|e| {
            registries.contains(e.id.list())
                && graph.contains(e.id.as_str())
                && matches!(e.schema, Schema::Person | Schema::Organization)
        })
        .collect()
}

/// The entities whose list carries a regime, in the order given (so that the resolutions do
/// not depend on a map's order).
fn listed_in_order(entities: &[Entity]) -> Vec<Arc<Entity>> {
    entities
        .iter()
        .filter(|e| !Regime::for_list(e.id.list()).is_empty())
        .cloned()
        .map(Arc::new)
        .collect()
}

/// The entities whose list carries a regime, by id.
fn listed_by_id(entities: &[Entity]) -> HashMap<String, Entity> {
    entities
        .iter()
        .filter(|e| !Regime::for_list(e.id.list()).is_empty())
        .map(|e| (e.id.as_str().to_owned(), e.clone()))
        .collect()
}

/// The seeds of `graph`: the listed entities it names, and the resolved registry parties,
/// under each regime of the list.
fn seeds_of(graph: &OwnershipGraph, entities: &[Entity], resolutions: &[Resolution]) -> Vec<Seed> {
    let mut seeds = seeds_in(graph, entities.iter().map(|e| (e.id.as_str(), e.id.list())));
    for resolution in resolutions {
        let list = resolution.listed_id.split_once(':').map_or("", |(l, _)| l);
        for regime in Regime::for_list(list) {
            seeds.push(Seed::resolved(
                &resolution.party_id,
                &resolution.listed_id,
                resolution.score,
                regime,
            ));
        }
    }
    seeds
}

/// The seeds of `graph`: every listed entity it names, under each regime of its list.
fn seeds_in<'a>(
    graph: &OwnershipGraph,
    listed: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (entity_id, list) in listed {
        if !graph.contains(entity_id) {
            continue;
        }
        for regime in Regime::for_list(list) {
            seeds.push(Seed::listed(entity_id, regime));
        }
    }
    seeds
}

/// Today's date (UTC), the default screening date.
pub fn today() -> PartialDate {
    let today = chrono::Utc::now().date_naive();
    PartialDate::parse(&today.format("%Y-%m-%d").to_string()).unwrap_or(PartialDate {
        year: 1970,
        month: None,
        day: None,
    })
}

/// Reads a screening date given as `field`: ISO only (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`),
/// since `03/04/2022` is a different day in London and New York and the date decides which
/// relations hold.
pub fn parse_date(field: &str, text: &str) -> Result<PartialDate, Error> {
    let trimmed = text.trim();
    let iso = !trimmed.is_empty()
        && trimmed.split('-').count() <= 3
        && trimmed.split('-').enumerate().all(|(i, part)| {
            part.len() == if i == 0 { 4 } else { 2 } && part.bytes().all(|b| b.is_ascii_digit())
        });
    iso.then(|| PartialDate::parse(trimmed))
        .flatten()
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "{:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY",
                    text.escape_debug().to_string()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, dob: &str, passport: Option<&str>) -> Entity {
        let mut entity = Entity::new(
            interdict_model::EntityId::new("registry", id),
            Schema::Person,
            "Sergey Shargunov",
        );
        entity.dates_of_birth.extend(DateOfBirth::parse(dob));
        if let Some(number) = passport {
            entity.identifiers.push(interdict_model::Identifier::new(
                interdict_model::IdentifierKind::Passport,
                number,
            ));
        }
        entity
    }

    #[test]
    fn birth_dates_agree_only_where_both_say_the_same() {
        let listed = person("a", "12 May 1980", None);
        assert!(dates_of_birth_agree(
            &person("b", "1980-05-12", None),
            &listed
        ));
        assert!(dates_of_birth_agree(&person("b", "1980", None), &listed));
        assert!(dates_of_birth_agree(
            &person("b", "circa 1979", None),
            &listed
        ));
        assert!(!dates_of_birth_agree(
            &person("b", "1980-05-13", None),
            &listed
        ));
        assert!(!dates_of_birth_agree(
            &person("b", "1957-09-30", None),
            &listed
        ));
        assert!(!dates_of_birth_agree(
            &Entity::new(
                interdict_model::EntityId::new("registry", "c"),
                Schema::Person,
                "Sergey Shargunov",
            ),
            &listed
        ));
    }

    #[test]
    fn identifiers_agree_on_long_enough_values_written_either_way() {
        let listed = person("a", "1980", Some("AB 123-456"));
        assert!(identifiers_agree(
            &person("b", "1990", Some("ab123456")),
            &listed
        ));
        assert!(!identifiers_agree(
            &person("b", "1990", Some("AB123457")),
            &listed
        ));
        let short = person("a", "1980", Some("12-3"));
        assert!(!identifiers_agree(
            &person("b", "1990", Some("123")),
            &short
        ));
    }

    #[test]
    fn screening_dates_are_iso_only() {
        assert_eq!(
            parse_date("date", "2022-03-24").ok(),
            PartialDate::parse("2022-03-24")
        );
        assert!(parse_date("date", "2022").is_ok());
        for bad in ["25/03/2022", "2022-3-24", "", "2022-03-24-01", "2022-13-01"] {
            assert!(parse_date("date", bad).is_err(), "{bad}");
        }
    }
}

/// Loads the ownership graph of the store's active versions on `date`: their relations, and
/// as seeds the entities of the active lists that carry a regime.
pub async fn load(store: &Store, date: PartialDate) -> Result<OwnershipView, Error> {
    Ok(load_named(store, date, "").await?.0)
}

/// [`load`], and whether any active relation names `entity_id`, on whatever date.
async fn load_named(
    store: &Store,
    date: PartialDate,
    entity_id: &str,
) -> Result<(OwnershipView, bool), Error> {
    let relations = store.active_relations().await?;
    let (active, entities) = store.active_entities().await?;
    let versions: BTreeMap<String, String> =
        active.into_iter().map(|(l, v)| (l, v.version)).collect();
    let registries = registries(store, &versions).await?;
    let entity_id = entity_id.to_owned();
    tokio::task::spawn_blocking(move || {
        let named = relations
            .iter()
            .any(|r| r.owner == entity_id || r.asset == entity_id);
        let view = OwnershipView::compute(&relations, &entities, &registries, date)?;
        Ok((view, named))
    })
    .await?
}

/// The lists of `versions` that are registries: they hold relations and carry no regime.
async fn registries(
    store: &Store,
    versions: &BTreeMap<String, String>,
) -> Result<HashSet<String>, Error> {
    let mut registries = HashSet::new();
    for (list, version) in versions {
        if Regime::for_list(list).is_empty() && store.relation_count(list, version).await? > 0 {
            registries.insert(list.clone());
        }
    }
    Ok(registries)
}

/// An entity's standing under every regime on `date` (today when `None`), with the paths
/// from its blocked owners and the names of the parties on them. An entity the graph does
/// not name but the store has is answered with its listing only; an unknown id is not
/// found.
pub async fn report(
    store: &Store,
    entity_id: &str,
    date: Option<PartialDate>,
) -> Result<OwnershipJson, Error> {
    let (entity_id, date) = report_query(entity_id, date)?;
    let (view, named) = load_named(store, date, entity_id).await?;
    let mut json = match view.report(entity_id) {
        Some(json) => json,
        None => unconnected(store, entity_id, date, named).await?,
    };
    name_parties(store, &mut json).await?;
    Ok(json)
}

/// A report's entity id, trimmed and not blank, and its date (today when `None`).
fn report_query(entity_id: &str, date: Option<PartialDate>) -> Result<(&str, PartialDate), Error> {
    let entity_id = entity_id.trim();
    if entity_id.is_empty() {
        return Err(Error::invalid("entity_id", "must not be blank"));
    }
    Ok((entity_id, date.unwrap_or_else(today)))
}

/// [`report`] from the ownership graph the screenings use (`active`, the loaded lists):
/// answered from it when `date` (today when `None`) is its date, without loading the store's
/// entities and relations; computed on demand, as [`report`] does, for another date.
pub async fn report_loaded(
    store: &Store,
    active: &crate::ActiveLists,
    entity_id: &str,
    date: Option<PartialDate>,
) -> Result<OwnershipJson, Error> {
    let (entity_id, date) = report_query(entity_id, date)?;
    if date != active.ownership_date {
        return report(store, entity_id, Some(date)).await;
    }
    let view = active.ownership_view.as_deref();
    let mut json = match view.and_then(|view| view.report(entity_id)) {
        Some(json) => json,
        None => {
            let named = view.is_some_and(|view| view.names(entity_id));
            unconnected(store, entity_id, date, named).await?
        }
    };
    name_parties(store, &mut json).await?;
    Ok(json)
}

/// The report of an entity no relation holding on `date` names: listed under its list's
/// regimes, or nothing. Unknown unless the store has it or a relation on another date
/// (`named`) names it.
async fn unconnected(
    store: &Store,
    entity_id: &str,
    date: PartialDate,
    named: bool,
) -> Result<OwnershipJson, Error> {
    let stored = match store.entity(entity_id).await {
        Ok(stored) => Some(stored),
        Err(interdict_store::Error::NotFound { .. }) if named => None,
        Err(other) => return Err(other.into()),
    };
    let regimes = match stored {
        Some(stored) if stored.version.active => Regime::for_list(&stored.version.list),
        _ => Vec::new(),
    };
    let verdict = |regime: Regime| {
        let listed = regimes.contains(&regime);
        RegimeJson {
            blocked: listed,
            certain: listed,
            listed,
            share: 0.0,
            share_low: 0.0,
            control: (regime != Regime::Ofac).then_some(false),
        }
    };
    Ok(OwnershipJson {
        entity_id: entity_id.to_owned(),
        name: None,
        date: date.to_string(),
        regimes: RegimesJson {
            ofac: verdict(Regime::Ofac),
            eu: verdict(Regime::Eu),
            uk: verdict(Regime::Uk),
        },
        paths: Vec::new(),
        paths_truncated: false,
    })
}

/// Fills in the names of the entity and of every party on its paths that the store has.
async fn name_parties(store: &Store, json: &mut OwnershipJson) -> Result<(), Error> {
    let mut ids: HashSet<String> = HashSet::new();
    ids.insert(json.entity_id.clone());
    for step in json.paths.iter().flat_map(|p| &p.steps) {
        ids.insert(step.owner.clone());
        ids.insert(step.asset.clone());
    }
    let mut names: HashMap<String, String> = HashMap::new();
    for id in ids {
        match store.entity(&id).await {
            Ok(stored) => {
                names.insert(id, stored.entity.name);
            }
            // Registry parties of an edges file have no record of their own.
            Err(interdict_store::Error::NotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    json.name = names.get(&json.entity_id).cloned();
    for step in json.paths.iter_mut().flat_map(|p| p.steps.iter_mut()) {
        step.owner_name = names.get(&step.owner).cloned();
        step.asset_name = names.get(&step.asset).cloned();
    }
    Ok(())
}

/// An entity's standing in the ownership graph: the verdict per regime and the paths from
/// blocked owners to it. Shares and percentages are fractions, 0–1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OwnershipJson {
    /// The entity.
    #[schema(example = "registry:volga-trade")]
    pub entity_id: String,
    /// Its primary name, where the store has its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The screening date: relations that do not hold on it are left out.
    #[schema(example = "2022-03-24")]
    pub date: String,
    /// The verdict per regime.
    pub regimes: RegimesJson,
    /// Paths from blocked owners to the entity, the largest stakes first.
    pub paths: Vec<OwnershipPathJson>,
    /// Whether some paths were left out (more than 25, or longer than 12 steps).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paths_truncated: bool,
}

impl OwnershipJson {
    /// The regimes under which the entity is blocked (conservatively) without being listed.
    pub fn blocked_by_ownership(&self) -> Vec<Regime> {
        Regime::ALL
            .into_iter()
            .filter(|r| {
                let verdict = self.regimes.get(*r);
                verdict.blocked && !verdict.listed
            })
            .collect()
    }
}

/// One verdict per regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RegimesJson {
    /// US OFAC: owned 50% or more in the aggregate by blocked persons (FAQ 401: a blocked
    /// intermediate's stake counts in full); control alone does not block.
    pub ofac: RegimeJson,
    /// European Union: 50% or more in the aggregate from 3 July 2024 (more than 50% on
    /// earlier screening dates: the Council's update of its Best Practices), or control.
    pub eu: RegimeJson,
    /// United Kingdom: more than 50% held by one designated person (joint holdings added),
    /// or control.
    pub uk: RegimeJson,
}

impl RegimesJson {
    /// The verdict of `regime`.
    pub fn get(&self, regime: Regime) -> &RegimeJson {
        match regime {
            Regime::Ofac => &self.ofac,
            Regime::Eu => &self.eu,
            Regime::Uk => &self.uk,
        }
    }
}

/// Whether the entity is blocked under one regime, and by what share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RegimeJson {
    /// Blocked: listed, or held or controlled by blocked parties as the rule says, each
    /// stake read at its conservative (upper) bound.
    pub blocked: bool,
    /// Blocked even with each stake at its lower bound.
    pub certain: bool,
    /// Blocked by a listing of its own.
    pub listed: bool,
    /// The share blocked parties hold, 0–1, at the upper bounds.
    #[schema(minimum = 0.0, maximum = 1.0, example = 0.6)]
    pub share: f64,
    /// The same at the lower bounds.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub share_low: f64,
    /// Whether a blocked party controls it; absent for OFAC, which has no control test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<bool>,
}

impl From<&RegimeVerdict> for RegimeJson {
    fn from(verdict: &RegimeVerdict) -> RegimeJson {
        RegimeJson {
            blocked: verdict.blocked,
            certain: verdict.certain,
            listed: verdict.listed,
            share: verdict.share.fraction(),
            share_low: verdict.share_low.fraction(),
            control: verdict.control,
        }
    }
}

/// A chain of holdings from a blocked owner to the entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OwnershipPathJson {
    /// What the path adds to the entity's share (its last step's stake, counted in full),
    /// 0–1; absent when the last step is control.
    pub share: Option<f64>,
    /// The same at the lower bound.
    pub share_low: Option<f64>,
    /// The regimes under which every step counts (`ofac`, `eu`, `uk`).
    pub regimes: Vec<String>,
    /// From the blocked owner to the entity.
    pub steps: Vec<PathStepJson>,
}

/// One holding on a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PathStepJson {
    /// The holder's id.
    pub owner: String,
    /// The holder's name, where the store has its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    /// What it holds.
    pub asset: String,
    /// Its name, where the store has its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_name: Option<String>,
    /// `ownership` or `control`.
    pub kind: String,
    /// The stake, 0–1, at its upper bound (for ownership).
    pub percentage: Option<f64>,
    /// The stake at its lower bound: below `percentage` when the source gave a range.
    pub percentage_low: Option<f64>,
    /// The role as the source words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Why the holder is blocked.
    pub link: StepLinkJson,
}

/// Why a holder on a path is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StepLinkJson {
    /// `listed` (it is, or the data names, a listed entity), `resolved` (the matcher
    /// resolved it to a listed entity, with the score) or `ownership` (blocked through its
    /// own owners, the path's earlier steps).
    #[schema(example = "listed")]
    pub basis: String,
    /// The listed entity, for `listed` and `resolved`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_id: Option<String>,
    /// The resolution's score, 0–1, for `resolved`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

impl From<&StepLink> for StepLinkJson {
    fn from(link: &StepLink) -> StepLinkJson {
        match link {
            StepLink::Listed { listed_id } => StepLinkJson {
                basis: "listed".into(),
                listed_id: Some(listed_id.clone()),
                score: None,
            },
            StepLink::Resolved { listed_id, score } => StepLinkJson {
                basis: "resolved".into(),
                listed_id: Some(listed_id.clone()),
                score: Some(*score),
            },
            StepLink::Ownership => StepLinkJson {
                basis: "ownership".into(),
                listed_id: None,
                score: None,
            },
        }
    }
}

impl From<&PathStep> for PathStepJson {
    fn from(step: &PathStep) -> PathStepJson {
        PathStepJson {
            owner: step.owner.clone(),
            owner_name: None,
            asset: step.asset.clone(),
            asset_name: None,
            kind: step.kind.as_str().to_owned(),
            percentage: step.percentage.map(|s| s.fraction()),
            percentage_low: step.percentage_low.map(|s| s.fraction()),
            role: step.role.clone(),
            link: StepLinkJson::from(&step.link),
        }
    }
}

impl From<&OwnershipPath> for OwnershipPathJson {
    fn from(path: &OwnershipPath) -> OwnershipPathJson {
        OwnershipPathJson {
            share: path.share.map(|s| s.fraction()),
            share_low: path.share_low.map(|s| s.fraction()),
            regimes: path.regimes.iter().map(|r| r.as_str().to_owned()).collect(),
            steps: path.steps.iter().map(PathStepJson::from).collect(),
        }
    }
}

impl From<OwnershipReport> for OwnershipJson {
    fn from(report: OwnershipReport) -> OwnershipJson {
        OwnershipJson {
            entity_id: report.entity_id,
            name: None,
            date: report.date.to_string(),
            regimes: RegimesJson {
                ofac: RegimeJson::from(&report.regimes.ofac),
                eu: RegimeJson::from(&report.regimes.eu),
                uk: RegimeJson::from(&report.regimes.uk),
            },
            paths: report.paths.iter().map(OwnershipPathJson::from).collect(),
            paths_truncated: report.paths_truncated,
        }
    }
}

/// The entities blocked through ownership, per regime, in a map for lookups by id.
pub fn blocked_by_id(view: &OwnershipView) -> BTreeMap<String, BlockedEntity> {
    view.blocked_unlisted()
        .into_iter()
        .map(|b| (b.entity_id.clone(), b))
        .collect()
}

/// What a match carries when its entity is on no list but blocked through its owners: the
/// basis `ownership`, the regimes that block it, the share blocked owners hold and the paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OwnershipHitJson {
    /// Always `ownership`: the entity is blocked through its owners, not listed.
    #[schema(example = "ownership")]
    pub basis: String,
    /// The regimes under which it is blocked (`ofac`, `eu`, `uk`).
    pub regimes: Vec<String>,
    /// The largest share blocked owners hold under those regimes, 0–1 (upper bounds).
    #[schema(minimum = 0.0, maximum = 1.0, example = 0.6)]
    pub share: f64,
    /// The screening date of the ownership data.
    pub date: String,
    /// The verdict per regime.
    pub verdicts: RegimesJson,
    /// The paths from blocked owners, the largest stakes first.
    pub paths: Vec<OwnershipPathJson>,
}

impl OwnershipHitJson {
    /// The hit of a report whose entity is blocked by ownership; `None` when it is not.
    pub fn from_report(report: &OwnershipJson) -> Option<OwnershipHitJson> {
        let regimes = report.blocked_by_ownership();
        if regimes.is_empty() {
            return None;
        }
        let share = regimes
            .iter()
            .map(|r| report.regimes.get(*r).share)
            .fold(0.0, f64::max);
        Some(OwnershipHitJson {
            basis: "ownership".into(),
            regimes: regimes.iter().map(|r| r.as_str().to_owned()).collect(),
            share,
            date: report.date.clone(),
            verdicts: report.regimes.clone(),
            paths: report.paths.clone(),
        })
    }
}

/// The ownership hits of the entities a screening can meet, by entity id.
pub type OwnershipHits = BTreeMap<String, OwnershipHitJson>;

/// What screenings and monitoring run against: the entities of the given versions, less the
/// registry parties (entities of a list that holds relations and carries no regime) that
/// are not blocked through their owners, and the ownership hit of each registry party that
/// is.
#[derive(Debug, Default)]
pub struct Screenable {
    /// The entities to index.
    pub entities: Vec<Entity>,
    /// The ownership hit of each registry party kept.
    pub ownership: OwnershipHits,
    /// The ownership graph they come from; `None` when no version holds relations.
    pub view: Option<Arc<OwnershipView>>,
    /// Whether `view` was updated from the previous one rather than computed.
    pub incremental: bool,
}

/// Filters `entities` (those of `versions`, list id → version) for screening on `date`: a
/// registry's companies and people are not designations and are screened only when the
/// ownership graph blocks them, and then with the paths that do. Lists without relations
/// pass untouched, at the cost of one small query per list.
pub async fn screenable(
    store: &Store,
    versions: &BTreeMap<String, String>,
    entities: Vec<Entity>,
    date: PartialDate,
) -> Result<Screenable, Error> {
    screenable_after(store, versions, entities, date, None).await
}

/// [`screenable`], updating `previous` (the view of the versions active before) when it
/// stands on the same relations and date ([`OwnershipView::can_update`]): only the seeds
/// that changed are recomputed. Otherwise the graph is built and propagated afresh.
pub async fn screenable_after(
    store: &Store,
    versions: &BTreeMap<String, String>,
    entities: Vec<Entity>,
    date: PartialDate,
    previous: Option<Arc<OwnershipView>>,
) -> Result<Screenable, Error> {
    let mut relation_versions = BTreeMap::new();
    let mut registries = HashSet::new();
    for (list, version) in versions {
        if store.relation_count(list, version).await? == 0 {
            continue;
        }
        relation_versions.insert(list.clone(), version.clone());
        if Regime::for_list(list).is_empty() {
            registries.insert(list.clone());
        }
    }
    if relation_versions.is_empty() {
        return Ok(Screenable {
            entities,
            ..Screenable::default()
        });
    }
    let previous = previous.filter(|view| view.can_update(&relation_versions, date));
    let mut relations = Vec::new();
    if previous.is_none() {
        for (list, version) in &relation_versions {
            relations.extend(store.version_relations(list, version).await?);
        }
    }
    tokio::task::spawn_blocking(move || {
        let incremental = previous.is_some();
        let view = match previous {
            Some(previous) => previous.update(&entities)?.view,
            None => {
                let mut view = OwnershipView::compute(&relations, &entities, &registries, date)?;
                view.relation_versions = relation_versions;
                view
            }
        };
        drop(relations);
        let ownership = ownership_hits(&view, &entities, &registries);
        let entities = entities
            .into_iter()
            .filter(|e| !registries.contains(e.id.list()) || ownership.contains_key(e.id.as_str()))
            .collect();
        Ok(Screenable {
            entities,
            ownership,
            view: Some(Arc::new(view)),
            incremental,
        })
    })
    .await?
}

/// The ownership hit of every registry party of `entities` that `view` blocks through its
/// owners.
fn ownership_hits(
    view: &OwnershipView,
    entities: &[Entity],
    registries: &HashSet<String>,
) -> OwnershipHits {
    let names: HashMap<&str, &str> = entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let mut ownership = BTreeMap::new();
    for blocked in view.blocked_unlisted() {
        let Some(list) = blocked.entity_id.split_once(':').map(|(list, _)| list) else {
            continue;
        };
        if !registries.contains(list) || !names.contains_key(blocked.entity_id.as_str()) {
            continue;
        }
        let Some(mut report) = view.report(&blocked.entity_id) else {
            continue;
        };
        name_from(&names, &mut report);
        if let Some(hit) = OwnershipHitJson::from_report(&report) {
            ownership.insert(blocked.entity_id, hit);
        }
    }
    ownership
}

/// Names the parties of a report from entities in memory.
fn name_from(names: &HashMap<&str, &str>, report: &mut OwnershipJson) {
    report.name = names
        .get(report.entity_id.as_str())
        .map(|n| (*n).to_owned());
    for step in report.paths.iter_mut().flat_map(|p| p.steps.iter_mut()) {
        step.owner_name = names.get(step.owner.as_str()).map(|n| (*n).to_owned());
        step.asset_name = names.get(step.asset.as_str()).map(|n| (*n).to_owned());
    }
}

/// The score a registry party must reach against a listed entity to be taken for it: well
/// above the screening threshold, since a resolution blocks companies without an analyst.
pub const RESOLVE_THRESHOLD: f64 = 0.90;

/// A registry party taken for a listed entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The registry party.
    pub party_id: String,
    /// The listed entity.
    pub listed_id: String,
    /// The matcher's score, 0–1.
    pub score: f64,
}

/// Resolves registry `parties` to `listed` entities: the best match scoring at least
/// [`RESOLVE_THRESHOLD`] (the party screened as monitoring screens a customer) whose date of
/// birth or an identifier agrees with the party's. A name alone never resolves: two people
/// share a name far more often than a name and a date of birth.
pub fn resolve(parties: &[&Entity], listed: Vec<Arc<Entity>>) -> Vec<Resolution> {
    if parties.is_empty() || listed.is_empty() {
        return Vec::new();
    }
    let index = Index::build(listed);
    let options = ScreenOptions {
        threshold: RESOLVE_THRESHOLD,
        limit: 5,
    };
    parties
        .iter()
        .filter_map(|party| {
            index
                .screen(&query_for(party), &options)
                .into_iter()
                .find(|m| {
                    dates_of_birth_agree(party, &m.entity) || identifiers_agree(party, &m.entity)
                })
                .map(|m| Resolution {
                    party_id: party.id.as_str().to_owned(),
                    listed_id: m.entity.id.as_str().to_owned(),
                    score: (m.score * 10_000.0).round() / 10_000.0,
                })
        })
        .collect()
}

/// Whether some date of birth of each agrees: the years overlap, and where both give the
/// month (and the day) exactly, those are equal.
fn dates_of_birth_agree(a: &Entity, b: &Entity) -> bool {
    a.dates_of_birth.iter().any(|x| {
        b.dates_of_birth.iter().any(|y| {
            let ((x0, x1), (y0, y1)) = (x.year_range(), y.year_range());
            if x0 > y1 || y0 > x1 {
                return false;
            }
            match (x, y) {
                (DateOfBirth::Exact { date: p }, DateOfBirth::Exact { date: q }) => {
                    let month = p.month.zip(q.month).is_none_or(|(m, n)| m == n);
                    let day = p.day.zip(q.day).is_none_or(|(d, e)| d == e);
                    month && day
                }
                _ => true,
            }
        })
    })
}

/// Whether both carry one identifier value (letters and digits compared, case-folded, at
/// least five of them, so that no short number agrees by chance).
fn identifiers_agree(a: &Entity, b: &Entity) -> bool {
    let key = |value: &str| -> String {
        value
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let theirs: HashSet<String> = b
        .identifiers
        .iter()
        .map(|i| key(&i.value))
        .filter(|k| k.len() >= 5)
        .collect();
    a.identifiers
        .iter()
        .any(|i| theirs.contains(&key(&i.value)))
}
