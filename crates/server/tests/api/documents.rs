//! `POST /v1/scan` and `POST /v1/screen/payment`: free text and payment messages over HTTP,
//! answered in the command line's shapes and recorded, and replayable.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};
use serde_json::{Value, json};

use crate::common::{Guard, Harness, import, shared};

on_both_backends_with_guard!(
    documents_and_payment_messages_are_screened_recorded_and_replayed,
    payment_hits_open_alerts_decided_with_four_eyes,
);

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

/// An MT103 to a beneficiary in Tehran.
const TO_TEHRAN: &str = "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}{4:
:20:REF-IR-0001
:23B:CRED
:32A:250630EUR1000,00
:50K:/DE89370400440532013000
JOHN SMITH
BERLIN
:59:/12345678
AHMAD TRADING
TEHRAN IR
:71A:SHA
-}";

async fn payment_hits_open_alerts_decided_with_four_eyes(store: Store, _guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let screener = app.key(Role::Screener).await;
    let analyst = app.key(Role::Analyst).await;
    let reviewer = app.key(Role::Reviewer).await;
    let screen = |query: &'static str| {
        let request = Request::builder()
            .method("POST")
            .uri(format!("/v1/screen/payment{query}"))
            .header("authorization", format!("Bearer {screener}"))
            .header("content-type", "text/plain")
            .body(Body::from(TO_TEHRAN))
            .expect("request");
        app.send(request)
    };

    let (status, plain) = screen("").await;
    assert_eq!(status, StatusCode::OK, "{plain}");
    assert_eq!(plain["results"][0]["decision"], "hit", "{plain}");
    assert!(plain["results"][0].get("alert_ids").is_none(), "{plain}");

    let (status, first) = screen("?alerts=true").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let result = &first["results"][0];
    let ids = result["alert_ids"].as_array().expect("alert_ids").clone();
    assert!(!ids.is_empty(), "{first}");
    let (status, again) = screen("?alerts=true").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        again["results"][0]["alert_ids"], result["alert_ids"],
        "{again}"
    );

    let (status, alerts) = app.call("GET", "/v1/alerts", Some(&analyst), None).await;
    assert_eq!(status, StatusCode::OK, "{alerts}");
    let alerts = alerts.as_array().expect("alerts");
    assert_eq!(alerts.len(), ids.len(), "{alerts:?}");
    let alert = alerts
        .iter()
        .find(|a| a["entity_id"] == "jurisdiction:OFAC-IR")
        .unwrap_or_else(|| panic!("no Iran alert: {alerts:?}"));
    assert_eq!(alert["subject"]["kind"], "payment");
    let payment = &alert["subject"]["payment"];
    assert_eq!(payment["format"], "MT103");
    assert_eq!(payment["message_id"], "REF-IR-0001");
    assert_eq!(payment["hit_kind"], "jurisdiction");
    assert_eq!(payment["rule"], "OFAC-IR");
    assert!(
        payment["field"]
            .as_str()
            .is_some_and(|f| f.starts_with(":59")),
        "{payment}"
    );
    assert_eq!(payment["screening_id"], result["screening_id"]);
    assert_eq!(alert["reason"], "payment_hit");
    let id = alert["id"].as_i64().expect("id");

    let (status, detail) = app
        .call("GET", &format!("/v1/alerts/{id}"), Some(&analyst), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert!(detail["customer"].is_null(), "{detail}");
    assert!(
        detail["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("Iranian Transactions")),
        "{detail}"
    );

    // Four eyes, as for a customer's alert: the analyst proposes, cannot approve; a
    // reviewer does.
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{id}/decision"),
            Some(&analyst),
            Some(json!({ "decision": "true_match", "note": "beneficiary in Tehran: reject the payment" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pending"]["decision"], "true_match");
    let (status, _) = app
        .call(
            "POST",
            &format!("/v1/alerts/{id}/approve"),
            Some(&analyst),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{id}/approve"),
            Some(&reviewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "true_match");
    assert_eq!(body["subject"]["kind"], "payment");
}
