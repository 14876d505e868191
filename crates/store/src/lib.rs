//! The versioned list store of interdict, on SQLite (embedded, the default) or Postgres.
//!
//! Every import of a list creates an immutable version identified by the SHA-256 of its
//! canonical content ([`interdict_model::content_hash`]); importing the same content again
//! creates nothing. One version per list is active. Entity bodies are content-addressed, so an
//! entity that did not change between two versions is stored once, and a diff between two
//! versions is a comparison of content hashes.
//!
//! The store speaks to both databases through sqlx's `Any` driver with one portable SQL dialect
//! (`$n` placeholders, TEXT and BIGINT columns; multi-row INSERTs get SQLite's `?` from
//! [`placeholders`]); only the migrations differ per backend. It
//! knows `interdict-model` and nothing else of the workspace.

#![deny(missing_docs)]

mod alerts;
mod audit;
mod audit_key;
mod datasets;
mod error;
mod keys;
mod lists;
mod portfolio;
mod webhooks;

pub use alerts::{
    Alert, AlertDetail, AlertEvent, AlertFilter, AlertKey, AlertStatus, AlertSubjectKind, Decision,
    DecisionRecord, MonitorRun, MonitorRunOutcome, NewAlert, NewPaymentAlert, Proposal,
    ProposalState,
};
pub use audit::{
    AuditBreak, AuditKind, AuditRecord, AuditVerification, GENESIS_HASH, NewAuditRecord,
    chain_input, keyed_chain_input,
};
pub use audit_key::AuditCheckpoint;
pub use datasets::DatasetCollection;
pub use error::Error;
pub use interdict_model::AlertReason;
pub use keys::{KeyInfo, MAX_KEY_NAME_CHARS, NewKey, Role, check_key_name};
pub use lists::{Activation, ImportOutcome, ImportRequest, PreparedList, StoredEntity};
pub use portfolio::{
    Customer, MonitorState, Pending, PortfolioSnapshot, RemoveOutcome, StoredCustomer,
    UpsertOutcome,
};
pub use webhooks::{Delivery, Webhook};

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions};

/// How every SQLite connection is set up.
const SQLITE_PRAGMAS: &[&str] = &[
    // WAL lets readers go on while an import writes; the busy timeout makes a writer wait
    // for another process's write instead of failing.
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA foreign_keys = ON",
    // Readers' setting; the writer's is `SQLITE_WRITER_SYNCHRONOUS`.
    "PRAGMA synchronous = NORMAL",
    // The commit that fills the log past this many pages copies it back into the database,
    // stalling every append queued behind it; a long-running server checkpoints in the
    // background instead (`checkpoint`), so this is only the backstop.
    "PRAGMA wal_autocheckpoint = 16384",
    // 8 MiB of pages per connection (the default is 2): the audit trail's index pages stay
    // in memory instead of being read back per append.
    "PRAGMA cache_size = -8192",
];

/// The writer connection's durability. In WAL mode a commit is durable when the committing
/// connection syncs the log, and NORMAL does not: a screening answered 200 could vanish on a
/// power loss. FULL syncs the log at every commit; the audit trail's group commit (one
/// transaction for all the appends queued meanwhile) spreads that sync over them.
const SQLITE_WRITER_SYNCHRONOUS: &str = "PRAGMA synchronous = FULL";

/// Which of the store's pools a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PoolRole {
    /// Queries, and the writes that need no durability (checkpoints, migrations).
    Readers,
    /// Every write that is acknowledged to a caller.
    Writer,
}

/// How the store's pools connect: on SQLite, every connection gets [`SQLITE_PRAGMAS`], and
/// the writer's also [`SQLITE_WRITER_SYNCHRONOUS`].
fn pool_options(backend: Backend, max_connections: u32, role: PoolRole) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        // An embedded database's connection cannot drop away; pinging it before each use
        // is one more round trip to its worker thread per query. A Postgres server can
        // restart, so its connections are checked.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    for pragma in SQLITE_PRAGMAS {
                        sqlx::query(pragma).execute(&mut *conn).await?;
                    }
                    if role == PoolRole::Writer {
                        sqlx::query(SQLITE_WRITER_SYNCHRONOUS)
                            .execute(&mut *conn)
                            .await?;
                    }
                }
                Ok(())
            })
        })
}

