//! Monitoring over HTTP, in-process on real stores (SQLite and Postgres): the portfolio
//! (`PUT`, `POST`, `DELETE /v1/portfolio`), alerts, and four-eyes decisions where the acting
//! user is the API key.

#[allow(dead_code, unused_macros, unreachable_pub, unused_imports)]
#[macro_use]
#[path = "api/common/mod.rs"]
mod common;

use axum::http::StatusCode;
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};
use serde_json::{Value, json};

use common::{Guard, Harness, assert_error, import, raise_alerts};

on_both_backends_with_guard!(
    the_portfolio_is_maintained_by_analysts_with_field_errors_named,
    decisions_need_a_second_key_with_the_reviewer_role,
    a_customers_alerts_on_two_records_of_one_party_name_each_other,
);

const UN: &str = "lists/un-consolidated-2026-02-27.xml";

/// What `interdict monitor run` would record: an alert per customer on one listed entity.
async fn raise(store: &Store, customers: &[&str]) {
    let pairs: Vec<_> = customers
        .iter()
        .map(|id| (*id, "un-sc:QDi.430", "Janan Agha"))
        .collect();
    raise_alerts(store, &pairs, 0.88).await;
}

async fn the_portfolio_is_maintained_by_analysts_with_field_errors_named(
    store: Store,
    _guard: Guard,
) {
    import(&store, UN).await;
    let app = Harness::new(store.clone(), ServerConfig::default()).await;
    let screener = app.key(Role::Screener).await;
    let analyst = app.key(Role::Analyst).await;
    let customer = json!({ "name": "Janan Agha", "dob": "1970", "country": "Afghanistan" });

    let (status, body) = app
        .call(
            "PUT",
            "/v1/portfolio/C-1",
            Some(&screener),
            Some(customer.clone()),
        )
        .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let (status, body) = app
        .call(
            "PUT",
            "/v1/portfolio/C-1",
            Some(&analyst),
            Some(customer.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "id": "C-1", "outcome": "new" }));
    let (_, body) = app
        .call("PUT", "/v1/portfolio/C-1", Some(&analyst), Some(customer))
        .await;
    assert_eq!(body["outcome"], "unchanged");
    let (_, body) = app
        .call(
            "PUT",
            "/v1/portfolio/C-1",
            Some(&analyst),
            Some(json!({ "name": "Janan Agha", "dob": "1971" })),
        )
        .await;
    assert_eq!(body["outcome"], "changed");
    let stored = store.customer("C-1").await.expect("customer");
    assert_eq!(
        stored.customer.dob.map(|d| d.to_string()).as_deref(),
        Some("1971")
    );

    let (status, body) = app
        .call(
            "PUT",
            "/v1/portfolio/C-2",
            Some(&analyst),
            Some(json!({ "name": "X", "dob": "31/31/1990" })),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("dob"))
    );

    let (status, body) = app
        .call(
            "POST",
            "/v1/portfolio",
            Some(&analyst),
            Some(json!({ "customers": [
                { "id": "C-2", "name": "Maria Garcia" },
                { "id": "C-3", "name": "" },
                { "id": "C-4", "name": "Li Wei", "country": "Atlantis" },
                { "id": "C-2", "name": "Maria Garcia" },
                { "id": "C-1", "name": "Janan Agha", "dob": "1971" },
            ] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["new"].as_u64(), body["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    let invalid: Vec<u64> = body["invalid"]
        .as_array()
        .expect("invalid")
        .iter()
        .filter_map(|i| i["index"].as_u64())
        .collect();
    assert_eq!(invalid, [1, 2, 3]);
    assert!(
        body["invalid"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("customers[1].name"))
    );

    raise(&store, &["C-2"]).await;
    let (status, body) = app
        .call("DELETE", "/v1/portfolio/C-2", Some(&analyst), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["alerts_closed"], 1);
    let (status, body) = app
        .call("DELETE", "/v1/portfolio/C-2", Some(&analyst), None)
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(store.customer_count().await.expect("count"), 1);
}

async fn decisions_need_a_second_key_with_the_reviewer_role(store: Store, _guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store.clone(), ServerConfig::default()).await;
    let analyst = app.key(Role::Analyst).await;
    let reviewer = app.key(Role::Reviewer).await;
    let other_reviewer = app.key(Role::Reviewer).await;
    for id in ["C-1", "C-2"] {
        app.call(
            "PUT",
            &format!("/v1/portfolio/{id}"),
            Some(&analyst),
            Some(json!({ "name": "Janan Agha" })),
        )
        .await;
    }
    raise(&store, &["C-1", "C-2"]).await;

    let (status, alerts) = app
        .call("GET", "/v1/alerts?status=open", Some(&analyst), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{alerts}");
    let alerts = alerts.as_array().expect("alerts").clone();
    assert_eq!(alerts.len(), 2);
    let id = |i: usize| alerts[i]["id"].as_i64().expect("id");
    // An unknown status, and a query that does not parse, are the API's own errors.
    for query in ["status=maybe", "status=open&status=closed"] {
        let (status, body) = app
            .call("GET", &format!("/v1/alerts?{query}"), Some(&analyst), None)
            .await;
        assert_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        );
    }

    // An analyst proposes; an analyst cannot approve; a reviewer (another key) can.
    let decision = json!({ "decision": "false_positive", "note": "born 1990, not 1970" });
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/decision", id(0)),
            Some(&analyst),
            Some(decision.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pending"]["decision"], "false_positive");
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/approve", id(0)),
            Some(&analyst),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/approve", id(0)),
            Some(&reviewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "false_positive");
    assert_eq!(body["decision"]["note"], "born 1990, not 1970");

    // A reviewer's own proposal needs another key.
    let (status, _) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/decision", id(1)),
            Some(&reviewer),
            Some(json!({ "decision": "true_match", "note": "same person" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/approve", id(1)),
            Some(&reviewer),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("four-eyes"))
    );
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/reject", id(1)),
            Some(&other_reviewer),
            Some(json!({ "note": "check the passport" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "open");

    let (status, detail) = app
        .call(
            "GET",
            &format!("/v1/alerts/{}", id(1)),
            Some(&analyst),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["explanation"]["score"], 0.88);
    let actions: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["created", "proposed", "rejected"]);
    assert_eq!(detail["proposals"][0]["review_note"], "check the passport");
    let (status, body) = app
        .call("GET", "/v1/alerts/999999", Some(&analyst), None)
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{}/decision", id(1)),
            Some(&analyst),
            Some(json!({ "decision": "maybe", "note": "n" })),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );

    let (_, document) = app.call("GET", "/openapi.json", None, None).await;
    let paths: &Value = &document["paths"];
    for path in [
        "/v1/portfolio/{id}",
        "/v1/portfolio",
        "/v1/alerts",
        "/v1/alerts/{id}/approve",
    ] {
        assert!(paths.get(path).is_some(), "{path} is not documented");
    }
}

/// Mullah Akhund is UN TAi.002 and UK AFG0006 (the UK record cites the UN reference): alerts
/// of one customer on both records (raised before grouping) each name the other, and deciding
/// one leaves the other to decide.
async fn a_customers_alerts_on_two_records_of_one_party_name_each_other(
    store: Store,
    _guard: Guard,
) {
    import(&store, UN).await;
    import(
        &store,
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    )
    .await;
    let app = Harness::new(store.clone(), ServerConfig::default()).await;
    let analyst = app.key(Role::Analyst).await;
    let reviewer = app.key(Role::Reviewer).await;
    for id in ["C-1", "C-2"] {
        app.call(
            "PUT",
            &format!("/v1/portfolio/{id}"),
            Some(&analyst),
            Some(json!({ "name": "Mohammad Hassan Akhund" })),
        )
        .await;
    }
    let un = "un-sc:TAi.002";
    let uk = "uk-sanctions-list:AFG0006";
    // What a monitoring run recorded before alerts were grouped by party: an alert per
    // (customer, entity) pair.
    raise_alerts(
        &store,
        &[
            ("C-1", un, "Mohammad Hassan Akhund"),
            ("C-1", uk, "Mohammad Hassan AKHUND"),
            // Another party of the same customer, and the same party of another customer:
            // neither is related.
            ("C-1", "un-sc:QDi.430", "Janan Agha"),
            ("C-2", uk, "Mohammad Hassan AKHUND"),
        ],
        0.9,
    )
    .await;
    let (_, alerts) = app.call("GET", "/v1/alerts", Some(&analyst), None).await;
    let id_of = |customer: &str, entity: &str| {
        alerts
            .as_array()
            .expect("alerts")
            .iter()
            .find(|a| a["customer_id"] == customer && a["entity_id"] == entity)
            .and_then(|a| a["id"].as_i64())
            .expect("the alert")
    };
    let (on_un, on_uk) = (id_of("C-1", un), id_of("C-1", uk));

    let detail = |id: i64| {
        let app = &app;
        let analyst = &analyst;
        async move {
            let (status, body) = app
                .call("GET", &format!("/v1/alerts/{id}"), Some(analyst), None)
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let shown = detail(on_un).await;
    assert_eq!(shown["also_listed"][0]["entity_id"], uk, "{shown}");
    assert_eq!(
        shown["related_alerts"],
        json!([{ "id": on_uk, "entity_id": uk, "list": "uk-sanctions-list", "status": "open",
                 "undecided": true, "awaiting_approval": false }]),
        "{shown}"
    );
    let shown = detail(on_uk).await;
    let related: Vec<i64> = shown["related_alerts"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(related, [on_un], "{shown}");
    // An alert on a party listed once has none.
    let shown = detail(id_of("C-1", "un-sc:QDi.430")).await;
    assert!(shown.get("related_alerts").is_none(), "{shown}");

    // Deciding stays per alert: the other shows the decision's progress and stays open.
    app.call(
        "POST",
        &format!("/v1/alerts/{on_uk}/decision"),
        Some(&analyst),
        Some(json!({ "decision": "true_match", "note": "same person, UK record" })),
    )
    .await;
    let shown = detail(on_un).await;
    assert_eq!(shown["status"], "open");
    assert_eq!(
        shown["related_alerts"][0]["awaiting_approval"], true,
        "{shown}"
    );
    let (status, body) = app
        .call(
            "POST",
            &format!("/v1/alerts/{on_uk}/approve"),
            Some(&reviewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shown = detail(on_un).await;
    assert_eq!(shown["status"], "open");
    assert_eq!(
        shown["related_alerts"][0]["status"], "true_match",
        "{shown}"
    );
    assert_eq!(shown["related_alerts"][0]["undecided"], false, "{shown}");
}
