//! Differences between two versions of a list.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Entity;

/// One entity present in both versions whose content differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedEntity {
    /// The entity id.
    pub id: String,
    /// The top-level fields that differ (e.g. `names`, `identifiers`), sorted.
    pub fields: Vec<String>,
}

/// What changed between two versions: ids added, removed, and changed with their fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDiff {
    /// Ids only in the newer version, sorted.
    pub added: Vec<String>,
    /// Ids only in the older version, sorted.
    pub removed: Vec<String>,
    /// Ids in both whose content differs, sorted by id.
    pub changed: Vec<ChangedEntity>,
}

impl ListDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two versions of a list. Provenance (`source`) is not content and never counts
/// as a change.
pub fn diff_entities<'a>(
    old: impl IntoIterator<Item = &'a Entity>,
    new: impl IntoIterator<Item = &'a Entity>,
) -> ListDiff {
    let old: BTreeMap<&str, &Entity> = old.into_iter().map(|e| (e.id.as_str(), e)).collect();
    let new: BTreeMap<&str, &Entity> = new.into_iter().map(|e| (e.id.as_str(), e)).collect();
    let mut diff = ListDiff::default();
    for (id, entity) in &new {
        match old.get(id) {
            None => diff.added.push((*id).to_owned()),
            Some(before) => {
                let fields = changed_fields(before, entity);
                if !fields.is_empty() {
                    diff.changed.push(ChangedEntity {
                        id: (*id).to_owned(),
                        fields,
                    });
                }
            }
        }
    }
    diff.removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .map(|id| (*id).to_owned())
        .collect();
    diff
}

/// The top-level fields in which two entities differ, provenance excluded.
pub(crate) fn changed_fields(old: &Entity, new: &Entity) -> Vec<String> {
    let as_map = |e: &Entity| match serde_json::to_value(e) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let old = as_map(old);
    let new = as_map(new);
    let mut fields: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|k| *k != "source" && old.get(*k) != new.get(*k))
        .cloned()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, Schema};

    #[test]
    fn finds_added_removed_and_changed_fields() {
        let a = Entity::new(EntityId::new("x", "1"), Schema::Person, "A");
        let b = Entity::new(EntityId::new("x", "2"), Schema::Person, "B");
        let mut b2 = b.clone();
        b2.programs.push("SDGT".into());
        b2.source.location = "line 7".into();
        let c = Entity::new(EntityId::new("x", "3"), Schema::Vessel, "C");
        let diff = diff_entities([&a, &b], [&b2, &c]);
        assert_eq!(diff.added, vec!["x:3"]);
        assert_eq!(diff.removed, vec!["x:1"]);
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].fields, vec!["programs"]);
    }
}
