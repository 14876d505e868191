//! One small graph per rule of the regimes.

use interdict_model::Share;
use interdict_ownership::Regime::{Eu, Ofac, Uk};
use interdict_ownership::{OwnershipGraph, Propagation, Regime, Seed};

use crate::common::{blocked, controls, dated, owns, propagate, screening_date, verdict};

fn percent(p: f64) -> Share {
    Share::from_percent(p).unwrap_or_else(|| panic!("{p}"))
}

#[test]
fn two_blocked_owners_of_a_quarter_each_block_under_ofac_only() {
    let p = propagate(
        &[
            owns("x", "a", "25"),
            owns("y", "a", "25"),
            owns("z", "a", "50"),
        ],
        &["x", "y"],
    );
    let ofac = verdict(&p, "a", Ofac);
    assert!(ofac.blocked && ofac.certain && !ofac.listed);
    assert_eq!(ofac.share, percent(50.0));
    // The EU counts more than 50%; the UK does not add different persons' holdings.
    assert_eq!(blocked(&p, "a"), [true, false, false]);
    assert_eq!(verdict(&p, "a", Uk).share, percent(25.0));
    assert_eq!(verdict(&p, "a", Eu).share, percent(50.0));
}

#[test]
fn exactly_half_blocks_in_the_eu_from_3_july_2024_only() {
    // Two listed owners of a quarter each, and a chain through the company they block: the
    // Council's update of the Best Practices of 3 July 2024 made the EU's "more than 50%"
    // "50% or more", aggregated.
    let relations = [
        owns("x", "a", "25"),
        owns("y", "a", "25"),
        owns("a", "b", "50"),
    ];
    let on = |day: &str| {
        let date = interdict_model::PartialDate::parse(day).unwrap_or_else(|| panic!("{day}"));
        let graph = OwnershipGraph::from_relations(&relations, date);
        let seeds = ["x", "y"]
            .into_iter()
            .flat_map(|id| Regime::ALL.map(|regime| Seed::listed(id, regime)));
        Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"))
    };
    let before = on("2024-07-02");
    assert_eq!(blocked(&before, "a"), [true, false, false]);
    assert_eq!(blocked(&before, "b"), [true, false, false]);
    let after = on("2024-07-03");
    assert_eq!(blocked(&after, "a"), [true, true, false]);
    assert_eq!(blocked(&after, "b"), [true, true, false]);
    assert_eq!(verdict(&after, "a", Eu).share, percent(50.0));
    let report = after
        .report("b")
        .unwrap_or_else(|| panic!("b is in the graph"));
    assert_eq!(report.blocked_by_ownership(), [Ofac, Eu]);
}

#[test]
fn a_blocked_majority_blocks_everywhere_and_an_unblocked_one_does_not() {
    let p = propagate(&[owns("x", "a", "51"), owns("w", "b", "100")], &["x"]);
    assert_eq!(blocked(&p, "a"), [true, true, true]);
    assert_eq!(blocked(&p, "b"), [false, false, false]);
    assert_eq!(verdict(&p, "b", Ofac).share, Share::ZERO);
}

#[test]
fn a_blocked_intermediate_counts_in_full() {
    // FAQ 401: X holds 50% of A, so A is blocked; A's 50% of B counts as 50%, not 25%.
    let p = propagate(
        &[
            owns("x", "a", "50"),
            owns("a", "b", "50"),
            owns("x", "c", "40"),
            owns("c", "d", "100"),
        ],
        &["x"],
    );
    assert_eq!(verdict(&p, "b", Ofac).share, percent(50.0));
    assert!(verdict(&p, "b", Ofac).blocked);
    // C is not blocked (40%), so its stake in D passes nothing on.
    assert_eq!(blocked(&p, "c"), [false, false, false]);
    assert_eq!(blocked(&p, "d"), [false, false, false]);
}

