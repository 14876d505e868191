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
//! relations as it counts entities.

use std::collections::HashSet;
use std::path::Path;

use interdict_model::{Entity, ListVersion, PartialDate, Relation};
use interdict_sources::{Format, Parsed, RelationFormat, SourceFile};
use interdict_store::{Activation, ImportRequest, PreparedList, Store};
use serde_json::json;

use crate::Error;
use crate::contract::{ImportOverride, ImportReport, ShrinkJson};

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
