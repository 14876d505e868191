//! The list store on a real SQLite file and a real Postgres database: versions, activation,
//! atomicity, diff. Every test runs on both backends.

use crate::common;

use common::{Guard, import_request};
use interdict_model::{
    Entity, EntityId, Identifier, IdentifierKind, Name, NameKind, PartialDate, Schema,
};
use interdict_store::{Activation, Backend, Error, ImportRequest, Store};

fn person(list: &str, id: &str, name: &str) -> Entity {
    let mut entity = Entity::new(EntityId::new(list, id), Schema::Person, name);
    entity.source.format = "test".into();
    entity.source.location = format!("line {id}");
    entity
}

on_both_backends_with_guard!(
    import_creates_an_active_version_and_reimport_creates_nothing,
    new_content_becomes_active_and_old_versions_stay_intact,
    a_failing_import_leaves_the_active_version_untouched,
    an_import_failing_half_way_is_invisible_until_a_retry_completes_it,
    versions_are_found_by_unique_prefix,
    an_import_and_its_audit_record_commit_together,
);

async fn import_creates_an_active_version_and_reimport_creates_nothing(
    store: Store,
    _guard: Guard,
) {
    let mut a = person("test", "1", "SHOIGU, Sergei");
    a.add_name(Name::new("Шойгу Сергей", NameKind::OriginalScript));
    a.add_identifier(Identifier::new(IdentifierKind::Passport, "AB123"));
    let b = person("test", "2", "PUTIN, Vladimir");
    let published = PartialDate::parse("2022-03-21");
    let first = store
        .import(
            "test",
            "ofac-sdn-csv",
            &[a.clone(), b.clone()],
            &interdict_store::ImportRequest {
                published,
                ..import_request(&["sdn.csv".into()])
            },
        )
        .await
        .expect("import");
    assert!(!first.unchanged);
    assert!(first.activated);
    assert_eq!(first.version.entities, 2);
    assert_eq!(first.version.names, 3);
    assert_eq!(
        first.version.version,
        interdict_model::content_hash([&a, &b])
    );
    assert_eq!(first.version.published, published);
    assert!(first.version.active);

    // Same content in another order and at other lines: the same version.
    let mut b_moved = b.clone();
    b_moved.source.location = "line 99".into();
    let again = store
        .import(
            "test",
            "ofac-sdn-csv",
            &[b_moved, a.clone()],
            &import_request(&[]),
        )
        .await
        .expect("reimport");
    assert!(again.unchanged);
    assert!(!again.activated);
    assert_eq!(again.version.version, first.version.version);
    assert_eq!(store.versions().await.expect("versions").len(), 1);

    let stored = store.entity("test:1").await.expect("entity");
    assert_eq!(stored.entity, a);
    assert_eq!(stored.version.version, first.version.version);
}

async fn new_content_becomes_active_and_old_versions_stay_intact(store: Store, _guard: Guard) {
    let a = person("test", "1", "A");
    let b = person("test", "2", "B");
    let v1 = store
        .import("test", "f", &[a.clone(), b.clone()], &import_request(&[]))
        .await
        .expect("v1");
    let mut b2 = b.clone();
    b2.programs.push("RUSSIA-EO14024".into());
    let c = person("test", "3", "C");
    let v2 = store
        .import("test", "f", &[b2.clone(), c.clone()], &import_request(&[]))
        .await
        .expect("v2");
    assert!(v2.activated);
    let active = store.active_versions().await.expect("active");
    assert_eq!(active["test"].version, v2.version.version);

    let old = store
        .version_entities("test", &v1.version.version)
        .await
        .expect("old entities");
    assert_eq!(old, vec![a.clone(), b.clone()]);

    let diff = store.diff(&v1.version, &v2.version).await.expect("diff");
    assert_eq!(diff.added, vec!["test:3"]);
    assert_eq!(diff.removed, vec!["test:1"]);
    assert_eq!(diff.changed.len(), 1);
    assert_eq!(diff.changed[0].id, "test:2");
    assert_eq!(diff.changed[0].fields, vec!["programs"]);

    // A delisted entity is still inspectable from the version that had it.
    let gone = store.entity("test:1").await.expect("delisted entity");
    assert_eq!(gone.version.version, v1.version.version);
    assert!(!gone.version.active);

    // Re-importing the old content re-activates it without creating anything.
    let back = store
        .import("test", "f", &[a, b], &import_request(&[]))
        .await
        .expect("rollback");
    assert!(back.unchanged && back.activated);
    assert_eq!(store.versions().await.expect("versions").len(), 2);
}

