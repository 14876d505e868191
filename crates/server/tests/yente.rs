//! yente compatibility, field by field: `POST /match/{dataset}` with requests written from
//! yente's documented contract (its router's docstring, `yente/data/common.py`), against the
//! UN list and OFAC 2022-03-24 in a real store; every status and `{"detail"}` body yente
//! gives; `total.value` counting `match: true`; `limit`, `threshold`, `cutoff`,
//! `exclude_schema`, `exclude_entity_ids`, include/exclude datasets; the audit record of each
//! match, replayed; the `ApiKey` scheme; `/entities`, `/search`, `/catalog`, `/algorithms`.
//! A second test is a client that knows only yente's contract.

#[allow(dead_code, unused_imports)]
#[macro_use]
#[path = "api/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Harness, import, sqlite};
use interdict_server::ServerConfig;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const UN: &str = "lists/un-consolidated-2026-02-27.xml";
const OFAC: &str = "lists/ofac-sdn-2022-03-24/sdn.csv";

/// A harness over the UN list and OFAC 2022-03-24.
async fn harness() -> (Harness, common::Guard) {
    let (guard, store) = sqlite().await;
    import(&store, UN).await;
    import(&store, OFAC).await;
    (Harness::new(store, ServerConfig::default()).await, guard)
}

/// Sends `method path` with `Authorization: ApiKey KEY`, as yente's clients do; returns the
/// status, the `x-batch-size` header and the body.
async fn yente(
    harness: &Harness,
    method: &str,
    path: &str,
    body: Option<String>,
) -> (StatusCode, Option<String>, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("ApiKey {}", harness.admin))
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, Body::from))
        .expect("request");
    let response = tower::ServiceExt::oneshot(harness.router.clone(), request)
        .await
        .expect("infallible");
    let status = response.status();
    let batch = response
        .headers()
        .get("x-batch-size")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, batch, value)
}

async fn post_match(harness: &Harness, path: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, value) = yente(harness, "POST", path, Some(body.to_string())).await;
    (status, value)
}

/// yente's error shape: the status, and `{"detail": <text>}` and nothing else.
fn assert_detail(status: StatusCode, body: &Value, expected: StatusCode, contains: &str) {
    assert_eq!(status, expected, "{body}");
    let object = body.as_object().expect("an object");
    assert_eq!(object.len(), 1, "{body}");
    let detail = object["detail"].as_str().expect("detail text");
    assert!(
        detail.contains(contains),
        "{detail:?} should say {contains:?}"
    );
}

fn person_query() -> Value {
    json!({
        "schema": "Person",
        "properties": {
            "name": ["Floribert Ngabu Njabu"],
            "birthDate": ["1971-05-23"],
            "nationality": ["cd"]
        }
    })
}

fn vessel_query() -> Value {
    json!({"schema": "Vessel", "properties": {"name": "ARK", "imoNumber": ["IMO9187655"]}})
}

