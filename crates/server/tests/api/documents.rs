//! `POST /v1/scan` and `POST /v1/screen/payment`: free text and payment messages over HTTP,
//! answered in the command line's shapes and recorded, and replayable.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};
use serde_json::{Value, json};

use crate::common::{Guard, Harness, import, shared};

on_both_backends_with_guard!(documents_and_payment_messages_are_screened_recorded_and_replayed,);

async fn replay(app: &Harness, id: &str) -> Value {
    let (status, replay) = app
        .admin("POST", &format!("/v1/audit/{id}/replay"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{replay}");
    replay
}

async fn documents_and_payment_messages_are_screened_recorded_and_replayed(
    store: Store,
    _guard: Guard,
) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let screener = app.key(Role::Screener).await;

    let text = "Reports say Abdul Baqi Basir, a former Taliban governor, met traders.";
    let (status, one) = app
        .call(
            "POST",
            "/v1/scan",
            Some(&screener),
            Some(json!({ "text": text, "id": "memo-1" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["id"], "memo-1");
    let mention = &one["mentions"][0];
    let (start, end) = (
        mention["start"].as_u64().expect("start") as usize,
        mention["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(&text[start..end], "Abdul Baqi Basir", "{one}");
    assert!(
        mention["entity_id"]
            .as_str()
            .expect("id")
            .starts_with("un-sc:")
    );
    assert_eq!(
        replay(&app, one["scan_id"].as_str().expect("scan_id")).await["identical"],
        true
    );

    let (status, batch) = app
        .call(
            "POST",
            "/v1/scan",
            Some(&screener),
            Some(json!([{ "text": "Nothing to see here." }, { "text": text, "threshold": 2 }])),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{batch}");
    assert_eq!(
        batch["error"]["message"]
            .as_str()
            .map(|m| m.starts_with("[1].threshold")),
        Some(true),
        "{batch}"
    );

    let message =
        std::fs::read(shared("eval/payments_dev/messages/PD002.mt103.txt")).expect("message");
    let request = Request::builder()
        .method("POST")
        .uri("/v1/screen/payment")
        .header("authorization", format!("Bearer {screener}"))
        .header("content-type", "text/plain")
        .body(Body::from(message))
        .expect("request");
    let (status, answer) = app.send(request).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let result = &answer["results"][0];
    assert_eq!(result["format"], "MT103", "{answer}");
    assert!(result["decision"] == "clear" || result["decision"] == "hit");
    assert_eq!(
        replay(&app, result["screening_id"].as_str().expect("id")).await["identical"],
        true
    );

    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen/payment",
            Some(&screener),
            Some(
                json!([{ "name": "bad", "message": "<!DOCTYPE x [<!ENTITY a 'b'>]><Document/>" }]),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["results"][0]["message"], "bad");
    assert_eq!(
        answer["results"][0]["error"]["code"], "doctype_refused",
        "{answer}"
    );
}
