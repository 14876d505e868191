//! The Duma scenario on real lists: a registry extract (`tests/data/duma-edges.csv`) around
//! SHARGUNOV (`ofac-sdn:35391`), who OFAC designated on 2022-03-24. Seeded with the SDN list
//! of 2022-03-21 his companies are free; the update to the 2022-03-24 list blocks them, and
//! the change names each, with the path from him.

use std::collections::HashSet;
use std::path::Path;

use interdict_model::Share;
use interdict_ownership::Regime::{Eu, Ofac, Uk};
use interdict_ownership::{OwnershipGraph, Propagation, Regime, Seed, StepLink};
use interdict_sources::{Format, SourceFile, parse, parse_relations};

use crate::common::screening_date;

fn read(path: &Path) -> SourceFile {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    SourceFile { name, bytes }
}

/// The entity ids of an SDN file, as the store would hold them.
fn sdn_ids(date: &str) -> HashSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists")
        .join(format!("ofac-sdn-{date}/sdn.csv"));
    let parsed =
        parse(&[read(&path)], Some(Format::OfacSdnCsv), None).unwrap_or_else(|e| panic!("{e}"));
    parsed
        .entities
        .into_iter()
        .map(|e| e.id.as_str().to_owned())
        .collect()
}

#[test]
fn the_designation_blocks_his_companies_on_that_update() {
    let edges = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/duma-edges.csv"));
    let parsed =
        parse_relations(&[edges], None, Some("registry")).unwrap_or_else(|e| panic!("{e}"));
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);

    let before = sdn_ids("2022-03-21");
    let after = sdn_ids("2022-03-24");
    assert!(!before.contains("ofac-sdn:35391") && after.contains("ofac-sdn:35391"));

    let graph = OwnershipGraph::from_relations(&parsed.relations, screening_date());
    let seeds = before
        .iter()
        .flat_map(|id| Regime::ALL.map(|regime| Seed::listed(id, regime)));
    let mut propagation = Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"));
    assert!(propagation.blocked_unlisted().is_empty());

    let added: Vec<Seed> = after
        .difference(&before)
        .flat_map(|id| Regime::ALL.map(|regime| Seed::listed(id, regime)))
        .collect();
    let changes = propagation
        .update_seeds(added, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let newly: Vec<(&str, Regime)> = changes
        .iter()
        .filter(|c| c.blocked && !c.was_blocked && !c.listed)
        .map(|c| (c.entity_id.as_str(), c.regime))
        .collect();
    assert_eq!(
        newly,
        [
            // Directed, not owned: control blocks in the EU and the UK only.
            ("registry:kama-foods", Eu),
            ("registry:kama-foods", Uk),
            ("registry:volga-media", Ofac),
            ("registry:volga-media", Eu),
            ("registry:volga-media", Uk),
            ("registry:volga-print", Ofac),
            ("registry:volga-print", Eu),
            ("registry:volga-print", Uk),
            // 30% through Volga Media and 25% of his own: 55%, his alone.
            ("registry:volga-radio", Ofac),
            ("registry:volga-radio", Eu),
            ("registry:volga-radio", Uk),
        ]
    );

    let report = propagation
        .report("registry:volga-radio")
        .unwrap_or_else(|| panic!("no report"));
    assert_eq!(
        report.regimes.ofac.share,
        Share::from_ppm(550_000).unwrap_or(Share::ZERO)
    );
    let routes: Vec<Vec<(&str, Option<f64>)>> = report
        .paths
        .iter()
        .map(|p| {
            p.steps
                .iter()
                .map(|s| (s.owner.as_str(), s.percentage.map(Share::fraction)))
                .collect()
        })
        .collect();
    assert_eq!(
        routes,
        [
            vec![
                ("ofac-sdn:35391", Some(0.6)),
                ("registry:volga-media", Some(0.3))
            ],
            vec![("ofac-sdn:35391", Some(0.25))],
        ]
    );
    assert_eq!(
        report.paths[0].steps[0].link,
        StepLink::Listed {
            listed_id: "ofac-sdn:35391".into()
        }
    );
}