fn results(response: &Value, key: &str) -> Vec<Value> {
    response["responses"][key]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn matched(results: &[Value]) -> usize {
    results.iter().filter(|r| r["match"] == json!(true)).count()
}

#[tokio::test]
async fn match_answers_yente_requests_field_by_field() {
    let (harness, _guard) = harness().await;

    // The documented example shape: queries by the caller's keys, FtM schema and properties.
    let body = json!({
        "queries": {
            "entity1": person_query(),
            "entity2": vessel_query(),
            "entity3": {
                "schema": "Company",
                "properties": {
                    "name": ["Brilliant Amazing Limited"],
                    "jurisdiction": ["hk"],
                    "registrationNumber": ["84BA99810"]
                }
            }
        }
    });
    let (status, batch, response) =
        yente(&harness, "POST", "/match/default", Some(body.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert_eq!(batch.as_deref(), Some("3"));
    assert_eq!(response["limit"], 5);
    let responses = response["responses"].as_object().expect("responses");
    assert_eq!(
        responses.keys().collect::<Vec<_>>(),
        ["entity1", "entity2", "entity3"]
    );
    for (key, answer) in responses {
        assert_eq!(answer["status"], 200, "{key}");
        let found = results(&response, key);
        assert!(found.len() <= 5);
        assert_eq!(answer["total"]["value"], matched(&found), "{key}");
        assert_eq!(answer["total"]["relation"], "eq");
        // Best first.
        let scores: Vec<f64> = found.iter().filter_map(|r| r["score"].as_f64()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }

    // The person: the UN's CDi.021, an FtM entity with yente's fields.
    let top = &results(&response, "entity1")[0];
    assert_eq!(top["id"], "un-sc-CDi.021", "{top}");
    assert_eq!(top["schema"], "Person");
    assert_eq!(top["referents"], json!(["un-sc:CDi.021"]));
    assert_eq!(top["datasets"], json!(["un-sc"]));
    assert_eq!(top["target"], true);
    assert!(top["caption"].as_str().is_some_and(|c| c.contains("NGABU")));
    assert!(
        top["properties"]["birthDate"]
            .as_array()
            .is_some_and(|d| d.contains(&json!("1971-05-23")))
    );
    assert_eq!(top["match"], true);
    assert!(top["score"].as_f64().is_some_and(|s| s >= 0.9), "{top}");
    let explanations = top["explanations"].as_object().expect("explanations");
    for feature in explanations.values() {
        assert!(
            feature["score"].is_number() && feature["detail"].is_string(),
            "{feature}"
        );
    }
    assert!(explanations.contains_key("name"));
    assert!(
        explanations.contains_key("date_of_birth"),
        "{explanations:?}"
    );
    for key in ["first_seen", "last_seen", "last_change"] {
        assert!(top.get(key).is_some(), "{key}");
    }
    // The query is echoed as understood (values as lists), with the caller's schema.
    let echoed = &response["responses"]["entity1"]["query"];
    assert_eq!(echoed["schema"], "Person");
    assert_eq!(echoed["properties"]["nationality"], json!(["cd"]));

    // The vessel, found by name and IMO number; the company matches nothing.
    let vessel = &results(&response, "entity2")[0];
    assert_eq!(vessel["schema"], "Vessel");
    assert_eq!(vessel["datasets"], json!(["ofac-sdn"]));
    assert!(
        vessel["properties"]["imoNumber"]
            .as_array()
            .is_some_and(|v| v.contains(&json!("IMO9187655")))
    );
    assert_eq!(
        response["responses"]["entity2"]["query"]["properties"]["name"],
        json!(["ARK"])
    );
    assert_eq!(response["responses"]["entity3"]["total"]["value"], 0);

    // Identifiers reach the matcher: a passport number given as yente's `idNumber` raises
    // the person met on a name alone.
    let by_passport = json!({"queries": {"p": {"schema": "Person", "properties": {
        "name": ["Ngabu"], "idNumber": ["OB 0243318"]}}}});
    let (status, response) =
        post_match(&harness, "/match/default?threshold=0.5", by_passport).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let found = results(&response, "p");
    let hit = found
        .iter()
        .find(|r| r["id"] == "un-sc-CDi.021")
        .expect("found by passport");
    assert!(
        hit["explanations"]
            .as_object()
            .is_some_and(|e| e.contains_key("identifier")),
        "{hit}"
    );
    let without =
        json!({"queries": {"p": {"schema": "Person", "properties": {"name": ["Ngabu"]}}}});
    let (_, response) = post_match(&harness, "/match/default?threshold=0.3", without).await;
    let by_name = results(&response, "p")
        .iter()
        .find(|r| r["id"] == "un-sc-CDi.021")
        .and_then(|r| r["score"].as_f64())
        .unwrap_or(0.0);
    assert!(hit["score"].as_f64() > Some(by_name), "{by_name} {hit}");

    // Every name screened is on record, and replays identically.
    let detail = explanations["interdict"]["detail"]
        .as_str()
        .expect("detail");
    let record = detail.rsplit(' ').next().expect("a screening id");
    let (status, replay) = harness
        .admin("POST", &format!("/v1/audit/{record}/replay"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{replay}");
    assert_eq!(replay["identical"], true, "{replay}");

    // limit.
    let one = json!({"queries": {"q": person_query()}});
    let (status, response) = post_match(&harness, "/match/default?limit=1", one.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(response["limit"], 1);
    assert_eq!(results(&response, "q").len(), 1);

    // threshold and cutoff: results between them are returned with `match` false and are
    // not counted in `total.value`.
    let typo = json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Floribert Ngabu Njabo"]}}}});
    let (_, strict) = post_match(
        &harness,
        "/match/default?threshold=0.999&cutoff=0.5&limit=20",
        typo.clone(),
    )
    .await;
    let found = results(&strict, "q");
    assert!(!found.is_empty());
    assert!(found.iter().all(|r| r["score"].as_f64() < Some(0.999)));
    assert_eq!(matched(&found), 0);
    assert_eq!(strict["responses"]["q"]["total"]["value"], 0);
    let (_, lenient) = post_match(&harness, "/match/default?threshold=0.5", typo.clone()).await;
    let found = results(&lenient, "q");
    assert_eq!(matched(&found), found.len());
    assert_eq!(lenient["responses"]["q"]["total"]["value"], found.len());
    // Without cutoff, the threshold bounds the results too.
    let (_, default) = post_match(&harness, "/match/default?threshold=0.999", typo).await;
    assert!(results(&default, "q").is_empty());

    // exclude_schema.
    let vessel_body = json!({"queries": {"v": vessel_query()}});
    let (_, response) = post_match(
        &harness,
        "/match/default?exclude_schema=Vessel",
        vessel_body.clone(),
    )
    .await;
    assert!(
        results(&response, "v")
            .iter()
            .all(|r| r["schema"] != "Vessel")
    );

    // exclude_entity_ids, by FtM id and by interdict id.
    for excluded in ["un-sc-CDi.021", "un-sc:CDi.021"] {
        let (status, response) = post_match(
            &harness,
            &format!("/match/default?exclude_entity_ids={excluded}"),
            one.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            results(&response, "q")
                .iter()
                .all(|r| r["id"] != "un-sc-CDi.021"),
            "{excluded}"
        );
    }

    // Datasets: the path, include_dataset and exclude_dataset.
    for path in [
        "/match/ofac-sdn",
        "/match/default?include_dataset=ofac-sdn",
        "/match/default?exclude_dataset=un-sc",
    ] {
        let (status, response) = post_match(&harness, path, one.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            results(&response, "q")
                .iter()
                .all(|r| r["datasets"] == json!(["ofac-sdn"])),
            "{path}"
        );
    }
    let (_, response) = post_match(&harness, "/match/un-sc", one.clone()).await;
    assert_eq!(results(&response, "q")[0]["id"], "un-sc-CDi.021");
    let (_, response) = post_match(&harness, "/match/default?topics=sanction", one.clone()).await;
    assert!(!results(&response, "q").is_empty());
    let (_, response) = post_match(&harness, "/match/default?topics=role.pep", one.clone()).await;
    assert!(results(&response, "q").is_empty());
    let (status, _) = post_match(
        &harness,
        "/match/default?changed_since=2024-01-01T10",
        one.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Algorithms: best, interdict's own, and yente's names interdict honours, said so.
    for algorithm in ["best", "interdict", "logic-v2", "name-based"] {
        let (status, response) = post_match(
            &harness,
            &format!("/match/default?algorithm={algorithm}"),
            one.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{algorithm}");
        let detail = results(&response, "q")[0]["explanations"]["interdict"]["detail"].clone();
        let expected = if algorithm == "best" {
            "interdict"
        } else {
            algorithm
        };
        assert!(
            detail
                .as_str()
                .is_some_and(|d| d.contains(&format!("algorithm {expected} "))),
            "{detail}"
        );
    }
}

#[tokio::test]
async fn errors_have_yentes_statuses_and_detail() {
    let (harness, _guard) = harness().await;
    let one = json!({"queries": {"q": person_query()}});
    let many: serde_json::Map<String, Value> = (0..101)
        .map(|i| (format!("q{i}"), person_query()))
        .collect();
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "/match/default",
            json!({"queries": {}}),
            StatusCode::BAD_REQUEST,
            "No queries provided.",
        ),
        (
            "/match/default",
            json!({"queries": {"q": null}}),
            StatusCode::BAD_REQUEST,
            "No queries provided.",
        ),
        (
            "/match/default",
            json!({"queries": many}),
            StatusCode::BAD_REQUEST,
            "Too many queries in one batch (limit: 100)",
        ),
        (
            "/match/default?algorithm=ofac-249",
            one.clone(),
            StatusCode::BAD_REQUEST,
            "Invalid algorithm: ofac-249",
        ),
        (
            "/match/default",
            json!({"queries": {"q": person_query()}, "config": {"nm_no_such_key": 0.4}}),
            StatusCode::BAD_REQUEST,
            "Invalid configuration parameter: nm_no_such_key for algorithm logic-v2",
        ),
        // logic-v2's keys are not interdict's algorithm's.
        (
            "/match/default?algorithm=interdict",
            json!({"queries": {"q": person_query()}, "config": {"nm_number_mismatch": 0.4}}),
            StatusCode::BAD_REQUEST,
            "Invalid configuration parameter: nm_number_mismatch for algorithm interdict",
        ),
        (
            "/match/default",
            json!({"queries": {"q": {"schema": "Planet", "properties": {"name": ["x"]}}}}),
            StatusCode::BAD_REQUEST,
            "Cannot parse example entity: Unknown schema",
        ),
        (
            "/match/default",
            json!({"queries": {"q": {"schema": "Address", "properties": {"full": ["Main St"]}}}}),
            StatusCode::BAD_REQUEST,
            "Non-matchable schema",
        ),
        (
            "/match/default",
            json!({"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}}),
            StatusCode::BAD_REQUEST,
            "Cannot parse example entity",
        ),
        (
            "/match/nowhere",
            one.clone(),
            StatusCode::NOT_FOUND,
            "No such dataset.",
        ),
        (
            "/match/default?limit=0",
            one.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit",
        ),
        (
            "/match/default?limit=501",
            one.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit: 501 is not in [1, 500]",
        ),
        (
            "/match/default?limit=five",
            one.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit",
        ),
        (
            "/match/default?threshold=1.5",
            one.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "threshold",
        ),
        (
            "/match/default?changed_since=yesterday",
            one.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "changed_since",
        ),
        (
            "/match/default",
            json!({"query": {}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "queries",
        ),
    ];
    for (path, body, expected, contains) in cases {
        let (status, response) = post_match(&harness, path, body).await;
        assert_detail(status, &response, expected, contains);
    }
    // A full batch of queries with two names each, on a dataset-scoped route, fits the
    // batch's budget of matches (each of its 200 screenings asks for 50 candidates).
    let aliased: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let query = json!({"schema": "Person", "properties": {
                "name": ["Floribert Ngabu Njabu"], "alias": ["Ngabu Floribert"]}});
            (format!("q{i}"), query)
        })
        .collect();
    let (status, response) =
        post_match(&harness, "/match/un-sc", json!({"queries": aliased})).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert_eq!(results(&response, "q99")[0]["id"], "un-sc-CDi.021");

    let (status, _, response) =
        yente(&harness, "POST", "/match/default", Some("{not json".into())).await;
    assert_detail(status, &response, StatusCode::UNPROCESSABLE_ENTITY, "body");

    // The service's own refusals keep their statuses, in yente's shape.
    let request = Request::builder()
        .method("POST")
        .uri("/match/default")
        .header("content-type", "application/json")
        .body(Body::from(one.to_string()))
        .expect("request");
    let (status, response) = harness.send(request).await;
    assert_detail(status, &response, StatusCode::UNAUTHORIZED, "API key");
    let request = Request::builder()
        .uri("/catalog")
        .header("authorization", "ApiKey idk_0000000000000000_00")
        .body(Body::empty())
        .expect("request");
    let (status, response) = harness.send(request).await;
    assert_detail(status, &response, StatusCode::UNAUTHORIZED, "unknown");

    // The ApiKey scheme reaches interdict's own API too.
    let (status, _, response) = yente(
        &harness,
        "POST",
        "/v1/screen",
        Some(json!({"name": "Floribert Ngabu Njabu"}).to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
}

#[tokio::test]
async fn entities_search_catalog_and_algorithms_have_yentes_shapes() {
    let (harness, _guard) = harness().await;
    for id in ["un-sc-CDi.021", "un-sc:CDi.021"] {
        let (status, _, entity) = yente(&harness, "GET", &format!("/entities/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(entity["id"], "un-sc-CDi.021");
        assert_eq!(entity["schema"], "Person");
        assert!(entity["properties"]["name"].is_array());
    }
    let (status, _, missing) = yente(&harness, "GET", "/entities/un-sc-none", None).await;
    assert_detail(status, &missing, StatusCode::NOT_FOUND, "No such entity");

    let (status, _, search) = yente(
        &harness,
        "GET",
        "/search/default?q=Floribert%20Ngabu&limit=3",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{search}");
    assert_eq!(search["limit"], 3);
    assert_eq!(search["offset"], 0);
    assert_eq!(search["results"][0]["id"], "un-sc-CDi.021");
    assert_eq!(
        search["total"]["value"],
        search["results"].as_array().map_or(0, Vec::len)
    );
    assert!(search["facets"].is_object());
    let (status, _, search) = yente(&harness, "GET", "/search/nowhere?q=x", None).await;
    assert_detail(status, &search, StatusCode::NOT_FOUND, "No such dataset.");

    let (status, _, catalog) = yente(&harness, "GET", "/catalog", None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = catalog["datasets"]
        .as_array()
        .expect("datasets")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(names, ["default", "ofac-sdn", "un-sc"]);
    assert_eq!(catalog["current"], json!(["default", "ofac-sdn", "un-sc"]));
    assert_eq!(catalog["outdated"], json!([]));
    assert_eq!(catalog["index_stale"], false);

    let (status, _, algorithms) = yente(&harness, "GET", "/algorithms", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(algorithms["default"], "best");
    assert_eq!(algorithms["best"], "interdict");
    let listed: Vec<&str> = algorithms["algorithms"]
        .as_array()
        .expect("algorithms")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(listed.contains(&"logic-v2") && listed.contains(&"interdict"));
}

// A client written against yente's contract only: these types carry yente's field names
// and nothing of interdict's.

#[derive(Debug, Deserialize)]
struct MatchResponse {
    responses: BTreeMap<String, EntityMatches>,
    limit: usize,
}

#[derive(Debug, Deserialize)]
struct EntityMatches {
    status: u16,
    results: Vec<ScoredEntity>,
    total: Total,
}

#[derive(Debug, Deserialize)]
struct Total {
    value: usize,
    relation: String,
}

#[derive(Debug, Deserialize)]
struct ScoredEntity {
    id: String,
    caption: String,
    schema: String,
    properties: BTreeMap<String, Vec<String>>,
    datasets: Vec<String>,
    score: f64,
    #[serde(rename = "match")]
    is_match: bool,
}

#[derive(Debug, Deserialize)]
struct ErrorResponse {
    detail: String,
}

/// What a yente client does with an answer: the matches, or the error's detail.
async fn client_match(
    harness: &Harness,
    queries: Value,
) -> Result<MatchResponse, (StatusCode, String)> {
    let (status, _, body) = yente(
        harness,
        "POST",
        "/match/default?algorithm=best",
        Some(json!({ "queries": queries }).to_string()),
    )
    .await;
    if status == StatusCode::OK {
        Ok(serde_json::from_value(body).expect("yente's response shape"))
    } else {
        let error: ErrorResponse = serde_json::from_value(body).expect("yente's error shape");
        Err((status, error.detail))
    }
}

#[tokio::test]
async fn a_client_of_yentes_contract_screens_batches_and_handles_errors() {
    let (harness, _guard) = harness().await;
    // Screens one.
    let one = client_match(&harness, json!({"a": person_query()}))
        .await
        .expect("screened");
    let a = &one.responses["a"];
    assert_eq!(a.status, 200);
    assert_eq!(a.total.relation, "eq");
    let hit = &a.results[0];
    assert!(hit.is_match && hit.score > 0.9 && hit.schema == "Person");
    assert!(!hit.caption.is_empty() && !hit.id.is_empty() && !hit.datasets.is_empty());
    assert!(hit.properties.contains_key("name"));
    assert_eq!(one.limit, 5);

    // Batches a hundred, each answered under its key.
    let batch: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let query = if i % 2 == 0 {
                person_query()
            } else {
                vessel_query()
            };
            (format!("row-{i}"), query)
        })
        .collect();
    let answered = client_match(&harness, Value::Object(batch))
        .await
        .expect("batch");
    assert_eq!(answered.responses.len(), 100);
    for (key, matches) in &answered.responses {
        assert_eq!(
            matches.total.value,
            matches.results.iter().filter(|r| r.is_match).count(),
            "{key}"
        );
        assert!(matches.total.value >= 1, "{key}");
    }

    // Handles each error by its status and detail.
    let (status, detail) = client_match(&harness, json!({})).await.expect_err("empty");
    assert_eq!(
        (status, detail.as_str()),
        (StatusCode::BAD_REQUEST, "No queries provided.")
    );
    let too_many: serde_json::Map<String, Value> =
        (0..101).map(|i| (i.to_string(), person_query())).collect();
    let (status, detail) = client_match(&harness, Value::Object(too_many))
        .await
        .expect_err("too many");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail.starts_with("Too many queries"));
    let (status, detail) = client_match(
        &harness,
        json!({"x": {"schema": "Nothing", "properties": {}}}),
    )
    .await
    .expect_err("bad example");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(detail.starts_with("Cannot parse example entity"));
}

#[tokio::test]
async fn a_list_exported_over_http_parses_back_to_the_same_version() {
    let (guard, store) = sqlite().await;
    let version = import(&store, UN).await;
    let harness = Harness::new(store, ServerConfig::default()).await;
    let request = Request::builder()
        .uri("/v1/lists/un-sc/export?format=ftm")
        .header("authorization", format!("ApiKey {}", harness.admin))
        .body(Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(harness.router.clone(), request)
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson")
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let parsed = interdict_sources::parse(
        &[interdict_sources::SourceFile {
            name: "entities.ftm.json".into(),
            bytes,
        }],
        None,
        None,
    )
    .expect("FtM");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.list, "un-sc");
    assert_eq!(interdict_model::content_hash(&parsed.entities), version);

    let (status, response) = harness
        .admin("GET", "/v1/lists/un-sc/export?format=xml", None)
        .await;
    common::assert_error(
        status,
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    drop(guard);
}

/// Posts a `/match` and returns the status, the response's headers and the body.
async fn post_match_with_headers(
    harness: &Harness,
    path: &str,
    body: Value,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header("authorization", format!("ApiKey {}", harness.admin))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = tower::ServiceExt::oneshot(harness.router.clone(), request)
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn ids(results: &[Value]) -> Vec<(Value, Value)> {
    results
        .iter()
        .map(|r| (r["id"].clone(), r["score"].clone()))
        .collect()
}

#[tokio::test]
async fn total_counts_matches_past_the_limit_up_to_yentes_500() {
    let (harness, _guard) = harness().await;
    // "Ali Hassan" matches several listed people (OFAC and UN).
    let body =
        json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Hassan"]}}}});
    let (status, wide) = post_match(&harness, "/match/default?limit=50", body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{wide}");
    let everything = results(&wide, "q");
    let matching = matched(&everything);
    assert!(matching >= 2, "{wide}");
    assert_eq!(wide["responses"]["q"]["total"]["value"], matching);
    assert_eq!(wide["responses"]["q"]["total"]["relation"], "eq");

    // limit=1: one result, and the count of every match, as yente's score_results counts.
    let (status, one) = post_match(&harness, "/match/default?limit=1", body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    let first = results(&one, "q");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["id"], everything[0]["id"]);
    assert_eq!(one["responses"]["q"]["total"]["value"], matching);

    // Below the cutoff nothing is counted; between cutoff and threshold results are
    // returned and not counted.
    let (_, strict) = post_match(
        &harness,
        "/match/default?limit=1&threshold=0.9&cutoff=0.5",
        body.clone(),
    )
    .await;
    let above = everything
        .iter()
        .filter(|r| r["score"].as_f64() >= Some(0.9))
        .count();
    assert_eq!(strict["responses"]["q"]["total"]["value"], above);

    // yente's largest limit is accepted for one query ...
    let (status, most) = post_match(&harness, "/match/default?limit=500", body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{most}");
    assert_eq!(most["limit"], 500);
    assert_eq!(ids(&results(&most, "q")), ids(&everything));
    // ... and for a full batch, whose screenings the batch's budget of matches bounds (100
    // per name here): the answers are the same.
    let batch: serde_json::Map<String, Value> = (0..100)
        .map(|i| (format!("q{i}"), body["queries"]["q"].clone()))
        .collect();
    let (status, full) = post_match(
        &harness,
        "/match/default?limit=500",
        json!({"queries": batch}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{full}");
    assert_eq!(full["responses"].as_object().map(|r| r.len()), Some(100));
    assert_eq!(ids(&results(&full, "q99")), ids(&everything));
    assert_eq!(full["responses"]["q99"]["total"]["value"], matching);
}

#[tokio::test]
async fn weights_and_logic_v2_config_are_accepted_and_said_not_applied() {
    let (harness, _guard) = harness().await;
    let plain = json!({"queries": {"q": person_query()}});
    let (status, headers, expected) =
        post_match_with_headers(&harness, "/match/default", plain).await;
    assert_eq!(status, StatusCode::OK, "{expected}");
    assert!(headers.get("x-interdict-not-applied").is_none());

    // What a yente client sends (yente's documented examples): the same answer, and a header
    // naming what interdict did not apply.
    let tuned = json!({
        "queries": {"q": person_query()},
        "weights": {"name_literal": 0.8, "country_mismatch": -0.5},
        "config": {"nm_number_mismatch": 0.4},
    });
    for path in ["/match/default", "/match/default?algorithm=logic-v2"] {
        let (status, headers, answer) =
            post_match_with_headers(&harness, path, tuned.clone()).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(
            ids(&results(&answer, "q")),
            ids(&results(&expected, "q")),
            "{path}"
        );
        assert_eq!(
            headers
                .get("x-interdict-not-applied")
                .and_then(|v| v.to_str().ok()),
            Some("weights.country_mismatch, weights.name_literal, config.nm_number_mismatch"),
            "{path}"
        );
    }
    // Weights alone are accepted whatever the algorithm, as yente's are.
    let weighted = json!({"queries": {"q": person_query()}, "weights": {"name_match": 1.0}});
    let (status, headers, _) =
        post_match_with_headers(&harness, "/match/default?algorithm=name-based", weighted).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers
            .get("x-interdict-not-applied")
            .and_then(|v| v.to_str().ok()),
        Some("weights.name_match")
    );
    // A weight that is not a number is malformed, as in yente.
    let bad = json!({"queries": {"q": person_query()}, "weights": {"name_match": "high"}});
    let (status, response) = post_match(&harness, "/match/default", bad).await;
    assert_detail(status, &response, StatusCode::UNPROCESSABLE_ENTITY, "body");

    // /algorithms documents logic-v2's features and configuration keys, as not applied.
    let (status, _, algorithms) = yente(&harness, "GET", "/algorithms", None).await;
    assert_eq!(status, StatusCode::OK);
    let logic_v2 = algorithms["algorithms"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["name"] == "logic-v2"))
        .cloned()
        .expect("logic-v2 listed");
    assert!(logic_v2["docs"]["config"]["nm_number_mismatch"].is_object());
    assert!(
        logic_v2["docs"]["features"]["name_match"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("not applied"))
    );
}

/// Imports an OFAC SDN file with its publication date, as `lists import --published` does.
async fn import_published(store: &interdict_store::Store, relative: &str, published: &str) {
    let path = common::shared(relative);
    let bytes = std::fs::read(&path).expect("read list file");
    let file = interdict_sources::SourceFile {
        name: "sdn.csv".into(),
        bytes,
    };
    let parsed = interdict_sources::parse(&[file], None, None).expect("parse");
    let request = interdict_store::ImportRequest {
        published: Some(published.parse().expect("a date")),
        source_files: &[],
        actor: "test",
        activation: interdict_store::Activation::Always,
        notes: json!({}),
    };
    store
        .import(
            &parsed.list,
            parsed.format.name(),
            &parsed.entities,
            &request,
        )
        .await
        .expect("import");
}

#[tokio::test]
async fn entities_carry_their_times_and_changed_since_keeps_only_the_changed() {
    let (guard, store) = sqlite().await;
    import_published(&store, "lists/ofac-sdn-2022-03-21/sdn.csv", "2022-03-21").await;
    import_published(&store, "lists/ofac-sdn-2022-03-24/sdn.csv", "2022-03-24").await;
    let harness = Harness::new(store, ServerConfig::default()).await;
    let _guard = guard;

    // A State Duma member OFAC added on 2022-03-24.
    let duma = json!({"queries": {"q": {"schema": "Person", "properties": {
        "name": ["Nikolay Mikhaylovich Kharitonov"], "birthDate": ["1948-10-30"]}}}});
    // A person listed since long before, unchanged between the two files.
    let unchanged = json!({"queries": {"q": {"schema": "Person", "properties": {
        "name": ["Umar Abd Al Rahman"]}}}});

    let (status, response) = post_match(&harness, "/match/ofac-sdn", duma.clone()).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let found = results(&response, "q");
    assert_eq!(found[0]["id"], "ofac-sdn-35389", "{response}");
    assert_eq!(found[0]["first_seen"], "2022-03-24T00:00:00");
    assert_eq!(found[0]["last_seen"], "2022-03-24T00:00:00");
    assert_eq!(found[0]["last_change"], "2022-03-24T00:00:00");

    let (status, _, old) = yente(&harness, "GET", "/entities/ofac-sdn-2675", None).await;
    assert_eq!(status, StatusCode::OK, "{old}");
    assert_eq!(old["first_seen"], "2022-03-21T00:00:00");
    assert_eq!(old["last_seen"], "2022-03-24T00:00:00");
    assert_eq!(old["last_change"], "2022-03-21T00:00:00");
    let (_, _, search) = yente(&harness, "GET", "/search/default?q=Kharitonov", None).await;
    let hit = search["results"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["id"] == "ofac-sdn-35389"))
        .cloned()
        .expect("found by search");
    assert_eq!(hit["first_seen"], "2022-03-24T00:00:00");

    // An entity whose content changed between the files: last changed on 03-24, first seen
    // on 03-21.
    let (_, _, changed) = yente(&harness, "GET", "/entities/ofac-sdn-16666", None).await;
    assert_eq!(changed["first_seen"], "2022-03-21T00:00:00");
    assert_eq!(changed["last_change"], "2022-03-24T00:00:00");

    // changed_since between the two publications keeps the new member and drops the
    // unchanged one; before both, it keeps both.
    let (_, kept) = post_match(
        &harness,
        "/match/default?changed_since=2022-03-22",
        duma.clone(),
    )
    .await;
    assert_eq!(results(&kept, "q")[0]["id"], "ofac-sdn-35389");
    let (_, plain) = post_match(&harness, "/match/default", unchanged.clone()).await;
    assert!(
        results(&plain, "q")
            .iter()
            .any(|r| r["id"] == "ofac-sdn-2675"),
        "{plain}"
    );
    let (_, dropped) = post_match(
        &harness,
        "/match/default?changed_since=2022-03-22T12:00",
        unchanged.clone(),
    )
    .await;
    assert!(results(&dropped, "q").is_empty(), "{dropped}");
    assert_eq!(dropped["responses"]["q"]["total"]["value"], 0);
    let (_, before) = post_match(
        &harness,
        "/match/default?changed_since=2022-03-21",
        unchanged,
    )
    .await;
    assert!(
        results(&before, "q")
            .iter()
            .any(|r| r["id"] == "ofac-sdn-2675")
    );
}

#[tokio::test]
async fn exclude_cleared_leaves_out_what_four_eyes_cleared_for_the_customer() {
    let (guard, store) = sqlite().await;
    import(&store, UN).await;
    import(&store, OFAC).await;
    let harness = Harness::new(store.clone(), ServerConfig::default()).await;
    let _guard = guard;
    let analyst = harness.key(interdict_store::Role::Analyst).await;
    let reviewer = harness.key(interdict_store::Role::Reviewer).await;

    // Monitoring raised alerts on the UN's Floribert Ngabu Njabu for customers C-1 and C-2;
    // C-1's was cleared as a false positive by an analyst and a reviewer, C-2's is only
    // proposed.
    for customer in ["C-1", "C-2"] {
        let (status, body) = harness
            .call(
                "PUT",
                &format!("/v1/portfolio/{customer}"),
                Some(&analyst),
                Some(json!({"name": "Floribert Ngabu Njabu"})),
            )
            .await;
        assert!(status.is_success(), "{body}");
    }
    let raised = ["C-1", "C-2"]
        .iter()
        .map(|customer| interdict_store::NewAlert {
            customer_id: (*customer).into(),
            entity_id: "un-sc:CDi.021".into(),
            list_version: "v1".into(),
            score: 1.0,
            matched_name: "Floribert Ngabu Njabu".into(),
            explanation: json!({"score": 1.0}),
            customer_fingerprint: "c".into(),
            entity_fingerprint: "e".into(),
            reason: interdict_store::AlertReason::NewCustomer,
        })
        .collect();
    store
        .record_monitor_run(&interdict_store::MonitorRun {
            create: raised,
            actor: "monitor".into(),
            ..interdict_store::MonitorRun::default()
        })
        .await
        .expect("monitor run");
    let (_, alerts) = harness
        .call("GET", "/v1/alerts?status=open", Some(&analyst), None)
        .await;
    let alert_of = |customer: &str| {
        alerts
            .as_array()
            .and_then(|all| all.iter().find(|a| a["customer_id"] == customer))
            .and_then(|a| a["id"].as_i64())
            .unwrap_or_else(|| panic!("an alert of {customer}: {alerts}"))
    };
    let (cleared_alert, proposed_alert) = (alert_of("C-1"), alert_of("C-2"));
    let decision = json!({"decision": "false_positive", "note": "born 1990, not 1971"});
    for alert in [cleared_alert, proposed_alert] {
        let (status, body) = harness
            .call(
                "POST",
                &format!("/v1/alerts/{alert}/decision"),
                Some(&analyst),
                Some(decision.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = harness
        .call(
            "POST",
            &format!("/v1/alerts/{cleared_alert}/approve"),
            Some(&reviewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let query = |id: Option<&str>| {
        let mut query = person_query();
        if let Some(id) = id {
            query["id"] = json!(id);
        }
        query
    };
    let body = json!({"queries": {
        "c1": query(Some("C-1")), "c2": query(Some("C-2")), "anonymous": query(None)}});
    let has_un = |response: &Value, key: &str| {
        results(response, key)
            .iter()
            .any(|r| r["id"] == "un-sc-CDi.021")
    };
    // Without the extension, yente's behaviour: every query finds him.
    let (status, plain) = post_match(&harness, "/match/default", body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{plain}");
    for key in ["c1", "c2", "anonymous"] {
        assert!(has_un(&plain, key), "{key}: {plain}");
    }
    // With it, only C-1's cleared entity is left out (C-2's decision awaits its reviewer).
    let (status, excluded) =
        post_match(&harness, "/match/default?exclude_cleared=true", body).await;
    assert_eq!(status, StatusCode::OK, "{excluded}");
    assert!(!has_un(&excluded, "c1"), "{excluded}");
    assert!(has_un(&excluded, "c2"));
    assert!(has_un(&excluded, "anonymous"));
    assert_eq!(excluded["responses"]["c1"]["query"]["id"], "C-1");

    // The screening of C-1's name is on record with the match, and says it was left out.
    let records = store
        .audit_records_between(
            chrono::Utc::now() - chrono::TimeDelta::days(1),
            chrono::Utc::now() + chrono::TimeDelta::days(1),
            0,
            10_000,
        )
        .await
        .expect("audit");
    let noted: Vec<Value> = records
        .iter()
        .filter(|r| r.kind == "screening")
        .filter_map(|r| serde_json::from_str::<Value>(r.payload.get()).ok())
        .filter(|p| !p["notes"].is_null())
        .collect();
    assert_eq!(noted.len(), 1, "{noted:?}");
    let note = &noted[0]["notes"]["exclude_cleared"];
    assert_eq!(note["customer_id"], "C-1");
    assert_eq!(note["left_out"][0]["entity_id"], "un-sc:CDi.021");
    assert_eq!(note["left_out"][0]["alert_id"], cleared_alert);
    let matches = noted[0]["result"]["matches"].as_array().expect("matches");
    assert!(matches.iter().any(|m| m["entity_id"] == "un-sc:CDi.021"));

    let (status, response) = post_match(
        &harness,
        "/match/default?exclude_cleared=maybe",
        json!({"queries": {"q": person_query()}}),
    )
    .await;
    assert_detail(
        status,
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "exclude_cleared",
    );
}

#[tokio::test]
async fn collections_are_datasets_of_match_search_and_catalog() {
    let (harness, _guard) = harness().await;
    let screener = harness.key(interdict_store::Role::Screener).await;
    let one = json!({"queries": {"q": person_query()}});
    let (status, response) = post_match(&harness, "/match/sanctions", one.clone()).await;
    assert_detail(status, &response, StatusCode::NOT_FOUND, "No such dataset.");

    // An admin names a collection; a screener may read, not change, them.
    let (status, set) = harness
        .admin(
            "PUT",
            "/v1/datasets/sanctions",
            Some(json!({"lists": ["un-sc", "ofac-sdn"], "title": "Sanctions"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["lists"], json!(["ofac-sdn", "un-sc"]));
    let (status, body) = harness
        .call(
            "PUT",
            "/v1/datasets/other",
            Some(&screener),
            Some(json!({"lists": ["un-sc"]})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, listed) = harness
        .call("GET", "/v1/datasets", Some(&screener), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed[0]["name"], "sanctions");
    assert_eq!(listed[0]["title"], "Sanctions");

    // Refusals name what is wrong.
    for (name, body, says) in [
        (
            "uk",
            json!({"lists": ["un-sc", "uk-hmt"]}),
            "no list \"uk-hmt\" is imported",
        ),
        ("default", json!({"lists": ["un-sc"]}), "default"),
        ("un-sc", json!({"lists": ["ofac-sdn"]}), "is a list id"),
        (
            "Bad%20Name",
            json!({"lists": ["un-sc"]}),
            "not a collection name",
        ),
        ("empty", json!({"lists": []}), "at least one list"),
    ] {
        let (status, body) = harness
            .admin("PUT", &format!("/v1/datasets/{name}"), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{name}: {message:?}");
    }

    // /match and /search on the collection; a collection of OFAC alone does not answer
    // with the UN's entity.
    let (status, response) = post_match(&harness, "/match/sanctions", one.clone()).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert_eq!(results(&response, "q")[0]["id"], "un-sc-CDi.021");
    let (status, _) = harness
        .admin(
            "PUT",
            "/v1/datasets/us",
            Some(json!({"lists": ["ofac-sdn"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, response) = post_match(&harness, "/match/us", one.clone()).await;
    assert!(
        !results(&response, "q")
            .iter()
            .any(|r| r["id"] == "un-sc-CDi.021")
    );
    // A name both lists carry: from the collection, only OFAC's.
    let both =
        json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Hassan"]}}}});
    let (_, everywhere) = post_match(&harness, "/match/default?limit=50", both.clone()).await;
    assert!(
        results(&everywhere, "q")
            .iter()
            .any(|r| r["datasets"] == json!(["un-sc"]))
    );
    let (_, response) = post_match(&harness, "/match/us?limit=50", both).await;
    let found = results(&response, "q");
    assert!(!found.is_empty(), "{response}");
    assert!(
        found.iter().all(|r| r["datasets"] == json!(["ofac-sdn"])),
        "{response}"
    );
    // include_dataset and exclude_dataset take a collection for its lists, as the path does.
    let both =
        json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Hassan"]}}}});
    let (status, response) = post_match(
        &harness,
        "/match/default?limit=50&include_dataset=us",
        both.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let found = results(&response, "q");
    assert!(!found.is_empty(), "{response}");
    assert!(
        found.iter().all(|r| r["datasets"] == json!(["ofac-sdn"])),
        "{response}"
    );
    let (_, response) = post_match(
        &harness,
        "/match/default?limit=50&exclude_dataset=us",
        both.clone(),
    )
    .await;
    let found = results(&response, "q");
    assert!(!found.is_empty(), "{response}");
    assert!(
        found.iter().all(|r| r["datasets"] == json!(["un-sc"])),
        "{response}"
    );
    let (_, response) = post_match(
        &harness,
        "/match/default?limit=50&exclude_dataset=sanctions",
        both,
    )
    .await;
    assert!(results(&response, "q").is_empty(), "{response}");
    let (status, _, search) = yente(
        &harness,
        "GET",
        "/search/sanctions?q=Floribert%20Ngabu",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{search}");
    assert_eq!(search["results"][0]["id"], "un-sc-CDi.021");

    // /catalog shows them as yente shows a collection: its lists as children.
    let (_, _, catalog) = yente(&harness, "GET", "/catalog", None).await;
    let sanctions = catalog["datasets"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["name"] == "sanctions"))
        .cloned()
        .expect("in the catalog");
    assert_eq!(sanctions["children"], json!(["ofac-sdn", "un-sc"]));
    assert_eq!(sanctions["title"], "Sanctions");
    assert_eq!(sanctions["load"], false);
    assert!(
        catalog["current"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("us")))
    );

    // Removed, it is no dataset any more.
    let (status, _) = harness
        .admin("DELETE", "/v1/datasets/sanctions", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = harness
        .admin("DELETE", "/v1/datasets/sanctions", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, response) = post_match(&harness, "/match/sanctions", one).await;
    assert_detail(status, &response, StatusCode::NOT_FOUND, "No such dataset.");
}

/// A UI request: `method path` with the cookies and a form body; the status, the
/// `Set-Cookie` values (`name=value`) and the body as text.
async fn ui(
    harness: &Harness,
    method: &str,
    path: &str,
    cookies: &str,
    form: Option<String>,
) -> (StatusCode, Vec<String>, String) {
    let mut builder = Request::builder().method(method).uri(path);
    if !cookies.is_empty() {
        builder = builder.header("cookie", cookies);
    }
    if form.is_some() {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let request = builder
        .body(form.map_or_else(Body::empty, Body::from))
        .expect("request");
    let response = tower::ServiceExt::oneshot(harness.router.clone(), request)
        .await
        .expect("infallible");
    let status = response.status();
    let set: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (status, set, String::from_utf8_lossy(&bytes).into_owned())
}

/// The value of the first `name="csrf" value="..."` on a page.
fn csrf_of(page: &str) -> String {
    let after = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a CSRF field");
    after.split('"').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_admin_sets_and_removes_collections_on_the_lists_page() {
    let (harness, _guard) = harness().await;
    // Sign in as the admin, as a browser does.
    let (_, set, form) = ui(&harness, "GET", "/ui/signin", "", None).await;
    let signin_cookie = set.join("; ");
    let body = format!("csrf={}&api_key={}", csrf_of(&form), harness.admin);
    let (status, set, _) = ui(&harness, "POST", "/ui/signin", &signin_cookie, Some(body)).await;
    assert!(status.is_redirection(), "{status}");
    let session = set
        .iter()
        .find(|c| c.starts_with("interdict_session=") && c.len() > "interdict_session=".len())
        .cloned()
        .expect("a session cookie");

    let (status, _, page) = ui(&harness, "GET", "/ui/lists", &session, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Dataset collections"), "{page}");
    assert!(page.contains("No collection yet."));
    let csrf = csrf_of(&page);

    let form = format!("csrf={csrf}&name=sanctions&lists=un-sc%2C+ofac-sdn&title=Sanctions");
    let (status, _, _) = ui(&harness, "POST", "/ui/datasets", &session, Some(form)).await;
    assert!(status.is_redirection(), "{status}");
    let (_, _, page) = ui(&harness, "GET", "/ui/lists", &session, None).await;
    assert!(page.contains("<td>ofac-sdn, un-sc</td>"), "{page}");
    assert!(page.contains("aria-label=\"Remove collection sanctions\""));
    assert!(page.contains("/match/sanctions answers for it now"));

    // A refusal is shown, naming the list; nothing is stored.
    let form = format!("csrf={csrf}&name=eu&lists=eu-fsf");
    let (status, _, _) = ui(&harness, "POST", "/ui/datasets", &session, Some(form)).await;
    assert!(status.is_redirection());
    let (_, _, page) = ui(&harness, "GET", "/ui/lists", &session, None).await;
    assert!(
        page.contains("no list &quot;eu-fsf&quot; is imported"),
        "{page}"
    );
    // Without the session's token, nothing happens.
    let (status, _, _) = ui(
        &harness,
        "POST",
        "/ui/datasets/sanctions/remove",
        &session,
        Some("csrf=forged".into()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let form = format!("csrf={csrf}");
    let (status, _, _) = ui(
        &harness,
        "POST",
        "/ui/datasets/sanctions/remove",
        &session,
        Some(form),
    )
    .await;
    assert!(status.is_redirection());
    let (_, _, page) = ui(&harness, "GET", "/ui/lists", &session, None).await;
    assert!(page.contains("collection sanctions removed"), "{page}");
    assert!(page.contains("No collection yet."));
}
