//! `interdict lists`: show, import and diff list versions.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use interdict_app::contract::{DiffJson, RelationChangeJson, RelationJson};
use interdict_app::contract::{ImportOverride, ImportReport};
use interdict_app::lists::ImportOptions;
use interdict_app::lists::{DiffDetails, DiffEntity, FieldChange, relation_diff};
use interdict_model::{Entity, ListVersion, PartialDate, Relation, diff_entities};
use interdict_store::Store;
use serde_json::{Value, json};

use crate::args::SourceArgs;
use crate::input::parse_path;
use crate::output::{outln, print_json_line, printable};
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
        .map(parse_published)
        .transpose()?;
    options.activate = flags.activate;
    options.allow_shrink = flags.allow_shrink;
    options.format = source.format()?;
    options.list = source.list.clone();
    let parsed = paths
        .iter()
        .map(|path| {
            let files = read_path(path)?;
            Ok(interdict_app::lists::parse_import(
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
            interdict_app::lists::import_data(store, parsed, &label, &options)
                .await
                .with_context(|| format!("cannot import {label}"))?,
        );
    }
    Ok(reports)
}

/// `--published` takes ISO dates only (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`): `03/04/2022`
/// is 3 April in London and 4 March in New York, and a publication date decides which
/// version becomes active, so an ambiguous one is refused rather than guessed.
pub(crate) fn parse_published(text: &str) -> Result<PartialDate> {
    let trimmed = text.trim();
    let iso = !trimmed.is_empty()
        && trimmed.len() <= 10
        && trimmed.split('-').enumerate().all(|(i, part)| {
            part.len() == if i == 0 { 4 } else { 2 } && part.bytes().all(|b| b.is_ascii_digit())
        })
        && trimmed.split('-').count() <= 3;
    match PartialDate::parse(trimmed) {
        Some(date) if iso => Ok(date),
        _ => anyhow::bail!(
            "--published {text:?}: give an ISO date, YYYY-MM-DD (e.g. 2022-03-24); other forms such as 03/04/2022 are ambiguous and are not guessed"
        ),
    }
}

pub(crate) async fn run_import(
    store: &Store,
    paths: &[PathBuf],
    source: &SourceArgs,
    flags: &ImportFlags,
    as_json: bool,
) -> Result<()> {
    for mut report in import(store, paths, source, flags).await? {
        report.hint = kept_inactive_hint(&report);
        if as_json {
            print_json_line(&report)?;
        } else {
            outln!("{}", describe_import(&report))?;
            if let Some(reason) = &report.kept_inactive {
                eprintln!(
                    "warning: {}@{} was stored but NOT activated: {reason}",
                    report.list,
                    short(&report.version)
                );
            }
            if let Some(hint) = &report.hint {
                eprintln!("hint: {hint}");
            }
            if let Some(note) = &report.ordered_by_import {
                eprintln!("note: {}@{}: {note}", report.list, short(&report.version));
            }
        }
    }
    Ok(())
}

/// How to activate a version the import kept inactive, in the command line's words.
fn kept_inactive_hint(report: &ImportReport) -> Option<String> {
    Some(match report.overridden_by? {
        ImportOverride::AllowShrink => {
            "if the removals are real, import the file again with --allow-shrink".to_owned()
        }
        ImportOverride::Activate => format!(
            "activate it with `interdict lists activate {} {}`, or import the file again with \
             --activate",
            report.list,
            short(&report.version)
        ),
    })
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
        outln!(
            "{}@{} is now active (published {})",
            version.list,
            short(&version.version),
            version
                .published
                .map_or_else(|| "unknown".to_owned(), |d| d.to_string())
        )?;
    } else {
        outln!(
            "{}@{} was already active",
            version.list,
            short(&version.version)
        )?;
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
    let relations = report
        .relations
        .map(|n| format!(" {n:>6} relations"))
        .unwrap_or_default();
    format!(
        "{:<14} {}  {:>6} entities {:>6} names{relations}  {}",
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
        outln!("{}", serde_json::to_string_pretty(&lists)?)?;
        return Ok(());
    }
    if versions.is_empty() {
        outln!("no lists yet; import one with `interdict lists import PATH`")?;
        return Ok(());
    }
    outln!(
        "{:<14} {:<12} {:>8} {:>8} {:<6} {:<20} {:<10} format",
        "list",
        "version",
        "entities",
        "names",
        "active",
        "imported",
        "published"
    )?;
    for v in &versions {
        outln!(
            "{:<14} {:<12} {:>8} {:>8} {:<6} {:<20} {:<10} {}",
            printable(&v.list),
            short(&v.version),
            v.entities,
            v.names,
            if v.active { "yes" } else { "" },
            v.imported_at,
            v.published.map(|d| d.to_string()).unwrap_or_default(),
            v.format
        )?;
    }
    Ok(())
}

/// One side of a diff: a stored version or a file parsed on the fly (a list, ownership data
/// or both).
enum Side {
    Stored(ListVersion),
    File(PathBuf, Vec<Entity>, Vec<Relation>),
}

impl Side {
    fn label(&self) -> String {
        match self {
            Side::Stored(v) => format!("{}@{}", v.list, v.version),
            Side::File(path, _, _) => path.display().to_string(),
        }
    }
}

async fn resolve(store: &Store, reference: &str, source: &SourceArgs) -> Result<Side> {
    let path = Path::new(reference);
    if path.exists() {
        let parsed = parse_path(path, source)?;
        return Ok(Side::File(
            path.to_path_buf(),
            parsed.entities,
            parsed.relations,
        ));
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
        Side::File(_, entities, _) => entities.clone(),
    })
}

