//! List versions and their content hashes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Entity, PartialDate};

/// One imported version of a list. Versions are immutable; one per list is active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// The list id, e.g. `ofac-sdn`.
    pub list: String,
    /// SHA-256 (hex) of the canonical content; see [`content_hash`].
    pub version: String,
    /// The format it was parsed from, e.g. `ofac-sdn-csv`.
    pub format: String,
    /// Number of entities.
    pub entities: usize,
    /// Number of names (primary names and aliases).
    pub names: usize,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// When the list was published, if given on import.
    pub published: Option<PartialDate>,
    /// Whether this is the list's active version.
    pub active: bool,
}

/// The SHA-256 (hex) of one entity's canonical content: its JSON without provenance.
/// Two entities with equal hashes are the same for screening, diffing and monitoring.
pub fn entity_hash(entity: &Entity) -> String {
    canonical_hash(&canonical_json(entity))
}

/// The [`entity_hash`] of an entity whose canonical content (its JSON without provenance,
/// keys in order) is `canonical`, for a caller that serialised the entity already.
pub fn canonical_hash(canonical: &[u8]) -> String {
    hex::encode(Sha256::digest(canonical))
}

/// The SHA-256 (hex) of a list's canonical content: the entity hashes in id order.
/// It does not depend on record order in the file or on provenance, so re-importing the
/// same content in another file layout yields the same version.
pub fn content_hash<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> String {
    let hashes: Vec<(&str, String)> = entities
        .into_iter()
        .map(|e| (e.id.as_str(), entity_hash(e)))
        .collect();
    content_hash_of(hashes.iter().map(|(id, hash)| (*id, hash.as_str())))
}

/// [`content_hash`] from each entity's id and [`entity_hash`], for a caller that has them.
pub fn content_hash_of<'a>(entity_hashes: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut hashes: Vec<(&str, &str)> = entity_hashes.into_iter().collect();
    hashes.sort_unstable();
    let mut hasher = Sha256::new();
    for (id, hash) in hashes {
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(hash.as_bytes());
        hasher.update([b'\n']);
    }
    hex::encode(hasher.finalize())
}

fn canonical_json(entity: &Entity) -> Vec<u8> {
    let mut value = serde_json::to_value(entity).unwrap_or(serde_json::Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.remove("source");
    }
    // serde_json's map is ordered by key, so this is canonical.
    serde_json::to_vec(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, Schema};

    #[test]
    fn hash_ignores_order_and_provenance() {
        let mut a = Entity::new(EntityId::new("x", "1"), Schema::Person, "A");
        let b = Entity::new(EntityId::new("x", "2"), Schema::Person, "B");
        let one = content_hash([&a, &b]);
        a.source.location = "line 99".into();
        assert_eq!(one, content_hash([&b, &a]));
        a.name = "A2".into();
        assert_ne!(one, content_hash([&a, &b]));
    }
}
