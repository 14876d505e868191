//! Lists, their versions and their entities.

use std::collections::{BTreeMap, HashMap, HashSet};

use interdict_model::{
    ChangedEntity, Entity, ListDiff, ListVersion, PartialDate, Relation, SourceRecord,
    canonical_hash, content_hash_of, relation_hash,
};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};

use crate::audit::{AuditKind, NewAuditRecord};
use crate::{Error, Store, placeholders};

/// Rows per multi-row INSERT: well under SQLite's parameter limit, few round trips.
const INSERT_BATCH: usize = 200;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The version (content hash) now active.
    pub version: ListVersion,
    /// True when this content was already stored: nothing was created.
    pub unchanged: bool,
    /// True when the import changed which version is active.
    pub activated: bool,
    /// The version that was active before, if any.
    pub previous_active: Option<String>,
    /// The id of the import's audit record.
    pub audit_id: String,
}

/// A list made ready to store: its version id and each entity's stored form. Preparing it
/// serialises and hashes every entity, CPU work that
/// [`Store::import_prepared`] keeps out of its write transaction, and that a server does off
/// its async workers.
#[derive(Debug)]
pub struct PreparedList {
    list: String,
    format: String,
    version: String,
    names: usize,
    /// Entity id, content hash, content, provenance.
    rows: Vec<(String, String, String, String)>,
    /// Relation id, content hash, content, provenance: ownership and control data.
    relations: Vec<(String, String, String, String)>,
}

impl PreparedList {
    /// Prepares `entities` as a version of `list`, read from `format`.
    pub fn new(list: &str, format: &str, entities: &[Entity]) -> Result<PreparedList, Error> {
        PreparedList::with_relations(list, format, entities, &[])
    }

