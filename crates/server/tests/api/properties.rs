//! No input makes the service fail: arbitrary bytes, arbitrary JSON and arbitrary field values
//! sent to the screening endpoints are answered with a result or a client error in the API's
//! error shape, never a 5xx or a panic.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::common::{Guard, Harness, import, sqlite};

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: Harness,
    _guard: Guard,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (guard, app) = runtime.block_on(async {
            let (guard, store) = sqlite().await;
            import(&store, "lists/un-consolidated-2026-02-27.xml").await;
            (guard, Harness::new(store, ServerConfig::default()).await)
        });
        Fixture {
            runtime,
            app,
            _guard: guard,
        }
    })
}

/// Sends `body` and checks the answer is a result or a well-formed client error.
fn check(path: &str, content_type: &str, body: Vec<u8>) -> Result<StatusCode, TestCaseError> {
    let fixture = fixture();
    let request = Request::post(path)
        .header("authorization", format!("Bearer {}", fixture.app.admin))
        .header("content-type", content_type)
        .body(Body::from(body))
        .expect("request");
    let (status, answer) = fixture.runtime.block_on(fixture.app.send(request));
    prop_assert!(
        [
            StatusCode::OK,
            StatusCode::BAD_REQUEST,
            StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNPROCESSABLE_ENTITY
        ]
        .contains(&status),
        "{status}: {answer}"
    );
    if status == StatusCode::OK {
        prop_assert!(answer.get("screening_id").is_some() || answer.get("results").is_some());
    } else {
        prop_assert!(answer["error"]["code"].is_string(), "{answer}");
        prop_assert!(answer["error"]["message"].is_string(), "{answer}");
    }
    Ok(status)
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "name",
            "dob",
            "country",
            "schema",
            "threshold",
            "limit"
        ])
        .prop_map(str::to_owned),
        ".{0,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Requests with every field present in arbitrary, mostly wrong, forms.
fn request_like() -> impl Strategy<Value = Value> {
    (
        "\\PC{0,120}",
        prop::option::of("\\PC{0,20}"),
        prop::option::of("\\PC{0,12}"),
        prop::option::of(prop_oneof![
            prop::sample::select(vec!["person", "organization", "vessel", "any"])
                .prop_map(str::to_owned),
            "\\PC{0,10}",
        ]),
        prop::option::of(-2.0f64..3.0),
        prop::option::of(0u64..200),
    )
        .prop_map(|(name, dob, country, schema, threshold, limit)| {
            json!({
                "name": name, "dob": dob, "country": country, "schema": schema,
                "threshold": threshold, "limit": limit,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check("/v1/screen", "application/json", bytes.clone())?;
        check("/v1/screen/batch", "application/json", bytes.clone())?;
        check("/v1/screen/batch", "application/x-ndjson", bytes)?;
    }

    #[test]
    fn arbitrary_json_is_answered_or_refused_cleanly(value in json_value()) {
        let text = value.to_string().into_bytes();
        check("/v1/screen", "application/json", text.clone())?;
        check("/v1/screen/batch", "application/json", text)?;
    }

    #[test]
    fn arbitrary_field_values_are_screened_or_refused_cleanly(
        requests in prop::collection::vec(request_like(), 1..4)
    ) {
        let status = check("/v1/screen", "application/json", requests[0].to_string().into_bytes())?;
        prop_assert_ne!(status, StatusCode::BAD_REQUEST, "well-formed JSON is never a 400");
        let batch = Value::Array(requests).to_string().into_bytes();
        check("/v1/screen/batch", "application/json", batch)?;
    }
}
