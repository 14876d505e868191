//! Ownership and control relations stored as list versions, on a real SQLite file and a real
//! Postgres database: content-hashed with the entities, atomic, read back whole from the
//! active versions only.

use crate::common;

use common::{Guard, import_request};
use interdict_model::{
    Entity, EntityId, PartialDate, Relation, RelationKind, Schema, Share, SourceRecord, Stake,
};
use interdict_store::{PreparedList, Store};

fn relation(id: &str, owner: &str, asset: &str, percent: f64, line: usize) -> Relation {
    Relation {
        id: format!("registry:{id}"),
        owner: owner.into(),
        asset: asset.into(),
        kind: RelationKind::Ownership,
        stake: Share::from_percent(percent).map(Stake::exact),
        start: PartialDate::parse("2020-01-01"),
        end: None,
        role: Some("shareholder".into()),
        joint: false,
        source: SourceRecord {
            format: "ownership-csv".into(),
            file: "edges.csv".into(),
            location: format!("line {line}"),
            raw: String::new(),
        },
    }
}

fn company(id: &str, name: &str) -> Entity {
    Entity::new(EntityId::new("registry", id), Schema::Organization, name)
}

on_both_backends_with_guard!(
    relations_are_a_version_of_their_own_and_read_back_whole,
    only_the_active_version_s_relations_count,
);

async fn relations_are_a_version_of_their_own_and_read_back_whole(store: Store, _guard: Guard) {
    let entities = [company("acme", "ACME HOLDING LLC")];
    let relations = [
        relation("r1", "ofac-sdn:35391", "registry:acme", 60.0, 2),
        relation("r2", "registry:someone", "registry:acme", 40.0, 3),
    ];
    let prepared = PreparedList::with_relations("registry", "ownership-csv", &entities, &relations)
        .expect("prepare");
    assert_eq!(prepared.relation_count(), 2);
    // Without relations the id is that of the entities alone; with them it differs.
    let entities_only = PreparedList::new("registry", "ownership-csv", &entities).expect("prepare");
    assert_ne!(prepared.version(), entities_only.version());
    assert_eq!(
        entities_only.version(),
        interdict_model::content_hash(&entities)
    );
    let outcome = store
        .import_prepared(&prepared, &import_request(&["edges.csv".into()]))
        .await
        .expect("import");
    assert!(outcome.activated && !outcome.unchanged);
    assert_eq!(outcome.version.version, prepared.version());
    let stored = store
        .version_relations("registry", prepared.version())
        .await
        .expect("relations");
    assert_eq!(
        stored,
        relations.to_vec(),
        "content and provenance come back"
    );
    assert_eq!(
        store
            .relation_count("registry", prepared.version())
            .await
            .expect("count"),
        2
    );

    // The same relations in another order, read from other lines: the same version.
    let mut moved = [relations[1].clone(), relations[0].clone()];
    moved[0].source.location = "line 9".into();
    let again = PreparedList::with_relations("registry", "ownership-csv", &entities, &moved)
        .expect("prepare");
    assert_eq!(again.version(), prepared.version());
    let second = store
        .import_prepared(&again, &import_request(&["edges.csv".into()]))
        .await
        .expect("reimport");
    assert!(second.unchanged);

    // A relation twice is refused before anything is written.
    let twice = [relations[0].clone(), relations[0].clone()];
    assert!(PreparedList::with_relations("registry", "ownership-csv", &[], &twice).is_err());
}

async fn only_the_active_version_s_relations_count(store: Store, _guard: Guard) {
    let first = [relation("r1", "ofac-sdn:1", "registry:a", 30.0, 2)];
    let second = [
        relation("r1", "ofac-sdn:1", "registry:a", 60.0, 2),
        relation("r2", "registry:a", "registry:b", 100.0, 3),
    ];
    for relations in [&first[..], &second[..]] {
        let prepared = PreparedList::with_relations("registry", "ownership-csv", &[], relations)
            .expect("prepare");
        store
            .import_prepared(&prepared, &import_request(&[]))
            .await
            .expect("import");
    }
    let active = store.active_relations().await.expect("active");
    assert_eq!(active, second.to_vec());
    assert_eq!(
        active[0].stake.map(Stake::conservative),
        Share::from_percent(60.0)
    );
}
