//! When each active entity was first seen, last seen and last changed, from the store's
//! version history: yente's `first_seen`, `last_seen` and `last_change`, and what its
//! `changed_since` filters on.
//!
//! A list's versions are walked in order of their time (the publication date when the
//! import gave one, else the import time; ties by import time), up to its active version.
//! An entity is first seen in the first version that holds it; it changes in a version
//! whose content hash for it differs from the version before (or that holds it when the
//! version before did not); it is last seen in the active version, since only active
//! entities are asked about. Content hashes are compared, never decoded entities, and the
//! walk runs once per set of active versions ([`crate::ActiveLists::entity_history`]), not
//! per request.

use std::collections::{BTreeMap, HashMap};

use interdict_model::ListVersion;
use interdict_store::Store;

use crate::Error;

/// An entity's three times, as yente writes them (`YYYY-MM-DDTHH:MM:SS`, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'a> {
    /// The time of the first version that held it.
    pub first_seen: &'a str,
    /// The time of the active version (which holds it).
    pub last_seen: &'a str,
    /// The time of the last version in which its content changed (or it reappeared).
    pub last_change: &'a str,
}

/// The times of every entity of the active versions.
#[derive(Debug, Clone, Default)]
pub struct EntityHistory {
    /// Version times, indexed by the entries of `seen`.
    times: Vec<String>,
    /// Entity id → indexes into `times` of its first seen, last seen and last change.
    seen: HashMap<String, [u32; 3]>,
}

/// A version's time as yente writes times: its publication date at midnight when the
/// import gave a full date, else its import time to the second.
pub fn version_time(version: &ListVersion) -> String {
    match version.published {
        Some(published) if published.day.is_some() => format!("{published}T00:00:00"),
        _ => version
            .imported_at
            .get(..19)
            .unwrap_or(&version.imported_at)
            .to_owned(),
    }
}

/// Where one entity stands in the walk of its list's versions.
struct Walk {
    first: u32,
    last: u32,
    change: u32,
    hash: String,
}

impl EntityHistory {
    /// Walks the versions of every list in `active` (list id → active version) up to the
    /// active one. A list whose active version is not among its stored versions is left
    /// out (its entities then have no times).
    pub async fn load(
        store: &Store,
        active: &BTreeMap<String, String>,
    ) -> Result<EntityHistory, Error> {
        let mut history = EntityHistory::default();
        let mut by_list: BTreeMap<String, Vec<ListVersion>> = BTreeMap::new();
        for version in store.versions().await? {
            if active.contains_key(&version.list) {
                by_list
                    .entry(version.list.clone())
                    .or_default()
                    .push(version);
            }
        }
        for (list, mut versions) in by_list {
            let Some(active_version) = active.get(&list) else {
                continue;
            };
            versions.sort_by_cached_key(|v| (version_time(v), v.imported_at.clone()));
            let Some(end) = versions.iter().position(|v| &v.version == active_version) else {
                continue;
            };
            let mut walks: HashMap<String, Walk> = HashMap::new();
            let mut previous: Option<u32> = None;
            for version in &versions[..=end] {
                let at = u32::try_from(history.times.len())
                    .map_err(|_| Error::internal("more versions than an index holds"))?;
                history.times.push(version_time(version));
                for (id, hash) in store.version_entity_hashes(&list, &version.version).await? {
                    match walks.get_mut(&id) {
                        Some(walk) => {
                            if Some(walk.last) != previous || walk.hash != hash {
                                walk.change = at;
                                walk.hash = hash;
                            }
                            walk.last = at;
                        }
                        None => {
                            let walk = Walk {
                                first: at,
                                last: at,
                                change: at,
                                hash,
                            };
                            walks.insert(id, walk);
                        }
                    }
                }
                previous = Some(at);
            }
            history.seen.extend(
                walks
                    .into_iter()
                    .filter(|(_, walk)| Some(walk.last) == previous)
                    .map(|(id, walk)| (id, [walk.first, walk.last, walk.change])),
            );
        }
        Ok(history)
    }

    /// The times of an active entity (by its interdict id); `None` for one the walk did
    /// not reach.
    pub fn get(&self, entity_id: &str) -> Option<Seen<'_>> {
        let [first, last, change] = *self.seen.get(entity_id)?;
        let time = |at: u32| self.times.get(at as usize).map(String::as_str);
        Some(Seen {
            first_seen: time(first)?,
            last_seen: time(last)?,
            last_change: time(change)?,
        })
    }

    /// How many entities have times.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no entity has times.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}
