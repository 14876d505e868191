//! Dataset collections and the per-version entity hashes behind yente's entity times, on a
//! real SQLite file and a real Postgres database: a collection is set, replaced, listed and
//! removed, each change in the audit trail; a version's ids come with their content hashes.

mod common;

use common::{Guard, import_request};
use interdict_model::{Entity, EntityId, Schema, entity_hash};
use interdict_store::{Error, Store};

on_both_backends_with_guard!(
    collections_are_set_replaced_listed_and_removed_on_record,
    a_versions_entity_hashes_follow_its_content,
);

async fn collections_are_set_replaced_listed_and_removed_on_record(store: Store, _guard: Guard) {
    assert!(store.dataset_collections().await.expect("list").is_empty());
    let lists = [
        "un-sc".to_owned(),
        "ofac-sdn".to_owned(),
        "un-sc".to_owned(),
    ];
    let set = store
        .set_dataset_collection("sanctions", "Sanctions", &lists, "admin-1")
        .await
        .expect("set");
    // Sorted, without repeats.
    assert_eq!(set.lists, ["ofac-sdn", "un-sc"]);
    assert_eq!(set.updated_by, "admin-1");
    let replaced = store
        .set_dataset_collection("sanctions", "UN only", &["un-sc".to_owned()], "admin-2")
        .await
        .expect("replace");
    assert_eq!(replaced.lists, ["un-sc"]);
    store
        .set_dataset_collection("eu", "EU", &["eu-fsf".to_owned()], "admin-1")
        .await
        .expect("second");
    let all = store.dataset_collections().await.expect("list");
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["eu", "sanctions"]);
    assert_eq!(
        store.dataset_collection("sanctions").await.expect("one"),
        Some(replaced.clone())
    );

    let removed = store
        .remove_dataset_collection("sanctions", "admin-2")
        .await
        .expect("remove");
    assert_eq!(removed.lists, ["un-sc"]);
    assert_eq!(
        store.dataset_collection("sanctions").await.expect("one"),
        None
    );
    assert!(matches!(
        store
            .remove_dataset_collection("sanctions", "admin-2")
            .await,
        Err(Error::NotFound { .. })
    ));

    // Four changes on record, in order, and the chain still verifies.
    let verification = store.verify_audit().await.expect("verify");
    assert!(verification.is_intact(), "{verification:?}");
    let records = store
        .audit_records_between(
            chrono::Utc::now() - chrono::TimeDelta::days(1),
            chrono::Utc::now() + chrono::TimeDelta::days(1),
            0,
            1_000,
        )
        .await
        .expect("records");
    let mut actions = Vec::new();
    for record in records.iter().filter(|r| r.kind == "dataset") {
        let payload: serde_json::Value =
            serde_json::from_str(record.payload.get()).expect("payload");
        actions.push(format!("{} {}", payload["action"], payload["name"]));
    }
    assert_eq!(
        actions,
        [
            "\"set\" \"sanctions\"",
            "\"set\" \"sanctions\"",
            "\"set\" \"eu\"",
            "\"remove\" \"sanctions\""
        ]
    );
}

async fn a_versions_entity_hashes_follow_its_content(store: Store, _guard: Guard) {
    let first = vec![
        Entity::new(EntityId::new("t", "1"), Schema::Person, "Janan Agha"),
        Entity::new(EntityId::new("t", "2"), Schema::Person, "Ivan Petrov"),
    ];
    let mut second = first.clone();
    second[1].name = "Ivan Petrovich Petrov".into();
    let old = store
        .import("t", "test", &first, &import_request(&[]))
        .await
        .expect("import")
        .version;
    let new = store
        .import("t", "test", &second, &import_request(&[]))
        .await
        .expect("import")
        .version;
    let old_hashes = store
        .version_entity_hashes("t", &old.version)
        .await
        .expect("hashes");
    let new_hashes = store
        .version_entity_hashes("t", &new.version)
        .await
        .expect("hashes");
    assert_eq!(
        old_hashes,
        first
            .iter()
            .map(|e| (e.id.as_str().to_owned(), entity_hash(e)))
            .collect::<Vec<_>>()
    );
    assert_eq!(old_hashes[0], new_hashes[0]);
    assert_ne!(old_hashes[1].1, new_hashes[1].1);
}
