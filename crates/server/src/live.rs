//! The live index: the active list versions, indexed, behind an `ArcSwap`.
//!
//! A request takes the current snapshot (an `Arc`) and screens against it however long it
//! takes; a reload builds the next index off the request path (`spawn_blocking`) and swaps it
//! in atomically, so no request waits for a rebuild or sees half of one. Replicas notice
//! imports made through other replicas by polling the active versions ([`LiveIndex::refresh`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use interdict_matching::Index;
use interdict_store::Store;

use crate::error::ApiError;
use crate::metrics;

/// One immutable generation of the index.
#[derive(Debug)]
pub struct Snapshot {
    /// The index over every active version's entities.
    pub index: Index,
    /// list id → active version, exactly those indexed.
    pub versions: BTreeMap<String, String>,
    /// Entities indexed.
    pub entities: usize,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The active versions are those already indexed.
    Unchanged,
    /// A new index was built and swapped in.
    Reloaded,
    /// No list is imported yet.
    Empty,
}

/// The index that serves screenings, swapped as lists change.
#[derive(Debug, Default)]
pub struct LiveIndex {
    current: ArcSwapOption<Snapshot>,
    /// One rebuild at a time: a poll and an import arriving together build once.
    rebuild: tokio::sync::Mutex<()>,
}

impl LiveIndex {
    /// The current snapshot, if any list is loaded.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// The current snapshot, or a 503 saying why there is none.
    pub fn require(&self) -> Result<Arc<Snapshot>, ApiError> {
        self.snapshot().ok_or_else(|| {
            ApiError::NotReady("no list is loaded; import one with POST /v1/lists/import".into())
        })
    }

    /// Rebuilds the index if the store's active versions differ from the indexed ones.
    pub async fn refresh(&self, store: &Store) -> Result<Refresh, ApiError> {
        let _turn = self.rebuild.lock().await;
        let active: BTreeMap<String, String> = store
            .active_versions()
            .await?
            .into_iter()
            .map(|(list, v)| (list, v.version))
            .collect();
        if active.is_empty() {
            return Ok(Refresh::Empty);
        }
        if self.snapshot().is_some_and(|s| s.versions == active) {
            return Ok(Refresh::Unchanged);
        }
        let (versions, entities) = store.active_entities().await?;
        let versions: BTreeMap<String, String> = versions
            .into_iter()
            .map(|(list, v)| (list, v.version))
            .collect();
        let count = entities.len();
        let entities = entities.into_iter().map(Arc::new).collect();
        let index = tokio::task::spawn_blocking(move || Index::build(entities)).await?;
        let previous = self.current.swap(Some(Arc::new(Snapshot {
            index,
            versions: versions.clone(),
            entities: count,
        })));
        metrics::index_swapped(previous.as_ref().map(|p| &p.versions), &versions, count);
        tracing::info!(entities = count, ?versions, "index loaded");
        Ok(Refresh::Reloaded)
    }
}