#[test]
fn the_uk_adds_up_one_persons_direct_and_indirect_holdings_only() {
    // X holds 30% of B directly and 30% through A, which X owns: 60% is X's.
    let p = propagate(
        &[
            owns("x", "a", "100"),
            owns("x", "b", "30"),
            owns("a", "b", "30"),
        ],
        &["x"],
    );
    assert_eq!(blocked(&p, "b"), [true, true, true]);
    assert_eq!(verdict(&p, "b", Uk).share, percent(60.0));
    // X's A and Y's C hold 30% each: two persons, no joint arrangement.
    let p = propagate(
        &[
            owns("x", "a", "100"),
            owns("y", "c", "100"),
            owns("a", "b", "30"),
            owns("c", "b", "30"),
        ],
        &["x", "y"],
    );
    assert_eq!(blocked(&p, "b"), [true, true, false]);
    assert_eq!(verdict(&p, "b", Uk).share, percent(30.0));
}

#[test]
fn the_uk_adds_up_holdings_under_a_joint_arrangement() {
    let mut first = owns("x", "a", "30");
    first.joint = true;
    let mut second = owns("y", "a", "30");
    second.joint = true;
    let p = propagate(&[first, second, owns("z", "a", "40")], &["x", "y"]);
    assert_eq!(blocked(&p, "a"), [true, true, true]);
    assert_eq!(verdict(&p, "a", Uk).share, percent(60.0));
}

#[test]
fn one_designated_person_resolved_twice_is_one_person_in_the_uk() {
    // Two registry entries resolved to the same listed person hold 30% each.
    let graph = OwnershipGraph::from_relations(
        &[owns("reg:1", "a", "30"), owns("reg:2", "a", "30")],
        screening_date(),
    );
    let seeds = ["reg:1", "reg:2"].map(|id| Seed::resolved(id, "ofac-sdn:1", 0.97, Uk));
    let p = Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"));
    assert!(verdict(&p, "a", Uk).blocked);
}

#[test]
fn cycles_end_and_block_only_through_blocked_owners() {
    // X holds 55% of A; A and B hold each other, so B's 40% of A is blocked in turn.
    let p = propagate(
        &[
            owns("x", "a", "55"),
            owns("a", "b", "60"),
            owns("b", "a", "40"),
        ],
        &["x"],
    );
    assert_eq!(blocked(&p, "b"), [true, true, true]);
    assert_eq!(verdict(&p, "a", Ofac).share, percent(95.0));
    assert_eq!(verdict(&p, "a", Uk).share, percent(95.0));
    // A cycle holding itself, with a blocked 30% from outside: nothing is blocked, since an
    // entity's own stake coming back round does not count.
    let p = propagate(
        &[
            owns("x", "a", "30"),
            owns("a", "b", "60"),
            owns("b", "a", "60"),
        ],
        &["x"],
    );
    assert_eq!(blocked(&p, "a"), [false, false, false]);
    assert_eq!(blocked(&p, "b"), [false, false, false]);
}

#[test]
fn ranges_keep_both_bounds_and_block_on_the_upper_one() {
    let p = propagate(
        &[owns("x", "a", "25-50%"), owns("x", "b", "more than 50%")],
        &["x"],
    );
    let a = verdict(&p, "a", Ofac);
    assert!(a.blocked && !a.certain);
    assert_eq!((a.share_low, a.share), (percent(25.0), percent(50.0)));
    // Neither bound of 25-50% exceeds 50%.
    assert!(!verdict(&p, "a", Uk).blocked);
    let b = verdict(&p, "b", Uk);
    assert!(b.blocked && b.certain);
}

#[test]
fn a_holding_of_unknown_size_blocks_conservatively_only() {
    let mut unknown = owns("x", "a", "0");
    unknown.stake = None;
    let p = propagate(&[unknown], &["x"]);
    let a = verdict(&p, "a", Ofac);
    assert!(a.blocked && !a.certain);
    assert_eq!((a.share_low, a.share), (Share::ZERO, Share::WHOLE));
}

