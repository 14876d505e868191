//! Lists: importing a list file as a new version (detect → parse → check → store, with its
//! audit record in the transaction that activates it), choosing which stored version is
//! active, and diffing two versions.
//!
//! An import never silently makes a list worse. A file with any broken record, or none at
//! all, is refused whole. A version is stored but **not activated** when it was published
//! before the active one (an older file imported by mistake) or when it removes more than
//! [`ImportOptions::max_shrink`] of the active version's entities (a truncated or partial
//! file); the report and the audit record say why, and `activate` (or `allow_shrink`)
//! overrides. Publication dates are compared only when both are known; otherwise the later
//! import is taken as the later list, and the report and audit record say so
//! (`ordered_by_import`). Two imports of one list at once cannot silently undo each other: the second
//! to activate fails with a conflict naming both versions.
//!
//! Ownership and control data (the edges CSV, or FollowTheMoney `Ownership` and
//! `Directorship` records) is imported the same way ([`parse_import`], [`import_data`]): a
//! version holds entities, relations or both, hashed together, and the shrink check counts
//! relations as it counts entities. A diff of two versions ([`diff_versions`]) names the
//! relations added, removed and changed ([`relation_diff`]) next to the entities.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use interdict_model::{Entity, ListVersion, PartialDate, Relation};
use interdict_sources::{Format, Parsed, RelationFormat, SourceFile};
use interdict_store::{Activation, ImportRequest, PreparedList, Store};
use serde_json::json;

use crate::Error;
use crate::contract::{
    ChangedJson, DiffCounts, DiffJson, ImportOverride, ImportReport, RelationChangeJson,
    RelationDiffJson, RelationJson, ShrinkJson,
};

/// How many per-record issues an import error lists before summarising the rest.
const ISSUES_SHOWN: usize = 20;

/// The share of the active version's entities a new version may remove and still be
/// activated without `allow_shrink`.
pub const DEFAULT_MAX_SHRINK: f64 = 0.10;

/// Longest list id.
const MAX_LIST_ID: usize = 64;

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format; detected from content when `None`.
    pub format: Option<Format>,
    /// The list id; the format's default (or the dataset the data names) when `None`.
    pub list: Option<String>,
    /// The publication date, when the caller knows it; otherwise the date the file states,
    /// if it states one.
    pub published: Option<PartialDate>,
    /// Activate the version even if it was published before the active one.
    pub activate: bool,
    /// Activate the version even if it removes more than `max_shrink` of the active one.
    pub allow_shrink: bool,
    /// The share of the active version's entities a version may remove unchallenged.
    pub max_shrink: f64,
    /// Who imports: an API key id or `cli:<user>`.
    pub actor: String,
}

impl ImportOptions {
    /// Defaults for `actor`: detect the format, activate unless older or shrunk.
    pub fn new(actor: impl Into<String>) -> ImportOptions {
        ImportOptions {
            format: None,
            list: None,
            published: None,
            activate: false,
            allow_shrink: false,
            max_shrink: DEFAULT_MAX_SHRINK,
            actor: actor.into(),
        }
    }
}

/// Checks a list id: lowercase letters, digits, `.`, `_` and `-`, at most 64 characters, so
/// that it prints safely and fits in an entity id.
pub fn check_list_id(list: &str) -> Result<(), Error> {
    let valid = !list.is_empty()
        && list.len() <= MAX_LIST_ID
        && list
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && list.as_bytes()[0].is_ascii_alphanumeric();
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(
            "list",
            format!(
                "{:?} is not a list id: use 1 to {MAX_LIST_ID} lowercase letters, digits, '.', \
                 '_' or '-', starting with a letter or digit",
                list.escape_debug().to_string()
            ),
        ))
    }
}

/// Reads `path`: a file becomes one [`SourceFile`]; a directory becomes all its regular files
/// (recursively, hidden ones skipped), named relative to it, in name order.
pub fn read_path(path: &Path) -> Result<Vec<SourceFile>, Error> {
    let metadata = std::fs::metadata(path).map_err(|e| unreadable(path, e))?;
    if metadata.is_file() {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        return Ok(vec![SourceFile { name, bytes }]);
    }
    let mut files = Vec::new();
    collect_dir(path, path, &mut files)?;
    if files.is_empty() {
        return Err(Error::InvalidList(format!(
            "{}: the directory holds no files",
            path.display()
        )));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn collect_dir(root: &Path, dir: &Path, files: &mut Vec<SourceFile>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| unreadable(&path, e))?;
        if kind.is_dir() {
            collect_dir(root, &path, files)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, e))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push(SourceFile { name, bytes });
        }
    }
    Ok(())
}

fn unreadable(path: &Path, error: std::io::Error) -> Error {
    Error::Unreadable(format!("cannot read {}: {error}", path.display()))
}

/// Parses `files` (named `label` in messages) as one list; any per-record issue, or no
/// entity at all, refuses the whole file. CPU work: call it off the async workers.
pub fn parse(files: &[SourceFile], label: &str, options: &ImportOptions) -> Result<Parsed, Error> {
    parse_entities(files, label, options, false)
}

