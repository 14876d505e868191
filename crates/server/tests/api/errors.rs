//! Every error status, with the one error shape, on both backends.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::{Limits, ServerConfig};
use interdict_store::{Role, Store};
use serde_json::json;

use crate::common::{Guard, Harness, assert_error, import};

on_both_backends_with_guard!(
    every_error_status_has_the_error_shape,
    a_key_over_its_rate_is_told_when_to_come_back,
    without_lists_screening_is_not_ready,
    a_failing_store_is_a_generic_500,
    a_request_over_its_time_limit_is_a_503,
);

async fn every_error_status_has_the_error_shape(store: Store, _guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let config = ServerConfig {
        limits: Limits {
            max_body_bytes: 4096,
            max_batch: 3,
            max_name_chars: 50,
            ..Limits::default()
        },
        ..ServerConfig::default()
    };
    let app = Harness::new(store, config).await;
    let admin = app.admin.clone();
    let screener = app.key(Role::Screener).await;
    let raw = |body: &str| {
        Request::post("/v1/screen")
            .header("authorization", format!("Bearer {admin}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .expect("request")
    };

    // 400: not JSON at all, or cut off.
    for body in ["{\"name\": ", "name=x", "", "{\"name\": \"a\"} trailing"] {
        let (status, answer) = app.send(raw(body)).await;
        assert_error(status, &answer, StatusCode::BAD_REQUEST, "malformed_json");
    }

    // 401: no key, an unknown key, a malformed header.
    let (status, answer) = app.call("GET", "/v1/lists", None, None).await;
    assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthenticated");
    let forged = format!("idk_0123456789abcdef_{}", "0".repeat(64));
    let (status, answer) = app.call("GET", "/v1/lists", Some(&forged), None).await;
    assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthenticated");
    let basic = Request::get("/v1/lists")
        .header("authorization", "Basic dXNlcjpwYXNz")
        .body(Body::empty())
        .expect("request");
    let (status, answer) = app.send(basic).await;
    assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthenticated");

    // 403: a screener importing.
    let (status, answer) = app
        .call("POST", "/v1/lists/import", Some(&screener), None)
        .await;
    assert_error(status, &answer, StatusCode::FORBIDDEN, "forbidden");

    // 404: entity, list, record, route.
    for path in [
        "/v1/entities/un-sc:NOPE",
        "/v1/lists/nope/versions",
        "/v1/audit/0123456789abcdef0123456789abcdef",
        "/v1/nothing-here",
    ] {
        let (status, answer) = app.call("GET", path, Some(&admin), None).await;
        assert_error(status, &answer, StatusCode::NOT_FOUND, "not_found");
    }
    let (status, answer) = app
        .call(
            "GET",
            "/v1/lists/diff?from=abcdef12&to=abcdef13",
            Some(&admin),
            None,
        )
        .await;
    assert_error(status, &answer, StatusCode::NOT_FOUND, "not_found");

    // 405: a known route with another method.
    let (status, answer) = app.call("DELETE", "/v1/screen", Some(&admin), None).await;
    assert_error(
        status,
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );

    // 413: over the body limit.
    let big = json!({ "name": "x".repeat(5000) }).to_string();
    let (status, answer) = app.send(raw(&big)).await;
    assert_error(
        status,
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );

    // 422: each invalid field, a wrong shape, an empty or too long batch, a bad version id.
    for (body, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "y".repeat(51) }), "name"),
        (json!({ "name": "x", "threshold": 2 }), "threshold"),
        (json!({ "name": "x", "limit": 0 }), "limit"),
        (json!({ "name": "x", "limit": 1000 }), "limit"),
        (
            json!({ "name": "x", "dob": "the day before yesterday" }),
            "dob",
        ),
        (json!({ "name": "x", "country": "Atlantis" }), "country"),
        (json!({ "name": "x", "schema": "planet" }), "schema"),
        (json!({ "name": "x", "nickname": "y" }), "nickname"),
        (json!({ "name": 7 }), "integer"),
        (json!({ "dob": "1960" }), "name"),
        (json!(["x"]), "object"),
    ] {
        let (status, answer) = app.send(raw(&body.to_string())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_error(
            status,
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        );
        let message = answer["error"]["message"].as_str().expect("message");
        assert!(message.contains(field), "{body}: {message}");
    }
    for batch in [
        json!([]),
        json!([{ "name": "a" }, { "name": "b" }, { "name": "c" }, { "name": "d" }]),
    ] {
        let (status, answer) = app.admin("POST", "/v1/screen/batch", Some(batch)).await;
        assert_error(
            status,
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        );
    }
    let (status, answer) = app
        .admin(
            "POST",
            "/v1/screen/batch",
            Some(json!([{ "name": "a" }, { "name": "b", "limit": -1 }])),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let (status, answer) = app
        .admin(
            "POST",
            "/v1/screen/batch",
            Some(json!([{ "name": "a" }, { "name": "b", "limit": 0 }])),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .expect("m")
            .contains("[1].limit"),
        "{answer}"
    );
    let (status, answer) = app
        .call("GET", "/v1/lists/diff?from=xyz&to=abcd", Some(&admin), None)
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    let (status, answer) = app
        .call("GET", "/v1/lists/diff?from=abcd", Some(&admin), None)
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    // A path segment that is not UTF-8 once decoded.
    for path in ["/v1/entities/%FF", "/v1/audit/%C3%28"] {
        let (status, answer) = app.call("GET", path, Some(&admin), None).await;
        assert_error(
            status,
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        );
    }

    // Nothing above was recorded as a screening.
    let (_, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(
        verify["records"], 3,
        "the import and the two keys only: {verify}"
    );
}

async fn a_key_over_its_rate_is_told_when_to_come_back(store: Store, _guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let config = ServerConfig {
        rate_limit: Some(1),
        ..ServerConfig::default()
    };
    let app = Harness::new(store, config).await;
    let other = app.key(Role::Screener).await;
    let lists = || {
        Request::get("/v1/lists")
            .header("authorization", format!("Bearer {}", app.admin))
            .body(Body::empty())
            .expect("request")
    };
    // One request a second: of ten in a row, some are refused unless each took a second.
    let mut refused = None;
    for _ in 0..10 {
        let response = tower::ServiceExt::oneshot(app.router.clone(), lists())
            .await
            .expect("response");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(response);
            break;
        }
    }
    let refused = refused.expect("the limit is reached");
    let retry: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry >= 1);
    let body = http_body_util::BodyExt::collect(refused.into_body())
        .await
        .expect("body")
        .to_bytes();
    let answer: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        &answer,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    );

    // Another key has its own bucket, and the first one's refills.
    let (status, _) = app.call("GET", "/v1/lists", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        app.send(lists()).await.0,
        StatusCode::OK,
        "the bucket refills"
    );
}

