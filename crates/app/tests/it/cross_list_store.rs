//! The cross-list view through the use cases, on a store: the UN list and the UK Sanctions
//! List excerpt imported as published; a screening is one hit naming both lists, recorded and
//! replayed identically; the entity view names the other list; monitoring raises one alert
//! per customer and party, not one per list.

use std::path::Path;

use interdict_app::contract::ScreenRequest;
use interdict_app::lists::{ImportOptions, import};
use interdict_app::{ActiveLists, Limits, Screening};
use interdict_sources::SourceFile;
use interdict_store::{AlertFilter, Customer, Store};

fn list_file(path: &str) -> SourceFile {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists")
        .join(path);
    SourceFile {
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        bytes: std::fs::read(full).expect("list file"),
    }
}

async fn store_with_un_and_uk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.db");
    let store = Store::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("store");
    for path in [
        "un-consolidated-2026-02-27.xml",
        "uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    ] {
        import(
            &store,
            vec![list_file(path)],
            path,
            &ImportOptions::new("test"),
        )
        .await
        .expect("imported");
    }
    (dir, store)
}

#[tokio::test(flavor = "multi_thread")]
async fn one_hit_is_recorded_and_replayed_and_the_entity_names_the_other_list() {
    let (_dir, store) = store_with_un_and_uk().await;
    let active = ActiveLists::load(&store).await.expect("lists");
    let screening = Screening::new(
        ScreenRequest {
            name: "Mohammad Hassan Akhund".into(),
            ..ScreenRequest::default()
        },
        Limits::DEFAULT,
        "",
    )
    .expect("valid");
    let screenings = [screening];
    let results = active.screen(&screenings);
    let responses = interdict_app::screening::record(
        &store,
        "test",
        &active.versions,
        &active.ownership,
        &screenings,
        &results,
    )
    .await
    .expect("recorded");
    let response = &responses[0];
    let ours = ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"];
    let hits: Vec<_> = response
        .matches
        .iter()
        .filter(|m| {
            ours.contains(&m.entity_id.as_str())
                || m.also_listed
                    .iter()
                    .any(|o| ours.contains(&o.entity_id.as_str()))
        })
        .collect();
    assert_eq!(hits.len(), 1, "{:?}", response.matches);
    let hit = hits[0];
    assert!(ours.contains(&hit.entity_id.as_str()));
    assert_eq!(hit.also_listed.len(), 1);
    let other = &hit.also_listed[0];
    assert_ne!(other.list, hit.list);
    assert_eq!(other.linked_by, "UN reference number TAi.002");
    assert!(other.score.is_some());
    // The JSON carries it as `also_listed`, and a hit listed once has none.
    let json = serde_json::to_value(hit).expect("json");
    assert_eq!(
        json["also_listed"][0]["entity_id"],
        other.entity_id.as_str()
    );

    let replay = interdict_app::screening::replay(&store, &response.screening_id)
        .await
        .expect("replayed");
    assert!(replay.identical, "{replay:?}");

    let others = interdict_app::cross_list::also_listed(&store, "uk-sanctions-list:AFG0006")
        .await
        .expect("entity view");
    let ids: Vec<&str> = others.iter().map(|o| o.entity_id.as_str()).collect();
    assert_eq!(ids, ["un-sc:TAi.002"]);
    assert_eq!(active.also_listed("uk-sanctions-list:AFG0006").len(), 1);
    // A UN listing the UK excerpt does not carry is listed once.
    assert!(active.also_listed("un-sc:TAi.004").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn monitoring_raises_one_alert_per_customer_and_party() {
    let (_dir, store) = store_with_un_and_uk().await;
    store
        .upsert_customers(&[
            Customer {
                id: "c1".into(),
                name: "Mohammad Hassan Akhund".into(),
                dob: None,
                countries: Vec::new(),
                schema: None,
            },
            Customer {
                id: "c2".into(),
                name: "Abdul Ghani Baradar".into(),
                dob: None,
                countries: Vec::new(),
                schema: None,
            },
        ])
        .await
        .expect("customers");
    interdict_app::monitoring::run(&store, true, "test")
        .await
        .expect("monitored");
    let alerts = store
        .alerts(&AlertFilter {
            customer_id: Some("c1".into()),
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    let ours: Vec<&str> = alerts
        .iter()
        .map(|a| a.entity_id.as_str())
        .filter(|id| ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"].contains(id))
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "{:?}",
        alerts.iter().map(|a| &a.entity_id).collect::<Vec<_>>()
    );
    let kept = ours[0].to_owned();

    // A second full run keeps the party's alert where it is: no second alert appears.
    interdict_app::monitoring::run(&store, true, "test")
        .await
        .expect("monitored again");
    let again = store
        .alerts(&AlertFilter {
            customer_id: Some("c1".into()),
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    let ours_again: Vec<&str> = again
        .iter()
        .map(|a| a.entity_id.as_str())
        .filter(|id| ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"].contains(id))
        .collect();
    assert_eq!(ours_again, [kept.as_str()]);
}
