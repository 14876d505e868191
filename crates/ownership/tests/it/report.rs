//! The report's JSON: verdicts per regime and the paths that explain them.

use interdict_ownership::{OwnershipGraph, Propagation, Regime, Seed, StepLink};
use serde_json::json;

use crate::common::{controls, owns, screening_date};

fn scenario() -> Propagation {
    let relations = [
        owns("ofac-sdn:1", "reg:holdco", "60"),
        owns("reg:holdco", "reg:target", "40"),
        owns("reg:p2", "reg:target", "15"),
        owns("reg:other", "reg:target", "45"),
        controls("reg:p2", "reg:side"),
    ];
    let graph = OwnershipGraph::from_relations(&relations, screening_date());
    let seeds = Regime::ALL.into_iter().flat_map(|regime| {
        [
            Seed::listed("ofac-sdn:1", regime),
            Seed::resolved("reg:p2", "ofac-sdn:2", 0.95, regime),
        ]
    });
    Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_report_has_the_documented_shape() {
    let report = scenario()
        .report("reg:target")
        .unwrap_or_else(|| panic!("no report"));
    assert_eq!(
        report.blocked_by_ownership(),
        vec![Regime::Ofac, Regime::Eu]
    );
    let value = serde_json::to_value(&report).unwrap_or_default();
    let listed = json!({"basis": "listed", "listed_id": "ofac-sdn:1"});
    let expected = json!({
        "entity_id": "reg:target",
        "date": "2022-03-24",
        "regimes": {
            "ofac": {"blocked": true, "certain": true, "listed": false, "share": 0.55, "share_low": 0.55},
            "eu": {"blocked": true, "certain": true, "listed": false, "share": 0.55, "share_low": 0.55, "control": false},
            "uk": {"blocked": false, "certain": false, "listed": false, "share": 0.4, "share_low": 0.4, "control": false}
        },
        "paths": [
            {
                "share": 0.4, "share_low": 0.4, "regimes": ["ofac", "eu", "uk"],
                "steps": [
                    {"owner": "ofac-sdn:1", "asset": "reg:holdco", "kind": "ownership",
                     "percentage": 0.6, "percentage_low": 0.6, "link": listed},
                    {"owner": "reg:holdco", "asset": "reg:target", "kind": "ownership",
                     "percentage": 0.4, "percentage_low": 0.4, "link": {"basis": "ownership"}}
                ]
            },
            {
                "share": 0.15, "share_low": 0.15, "regimes": ["ofac", "eu", "uk"],
                "steps": [
                    {"owner": "reg:p2", "asset": "reg:target", "kind": "ownership",
                     "percentage": 0.15, "percentage_low": 0.15,
                     "link": {"basis": "resolved", "listed_id": "ofac-sdn:2", "score": 0.95}}
                ]
            }
        ]
    });
    assert_eq!(
        value,
        expected,
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    let back: interdict_ownership::OwnershipReport =
        serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, report);
}

#[test]
fn control_paths_carry_the_role_and_no_share() {
    let report = scenario()
        .report("reg:side")
        .unwrap_or_else(|| panic!("no report"));
    assert_eq!(report.blocked_by_ownership(), vec![Regime::Eu, Regime::Uk]);
    let path = &report.paths[0];
    assert_eq!(path.regimes, vec![Regime::Eu, Regime::Uk]);
    assert_eq!(path.share, None);
    assert_eq!(path.steps[0].role.as_deref(), Some("director"));
    assert!(matches!(path.steps[0].link, StepLink::Resolved { score, .. } if score == 0.95));
}

#[test]
fn an_entity_outside_the_graph_has_no_report() {
    assert!(scenario().report("reg:nobody").is_none());
}

#[test]
fn paths_through_cycles_end() {
    let relations = [
        owns("s", "a", "60"),
        owns("a", "b", "60"),
        owns("b", "a", "40"),
        owns("b", "c", "100"),
    ];
    let graph = OwnershipGraph::from_relations(&relations, screening_date());
    let p = Propagation::compute(graph, [Seed::listed("s", Regime::Ofac)])
        .unwrap_or_else(|e| panic!("{e}"));
    let report = p.report("c").unwrap_or_else(|| panic!("no report"));
    let owners: Vec<Vec<&str>> = report
        .paths
        .iter()
        .map(|path| path.steps.iter().map(|s| s.owner.as_str()).collect())
        .collect();
    assert_eq!(owners, vec![vec!["s", "a", "b"]]);
    assert!(!report.paths_truncated);
}

#[test]
fn many_paths_are_cut_to_the_largest() {
    // 40 listed owners of 1% to 40% each: only the 25 largest stakes are listed.
    let relations: Vec<_> = (1..=40)
        .map(|i| owns(&format!("s{i}"), "target", &i.to_string()))
        .collect();
    let graph = OwnershipGraph::from_relations(&relations, screening_date());
    let seeds = (1..=40).map(|i| Seed::listed(&format!("s{i}"), Regime::Ofac));
    let p = Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"));
    let report = p.report("target").unwrap_or_else(|| panic!("no report"));
    assert!(report.paths_truncated);
    assert_eq!(report.paths.len(), interdict_ownership::MAX_PATHS);
    let owners: Vec<&str> = report
        .paths
        .iter()
        .map(|p| p.steps[0].owner.as_str())
        .collect();
    assert_eq!(owners.first(), Some(&"s40"));
    assert_eq!(owners.last(), Some(&"s16"));
    assert_eq!(report.regimes.ofac.share, interdict_model::Share::WHOLE);
}

#[test]
fn a_propagation_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>(_: &T) {}
    shared(&scenario());
}