/// [`parse`], allowing no entity at all when `relations_follow` (a FollowTheMoney file of
/// ownership records only).
fn parse_entities(
    files: &[SourceFile],
    label: &str,
    options: &ImportOptions,
    relations_follow: bool,
) -> Result<Parsed, Error> {
    if let Some(list) = &options.list {
        check_list_id(list)?;
    }
    let parsed =
        interdict_sources::parse(files, options.format, options.list.as_deref()).map_err(|e| {
            Error::InvalidList(format!("cannot import {label}: {e}; nothing was imported"))
        })?;
    if !parsed.issues.is_empty() {
        let mut message = format!(
            "{label}: {} record(s) could not be read; nothing was imported:",
            parsed.issues.len()
        );
        for issue in parsed.issues.iter().take(ISSUES_SHOWN) {
            message.push_str(&format!("\n  {issue}"));
        }
        if parsed.issues.len() > ISSUES_SHOWN {
            message.push_str(&format!(
                "\n  ... and {} more",
                parsed.issues.len() - ISSUES_SHOWN
            ));
        }
        return Err(Error::InvalidList(message));
    }
    if parsed.entities.is_empty() && !relations_follow {
        return Err(Error::InvalidList(format!(
            "{label}: no entities found in this {} list; nothing was imported",
            parsed.format
        )));
    }
    check_list_id(&parsed.list)?;
    Ok(parsed)
}

/// A file read for import: a list's entities, ownership and control relations, or both.
#[derive(Debug, Clone)]
pub struct ParsedImport {
    /// The list id.
    pub list: String,
    /// The format's name, recorded with the version (`ofac-sdn-csv`, `ownership-csv`, `ftm`).
    pub format: String,
    /// The entities.
    pub entities: Vec<Entity>,
    /// The ownership and control relations.
    pub relations: Vec<Relation>,
    /// The text encoding the file was read in.
    pub encoding: Option<&'static str>,
    /// The publication date the file states.
    pub published: Option<PartialDate>,
}

impl From<Parsed> for ParsedImport {
    fn from(parsed: Parsed) -> ParsedImport {
        ParsedImport {
            list: parsed.list,
            format: parsed.format.name().to_owned(),
            entities: parsed.entities,
            relations: Vec::new(),
            encoding: parsed.encoding,
            published: parsed.published,
        }
    }
}

/// Parses `files` as a list, as ownership data, or both: files of edges (CSV with a header
/// naming `owner_id` and `asset_id`) are relations; the other files are read as a list (a
/// FollowTheMoney file gives its entities plus its `Ownership` and `Directorship` records),
/// so a directory holding an edges CSV and the companies' own records (FtM) is one version
/// of one registry. Any broken record refuses the whole import, as for lists. CPU work:
/// call it off the async workers.
pub fn parse_import(
    files: &[SourceFile],
    label: &str,
    options: &ImportOptions,
) -> Result<ParsedImport, Error> {
    if let Some(list) = &options.list {
        check_list_id(list)?;
    }
    let (edges, records): (Vec<SourceFile>, Vec<SourceFile>) = files
        .iter()
        .cloned()
        .partition(|f| options.format.is_none() && is_edges_csv(f));
    let mut parsed = match (records.is_empty(), options.format) {
        (true, _) => None,
        (false, None | Some(Format::Ftm)) => {
            Some(parse_records(&records, label, options, !edges.is_empty())?)
        }
        (false, Some(_)) => Some(ParsedImport::from(parse(&records, label, options)?)),
    };
    if edges.is_empty() {
        return parsed.ok_or_else(|| Error::InvalidList(format!("{label}: no files to read")));
    }
    // The edges take the records' list id, so that their unqualified ids name the records.
    let list = options
        .list
        .clone()
        .or_else(|| parsed.as_ref().map(|p| p.list.clone()));
    let relations = interdict_sources::parse_relations(
        &edges,
        Some(RelationFormat::OwnershipCsv),
        list.as_deref(),
    )
    .map_err(|e| Error::InvalidList(format!("cannot import {label}: {e}; nothing was imported")))?;
    if !relations.issues.is_empty() {
        return Err(Error::InvalidList(issues_message(
            label,
            "relation(s)",
            &relations.issues,
        )));
    }
    if relations.relations.is_empty() {
        return Err(Error::InvalidList(format!(
            "{label}: no relations found in the ownership CSV; nothing was imported"
        )));
    }
    check_list_id(&relations.list)?;
    match &mut parsed {
        Some(parsed) => {
            parsed.relations.extend(relations.relations);
            parsed.format = format!("{}+{}", parsed.format, RelationFormat::OwnershipCsv.name());
        }
        None => {
            parsed = Some(ParsedImport {
                list: relations.list,
                format: RelationFormat::OwnershipCsv.name().to_owned(),
                entities: Vec::new(),
                relations: relations.relations,
                encoding: Some(interdict_sources::ENCODING_UTF8),
                published: None,
            });
        }
    }
    parsed.ok_or_else(|| Error::InvalidList(format!("{label}: no files to read")))
}

