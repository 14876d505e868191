//! The live index: the active list versions, indexed, behind an `ArcSwap`.
//!
//! A request takes the current snapshot (an `Arc`) and screens against it however long it
//! takes; a reload builds the next index off the request path (`spawn_blocking`) and swaps it
//! in atomically, so no request waits for a rebuild or sees half of one. Replicas notice
//! imports made through other replicas by polling the active versions ([`LiveIndex::refresh`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use interdict_store::Store;

use crate::error::ApiError;
use crate::metrics;

/// One immutable generation of the index: the active lists as the application layer loads
/// them.
pub type Snapshot = interdict_app::ActiveLists;

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
        // A new day starts relations and ends others: the ownership graph is computed again.
        let today = interdict_app::ownership::today();
        if self.snapshot().is_some_and(|s| {
            s.versions == active && (s.ownership_view.is_none() || s.ownership_date == today)
        }) {
            return Ok(Refresh::Unchanged);
        }
        // The ownership graph of the lists loaded now is updated, not computed again, when
        // only lists of designations changed on the same day.
        let previous = self.snapshot();
        let snapshot =
            match interdict_app::ActiveLists::load_after(store, previous.as_deref()).await {
                Ok(snapshot) => snapshot,
                Err(interdict_app::Error::NoLists) => return Ok(Refresh::Empty),
                Err(other) => return Err(other.into()),
            };
        // The free-text scanner takes about a second to build: here, off the request path,
        // rather than in the first scan.
        let snapshot = tokio::task::spawn_blocking(move || {
            snapshot.scanner();
            snapshot
        })
        .await?;
        // yente's first_seen/last_change: walked here, once per reload, off the request path.
        if let Err(error) = snapshot.entity_history(store).await {
            tracing::warn!(%error, "entity history not computed; yente's routes will retry");
        }
        let (versions, count) = (snapshot.versions.clone(), snapshot.entities);
        let ownership = match (&snapshot.ownership_view, snapshot.ownership_updated) {
            (None, _) => "none",
            (Some(_), true) => "updated",
            (Some(_), false) => "computed",
        };
        let previous = self.current.swap(Some(Arc::new(snapshot)));
        metrics::index_swapped(previous.as_ref().map(|p| &p.versions), &versions, count);
        tracing::info!(entities = count, ?versions, ownership, "index loaded");
        if let Some(previous) = previous {
            tokio::task::spawn_blocking(move || free_when_unshared(previous));
        }
        Ok(Refresh::Reloaded)
    }
}

/// Frees a snapshot that was swapped out, once the requests still screening against it are
/// done. Freeing an index takes tens of milliseconds (41–54 ms for OFAC and UN): done by
/// whoever let go of it last, it stalled an async worker's every connection, or one
/// request on a screening thread.
fn free_when_unshared(mut snapshot: Arc<Snapshot>) {
    loop {
        match Arc::try_unwrap(snapshot) {
            Ok(unshared) => return drop(unshared),
            // Nobody can take a new reference to it: those left are requests in flight.
            Err(shared) => {
                snapshot = shared;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{Entity, EntityId, Schema};

    #[test]
    fn a_swapped_out_snapshot_is_freed_by_the_background_once_requests_let_go() {
        let entity = Entity::new(EntityId::new("t", "1"), Schema::Person, "Janan Agha");
        let snapshot = Arc::new(Snapshot::build(vec![entity], BTreeMap::new()));
        let in_flight = snapshot.clone();
        let watch = Arc::downgrade(&snapshot);
        let freeing = std::thread::spawn(move || free_when_unshared(snapshot));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(
            !freeing.is_finished(),
            "it let go while a request still held the snapshot, leaving that request to free it"
        );
        assert!(watch.upgrade().is_some());
        drop(in_flight);
        freeing.join().expect("the freeing thread");
        assert!(watch.upgrade().is_none(), "the snapshot was not freed");
    }
}
