//! `interdict lists`: show, import and diff list versions.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use interdict_model::{Entity, ListDiff, ListVersion, PartialDate, diff_entities};
use interdict_store::Store;
use serde::Serialize;
use serde_json::json;

use crate::args::SourceArgs;
use crate::input::parse_path;
use crate::output::print_json_line;

/// What `lists import --json` prints per list: the contract the product is checked against.
#[derive(Debug, Serialize)]
pub(crate) struct ImportReport {
    pub(crate) list: String,
    pub(crate) version: String,
    pub(crate) format: String,
    pub(crate) entities: usize,
    pub(crate) names: usize,
    pub(crate) unchanged: bool,
    pub(crate) activated: bool,
}

/// Parses every path first and imports only if all parse: one bad file imports nothing.
pub(crate) async fn import(
    store: &Store,
    paths: &[PathBuf],
    source: &SourceArgs,
    published: Option<&str>,
) -> Result<Vec<ImportReport>> {
    let published = published
        .map(|p| PartialDate::parse(p).with_context(|| format!("--published {p:?} is not a date")))
        .transpose()?;
    let parsed = paths
        .iter()
        .map(|path| parse_path(path, source))
        .collect::<Result<Vec<_>>>()?;
    let mut reports = Vec::new();
    for (path, parsed) in paths.iter().zip(parsed) {
        let files = vec![path.display().to_string()];
        let outcome = store
            .import(
                &parsed.list,
                parsed.format.name(),
                &parsed.entities,
                published,
                &files,
            )
            .await
            .with_context(|| format!("cannot import {}", path.display()))?;
        // On record like an import through the API; the version is stored and active even if
        // recording fails, which the error then says.
        store
            .append_audit(interdict_server::import_record(
                &crate::audit::cli_actor(),
                &outcome,
                &path.display().to_string(),
            ))
            .await
            .with_context(|| {
                format!(
                    "{} was imported as {}@{}, but recording the import in the audit trail \
                     failed",
                    path.display(),
                    outcome.version.list,
                    outcome.version.version
                )
            })?;
        reports.push(ImportReport {
            list: outcome.version.list,
            version: outcome.version.version,
            format: outcome.version.format,
            entities: outcome.version.entities,
            names: outcome.version.names,
            unchanged: outcome.unchanged,
            activated: outcome.activated,
        });
    }
    Ok(reports)
}

pub(crate) async fn run_import(
    store: &Store,
    paths: &[PathBuf],
    source: &SourceArgs,
    published: Option<&str>,
    as_json: bool,
) -> Result<()> {
    for report in import(store, paths, source, published).await? {
        if as_json {
            print_json_line(&report)?;
        } else {
            println!("{}", describe_import(&report));
        }
    }
    Ok(())
}

/// One line saying what an import did.
pub(crate) fn describe_import(report: &ImportReport) -> String {
    let what = match (report.unchanged, report.activated) {
        (false, _) => "new version, now active",
        (true, true) => "already stored; re-activated",
        (true, false) => "unchanged; nothing imported",
    };
    format!(
        "{:<14} {}  {:>6} entities {:>6} names  {}",
        report.list,
        short(&report.version),
        report.entities,
        report.names,
        what
    )
}

fn short(version: &str) -> &str {
    version.get(..12).unwrap_or(version)
}

