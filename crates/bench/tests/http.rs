//! `interdict-bench http` against a real service (started in-process on loopback, on a real
//! SQLite store with the UN list): every answer it counts as good is a screening on record,
//! and it reports the list versions that answered.

use std::path::Path;
use std::process::Command;

use interdict_app::lists::{ImportOptions, read_path};
use interdict_server::{AppState, ServerConfig, serve};
use interdict_store::{Role, Store};
use serde_json::Value;

fn shared(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_load_benchmark_screens_through_the_service_and_counts_what_it_got() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("interdict.db");
    let store = Store::open(db.to_str().expect("utf-8"))
        .await
        .expect("store");
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    interdict_app::lists::import(
        &store,
        read_path(&un).expect("read"),
        "un.xml",
        &ImportOptions::new("test"),
    )
    .await
    .expect("import");
    let key = store
        .create_key(Role::Admin, "bench", "test")
        .await
        .expect("key")
        .key;
    let names = dir.path().join("names.csv");
    std::fs::write(
        &names,
        "name,date_of_birth,nationality\nJanan Agha,1958,\nMaria Garcia,,Spain\nKim Jong Un,,\n",
    )
    .expect("write");
    let state = AppState::new(store.clone(), ServerConfig::default()).expect("state");
    state.refresh_index().await.expect("index");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let service = tokio::spawn(serve(listener, state, async {
        stopped.await.ok();
    }));

    let bench = env!("CARGO_BIN_EXE_interdict-bench");
    let names = names.to_str().expect("utf-8").to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(bench)
            .args([
                "http",
                "--url",
                &url,
                "--key",
                &key,
                "--concurrency",
                "3",
                "--duration",
                "1s",
                "--interval",
                "400ms",
                "--names",
                &names,
                "--json",
            ])
            .output()
            .expect("run interdict-bench")
    })
    .await
    .expect("bench");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: Value = serde_json::from_slice(&output.stdout).expect("JSON figures");
    stop.send(()).ok();
    service.await.expect("service").expect("served");

    let answered = figures["ok"].as_u64().expect("ok count");
    assert!(answered > 0, "{figures}");
    assert_eq!(figures["errors"], 0, "{figures}");
    assert_eq!(figures["requests"].as_u64(), Some(answered));
    // Windows of 0.4 s, from the start to the end of the run, holding every answer.
    let windows = figures["windows"].as_array().expect("windows");
    let seconds = figures["seconds"].as_f64().expect("seconds");
    assert_eq!(windows.len() as f64, (seconds / 0.4).ceil(), "{figures}");
    assert_eq!(windows[0]["from_s"], 0.0, "{figures}");
    assert!(
        windows.windows(2).all(|w| w[0]["to_s"] == w[1]["from_s"]),
        "{figures}"
    );
    let in_windows: u64 = windows.iter().filter_map(|w| w["requests"].as_u64()).sum();
    assert_eq!(in_windows, answered, "{figures}");
    let served = figures["list_versions_served"]
        .as_object()
        .expect("versions served");
    assert_eq!(served.len(), 1, "{figures}");
    assert!(served.keys().all(|v| v.contains("\"un-sc\"")), "{figures}");

    let verification = store.verify_audit().await.expect("verify");
    assert!(verification.is_intact());
    let from = chrono::DateTime::UNIX_EPOCH;
    let to = chrono::Utc::now() + chrono::Duration::days(1);
    let screenings = store
        .audit_records_between(from, to, 0, 100_000)
        .await
        .expect("records")
        .iter()
        .filter(|r| r.kind == "screening")
        .count();
    assert_eq!(screenings as u64, answered);
}