/// How long opening a Postgres store waits for the server to answer.
const POSTGRES_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Connects once to the Postgres server at `url` and says plainly what failed: connection
/// refused, unknown host, no answer, authentication, a missing database. A pool only says
/// that it timed out (it retries a refused connection until its acquire timeout), so
/// without this a wrong port reads "pool timed out" after 30 seconds.
async fn check_postgres(url: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    use sqlx::postgres::{PgConnectOptions, PgConnection};
    let target = PgConnectOptions::from_str(url)?;
    let server = format!("{}:{}", target.get_host(), target.get_port());
    // `tokio::time` is enabled through sqlx's `runtime-tokio`.
    let attempt = tokio::time::timeout(
        POSTGRES_CONNECT_TIMEOUT,
        PgConnection::connect_with(&target),
    )
    .await;
    let problem = match attempt {
        Ok(Ok(connection)) => {
            connection.close().await.ok();
            return Ok(());
        }
        Err(_) => format!(
            "no answer from {server} within {} s (a firewall, or the wrong host?)",
            POSTGRES_CONNECT_TIMEOUT.as_secs()
        ),
        Ok(Err(sqlx::Error::Io(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("connection refused by {server}: is PostgreSQL running and listening there?")
        }
        Ok(Err(sqlx::Error::Io(e)))
            if [
                "lookup address",
                "not known",
                "nodename nor servname",
                "No address",
            ]
            .iter()
            .any(|needle| e.to_string().contains(needle)) =>
        {
            format!("unknown host {:?}: {e}", target.get_host())
        }
        Ok(Err(sqlx::Error::Database(e))) => {
            let user = target.get_username();
            let database = target.get_database().unwrap_or(user);
            match e.code().as_deref() {
                Some("28P01" | "28000") => {
                    format!(
                        "authentication failed for user {user:?} at {server}: {}",
                        e.message()
                    )
                }
                Some("3D000") => format!(
                    "database {database:?} does not exist at {server} (create it with `createdb {database}`)"
                ),
                _ => format!("{server} refused the connection: {}", e.message()),
            }
        }
        Ok(Err(e)) => format!("cannot connect to {server}: {e}"),
    };
    Err(sqlx::Error::Io(std::io::Error::other(problem)))
}

/// `location` with any password in a URL replaced by `***`, for messages.
fn redact_password(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => {
                format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
            }
            None => location.to_owned(),
        },
        None => location.to_owned(),
    }
}

/// `rows` parenthesised rows of `columns` placeholders each, for a multi-row INSERT whose
/// only parameters they are. SQLite gets anonymous `?`s: sqlx looks up the name of every
/// numbered parameter in a list as long as the statement's, which made binding a batch
/// of rows quadratic (a tenth of an audit append's database time at 100 parameters).
pub(crate) fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    let cell = |n: usize| match backend {
        Backend::Sqlite => "?".to_owned(),
        Backend::Postgres => format!("${n}"),
    };
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=columns).map(|c| cell(r * columns + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A Postgres server.
    Postgres,
}

/// A handle on the store: cheap to clone, safe to share between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// What writes go through: on SQLite a pool of one connection of its own, on Postgres
    /// the same pool as reads.
    writer: AnyPool,
    backend: Backend,
    /// The writes of this process that others would wait for take turns here: audit appends
    /// (see `audit.rs`), key changes and imports. The lock is fair, where SQLite's busy
    /// handler (sleeps of up to 100 ms between tries) lets a writer that comes straight back,
    /// like an import's batches, hold off the screenings' records for its whole length.
    writer_turn: Arc<tokio::sync::Mutex<()>>,
    /// Audit appends waiting to be committed together (see `audit.rs`).
    audit_queue: Arc<std::sync::Mutex<Vec<audit::QueuedAppend>>>,
    /// The audit chain's head as this process last wrote or read it (see `audit.rs`).
    audit_head: Arc<std::sync::Mutex<Option<audit::ChainHead>>>,
    /// The secret the audit chain is keyed with, in a file outside the database.
    audit_key: Arc<audit_key::KeySlot>,
}

/// How a store is opened beyond its location.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct OpenOptions {
    /// The audit key file (created there with 0600 permissions by the first append that
    /// needs it). Without it an
    /// SQLite store's key is `<database file>.audit-key`, an in-memory store's lives and dies
    /// with the process, and a Postgres store cannot be opened ([`Error::AuditKeyRequired`]):
    /// its replicas must share one key file.
    pub audit_key_file: Option<PathBuf>,
}