pub(crate) async fn run_show(store: &Store, as_json: bool) -> Result<()> {
    let versions = store.versions().await?;
    if as_json {
        let mut lists: Vec<serde_json::Value> = Vec::new();
        let mut current: Option<(String, Vec<&ListVersion>)> = None;
        let flush = |lists: &mut Vec<serde_json::Value>,
                     (list, versions): (String, Vec<&ListVersion>)| {
            let active = versions
                .iter()
                .find(|v| v.active)
                .map(|v| v.version.clone());
            let entities = versions.iter().find(|v| v.active).map(|v| v.entities);
            lists.push(json!({
                "list": list,
                "active_version": active,
                "entities": entities,
                "versions": versions,
            }));
        };
        for version in &versions {
            match &mut current {
                Some((list, group)) if *list == version.list => group.push(version),
                _ => {
                    if let Some(done) = current.take() {
                        flush(&mut lists, done);
                    }
                    current = Some((version.list.clone(), vec![version]));
                }
            }
        }
        if let Some(done) = current {
            flush(&mut lists, done);
        }
        println!("{}", serde_json::to_string_pretty(&lists)?);
        return Ok(());
    }
    if versions.is_empty() {
        println!("no lists yet; import one with `interdict lists import PATH`");
        return Ok(());
    }
    println!(
        "{:<14} {:<12} {:>8} {:>8} {:<6} {:<20} {:<10} format",
        "list", "version", "entities", "names", "active", "imported", "published"
    );
    for v in &versions {
        println!(
            "{:<14} {:<12} {:>8} {:>8} {:<6} {:<20} {:<10} {}",
            v.list,
            short(&v.version),
            v.entities,
            v.names,
            if v.active { "yes" } else { "" },
            v.imported_at,
            v.published.map(|d| d.to_string()).unwrap_or_default(),
            v.format
        );
    }
    Ok(())
}

/// One side of a diff: a stored version or a file parsed on the fly.
enum Side {
    Stored(ListVersion),
    File(PathBuf, Vec<Entity>),
}

impl Side {
    fn label(&self) -> String {
        match self {
            Side::Stored(v) => format!("{}@{}", v.list, v.version),
            Side::File(path, _) => path.display().to_string(),
        }
    }
}

async fn resolve(store: &Store, reference: &str, source: &SourceArgs) -> Result<Side> {
    let path = Path::new(reference);
    if path.exists() {
        let parsed = parse_path(path, source)?;
        return Ok(Side::File(path.to_path_buf(), parsed.entities));
    }
    let version = store
        .find_version(reference)
        .await
        .with_context(|| format!("{reference:?} is neither a file nor a stored version"))?;
    Ok(Side::Stored(version))
}

async fn entities_of(store: &Store, side: &Side) -> Result<Vec<Entity>> {
    Ok(match side {
        Side::Stored(v) => store.version_entities(&v.list, &v.version).await?,
        Side::File(_, entities) => entities.clone(),
    })
}

/// Diffs two versions or files; stored versions are compared by content hash in the store.
pub(crate) async fn diff(
    store: &Store,
    from: &str,
    to: &str,
    source: &SourceArgs,
) -> Result<(String, String, ListDiff)> {
    let old = resolve(store, from, source).await?;
    let new = resolve(store, to, source).await?;
    let diff = match (&old, &new) {
        (Side::Stored(a), Side::Stored(b)) => store.diff(a, b).await?,
        _ => {
            let a = entities_of(store, &old).await?;
            let b = entities_of(store, &new).await?;
            diff_entities(&a, &b)
        }
    };
    Ok((old.label(), new.label(), diff))
}

/// The JSON shape of `lists diff --json`.
pub(crate) fn diff_json(from: &str, to: &str, diff: &ListDiff) -> serde_json::Value {
    json!({
        "from": from,
        "to": to,
        "added": diff.added,
        "removed": diff.removed,
        "changed": diff.changed,
        "counts": {
            "added": diff.added.len(),
            "removed": diff.removed.len(),
            "changed": diff.changed.len(),
        },
    })
}

pub(crate) async fn run_diff(
    store: &Store,
    from: &str,
    to: &str,
    source: &SourceArgs,
    as_json: bool,
) -> Result<()> {
    let (from, to, diff) = diff(store, from, to, source).await?;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&diff_json(&from, &to, &diff))?
        );
        return Ok(());
    }
    println!("from {from}\nto   {to}");
    println!(
        "{} added, {} removed, {} changed",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len()
    );
    for id in &diff.added {
        println!("+ {id}");
    }
    for id in &diff.removed {
        println!("- {id}");
    }
    for changed in &diff.changed {
        println!("~ {} ({})", changed.id, changed.fields.join(", "));
    }
    Ok(())
}
