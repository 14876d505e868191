//! The same party on several lists: OFAC, the UN, the EU and the UK each list many of the same
//! people and organisations, and an analyst should see one hit (and one alert) per party with
//! every list that names it, not four.
//!
//! Two records of different lists are one party when
//! - they share a reference one list gives to another's record: a UN Security Council
//!   reference number (the UN list's own record is `<list>:<reference>`; EU and UK records
//!   cite it), an OFSI consolidated list group id or a UK Sanctions List id (the two UK lists
//!   cite each other's), or
//! - they carry the same decisive identifier (passport, national id, tax or registration
//!   number, IMO number, BIC, wallet), of a kind, value and issuing country that agree, on
//!   records of the same kind of party whose names agree (a name score of at least
//!   [`NAME_AGREEMENT`]) and whose dates of birth, when both give some, overlap.
//!
//! Never by name alone: namesakes are different people. Links are made in a fixed order
//! (UN references first, then identifiers, each by entity id), and a link that would put two
//! records of one list in one party is refused, so that two entries a list keeps apart are
//! never merged by a third record. The grouping depends only on the entities, so a replay
//! against the recorded versions groups as the screening did.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use interdict_matching::{Match, PreparedName};
use interdict_model::{Entity, Schema};
use interdict_store::Store;

use crate::Error;
use crate::contract::AlsoListedJson;
use crate::screening::also_listed_json;

/// The name score two records sharing an identifier need to be taken for one party.
pub const NAME_AGREEMENT: f64 = 0.8;

/// An identifier value shared by more records than this is not taken to identify one party
/// (a placeholder such as a shared registry number); UN references are exempt.
const MAX_SHARED_IDENTIFIER: usize = 8;

/// Values shorter than this (letters and digits) are too short to identify anyone.
const MIN_IDENTIFIER_CHARS: usize = 5;

/// Names compared per record when checking that two records agree.
const MAX_NAMES_COMPARED: usize = 12;

/// One record of a party on another list than the one shown first.
#[derive(Debug, Clone)]
pub struct OtherListing {
    /// The record.
    pub entity: Arc<Entity>,
    /// Its score for the query, when it was matched too; `None` when it names the party but
    /// did not score at or above the threshold (or was not asked about).
    pub score: Option<f64>,
    /// The record's name that matched, when it was matched.
    pub matched_name: Option<String>,
    /// Why it is taken for the same party, e.g. `UN reference number TAi.002`.
    pub linked_by: String,
}

/// A screening hit for one party: the best-scoring record, and its records on other lists.
#[derive(Debug, Clone)]
pub struct PartyMatch {
    /// The best-scoring record (ties by entity id).
    pub lead: Match,
    /// The party's other records: the matched ones best first, then the others by id.
    pub also_listed: Vec<OtherListing>,
}

/// One record of a party and why it belongs to it.
#[derive(Debug, Clone)]
struct Member {
    entity: Arc<Entity>,
    linked_by: String,
}

/// The parties found on more than one list, over a set of entities (the active versions).
#[derive(Debug, Clone, Default)]
pub struct CrossListParties {
    /// Entity id → its party, for records linked to at least one other list.
    party_of: HashMap<String, usize>,
    /// Each party's records, by entity id.
    parties: Vec<Vec<Member>>,
}

/// A reason to take two records for one party, before it is checked.
struct Candidate {
    /// 0 for a reference (made by the lists themselves), 1 for an identifier.
    strength: u8,
    first: usize,
    second: usize,
    linked_by: String,
}