#[test]
fn ended_and_future_relations_do_not_count() {
    let p = propagate(
        &[
            dated(owns("x", "a", "60"), Some("2015"), Some("2021-06-30")),
            dated(owns("x", "b", "60"), Some("2023-01-01"), None),
            dated(owns("x", "c", "60"), Some("2020"), Some("2022-12")),
        ],
        &["x"],
    );
    assert!(p.graph().skipped_relations() == 2);
    assert!(p.verdict("a", Ofac).is_none());
    assert!(p.verdict("b", Ofac).is_none());
    assert_eq!(blocked(&p, "c"), [true, true, true]);
}

#[test]
fn control_without_ownership_blocks_in_the_eu_and_uk_only() {
    let p = propagate(&[controls("x", "a"), owns("a", "b", "100")], &["x"]);
    let eu = verdict(&p, "a", Eu);
    assert!(eu.blocked && eu.control == Some(true));
    assert_eq!(eu.share, Share::ZERO);
    assert_eq!(blocked(&p, "a"), [false, true, true]);
    assert_eq!(verdict(&p, "a", Ofac).control, None);
    // What a controlled entity owns is held by a blocked party in turn.
    assert_eq!(blocked(&p, "b"), [false, true, true]);
}

#[test]
fn repeated_relations_count_once() {
    // Two sources report the same 30% holding: 30%, not 60%.
    let p = propagate(&[owns("x", "a", "30"), owns("x", "a", "30")], &["x"]);
    assert_eq!(verdict(&p, "a", Ofac).share, percent(30.0));
    assert_eq!(p.graph().edge_count(), 1);
}

#[test]
fn seeds_count_only_under_their_regime() {
    let graph = OwnershipGraph::from_relations(&[owns("x", "a", "60")], screening_date());
    let p = Propagation::compute(graph, [Seed::listed("x", Eu)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(crate::common::blocked(&p, "a"), [false, true, false]);
    assert!(verdict(&p, "x", Eu).listed && !verdict(&p, "x", Ofac).listed);
    let unlisted = p.blocked_unlisted();
    assert_eq!(unlisted.len(), 1);
    assert_eq!(unlisted[0].entity_id, "a");
    assert_eq!(unlisted[0].regimes, vec![Eu]);
}

#[test]
fn bad_seeds_are_refused() {
    let graph = || OwnershipGraph::from_relations(&[owns("x", "a", "60")], screening_date());
    let bad_score = Seed::resolved("x", "ofac-sdn:1", 1.5, Regime::Ofac);
    assert!(Propagation::compute(graph(), [bad_score]).is_err());
    let nan = Seed::resolved("x", "ofac-sdn:1", f64::NAN, Regime::Ofac);
    assert!(Propagation::compute(graph(), [nan]).is_err());
    assert!(Propagation::compute(graph(), [Seed::listed("", Regime::Ofac)]).is_err());
}

#[test]
fn a_long_chain_is_blocked_to_its_end() {
    // 150,000 companies, each owning 60% of the next: large enough to run on threads.
    let relations: Vec<_> = (0..150_000)
        .map(|i| owns(&format!("c{i}"), &format!("c{}", i + 1), "60"))
        .collect();
    let p = propagate(&relations, &["c0"]);
    assert_eq!(blocked(&p, "c150000"), [true, true, true]);
    assert_eq!(p.blocked_unlisted().len(), 150_000);
    let end = p.report("c150000").unwrap_or_else(|| panic!("no report"));
    // Too far from the listed owner to show the whole path.
    assert!(end.paths.is_empty() && end.paths_truncated);
    let near = p.report("c3").unwrap_or_else(|| panic!("no report"));
    assert_eq!(near.paths.len(), 1);
    assert_eq!(near.paths[0].steps.len(), 3);
}
