//! A list's history as a reviewer reads it: each version with what it changed from the one
//! before (the version imported just before it), with the names of the entities added,
//! removed and changed, not only their ids, and the ownership and control relations it
//! added, removed and changed when it holds any.

use std::collections::HashMap;

use interdict_model::{Entity, ListVersion};
use interdict_store::Store;

use crate::Error;
use crate::contract::{ListVersionJson, RelationDiffJson};
use crate::lists::{name_relation_parties, relation_diff, stored_relations};

/// An entity named in a version's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedEntity {
    /// The entity id.
    pub id: String,
    /// Its primary name.
    pub name: String,
}

/// An entity that changed, with the fields that did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedChange {
    /// The entity (its name in the newer version).
    pub entity: NamedEntity,
    /// The top-level fields that changed.
    pub fields: Vec<String>,
}

/// What one version changed from the one imported before it.
#[derive(Debug, Clone)]
pub struct VersionChanges {
    /// The version.
    pub version: ListVersionJson,
    /// The version before it; `None` for a list's first version (everything is added).
    pub previous: Option<ListVersionJson>,
    /// Entities only in this version, by id.
    pub added: Vec<NamedEntity>,
    /// Entities only in the previous version, by id.
    pub removed: Vec<NamedEntity>,
    /// Entities in both whose content differs, by id.
    pub changed: Vec<NamedChange>,
    /// The relations added, removed and changed, when this version or the previous one holds
    /// any; `None` for lists of entities only.
    pub relations: Option<RelationDiffJson>,
}

/// What version `reference` (an id, a unique prefix or `list@prefix`) of `list` changed.
pub async fn changes(store: &Store, list: &str, reference: &str) -> Result<VersionChanges, Error> {
    let version = crate::lists::find_version(store, "version", reference).await?;
    if version.list != list {
        return Err(Error::invalid(
            "version",
            format!(
                "{reference} is a version of {}, not of {list}",
                version.list
            ),
        ));
    }
    // Newest import first: the previous version is the one listed right after this one.
    let versions = store.list_versions(list).await?;
    let previous = versions
        .iter()
        .position(|v| v.version == version.version)
        .and_then(|at| versions.get(at + 1))
        .cloned();
    let newer = store.version_entities(list, &version.version).await?;
    let newer_relations = stored_relations(store, &version).await?;
    let Some(previous) = previous else {
        return Ok(VersionChanges {
            version: ListVersionJson::from(&version),
            previous: None,
            added: newer.iter().map(named).collect(),
            removed: Vec::new(),
            changed: Vec::new(),
            relations: named_relations(store, relation_diff(&[], &newer_relations), &newer, &[])
                .await?,
        });
    };
    let older_relations = stored_relations(store, &previous).await?;
    let older = store.version_entities(list, &previous.version).await?;
    let diff = store.diff(&previous, &version).await?;
    let relations = named_relations(
        store,
        relation_diff(&older_relations, &newer_relations),
        &newer,
        &older,
    )
    .await?;
    // By id in a map: the store's order follows the database's collation, not Rust's.
    let names = |entities: &[Entity]| -> HashMap<String, String> {
        entities
            .iter()
            .map(|e| (e.id.as_str().to_owned(), e.name.clone()))
            .collect()
    };
    let (newer, older) = (names(&newer), names(&older));
    let name_in = |names: &HashMap<String, String>, id: &str| NamedEntity {
        id: id.to_owned(),
        name: names.get(id).cloned().unwrap_or_default(),
    };
    Ok(VersionChanges {
        version: ListVersionJson::from(&version),
        previous: Some(ListVersionJson::from(&previous)),
        added: diff.added.iter().map(|id| name_in(&newer, id)).collect(),
        removed: diff.removed.iter().map(|id| name_in(&older, id)).collect(),
        changed: diff
            .changed
            .into_iter()
            .map(|c| NamedChange {
                entity: name_in(&newer, &c.id),
                fields: c.fields,
            })
            .collect(),
        relations,
    })
}

/// Every version of `list`, newest import first.
pub async fn versions(store: &Store, list: &str) -> Result<Vec<ListVersionJson>, Error> {
    Ok(store
        .list_versions(list)
        .await?
        .iter()
        .map(ListVersionJson::from)
        .collect())
}

/// Every stored version of every list, newest import first within each list.
pub async fn all_versions(store: &Store) -> Result<Vec<ListVersionJson>, Error> {
    let versions: Vec<ListVersion> = store.versions().await?;
    Ok(versions.iter().map(ListVersionJson::from).collect())
}

/// `diff` with its parties named from the versions' entities, or the store.
async fn named_relations(
    store: &Store,
    diff: Option<RelationDiffJson>,
    newer: &[Entity],
    older: &[Entity],
) -> Result<Option<RelationDiffJson>, Error> {
    let Some(mut diff) = diff else {
        return Ok(None);
    };
    let known: HashMap<String, String> = older
        .iter()
        .chain(newer)
        .map(|e| (e.id.as_str().to_owned(), e.name.clone()))
        .collect();
    name_relation_parties(store, &mut diff, known).await?;
    Ok(Some(diff))
}

fn named(entity: &Entity) -> NamedEntity {
    NamedEntity {
        id: entity.id.as_str().to_owned(),
        name: entity.name.clone(),
    }
}
