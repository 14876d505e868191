//! API keys: created with a role, shown once, stored only as the SHA-256 of their secret.
//!
//! A key reads `idk_<id>_<secret>`: 16 hex digits of public id (what logs, metrics and the
//! audit trail name) and 64 hex digits (256 bits) of secret from the operating system's
//! random source. Authentication finds the key by id and compares the hash of the presented
//! secret with the stored one in constant time. Creating and revoking a key are recorded in
//! the audit trail in the same transaction.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use subtle::ConstantTimeEq;

use crate::audit::{AuditKind, NewAuditRecord, random_hex};
use crate::{Error, Store};

/// Longest key name, in characters.
pub const MAX_KEY_NAME_CHARS: usize = 64;

/// Checks a key name (leading and trailing spaces aside): at most [`MAX_KEY_NAME_CHARS`]
/// letters, digits, spaces and `. _ - @ : / + ( ) ,`, or empty. Names are printed in tables
/// and logs, so nothing that a terminal would interpret (escapes, control characters) gets in.
pub fn check_key_name(name: &str) -> Result<(), Error> {
    let name = name.trim();
    let chars = name.chars().count();
    let valid = chars <= MAX_KEY_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || "._-@:/+(),".contains(c));
    if valid {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "\"{}\" is not a key name: use at most {MAX_KEY_NAME_CHARS} letters, digits, spaces \
             and . _ - @ : / + ( ) ,",
            name.escape_debug()
        )))
    }
}

const KEY_PREFIX: &str = "idk_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// What a key may do. Each role may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Screens names, reads lists and entities.
    Screener,
    /// Also reads the audit trail's screenings.
    Analyst,
    /// Also verifies and exports the audit trail.
    Reviewer,
    /// Also imports lists and manages keys.
    Admin,
}

impl Role {
    /// Every role, from least to most allowed.
    pub const ALL: [Role; 4] = [Role::Screener, Role::Analyst, Role::Reviewer, Role::Admin];

    /// The role's name, e.g. `screener`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Screener => "screener",
            Role::Analyst => "analyst",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == wanted)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown role {s:?}; the roles are screener, analyst, reviewer, admin"
                ))
            })
    }
}

/// A key as stored: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// The public id, 16 hex digits.
    pub id: String,
    /// What the key is for, e.g. `payments-service`.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// A freshly created key: the only time its secret exists outside the caller's hands.
#[derive(Clone)]
pub struct NewKey {
    /// The stored part.
    pub info: KeyInfo,
    /// The full key to hand over, `idk_<id>_<secret>`; it cannot be shown again.
    pub key: String,
}

impl fmt::Debug for NewKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewKey")
            .field("info", &self.info)
            .field("key", &"<redacted>")
            .finish()
    }
}

fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Splits a presented key into id and secret; `None` when it cannot be a key at all.
fn split_key(key: &str) -> Option<(&str, &str)> {
    let (id, secret) = key.trim().strip_prefix(KEY_PREFIX)?.split_once('_')?;
    (is_hex(id, ID_BYTES * 2) && is_hex(secret, SECRET_BYTES * 2)).then_some((id, secret))
}

const KEY_COLUMNS: &str = "key_id, name, role, created_at, revoked_at";