impl OpenOptions {
    /// Options that read the audit key from `path`.
    pub fn with_audit_key_file(path: impl Into<PathBuf>) -> OpenOptions {
        OpenOptions {
            audit_key_file: Some(path.into()),
        }
    }
}

impl Store {
    /// Opens (creating and migrating if needed) the store at `location`: a `postgres://` URL,
    /// a `sqlite:` URL, or a file path for an embedded SQLite store. Its audit key is the one
    /// [`OpenOptions::default`] finds (beside an SQLite file); a Postgres store needs
    /// [`Store::open_with`].
    pub async fn open(location: &str) -> Result<Store, Error> {
        Store::open_with(location, &OpenOptions::default()).await
    }

    /// [`Store::open`] with options: where the audit key file is. An existing key file is read
    /// now, and refused if others may read it.
    pub async fn open_with(location: &str, options: &OpenOptions) -> Result<Store, Error> {
        install_default_drivers();
        let (url, backend, database_file) =
            if location.starts_with("postgres://") || location.starts_with("postgresql://") {
                (location.to_owned(), Backend::Postgres, None)
            } else {
                let path = location.strip_prefix("sqlite://").unwrap_or(location);
                let path = path.strip_prefix("sqlite:").unwrap_or(path);
                let in_memory = path.is_empty() || path.starts_with(":memory:");
                // Build the URL through SqliteConnectOptions so paths with odd characters survive.
                let connect = SqliteConnectOptions::from_str("sqlite://")?
                    .filename(path)
                    .create_if_missing(true);
                let file = (!in_memory).then(|| PathBuf::from(path));
                (connect.to_url_lossy().to_string(), Backend::Sqlite, file)
            };
        if backend == Backend::Postgres {
            check_postgres(&url).await.map_err(|source| Error::Open {
                location: redact_password(location),
                source,
            })?;
        }
        let key_file = match (&options.audit_key_file, &database_file) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(file)) => Some(audit_key::beside(file)),
            (None, None) if backend == Backend::Postgres => return Err(Error::AuditKeyRequired),
            (None, None) => None,
        };
        let audit_key = audit_key::KeySlot::open(key_file)?;
        let open = |max_connections, role| {
            let url = url.as_str();
            async move {
                let options = pool_options(backend, max_connections, role);
                // A server that went away after the check above is reported within seconds,
                // not after sqlx's default of 30.
                let options = match backend {
                    Backend::Postgres => options.acquire_timeout(POSTGRES_CONNECT_TIMEOUT * 2),
                    Backend::Sqlite => options,
                };
                options.connect(url).await.map_err(|source| Error::Open {
                    location: redact_password(location),
                    source,
                })
            }
        };
        let pool = match backend {
            Backend::Sqlite => open(4, PoolRole::Readers).await?,
            Backend::Postgres => open(16, PoolRole::Writer).await?,
        };
        // SQLite has one writer at a time. Writing always through the same connection keeps
        // that connection's page cache valid from one write to the next; writes through
        // whichever pooled connection is free made each one re-read the pages the previous
        // write changed (a quarter of the audit appends' database time). It also queues this
        // process's writers in the pool, in order, instead of in SQLite's busy handler.
        let writer = match backend {
            Backend::Sqlite => open(1, PoolRole::Writer).await?,
            Backend::Postgres => pool.clone(),
        };
        let store = Store {
            pool,
            writer,
            backend,
            writer_turn: Arc::default(),
            audit_queue: Arc::default(),
            audit_head: Arc::default(),
            audit_key: Arc::new(audit_key),
        };
        store.migrate().await?;
        store.refuse_a_missing_key_for_a_keyed_trail().await?;
        Ok(store)
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Copies what the write-ahead log of an embedded store holds back into the database
    /// without waiting for (or blocking) readers and writers, so that commits need not do it.
    /// Postgres manages its own log: nothing to do there.
    pub async fn checkpoint(&self) -> Result<(), Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock first (`BEGIN
    /// IMMEDIATE`): a transaction that has read and then wants to write while another
    /// connection holds the lock is failed at once with "database is locked", whatever the
    /// busy timeout (waiting could deadlock), while one that asks for the lock up front waits
    /// its turn. Postgres locks rows as it writes them and waits on its own.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, Error> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    async fn migrate(&self) -> Result<(), Error> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_rows_get_anonymous_placeholders_and_postgres_rows_numbered_ones() {
        assert_eq!(placeholders(Backend::Sqlite, 2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
    }
}
