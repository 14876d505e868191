//! Full mode (customers against the lists) and delta mode (changed listed entities against
//! the portfolio), both ending in the same pair scoring.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use interdict_matching::{Explanation, Index, Match, Query, ScreenOptions};
use interdict_model::{Entity, EntityId, Schema};
use rayon::prelude::*;

use crate::customer::{Customer, query_for};
use crate::fingerprint::match_fingerprint;

/// How far below the threshold delta mode looks for candidates. The reverse lookup scores
/// the name alone (the date-of-birth and country features can add up to 0.12 in full mode)
/// with token rarities of the portfolio instead of the lists; the margin covers both, so a
/// pair full mode reports is not lost on the way. Candidates are re-scored in full mode.
pub const DELTA_MARGIN: f64 = 0.2;

/// Candidates kept per listed name in delta mode. A name that brings this many is reported
/// as saturated (see [`DeltaOutcome::saturated`]).
const DELTA_CANDIDATE_LIMIT: usize = 2000;

/// A customer that screening matched to a listed entity.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The customer id.
    pub customer_id: String,
    /// The customer's [`match_fingerprint`] when it was screened.
    pub customer_fingerprint: String,
    /// The listed entity.
    pub entity: Arc<Entity>,
    /// The entity's [`match_fingerprint`].
    pub entity_fingerprint: String,
    /// The score, in [0, 1].
    pub score: f64,
    /// The entity's name that matched best.
    pub matched_name: String,
    /// Why it scored what it did.
    pub explanation: Explanation,
}

impl Hit {
    fn new(customer: &Entity, found: Match) -> Hit {
        Hit {
            customer_id: customer.id.source_id().to_owned(),
            customer_fingerprint: match_fingerprint(customer),
            entity_fingerprint: match_fingerprint(&found.entity),
            entity: found.entity,
            score: found.score,
            matched_name: found.matched_name,
            explanation: found.explanation,
        }
    }

    /// The (customer id, entity id) pair the hit is about.
    pub fn pair(&self) -> (&str, &str) {
        (&self.customer_id, self.entity.id.as_str())
    }
}

/// Full mode: screens every customer against the index of the active lists, in parallel.
/// Hits come in customer order, best first per customer.
pub fn screen_customers(
    lists: &Index,
    customers: &[Customer],
    options: &ScreenOptions,
) -> Vec<Hit> {
    customers
        .par_iter()
        .flat_map_iter(|customer| screen_one(lists, &customer.to_entity(), options, |_| true))
        .collect()
}

/// Screens one customer (as its portfolio entity) against the lists, keeping the matches
/// `keep` accepts.
fn screen_one(
    lists: &Index,
    customer: &Entity,
    options: &ScreenOptions,
    keep: impl Fn(&EntityId) -> bool,
) -> Vec<Hit> {
    lists
        .screen(&query_for(customer), options)
        .into_iter()
        .filter(|m| keep(&m.entity.id))
        .map(|m| Hit::new(customer, m))
        .collect()
}

/// The customer portfolio indexed as a pseudo-list, for delta mode.
#[derive(Debug)]
pub struct Portfolio {
    index: Index,
}

/// What delta mode found.
#[derive(Debug, Default)]
pub struct DeltaOutcome {
    /// The hits, scored as full mode scores them, in customer order.
    pub hits: Vec<Hit>,
    /// How many listed names queried the portfolio.
    pub queries: usize,
    /// How many distinct customers were re-scored.
    pub candidates: usize,
    /// Entities with a name that brought the maximum number of candidates: some customers
    /// sharing that name may have been left out; a full re-screen finds them all.
    pub saturated: Vec<EntityId>,
}

