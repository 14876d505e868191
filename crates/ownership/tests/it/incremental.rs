//! Incremental recomputation after seeds change agrees with recomputing everything, on
//! generated graphs with chains, cycles, ranges, control and joint holdings.

use interdict_model::{Relation, RelationKind, Share, Stake};
use interdict_ownership::{OwnershipGraph, Propagation, Regime, Seed};

use crate::common::{owns, propagate, screening_date};

/// A small deterministic generator (SplitMix64), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_graph(rng: &mut Rng, nodes: u64, edges: u64) -> Vec<Relation> {
    (0..edges)
        .map(|_| {
            let owner = rng.below(nodes);
            let asset = rng.below(nodes);
            let ppm = |rng: &mut Rng| {
                let p = u32::try_from(rng.below(8) * 100_000).unwrap_or(0);
                Share::from_ppm(p).unwrap_or(Share::ZERO)
            };
            let mut relation = owns(&format!("n{owner}"), &format!("n{asset}"), "0");
            match rng.below(10) {
                0 => {
                    relation.kind = RelationKind::Control;
                    relation.stake = None;
                }
                1 => {
                    let (a, b) = (ppm(rng), ppm(rng));
                    relation.stake = Stake::range(a.min(b), a.max(b));
                }
                2 => relation.stake = None,
                _ => relation.stake = Some(Stake::exact(ppm(rng))),
            }
            relation.joint = rng.below(6) == 0;
            relation
        })
        .collect()
}

fn seed(rng: &mut Rng, nodes: u64) -> Seed {
    let regime = Regime::ALL[usize::try_from(rng.below(3)).unwrap_or(0)];
    let id = format!("n{}", rng.below(nodes));
    if rng.below(2) == 0 {
        Seed::listed(&id, regime)
    } else {
        let person = format!("sdn:{}", rng.below(nodes / 4));
        Seed::resolved(&id, &person, 0.9, regime)
    }
}

fn verdicts(p: &Propagation, nodes: u64) -> Vec<String> {
    (0..nodes)
        .filter_map(|n| {
            let id = format!("n{n}");
            p.report(&id)
                .map(|r| serde_json::to_string(&r.regimes).unwrap_or_default())
        })
        .collect()
}

#[test]
fn updates_agree_with_full_recomputation() {
    let mut rng = Rng(7);
    for round in 0..40 {
        let nodes = 30 + rng.below(60);
        let relations = random_graph(&mut rng, nodes, nodes * 2);
        let initial: Vec<Seed> = (0..rng.below(8)).map(|_| seed(&mut rng, nodes)).collect();
        let graph = OwnershipGraph::from_relations(&relations, screening_date());
        let mut incremental =
            Propagation::compute(graph, initial.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut current = initial;
        for _ in 0..5 {
            let added: Vec<Seed> = (0..rng.below(4)).map(|_| seed(&mut rng, nodes)).collect();
            let removed: Vec<Seed> = current
                .iter()
                .filter(|_| rng.below(3) == 0)
                .cloned()
                .collect();
            let statuses_before: std::collections::HashMap<(String, Regime), (bool, bool, bool)> =
                (0..nodes)
                    .flat_map(|n| Regime::ALL.map(|r| (format!("n{n}"), r)))
                    .filter_map(|(id, r)| {
                        let v = incremental.verdict(&id, r)?;
                        Some(((id, r), (v.blocked, v.certain, v.listed)))
                    })
                    .collect();
            let graph = OwnershipGraph::from_relations(&relations, screening_date());
            let before_full =
                Propagation::compute(graph, current.clone()).unwrap_or_else(|e| panic!("{e}"));
            let changes = incremental
                .update_seeds(added.clone(), &removed)
                .unwrap_or_else(|e| panic!("{e}"));
            current.retain(|s| !removed.contains(s));
            current.extend(added);
            let graph = OwnershipGraph::from_relations(&relations, screening_date());
            let full =
                Propagation::compute(graph, current.clone()).unwrap_or_else(|e| panic!("{e}"));
            let after = verdicts(&incremental, nodes);
            assert_eq!(after, verdicts(&full, nodes), "round {round}");
            assert_eq!(
                full.blocked_unlisted(),
                incremental.blocked_unlisted(),
                "round {round}"
            );
            // Every entity whose verdict changed is reported, and only those.
            let mut expected = Vec::new();
            for n in 0..nodes {
                let id = format!("n{n}");
                for regime in Regime::ALL {
                    let was = statuses_before.get(&(id.clone(), regime)).copied();
                    let now = full
                        .verdict(&id, regime)
                        .map(|v| (v.blocked, v.certain, v.listed));
                    if was != now {
                        expected.push((id.clone(), regime));
                    }
                }
            }
            expected.sort();
            let reported: Vec<(String, Regime)> = changes
                .iter()
                .map(|c| (c.entity_id.clone(), c.regime))
                .collect();
            let mut sorted = reported.clone();
            sorted.sort();
            assert_eq!(sorted, expected, "round {round}");
            // Comparing two full propagations finds the same changes, field for field.
            assert_eq!(full.changes_since(&before_full), changes, "round {round}");
        }
    }
}

#[test]
fn a_new_designation_blocks_what_its_target_owns() {
    let relations = [
        owns("ofac-sdn:duma", "reg:company", "60"),
        owns("reg:company", "reg:subsidiary", "100"),
        owns("reg:bystander", "reg:other", "100"),
    ];
    let mut p = propagate(&relations, &[]);
    assert!(p.blocked_unlisted().is_empty());
    let changes = p
        .update_seeds([Seed::listed("ofac-sdn:duma", Regime::Ofac)], &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let newly: Vec<(&str, bool, bool)> = changes
        .iter()
        .map(|c| (c.entity_id.as_str(), c.was_blocked, c.blocked))
        .collect();
    assert_eq!(
        newly,
        vec![
            ("ofac-sdn:duma", false, true),
            ("reg:company", false, true),
            ("reg:subsidiary", false, true),
        ]
    );
    assert!(changes.iter().all(|c| c.regime == Regime::Ofac));
    // Delisting undoes it.
    let changes = p
        .update_seeds([], &[Seed::listed("ofac-sdn:duma", Regime::Ofac)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.was_blocked && !c.blocked));
    // Adding a seed that is already there changes nothing.
    let again = [Seed::listed("ofac-sdn:duma", Regime::Eu)];
    assert!(
        !p.update_seeds(again.clone(), &[])
            .unwrap_or_default()
            .is_empty()
    );
    assert!(p.update_seeds(again, &[]).unwrap_or_default().is_empty());
}

#[test]
fn a_new_screening_date_is_compared_with_the_last() {
    use crate::common::dated;
    use interdict_model::PartialDate;
    let relations = [
        dated(owns("s", "a", "60"), None, Some("2022-06-30")),
        dated(owns("s", "b", "60"), Some("2022-07-01"), None),
        owns("s", "c", "60"),
    ];
    let on = |date: PartialDate| {
        let graph = OwnershipGraph::from_relations(&relations, date);
        Propagation::compute(graph, [Seed::listed("s", Regime::Ofac)])
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let spring = on(screening_date());
    let summer = on(PartialDate::ymd(2022, 8, 1).unwrap_or(PartialDate::year(2022)));
    let found = summer.changes_since(&spring);
    let found: Vec<(&str, bool, bool)> = found
        .iter()
        .map(|c| (c.entity_id.as_str(), c.was_blocked, c.blocked))
        .collect();
    assert_eq!(found, [("a", true, false), ("b", false, true)]);
    assert!(summer.changes_since(&summer).is_empty());
}