/// Whether a file is an edges CSV: its first line names `owner_id` and `asset_id`.
fn is_edges_csv(file: &SourceFile) -> bool {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let first = first.to_ascii_lowercase();
    !first.trim_start().starts_with('{') && first.contains("owner_id") && first.contains("asset_id")
}

/// Reads list records: a FollowTheMoney file with its ownership records, or any list.
/// `edges_follow`: relations come from other files, so no entity at all is no error here.
fn parse_records(
    files: &[SourceFile],
    label: &str,
    options: &ImportOptions,
    edges_follow: bool,
) -> Result<ParsedImport, Error> {
    let ftm_relations = match options.format {
        Some(Format::Ftm) => Some(RelationFormat::Ftm),
        _ => None,
    };
    // Not FollowTheMoney (an OFAC CSV, an XML list): read it as a list.
    let relations =
        match interdict_sources::parse_relations(files, ftm_relations, options.list.as_deref()) {
            Ok(relations) if relations.format == RelationFormat::Ftm => relations,
            _ => {
                return parse_entities(files, label, options, edges_follow).map(ParsedImport::from);
            }
        };
    if !relations.issues.is_empty() {
        return Err(Error::InvalidList(issues_message(
            label,
            "relation(s)",
            &relations.issues,
        )));
    }
    let has_relations = !relations.relations.is_empty();
    let mut parsed: ParsedImport =
        parse_entities(files, label, options, has_relations || edges_follow)?.into();
    if has_relations && relations.list != parsed.list {
        return Err(Error::InvalidList(format!(
            "{label}: the relations were read as list {} and the entities as {}; \
             nothing was imported",
            relations.list, parsed.list
        )));
    }
    parsed.relations = relations.relations;
    Ok(parsed)
}

/// The refusal of a file with broken records, naming the first [`ISSUES_SHOWN`].
fn issues_message(label: &str, what: &str, issues: &[interdict_sources::Issue]) -> String {
    let mut message = format!(
        "{label}: {} {what} could not be read; nothing was imported:",
        issues.len()
    );
    for issue in issues.iter().take(ISSUES_SHOWN) {
        message.push_str(&format!("\n  {issue}"));
    }
    if issues.len() > ISSUES_SHOWN {
        message.push_str(&format!("\n  ... and {} more", issues.len() - ISSUES_SHOWN));
    }
    message
}

/// Why a new version was stored but not made active: the facts, for the report and the
/// audit record, and what overrides the check. The words that name the override (a flag,
/// a request parameter, a checkbox) are each front-end's own.
struct KeptInactive {
    reason: String,
    overridden_by: ImportOverride,
    shrink: Option<ShrinkJson>,
}

impl KeptInactive {
    /// The shrink check's refusal: `removed` of the active version's `active_count`
    /// `records` (`entities` or `relations`) are missing.
    fn shrink(
        records: &str,
        removed: usize,
        active_count: usize,
        active: &ListVersion,
        options: &ImportOptions,
    ) -> KeptInactive {
        let share = removed as f64 / active_count.max(1) as f64;
        KeptInactive {
            reason: format!(
                "it removes {removed} of the active version's ({}) {active_count} {records} \
                 ({:.1}%, more than {:.0}%): a truncated or partial file?",
                short(&active.version),
                share * 100.0,
                options.max_shrink * 100.0
            ),
            overridden_by: ImportOverride::AllowShrink,
            shrink: Some(ShrinkJson {
                records: records.to_owned(),
                active_count,
                kept_count: active_count - removed,
                removed,
                share,
                max_share: options.max_shrink,
                active_version: active.version.clone(),
            }),
        }
    }
}

