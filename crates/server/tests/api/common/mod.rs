//! The test harness: stores on both backends (a fresh SQLite file, or a fresh database on the
//! throwaway Postgres cluster that `scripts/test-postgres.sh` starts), real list files from
//! the shared data, and requests sent to the router in-process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use interdict_server::{AppState, ServerConfig, app};
use interdict_sources::SourceFile;
use interdict_store::{Role, Store};
use serde_json::Value;
use tower::ServiceExt;

/// Keeps a test store's backing resources alive.
pub(crate) struct Guard {
    _dir: Option<tempfile::TempDir>,
    url: String,
}

impl Guard {
    /// Runs SQL on the store's database behind its back, as someone tampering with it would.
    pub(crate) async fn execute_raw(&self, sql: &str) -> u64 {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("raw connection");
        let done = sqlx::query(sql).execute(&mut conn).await.expect(sql);
        conn.close().await.ok();
        done.rows_affected()
    }

    /// Opens another store on the same database, as another replica would.
    pub(crate) async fn reopen(&self) -> Store {
        Store::open(&self.url).await.expect("reopen")
    }
}

/// A store on a fresh SQLite file.
pub(crate) async fn sqlite() -> (Guard, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let path = path.to_str().expect("utf-8 path");
    let store = Store::open(path).await.expect("open sqlite");
    let url = format!("sqlite://{path}");
    (
        Guard {
            _dir: Some(dir),
            url,
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
        "interdict_server_test_{}_{}",
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
    let store = Store::open(&url).await.expect("open postgres");
    (Guard { _dir: None, url }, store)
}

/// Runs an async test body once on SQLite and once on Postgres, with the store and its guard.
#[macro_export]
macro_rules! on_both_backends {
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

/// A file of the shared data.
pub(crate) fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

/// Imports a shared list file into the store as the CLI would; returns the version.
pub(crate) async fn import(store: &Store, relative: &str) -> String {
    let path = shared(relative);
    let bytes = std::fs::read(&path).expect("read list file");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed =
        interdict_sources::parse(&[SourceFile { name, bytes }], None, None).expect("parse");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    store
        .import(
            &parsed.list,
            parsed.format.name(),
            &parsed.entities,
            None,
            &[],
        )
        .await
        .expect("import")
        .version
        .version
}

/// The app over a store, with its index loaded, and an admin key.
pub(crate) struct Harness {
    pub(crate) router: Router,
    pub(crate) state: AppState,
    pub(crate) admin: String,
}

impl Harness {
    pub(crate) async fn new(store: Store, config: ServerConfig) -> Harness {
        let admin = store
            .create_key(Role::Admin, "test admin", "cli:test")
            .await
            .expect("admin key")
            .key;
        let state = AppState::new(store, config);
        state.refresh_index().await.expect("load the index");
        Harness {
            router: app(state.clone()),
            state,
            admin,
        }
    }

    /// A new key with `role`.
    pub(crate) async fn key(&self, role: Role) -> String {
        self.state
            .store()
            .create_key(role, role.as_str(), "cli:test")
            .await
            .expect("key")
            .key
    }

    /// Sends a request; returns the status and the body (JSON, or a JSON string of the text).
    pub(crate) async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        send(&self.router, request).await
    }

    /// `method path` with `key` and a JSON body.
    pub(crate) async fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(key) = key {
            builder = builder.header("authorization", format!("Bearer {key}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    /// An admin call.
    pub(crate) async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let key = self.admin.clone();
        self.call(method, path, Some(&key), body).await
    }
}

/// Sends a request to a router in-process.
pub(crate) async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

/// Asserts the API's error shape and code.
pub(crate) fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
