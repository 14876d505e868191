//! `interdict lists`: show, import and diff list versions.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use interdict_app::contract::ImportReport;
use interdict_app::lists::ImportOptions;
use interdict_model::{Entity, ListDiff, ListVersion, PartialDate, diff_entities};
use interdict_store::Store;
use serde_json::json;

use crate::args::SourceArgs;
use crate::input::parse_path;
use crate::output::{print_json_line, printable};
use interdict_app::lists::read_path;

/// What `lists import` was asked beyond the paths.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportFlags {
    pub(crate) published: Option<String>,
    pub(crate) activate: bool,
    pub(crate) allow_shrink: bool,
}

/// Parses every path first and imports only if all parse: one bad file imports nothing.
pub(crate) async fn import(
    store: &Store,
    paths: &[PathBuf],
    source: &SourceArgs,
    flags: &ImportFlags,
) -> Result<Vec<ImportReport>> {
    let mut options = ImportOptions::new(crate::audit::cli_actor());
    options.published = flags
        .published
        .as_deref()
        .map(|p| PartialDate::parse(p).with_context(|| format!("--published {p:?} is not a date")))
        .transpose()?;
    options.activate = flags.activate;
    options.allow_shrink = flags.allow_shrink;
    options.format = source.format()?;
    options.list = source.list.clone();
    let parsed = paths
        .iter()
        .map(|path| {
            let files = read_path(path)?;
            Ok(interdict_app::lists::parse(
                &files,
                &path.display().to_string(),
                &options,
            )?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut reports = Vec::new();
    for (path, parsed) in paths.iter().zip(parsed) {
        let label = path.display().to_string();
        reports.push(
            interdict_app::lists::import_parsed(store, parsed, &label, &options)
                .await
                .with_context(|| format!("cannot import {label}"))?,
        );
    }
    Ok(reports)
}

pub(crate) async fn run_import(
    store: &Store,
    paths: &[PathBuf],
    source: &SourceArgs,
    flags: &ImportFlags,
    as_json: bool,
) -> Result<()> {
    for report in import(store, paths, source, flags).await? {
        if as_json {
            print_json_line(&report)?;
        } else {
            println!("{}", describe_import(&report));
            if let Some(reason) = &report.kept_inactive {
                eprintln!(
                    "warning: {}@{} was stored but NOT activated: {reason}",
                    report.list,
                    short(&report.version)
                );
            }
        }
    }
    Ok(())
}

/// `lists activate LIST VERSION`.
pub(crate) async fn run_activate(
    store: &Store,
    list: &str,
    version: &str,
    as_json: bool,
) -> Result<()> {
    let (version, changed) =
        interdict_app::lists::activate(store, list, version, &crate::audit::cli_actor()).await?;
    if as_json {
        print_json_line(&interdict_app::contract::ListVersionJson::from(&version))?;
    } else if changed {
        println!(
            "{}@{} is now active (published {})",
            version.list,
            short(&version.version),
            version
                .published
                .map_or_else(|| "unknown".to_owned(), |d| d.to_string())
        );
    } else {
        println!(
            "{}@{} was already active",
            version.list,
            short(&version.version)
        );
    }
    Ok(())
}

/// One line saying what an import did.
pub(crate) fn describe_import(report: &ImportReport) -> String {
    let what = match (report.unchanged, report.activated, report.active) {
        (_, _, false) => "stored, not active",
        (false, _, true) => "new version, now active",
        (true, true, true) => "already stored; re-activated",
        (true, false, true) => "unchanged; nothing imported",
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
            printable(&v.list),
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
