//! The test harness: stores on both backends (a fresh SQLite file, or a fresh database on the
//! throwaway Postgres cluster that `scripts/test-postgres.sh` starts), real list files from
//! the shared data, and requests sent to the router in-process.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use interdict_server::{AppState, ServerConfig, app};
use interdict_sources::SourceFile;
use interdict_store::{AlertReason, MonitorRun, NewAlert, Role, Store};
use serde_json::Value;
use tower::ServiceExt;

#[macro_use]
#[path = "../../../../store/tests/common/mod.rs"]
mod backends;

pub(crate) use backends::{Guard, postgres, sqlite};

mod running;
pub(crate) use running::Running;

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
            &backends::import_request(&[]),
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
        let state = AppState::new(store, config).expect("state");
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

/// What a monitoring run records: an alert per `(customer, entity, matched name)` of
/// `pairs`, each scored `score`, written straight into the store.
pub(crate) async fn raise_alerts(store: &Store, pairs: &[(&str, &str, &str)], score: f64) {
    let create = pairs
        .iter()
        .map(|(customer, entity, name)| NewAlert {
            customer_id: (*customer).into(),
            entity_id: (*entity).into(),
            list_version: "v1".into(),
            score,
            matched_name: (*name).into(),
            explanation: serde_json::json!({ "score": score }),
            customer_fingerprint: "c".into(),
            entity_fingerprint: "e".into(),
            reason: AlertReason::NewCustomer,
        })
        .collect();
    store
        .record_monitor_run(&MonitorRun {
            create,
            actor: "monitor".into(),
            ..MonitorRun::default()
        })
        .await
        .expect("run");
}
