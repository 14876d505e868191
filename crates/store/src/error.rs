//! Store errors.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database could not be opened. Why is the error's `source()`, not repeated in its
    /// message (printing the chain would say it twice).
    #[error("cannot open store {location}")]
    Open {
        /// The path or URL given.
        location: String,
        /// Why.
        source: sqlx::Error,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("cannot migrate the store: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Nothing matches what was asked for.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. `version 3fa2`.
        what: String,
    },
    /// A version prefix matches more than one version.
    #[error("version prefix {prefix:?} is ambiguous: {candidates}")]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// The versions it matches, comma-separated.
        candidates: String,
    },
    /// A stored record does not decode: the store was altered outside interdict.
    #[error("stored data is corrupt ({what}): {reason}")]
    Corrupt {
        /// Which record.
        what: String,
        /// Why it does not decode.
        reason: String,
    },
    /// The operating system gave no randomness for an id or a key.
    #[error("no randomness from the operating system: {0}")]
    Randomness(String),
    /// The process's audit writer failed (a poisoned lock, a writer task that stopped): the
    /// store's fault, never the caller's.
    #[error("the audit writer failed: {0}")]
    AuditWriter(&'static str),
    /// The audit key file cannot be created, read or trusted.
    #[error("audit key file {path}: {reason}")]
    AuditKey {
        /// The key file's path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A store with no file of its own (Postgres) was opened without an audit key file.
    #[error(
        "a Postgres store needs an audit key file, the same one on every replica: give \
         --audit-key-file PATH or set INTERDICT_AUDIT_KEY_FILE (it is created there if missing)"
    )]
    AuditKeyRequired,
    /// Work moved off the async workers (decoding many entities) panicked or was cancelled.
    #[error("a background task of the store failed: {0}")]
    Background(String),
    /// An audit append committed together with others failed with them.
    #[error("{0}")]
    Grouped(std::sync::Arc<Error>),
    /// The state changed under the request (another import activated a version meanwhile).
    #[error("{0}")]
    Conflict(String),
    /// The caller passed something unusable (an empty list id, an entity of another list).
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl Error {
    /// Whether the error is the caller's fault (bad id, unknown version) rather than the
    /// store's.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::NotFound { .. }
                | Error::Ambiguous { .. }
                | Error::Invalid(_)
                | Error::Conflict(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_error_says_its_cause_once_in_its_chain() {
        let error = Error::Open {
            location: "/nowhere/store.db".into(),
            source: sqlx::Error::PoolTimedOut,
        };
        let cause = sqlx::Error::PoolTimedOut.to_string();
        assert_eq!(error.to_string(), "cannot open store /nowhere/store.db");
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some(cause.as_str()));
    }
}
