//! Relation changes over HTTP, on both backends: two versions of the Duma registry's edges
//! CSV (`crates/cli/tests/data`: a share changed, an edge ended, a new edge) uploaded through
//! the import endpoint, and `GET /v1/lists/diff` naming the relations added and changed in a
//! `relations` part next to the entities, the same JSON as the use case gives the command
//! line; a diff of a list of entities only has no `relations` part.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::ServerConfig;
use interdict_store::{Role, Store};

use crate::common::{Guard, Harness, import};

on_both_backends_with_guard!(the_diff_of_two_edges_files_names_the_relation_changes);

fn edges(dir: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cli/tests/data")
        .join(dir)
        .join("edges.csv");
    std::fs::read(path).expect("read the edges fixture")
}

async fn upload(app: &Harness, dir: &str) -> String {
    let request = Request::post("/v1/lists/import?list=registry&filename=edges.csv")
        .header("authorization", format!("Bearer {}", app.admin))
        .header("content-type", "application/octet-stream")
        .body(Body::from(edges(dir)))
        .expect("request");
    let (status, imported) = app.send(request).await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert_eq!(imported["activated"], true, "{imported}");
    imported["version"].as_str().expect("version").to_owned()
}

async fn the_diff_of_two_edges_files_names_the_relation_changes(store: Store, _guard: Guard) {
    let sdn_old = import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let sdn_new = import(&store, "lists/ofac-sdn-2022-03-24/sdn.csv").await;
    let app = Harness::new(store, ServerConfig::default()).await;
    let first = upload(&app, "duma-registry").await;
    let second = upload(&app, "duma-registry-2023").await;
    let screener = app.key(Role::Screener).await;

    let path = format!("/v1/lists/diff?from=registry@{first}&to=registry@{second}");
    let (status, diff) = app.call("GET", &path, Some(&screener), None).await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(diff["counts"]["added"], 0);
    let relations = &diff["relations"];
    assert_eq!(relations["counts"]["added"], 1, "{diff}");
    assert_eq!(relations["counts"]["removed"], 0, "{diff}");
    assert_eq!(relations["counts"]["changed"], 2, "{diff}");
    assert_eq!(relations["added"][0]["asset"], "registry:volga-tv");
    assert_eq!(relations["added"][0]["percentage"], "70%");
    let share = &relations["changed"][0];
    assert_eq!(share["new"]["owner"], "ofac-sdn:35391");
    assert_eq!(share["fields"], serde_json::json!(["percentage"]));
    assert_eq!(share["old"]["share"], 0.25);
    assert_eq!(share["new"]["share"], 0.2);
    assert_eq!(
        share["new"]["owner_name"],
        "SHARGUNOV, Sergey Aleksandrovich"
    );
    let ended = &relations["changed"][1];
    assert_eq!(ended["new"]["asset"], "registry:kama-foods");
    assert_eq!(ended["fields"], serde_json::json!(["end"]));
    assert_eq!(ended["new"]["end"], "2023-06-30");

    // The same answer as the use case gives the command line.
    let store = app.state.store();
    let from = store
        .version("registry", &first)
        .await
        .expect("first version");
    let to = store
        .version("registry", &second)
        .await
        .expect("second version");
    let direct = interdict_app::lists::diff_versions(store, &from, &to)
        .await
        .expect("diff");
    assert_eq!(diff, serde_json::to_value(direct).expect("JSON"));

    // Backwards, the new edge is removed.
    let path = format!("/v1/lists/diff?from=registry@{second}&to=registry@{first}");
    let (_, back) = app.call("GET", &path, Some(&screener), None).await;
    assert_eq!(back["relations"]["counts"]["removed"], 1, "{back}");
    assert_eq!(
        back["relations"]["removed"][0]["asset"],
        "registry:volga-tv"
    );

    // A list of entities only keeps its shape.
    let path = format!("/v1/lists/diff?from=ofac-sdn@{sdn_old}&to=ofac-sdn@{sdn_new}");
    let (status, sdn) = app.call("GET", &path, Some(&screener), None).await;
    assert_eq!(status, StatusCode::OK, "{sdn}");
    assert_eq!(sdn["counts"]["added"], 397);
    assert!(sdn.get("relations").is_none(), "{}", sdn["counts"]);
}