/// Decides whether a new version replaces `active`: not when it is older or removes too
/// much, unless the options say so (then also why not).
async fn activation(
    store: &Store,
    active: Option<&ListVersion>,
    parsed: &ParsedImport,
    version: &str,
    published: Option<PartialDate>,
    options: &ImportOptions,
) -> Result<(Activation, Option<KeptInactive>), Error> {
    let Some(active) = active else {
        return Ok((Activation::IfActiveIs(None), None));
    };
    let expected = Activation::IfActiveIs(Some(active.version.clone()));
    if active.version == version {
        return Ok((expected, None));
    }
    let keep = |kept: KeptInactive| Ok((Activation::Keep(kept.reason.clone()), Some(kept)));
    if !options.activate
        && let (Some(new), Some(old)) = (published, active.published)
        && new < old
    {
        return keep(KeptInactive {
            reason: format!(
                "it was published on {new}, before the active version ({}, published {old})",
                short(&active.version),
            ),
            overridden_by: ImportOverride::Activate,
            shrink: None,
        });
    }
    if !options.allow_shrink {
        let new_ids: HashSet<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
        let active_ids = store
            .version_entity_ids(&active.list, &active.version)
            .await?;
        let removed = active_ids
            .iter()
            .filter(|id| !new_ids.contains(id.as_str()))
            .count();
        let share = removed as f64 / active_ids.len().max(1) as f64;
        if share > options.max_shrink {
            return keep(KeptInactive::shrink(
                "entities",
                removed,
                active_ids.len(),
                active,
                options,
            ));
        }
        // A truncated edges file removes relations as a truncated list removes entities.
        let new_relations: HashSet<&str> = parsed.relations.iter().map(|r| r.id.as_str()).collect();
        let active_relations = store
            .version_relations(&active.list, &active.version)
            .await?;
        let removed = active_relations
            .iter()
            .filter(|r| !new_relations.contains(r.id.as_str()))
            .count();
        let share = removed as f64 / active_relations.len().max(1) as f64;
        if share > options.max_shrink {
            return keep(KeptInactive::shrink(
                "relations",
                removed,
                active_relations.len(),
                active,
                options,
            ));
        }
    }
    Ok((expected, None))
}

/// Why a version replacing the active one was taken as the later list, when a publication
/// date is missing (OFAC's CSV files state none): the later import is then taken as the
/// later list, and the report and audit record say so, since an older undated file
/// imported by mistake is activated this way (the shrink guard stops only large removals).
/// `None` when both dates are known and were compared.
fn import_order_note(new: Option<PartialDate>, active: Option<PartialDate>) -> Option<String> {
    let which = match (new, active) {
        (Some(_), Some(_)) => return None,
        (None, Some(old)) => {
            format!("this version's publication date is unknown (the active one's is {old})")
        }
        (Some(_), None) => "the active version's publication date is unknown".to_owned(),
        (None, None) => "neither version's publication date is known".to_owned(),
    };
    Some(format!(
        "{which}, so the later import is taken as the later list; give the date \
         (--published, or `published` over the API) to compare by date"
    ))
}

fn short(version: &str) -> &str {
    version.get(..12).unwrap_or(version)
}

/// Imports one list read from `files` (named `label`, e.g. the path given): parsed off the
/// async workers, refused whole if any record is broken, stored as a new version (or found
/// already stored), activated unless older or shrunk, and recorded in the audit trail in
/// the activating transaction.
pub async fn import(
    store: &Store,
    files: Vec<SourceFile>,
    label: &str,
    options: &ImportOptions,
) -> Result<ImportReport, Error> {
    let parsed = {
        let (label, options) = (label.to_owned(), options.clone());
        tokio::task::spawn_blocking(move || parse_import(&files, &label, &options)).await??
    };
    import_data(store, parsed, label, options).await
}

/// [`import`] of a list already parsed and checked by [`parse`] (the command line parses
/// every file before importing any).
pub async fn import_parsed(
    store: &Store,
    parsed: Parsed,
    label: &str,
    options: &ImportOptions,
) -> Result<ImportReport, Error> {
    import_data(store, parsed.into(), label, options).await
}

/// [`import`] of entities and relations already read by [`parse_import`].
pub async fn import_data(
    store: &Store,
    parsed: ParsedImport,
    label: &str,
    options: &ImportOptions,
) -> Result<ImportReport, Error> {
    // Serialising and hashing every entity is CPU work: off the async workers, as parsing.
    let (parsed, prepared) = tokio::task::spawn_blocking(move || {
        let prepared = PreparedList::with_relations(
            &parsed.list,
            &parsed.format,
            &parsed.entities,
            &parsed.relations,
        );
        (parsed, prepared)
    })
    .await?;
    let prepared = prepared?;
    // The date the caller gives wins over the one the file states, and that over the one
    // given when the same content was stored before.
    let published = match options.published.or(parsed.published) {
        Some(date) => Some(date),
        None => match store.version(&parsed.list, prepared.version()).await {
            Ok(stored) => stored.published,
            Err(interdict_store::Error::NotFound { .. }) => None,
            Err(error) => return Err(error.into()),
        },
    };
    let active = store.active_versions().await?.remove(&parsed.list);
    let (activation, kept_inactive) = activation(
        store,
        active.as_ref(),
        &parsed,
        prepared.version(),
        published,
        options,
    )
    .await?;
    let ordered_by_import = match (&activation, &active) {
        (Activation::IfActiveIs(Some(_)), Some(active))
            if active.version != prepared.version() && !options.activate =>
        {
            import_order_note(published, active.published)
        }
        _ => None,
    };
    let source_files = vec![label.to_owned()];
    let outcome = store
        .import_prepared(
            &prepared,
            &ImportRequest {
                published,
                source_files: &source_files,
                actor: &options.actor,
                activation,
                notes: {
                    let mut notes = json!({
                        "encoding": parsed.encoding,
                        "ordered_by_import": ordered_by_import,
                    });
                    if !parsed.relations.is_empty() {
                        notes["relations"] = json!(parsed.relations.len());
                    }
                    notes
                },
            },
        )
        .await?;
    let version = outcome.version;
    Ok(ImportReport {
        list: version.list,
        version: version.version,
        format: version.format,
        entities: version.entities,
        names: version.names,
        relations: (!parsed.relations.is_empty()).then_some(parsed.relations.len()),
        published: version.published.map(|d| d.to_string()),
        encoding: parsed.encoding.map(str::to_owned),
        unchanged: outcome.unchanged,
        activated: outcome.activated,
        active: version.active,
        previous_active: outcome.previous_active,
        overridden_by: kept_inactive.as_ref().map(|k| k.overridden_by),
        shrink: kept_inactive.as_ref().and_then(|k| k.shrink.clone()),
        kept_inactive: kept_inactive.map(|k| k.reason),
        hint: None,
        ordered_by_import: ordered_by_import.filter(|_| outcome.activated),
        audit_id: outcome.audit_id,
        index_entities: None,
    })
}

