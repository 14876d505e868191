//! Ownership over HTTP, on both backends: an edges CSV uploaded through the import endpoint
//! beside the SDN list of 2022-03-24, and `GET /v1/entities/{id}/ownership` answering the
//! verdicts and paths in the same JSON as `interdict ownership --json`; a registry with its
//! companies' records, and the list update that designates their owner: the live index
//! updates its ownership graph, and a payment to one of them is a hit with basis
//! `ownership`.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};

use crate::common::{Guard, Harness, assert_error, import};

on_both_backends_with_guard!(
    an_edges_file_uploaded_blocks_the_companies_of_a_designee,
    a_payment_to_a_company_blocked_after_a_list_update_hits_with_its_owners,
);

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

/// The registry of `crates/cli/tests/data/duma-registry`: edges and the companies' records.
fn registry_files() -> Vec<interdict_sources::SourceFile> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/duma-registry");
    ["edges.csv", "companies.ftm.json"]
        .into_iter()
        .map(|name| interdict_sources::SourceFile {
            name: name.to_owned(),
            bytes: std::fs::read(folder.join(name)).expect("read the registry fixture"),
        })
        .collect()
}

async fn a_payment_to_a_company_blocked_after_a_list_update_hits_with_its_owners(
    store: Store,
    _guard: Guard,
) {
    import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let mut options = interdict_app::lists::ImportOptions::new("test");
    options.list = Some("registry".into());
    interdict_app::lists::import(&store, registry_files(), "duma-registry", &options)
        .await
        .expect("import the registry");
    let app = Harness::new(store, ServerConfig::default()).await;
    let screener = app.key(Role::Screener).await;
    let pay = |beneficiary: &str| {
        format!(
            "{{1:F01BANKDEFFAXXX0000000000}}{{2:I103BANKUS33XXXXN}}{{4:\n:20:REF-VOLGA-1\n\
             :23B:CRED\n:32A:220325USD25000,00\n:50K:/DE89370400440532013000\nJOHN SMITH\n\
             BERLIN\n:59:/40702810900000012345\n{beneficiary}\nSAMARA RU\n:71A:SHA\n-}}"
        )
    };
    let screen = |message: String| {
        Request::post("/v1/screen/payment")
            .header("authorization", format!("Bearer {screener}"))
            .header("content-type", "text/plain")
            .body(Body::from(message))
            .expect("request")
    };
    // Before his designation the company is no one's: not screened, no hit on it.
    let (status, before) = app.send(screen(pay("VOLZHSKY PRINT JSC"))).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let on_print = |answer: &serde_json::Value| {
        answer["results"][0]["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|h| h["entity_id"] == "registry:volga-print")
            .cloned()
    };
    assert!(on_print(&before).is_none(), "{before}");

    // The update of 2022-03-24 designates SHARGUNOV: the index reloads and its ownership
    // graph is updated with the new seeds.
    let sdn = std::fs::read(crate::common::shared("lists/ofac-sdn-2022-03-24/sdn.csv"))
        .expect("read the SDN list");
    let upload = Request::post("/v1/lists/import?filename=sdn.csv")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/octet-stream")
        .body(Body::from(sdn))
        .expect("request");
    let (status, imported) = app.send(upload).await;
    assert_eq!(status, StatusCode::OK, "{imported}");

    let snapshot = app.state.index().snapshot().expect("the lists are loaded");
    assert!(
        snapshot.ownership_updated,
        "the ownership graph was computed again"
    );
    drop(snapshot);
    let (status, after) = app.send(screen(pay("VOLZHSKY PRINT JSC"))).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["results"][0]["decision"], "hit", "{after}");
    let hit = on_print(&after).unwrap_or_else(|| panic!("no hit on the company: {after}"));
    let ownership = &hit["ownership"];
    assert_eq!(ownership["basis"], "ownership", "{hit}");
    assert_eq!(ownership["regimes"], serde_json::json!(["ofac"]));
    assert_eq!(ownership["share"], 1.0);
    let steps = ownership["paths"][0]["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["owner"], "ofac-sdn:35391", "{ownership}");
    assert_eq!(steps[0]["link"]["basis"], "listed");
    assert_eq!(steps[1]["owner"], "registry:volga-media");
    assert_eq!(steps[1]["asset"], "registry:volga-print");
    // Replayed on its recorded date, with the ownership object, identically.
    let id = after["results"][0]["screening_id"]
        .as_str()
        .expect("screening id");
    let (status, replay) = app
        .admin("POST", &format!("/v1/audit/{id}/replay"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{replay}");
    assert_eq!(replay["identical"], true, "{replay}");

    // The ownership endpoint answers from the same graph, as the use case computes it.
    let (status, print) = app
        .call(
            "GET",
            "/v1/entities/registry:volga-print/ownership",
            Some(&screener),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{print}");
    assert_eq!(print["regimes"]["ofac"]["blocked"], true, "{print}");
    let direct = interdict_app::ownership::report(app.state.store(), "registry:volga-print", None)
        .await
        .expect("report");
    assert_eq!(print, serde_json::to_value(direct).expect("JSON"));
    assert_eq!(print["paths"], ownership["paths"]);
    let (status, body) = app
        .call(
            "GET",
            "/v1/entities/registry:nobody/ownership",
            Some(&screener),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
}