async fn relations_of(store: &Store, side: &Side) -> Result<Vec<Relation>> {
    Ok(match side {
        Side::Stored(v) => interdict_app::lists::stored_relations(store, v).await?,
        Side::File(_, _, relations) => relations.clone(),
    })
}

/// A diff of two versions or files: the JSON contract (entities and relations) and the
/// entities' names and changed values for the text report.
pub(crate) struct ListsDiff {
    json: DiffJson,
    details: DiffDetails,
}

/// Diffs two versions or files (stored versions are compared by content hash in the
/// store), with the entities of both sides for naming what changed, and their relations.
pub(crate) async fn diff(
    store: &Store,
    from: &str,
    to: &str,
    source: &SourceArgs,
) -> Result<ListsDiff> {
    let old = resolve(store, from, source).await?;
    let new = resolve(store, to, source).await?;
    let old_entities = entities_of(store, &old).await?;
    let new_entities = entities_of(store, &new).await?;
    let diff = match (&old, &new) {
        (Side::Stored(a), Side::Stored(b)) => store.diff(a, b).await?,
        _ => diff_entities(&old_entities, &new_entities),
    };
    let details = interdict_app::lists::diff_details(&diff, &old_entities, &new_entities);
    let mut relations = relation_diff(
        &relations_of(store, &old).await?,
        &relations_of(store, &new).await?,
    );
    if let Some(relations) = &mut relations {
        let known = old_entities
            .iter()
            .chain(&new_entities)
            .map(|e| (e.id.as_str().to_owned(), e.name.clone()))
            .collect();
        interdict_app::lists::name_relation_parties(store, relations, known).await?;
    }
    let json = interdict_app::lists::diff_json(&old.label(), &new.label(), diff, relations);
    Ok(ListsDiff { json, details })
}