async fn a_failing_import_leaves_the_active_version_untouched(store: Store, _guard: Guard) {
    let good = store
        .import(
            "test",
            "f",
            &[person("test", "1", "A")],
            &import_request(&[]),
        )
        .await
        .expect("good import");
    // Two entities with one id: refused, naming it, before anything is written.
    let duplicate = vec![person("test", "7", "X"), person("test", "7", "Y")];
    let failed = store
        .import("test", "f", &duplicate, &import_request(&[]))
        .await;
    match failed {
        Err(Error::Invalid(message)) => assert!(message.contains("test:7"), "{message}"),
        other => panic!("expected the duplicate to be refused, got {other:?}"),
    }
    let versions = store.versions().await.expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, good.version.version);
    assert!(versions[0].active);

    let stranger = store
        .import(
            "test",
            "f",
            &[person("other", "1", "A")],
            &import_request(&[]),
        )
        .await;
    assert!(matches!(stranger, Err(Error::Invalid(_))));
}

/// An import writes its version's entity rows in batches before the version is complete.
/// One that fails after some of them committed (a database error injected into the last
/// batch) leaves rows that no read shows, and the active version as it was; the same
/// content imported again completes the version.
async fn an_import_failing_half_way_is_invisible_until_a_retry_completes_it(
    store: Store,
    guard: Guard,
) {
    let good = store
        .import(
            "test",
            "f",
            &[person("test", "1", "A")],
            &import_request(&[]),
        )
        .await
        .expect("good import");
    let entities: Vec<Entity> = (0..450)
        .map(|i| person("test", &format!("n{i:03}"), &format!("Name {i}")))
        .collect();
    let failing = "'test:n449'";
    match store.backend() {
        Backend::Sqlite => {
            guard
                .execute_raw(&format!(
                    "CREATE TRIGGER fail_import BEFORE INSERT ON version_entities \
                     WHEN NEW.entity_id = {failing} BEGIN SELECT RAISE(ABORT, 'injected'); END"
                ))
                .await;
        }
        Backend::Postgres => {
            guard
                .execute_raw(&format!(
                    "CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN IF NEW.entity_id = {failing} THEN RAISE EXCEPTION 'injected'; END IF; \
                     RETURN NEW; END $$"
                ))
                .await;
            guard
                .execute_raw(
                    "CREATE TRIGGER fail_import BEFORE INSERT ON version_entities \
                     FOR EACH ROW EXECUTE FUNCTION fail_import()",
                )
                .await;
        }
    }
    let failed = store
        .import("test", "f", &entities, &import_request(&[]))
        .await;
    assert!(matches!(failed, Err(Error::Database(_))), "{failed:?}");

    let written = guard
        .execute_raw(
            "UPDATE version_entities SET source = source \
             WHERE list_id = 'test' AND entity_id LIKE 'test:n%'",
        )
        .await;
    assert!(
        written >= 200,
        "the batches before the failure committed: {written}"
    );
    let versions = store.versions().await.expect("versions");
    assert_eq!(
        versions.len(),
        1,
        "no partial version is visible: {versions:?}"
    );
    assert_eq!(versions[0].version, good.version.version);
    assert!(versions[0].active);
    assert_eq!(
        store.active_entities().await.expect("active").1.len(),
        1,
        "the active version is untouched"
    );
    assert!(
        matches!(store.entity("test:n000").await, Err(Error::NotFound { .. })),
        "an entity only the failed import had is not found"
    );

    match store.backend() {
        Backend::Sqlite => {
            guard.execute_raw("DROP TRIGGER fail_import").await;
        }
        Backend::Postgres => {
            guard
                .execute_raw("DROP TRIGGER fail_import ON version_entities")
                .await;
        }
    }
    let retry = store
        .import(
            "test",
            "f",
            &entities,
            &import_request(&["retry.csv".into()]),
        )
        .await
        .expect("retry");
    assert!(!retry.unchanged && retry.activated);
    assert_eq!(retry.version.entities, 450);
    let stored = store
        .version_entities("test", &retry.version.version)
        .await
        .expect("entities");
    assert_eq!(stored.len(), 450);
    assert_eq!(
        store
            .find_version(&retry.version.version)
            .await
            .expect("found")
            .version,
        retry.version.version
    );
    assert_eq!(store.versions().await.expect("versions").len(), 2);
    let found = store.entity("test:n000").await.expect("entity");
    assert_eq!(found.version.version, retry.version.version);
    // Imported again, the completed version is unchanged.
    let again = store
        .import("test", "f", &entities, &import_request(&[]))
        .await
        .expect("again");
    assert!(again.unchanged && !again.activated);
}

