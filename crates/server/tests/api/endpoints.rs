//! Each endpoint answers what it documents, on both backends.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};
use serde_json::{Value, json};

use crate::common::{Guard, Harness, import, send};

on_both_backends_with_guard!(
    a_screening_has_the_cli_shape_is_recorded_and_replays_identically,
    batches_of_json_and_ndjson_are_answered_in_order_and_each_recorded,
    lists_versions_diffs_and_entities_describe_the_store,
    keys_are_managed_by_admins_and_revocation_takes_effect,
    a_key_revoked_elsewhere_is_refused_once_its_cached_check_expires,
    roles_are_enforced_along_the_ladder,
    verification_names_the_first_tampered_record,
    the_audit_trail_is_exported_page_by_page,
    probes_metrics_and_the_openapi_document_answer,
    the_same_party_on_two_lists_is_one_match_with_also_listed,
);

const UN: &str = "lists/un-consolidated-2026-02-27.xml";
const UK_SANCTIONS_LIST: &str = "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml";

/// The UN list and the UK Sanctions List name Mohammad Hassan Akhund (UN reference TAi.002,
/// UK AFG0006): `POST /v1/screen` and its batch answer one match with the other record in
/// `also_listed`, and `GET /v1/entities/{id}` names it.
async fn the_same_party_on_two_lists_is_one_match_with_also_listed(store: Store, _guard: Guard) {
    import(&store, UN).await;
    import(&store, UK_SANCTIONS_LIST).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let key = app.key(Role::Screener).await;
    let ours = ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"];
    let check = |matches: &Value| {
        let matches = matches.as_array().expect("matches");
        let hits: Vec<&Value> = matches
            .iter()
            .filter(|m| {
                let named = |v: &Value| ours.contains(&v["entity_id"].as_str().unwrap_or(""));
                named(m)
                    || m["also_listed"]
                        .as_array()
                        .is_some_and(|others| others.iter().any(named))
            })
            .collect();
        assert_eq!(hits.len(), 1, "{matches:?}");
        let others = hits[0]["also_listed"].as_array().expect("also_listed");
        assert_eq!(others.len(), 1);
        assert_ne!(others[0]["list"], hits[0]["list"]);
        assert_eq!(others[0]["linked_by"], "UN reference number TAi.002");
        assert!(others[0]["score"].is_number());
    };
    let request = json!({ "name": "Mohammad Hassan Akhund" });
    let (status, body) = app
        .call("POST", "/v1/screen", Some(&key), Some(request.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    check(&body["matches"]);
    let (status, body) = app
        .call(
            "POST",
            "/v1/screen/batch",
            Some(&key),
            Some(json!([request, { "name": "Abdulhai Salek" }])),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    check(&body["results"][0]["matches"]);

    let (status, entity) = app
        .call(
            "GET",
            "/v1/entities/uk-sanctions-list:AFG0006",
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{entity}");
    assert_eq!(entity["also_listed"][0]["entity_id"], "un-sc:TAi.002");
    let (_, once) = app
        .call("GET", "/v1/entities/un-sc:TAi.004", Some(&key), None)
        .await;
    assert_eq!(once["also_listed"], json!([]));

    // Monitoring: one alert for the customer and the party, which names the other list.
    let (status, body) = app
        .admin(
            "PUT",
            "/v1/portfolio/C-1",
            Some(json!({ "name": "Mohammad Hassan Akhund" })),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app.admin("POST", "/v1/monitor/run", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, alerts) = app.admin("GET", "/v1/alerts?customer=C-1", None).await;
    assert_eq!(status, StatusCode::OK, "{alerts}");
    let ours: Vec<&Value> = alerts
        .as_array()
        .expect("alerts")
        .iter()
        .filter(|a| ours.contains(&a["entity_id"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(ours.len(), 1, "{alerts}");
    let id = ours[0]["id"].as_i64().expect("id");
    let (status, detail) = app.admin("GET", &format!("/v1/alerts/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(
        detail["also_listed"].as_array().map(Vec::len),
        Some(1),
        "{detail}"
    );

    let (_, doc) = app.call("GET", "/openapi.json", None, None).await;
    assert!(
        doc["components"]["schemas"]["MatchJson"]["properties"]["also_listed"].is_object(),
        "the match schema documents also_listed"
    );
    assert!(doc["components"]["schemas"]["AlsoListedJson"].is_object());
}

async fn a_screening_has_the_cli_shape_is_recorded_and_replays_identically(
    store: Store,
    _guard: Guard,
) {
    let version = import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let screener = app.key(Role::Screener).await;
    let (status, body) = app
        .call(
            "POST",
            "/v1/screen",
            Some(&screener),
            Some(json!({ "name": "Abdulhai Salek", "dob": "1965", "country": "Afghanistan" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["screening_id"]
        .as_str()
        .expect("screening_id")
        .to_owned();
    assert_eq!(id.len(), 32);
    assert_eq!(body["query"]["name"], "Abdulhai Salek");
    assert_eq!(body["query"]["countries"], json!(["AF"]));
    // A date of birth and no schema: screened as a person, and the answer says so.
    assert_eq!(body["query"]["schema"], "person");
    assert_eq!(body["threshold"], interdict_matching::DEFAULT_THRESHOLD);
    assert_eq!(body["list_versions"], json!({ "un-sc": version }));
    let matches = body["matches"].as_array().expect("matches");
    assert!(!matches.is_empty(), "a UN-listed person is found: {body}");
    let best = &matches[0];
    assert_eq!(best["list"], "un-sc");
    assert!(
        best["entity_id"]
            .as_str()
            .expect("id")
            .starts_with("un-sc:")
    );
    assert_eq!(best["schema"], "person");
    assert_eq!(best["query_name"], "Abdulhai Salek");
    assert!(best["score"].as_f64().expect("score") >= interdict_matching::DEFAULT_THRESHOLD);
    for field in ["name", "matched_name", "explanation"] {
        assert!(!best[field].is_null(), "{field} in {best}");
    }

    // The record holds the request, the versions, the engine, the threshold and the result.
    let analyst = app.key(Role::Analyst).await;
    let (status, record) = app
        .call("GET", &format!("/v1/audit/{id}"), Some(&analyst), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert_eq!(record["kind"], "screening");
    assert_eq!(record["actor"], screener.split('_').nth(1).expect("key id"));
    let payload = &record["payload"];
    assert_eq!(payload["request"]["name"], "Abdulhai Salek");
    assert_eq!(payload["list_versions"], body["list_versions"]);
    assert_eq!(
        payload["engine"]["version"],
        interdict_app::screening::ENGINE_VERSION
    );
    assert_eq!(payload["threshold"], body["threshold"]);
    assert_eq!(payload["result"]["matches"], body["matches"]);

    let reviewer = app.key(Role::Reviewer).await;
    let (status, replay) = app
        .call(
            "POST",
            &format!("/v1/audit/{id}/replay"),
            Some(&reviewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{replay}");
    assert_eq!(replay["identical"], true, "{replay}");
    assert_eq!(replay["replayed_matches"], matches.len());

    // A name nobody is listed under is recorded too, with no matches.
    let (status, none) = app
        .call(
            "POST",
            "/v1/screen",
            Some(&screener),
            Some(json!({ "name": "Wilhelmina Quarterbridge", "threshold": 0.95, "limit": 3 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(none["matches"], json!([]));
    assert_eq!(none["threshold"], 0.95);
}

async fn batches_of_json_and_ndjson_are_answered_in_order_and_each_recorded(
    store: Store,
    _guard: Guard,
) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let names = ["JANAN AGHA", "Nobody Atall", "ABDULHAI SALEK"];
    let array: Vec<Value> = names.iter().map(|n| json!({ "name": n })).collect();
    let (status, body) = app
        .admin("POST", "/v1/screen/batch", Some(Value::Array(array)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().expect("results");
    let answered: Vec<&str> = results
        .iter()
        .filter_map(|r| r["query"]["name"].as_str())
        .collect();
    assert_eq!(answered, names);
    assert!(!results[0]["matches"].as_array().expect("m").is_empty());
    assert!(results[1]["matches"].as_array().expect("m").is_empty());

    let ndjson = names
        .iter()
        .map(|n| json!({ "name": n, "schema": "person" }).to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let request = Request::post("/v1/screen/batch")
        .header("x-api-key", &app.admin)
        .header("content-type", "application/x-ndjson")
        .body(Body::from(ndjson))
        .expect("request");
    let (status, lines) = app.send(request).await;
    assert_eq!(status, StatusCode::OK, "{lines}");
    let lines = lines["results"].as_array().expect("results");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["query"]["schema"], "person");

    let mut ids: Vec<&str> = results
        .iter()
        .chain(lines)
        .filter_map(|r| r["screening_id"].as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "one record per screening");
    let (_, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(verify["intact"], true, "{verify}");
    assert_eq!(
        verify["records"],
        1 + 6 + 1,
        "the import, six screenings and the admin key"
    );
}

async fn lists_versions_diffs_and_entities_describe_the_store(store: Store, _guard: Guard) {
    let old = import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let new = import(&store, "lists/ofac-sdn-2022-03-24/sdn.csv").await;
    import(&store, "lists/us-csl-sample.csv").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let key = app.key(Role::Screener).await;

    let (status, lists) = app.call("GET", "/v1/lists", Some(&key), None).await;
    assert_eq!(status, StatusCode::OK);
    let lists = lists.as_array().expect("lists");
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["list"], "ofac-sdn");
    assert_eq!(lists[0]["active_version"], new.as_str());
    assert_eq!(lists[0]["entities"], 9793);
    assert_eq!(lists[0]["versions"].as_array().expect("versions").len(), 2);
    assert_eq!(lists[1]["list"], "us-csl");

    let (status, versions) = app
        .call("GET", "/v1/lists/ofac-sdn/versions", Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let versions = versions.as_array().expect("versions");
    assert!(
        versions
            .iter()
            .any(|v| v["version"] == old.as_str() && v["active"] == false)
    );
    assert!(
        versions
            .iter()
            .any(|v| v["version"] == new.as_str() && v["active"] == true)
    );

    let (status, diff) = app
        .call(
            "GET",
            &format!(
                "/v1/lists/diff?from={}&to=ofac-sdn@{}",
                &old[..10],
                &new[..8]
            ),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(
        diff["counts"],
        json!({ "added": 397, "removed": 0, "changed": 7 })
    );
    assert!(
        diff["added"]
            .as_array()
            .expect("added")
            .contains(&json!("ofac-sdn:35391"))
    );

    let (status, entity) = app
        .call("GET", "/v1/entities/ofac-sdn:35391", Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(entity["name"], "SHARGUNOV, Sergey Aleksandrovich");
    assert_eq!(entity["source"]["format"], "ofac-sdn-csv");
    assert_eq!(entity["list_version"]["version"], new.as_str());
    assert_eq!(entity["list_version"]["active"], true);

    // The new Duma member is found by a screening against the active versions.
    let (_, found) = app
        .call(
            "POST",
            "/v1/screen",
            Some(&key),
            Some(json!({ "name": "Sergey Shargunov" })),
        )
        .await;
    assert_eq!(
        found["matches"][0]["entity_id"], "ofac-sdn:35391",
        "{found}"
    );
    assert_eq!(found["list_versions"]["ofac-sdn"], new.as_str());
}

async fn keys_are_managed_by_admins_and_revocation_takes_effect(store: Store, _guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let (status, created) = app
        .admin(
            "POST",
            "/v1/keys",
            Some(json!({ "role": "screener", "name": "payments" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let key = created["key"].as_str().expect("key").to_owned();
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["role"], "screener");

    // X-API-Key works as well as Bearer.
    let request = Request::get("/v1/lists")
        .header("x-api-key", &key)
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&app.router, request).await.0, StatusCode::OK);

    let (status, keys) = app.admin("GET", "/v1/keys", None).await;
    assert_eq!(status, StatusCode::OK);
    let listed = keys.as_array().expect("keys");
    assert_eq!(listed.len(), 2);
    assert!(
        !keys
            .to_string()
            .contains(key.rsplit('_').next().expect("secret"))
    );

    let (status, revoked) = app.admin("DELETE", &format!("/v1/keys/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(revoked["revoked_at"].is_string());
    let (status, _) = app.call("GET", "/v1/lists", Some(&key), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = app
        .admin("POST", "/v1/keys", Some(json!({ "role": "root" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.admin("DELETE", "/v1/keys/0000000000000000", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The store id of a key `idk_<id>_<secret>`.
fn key_id(key: &str) -> String {
    key.split('_').nth(1).expect("key id").to_owned()
}

async fn a_key_revoked_elsewhere_is_refused_once_its_cached_check_expires(
    store: Store,
    _guard: Guard,
) {
    import(&store, UN).await;
    // A long-lived cache: a revocation made behind this replica's back (as another replica
    // would) is not seen until the entry expires, but one made through it is seen at once.
    let cached = Harness::new(
        store.clone(),
        ServerConfig {
            key_cache_ttl: Duration::from_secs(3600),
            ..ServerConfig::default()
        },
    )
    .await;
    let key = cached.key(Role::Screener).await;
    let other = cached.key(Role::Screener).await;
    for key in [&key, &other] {
        let (status, _) = cached.call("GET", "/v1/lists", Some(key), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    store
        .revoke_key(&key_id(&key), "cli:test")
        .await
        .expect("revoke behind the replica's back");
    let (status, _) = cached.call("GET", "/v1/lists", Some(&key), None).await;
    assert_eq!(status, StatusCode::OK, "still trusted from the cache");
    let (status, _) = cached
        .admin("DELETE", &format!("/v1/keys/{}", key_id(&other)), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    for key in [&key, &other] {
        let (status, _) = cached.call("GET", "/v1/lists", Some(key), None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a revocation here clears the cache"
        );
    }

    // Without a cache, a revocation anywhere is refused on the next request.
    let uncached = Harness::new(
        store.clone(),
        ServerConfig {
            key_cache_ttl: Duration::ZERO,
            ..ServerConfig::default()
        },
    )
    .await;
    let key = uncached.key(Role::Screener).await;
    let (status, _) = uncached.call("GET", "/v1/lists", Some(&key), None).await;
    assert_eq!(status, StatusCode::OK);
    store
        .revoke_key(&key_id(&key), "cli:test")
        .await
        .expect("revoke");
    let (status, _) = uncached.call("GET", "/v1/lists", Some(&key), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn roles_are_enforced_along_the_ladder(store: Store, _guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let (_, screening) = app
        .admin("POST", "/v1/screen", Some(json!({ "name": "Janan Agha" })))
        .await;
    let screening_id = screening["screening_id"].as_str().expect("id").to_owned();
    // (method, path, body, least role allowed)
    let routes: Vec<(&str, String, Option<Value>, Role)> = vec![
        (
            "POST",
            "/v1/screen".into(),
            Some(json!({ "name": "x" })),
            Role::Screener,
        ),
        (
            "POST",
            "/v1/screen/batch".into(),
            Some(json!([{ "name": "x" }])),
            Role::Screener,
        ),
        ("GET", "/v1/lists".into(), None, Role::Screener),
        (
            "GET",
            "/v1/lists/un-sc/versions".into(),
            None,
            Role::Screener,
        ),
        (
            "GET",
            "/v1/entities/un-sc:CDi.001".into(),
            None,
            Role::Screener,
        ),
        (
            "GET",
            format!("/v1/audit/{screening_id}"),
            None,
            Role::Analyst,
        ),
        ("GET", "/v1/audit/verify".into(), None, Role::Reviewer),
        (
            "GET",
            "/v1/audit/export?from=2000-01-01&to=2100-01-01".into(),
            None,
            Role::Reviewer,
        ),
        (
            "POST",
            format!("/v1/audit/{screening_id}/replay"),
            None,
            Role::Reviewer,
        ),
        ("GET", "/v1/keys".into(), None, Role::Admin),
        (
            "POST",
            "/v1/keys".into(),
            Some(json!({ "role": "screener" })),
            Role::Admin,
        ),
        ("POST", "/v1/lists/import".into(), None, Role::Admin),
    ];
    for role in Role::ALL {
        let key = app.key(role).await;
        for (method, path, body, least) in &routes {
            let (status, answer) = app.call(method, path, Some(&key), body.clone()).await;
            if role >= *least {
                assert_ne!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role} {method} {path}: {answer}"
                );
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{role} {method} {path}");
            } else {
                crate::common::assert_error(status, &answer, StatusCode::FORBIDDEN, "forbidden");
            }
        }
    }
}

async fn verification_names_the_first_tampered_record(store: Store, guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let mut ids = Vec::new();
    for name in [
        "Janan Agha",
        "Abdulhai Salek",
        "Someone Else",
        "Another One",
    ] {
        let (_, body) = app
            .admin("POST", "/v1/screen", Some(json!({ "name": name })))
            .await;
        ids.push(body["screening_id"].as_str().expect("id").to_owned());
    }
    let (_, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(verify["intact"], true);
    assert_eq!(
        verify["records"], 6,
        "the import, the admin key and four screenings"
    );

    // Someone with database access rewrites who was screened in the second screening.
    let changed = guard
        .execute_raw(&format!(
            "UPDATE audit_records SET payload = REPLACE(payload, 'Abdulhai Salek', 'A. N. Other') \
             WHERE record_id = '{}'",
            ids[1]
        ))
        .await;
    assert_eq!(changed, 1);
    let (status, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verify["intact"], false, "{verify}");
    assert_eq!(verify["first_break"]["id"], ids[1].as_str());
    assert_eq!(
        verify["first_break"]["seq"], 4,
        "the import is record 1, the admin key record 2"
    );

    // And deletes the last one.
    guard
        .execute_raw(&format!(
            "DELETE FROM audit_records WHERE record_id = '{}'",
            ids[3]
        ))
        .await;
    guard
        .execute_raw(&format!(
            "UPDATE audit_records SET payload = REPLACE(payload, 'A. N. Other', 'Abdulhai Salek') \
             WHERE record_id = '{}'",
            ids[1]
        ))
        .await;
    let (_, verify) = app.admin("GET", "/v1/audit/verify", None).await;
    assert_eq!(verify["intact"], false, "{verify}");
    assert_eq!(verify["first_break"]["seq"], 6, "{verify}");
}

async fn the_audit_trail_is_exported_page_by_page(store: Store, _guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    for name in ["Janan Agha", "Abdulhai Salek", "Tharwat Salah Shihata"] {
        let (status, _) = app
            .admin("POST", "/v1/screen", Some(json!({ "name": name })))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let range = "from=2000-01-01&to=2100-01-01T00:00:00Z";
    let (status, whole) = app
        .admin("GET", &format!("/v1/audit/export?{range}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    assert!(whole["next_after"].is_null());
    let whole = whole["records"].as_array().expect("records").clone();
    // The import, the admin key's creation and the three screenings.
    assert_eq!(whole.len(), 5, "{whole:?}");
    let kinds: Vec<_> = whole.iter().map(|r| r["kind"].clone()).collect();
    assert_eq!(
        kinds,
        ["import", "key", "screening", "screening", "screening"]
    );

    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let (status, page) = app
            .admin(
                "GET",
                &format!("/v1/audit/export?{range}&limit=3&after={after}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        paged.extend(page["records"].as_array().expect("records").clone());
        match page["next_after"].as_u64() {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(paged, whole);

    // A range that ends before anything was recorded is empty.
    let (status, empty) = app
        .admin(
            "GET",
            "/v1/audit/export?from=2000-01-01&to=2001-01-01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["records"], json!([]));

    for (query, field) in [
        ("from=yesterday&to=2100-01-01", "from"),
        ("from=2100-01-01&to=2000-01-01", "to"),
        ("from=2000-01-01&to=2100-01-01&limit=0", "limit"),
        ("from=2000-01-01", "query"),
    ] {
        let (status, error) = app
            .admin("GET", &format!("/v1/audit/export?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{query}: {error}"
        );
    }
}

async fn probes_metrics_and_the_openapi_document_answer(store: Store, _guard: Guard) {
    import(&store, UN).await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let (status, health) = app.call("GET", "/healthz", None, None).await;
    assert_eq!((status, &health["status"]), (StatusCode::OK, &json!("ok")));
    let (status, ready) = app.call("GET", "/readyz", None, None).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["entities"], 1003);

    app.admin("POST", "/v1/screen", Some(json!({ "name": "Janan Agha" })))
        .await;
    let (status, metrics) = app.call("GET", "/metrics", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let metrics = metrics.as_str().expect("text");
    for expected in [
        "interdict_http_requests_total{",
        "route=\"/v1/screen\"",
        "status=\"200\"",
        "interdict_http_request_duration_seconds_bucket{",
        "interdict_screenings_total",
        "interdict_matches_total",
        "interdict_index_entities",
        "interdict_list_version_info{",
    ] {
        assert!(metrics.contains(expected), "{expected} in\n{metrics}");
    }

    let (status, doc) = app.call("GET", "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/v1/screen",
        "/v1/screen/batch",
        "/v1/lists",
        "/v1/lists/{list}/versions",
        "/v1/lists/diff",
        "/v1/lists/import",
        "/v1/entities/{id}",
        "/v1/audit/{id}",
        "/v1/audit/verify",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every API operation documents the errors of the layers in front of its handler, so a
    // client generated from the document expects them.
    for (path, item) in paths.iter().filter(|(path, _)| path.starts_with("/v1/")) {
        for method in ["get", "put", "post", "delete"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            // Every `{name}` of the path is a documented path parameter.
            let documented: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(['{', '}']);
                assert!(
                    documented.contains(&name),
                    "{method} {path} documents {name}"
                );
            }
            let responses = operation["responses"].as_object().expect("responses");
            let mut documented = vec!["401", "429", "503"];
            if operation.get("requestBody").is_some() {
                documented.extend(["400", "413", "422"]);
            }
            for status in documented {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} documents {status}"
                );
            }
        }
    }
    // Fields say what the service accepts, not only their type.
    let screen = &doc["components"]["schemas"]["ScreenRequest"]["properties"];
    assert_eq!(screen["limit"]["minimum"], 1, "{screen}");
    // utoipa takes only literals: the documented maximum must follow the default limit.
    assert_eq!(
        screen["limit"]["maximum"],
        interdict_server::Limits::default().max_matches,
        "{screen}"
    );
    assert_eq!(screen["threshold"]["maximum"], 1.0, "{screen}");
    assert_eq!(screen["name"]["pattern"], "\\S", "{screen}");

    let (status, page) = app.call("GET", "/docs/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.as_str().expect("html").contains("swagger"), "{page}");
    let (status, script) = app
        .call("GET", "/docs/swagger-ui-bundle.js", None, None)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "Swagger UI is served from the binary, no CDN"
    );
    assert!(script.as_str().is_some_and(|s| s.len() > 100_000));
}