async fn without_lists_screening_is_not_ready(store: Store, _guard: Guard) {
    let app = Harness::new(store, ServerConfig::default()).await;
    let (status, answer) = app.call("GET", "/readyz", None, None).await;
    assert_error(
        status,
        &answer,
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
    );
    let (status, answer) = app
        .admin("POST", "/v1/screen", Some(json!({ "name": "Janan Agha" })))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
    );
    let (status, _) = app.call("GET", "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK, "alive all the same");
}

async fn a_failing_store_is_a_generic_500(store: Store, guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    guard.execute_raw("DROP TABLE audit_records").await;
    let (status, answer) = app
        .admin("POST", "/v1/screen", Some(json!({ "name": "Janan Agha" })))
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
    );
    let message = answer["error"]["message"].as_str().expect("message");
    assert!(
        !message.contains("audit_records"),
        "no detail leaks: {message}"
    );
    assert!(
        !message.to_lowercase().contains("sql"),
        "no detail leaks: {message}"
    );
}

async fn a_request_over_its_time_limit_is_a_503(store: Store, _guard: Guard) {
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let config = ServerConfig {
        limits: Limits {
            request_timeout: Duration::from_micros(1),
            ..Limits::default()
        },
        ..ServerConfig::default()
    };
    let app = Harness::new(store, config).await;
    let batch: Vec<serde_json::Value> = (0..200)
        .map(|i| json!({ "name": format!("Janan Agha {i}") }))
        .collect();
    let (status, answer) = app
        .admin(
            "POST",
            "/v1/screen/batch",
            Some(serde_json::Value::Array(batch)),
        )
        .await;
    assert_error(status, &answer, StatusCode::SERVICE_UNAVAILABLE, "timeout");
}