    /// Prepares `entities` and ownership or control `relations` as one version of `list`:
    /// the version id hashes both, so the same entities with other relations are another
    /// version. Without relations the id is the one [`PreparedList::new`] gives.
    pub fn with_relations(
        list: &str,
        format: &str,
        entities: &[Entity],
        relations: &[Relation],
    ) -> Result<PreparedList, Error> {
        if list.trim().is_empty() || list.contains(':') {
            return Err(Error::Invalid(format!(
                "list id {list:?} must be non-empty and contain no ':'"
            )));
        }
        if let Some(stranger) = entities.iter().find(|e| e.id.list() != list) {
            return Err(Error::Invalid(format!(
                "entity {} does not belong to list {list}",
                stranger.id
            )));
        }
        let mut ids = HashSet::with_capacity(entities.len());
        if let Some(twice) = entities.iter().find(|e| !ids.insert(e.id.as_str())) {
            return Err(Error::Invalid(format!(
                "entity {} appears more than once in this version of list {list}",
                twice.id
            )));
        }
        let rows = entities
            .iter()
            .map(|entity| {
                // The stored content is the entity's canonical JSON: its hash is the entity's.
                let (body, source) = split_entity(entity)?;
                let hash = canonical_hash(body.as_bytes());
                Ok((entity.id.as_str().to_owned(), hash, body, source))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let mut relation_ids = HashSet::with_capacity(relations.len());
        if let Some(twice) = relations
            .iter()
            .find(|r| !relation_ids.insert(r.id.as_str()))
        {
            return Err(Error::Invalid(format!(
                "relation {} appears more than once in this version of list {list}",
                twice.id
            )));
        }
        let relation_rows = relations
            .iter()
            .map(split_relation)
            .collect::<Result<Vec<_>, Error>>()?;
        // Relation ids are keyed apart from entity ids in the version's hash, so that an
        // entity and a relation that share an id cannot stand in for each other.
        let keyed_relations: Vec<(String, &str)> = relation_rows
            .iter()
            .map(|(id, hash, _, _)| (format!("relation\u{1f}{id}"), hash.as_str()))
            .collect();
        let version = content_hash_of(
            rows.iter()
                .map(|(id, hash, _, _)| (id.as_str(), hash.as_str()))
                .chain(
                    keyed_relations
                        .iter()
                        .map(|(id, hash)| (id.as_str(), *hash)),
                ),
        );
        Ok(PreparedList {
            list: list.to_owned(),
            format: format.to_owned(),
            version,
            names: entities.iter().map(|e| e.names.len()).sum(),
            rows,
            relations: relation_rows,
        })
    }

    /// How many relations the version holds.
    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// The version id: the SHA-256 of the content.
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// Decodes stored relations off the async workers (a registry holds millions).
async fn decode_relations(rows: Vec<AnyRow>) -> Result<Vec<Relation>, Error> {
    tokio::task::spawn_blocking(move || {
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("relation_id")?;
                let body: String = row.try_get("body")?;
                let source: String = row.try_get("source")?;
                join_relation(&id, &body, &source)
            })
            .collect()
    })
    .await
    .map_err(|e| Error::Background(e.to_string()))?
}

/// An entity together with the version it was read from.
#[derive(Debug, Clone)]
pub struct StoredEntity {
    /// The entity.
    pub entity: Entity,
    /// Its list version.
    pub version: ListVersion,
}

const VERSION_COLUMNS: &str = "v.list_id, v.version, v.format, v.entity_count, v.name_count, \
     v.imported_at, v.published, CAST(CASE WHEN l.active_version = v.version THEN 1 ELSE 0 END AS BIGINT) AS active";

fn version_from_row(row: &AnyRow) -> Result<ListVersion, Error> {
    let published: Option<String> = row.try_get("published")?;
    let count = |name: &str| -> Result<usize, Error> {
        let n: i64 = row.try_get(name)?;
        usize::try_from(n).map_err(|_| Error::Corrupt {
            what: format!("list version {name}"),
            reason: format!("negative count {n}"),
        })
    };
    let active: i64 = row.try_get("active")?;
    Ok(ListVersion {
        list: row.try_get("list_id")?,
        version: row.try_get("version")?,
        format: row.try_get("format")?,
        entities: count("entity_count")?,
        names: count("name_count")?,
        imported_at: row.try_get("imported_at")?,
        published: published.as_deref().and_then(PartialDate::parse),
        active: active == 1,
    })
}

/// Splits an entity into its content (stored once per hash) and its provenance.
fn split_entity(entity: &Entity) -> Result<(String, String), Error> {
    let corrupt = |e: serde_json::Error| Error::Invalid(format!("entity {}: {e}", entity.id));
    let mut body = serde_json::to_value(entity).map_err(corrupt)?;
    let source = body
        .as_object_mut()
        .and_then(|o| o.remove("source"))
        .unwrap_or(Value::Null);
    Ok((
        serde_json::to_string(&body).map_err(corrupt)?,
        serde_json::to_string(&source).map_err(corrupt)?,
    ))
}

/// Splits a relation into its id, content hash, content (its JSON, which leaves provenance
/// out) and provenance.
fn split_relation(relation: &Relation) -> Result<(String, String, String, String), Error> {
    let invalid = |e: serde_json::Error| Error::Invalid(format!("relation {}: {e}", relation.id));
    let body = serde_json::to_string(relation).map_err(invalid)?;
    let source = serde_json::to_string(&relation.source).map_err(invalid)?;
    Ok((relation.id.clone(), relation_hash(relation), body, source))
}

/// Rebuilds a relation from its stored content and provenance.
fn join_relation(relation_id: &str, body: &str, source: &str) -> Result<Relation, Error> {
    let corrupt = |e: serde_json::Error| Error::Corrupt {
        what: format!("relation {relation_id}"),
        reason: e.to_string(),
    };
    let mut relation: Relation = serde_json::from_str(body).map_err(corrupt)?;
    relation.source = serde_json::from_str(source).map_err(corrupt)?;
    Ok(relation)
}

/// Rebuilds an entity from its stored content and provenance (none: an empty record).
fn join_entity(entity_id: &str, body: &str, source: Option<&str>) -> Result<Entity, Error> {
    let corrupt = |e: serde_json::Error| Error::Corrupt {
        what: format!("entity {entity_id}"),
        reason: e.to_string(),
    };
    let mut value: Value = serde_json::from_str(body).map_err(corrupt)?;
    let source: SourceRecord = match source {
        Some(source) => serde_json::from_str(source).map_err(corrupt)?,
        None => SourceRecord::default(),
    };
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "source".into(),
            serde_json::to_value(source).map_err(corrupt)?,
        );
    }
    serde_json::from_value(value).map_err(corrupt)
}

