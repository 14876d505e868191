//! Imports through the API: parsed and stored as the CLI does, refused whole when broken, and
//! swapped into the index while screenings go on, without failing any of them. A second
//! replica on the same database picks the import up when it polls.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::{AppState, Refresh, ServerConfig, app};
use interdict_store::Store;
use serde_json::{Value, json};

use crate::common::{Guard, Harness, assert_error, import, send, shared};

on_both_backends_with_guard!(
    an_import_swaps_the_index_while_screenings_go_on,
    a_broken_list_is_refused_and_the_active_version_stays,
    another_replica_picks_up_an_import_when_it_polls,
    a_shrunk_list_is_kept_inactive_and_the_answer_names_the_request_parameter,
);

fn upload(key: &str, query: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::post(format!("/v1/lists/import{query}"))
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/octet-stream")
        .body(Body::from(bytes))
        .expect("request")
}

async fn an_import_swaps_the_index_while_screenings_go_on(store: Store, _guard: Guard) {
    let un = import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let importing = Arc::new(AtomicBool::new(true));
    let mut screeners = Vec::new();
    for worker in 0..4 {
        let router = app.router.clone();
        let key = app.admin.clone();
        let importing = importing.clone();
        screeners.push(tokio::spawn(async move {
            let mut answers: Vec<(StatusCode, Value)> = Vec::new();
            // At least a few screenings each, and on until the import is done.
            while answers.len() < 5 || importing.load(Ordering::SeqCst) {
                let name = if worker % 2 == 0 {
                    "Janan Agha"
                } else {
                    "ADRIAN MANUEL HERNANDEZ"
                };
                let request = Request::post("/v1/screen")
                    .header("authorization", format!("Bearer {key}"))
                    .header("content-type", "application/json")
                    .body(Body::from(json!({ "name": name }).to_string()))
                    .expect("request");
                answers.push(send(&router, request).await);
            }
            answers
        }));
    }
    let csl = std::fs::read(shared("lists/us-csl-sample.csv")).expect("read");
    let (status, imported) = app
        .send(upload(
            &app.admin,
            "?filename=us-csl-sample.csv&published=2024-01-02",
            csl,
        ))
        .await;
    importing.store(false, Ordering::SeqCst);
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert_eq!(imported["list"], "us-csl");
    assert_eq!(imported["format"], "us-csl-csv");
    assert_eq!(imported["entities"], 115);
    assert_eq!(imported["unchanged"], false);
    assert_eq!(imported["activated"], true);
    assert_eq!(imported["index_entities"], 1003 + 115);
    let csl_version = imported["version"].as_str().expect("version").to_owned();

    let mut before = 0;
    let mut after = 0;
    for screener in screeners {
        for (status, answer) in screener.await.expect("screener") {
            assert_eq!(
                status,
                StatusCode::OK,
                "no screening fails during the import: {answer}"
            );
            assert_eq!(answer["list_versions"]["un-sc"], un.as_str());
            match answer["list_versions"].get("us-csl") {
                None => before += 1,
                Some(v) => {
                    assert_eq!(v, csl_version.as_str());
                    after += 1;
                }
            }
        }
    }
    assert!(before + after >= 20, "{before} before, {after} after");

    // The new list is screened against now, and the import is on record.
    let (_, found) = app
        .admin(
            "POST",
            "/v1/screen",
            Some(json!({ "name": "Adrian Manuel Hernandez" })),
        )
        .await;
    assert_eq!(found["matches"][0]["list"], "us-csl", "{found}");
    let (_, record) = app
        .admin(
            "GET",
            &format!("/v1/audit/{}", imported["audit_id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(record["kind"], "import");
    assert_eq!(record["payload"]["version"], csl_version.as_str());
    assert_eq!(record["payload"]["source"], "us-csl-sample.csv");
    assert_eq!(record["payload"]["published"], "2024-01-02");
    let (_, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(verify["intact"], true, "{verify}");

    // The same content again changes nothing.
    let csl = std::fs::read(shared("lists/us-csl-sample.csv")).expect("read");
    let (status, again) = app
        .send(upload(&app.admin, "?format=us-csl-csv", csl))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (again["unchanged"].clone(), again["activated"].clone()),
        (json!(true), json!(false))
    );
}

async fn a_broken_list_is_refused_and_the_active_version_stays(store: Store, _guard: Guard) {
    let good = import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let bytes = std::fs::read(shared("lists/ofac-sdn-2022-03-21/sdn.csv")).expect("read");
    let truncated = bytes[..bytes.len() / 2].to_vec();
    let (status, answer) = app
        .send(upload(
            &app.admin,
            "?format=ofac-sdn-csv&filename=sdn.csv",
            truncated,
        ))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_list",
    );
    let message = answer["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("nothing was imported") && message.contains("line"),
        "{message}"
    );

    let (status, answer) = app
        .send(upload(&app.admin, "", b"\x00\x01 not a list \xff".to_vec()))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_list",
    );
    let (status, answer) = app
        .send(upload(&app.admin, "?format=klingon", b"x".to_vec()))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let (status, answer) = app
        .send(upload(&app.admin, "?published=someday", b"x".to_vec()))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );

    let (_, lists) = app.admin("GET", "/v1/lists", None).await;
    assert_eq!(lists[0]["active_version"], good.as_str());
    assert_eq!(lists[0]["versions"].as_array().expect("versions").len(), 1);
    let (_, ready) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(ready["list_versions"]["ofac-sdn"], good.as_str());
}