/// Makes a stored version (`list@prefix` or a unique prefix) the active one of `list`, on
/// record; returns the version and whether anything changed.
pub async fn activate(
    store: &Store,
    list: &str,
    reference: &str,
    actor: &str,
) -> Result<(ListVersion, bool), Error> {
    let version = find_version(store, "version", reference).await?;
    if version.list != list {
        return Err(Error::invalid(
            "version",
            format!(
                "{reference} is a version of {}, not of {list}",
                version.list
            ),
        ));
    }
    let changed = store
        .activate(list, &version.version, actor, "activated by hand")
        .await?;
    let version = store.version(list, &version.version).await?;
    Ok((version, changed))
}

/// Finds a stored version by id, prefix or `list@prefix`; a malformed or ambiguous
/// reference is a fault of `field`.
pub async fn find_version(
    store: &Store,
    field: &str,
    reference: &str,
) -> Result<ListVersion, Error> {
    store.find_version(reference).await.map_err(|e| match e {
        e @ (interdict_store::Error::Invalid(_) | interdict_store::Error::Ambiguous { .. }) => {
            Error::invalid(field, e.to_string())
        }
        other => other.into(),
    })
}

/// An entity named in a diff.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiffEntity {
    /// The entity id.
    pub id: String,
    /// Its primary name.
    pub name: String,
    /// Its other names (aliases, original script), as listed.
    pub other_names: Vec<String>,
}

/// One field of a changed entity, before and after (JSON values as the entity serialises
/// them; `null` where absent).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldChange {
    /// The field, e.g. `programs`.
    pub field: String,
    /// Its value in the older version.
    pub old: serde_json::Value,
    /// Its value in the newer version.
    pub new: serde_json::Value,
}

/// A changed entity with the old and new values of each changed field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChangedEntityDetail {
    /// The entity id.
    pub id: String,
    /// Its primary name in the newer version.
    pub name: String,
    /// The changed fields, in the diff's order.
    pub fields: Vec<FieldChange>,
}

/// A diff an analyst can read: who was added and removed, and what changed from what.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DiffDetails {
    /// Entities only in the newer version.
    pub added: Vec<DiffEntity>,
    /// Entities only in the older version.
    pub removed: Vec<DiffEntity>,
    /// Entities in both whose content differs.
    pub changed: Vec<ChangedEntityDetail>,
}

