//! Ownership over HTTP, on both backends: an edges CSV uploaded through the import endpoint
//! beside the SDN list of 2022-03-24, and `GET /v1/entities/{id}/ownership` answering the
//! verdicts and paths in the same JSON as `interdict ownership --json`.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};

use crate::common::{Guard, Harness, assert_error, import};

on_both_backends_with_guard!(an_edges_file_uploaded_blocks_the_companies_of_a_designee);

fn edges() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/duma-registry/edges.csv");
    std::fs::read(path).expect("read the edges fixture")
}

async fn an_edges_file_uploaded_blocks_the_companies_of_a_designee(store: Store, _guard: Guard) {
    import(&store, "lists/ofac-sdn-2022-03-24/sdn.csv").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let upload = Request::post("/v1/lists/import?list=registry&filename=edges.csv")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/octet-stream")
        .body(Body::from(edges()))
        .expect("request");
    let (status, imported) = app.send(upload).await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert_eq!(imported["format"], "ownership-csv");
    assert_eq!(imported["relations"], 7);
    assert_eq!(imported["entities"], 0);

    let screener = app.key(Role::Screener).await;
    let (status, radio) = app
        .call(
            "GET",
            "/v1/entities/registry:volga-radio/ownership?date=2022-03-25",
            Some(&screener),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{radio}");
    assert_eq!(radio["entity_id"], "registry:volga-radio");
    assert_eq!(radio["date"], "2022-03-25");
    // 25% of his own and 30% through Volga Media, which he blocks with 60%: 55% under OFAC;
    // the UK counts more than 50% by one person, and he is on no UK list here.
    assert_eq!(radio["regimes"]["ofac"]["blocked"], true);
    assert_eq!(radio["regimes"]["ofac"]["share"], 0.55);
    assert_eq!(radio["regimes"]["uk"]["blocked"], false);
    let paths = radio["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2, "{radio}");
    for path in paths {
        let first = &path["steps"][0];
        assert_eq!(first["owner"], "ofac-sdn:35391");
        assert_eq!(first["owner_name"], "SHARGUNOV, Sergey Aleksandrovich");
        assert_eq!(first["link"]["basis"], "listed");
    }
    // The same answer as the use case gives the command line.
    let direct = interdict_app::ownership::report(
        app.state.store(),
        "registry:volga-radio",
        interdict_model::PartialDate::parse("2022-03-25"),
    )
    .await
    .expect("report");
    assert_eq!(radio, serde_json::to_value(direct).expect("JSON"));

    // Before any holding began, nothing is blocked.
    let (_, early) = app
        .call(
            "GET",
            "/v1/entities/registry:volga-media/ownership?date=2018",
            Some(&screener),
            None,
        )
        .await;
    assert_eq!(early["regimes"]["ofac"]["blocked"], false, "{early}");

    let (status, body) = app
        .call(
            "GET",
            "/v1/entities/registry:nobody/ownership",
            Some(&screener),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = app
        .call(
            "GET",
            "/v1/entities/registry:volga-media/ownership?date=03/04/2022",
            Some(&screener),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .call(
            "GET",
            "/v1/entities/registry:volga-media/ownership",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, openapi) = app.call("GET", "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        openapi["paths"]["/v1/entities/{id}/ownership"]["get"].is_object(),
        "the route is documented"
    );
    assert!(openapi["components"]["schemas"]["OwnershipJson"].is_object());
}