async fn version_exists<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    list: &str,
    version: &str,
) -> Result<bool, Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM list_versions WHERE list_id = $1 AND version = $2 AND complete = 1",
    )
    .bind(list)
    .bind(version)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

/// Whether an import makes its version the active one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activation {
    /// Activate it, whatever is active now.
    Always,
    /// Activate it only if the list's active version is still this one (`None`: the list has
    /// no active version), checked in the activating transaction: of two imports that read
    /// the same active version, the second fails with [`Error::Conflict`] instead of
    /// silently undoing the first.
    IfActiveIs(Option<String>),
    /// Store it without activating it, for this reason (recorded in the audit trail).
    Keep(String),
}

/// Who imports what, and whether it becomes active: the import's audit record is written
/// in the transaction that completes and activates the version, so that no version is ever
/// active without its record.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The publication date the caller gives or the file states.
    pub published: Option<PartialDate>,
    /// The files the version was read from.
    pub source_files: &'a [String],
    /// Who imports (an API key id or `cli:<user>`).
    pub actor: &'a str,
    /// Whether to activate it.
    pub activation: Activation,
    /// Anything else the audit record should say of this import (the encoding used, a
    /// warning), merged into its payload.
    pub notes: Value,
}

/// One complete version of one list, read through `executor` (a pool or a transaction).
async fn version_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    list: &str,
    version: &str,
) -> Result<ListVersion, Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM list_versions v JOIN lists l ON l.list_id = v.list_id \
         WHERE v.list_id = $1 AND v.version = $2 AND v.complete = 1"
    );
    let row = sqlx::query(&sql)
        .bind(list)
        .bind(version)
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("version {version} of list {list}"),
        })?;
    version_from_row(&row)
}

impl Store {
    /// Imports a parsed list as a new version of `list`, atomically: either the whole
    /// version is stored (and, as `request` says, active) with its audit record, or nothing
    /// changed. Importing content that is already stored creates nothing (`unchanged`) and
    /// re-activates that version.
    pub async fn import(
        &self,
        list: &str,
        format: &str,
        entities: &[Entity],
        request: &ImportRequest<'_>,
    ) -> Result<ImportOutcome, Error> {
        let prepared = PreparedList::new(list, format, entities)?;
        self.import_prepared(&prepared, request).await
    }

