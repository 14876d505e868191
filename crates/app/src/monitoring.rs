//! Monitoring: screens what changed since the last run and records the alerts.
//!
//! New and changed customers are screened against the whole of the active lists. Listed
//! entities added or changed since the list versions last monitored (by `store.diff`; every
//! entity of a list never monitored) are screened against the rest of the portfolio in delta
//! mode. `interdict-monitor` decides what the hits mean against the alerts already raised;
//! the store records it all in one transaction. The command line (`monitor run`) and the
//! service (`POST /v1/monitor/run`, and after imports or on a schedule) run this one
//! function.
//!
//! Ownership: a registry's parties are screened only while the ownership graph blocks them
//! ([`crate::ownership::screenable`]). In delta mode, on a run in which a list changed, the
//! parties that became blocked through their owners are screened against the portfolio — a
//! list update that designates an owner blocks its companies without changing them: the
//! graph before the update is computed from the one after by updating its seeds
//! ([`OwnershipView::became_blocked`]); after a new version of the ownership data, or when a
//! relation began or ended since the last run, every blocked party — and the planner raises
//! each (customer, company) pair once; the alert's explanation carries the ownership hit
//! (regimes, share, paths).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use interdict_matching::{Index, ScreenOptions};
use interdict_model::Entity;
use interdict_monitor::{Changes, Hit, Portfolio, Prior, PriorState, plan, screen_customers};
use interdict_store::{AlertReason, AlertStatus, MonitorRun, NewAlert, Pending, Store};

use crate::Error;
use crate::contract::MonitorReport;
use crate::cross_list::CrossListParties;
use crate::ownership::{OwnershipHits, OwnershipView, screenable_after};

impl MonitorReport {
    /// Nothing changed since the last run: nothing screened.
    fn idle(started: Instant) -> MonitorReport {
        MonitorReport {
            mode: "delta".into(),
            screened_customers: 0,
            screened_entities: 0,
            alerts_created: 0,
            alerts_reraised: 0,
            alerts_refreshed: 0,
            alerts_closed: 0,
            suppressed: 0,
            already_open: 0,
            saturated: Vec::new(),
            seconds: seconds(started),
        }
    }
}

fn to_monitor(customer: interdict_store::Customer) -> interdict_monitor::Customer {
    interdict_monitor::Customer {
        id: customer.id,
        name: customer.name,
        dob: customer.dob,
        countries: customer.countries,
        schema: customer.schema,
    }
}

fn prior_state(status: AlertStatus) -> PriorState {
    if status.is_open() {
        PriorState::Open
    } else if status.is_decided() {
        PriorState::Decided
    } else {
        PriorState::Closed
    }
}

/// The store's form of a hit.
fn new_alert(
    hit: Hit,
    why: AlertReason,
    versions: &BTreeMap<String, String>,
    ownership: &OwnershipHits,
) -> Result<NewAlert, Error> {
    let mut explanation = serde_json::to_value(&hit.explanation).map_err(Error::internal)?;
    if let (Some(owned), Some(object)) = (
        ownership.get(hit.entity.id.as_str()),
        explanation.as_object_mut(),
    ) {
        object.insert(
            "ownership".into(),
            serde_json::to_value(owned).map_err(Error::internal)?,
        );
    }
    Ok(NewAlert {
        list_version: versions
            .get(hit.entity.id.list())
            .cloned()
            .unwrap_or_default(),
        explanation,
        entity_id: hit.entity.id.to_string(),
        customer_id: hit.customer_id,
        score: hit.score,
        matched_name: hit.matched_name,
        customer_fingerprint: hit.customer_fingerprint,
        entity_fingerprint: hit.entity_fingerprint,
        reason: why,
    })
}

/// Runs monitoring as `actor`: delta mode (what changed since the last run), or every
/// customer against every active entity when `full`. Monitoring runs of one store are
/// serialised by the store's recording transaction; a run answers what it did.
pub async fn run(store: &Store, full: bool, actor: &str) -> Result<MonitorReport, Error> {
    run_after(store, full, actor, None).await
}