impl CrossListParties {
    /// Finds the parties that `entities` list more than once (see the module's rules).
    pub fn build(entities: &[Arc<Entity>]) -> CrossListParties {
        let mut sorted: Vec<&Arc<Entity>> = entities.iter().collect();
        sorted.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        sorted.dedup_by(|a, b| a.id == b.id);

        // Shared keys: ("UN reference number", reference) or (identifier kind, value, country).
        let mut by_reference: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_identifier: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (index, entity) in sorted.iter().enumerate() {
            for (scheme, reference) in interdict_sources::cross_references_of(entity) {
                by_reference
                    .entry(format!("{scheme} {reference}"))
                    .or_default()
                    .push(index);
            }
            for identifier in entity.identifiers.iter().filter(|i| i.kind.is_decisive()) {
                let value = identifier.normalized_value();
                if value.chars().count() < MIN_IDENTIFIER_CHARS {
                    continue;
                }
                let members = by_identifier
                    .entry((identifier.kind.label(), value))
                    .or_default();
                if members.last() != Some(&index) {
                    members.push(index);
                }
            }
        }

        let mut candidates = Vec::new();
        for (reference, members) in &by_reference {
            for (n, &first) in members.iter().enumerate() {
                for &second in members.iter().skip(n + 1) {
                    candidates.push(Candidate {
                        strength: 0,
                        first,
                        second,
                        linked_by: reference.clone(),
                    });
                }
            }
        }
        for ((kind, value), members) in &by_identifier {
            if members.len() > MAX_SHARED_IDENTIFIER {
                continue;
            }
            for (n, &first) in members.iter().enumerate() {
                for &second in members.iter().skip(n + 1) {
                    let (Some(a), Some(b)) = (sorted.get(first), sorted.get(second)) else {
                        continue;
                    };
                    if identifier_agrees(a, b, kind, value) && same_party_by_description(a, b) {
                        candidates.push(Candidate {
                            strength: 1,
                            first,
                            second,
                            linked_by: format!("{} {value}", kind.replace('_', " ")),
                        });
                    }
                }
            }
        }
        candidates.sort_by_key(|c| (c.strength, c.first, c.second));

        let mut groups = Groups::new(&sorted);
        let mut linked_by: Vec<Option<String>> = vec![None; sorted.len()];
        for candidate in candidates {
            let (first, second) = (candidate.first, candidate.second);
            if groups.join(first, second) {
                for at in [first, second] {
                    if let Some(slot) = linked_by.get_mut(at)
                        && slot.is_none()
                    {
                        *slot = Some(candidate.linked_by.clone());
                    }
                }
            }
        }

        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for index in 0..sorted.len() {
            by_root.entry(groups.root(index)).or_default().push(index);
        }
        let mut parties = CrossListParties::default();
        for members in by_root.into_values().filter(|m| m.len() > 1) {
            let party = parties.parties.len();
            let mut records = Vec::with_capacity(members.len());
            for index in members {
                let (Some(entity), Some(Some(why))) = (sorted.get(index), linked_by.get(index))
                else {
                    continue;
                };
                parties
                    .party_of
                    .insert(entity.id.as_str().to_owned(), party);
                records.push(Member {
                    entity: Arc::clone(entity),
                    linked_by: why.clone(),
                });
            }
            parties.parties.push(records);
        }
        parties
    }

    /// The party `entity_id` belongs to, when it is listed more than once: a number that
    /// names the party within this build only.
    pub fn party(&self, entity_id: &str) -> Option<usize> {
        self.party_of.get(entity_id).copied()
    }

    /// How many parties are listed more than once.
    pub fn len(&self) -> usize {
        self.parties.len()
    }

    /// Whether no party is listed more than once.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
    }

    /// The most records one party has.
    pub fn largest(&self) -> usize {
        self.parties.iter().map(Vec::len).max().unwrap_or(1)
    }

    /// How many matches to ask the index for so that `limit` parties can be answered: each
    /// party may take up to [`CrossListParties::largest`] of them.
    pub fn matches_for(&self, limit: usize) -> usize {
        limit.saturating_mul(self.largest())
    }

    /// The records of the same party on other lists than `entity_id`'s, by entity id (none
    /// when it is listed once).
    pub fn others(&self, entity_id: &str) -> Vec<OtherListing> {
        self.members(entity_id)
            .iter()
            .filter(|m| m.entity.id.as_str() != entity_id)
            .map(|m| OtherListing {
                entity: Arc::clone(&m.entity),
                score: None,
                matched_name: None,
                linked_by: m.linked_by.clone(),
            })
            .collect()
    }

    fn members(&self, entity_id: &str) -> &[Member] {
        self.party_of
            .get(entity_id)
            .and_then(|&party| self.parties.get(party))
            .map_or(&[], Vec::as_slice)
    }

    /// One hit per party: `matches` (best first) folded so that each party is led by its
    /// best-scoring record, with its other matched records (and its unmatched ones) listed
    /// beside it; at most `limit` hits.
    pub fn group(&self, matches: Vec<Match>, limit: usize) -> Vec<PartyMatch> {
        let mut hits: Vec<PartyMatch> = Vec::new();
        let mut hit_of_party: HashMap<usize, usize> = HashMap::new();
        for m in matches {
            let party = self.party_of.get(m.entity.id.as_str()).copied();
            if let Some(party) = party
                && let Some(hit) = hit_of_party.get(&party).and_then(|&h| hits.get_mut(h))
            {
                let linked_by = self
                    .members(m.entity.id.as_str())
                    .iter()
                    .find(|member| member.entity.id == m.entity.id)
                    .map(|member| member.linked_by.clone())
                    .unwrap_or_default();
                hit.also_listed.push(OtherListing {
                    entity: Arc::clone(&m.entity),
                    score: Some(m.score),
                    matched_name: Some(m.matched_name.clone()),
                    linked_by,
                });
                continue;
            }
            if hits.len() == limit {
                // Later matches can only join a party already answered.
                continue;
            }
            if let Some(party) = party {
                hit_of_party.insert(party, hits.len());
            }
            hits.push(PartyMatch {
                lead: m,
                also_listed: Vec::new(),
            });
        }
        for hit in &mut hits {
            let lead = hit.lead.entity.id.as_str();
            for other in self.others(lead) {
                if !hit
                    .also_listed
                    .iter()
                    .any(|o| o.entity.id == other.entity.id)
                {
                    hit.also_listed.push(other);
                }
            }
        }
        hits
    }
}

