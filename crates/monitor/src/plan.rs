//! Deciding what hits mean against the alerts already raised: new alerts, suppressed repeats
//! of decided pairs, re-raised pairs, refreshed open alerts, and alerts closed by delisting.

use std::collections::{HashMap, HashSet};

use interdict_model::AlertReason;

use crate::screen::Hit;

/// Where an existing alert stands, as far as planning cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorState {
    /// Waiting for an analyst (open or escalated).
    Open,
    /// Decided (true match or false positive).
    Decided,
    /// Closed without a decision (delisted, customer removed).
    Closed,
}

/// An alert already raised for a (customer, entity) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    /// Where it stands.
    pub state: PriorState,
    /// The customer's fingerprint the alert (and its decision) is about.
    pub customer_fingerprint: String,
    /// The entity's fingerprint the alert (and its decision) is about.
    pub entity_fingerprint: String,
}

/// What changed since the last monitoring run, by id; it gives new alerts their reason.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Customers never screened before.
    pub new_customers: HashSet<String>,
    /// Customers whose record changed since they were last screened.
    pub changed_customers: HashSet<String>,
    /// Entities added to their list since the last run.
    pub added_entities: HashSet<String>,
    /// Entities whose content changed since the last run.
    pub changed_entities: HashSet<String>,
}

impl Changes {
    /// Why screening looked at this pair, most specific first: a customer's change before a
    /// list's.
    fn reason(&self, customer_id: &str, entity_id: &str) -> AlertReason {
        if self.new_customers.contains(customer_id) {
            AlertReason::NewCustomer
        } else if self.changed_customers.contains(customer_id) {
            AlertReason::CustomerChanged
        } else if self.added_entities.contains(entity_id) {
            AlertReason::ListUpdate
        } else if self.changed_entities.contains(entity_id) {
            AlertReason::EntityChanged
        } else {
            AlertReason::Rescreen
        }
    }
}

/// What to do with a run's hits and the alerts already raised.
#[derive(Debug, Default)]
pub struct Plan {
    /// Pairs with no alert yet: raise one, with its reason.
    pub create: Vec<(Hit, AlertReason)>,
    /// Decided or closed pairs found again after a side changed (or the entity came back):
    /// open them again, keeping the previous decision beside them.
    pub reraise: Vec<(Hit, AlertReason)>,
    /// Open pairs whose data changed: update their score, explanation and fingerprints
    /// (a decision proposed on the old data no longer stands).
    pub refresh: Vec<Hit>,
    /// Open alerts to close, as (customer id, entity id), with the reason.
    pub close: Vec<(String, String, AlertReason)>,
    /// Hits on decided pairs with both sides unchanged: no alert.
    pub suppressed: usize,
    /// Hits on open pairs with both sides unchanged: the alert stands as it is.
    pub already_open: usize,
}

