//! A registry's history through the use cases, on a store: the Duma registry imported, then
//! the same a year on (`crates/cli/tests/data/duma-registry-2023`: a share changed, an edge
//! ended, a new edge). Each version's changes name its relations next to its entities (the
//! first version adds them all); a list of entities only has no relation part.

use std::path::Path;

use interdict_app::list_history::changes;
use interdict_app::lists::{ImportOptions, import, read_path};
use interdict_store::Store;

async fn import_registry(store: &Store, dir: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cli/tests/data")
        .join(dir);
    let mut options = ImportOptions::new("test");
    options.list = Some("registry".into());
    let files = read_path(&path).expect("fixture");
    let report = import(store, files, dir, &options).await.expect("imported");
    assert!(report.activated, "{report:?}");
    report.version
}

#[tokio::test(flavor = "multi_thread")]
async fn each_version_names_the_relations_it_added_ended_and_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.db");
    let store = Store::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("store");
    let first = import_registry(&store, "duma-registry").await;
    let second = import_registry(&store, "duma-registry-2023").await;

    let opening = changes(&store, "registry", &first).await.expect("changes");
    assert!(opening.previous.is_none());
    assert_eq!(opening.added.len(), 5);
    let relations = opening.relations.expect("the first version's relations");
    assert_eq!((relations.counts.added, relations.counts.changed), (7, 0));

    let update = changes(&store, "registry", &second).await.expect("changes");
    assert_eq!(
        update.previous.as_ref().map(|p| p.version.as_str()),
        Some(first.as_str())
    );
    assert!(update.added.is_empty() && update.removed.is_empty() && update.changed.is_empty());
    let relations = update.relations.expect("relation changes");
    assert_eq!(
        (
            relations.counts.added,
            relations.counts.removed,
            relations.counts.changed
        ),
        (1, 0, 2)
    );
    assert_eq!(relations.added[0].asset, "registry:volga-tv");
    // Parties are named from the versions' records; the new company has none.
    assert_eq!(
        relations.added[0].owner_name.as_deref(),
        Some("Marina Petrovna Kuznetsova")
    );
    assert_eq!(relations.added[0].asset_name, None);
    let fields: Vec<(&str, &[String])> = relations
        .changed
        .iter()
        .map(|c| (c.new.asset.as_str(), c.fields.as_slice()))
        .collect();
    assert_eq!(
        fields,
        [
            ("registry:volga-radio", &["percentage".to_owned()][..]),
            ("registry:kama-foods", &["end".to_owned()][..]),
        ]
    );

    // A list of entities only: no relation part.
    let un = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists/un-consolidated-2026-02-27.xml");
    let report = import(
        &store,
        read_path(&un).expect("UN list"),
        "un",
        &ImportOptions::new("test"),
    )
    .await
    .expect("imported");
    let un_changes = changes(&store, &report.list, &report.version)
        .await
        .expect("changes");
    assert!(un_changes.relations.is_none());
}
