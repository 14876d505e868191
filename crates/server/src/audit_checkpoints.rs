//! Signed checkpoints of the audit chain's head, written to a directory while serving
//! (`serve --checkpoint-dir`): evidence kept outside the database that `audit verify
//! --checkpoint` holds the chain to, so that its tail cannot be cut unseen.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use interdict_store::{AuditCheckpoint, Store};
use tokio::time::MissedTickBehavior;

use crate::AppState;

/// Why a checkpoint could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CheckpointError {
    /// The store could not sign its head.
    #[error(transparent)]
    Store(#[from] interdict_store::Error),
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Starts [`write_forever`] if the configuration asks for checkpoints.
pub(crate) fn spawn(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let config = state.config();
    let dir = config.checkpoint_dir.clone()?;
    Some(tokio::spawn(write_forever(
        state.store().clone(),
        dir,
        // A zero period would make the interval panic; once a second is already plenty.
        config.checkpoint_every.max(Duration::from_secs(1)),
    )))
}

/// Writes a checkpoint of the head to `dir` every `every` (the first at once), whenever the
/// head moved since the last one. A failure is logged and tried again next time.
pub(crate) async fn write_forever(store: Store, dir: PathBuf, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_seq = None;
    loop {
        ticks.tick().await;
        match write_one(&store, &dir, last_seq).await {
            Ok(Some((seq, path))) => {
                tracing::info!(seq, path = %path.display(), "audit checkpoint written");
                last_seq = Some(seq);
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "cannot write an audit checkpoint"),
        }
    }
}

/// Signs the head and writes it as `audit-checkpoint-<seq>.json` in `dir`, unless its seq is
/// `unchanged_from`. An existing file is never replaced: a checkpoint already written is
/// evidence, even (especially) if the chain now disagrees with it.
async fn write_one(
    store: &Store,
    dir: &Path,
    unchanged_from: Option<u64>,
) -> Result<Option<(u64, PathBuf)>, CheckpointError> {
    let checkpoint = store.sign_audit_head().await?;
    if unchanged_from == Some(checkpoint.seq) {
        return Ok(None);
    }
    let seq = checkpoint.seq;
    let path = dir.join(format!("audit-checkpoint-{seq:012}.json"));
    let written = tokio::task::spawn_blocking({
        let path = path.clone();
        move || write_new(&path, &checkpoint)
    })
    .await
    .map_err(|e| CheckpointError::Io {
        path: path.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    match written {
        Ok(()) => Ok(Some((seq, path))),
        Err(source) if source.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(source) => Err(CheckpointError::Io { path, source }),
    }
}

/// Writes `checkpoint` to a file of its own, then links it to `path`: never a half-written
/// checkpoint, never one replaced.
fn write_new(path: &Path, checkpoint: &AuditCheckpoint) -> std::io::Result<()> {
    let staging = path.with_extension("json.tmp");
    let mut file = std::fs::File::create(&staging)?;
    serde_json::to_writer_pretty(&mut file, checkpoint)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    let linked = std::fs::hard_link(&staging, path);
    let _ = std::fs::remove_file(&staging);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_checkpoint_is_written_once_per_head_and_verifies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("store.db");
        let store = Store::open(db.to_str().expect("utf-8"))
            .await
            .expect("open");
        let out = dir.path().join("checkpoints");
        std::fs::create_dir(&out).expect("mkdir");
        let (seq, path) = write_one(&store, &out, None)
            .await
            .expect("write")
            .expect("a first checkpoint");
        assert_eq!(seq, 1, "the first checkpoint records its key");
        assert_eq!(
            write_one(&store, &out, Some(seq)).await.expect("again"),
            None
        );
        let checkpoint: AuditCheckpoint =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
        let report = store
            .verify_audit_against(&[checkpoint])
            .await
            .expect("verify");
        assert!(report.is_intact(), "{report:?}");
        assert_eq!(report.checkpoints_matched, 1);
        // The same head again is not rewritten, even when asked without memory of it.
        assert_eq!(write_one(&store, &out, None).await.expect("again"), None);
    }
}