impl Portfolio {
    /// Indexes the customers (in parallel).
    pub fn build(customers: &[Customer]) -> Portfolio {
        let entities = customers
            .par_iter()
            .map(|c| Arc::new(c.to_entity()))
            .collect();
        Portfolio {
            index: Index::build(entities),
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the portfolio is empty.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Delta mode: finds the customers that match any of `entities` (the listed entities
    /// added or changed by a list update), scored against `lists`, the index of the active
    /// lists, which must hold them.
    ///
    /// Each name of each entity queries the portfolio for candidate customers at
    /// [`DELTA_MARGIN`] below the threshold, without the entity features; each candidate
    /// customer is then screened against `lists` exactly as [`screen_customers`] does, and
    /// its matches on `entities` are the hits. So delta mode reports the pairs full mode
    /// reports for these entities, with the same scores, as long as the reverse lookup
    /// brings the customer up: a listed name shared by more than 2,000 customers is
    /// reported in [`DeltaOutcome::saturated`].
    pub fn screen_entities(
        &self,
        lists: &Index,
        entities: &[Arc<Entity>],
        options: &ScreenOptions,
    ) -> DeltaOutcome {
        let queries: Vec<(usize, Query)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, entity)| reverse_queries(entity).into_iter().map(move |q| (i, q)))
            .collect();
        let lookup = ScreenOptions {
            threshold: (options.threshold - DELTA_MARGIN).max(0.0),
            limit: DELTA_CANDIDATE_LIMIT,
        };
        let found: Vec<(usize, Vec<Match>)> = queries
            .par_iter()
            .map(|(i, query)| (*i, self.index.screen(query, &lookup)))
            .collect();

        let mut saturated: Vec<EntityId> = Vec::new();
        let mut candidates: HashMap<&str, Arc<Entity>> = HashMap::new();
        for (i, matches) in &found {
            if matches.len() >= DELTA_CANDIDATE_LIMIT
                && let Some(entity) = entities.get(*i)
                && !saturated.contains(&entity.id)
            {
                saturated.push(entity.id.clone());
            }
            for m in matches {
                candidates
                    .entry(m.entity.id.as_str())
                    .or_insert_with(|| Arc::clone(&m.entity));
            }
        }
        let mut candidates: Vec<Arc<Entity>> = candidates.into_values().collect();
        candidates.sort_by(|a, b| a.id.cmp(&b.id));

        let wanted: HashSet<&EntityId> = entities.iter().map(|e| &e.id).collect();
        let hits = candidates
            .par_iter()
            .flat_map_iter(|customer| {
                screen_one(lists, customer, options, |id| wanted.contains(id))
            })
            .collect();
        DeltaOutcome {
            hits,
            queries: queries.len(),
            candidates: candidates.len(),
            saturated,
        }
    }
}

/// One name-only query per distinct name of a listed entity, restricted to compatible
/// schemas; for a person, also the surname with the initials of the other names
/// ([`initials_forms`]).
fn reverse_queries(entity: &Entity) -> Vec<Query> {
    let mut seen: HashSet<String> = HashSet::new();
    let person = matches!(entity.schema, Schema::Person | Schema::Unknown);
    entity
        .names
        .iter()
        .map(|n| n.full.trim())
        .filter(|name| !name.is_empty())
        .flat_map(|name| {
            let mut forms = vec![name.to_owned()];
            if person {
                forms.extend(initials_forms(name));
            }
            forms
        })
        .filter(|name| seen.insert(name.clone()))
        .map(|name| Query {
            schema: (entity.schema != Schema::Unknown).then_some(entity.schema),
            ..Query::name(name)
        })
        .collect()
}

/// A person's name as registers write it with initials: "SHARGUNOV, Sergey Aleksandrovich"
/// → "SHARGUNOV S A". A customer written so, with no kind of party recorded, is indexed under
/// the rules common to every kind, which read "S. A." as one word `sa` (as in "A.B.C.
/// Company"): the full listed name finds only its surname there, and ranks it below every
/// customer sharing the given names and patronymic, while full mode reads the customer as a
/// person and matches. The surname is the part before a comma, else each of the first and
/// last words in turn.
fn initials_forms(name: &str) -> Vec<String> {
    let initial = |word: &str| word.chars().find(|c| c.is_alphabetic());
    let form = |surname: &str, given: &[&str]| -> Option<String> {
        let initials: Vec<String> = given
            .iter()
            .filter_map(|w| initial(w))
            .map(String::from)
            .collect();
        (!initials.is_empty() && initial(surname).is_some())
            .then(|| format!("{surname} {}", initials.join(" ")))
    };
    if let Some((surname, given)) = name.split_once(',') {
        let given: Vec<&str> = given.split_whitespace().collect();
        return form(surname.trim(), &given).into_iter().collect();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let (Some((last, before_last)), Some((first, after_first))) =
        (words.split_last(), words.split_first())
    else {
        return Vec::new();
    };
    if words.len() < 2 {
        return Vec::new();
    }
    form(last, before_last)
        .into_iter()
        .chain(form(first, after_first))
        .collect()
}
