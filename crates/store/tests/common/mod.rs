//! Test stores on both backends: a fresh SQLite file, or a fresh database on the throwaway
//! Postgres cluster that `scripts/test-postgres.sh` installs and starts.
//!
//! The one harness of the workspace's store-backed tests: the notify, server and CLI tests
//! include this file with `#[path]`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use interdict_store::{OpenOptions, Store};

/// Keeps a test store's backing resources alive.
pub(crate) struct Guard {
    _dir: Option<tempfile::TempDir>,
    /// A URL for a second, raw connection to the same database.
    url: String,
    /// The store's audit key file (created by its first keyed append).
    audit_key_file: PathBuf,
}

impl Guard {
    /// Runs SQL on the store's database behind its back, as someone tampering with it would.
    #[allow(dead_code, reason = "only the tests that tamper with a store use it")]
    pub(crate) async fn execute_raw(&self, sql: &str) -> u64 {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("raw connection");
        let done = sqlx::query(sql).execute(&mut conn).await.expect(sql);
        conn.close().await.ok();
        done.rows_affected()
    }

    /// The database's URL, for a process of its own (`interdict --db URL`).
    #[allow(dead_code, reason = "only the tests that run the binary use it")]
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Opens another store on the same database, as another process would.
    #[allow(dead_code, reason = "only the tests of concurrent writers use it")]
    pub(crate) async fn reopen(&self) -> Store {
        Store::open_with(&self.url, &self.open_options())
            .await
            .expect("reopen")
    }

    /// The store's audit key file, as `--audit-key-file` takes it.
    #[allow(dead_code, reason = "only the tests of the audit key use it")]
    pub(crate) fn audit_key_file(&self) -> &Path {
        &self.audit_key_file
    }

    /// How the store was opened: with its audit key file.
    pub(crate) fn open_options(&self) -> OpenOptions {
        OpenOptions::with_audit_key_file(&self.audit_key_file)
    }
}

/// A store on a fresh SQLite file.
pub(crate) async fn sqlite() -> (Guard, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let path = path.to_str().expect("utf-8 path");
    let store = Store::open(path).await.expect("open sqlite");
    let url = format!("sqlite://{path}");
    let audit_key_file = PathBuf::from(format!("{path}.audit-key"));
    (
        Guard {
            _dir: Some(dir),
            url,
            audit_key_file,
        },
        store,
    )
}

/// The admin URL of the test cluster: `INTERDICT_TEST_POSTGRES_URL`, or the cluster the
/// project's script starts (installing Postgres if needed).
pub(crate) fn postgres_admin_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("INTERDICT_TEST_POSTGRES_URL") {
            return url;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-postgres.sh");
        let output = Command::new("bash")
            .arg(&script)
            .arg("start")
            .output()
            .expect("run test-postgres.sh");
        assert!(
            output.status.success(),
            "scripts/test-postgres.sh start failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    })
    .clone()
}

/// A store on a fresh database of the test cluster.
pub(crate) async fn postgres() -> (Guard, Store) {
    use sqlx::Connection;
    let admin = postgres_admin_url();
    let name = format!(
        "interdict_test_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    conn.close().await.ok();
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    // A Postgres store keeps its audit key where it is told: here, beside nothing else.
    let dir = tempfile::tempdir().expect("tempdir");
    let guard = Guard {
        audit_key_file: dir.path().join("audit-key"),
        _dir: Some(dir),
        url,
    };
    let store = Store::open_with(&guard.url, &guard.open_options())
        .await
        .expect("open postgres");
    (guard, store)
}

/// Runs an async test body once on SQLite and once on Postgres, giving it the store and the
/// guard of its database (for raw access behind the store's back).
#[macro_export]
macro_rules! on_both_backends_with_guard {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (guard, store) = $crate::common::sqlite().await;
                    super::$name(store, guard).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (guard, store) = $crate::common::postgres().await;
                    super::$name(store, guard).await;
                }
            )*
        }
    };
}

/// Runs an async test body once on SQLite and once on Postgres.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (_guard, store) = $crate::common::sqlite().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (_guard, store) = $crate::common::postgres().await;
                    super::$name(store).await;
                }
            )*
        }
    };
}

/// An import by `test` that activates unconditionally, as the tests' imports do.
#[allow(dead_code, reason = "not every test binary imports lists")]
pub(crate) fn import_request(source_files: &[String]) -> interdict_store::ImportRequest<'_> {
    interdict_store::ImportRequest {
        published: None,
        source_files,
        actor: "test",
        activation: interdict_store::Activation::Always,
        notes: serde_json::json!({}),
    }
}