/// Names the entities of `diff` and gives each changed field's old and new value, from the
/// two versions' entities (`old` and `new`) that `diff` was computed from.
pub fn diff_details(
    diff: &interdict_model::ListDiff,
    old: &[interdict_model::Entity],
    new: &[interdict_model::Entity],
) -> DiffDetails {
    use interdict_model::Entity;
    use std::collections::HashMap;
    let by_id = |entities: &'_ [Entity]| -> HashMap<String, usize> {
        entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str().to_owned(), i))
            .collect()
    };
    let (old_ids, new_ids) = (by_id(old), by_id(new));
    let named = |id: &String, ids: &HashMap<String, usize>, entities: &[Entity]| {
        let entity = ids.get(id).and_then(|&i| entities.get(i));
        DiffEntity {
            id: id.clone(),
            name: entity.map(|e| e.name.clone()).unwrap_or_default(),
            other_names: entity
                .map(|e| {
                    e.names
                        .iter()
                        .filter(|n| n.full != e.name)
                        .map(|n| n.full.clone())
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    let fields_of = |entity: Option<&Entity>| match entity.map(serde_json::to_value) {
        Some(Ok(serde_json::Value::Object(map))) => map,
        _ => serde_json::Map::new(),
    };
    DiffDetails {
        added: diff
            .added
            .iter()
            .map(|id| named(id, &new_ids, new))
            .collect(),
        removed: diff
            .removed
            .iter()
            .map(|id| named(id, &old_ids, old))
            .collect(),
        changed: diff
            .changed
            .iter()
            .map(|changed| {
                let before = old_ids.get(&changed.id).and_then(|&i| old.get(i));
                let after = new_ids.get(&changed.id).and_then(|&i| new.get(i));
                let (before_fields, after_fields) = (fields_of(before), fields_of(after));
                ChangedEntityDetail {
                    id: changed.id.clone(),
                    name: after.or(before).map(|e| e.name.clone()).unwrap_or_default(),
                    fields: changed
                        .fields
                        .iter()
                        .map(|field| FieldChange {
                            field: field.clone(),
                            old: before_fields.get(field).cloned().unwrap_or_default(),
                            new: after_fields.get(field).cloned().unwrap_or_default(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// What changed from version `from` to version `to` of one list: the entities (compared by
/// content hash in the store) and, when either version holds any, the ownership and control
/// relations. The shape of `GET /v1/lists/diff` and `interdict lists diff --json`.
pub async fn diff_versions(
    store: &Store,
    from: &ListVersion,
    to: &ListVersion,
) -> Result<DiffJson, Error> {
    let diff = store.diff(from, to).await?;
    let mut relations = version_relation_diff(store, from, to).await?;
    // The parties the diff names, looked up one by one: a registry's versions may hold far
    // more entities than an update changes relations.
    if let Some(relations) = &mut relations {
        name_relation_parties(store, relations, HashMap::new()).await?;
    }
    Ok(diff_json(
        &format!("{}@{}", from.list, from.version),
        &format!("{}@{}", to.list, to.version),
        diff,
        relations,
    ))
}

/// The diff's JSON from its parts: `relations` is left out when neither side holds any.
pub fn diff_json(
    from: &str,
    to: &str,
    diff: interdict_model::ListDiff,
    relations: Option<RelationDiffJson>,
) -> DiffJson {
    DiffJson {
        from: from.to_owned(),
        to: to.to_owned(),
        counts: DiffCounts {
            added: diff.added.len(),
            removed: diff.removed.len(),
            changed: diff.changed.len(),
        },
        added: diff.added,
        removed: diff.removed,
        changed: diff
            .changed
            .into_iter()
            .map(|c| ChangedJson {
                id: c.id,
                fields: c.fields,
            })
            .collect(),
        relations,
    }
}

/// Names the owners and assets of `diff`'s relations: from `known` (id → name, e.g. the
/// entities of the two versions), else from the store's record (an owner of another list,
/// `ofac-sdn:35391`), each id looked up once; a party without a record stays unnamed.
pub async fn name_relation_parties(
    store: &Store,
    diff: &mut RelationDiffJson,
    mut known: HashMap<String, String>,
) -> Result<(), Error> {
    let mut unnamed: HashSet<String> = HashSet::new();
    let relations = || {
        diff.added
            .iter()
            .chain(&diff.removed)
            .chain(diff.changed.iter().flat_map(|c| [&c.old, &c.new]))
    };
    for relation in relations() {
        for id in [&relation.owner, &relation.asset] {
            if !known.contains_key(id.as_str()) {
                unnamed.insert(id.clone());
            }
        }
    }
    for id in unnamed {
        match store.entity(&id).await {
            Ok(stored) => {
                known.insert(id, stored.entity.name);
            }
            Err(interdict_store::Error::NotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let relations = diff.added.iter_mut().chain(diff.removed.iter_mut()).chain(
        diff.changed
            .iter_mut()
            .flat_map(|c| [&mut c.old, &mut c.new]),
    );
    for relation in relations {
        relation.owner_name = known.get(&relation.owner).cloned();
        relation.asset_name = known.get(&relation.asset).cloned();
    }
    Ok(())
}

/// The relations of a stored version; none without a query when it holds none.
pub async fn stored_relations(
    store: &Store,
    version: &ListVersion,
) -> Result<Vec<Relation>, Error> {
    if store
        .relation_count(&version.list, &version.version)
        .await?
        == 0
    {
        return Ok(Vec::new());
    }
    Ok(store
        .version_relations(&version.list, &version.version)
        .await?)
}

/// How the relations changed from stored version `from` to `to`; `None` when neither holds
/// any (a list of entities only).
pub async fn version_relation_diff(
    store: &Store,
    from: &ListVersion,
    to: &ListVersion,
) -> Result<Option<RelationDiffJson>, Error> {
    let old = stored_relations(store, from).await?;
    let new = stored_relations(store, to).await?;
    Ok(relation_diff(&old, &new))
}

/// How the relations changed from `old` to `new`; `None` when both are empty. A relation is
/// matched by its id first; of those left, a relation removed and one added that are the
/// only ones of their owner, asset and kind (and then of their owner and asset) are one
/// relation changed, since an edges CSV's ids carry the start date and the kind, which a
/// correction may change.
pub fn relation_diff(old: &[Relation], new: &[Relation]) -> Option<RelationDiffJson> {
    if old.is_empty() && new.is_empty() {
        return None;
    }
    let old_by_id: HashMap<&str, &Relation> = old.iter().map(|r| (r.id.as_str(), r)).collect();
    let new_by_id: HashMap<&str, &Relation> = new.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut pairs: Vec<(&Relation, &Relation)> = Vec::new();
    let mut removed: Vec<&Relation> = Vec::new();
    for relation in old {
        match new_by_id.get(relation.id.as_str()) {
            Some(after) => pairs.push((relation, after)),
            None => removed.push(relation),
        }
    }
    let mut added: Vec<&Relation> = new
        .iter()
        .filter(|r| !old_by_id.contains_key(r.id.as_str()))
        .collect();
    pair_alone(
        |r| format!("{}\u{0}{}\u{0}{}", r.owner, r.asset, r.kind.as_str()),
        &mut removed,
        &mut added,
        &mut pairs,
    );
    pair_alone(
        |r| format!("{}\u{0}{}", r.owner, r.asset),
        &mut removed,
        &mut added,
        &mut pairs,
    );
    let order = |r: &Relation| {
        (
            r.owner.clone(),
            r.asset.clone(),
            r.kind.as_str(),
            r.id.clone(),
        )
    };
    removed.sort_by_key(|r| order(r));
    added.sort_by_key(|r| order(r));
    let mut changed: Vec<RelationChangeJson> = pairs
        .into_iter()
        .filter_map(|(before, after)| {
            let fields = relation_fields_changed(before, after);
            (!fields.is_empty()).then(|| RelationChangeJson {
                fields,
                old: relation_json(before),
                new: relation_json(after),
            })
        })
        .collect();
    changed.sort_by(|a, b| {
        (&a.new.owner, &a.new.asset, &a.new.kind, &a.new.id).cmp(&(
            &b.new.owner,
            &b.new.asset,
            &b.new.kind,
            &b.new.id,
        ))
    });
    Some(RelationDiffJson {
        counts: DiffCounts {
            added: added.len(),
            removed: removed.len(),
            changed: changed.len(),
        },
        added: added.into_iter().map(relation_json).collect(),
        removed: removed.into_iter().map(relation_json).collect(),
        changed,
    })
}

/// Moves to `pairs` each removed relation and added one that are the only ones under their
/// `key` on each side.
fn pair_alone<'a>(
    key: impl Fn(&Relation) -> String,
    removed: &mut Vec<&'a Relation>,
    added: &mut Vec<&'a Relation>,
    pairs: &mut Vec<(&'a Relation, &'a Relation)>,
) {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, r) in removed.iter().enumerate() {
        groups.entry(key(r)).or_default().0.push(i);
    }
    for (i, r) in added.iter().enumerate() {
        groups.entry(key(r)).or_default().1.push(i);
    }
    let mut gone = HashSet::new();
    let mut came = HashSet::new();
    for (removed_at, added_at) in groups.values() {
        if let ([g], [c]) = (removed_at.as_slice(), added_at.as_slice())
            && let (Some(before), Some(after)) = (removed.get(*g), added.get(*c))
        {
            pairs.push((*before, *after));
            gone.insert(*g);
            came.insert(*c);
        }
    }
    *removed = keep_unpaired(removed, &gone);
    *added = keep_unpaired(added, &came);
}

/// The relations of `all` whose positions are not in `paired`.
fn keep_unpaired<'a>(all: &[&'a Relation], paired: &HashSet<usize>) -> Vec<&'a Relation> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| !paired.contains(i))
        .map(|(_, r)| *r)
        .collect()
}

/// The terms that differ between two versions of a relation, in a fixed order; provenance
/// and the id never count.
fn relation_fields_changed(before: &Relation, after: &Relation) -> Vec<String> {
    [
        ("percentage", before.stake != after.stake),
        ("start", before.start != after.start),
        ("end", before.end != after.end),
        ("kind", before.kind != after.kind),
        ("role", before.role != after.role),
        ("joint", before.joint != after.joint),
        ("owner", before.owner != after.owner),
        ("asset", before.asset != after.asset),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(field, _)| field.to_owned())
    .collect()
}

/// A relation as a diff shows it.
pub fn relation_json(relation: &Relation) -> RelationJson {
    RelationJson {
        id: relation.id.clone(),
        owner: relation.owner.clone(),
        owner_name: None,
        asset: relation.asset.clone(),
        asset_name: None,
        kind: relation.kind.as_str().to_owned(),
        percentage: relation.stake.map(|s| s.to_string()),
        share: relation.stake.map(|s| s.high.fraction()),
        share_low: relation.stake.map(|s| s.low.fraction()),
        start: relation.start.map(|d| d.to_string()),
        end: relation.end.map(|d| d.to_string()),
        role: relation.role.clone(),
        joint: relation.joint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relations of an edges CSV of the CLI's Duma registry fixtures.
    fn edges(dir: &str) -> Vec<Relation> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../cli/tests/data")
            .join(dir)
            .join("edges.csv");
        let file = SourceFile {
            name: "edges.csv".into(),
            bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        };
        let parsed = interdict_sources::parse_relations(
            &[file],
            Some(RelationFormat::OwnershipCsv),
            Some("registry"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        parsed.relations
    }

    #[test]
    fn a_share_changed_an_edge_ended_and_one_new_are_named() {
        let old = edges("duma-registry");
        let new = edges("duma-registry-2023");
        let diff = relation_diff(&old, &new).unwrap_or_else(|| panic!("relations on both sides"));
        assert_eq!(
            (diff.counts.added, diff.counts.removed, diff.counts.changed),
            (1, 0, 2),
            "{diff:#?}"
        );
        let added = &diff.added[0];
        assert_eq!(
            (added.owner.as_str(), added.asset.as_str()),
            ("registry:p-kuznetsova", "registry:volga-tv")
        );
        assert_eq!(added.percentage.as_deref(), Some("70%"));
        assert_eq!(added.share, Some(0.7));
        assert_eq!(added.start.as_deref(), Some("2023-07-01"));
        // In owner order: Kuznetsova's ended holding, then SHARGUNOV's smaller stake.
        let ended = diff
            .changed
            .iter()
            .find(|c| c.new.asset == "registry:kama-foods")
            .unwrap_or_else(|| panic!("the ended holding: {diff:#?}"));
        assert_eq!(ended.fields, ["end"]);
        assert_eq!(ended.old.end, None);
        assert_eq!(ended.new.end.as_deref(), Some("2023-06-30"));
        let share = diff
            .changed
            .iter()
            .find(|c| c.new.owner == "ofac-sdn:35391")
            .unwrap_or_else(|| panic!("the changed share: {diff:#?}"));
        assert_eq!(share.new.asset, "registry:volga-radio");
        assert_eq!(share.fields, ["percentage"]);
        assert_eq!(share.old.percentage.as_deref(), Some("25%"));
        assert_eq!(share.new.percentage.as_deref(), Some("20%"));
        // And backwards: the new edge is removed, the changes undone.
        let back = relation_diff(&new, &old).unwrap_or_else(|| panic!("relations"));
        assert_eq!(
            (back.counts.added, back.counts.removed, back.counts.changed),
            (0, 1, 2)
        );
    }

    #[test]
    fn lists_without_relations_have_no_relation_part_and_equal_ones_an_empty_one() {
        assert_eq!(relation_diff(&[], &[]), None);
        let same = edges("duma-registry");
        let diff = relation_diff(&same, &same).unwrap_or_else(|| panic!("relations"));
        assert_eq!(diff, RelationDiffJson::default());
        let first = relation_diff(&[], &same).unwrap_or_else(|| panic!("relations"));
        assert_eq!(first.counts.added, same.len());
    }

    #[test]
    fn a_corrected_start_date_or_kind_is_a_change_not_a_removal_and_an_addition() {
        let old = edges("duma-registry");
        let mut new = old.clone();
        // The CSV keys a row by owner, asset, kind and start: correcting the start renames it.
        let media = new
            .iter_mut()
            .find(|r| r.asset == "registry:volga-media")
            .unwrap_or_else(|| panic!("the Volga Media holding"));
        media.start = PartialDate::parse("2019-05-01");
        media.id = "registry:ofac-sdn:35391>volga-media:ownership@2019-05-01".into();
        let director = new
            .iter_mut()
            .find(|r| r.kind == interdict_model::RelationKind::Control)
            .unwrap_or_else(|| panic!("the directorship"));
        director.kind = interdict_model::RelationKind::Ownership;
        director.stake = Some(interdict_model::Stake::unknown());
        director.id = "registry:ofac-sdn:35391>kama-foods:ownership".into();
        let diff = relation_diff(&old, &new).unwrap_or_else(|| panic!("relations"));
        assert_eq!(
            (diff.counts.added, diff.counts.removed, diff.counts.changed),
            (0, 0, 2),
            "{diff:#?}"
        );
        let fields: Vec<&[String]> = diff.changed.iter().map(|c| c.fields.as_slice()).collect();
        assert!(fields.contains(&&["start".to_owned()][..]), "{fields:?}");
        assert!(
            fields.contains(&&["percentage".to_owned(), "kind".to_owned()][..]),
            "{fields:?}"
        );
        // Two new holdings of one pair beside one gone are not guessed at.
        let mut twice = old.clone();
        let mut extra = twice
            .iter()
            .find(|r| r.asset == "registry:volga-print")
            .cloned()
            .unwrap_or_else(|| panic!("the print holding"));
        twice.retain(|r| r.asset != "registry:volga-print");
        extra.id = "registry:volga-media>volga-print:ownership@2021".into();
        let mut other = extra.clone();
        other.id = "registry:volga-media>volga-print:ownership@2022".into();
        twice.extend([extra, other]);
        let diff = relation_diff(&old, &twice).unwrap_or_else(|| panic!("relations"));
        assert_eq!(
            (diff.counts.added, diff.counts.removed, diff.counts.changed),
            (2, 1, 0)
        );
    }
}