/// [`run`], starting from `loaded`, the ownership graph of the lists the caller has loaded
/// (the service's live index): it is updated to the active versions, or used as it is,
/// rather than computed again, when only lists of designations changed on the same day.
pub async fn run_after(
    store: &Store,
    full: bool,
    actor: &str,
    loaded: Option<Arc<OwnershipView>>,
) -> Result<MonitorReport, Error> {
    let started = Instant::now();
    let (active, entities) = store.active_entities().await?;
    if entities.is_empty() {
        return Err(Error::NoLists);
    }
    let state = store.monitor_state().await?;
    let versions: BTreeMap<String, String> = active
        .iter()
        .map(|(list, v)| (list.clone(), v.version.clone()))
        .collect();
    let lists_changed = versions
        .iter()
        .any(|(list, version)| state.lists.get(list) != Some(version));
    let screenable = screenable_after(
        store,
        &versions,
        entities,
        crate::ownership::today(),
        loaded,
    )
    .await?;
    let (entities, ownership, view) = (screenable.entities, screenable.ownership, screenable.view);
    // With no list changed, only new and changed customers need screening.
    let snapshot = store.portfolio(!full && !lists_changed).await?;
    if !full && !lists_changed && snapshot.customers.is_empty() {
        return Ok(MonitorReport::idle(started));
    }

    // What changed on the lists since they were last monitored.
    let mut changes = Changes::default();
    let mut removed = Vec::new();
    // The last run came after every version it monitored was imported: the latest such
    // import is a day on or before it.
    let mut monitored_since: Option<String> = None;
    let mut note_import = |imported_at: &str| {
        let day = imported_at.get(..10).unwrap_or_default().to_owned();
        if monitored_since.as_ref().is_none_or(|since| *since < day) {
            monitored_since = Some(day);
        }
    };
    for (list, version) in &active {
        match state.lists.get(list) {
            Some(old) if *old == version.version => note_import(&version.imported_at),
            Some(old) => {
                let old = store.version(list, old).await?;
                note_import(&old.imported_at);
                let diff = store.diff(&old, version).await?;
                changes.added_entities.extend(diff.added);
                changes
                    .changed_entities
                    .extend(diff.changed.into_iter().map(|c| c.id));
                removed.extend(diff.removed);
            }
            None => changes.added_entities.extend(
                entities
                    .iter()
                    .filter(|e| e.id.list() == list.as_str())
                    .map(|e| e.id.to_string()),
            ),
        }
    }
    if lists_changed {
        // Blocked through owners a list update may have designated: the company itself did
        // not change. On the graph last monitored (the same ownership data, and no relation
        // that began or ended since: the last run is no earlier than `monitored_since`), the
        // graph before the update is computed from this one (`update_seeds`) and only the
        // companies that became blocked are screened; otherwise every blocked company. Pairs
        // already raised are the planner's to suppress.
        let monitored_since = monitored_since
            .as_deref()
            .and_then(interdict_model::PartialDate::parse);
        let same_relations = view.as_deref().is_some_and(|view| {
            view.relation_versions()
                .iter()
                .all(|(list, version)| state.lists.get(list) == Some(version))
                && monitored_since.is_some_and(|since| view.same_graph_since(since))
        });
        match view.as_deref().filter(|_| same_relations) {
            Some(view) => {
                let became = view.became_blocked(
                    &changes.added_entities,
                    &removed,
                    &changes.changed_entities,
                )?;
                changes.added_entities.extend(
                    became
                        .into_iter()
                        .filter(|id| ownership.contains_key(id.as_str())),
                );
            }
            None => changes.added_entities.extend(ownership.keys().cloned()),
        }
    }
    let mut pending = Vec::new();
    let mut rest = Vec::new();
    for stored in snapshot.customers {
        match stored.pending {
            Pending::New => {
                changes.new_customers.insert(stored.customer.id.clone());
                pending.push(to_monitor(stored.customer));
            }
            Pending::Changed => {
                changes.changed_customers.insert(stored.customer.id.clone());
                pending.push(to_monitor(stored.customer));
            }
            Pending::No => rest.push(to_monitor(stored.customer)),
        }
    }

    let entities: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
    let active_ids: HashSet<String> = entities.iter().map(|e| e.id.to_string()).collect();
    let lists = Index::build(entities.clone());
    let options = ScreenOptions::default();
    let mut saturated = Vec::new();
    let (mode, hits, screened_customers, screened_entities) = if full {
        pending.extend(rest);
        let hits = screen_customers(&lists, &pending, &options);
        ("full", hits, pending.len(), entities.len())
    } else {
        let mut hits = screen_customers(&lists, &pending, &options);
        let delta: Vec<Arc<Entity>> = entities
            .iter()
            .filter(|e| {
                let id = e.id.as_str();
                changes.added_entities.contains(id) || changes.changed_entities.contains(id)
            })
            .cloned()
            .collect();
        let mut screened_entities = 0;
        if !delta.is_empty() && !rest.is_empty() {
            let portfolio = Portfolio::build(&rest);
            drop(rest);
            let outcome = portfolio.screen_entities(&lists, &delta, &options);
            hits.extend(outcome.hits);
            saturated = outcome.saturated.iter().map(ToString::to_string).collect();
            screened_entities = delta.len();
        }
        ("delta", hits, pending.len(), screened_entities)
    };

    let keys = store.alert_keys().await?;
    let delisted: HashSet<String> = keys
        .iter()
        .filter(|k| {
            let list = k.entity_id.split_once(':').map_or("", |(list, _)| list);
            k.status.is_open() && active.contains_key(list) && !active_ids.contains(&k.entity_id)
        })
        .map(|k| k.entity_id.clone())
        .collect();
    let priors: HashMap<(String, String), Prior> = keys
        .into_iter()
        .map(|k| {
            (
                (k.customer_id, k.entity_id),
                Prior {
                    state: prior_state(k.status),
                    customer_fingerprint: k.customer_fingerprint,
                    entity_fingerprint: k.entity_fingerprint,
                },
            )
        })
        .collect();
    let parties = CrossListParties::build(&entities);
    let hits = one_hit_per_party(hits, &parties, &priors);
    let plan = plan(hits, &priors, &changes, &delisted);

    let mut record = MonitorRun {
        lists: versions.clone(),
        customers_screened_through: snapshot.revision,
        actor: actor.to_owned(),
        ..MonitorRun::default()
    };
    for (hit, why) in plan.create {
        record
            .create
            .push(new_alert(hit, why, &versions, &ownership)?);
    }
    for (hit, why) in plan.reraise {
        record
            .reraise
            .push(new_alert(hit, why, &versions, &ownership)?);
    }
    for hit in plan.refresh {
        record.refresh.push(new_alert(
            hit,
            AlertReason::Rescreen,
            &versions,
            &ownership,
        )?);
    }
    for (customer, entity, why) in plan.close {
        record.close.push((customer, entity, why));
    }
    let outcome = store.record_monitor_run(&record).await?;

    Ok(MonitorReport {
        mode: mode.into(),
        screened_customers,
        screened_entities,
        alerts_created: outcome.created + outcome.reraised,
        alerts_reraised: outcome.reraised,
        alerts_refreshed: outcome.refreshed,
        alerts_closed: outcome.closed,
        suppressed: plan.suppressed,
        already_open: plan.already_open,
        saturated,
        seconds: seconds(started),
    })
}