async fn versions_are_found_by_unique_prefix(store: Store, _guard: Guard) {
    let v = store
        .import("one", "f", &[person("one", "1", "A")], &import_request(&[]))
        .await
        .expect("one");
    store
        .import("two", "f", &[person("two", "1", "B")], &import_request(&[]))
        .await
        .expect("two");
    let id = &v.version.version;
    assert_eq!(
        store.find_version(&id[..8]).await.expect("prefix").version,
        *id
    );
    assert_eq!(
        store
            .find_version(&format!("one@{}", &id[..6]))
            .await
            .expect("list@prefix")
            .list,
        "one"
    );
    assert!(matches!(
        store.find_version("abc").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        store.find_version("0000000000").await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        store
            .find_version("0000000000")
            .await
            .is_err_and(|e| e.is_user_error())
    );
    assert!(matches!(
        store.entity("one:404").await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn the_store_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let path = path.to_str().expect("utf-8");
    let version = {
        let store = Store::open(path).await.expect("open");
        let v = store
            .import(
                "test",
                "f",
                &[person("test", "1", "A")],
                &import_request(&[]),
            )
            .await
            .expect("import");
        store.close().await;
        v.version
    };
    let store = Store::open(path).await.expect("reopen");
    let (active, entities) = store.active_entities().await.expect("active");
    assert_eq!(active["test"], version);
    assert_eq!(entities.len(), 1);
}

/// The audit records of imports and activations, oldest first.
async fn list_records(store: &Store) -> Vec<serde_json::Value> {
    let from = chrono::DateTime::UNIX_EPOCH;
    let to = chrono::Utc::now() + chrono::Duration::days(1);
    store
        .audit_records_between(from, to, 0, 1000)
        .await
        .expect("records")
        .iter()
        .filter(|r| r.kind == "import" || r.kind == "activation")
        .map(|r| {
            let mut value = r.payload_value().expect("payload");
            value["kind"] = serde_json::Value::String(r.kind.clone());
            value
        })
        .collect()
}

/// A version is never active without its audit record: the record is written in the
/// transaction that completes and activates the version, so when the record cannot be
/// written, nothing is activated; a refused activation (another import won) records nothing;
/// a version kept inactive says why; activating it by hand is on record too.
async fn an_import_and_its_audit_record_commit_together(store: Store, guard: Guard) {
    let v1 = store
        .import(
            "test",
            "f",
            &[person("test", "1", "A")],
            &import_request(&[]),
        )
        .await
        .expect("v1");
    let records = list_records(&store).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["version"], v1.version.version.as_str());
    assert_eq!(records[0]["activated"], true);

    let v2_entities = [person("test", "1", "A"), person("test", "2", "B")];
    guard
        .execute_raw("ALTER TABLE audit_records RENAME TO audit_records_away")
        .await;
    let failed = store
        .import("test", "f", &v2_entities, &import_request(&[]))
        .await;
    guard
        .execute_raw("ALTER TABLE audit_records_away RENAME TO audit_records")
        .await;
    assert!(failed.is_err(), "the import succeeded without its record");
    let active = store.active_versions().await.expect("active");
    assert_eq!(active["test"].version, v1.version.version);
    assert_eq!(store.versions().await.expect("versions").len(), 1);

    let conflict = store
        .import(
            "test",
            "f",
            &v2_entities,
            &ImportRequest {
                activation: Activation::IfActiveIs(Some("someone-else".into())),
                ..import_request(&[])
            },
        )
        .await;
    assert!(matches!(conflict, Err(Error::Conflict(_))), "{conflict:?}");
    assert_eq!(list_records(&store).await.len(), 1);
    assert_eq!(
        store.active_versions().await.expect("active")["test"].version,
        v1.version.version
    );

    let kept = store
        .import(
            "test",
            "f",
            &v2_entities,
            &ImportRequest {
                activation: Activation::Keep("published earlier".into()),
                ..import_request(&[])
            },
        )
        .await
        .expect("kept");
    assert!(!kept.activated && !kept.version.active);
    let records = list_records(&store).await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["kept_inactive"], "published earlier");
    assert_eq!(records[1]["activated"], false);

    assert!(
        store
            .activate("test", &kept.version.version, "test", "by hand")
            .await
            .expect("activate")
    );
    let records = list_records(&store).await;
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["kind"], "activation");
    assert_eq!(records[2]["previous_active"], v1.version.version.as_str());
    assert!(
        !store
            .activate("test", &kept.version.version, "test", "again")
            .await
            .expect("activate again"),
        "activating the active version changed something"
    );
    assert_eq!(list_records(&store).await.len(), 3);
    assert!(store.verify_audit().await.expect("verify").is_intact());
}
