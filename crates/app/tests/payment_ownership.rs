//! A payment to a company on no list that a listed person's holding blocks is a hit with the
//! same `ownership` object as a screening's match (basis `ownership`, regimes, share, paths):
//! the registry of `tests/data` beside OFAC's SDN list of 2022-03-24, which designates
//! SHARGUNOV (`ofac-sdn:35391`), whose namesake in the registry owns 50% of Oka River
//! Publishing.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use interdict_app::ActiveLists;
use interdict_app::ownership::{OwnershipHitJson, OwnershipHits, OwnershipView};
use interdict_app::payments::{PaymentInput, screen_inputs_on};
use interdict_model::{Entity, PartialDate};
use interdict_sources::{Format, SourceFile, parse, parse_relations};

fn file(path: &Path) -> SourceFile {
    SourceFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
    }
}

/// The lists as the service loads them: the SDN list, and the registry's parties that their
/// owners block, with their ownership hits.
fn active_lists() -> ActiveLists {
    let sdn = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists/ofac-sdn-2022-03-24/sdn.csv");
    let registry =
        file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registry.ftm.json"));
    let mut entities = parse(&[file(&sdn)], Some(Format::OfacSdnCsv), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .entities;
    let parties: Vec<Entity> = parse(std::slice::from_ref(&registry), None, Some("registry"))
        .unwrap_or_else(|e| panic!("{e}"))
        .entities;
    let relations = parse_relations(&[registry], None, Some("registry"))
        .unwrap_or_else(|e| panic!("{e}"))
        .relations;
    entities.extend(parties);
    let date = PartialDate::parse("2022-03-25").unwrap_or_else(|| panic!("a date"));
    let registries = HashSet::from(["registry".to_owned()]);
    let view = OwnershipView::compute(&relations, &entities, &registries, date)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ownership = OwnershipHits::new();
    for blocked in view.blocked_unlisted() {
        let hit = view
            .report(&blocked.entity_id)
            .and_then(|report| OwnershipHitJson::from_report(&report));
        if let Some(hit) = hit {
            ownership.insert(blocked.entity_id, hit);
        }
    }
    let entities = entities
        .into_iter()
        .filter(|e| e.id.list() != "registry" || ownership.contains_key(e.id.as_str()))
        .collect();
    let versions = BTreeMap::from([
        ("ofac-sdn".to_owned(), "2022-03-24".to_owned()),
        ("registry".to_owned(), "v1".to_owned()),
    ]);
    let mut active = ActiveLists::build(entities, versions);
    active.ownership = Arc::new(ownership);
    active
}

fn mt103(beneficiary: &str) -> PaymentInput {
    let text = format!(
        "{{1:F01BANKDEFFAXXX0000000000}}{{2:I103BANKUS33XXXXN}}{{4:
:20:REF-OKA-0325
:23B:CRED
:32A:220325USD25000,00
:50K:/DE89370400440532013000
JOHN SMITH
BERLIN
:59:/40702810900000012345
{beneficiary}
KALUGA RU
:71A:SHA
-}}"
    );
    PaymentInput {
        name: "oka.mt103".into(),
        bytes: text.into_bytes(),
    }
}

#[test]
fn a_payment_to_a_company_blocked_by_ownership_hits_with_the_paths() {
    let active = active_lists();
    let day = chrono::NaiveDate::from_ymd_opt(2022, 3, 25).unwrap_or_default();
    let screened = screen_inputs_on(
        &active,
        "tester",
        &[mt103("OKA RIVER PUBLISHING LLC")],
        0.85,
        day,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(screened.outcomes()).unwrap_or_default();
    let result = &json[0]["Ok"];
    assert_eq!(result["decision"], "hit", "{json}");
    let hits = result["hits"].as_array().cloned().unwrap_or_default();
    let hit = hits
        .iter()
        .find(|h| h["entity_id"] == "registry:c-oka")
        .unwrap_or_else(|| panic!("no hit on the company: {json}"));
    let ownership = &hit["ownership"];
    assert_eq!(ownership["basis"], "ownership", "{hit}");
    assert_eq!(ownership["regimes"], serde_json::json!(["ofac"]));
    assert_eq!(ownership["share"], 0.5);
    let step = &ownership["paths"][0]["steps"][0];
    assert_eq!(step["owner"], "registry:p-shargunov", "{ownership}");
    assert_eq!(step["link"]["basis"], "resolved");
    assert_eq!(step["link"]["listed_id"], "ofac-sdn:35391");
    // The same object as a screening match of the company carries.
    assert_eq!(
        *ownership,
        serde_json::to_value(active.ownership.get("registry:c-oka")).unwrap_or_default()
    );
    // A listed party's hit carries none.
    let clear = screen_inputs_on(&active, "tester", &[mt103("JOHN SMITH")], 0.85, day)
        .unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(clear.outcomes()).unwrap_or_default();
    let hits = json[0]["Ok"]["hits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(hits.iter().all(|h| h.get("ownership").is_none()), "{json}");
}