async fn another_replica_picks_up_an_import_when_it_polls(store: Store, guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let first = Harness::new(store, ServerConfig::default()).await;
    let second = AppState::new(guard.reopen().await, ServerConfig::default()).expect("state");
    assert_eq!(
        second.refresh_index().await.expect("load"),
        Refresh::Reloaded
    );
    let second_router = app(second.clone());

    let csl = std::fs::read(shared("lists/us-csl-sample.csv")).expect("read");
    let (status, imported) = first.send(upload(&first.admin, "", csl)).await;
    assert_eq!(status, StatusCode::OK, "{imported}");

    // What the poll loop of `serve` does every second.
    assert_eq!(
        second.refresh_index().await.expect("poll"),
        Refresh::Reloaded
    );
    assert_eq!(
        second.refresh_index().await.expect("poll"),
        Refresh::Unchanged
    );
    let request = Request::get("/readyz")
        .body(Body::empty())
        .expect("request");
    let (_, ready) = send(&second_router, request).await;
    assert_eq!(ready["list_versions"]["us-csl"], imported["version"]);
    assert_eq!(ready["entities"], 1003 + 115);
}

/// The SDN list of 2022-03-21 cut to its first 3000 lines and properly ended (OFAC's
/// end-of-file byte): a well-formed file that drops most of the list.
fn shrunk_sdn() -> Vec<u8> {
    let bytes = std::fs::read(shared("lists/ofac-sdn-2022-03-21/sdn.csv")).expect("read");
    let mut head: Vec<u8> = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(3000)
        .flatten()
        .copied()
        .collect();
    head.push(0x1A);
    head
}

async fn a_shrunk_list_is_kept_inactive_and_the_answer_names_the_request_parameter(
    store: Store,
    _guard: Guard,
) {
    let good = import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let (status, report) = app
        .send(upload(
            &app.admin,
            "?list=ofac-sdn&filename=sdn.csv",
            shrunk_sdn(),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["activated"], false, "{report}");
    assert_eq!(report["overridden_by"], "allow_shrink", "{report}");
    let shrink = &report["shrink"];
    assert_eq!(shrink["records"], "entities");
    assert_eq!(shrink["active_version"], good.as_str());
    let active_count = shrink["active_count"].as_u64().expect("active_count");
    let kept_count = shrink["kept_count"].as_u64().expect("kept_count");
    let removed = shrink["removed"].as_u64().expect("removed");
    assert_eq!(kept_count + removed, active_count);
    assert_eq!(kept_count, report["entities"].as_u64().expect("entities"));
    let share = shrink["share"].as_f64().expect("share");
    assert!((share - removed as f64 / active_count as f64).abs() < 1e-9);
    assert!(share > shrink["max_share"].as_f64().expect("max_share"));
    let reason = report["kept_inactive"].as_str().expect("kept_inactive");
    assert!(
        reason.contains(&format!("removes {removed} of the active version's")),
        "{reason}"
    );
    let hint = report["hint"].as_str().expect("hint");
    assert!(hint.contains("allow_shrink=true"), "{hint}");
    // The command line's words are the command line's: no flag in the API's answer.
    assert!(!report.to_string().contains("--"), "{report}");

    // The parameter the hint names activates it.
    let (status, report) = app
        .send(upload(
            &app.admin,
            "?list=ofac-sdn&filename=sdn.csv&allow_shrink=true",
            shrunk_sdn(),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["activated"], true, "{report}");
    assert!(report.get("hint").is_none(), "{report}");
}