/// The records of `entity_id`'s party on the other active lists, as JSON (empty when it is
/// listed once): for `interdict entity` and the entity pages of a front-end that holds no
/// [`crate::ActiveLists`] (which answers the same with [`crate::ActiveLists::also_listed`]).
pub async fn also_listed(store: &Store, entity_id: &str) -> Result<Vec<AlsoListedJson>, Error> {
    let (_, entities) = store.active_entities().await?;
    let entity_id = entity_id.to_owned();
    Ok(tokio::task::spawn_blocking(move || {
        let entities: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
        CrossListParties::build(&entities)
            .others(&entity_id)
            .iter()
            .map(also_listed_json)
            .collect()
    })
    .await?)
}

/// Whether an identifier two records share agrees in what else they say of it: the issuing
/// countries, when both give one, are the same.
fn identifier_agrees(a: &Entity, b: &Entity, kind: &str, value: &str) -> bool {
    let country = |e: &Entity| {
        e.identifiers
            .iter()
            .filter(|i| i.kind.label() == kind && i.normalized_value() == value)
            .find_map(|i| i.country)
    };
    match (country(a), country(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Whether two records sharing an identifier describe the same party: on different lists,
/// of kinds that may be one party, with agreeing names and dates of birth.
fn same_party_by_description(a: &Entity, b: &Entity) -> bool {
    if a.id.list() == b.id.list() {
        return false;
    }
    let schema = match (a.schema, b.schema) {
        (x, y) if x == y => x,
        (Schema::Unknown, y) => y,
        (x, Schema::Unknown) => x,
        _ => return false,
    };
    if !a.dates_of_birth.is_empty()
        && !b.dates_of_birth.is_empty()
        && !a.dates_of_birth.iter().any(|x| {
            let (from, to) = x.year_range();
            b.dates_of_birth.iter().any(|y| {
                let (other_from, other_to) = y.year_range();
                from <= other_to && other_from <= to
            })
        })
    {
        return false;
    }
    let profile = (schema != Schema::Unknown).then_some(schema);
    let names = |e: &Entity| -> Vec<PreparedName> {
        e.names
            .iter()
            .take(MAX_NAMES_COMPARED)
            .map(|n| PreparedName::new(&n.full, profile))
            .filter(|n| !n.is_empty())
            .collect()
    };
    let (names_a, names_b) = (names(a), names(b));
    names_a
        .iter()
        .any(|x| names_b.iter().any(|y| x.score(y) >= NAME_AGREEMENT))
}

/// Union-find over records that never puts two records of one list in one group.
struct Groups {
    parent: Vec<usize>,
    /// The lists of each root's group, sorted.
    lists: Vec<Vec<String>>,
}

impl Groups {
    fn new(entities: &[&Arc<Entity>]) -> Groups {
        Groups {
            parent: (0..entities.len()).collect(),
            lists: entities
                .iter()
                .map(|e| vec![e.id.list().to_owned()])
                .collect(),
        }
    }

    fn root(&mut self, mut at: usize) -> usize {
        while let Some(&up) = self.parent.get(at) {
            if up == at {
                break;
            }
            // Path halving keeps the trees flat.
            let grand = self.parent.get(up).copied().unwrap_or(up);
            if let Some(slot) = self.parent.get_mut(at) {
                *slot = grand;
            }
            at = up;
        }
        at
    }

    /// Joins the groups of `a` and `b` unless they share a list; whether they are (now) one.
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return true;
        }
        let lists_a = self.lists.get(ra).cloned().unwrap_or_default();
        let lists_b = self.lists.get(rb).cloned().unwrap_or_default();
        if lists_a.iter().any(|l| lists_b.contains(l)) {
            return false;
        }
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = self.parent.get_mut(child) {
            *slot = root;
        }
        if let Some(lists) = self.lists.get_mut(root) {
            lists.extend(lists_a.into_iter().chain(lists_b));
            lists.sort();
            lists.dedup();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{EntityId, Identifier, IdentifierKind};

    fn person(id: &str, list: &str, name: &str) -> Entity {
        Entity::new(EntityId::new(list, id), Schema::Person, name)
    }

    fn with(mut entity: Entity, kind: IdentifierKind, value: &str) -> Arc<Entity> {
        entity.add_identifier(Identifier::new(kind, value));
        Arc::new(entity)
    }

    fn un_ref() -> IdentifierKind {
        IdentifierKind::Other {
            label: interdict_sources::UN_REFERENCE_LABEL.into(),
        }
    }

    #[test]
    fn links_by_un_reference_and_by_passport_with_agreeing_names_only() {
        let entities = vec![
            with(person("A1", "uk", "Ivan Petrov"), un_ref(), "QDi.001"),
            with(person("E1", "eu", "Ivan PETROV"), un_ref(), "QDi.001"),
            with(
                person("1", "ofac", "PETROV, Ivan"),
                IdentifierKind::Passport,
                "P 123 456",
            ),
            with(
                person("A2", "uk", "Ivan Petrov"),
                IdentifierKind::Passport,
                "P123456",
            ),
            // Same passport number, another person's name: not linked.
            with(
                person("2", "ofac", "MARIA GONZALEZ"),
                IdentifierKind::Passport,
                "P123456",
            ),
            // Same name, nothing shared: never linked by name alone.
            Arc::new(person("E2", "eu", "Ivan Petrov")),
        ];
        let parties = CrossListParties::build(&entities);
        let ids = |id: &str| -> Vec<String> {
            parties
                .others(id)
                .iter()
                .map(|o| o.entity.id.as_str().to_owned())
                .collect()
        };
        assert_eq!(ids("uk:A1"), ["eu:E1"]);
        assert_eq!(ids("ofac:1"), ["uk:A2"]);
        assert!(ids("ofac:2").is_empty());
        assert!(ids("eu:E2").is_empty());
        assert_eq!(parties.len(), 2);
        assert_eq!(
            parties.others("eu:E1")[0].linked_by,
            "UN reference number QDi.001"
        );
    }

    #[test]
    fn never_puts_two_records_of_one_list_in_one_party() {
        // A UK record citing two UN references must not merge the two UN records.
        let mut uk = person("A1", "uk", "Ivan Petrov");
        uk.add_identifier(Identifier::new(un_ref(), "QDi.001"));
        uk.add_identifier(Identifier::new(un_ref(), "QDi.002"));
        let entities = vec![
            Arc::new(uk),
            with(person("X", "eu", "Ivan Petrov"), un_ref(), "QDi.001"),
            with(person("Y", "eu", "Petr Ivanov"), un_ref(), "QDi.002"),
        ];
        let parties = CrossListParties::build(&entities);
        assert_eq!(parties.others("uk:A1").len(), 1);
        assert!(parties.others("eu:Y").is_empty());
    }

    #[test]
    fn conflicting_dates_of_birth_keep_passport_sharers_apart() {
        let mut a = person("1", "ofac", "Ivan Petrov");
        a.dates_of_birth
            .push(interdict_model::DateOfBirth::parse("1960").expect("date"));
        let mut b = person("A", "uk", "Ivan Petrov");
        b.dates_of_birth
            .push(interdict_model::DateOfBirth::parse("1985").expect("date"));
        let entities = vec![
            with(a, IdentifierKind::Passport, "P123456"),
            with(b, IdentifierKind::Passport, "P123456"),
        ];
        assert!(CrossListParties::build(&entities).is_empty());
    }
}
