//! The ownership graph brought up to date after a list update (`OwnershipView::update`)
//! says what computing it again says, on a real update: OFAC's SDN list of 2022-03-21, then
//! that of 2022-03-24 (which designates SHARGUNOV, `ofac-sdn:35391`), with a registry around
//! him (`tests/data`: an edges CSV naming him by id, and FollowTheMoney records of a person
//! the matcher resolves to him once he is listed), and back (a rollback); on a store,
//! `screenable_after` updates the view only on the same relations and day.

use std::collections::HashSet;
use std::path::Path;

use interdict_app::ownership::{OwnershipView, UpdatedView};
use interdict_model::{Entity, PartialDate, Relation};
use interdict_ownership::Regime;
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

fn fixture(name: &str) -> SourceFile {
    file(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
}

/// The SDN list of `date`, as the store holds its entities.
fn sdn(date: &str) -> Vec<Entity> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists")
        .join(format!("ofac-sdn-{date}/sdn.csv"));
    let parsed =
        parse(&[file(&path)], Some(Format::OfacSdnCsv), None).unwrap_or_else(|e| panic!("{e}"));
    parsed.entities
}

/// The registry: its relations (edges CSV and FtM) and its people and companies.
fn registry() -> (Vec<Relation>, Vec<Entity>) {
    let mut relations = Vec::new();
    for name in ["duma-edges.csv", "registry.ftm.json"] {
        let parsed = parse_relations(&[fixture(name)], None, Some("registry"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parsed.issues.is_empty(), "{name}: {:?}", parsed.issues);
        relations.extend(parsed.relations);
    }
    let parties = parse(&[fixture("registry.ftm.json")], None, Some("registry"))
        .unwrap_or_else(|e| panic!("{e}"))
        .entities;
    (relations, parties)
}

fn date() -> PartialDate {
    PartialDate::parse("2022-03-25").unwrap_or_else(|| panic!("a date"))
}

fn with(mut listed: Vec<Entity>, parties: &[Entity]) -> Vec<Entity> {
    listed.extend(parties.iter().cloned());
    listed
}

/// Every entity of the graph, with its report.
fn reports(view: &OwnershipView) -> Vec<String> {
    let mut ids: Vec<&str> = view.propagation().entity_ids().collect();
    ids.sort_unstable();
    ids.into_iter()
        .map(|id| serde_json::to_string(&view.report(id)).unwrap_or_default())
        .collect()
}

fn assert_same(updated: &OwnershipView, computed: &OwnershipView) {
    assert_eq!(updated.blocked_unlisted(), computed.blocked_unlisted());
    assert_eq!(reports(updated), reports(computed));
    let seeds = |view: &OwnershipView| {
        let mut seeds: Vec<String> = view
            .propagation()
            .seeds()
            .iter()
            .map(|s| format!("{s:?}"))
            .collect();
        seeds.sort_unstable();
        seeds
    };
    assert_eq!(seeds(updated), seeds(computed));
}

#[test]
fn an_updated_view_equals_one_computed_again_on_the_2022_03_24_update_and_its_rollback() {
    let (relations, parties) = registry();
    let registries = HashSet::from(["registry".to_owned()]);
    let before_entities = with(sdn("2022-03-21"), &parties);
    let after_entities = with(sdn("2022-03-24"), &parties);

    let before = OwnershipView::compute(&relations, &before_entities, &registries, date())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(before.blocked_unlisted().is_empty());
    let after = OwnershipView::compute(&relations, &after_entities, &registries, date())
        .unwrap_or_else(|e| panic!("{e}"));

    let UpdatedView {
        view: updated,
        changes,
        seeds_removed,
        seeds_added,
    } = before
        .update(&after_entities)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_same(&updated, &after);
    // He is a seed by the edges' reference, and the registry's person with his name and
    // date of birth by resolution; his namesake is not.
    assert_eq!((seeds_removed, seeds_added), (0, 2), "{changes:?}");
    let became: Vec<&str> = changes
        .iter()
        .filter(|c| c.blocked && !c.was_blocked && !c.listed && c.regime == Regime::Ofac)
        .map(|c| c.entity_id.as_str())
        .collect();
    for company in [
        "registry:volga-media",
        "registry:volga-print",
        "registry:volga-radio",
        "registry:c-oka",
    ] {
        assert!(became.contains(&company), "{company}: {changes:?}");
    }
    assert!(!became.contains(&"registry:c-don"), "{changes:?}");
    let oka = updated
        .report("registry:c-oka")
        .unwrap_or_else(|| panic!("c-oka is in the graph"));
    assert_eq!(oka.paths[0].steps[0].link.basis, "resolved", "{oka:?}");

    // The rollback to the 2022-03-21 list takes it all back.
    let rolled_back = updated
        .update(&before_entities)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_same(&rolled_back.view, &before);
    assert_eq!((rolled_back.seeds_removed, rolled_back.seeds_added), (2, 0));
    assert!(rolled_back.view.blocked_unlisted().is_empty());
}

#[test]
fn the_companies_that_became_blocked_are_found_from_the_view_after_the_update() {
    let (relations, parties) = registry();
    let registries = HashSet::from(["registry".to_owned()]);
    let (old, new) = (sdn("2022-03-21"), sdn("2022-03-24"));
    let before = OwnershipView::compute(
        &relations,
        &with(old.clone(), &parties),
        &registries,
        date(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let after = OwnershipView::compute(
        &relations,
        &with(new.clone(), &parties),
        &registries,
        date(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The list diff, as the store gives it.
    let by_id = |list: &[Entity]| -> std::collections::HashMap<String, Entity> {
        list.iter()
            .map(|e| (e.id.as_str().to_owned(), e.clone()))
            .collect()
    };
    let (old, new) = (by_id(&old), by_id(&new));
    let added: HashSet<String> = new
        .keys()
        .filter(|id| !old.contains_key(*id))
        .cloned()
        .collect();
    let removed: Vec<String> = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    let changed: HashSet<String> = new
        .iter()
        .filter(|(id, entity)| old.get(*id).is_some_and(|was| was != *entity))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(added.contains("ofac-sdn:35391"), "{} added", added.len());

    let became = after
        .became_blocked(&added, &removed, &changed)
        .unwrap_or_else(|e| panic!("{e}"));
    let blocked = |view: &OwnershipView| -> HashSet<String> {
        view.blocked_unlisted()
            .into_iter()
            .map(|b| b.entity_id)
            .collect()
    };
    let mut expected: Vec<String> = blocked(&after)
        .difference(&blocked(&before))
        .cloned()
        .collect();
    expected.sort_unstable();
    assert_eq!(became, expected);
    assert!(became.contains(&"registry:c-oka".to_owned()), "{became:?}");
    // Nothing changed: nothing became blocked.
    let none = after
        .became_blocked(&HashSet::new(), &[], &HashSet::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty());
}

#[test]
fn a_view_is_updated_only_on_its_own_relations_and_date() {
    let (relations, parties) = registry();
    let registries = HashSet::from(["registry".to_owned()]);
    let view = OwnershipView::compute(
        &relations,
        &with(sdn("2022-03-24"), &parties),
        &registries,
        date(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A view computed outside `screenable` does not know which versions hold its relations.
    let versions = [("registry".to_owned(), "v1".to_owned())].into();
    assert!(!view.can_update(&versions, date()));
    // The latest holding began in 2020 (read as its last day): the graph is the same on any
    // day since 2021, not on one in 2020.
    let day = |text: &str| PartialDate::parse(text).unwrap_or_else(|| panic!("{text}"));
    assert!(view.same_graph_since(day("2021-01-01")));
    assert!(view.same_graph_since(day("2022-03-25")));
    assert!(!view.same_graph_since(day("2020-12-31")));
    assert!(!view.same_graph_since(day("2020-02-01")));
}

/// What `screenable_after` gives, with the versions it was given.
async fn screened(
    store: &interdict_store::Store,
    day: &str,
    previous: Option<std::sync::Arc<OwnershipView>>,
) -> interdict_app::ownership::Screenable {
    let (active, entities) = store.active_entities().await.expect("active entities");
    let versions = active
        .into_iter()
        .map(|(list, version)| (list, version.version))
        .collect();
    let day = PartialDate::parse(day).unwrap_or_else(|| panic!("{day}"));
    interdict_app::ownership::screenable_after(store, &versions, entities, day, previous)
        .await
        .expect("screenable")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_s_lists_update_the_view_on_the_same_relations_and_day_only() {
    use interdict_app::lists::{ImportOptions, import};
    let dir = tempfile::tempdir().expect("temp dir");
    let store =
        interdict_store::Store::open(dir.path().join("store.db").to_str().expect("utf-8 path"))
            .await
            .expect("store");
    let sdn = |date: &str| {
        file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/lists")
                .join(format!("ofac-sdn-{date}/sdn.csv")),
        )
    };
    let options = ImportOptions::new("test");
    import(&store, vec![sdn("2022-03-21")], "sdn", &options)
        .await
        .expect("SDN imported");
    let mut registry = ImportOptions::new("test");
    registry.list = Some("registry".into());
    import(
        &store,
        vec![fixture("duma-edges.csv"), fixture("registry.ftm.json")],
        "registry",
        &registry,
    )
    .await
    .expect("registry imported");

    let before = screened(&store, "2022-03-25", None).await;
    assert!(!before.incremental && before.ownership.is_empty());
    let view = before.view.expect("the registry holds relations");

    // A new day: computed again, whatever the lists.
    let next_day = screened(&store, "2022-03-26", Some(view.clone())).await;
    assert!(!next_day.incremental);

    // The 2022-03-24 list on the same relations and day: updated, and the same as computed.
    import(&store, vec![sdn("2022-03-24")], "sdn", &options)
        .await
        .expect("update imported");
    let updated = screened(&store, "2022-03-25", Some(view)).await;
    assert!(updated.incremental);
    let computed = screened(&store, "2022-03-25", None).await;
    assert_eq!(
        serde_json::to_value(&updated.ownership).unwrap_or_default(),
        serde_json::to_value(&computed.ownership).unwrap_or_default()
    );
    let ids = |s: &interdict_app::ownership::Screenable| -> Vec<String> {
        s.entities.iter().map(|e| e.id.to_string()).collect()
    };
    assert_eq!(ids(&updated), ids(&computed));
    assert!(
        updated.ownership.contains_key("registry:c-oka"),
        "{:?}",
        updated.ownership.keys()
    );
}