    /// [`Store::import`] of a list already prepared.
    ///
    /// The write transaction that activates the version is kept short, since on SQLite every
    /// other write (the audit record of each screening) waits for it. The entity contents,
    /// then the version and its entity rows, are stored before it, in short transactions of
    /// their own, each taking its turn with this process's other writers (see
    /// `Store::writer_turn`). Until the last transaction marks it complete, the version is
    /// invisible to every read (`complete = 0`), so an import that fails halfway leaves only
    /// what nothing reads: a retry of the same content reuses it and completes the version.
    /// Every row is written `ON CONFLICT DO NOTHING`: it is determined by the version id
    /// (the hash of the content), so two replicas importing the same content at once write
    /// the same rows. The last transaction also appends the import's audit record.
    pub async fn import_prepared(
        &self,
        prepared: &PreparedList,
        request: &ImportRequest<'_>,
    ) -> Result<ImportOutcome, Error> {
        let PreparedList { list, version, .. } = prepared;
        if !version_exists(&self.pool, list, version).await? {
            self.insert_contents(prepared).await?;
            self.insert_version(prepared).await?;
        }
        let turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let previous: Option<String> =
            sqlx::query_scalar("SELECT active_version FROM lists WHERE list_id = $1")
                .bind(list)
                .fetch_one(&mut *tx)
                .await?;
        // Another process may have completed the same content meanwhile.
        let unchanged = version_exists(&mut *tx, list, version).await?;
        if !unchanged {
            let files = serde_json::to_string(request.source_files)
                .map_err(|e| Error::Invalid(format!("source file names: {e}")))?;
            let completed = sqlx::query(
                "UPDATE list_versions SET complete = 1, imported_at = $1, published = $2, \
                 source_files = $3 WHERE list_id = $4 AND version = $5 AND complete = 0",
            )
            .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .bind(request.published.map(|d| d.to_string()))
            .bind(files)
            .bind(list)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if completed.rows_affected() != 1 {
                return Err(Error::Corrupt {
                    what: format!("version {version} of list {list}"),
                    reason: "its rows were written but it is not there to complete".into(),
                });
            }
        }
        let activate = match &request.activation {
            Activation::Always => true,
            Activation::IfActiveIs(expected) if *expected == previous => true,
            Activation::IfActiveIs(expected) => {
                return Err(Error::Conflict(format!(
                    "the active version of list {list} changed during this import (it was {}, \
                     it is now {}); nothing was activated: import again to compare with the \
                     new one",
                    expected.as_deref().unwrap_or("none"),
                    previous.as_deref().unwrap_or("none"),
                )));
            }
            Activation::Keep(_) => false,
        };
        if activate {
            sqlx::query("UPDATE lists SET active_version = $1 WHERE list_id = $2")
                .bind(version)
                .bind(list)
                .execute(&mut *tx)
                .await?;
        }
        let stored = version_in(&mut *tx, list, version).await?;
        let activated = activate && previous.as_deref() != Some(version.as_str());
        let mut payload = json!({
            "list": stored.list,
            "version": stored.version,
            "format": stored.format,
            "entities": stored.entities,
            "names": stored.names,
            "published": stored.published.map(|d| d.to_string()),
            "source": request.source_files.join(", "),
            "unchanged": unchanged,
            "activated": activated,
            "previous_active": previous,
        });
        if let Activation::Keep(reason) = &request.activation {
            payload["kept_inactive"] = Value::String(reason.clone());
        }
        if let (Some(payload), Value::Object(notes)) = (payload.as_object_mut(), &request.notes) {
            for (key, value) in notes {
                payload.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        let record = NewAuditRecord {
            kind: AuditKind::Import,
            actor: request.actor.to_owned(),
            payload,
        }
        .prepare()?;
        let recorded = self.append_in(&mut tx, vec![record]).await?;
        tx.commit().await?;
        drop(turn);
        self.remember_head(&recorded)?;
        Ok(ImportOutcome {
            activated,
            version: stored,
            unchanged,
            previous_active: previous,
            audit_id: recorded.first().map(|r| r.id.clone()).unwrap_or_default(),
        })
    }

    /// Stores the distinct entity and relation contents of `prepared`, a batch per
    /// transaction.
    async fn insert_contents(&self, prepared: &PreparedList) -> Result<(), Error> {
        self.insert_distinct("entity_content", &prepared.rows)
            .await?;
        self.insert_distinct("relation_content", &prepared.relations)
            .await
    }

    /// Stores the distinct `(hash, body)` contents of `rows` in `table`, content-addressed.
    async fn insert_distinct(
        &self,
        table: &str,
        rows: &[(String, String, String, String)],
    ) -> Result<(), Error> {
        let mut seen = HashSet::new();
        let contents: Vec<_> = rows
            .iter()
            .filter(|(_, hash, _, _)| seen.insert(hash.as_str()))
            .collect();
        for chunk in contents.chunks(INSERT_BATCH) {
            let sql = format!(
                "INSERT INTO {table} (content_hash, body) VALUES {} \
                 ON CONFLICT (content_hash) DO NOTHING",
                placeholders(self.backend, chunk.len(), 2)
            );
            let mut query = sqlx::query(&sql);
            for (_, hash, body, _) in chunk {
                query = query.bind(hash.as_str()).bind(body.as_str());
            }
            self.write_batch(query).await?;
        }
        Ok(())
    }

    /// Creates the version of `prepared`, incomplete, and its entity rows (their contents
    /// are stored), a batch per transaction.
    async fn insert_version(&self, prepared: &PreparedList) -> Result<(), Error> {
        let PreparedList {
            list,
            format,
            version,
            names,
            rows,
            relations,
        } = prepared;
        let to_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        {
            let _turn = self.writer_turn.lock().await;
            let mut tx = self.write_tx().await?;
            sqlx::query(
                "INSERT INTO lists (list_id, active_version) VALUES ($1, NULL) \
                 ON CONFLICT (list_id) DO NOTHING",
            )
            .bind(list)
            .execute(&mut *tx)
            .await?;
            // The import date, publication date and files are set when it completes.
            sqlx::query(
                "INSERT INTO list_versions (list_id, version, format, entity_count, name_count, \
                 imported_at, published, source_files, complete, relation_count) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, '[]', 0, $7) \
                 ON CONFLICT (list_id, version) DO NOTHING",
            )
            .bind(list)
            .bind(version)
            .bind(format)
            .bind(to_i64(rows.len()))
            .bind(to_i64(*names))
            .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .bind(to_i64(relations.len()))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        self.insert_members("version_entities", "entity_id", list, version, rows)
            .await?;
        self.insert_members("version_relations", "relation_id", list, version, relations)
            .await
    }

    /// Stores which records (`(id, hash, _, source)` of `rows`) `version` of `list` holds in
    /// `table`, keyed by `id_column`, a batch per transaction.
    async fn insert_members(
        &self,
        table: &str,
        id_column: &str,
        list: &str,
        version: &str,
        rows: &[(String, String, String, String)],
    ) -> Result<(), Error> {
        for chunk in rows.chunks(INSERT_BATCH) {
            let sql = format!(
                "INSERT INTO {table} (list_id, version, {id_column}, content_hash, source) \
                 VALUES {} ON CONFLICT (list_id, version, {id_column}) DO NOTHING",
                placeholders(self.backend, chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for (id, hash, _, source) in chunk {
                query = query
                    .bind(list)
                    .bind(version)
                    .bind(id.as_str())
                    .bind(hash.as_str())
                    .bind(source.as_str());
            }
            self.write_batch(query).await?;
        }
        Ok(())
    }

    /// Runs one statement of an import in a transaction of its own, taking the writer's turn.
    async fn write_batch<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, AnyArguments<'q>>,
    ) -> Result<(), Error> {
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of every list, newest import first within each list.
    pub async fn versions(&self) -> Result<Vec<ListVersion>, Error> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions v JOIN lists l ON l.list_id = v.list_id \
             WHERE v.complete = 1 ORDER BY v.list_id, v.imported_at DESC, v.version"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Every version of one list, newest first.
    pub async fn list_versions(&self, list: &str) -> Result<Vec<ListVersion>, Error> {
        Ok(self
            .versions()
            .await?
            .into_iter()
            .filter(|v| v.list == list)
            .collect())
    }

    /// One version of one list.
    pub async fn version(&self, list: &str, version: &str) -> Result<ListVersion, Error> {
        version_in(&self.pool, list, version).await
    }

    /// Finds a version by its id or a unique prefix of it (at least 4 hex digits), optionally
    /// written `list@version`.
    pub async fn find_version(&self, reference: &str) -> Result<ListVersion, Error> {
        let (list, prefix) = match reference.split_once('@') {
            Some((list, prefix)) => (Some(list), prefix),
            None => (None, reference),
        };
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::Invalid(format!(
                "{reference:?} is not a version id (at least 4 hex digits)"
            )));
        }
        let found: Vec<ListVersion> = self
            .versions()
            .await?
            .into_iter()
            .filter(|v| v.version.starts_with(&prefix) && list.is_none_or(|l| v.list == l))
            .collect();
        match found.as_slice() {
            [] => Err(Error::NotFound {
                what: format!("version {reference}"),
            }),
            [one] => Ok(one.clone()),
            many => Err(Error::Ambiguous {
                prefix: reference.to_owned(),
                candidates: many
                    .iter()
                    .map(|v| format!("{}@{}", v.list, v.version))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The active version of every list, by list id.
    pub async fn active_versions(&self) -> Result<BTreeMap<String, ListVersion>, Error> {
        Ok(self
            .versions()
            .await?
            .into_iter()
            .filter(|v| v.active)
            .map(|v| (v.list.clone(), v))
            .collect())
    }

    /// Makes an already stored version the active one of its list (a rollback or a roll
    /// forward), with its audit record in the same transaction. Activating the version
    /// that is already active changes and records nothing; returns whether it changed.
    pub async fn activate(
        &self,
        list: &str,
        version: &str,
        actor: &str,
        reason: &str,
    ) -> Result<bool, Error> {
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let target = version_in(&mut *tx, list, version).await?;
        let previous: Option<String> =
            sqlx::query_scalar("SELECT active_version FROM lists WHERE list_id = $1")
                .bind(list)
                .fetch_one(&mut *tx)
                .await?;
        if previous.as_deref() == Some(version) {
            return Ok(false);
        }
        sqlx::query("UPDATE lists SET active_version = $1 WHERE list_id = $2")
            .bind(version)
            .bind(list)
            .execute(&mut *tx)
            .await?;
        let record = NewAuditRecord {
            kind: AuditKind::Activation,
            actor: actor.to_owned(),
            payload: json!({
                "list": list,
                "version": version,
                "published": target.published.map(|d| d.to_string()),
                "previous_active": previous,
                "reason": reason,
            }),
        }
        .prepare()?;
        let recorded = self.append_in(&mut tx, vec![record]).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(true)
    }

    /// The entity ids of one version, in id order (what a shrink check compares).
    pub async fn version_entity_ids(
        &self,
        list: &str,
        version: &str,
    ) -> Result<Vec<String>, Error> {
        let hashes = self.version_entity_hashes(list, version).await?;
        Ok(hashes.into_iter().map(|(id, _)| id).collect())
    }

    /// The entity ids of one version with their content hashes, in id order: what an
    /// entity's history (first seen, last changed) is computed from without decoding the
    /// entities.
    pub async fn version_entity_hashes(
        &self,
        list: &str,
        version: &str,
    ) -> Result<Vec<(String, String)>, Error> {
        let rows = sqlx::query(
            "SELECT ve.entity_id, ve.content_hash FROM version_entities ve \
             JOIN list_versions v ON v.list_id = ve.list_id AND v.version = ve.version \
             WHERE ve.list_id = $1 AND ve.version = $2 AND v.complete = 1 \
             ORDER BY ve.entity_id",
        )
        .bind(list)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("entity_id")?, row.try_get("content_hash")?)))
            .collect()
    }

    /// The entities of one version, in id order.
    pub async fn version_entities(&self, list: &str, version: &str) -> Result<Vec<Entity>, Error> {
        let rows = sqlx::query(
            "SELECT ve.entity_id, c.body, ve.source FROM version_entities ve \
             JOIN list_versions v ON v.list_id = ve.list_id AND v.version = ve.version \
             JOIN entity_content c ON c.content_hash = ve.content_hash \
             WHERE ve.list_id = $1 AND ve.version = $2 AND v.complete = 1 \
             ORDER BY ve.entity_id",
        )
        .bind(list)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        // Decoding a list's thousands of entities is CPU work: off the async workers, where
        // it would hold up every request they serve (a server reloading its index after an
        // import).
        tokio::task::spawn_blocking(move || {
            rows.iter()
                .map(|row| {
                    let id: String = row.try_get("entity_id")?;
                    let body: String = row.try_get("body")?;
                    let source: String = row.try_get("source")?;
                    join_entity(&id, &body, Some(&source))
                })
                .collect()
        })
        .await
        .map_err(|e| Error::Background(e.to_string()))?
    }

    /// The ownership and control relations of one version, in id order.
    pub async fn version_relations(
        &self,
        list: &str,
        version: &str,
    ) -> Result<Vec<Relation>, Error> {
        let rows = sqlx::query(
            "SELECT vr.relation_id, c.body, vr.source FROM version_relations vr \
             JOIN list_versions v ON v.list_id = vr.list_id AND v.version = vr.version \
             JOIN relation_content c ON c.content_hash = vr.content_hash \
             WHERE vr.list_id = $1 AND vr.version = $2 AND v.complete = 1 \
             ORDER BY vr.relation_id",
        )
        .bind(list)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        decode_relations(rows).await
    }

    /// The relations of every list's active version, in list and id order: the ownership
    /// graph's data.
    pub async fn active_relations(&self) -> Result<Vec<Relation>, Error> {
        let rows = sqlx::query(
            "SELECT vr.relation_id, c.body, vr.source FROM version_relations vr \
             JOIN lists l ON l.list_id = vr.list_id AND l.active_version = vr.version \
             JOIN list_versions v ON v.list_id = vr.list_id AND v.version = vr.version \
             JOIN relation_content c ON c.content_hash = vr.content_hash \
             WHERE v.complete = 1 ORDER BY vr.list_id, vr.relation_id",
        )
        .fetch_all(&self.pool)
        .await?;
        decode_relations(rows).await
    }

    /// How many relations a version holds (0 for a list of entities only).
    pub async fn relation_count(&self, list: &str, version: &str) -> Result<usize, Error> {
        let count: i64 = sqlx::query_scalar(
            "SELECT relation_count FROM list_versions WHERE list_id = $1 AND version = $2 \
             AND complete = 1",
        )
        .bind(list)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("version {version} of list {list}"),
        })?;
        usize::try_from(count).map_err(|_| Error::Corrupt {
            what: format!("version {version} of list {list}"),
            reason: format!("negative relation count {count}"),
        })
    }

    /// The entities of every list's active version, with those versions.
    pub async fn active_entities(
        &self,
    ) -> Result<(BTreeMap<String, ListVersion>, Vec<Entity>), Error> {
        let active = self.active_versions().await?;
        let mut entities = Vec::new();
        for version in active.values() {
            entities.extend(
                self.version_entities(&version.list, &version.version)
                    .await?,
            );
        }
        Ok((active, entities))
    }

    /// One entity by id: from its list's active version, or else from the newest version
    /// that has it (a delisted entity stays inspectable).
    pub async fn entity(&self, id: &str) -> Result<StoredEntity, Error> {
        let rows = sqlx::query(
            "SELECT ve.list_id, ve.version, c.body, ve.source FROM version_entities ve \
             JOIN list_versions v ON v.list_id = ve.list_id AND v.version = ve.version \
             JOIN entity_content c ON c.content_hash = ve.content_hash \
             WHERE ve.entity_id = $1 AND v.complete = 1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut best: Option<StoredEntity> = None;
        for row in &rows {
            let list: String = row.try_get("list_id")?;
            let version: String = row.try_get("version")?;
            let version = self.version(&list, &version).await?;
            let better = match &best {
                None => true,
                Some(current) => {
                    (version.active, &version.imported_at)
                        > (current.version.active, &current.version.imported_at)
                }
            };
            if better {
                let body: String = row.try_get("body")?;
                let source: String = row.try_get("source")?;
                best = Some(StoredEntity {
                    entity: join_entity(id, &body, Some(&source))?,
                    version,
                });
            }
        }
        best.ok_or_else(|| Error::NotFound {
            what: format!("entity {id}"),
        })
    }

    /// What changed from version `old` to version `new`. Unchanged entities are recognised by
    /// their content hash without being decoded.
    pub async fn diff(&self, old: &ListVersion, new: &ListVersion) -> Result<ListDiff, Error> {
        let hashes = |v: &ListVersion| {
            let (list, version) = (v.list.clone(), v.version.clone());
            async move {
                let rows = sqlx::query(
                    "SELECT entity_id, content_hash FROM version_entities \
                     WHERE list_id = $1 AND version = $2",
                )
                .bind(list)
                .bind(version)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("entity_id")?, r.try_get("content_hash")?)))
                    .collect::<Result<HashMap<String, String>, Error>>()
            }
        };
        let before = hashes(old).await?;
        let after = hashes(new).await?;
        let mut diff = ListDiff::default();
        let mut changed_ids: Vec<String> = Vec::new();
        for (id, hash) in &after {
            match before.get(id) {
                None => diff.added.push(id.clone()),
                Some(old_hash) if old_hash != hash => changed_ids.push(id.clone()),
                Some(_) => {}
            }
        }
        diff.removed = before
            .keys()
            .filter(|id| !after.contains_key(*id))
            .cloned()
            .collect();
        diff.added.sort();
        diff.removed.sort();
        changed_ids.sort();
        for id in changed_ids {
            let old_entity = self.body(&before, &id).await?;
            let new_entity = self.body(&after, &id).await?;
            let fields = interdict_model::diff_entities([&old_entity], [&new_entity])
                .changed
                .into_iter()
                .flat_map(|c| c.fields)
                .collect();
            diff.changed.push(ChangedEntity { id, fields });
        }
        Ok(diff)
    }

    async fn body(&self, hashes: &HashMap<String, String>, id: &str) -> Result<Entity, Error> {
        let hash = hashes.get(id).ok_or_else(|| Error::NotFound {
            what: format!("entity {id}"),
        })?;
        let body: String =
            sqlx::query_scalar("SELECT body FROM entity_content WHERE content_hash = $1")
                .bind(hash)
                .fetch_one(&self.pool)
                .await?;
        join_entity(id, &body, None)
    }
}