pub(crate) async fn run_diff(
    store: &Store,
    from: &str,
    to: &str,
    source: &SourceArgs,
    as_json: bool,
) -> Result<()> {
    let ListsDiff { json, details } = diff(store, from, to, source).await?;
    if as_json {
        outln!("{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(());
    }
    outln!("from {}\nto   {}", json.from, json.to)?;
    outln!(
        "{} added, {} removed, {} changed",
        json.counts.added,
        json.counts.removed,
        json.counts.changed
    )?;
    for entity in &details.added {
        outln!("+ {:<22} {}", entity.id, named(entity))?;
    }
    for entity in &details.removed {
        outln!("- {:<22} {}", entity.id, named(entity))?;
    }
    for changed in &details.changed {
        outln!("~ {:<22} {}", changed.id, changed.name)?;
        for field in &changed.fields {
            for line in describe_change(field) {
                outln!("    {line}")?;
            }
        }
    }
    if let Some(relations) = &json.relations {
        outln!(
            "relations: {} added, {} removed, {} changed",
            relations.counts.added,
            relations.counts.removed,
            relations.counts.changed
        )?;
        for relation in &relations.added {
            outln!("+ {}", describe_relation(relation))?;
        }
        for relation in &relations.removed {
            outln!("- {}", describe_relation(relation))?;
        }
        for change in &relations.changed {
            outln!("~ {}", describe_relation(&change.new))?;
            for line in describe_relation_change(change) {
                outln!("    {line}")?;
            }
        }
    }
    Ok(())
}

/// A party of a relation: its id, and its name where known.
fn party(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{} ({})", printable(id), printable(name)),
        None => printable(id).into_owned(),
    }
}

/// A relation on one line: `owner (name) → asset (name)  ownership 60%  from 2019-04-01`.
pub(crate) fn describe_relation(relation: &RelationJson) -> String {
    let mut text = format!(
        "{} → {}  {}",
        party(&relation.owner, relation.owner_name.as_deref()),
        party(&relation.asset, relation.asset_name.as_deref()),
        relation.kind
    );
    if let Some(percentage) = &relation.percentage {
        text.push_str(&format!(" {percentage}"));
    }
    if let Some(role) = &relation.role {
        text.push_str(&format!(" ({})", printable(role)));
    }
    if let Some(start) = &relation.start {
        text.push_str(&format!("  from {start}"));
    }
    if let Some(end) = &relation.end {
        text.push_str(&format!("  to {end}"));
    }
    text
}

/// Each changed term of a relation as `field: old → new`.
pub(crate) fn describe_relation_change(change: &RelationChangeJson) -> Vec<String> {
    let term = |relation: &RelationJson, field: &str| -> String {
        let value = relation.term(field);
        value.map_or_else(|| "(none)".to_owned(), |v| printable(&v).into_owned())
    };
    change
        .fields
        .iter()
        .map(|field| {
            format!(
                "{field}: {} → {}",
                term(&change.old, field),
                term(&change.new, field)
            )
        })
        .collect()
}

/// An entity's name, with its names in other scripts (e.g. the Cyrillic of a Duma member).
fn named(entity: &DiffEntity) -> String {
    let other_scripts: Vec<&str> = entity
        .other_names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_ascii())
        .take(2)
        .collect();
    if other_scripts.is_empty() {
        entity.name.clone()
    } else {
        format!("{} ({})", entity.name, other_scripts.join("; "))
    }
}

/// A JSON value as a short text: strings bare, lists as `a; b`, objects compact.
fn show_value(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) => items.iter().map(show_value).collect::<Vec<_>>().join("; "),
        Value::Object(map) => match map.get("full").or_else(|| map.get("value")) {
            // A name or an identifier: its text says it.
            Some(Value::String(text)) => text.clone(),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// One changed field as lines: `field: old → new` for single values; for lists, what was
/// taken away and what was added.
pub(crate) fn describe_change(change: &FieldChange) -> Vec<String> {
    match (&change.old, &change.new) {
        (Value::Array(old), Value::Array(new)) => {
            let gone: Vec<String> = old
                .iter()
                .filter(|v| !new.contains(v))
                .map(show_value)
                .collect();
            let came: Vec<String> = new
                .iter()
                .filter(|v| !old.contains(v))
                .map(show_value)
                .collect();
            let mut lines = Vec::new();
            if !gone.is_empty() {
                lines.push(format!("{}: - {}", change.field, gone.join("; ")));
            }
            if !came.is_empty() {
                lines.push(format!("{}: + {}", change.field, came.join("; ")));
            }
            if lines.is_empty() {
                // Same items, another order or detail.
                lines.push(format!(
                    "{}: {} → {}",
                    change.field,
                    show_value(&change.old),
                    show_value(&change.new)
                ));
            }
            lines
        }
        (old, new) => vec![format!(
            "{}: {} → {}",
            change.field,
            show_value(old),
            show_value(new)
        )],
    }
}