fn key_from_row(row: &AnyRow) -> Result<KeyInfo, Error> {
    let id: String = row.try_get("key_id")?;
    let role: String = row.try_get("role")?;
    Ok(KeyInfo {
        role: role.parse().map_err(|_| Error::Corrupt {
            what: format!("API key {id}"),
            reason: format!("unknown role {role:?}"),
        })?,
        id,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// Creates a key with `role`, recording the creation by `actor` in the audit trail.
    /// Fails with [`Error::Invalid`] for a name [`check_key_name`] refuses.
    pub async fn create_key(&self, role: Role, name: &str, actor: &str) -> Result<NewKey, Error> {
        check_key_name(name)?;
        let id = random_hex(ID_BYTES)?;
        let secret = random_hex(SECRET_BYTES)?;
        let info = KeyInfo {
            id: id.clone(),
            name: name.trim().to_owned(),
            role,
            created_at: now(),
            revoked_at: None,
        };
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO api_keys (key_id, name, role, secret_hash, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(&info.id)
        .bind(&info.name)
        .bind(role.as_str())
        .bind(secret_hash(&secret))
        .bind(&info.created_at)
        .execute(&mut *tx)
        .await?;
        let recorded = self
            .append_in(
                &mut tx,
                vec![
                    NewAuditRecord {
                        kind: AuditKind::Key,
                        actor: actor.to_owned(),
                        payload: json!({
                            "action": "create",
                            "key_id": info.id,
                            "name": info.name,
                            "role": role.as_str(),
                        }),
                    }
                    .prepare()?,
                ],
            )
            .await?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(NewKey {
            key: format!("{KEY_PREFIX}{id}_{secret}"),
            info,
        })
    }

    /// Every key, revoked ones included, oldest first.
    pub async fn keys(&self) -> Result<Vec<KeyInfo>, Error> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(key_from_row).collect()
    }

    /// Revokes a key for good, recording it in the audit trail. Revoking a revoked key
    /// changes nothing and records nothing.
    pub async fn revoke_key(&self, id: &str, actor: &str) -> Result<KeyInfo, Error> {
        let _turn = self.writer_turn.lock().await;
        let mut tx = self.write_tx().await?;
        let revoked = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut recorded = Vec::new();
        if revoked.rows_affected() > 0 {
            recorded = self
                .append_in(
                    &mut tx,
                    vec![
                        NewAuditRecord {
                            kind: AuditKind::Key,
                            actor: actor.to_owned(),
                            payload: json!({ "action": "revoke", "key_id": id }),
                        }
                        .prepare()?,
                    ],
                )
                .await?;
        }
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE key_id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("API key {id}"),
            })?;
        let info = key_from_row(&row)?;
        tx.commit().await?;
        self.remember_head(&recorded)?;
        Ok(info)
    }

    /// The key that `presented` is, if it is a valid, unrevoked key.
    pub async fn authenticate(&self, presented: &str) -> Result<Option<KeyInfo>, Error> {
        let Some((id, secret)) = split_key(presented) else {
            return Ok(None);
        };
        let sql = format!("SELECT {KEY_COLUMNS}, secret_hash FROM api_keys WHERE key_id = $1");
        let Some(row) = sqlx::query(&sql)
            .bind(id.to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let stored: String = row.try_get("secret_hash")?;
        let presented_hash = secret_hash(&secret.to_ascii_lowercase());
        let matches: bool = presented_hash.as_bytes().ct_eq(stored.as_bytes()).into();
        let info = key_from_row(&row)?;
        Ok((matches && info.revoked_at.is_none()).then_some(info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_keys_are_looked_up() {
        let id = "0123456789abcdef";
        let secret = "ab".repeat(32);
        assert_eq!(
            split_key(&format!("idk_{id}_{secret}")),
            Some((id, secret.as_str()))
        );
        assert_eq!(
            split_key(&format!("  idk_{id}_{secret}\n")).map(|k| k.0),
            Some(id)
        );
        for bad in [
            String::new(),
            "idk_".into(),
            format!("idk_{id}"),
            format!("xyz_{id}_{secret}"),
            format!("idk_{id}_{}", &secret[1..]),
            format!("idk_{}_{secret}", &id[1..]),
            format!("idk_{id}_{}zz", &secret[2..]),
            format!("idk_{id}_{secret}_extra"),
        ] {
            assert_eq!(split_key(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn roles_are_ordered_and_parse_back() {
        assert!(Role::Screener < Role::Analyst);
        assert!(Role::Analyst < Role::Reviewer);
        assert!(Role::Reviewer < Role::Admin);
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn key_names_are_short_and_printable() {
        for good in [
            "",
            "  payments ",
            "ops team (EU)",
            "ci@build:42",
            "Zahlungsverkehr",
        ] {
            assert!(check_key_name(good).is_ok(), "{good:?}");
        }
        let long = "k".repeat(MAX_KEY_NAME_CHARS + 1);
        for bad in [
            "\u{1b}[31mred",
            "tab\there",
            "new\nline",
            "quote\"",
            long.as_str(),
        ] {
            match check_key_name(bad) {
                Err(Error::Invalid(message)) => {
                    assert!(!message.contains('\u{1b}'), "escaped: {message:?}")
                }
                other => panic!("{bad:?} accepted: {other:?}"),
            }
        }
    }
}