/// Decides what the hits of a run mean given the alerts already raised (`priors`, by
/// (customer id, entity id)), what changed, and which entities have left their list. Hits on
/// the same pair count once (the first).
///
/// - No alert for the pair: a new alert, with the reason of [`Changes`].
/// - Open alert: unchanged sides leave it as it is; a changed side refreshes it.
/// - Decided alert: unchanged sides suppress the hit; a changed side re-raises it with
///   reason `customer_changed` or `entity_changed`.
/// - Closed alert: re-raised with the reason of [`Changes`] (a relisted entity).
/// - Open alerts on an entity in `delisted` close with reason `delisted`.
pub fn plan(
    hits: Vec<Hit>,
    priors: &HashMap<(String, String), Prior>,
    changes: &Changes,
    delisted: &HashSet<String>,
) -> Plan {
    let mut plan = Plan::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for hit in hits {
        let key = (hit.customer_id.clone(), hit.entity.id.as_str().to_owned());
        if !seen.insert(key.clone()) {
            continue;
        }
        let reason = changes.reason(&key.0, &key.1);
        match priors.get(&key) {
            None => plan.create.push((hit, reason)),
            Some(prior) => {
                let customer_same = prior.customer_fingerprint == hit.customer_fingerprint;
                let entity_same = prior.entity_fingerprint == hit.entity_fingerprint;
                match prior.state {
                    PriorState::Open if customer_same && entity_same => plan.already_open += 1,
                    PriorState::Open => plan.refresh.push(hit),
                    PriorState::Decided if customer_same && entity_same => plan.suppressed += 1,
                    PriorState::Decided => {
                        let reason = if customer_same {
                            AlertReason::EntityChanged
                        } else {
                            AlertReason::CustomerChanged
                        };
                        plan.reraise.push((hit, reason));
                    }
                    PriorState::Closed => plan.reraise.push((hit, reason)),
                }
            }
        }
    }
    let mut closing: Vec<(String, String, AlertReason)> = priors
        .iter()
        .filter(|((_, entity), prior)| prior.state == PriorState::Open && delisted.contains(entity))
        .map(|((customer, entity), _)| (customer.clone(), entity.clone(), AlertReason::Delisted))
        .collect();
    closing.sort();
    plan.close = closing;
    plan
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use interdict_matching::score_pair;
    use interdict_model::{Entity, EntityId, Schema};

    use super::*;

    fn hit(customer: &str, entity: &str, customer_fp: &str, entity_fp: &str) -> Hit {
        let listed = Entity::new(EntityId::new("ofac-sdn", entity), Schema::Person, "X");
        let (score, explanation) = score_pair("X", "X", None);
        Hit {
            customer_id: customer.into(),
            customer_fingerprint: customer_fp.into(),
            entity: Arc::new(listed),
            entity_fingerprint: entity_fp.into(),
            score,
            matched_name: "X".into(),
            explanation,
        }
    }

    fn prior(state: PriorState, customer_fp: &str, entity_fp: &str) -> Prior {
        Prior {
            state,
            customer_fingerprint: customer_fp.into(),
            entity_fingerprint: entity_fp.into(),
        }
    }

    fn key(customer: &str, entity: &str) -> (String, String) {
        (customer.into(), format!("ofac-sdn:{entity}"))
    }

    #[test]
    fn new_pairs_get_the_reason_of_what_changed() {
        let changes = Changes {
            new_customers: ["c1".to_owned()].into(),
            changed_customers: ["c2".to_owned()].into(),
            added_entities: ["ofac-sdn:1".to_owned()].into(),
            changed_entities: ["ofac-sdn:2".to_owned()].into(),
        };
        let hits = vec![
            hit("c1", "1", "a", "b"),
            hit("c2", "1", "a", "b"),
            hit("c3", "1", "a", "b"),
            hit("c3", "2", "a", "b"),
            hit("c3", "3", "a", "b"),
            hit("c3", "3", "a", "b"),
        ];
        let plan = plan(hits, &HashMap::new(), &changes, &HashSet::new());
        let reasons: Vec<(&str, &str, AlertReason)> = plan
            .create
            .iter()
            .map(|(h, r)| (h.customer_id.as_str(), h.entity.id.as_str(), *r))
            .collect();
        assert_eq!(
            reasons,
            [
                ("c1", "ofac-sdn:1", AlertReason::NewCustomer),
                ("c2", "ofac-sdn:1", AlertReason::CustomerChanged),
                ("c3", "ofac-sdn:1", AlertReason::ListUpdate),
                ("c3", "ofac-sdn:2", AlertReason::EntityChanged),
                ("c3", "ofac-sdn:3", AlertReason::Rescreen),
            ]
        );
    }

    #[test]
    fn decided_pairs_stay_suppressed_until_a_side_changes() {
        let priors = HashMap::from([
            (key("c1", "1"), prior(PriorState::Decided, "a", "b")),
            (key("c2", "1"), prior(PriorState::Decided, "a", "b")),
            (key("c3", "1"), prior(PriorState::Decided, "a", "b")),
        ]);
        let hits = vec![
            hit("c1", "1", "a", "b"),
            hit("c2", "1", "a", "B"),
            hit("c3", "1", "A", "b"),
        ];
        let plan = plan(hits, &priors, &Changes::default(), &HashSet::new());
        assert_eq!(plan.suppressed, 1);
        assert!(plan.create.is_empty());
        let reraised: Vec<(&str, AlertReason)> = plan
            .reraise
            .iter()
            .map(|(h, r)| (h.customer_id.as_str(), *r))
            .collect();
        assert_eq!(
            reraised,
            [
                ("c2", AlertReason::EntityChanged),
                ("c3", AlertReason::CustomerChanged)
            ]
        );
    }

    #[test]
    fn open_pairs_are_refreshed_only_when_a_side_changed() {
        let priors = HashMap::from([
            (key("c1", "1"), prior(PriorState::Open, "a", "b")),
            (key("c2", "1"), prior(PriorState::Open, "a", "b")),
        ]);
        let hits = vec![hit("c1", "1", "a", "b"), hit("c2", "1", "a", "B")];
        let plan = plan(hits, &priors, &Changes::default(), &HashSet::new());
        assert_eq!(plan.already_open, 1);
        assert_eq!(plan.refresh.len(), 1);
        assert!(plan.create.is_empty() && plan.reraise.is_empty());
    }

    #[test]
    fn delisting_closes_open_alerts_only_and_relisting_reopens() {
        let priors = HashMap::from([
            (key("c1", "1"), prior(PriorState::Open, "a", "b")),
            (key("c2", "1"), prior(PriorState::Decided, "a", "b")),
            (key("c3", "2"), prior(PriorState::Open, "a", "b")),
            (key("c4", "3"), prior(PriorState::Closed, "a", "b")),
        ]);
        let changes = Changes {
            added_entities: ["ofac-sdn:3".to_owned()].into(),
            ..Changes::default()
        };
        let delisted = HashSet::from(["ofac-sdn:1".to_owned()]);
        let plan = plan(vec![hit("c4", "3", "a", "b")], &priors, &changes, &delisted);
        assert_eq!(
            plan.close,
            [(
                "c1".to_owned(),
                "ofac-sdn:1".to_owned(),
                AlertReason::Delisted
            )]
        );
        assert_eq!(plan.reraise.len(), 1);
        assert_eq!(
            plan.reraise.first().map(|(_, r)| *r),
            Some(AlertReason::ListUpdate)
        );
    }

    #[test]
    fn reasons_round_trip() {
        for reason in AlertReason::ALL {
            assert_eq!(reason.as_str().parse::<AlertReason>(), Ok(reason));
        }
        assert!("nope".parse::<AlertReason>().is_err());
    }
}
