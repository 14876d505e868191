//! Building small graphs for the tests.

use interdict_model::{PartialDate, Relation, RelationKind, SourceRecord, Stake};
use interdict_ownership::{OwnershipGraph, Propagation, Regime, RegimeVerdict, Seed};

/// The screening date of the tests: the day of the 2022 Duma designations.
pub(crate) fn screening_date() -> PartialDate {
    PartialDate::ymd(2022, 3, 24).unwrap_or(PartialDate::year(2022))
}

/// `owner` holds `percentage` (as registries write it) of `asset`.
pub(crate) fn owns(owner: &str, asset: &str, percentage: &str) -> Relation {
    let stake = Stake::parse(percentage).unwrap_or_else(|e| panic!("{e}"));
    Relation {
        id: format!("t:{owner}>{asset}"),
        owner: owner.to_owned(),
        asset: asset.to_owned(),
        kind: RelationKind::Ownership,
        stake: Some(stake),
        start: None,
        end: None,
        role: None,
        joint: false,
        source: SourceRecord::default(),
    }
}

/// `owner` controls `asset` (a director) without a stake.
pub(crate) fn controls(owner: &str, asset: &str) -> Relation {
    Relation {
        kind: RelationKind::Control,
        stake: None,
        role: Some("director".into()),
        ..owns(owner, asset, "0")
    }
}

/// The same relation with its dates.
pub(crate) fn dated(mut relation: Relation, start: Option<&str>, end: Option<&str>) -> Relation {
    relation.start = start.and_then(PartialDate::parse);
    relation.end = end.and_then(PartialDate::parse);
    relation
}

/// Propagates `listed` (blocked under every regime) through `relations`.
pub(crate) fn propagate(relations: &[Relation], listed: &[&str]) -> Propagation {
    let graph = OwnershipGraph::from_relations(relations, screening_date());
    let seeds = listed
        .iter()
        .flat_map(|id| Regime::ALL.map(|regime| Seed::listed(id, regime)));
    Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"))
}

/// The verdict of `entity` under `regime`, which must be in the graph.
pub(crate) fn verdict(propagation: &Propagation, entity: &str, regime: Regime) -> RegimeVerdict {
    propagation
        .verdict(entity, regime)
        .unwrap_or_else(|| panic!("{entity} is not in the graph"))
}

/// Whether `entity` is blocked under each of OFAC, EU, UK.
pub(crate) fn blocked(propagation: &Propagation, entity: &str) -> [bool; 3] {
    Regime::ALL.map(|regime| verdict(propagation, entity, regime).blocked)
}