/// One alert per party, not one per list naming it: of a customer's hits on records of one
/// party, the one kept is the hit on the record the customer already has an alert for (the
/// party's alert stays where it is, whichever list scores best today; with no hit on it this
/// run, the party's alert is left as it is), else the best-scoring hit (ties by entity id).
fn one_hit_per_party(
    hits: Vec<Hit>,
    parties: &CrossListParties,
    priors: &HashMap<(String, String), Prior>,
) -> Vec<Hit> {
    if parties.is_empty() {
        return hits;
    }
    // (customer, party) → the record its alert is on, when it has one.
    let mut alerted: HashMap<(&str, usize), &str> = HashMap::new();
    for (customer, entity) in priors.keys() {
        if let Some(party) = parties.party(entity) {
            let slot = alerted
                .entry((customer.as_str(), party))
                .or_insert(entity.as_str());
            if entity.as_str() < *slot {
                *slot = entity.as_str();
            }
        }
    }
    let mut best: HashMap<(String, usize), usize> = HashMap::new();
    let mut keep = vec![true; hits.len()];
    for (at, hit) in hits.iter().enumerate() {
        let Some(party) = parties.party(hit.entity.id.as_str()) else {
            continue;
        };
        if let Some(&anchor) = alerted.get(&(hit.customer_id.as_str(), party)) {
            if let Some(slot) = keep.get_mut(at) {
                *slot = hit.entity.id.as_str() == anchor;
            }
            continue;
        }
        let key = (hit.customer_id.clone(), party);
        match best.get(&key).copied() {
            None => {
                best.insert(key, at);
            }
            Some(kept) => {
                let Some(other) = hits.get(kept) else {
                    continue;
                };
                let better = hit.score > other.score
                    || (hit.score == other.score
                        && hit.entity.id.as_str() < other.entity.id.as_str());
                let dropped = if better {
                    best.insert(key, at);
                    kept
                } else {
                    at
                };
                if let Some(slot) = keep.get_mut(dropped) {
                    *slot = false;
                }
            }
        }
    }
    hits.into_iter()
        .zip(keep)
        .filter_map(|(hit, kept)| kept.then_some(hit))
        .collect()
}

fn seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}
