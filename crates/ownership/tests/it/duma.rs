//! The Duma scenario on real lists: a registry extract (`tests/data/duma-edges.csv`) around
//! SHARGUNOV (`ofac-sdn:35391`), who OFAC designated on 2022-03-24. Seeded with the SDN list
//! of 2022-03-21 his companies are free; the update to the 2022-03-24 list blocks those he
//! owns under OFAC, and the change names each, with the path from him.

use std::collections::HashSet;
use std::path::Path;

use interdict_model::Share;
use interdict_ownership::Regime::{Eu, Ofac};
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
    // The SDN list is OFAC's: its entries are seeds under OFAC only.
    assert_eq!(Regime::for_list("ofac-sdn"), [Ofac]);
    let seeds = before.iter().map(|id| Seed::listed(id, Ofac));
    let mut propagation = Propagation::compute(graph, seeds).unwrap_or_else(|e| panic!("{e}"));
    assert!(propagation.blocked_unlisted().is_empty());

    let added: Vec<Seed> = after
        .difference(&before)
        .map(|id| Seed::listed(id, Ofac))
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
            ("registry:volga-media", Ofac),
            ("registry:volga-print", Ofac),
            // 30% through Volga Media and 25% of his own: 55%.
            ("registry:volga-radio", Ofac),
        ]
    );
    // He directs Kama Foods without holding any of it: control does not block under OFAC,
    // and he is on no EU or UK list here.
    let kama = propagation
        .report("registry:kama-foods")
        .unwrap_or_else(|| panic!("no report"));
    assert!(kama.blocked_by_ownership().is_empty());
    // Had the EU listed him (resolved from the SDN entry), the directorship would block it.
    let eu_listing = Seed::resolved("ofac-sdn:35391", "eu-fsf:example", 0.98, Eu);
    let changes = propagation
        .update_seeds([eu_listing], &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        changes
            .iter()
            .any(|c| c.entity_id == "registry:kama-foods" && c.regime == Eu && c.blocked)
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
