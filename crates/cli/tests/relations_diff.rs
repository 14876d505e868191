//! `interdict lists diff` on ownership data, with the real binary on a real SQLite store: two
//! versions of the made-up Duma registry (`tests/data/duma-registry` and
//! `tests/data/duma-registry-2023`: a share changed, an edge ended, a new edge) diffed as
//! stored versions and as files, in text and JSON, each party named from its record (the
//! listed owner from the SDN list of 2022-03-24); a list of entities only keeps its diff's
//! shape, without a `relations` part.

mod binary;

use std::path::Path;

use binary::{Env, path_str, shared};
use serde_json::Value;

fn fixture(dir: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
        .display()
        .to_string()
}

fn import(env: &Env, dir: &str) -> Value {
    env.json(&[
        "lists",
        "import",
        &fixture(dir),
        "--list",
        "registry",
        "--json",
    ])
}

/// The relation changes of a diff as `(owner, asset, fields)`, for comparing.
fn changes(relations: &Value) -> Vec<(String, String, Vec<String>)> {
    relations["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| {
            (
                c["new"]["owner"].as_str().unwrap_or_default().to_owned(),
                c["new"]["asset"].as_str().unwrap_or_default().to_owned(),
                c["fields"]
                    .as_array()
                    .expect("fields")
                    .iter()
                    .map(|f| f.as_str().unwrap_or_default().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_registry_update_names_the_relations_added_and_changed() {
    let env = Env::new();
    let sdn = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    env.ok(&["lists", "import", path_str(&sdn)]);
    let first = import(&env, "duma-registry");
    let second = import(&env, "duma-registry-2023");
    assert_eq!(second["relations"], 8);
    assert_eq!(second["activated"], true, "{second}");
    let from = format!("registry@{}", first["version"].as_str().expect("version"));
    let to = format!("registry@{}", second["version"].as_str().expect("version"));

    let diff = env.json(&["lists", "diff", &from, &to, "--json"]);
    // The companies are the same; only the edges moved.
    assert_eq!(diff["counts"]["added"], 0, "{diff}");
    assert_eq!(diff["counts"]["changed"], 0, "{diff}");
    let relations = &diff["relations"];
    assert_eq!(relations["counts"]["added"], 1, "{diff}");
    assert_eq!(relations["counts"]["removed"], 0, "{diff}");
    assert_eq!(relations["counts"]["changed"], 2, "{diff}");
    let added = &relations["added"][0];
    assert_eq!(added["owner"], "registry:p-kuznetsova");
    assert_eq!(added["asset"], "registry:volga-tv");
    assert_eq!(added["kind"], "ownership");
    assert_eq!(added["percentage"], "70%");
    assert_eq!(added["share"], 0.7);
    assert_eq!(added["start"], "2023-07-01");
    assert_eq!(
        changes(relations),
        vec![
            (
                "ofac-sdn:35391".to_owned(),
                "registry:volga-radio".to_owned(),
                vec!["percentage".to_owned()]
            ),
            (
                "registry:p-kuznetsova".to_owned(),
                "registry:kama-foods".to_owned(),
                vec!["end".to_owned()]
            ),
        ]
    );
    let share = &relations["changed"][0];
    assert_eq!(share["old"]["percentage"], "25%");
    assert_eq!(share["new"]["percentage"], "20%");
    assert_eq!(share["new"]["share"], 0.2);
    // Named from the versions' records, and the listed owner from his SDN record.
    assert_eq!(
        share["new"]["owner_name"],
        "SHARGUNOV, Sergey Aleksandrovich"
    );
    assert_eq!(share["new"]["asset_name"], "Radio Volzhskaya Volna LLC");
    assert!(added.get("asset_name").is_none(), "no record: {added}");

    let text = env.ok(&["lists", "diff", &from, &to]);
    for line in [
        "relations: 1 added, 0 removed, 2 changed",
        "+ registry:p-kuznetsova (Marina Petrovna Kuznetsova) → registry:volga-tv  ownership 70%  \
         from 2023-07-01",
        "~ ofac-sdn:35391 (SHARGUNOV, Sergey Aleksandrovich) → registry:volga-radio \
         (Radio Volzhskaya Volna LLC)  ownership 20%  from 2020",
        "percentage: 25% → 20%",
        "end: (none) → 2023-06-30",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }

    // The files themselves give the same relation changes as the stored versions.
    let files = env.json(&[
        "lists",
        "diff",
        &fixture("duma-registry"),
        &fixture("duma-registry-2023"),
        "--list",
        "registry",
        "--json",
    ]);
    assert_eq!(files["relations"], diff["relations"], "{files}");
}

#[test]
fn a_list_of_entities_only_keeps_its_diff_shape() {
    let env = Env::new();
    let old = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    let new = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    let diff = env.json(&["lists", "diff", path_str(&old), path_str(&new), "--json"]);
    assert_eq!(diff["counts"]["added"], 397, "{}", diff["counts"]);
    assert!(diff.get("relations").is_none(), "{}", diff["counts"]);
    let text = env.ok(&["lists", "diff", path_str(&old), path_str(&new)]);
    assert!(!text.contains("relations:"), "{text}");
}
