//! `interdict audit`: verify the keyed hash chain (against signed checkpoints if given), sign
//! a checkpoint of its head, replay a recorded screening against its recorded list versions,
//! export records between two times as JSON lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use interdict_app::contract::{VerifyResponse, parse_time as parse_audit_time};
use interdict_store::{AuditCheckpoint, Store};

use crate::output::{outln, print_json_line};

/// Records exported per page: memory stays flat however long the range.
const EXPORT_PAGE: u32 = 1000;

/// Who the audit trail names for a command run: `cli:$USER`.
pub(crate) fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

fn read_checkpoint(path: &Path) -> Result<AuditCheckpoint> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read checkpoint {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not an audit checkpoint", path.display()))
}

pub(crate) async fn run_verify(
    store: &Store,
    checkpoint_files: &[PathBuf],
    as_json: bool,
) -> Result<()> {
    let checkpoints = checkpoint_files
        .iter()
        .map(|path| read_checkpoint(path))
        .collect::<Result<Vec<_>>>()?;
    let report = store.verify_audit_against(&checkpoints).await?;
    if as_json {
        print_json_line(&VerifyResponse::from(report.clone()))?;
    } else {
        outln!(
            "{} records, head at record {} with hash {}",
            report.records,
            report.head_seq,
            report.head_hash
        )?;
        if report.unkeyed_records > 0 {
            outln!(
                "{} records were written before the store had an audit key (plain SHA-256)",
                report.unkeyed_records
            )?;
        }
        if !checkpoints.is_empty() {
            outln!(
                "{} of {} checkpoints matched",
                report.checkpoints_matched,
                checkpoints.len()
            )?;
        }
    }
    match &report.first_break {
        None => {
            if !as_json {
                outln!("the audit chain is intact")?;
            }
            Ok(())
        }
        Some(broken) => bail!(
            "the audit chain is broken at record {}{}: {}",
            broken.seq,
            broken
                .id
                .as_deref()
                .map(|id| format!(" ({id})"))
                .unwrap_or_default(),
            broken.reason
        ),
    }
}

pub(crate) async fn run_checkpoint(store: &Store, output: Option<&Path>) -> Result<()> {
    let checkpoint = store.sign_audit_head().await?;
    let mut text = serde_json::to_string_pretty(&checkpoint)?;
    text.push('\n');
    match output {
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| format!("cannot create checkpoint file {}", path.display()))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            eprintln!(
                "checkpoint of record {} written to {}",
                checkpoint.seq,
                path.display()
            );
        }
    }
    Ok(())
}

pub(crate) async fn run_replay(store: &Store, id: &str, as_json: bool) -> Result<()> {
    let replay = interdict_app::screening::replay(store, id).await?;
    if as_json {
        print_json_line(&replay)?;
    } else {
        outln!(
            "screening {} against {}",
            replay.screening_id,
            replay
                .list_versions
                .iter()
                .map(|(list, version)| format!("{list}@{}", version.get(..12).unwrap_or(version)))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        outln!(
            "recorded by engine {}: {} matches; replayed by engine {}: {} matches",
            replay.recorded_engine,
            replay.recorded_matches,
            replay.replay_engine,
            replay.replayed_matches
        )?;
    }
    if !replay.identical {
        bail!("the replayed result differs from the recorded one");
    }
    if !as_json {
        outln!("identical")?;
    }
    Ok(())
}

fn parse_time(text: &str, flag: &str) -> Result<DateTime<Utc>> {
    parse_audit_time(text).map_err(|e| anyhow::anyhow!("{flag} {e}"))
}

pub(crate) async fn run_export(store: &Store, from: &str, to: &str) -> Result<()> {
    let from = parse_time(from, "--from")?;
    let to = parse_time(to, "--to")?;
    if from >= to {
        bail!("--from must be before --to");
    }
    let mut after = 0;
    loop {
        let page = store
            .audit_records_between(from, to, after, EXPORT_PAGE)
            .await?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.seq;
        for record in &page {
            print_json_line(record)?;
        }
    }
}
