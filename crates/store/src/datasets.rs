//! Dataset collections: named sets of lists that yente's API answers for as one dataset
//! (`sanctions` = `ofac-sdn`, `un-sc`, `eu-fsf`, ...). The store keeps them; what a valid
//! name or list is, is the application's rule. Setting and removing one is recorded in the
//! audit trail in the same transaction.

use serde::Serialize;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditKind, NewAuditRecord};
use crate::{Error, Store};

/// A stored collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetCollection {
    /// Its name, as `/match/{name}` takes it.
    pub name: String,
    /// A title for people (the catalog's `title`).
    pub title: String,
    /// The list ids it holds, sorted.
    pub lists: Vec<String>,
    /// When it was last set (RFC 3339).
    pub updated_at: String,
    /// Who last set it.
    pub updated_by: String,
}

const COLLECTION_COLUMNS: &str = "name, title, lists, updated_at, updated_by";

fn collection_from_row(row: &AnyRow) -> Result<DatasetCollection, Error> {
    let name: String = row.try_get("name")?;
    let lists: String = row.try_get("lists")?;
    let lists = serde_json::from_str(&lists).map_err(|e| Error::Corrupt {
        what: format!("dataset collection {name}"),
        reason: e.to_string(),
    })?;
    Ok(DatasetCollection {
        name,
        title: row.try_get("title")?,
        lists,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
    })
}

impl Store {
    /// Every collection, by name.
    pub async fn dataset_collections(&self) -> Result<Vec<DatasetCollection>, Error> {
        let sql = format!("SELECT {COLLECTION_COLUMNS} FROM dataset_collections ORDER BY name");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(collection_from_row).collect()
    }

    /// One collection, if there is one of that name.
    pub async fn dataset_collection(&self, name: &str) -> Result<Option<DatasetCollection>, Error> {
        let sql = format!("SELECT {COLLECTION_COLUMNS} FROM dataset_collections WHERE name = $1");
        let row = sqlx::query(&sql)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(collection_from_row).transpose()
    }

    /// Creates or replaces collection `name` with `title` and `lists` (stored sorted and
    /// without repeats), recording the change by `actor` in the audit trail.
    pub async fn set_dataset_collection(
        &self,
        name: &str,
        title: &str,
        lists: &[String],
        actor: &str,
    ) -> Result<DatasetCollection, Error> {
        let mut lists = lists.to_vec();
        lists.sort();
        lists.dedup();
        let collection = DatasetCollection {
            name: name.to_owned(),
            title: title.to_owned(),
            lists,
            updated_at: crate::portfolio::now(),
            updated_by: actor.to_owned(),
        };
        let encoded = serde_json::to_string(&collection.lists).map_err(|e| Error::Corrupt {
            what: format!("dataset collection {name}"),
            reason: e.to_string(),
        })?;
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let previous: Option<String> =
            sqlx::query_scalar("SELECT lists FROM dataset_collections WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO dataset_collections (name, title, lists, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO UPDATE SET title = excluded.title, lists = excluded.lists, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&collection.name)
        .bind(&collection.title)
        .bind(&encoded)
        .bind(&collection.updated_at)
        .bind(&collection.updated_by)
        .execute(&mut *tx)
        .await?;
        let previous_lists: Option<Vec<String>> =
            previous.and_then(|text| serde_json::from_str(&text).ok());
        let record = NewAuditRecord {
            kind: AuditKind::Dataset,
            actor: actor.to_owned(),
            payload: json!({
                "action": "set",
                "name": collection.name,
                "title": collection.title,
                "lists": collection.lists,
                "previous_lists": previous_lists,
            }),
        }
        .prepare()?;
        let recorded = self.append_in(&mut tx, vec![record]).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(collection)
    }

    /// Removes collection `name`, recording it by `actor`; [`Error::NotFound`] when there
    /// is none of that name (and nothing is recorded).
    pub async fn remove_dataset_collection(
        &self,
        name: &str,
        actor: &str,
    ) -> Result<DatasetCollection, Error> {
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let sql = format!("SELECT {COLLECTION_COLUMNS} FROM dataset_collections WHERE name = $1");
        let row = sqlx::query(&sql)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("dataset collection {name}"),
            })?;
        let removed = collection_from_row(&row)?;
        sqlx::query("DELETE FROM dataset_collections WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let record = NewAuditRecord {
            kind: AuditKind::Dataset,
            actor: actor.to_owned(),
            payload: json!({"action": "remove", "name": name, "lists": removed.lists}),
        }
        .prepare()?;
        let recorded = self.append_in(&mut tx, vec![record]).await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(removed)
    }
}
