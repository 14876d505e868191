//! `interdict datasets`: collections of lists for yente's `/match/{dataset}` set, listed and
//! removed from the command line over a real store; refusals name the unknown list.

mod binary;

use binary::{Env, path_str, shared};

#[test]
fn collections_are_set_listed_and_removed_and_unknown_lists_are_named() {
    let env = Env::new();
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    let ofac = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    env.ok(&["lists", "import", path_str(&un)]);
    env.ok(&["lists", "import", path_str(&ofac)]);

    let empty = env.ok(&["datasets", "list"]);
    assert!(empty.contains("no collections"), "{empty}");

    let set = env.ok(&[
        "datasets",
        "set",
        "sanctions",
        "--lists",
        "un-sc,ofac-sdn",
        "--title",
        "UN and OFAC",
    ]);
    assert_eq!(set.trim(), "set sanctions: ofac-sdn, un-sc");
    let listed = env.json_lines(&["datasets", "list", "--json"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "sanctions");
    assert_eq!(listed[0]["title"], "UN and OFAC");
    assert_eq!(listed[0]["lists"], serde_json::json!(["ofac-sdn", "un-sc"]));
    assert!(
        listed[0]["updated_by"]
            .as_str()
            .is_some_and(|by| by.starts_with("cli:"))
    );
    let table = env.ok(&["datasets", "list"]);
    assert!(table.contains("ofac-sdn,un-sc"), "{table}");

    let refused = env.fails(&["datasets", "set", "eu", "--lists", "un-sc,eu-fsf"]);
    assert!(
        refused.contains("no list \"eu-fsf\" is imported"),
        "{refused}"
    );
    let refused = env.fails(&["datasets", "set", "default", "--lists", "un-sc"]);
    assert!(refused.contains("default"), "{refused}");

    let removed = env.ok(&["datasets", "remove", "sanctions"]);
    assert!(removed.contains("removed sanctions"), "{removed}");
    let missing = env.fails(&["datasets", "remove", "sanctions"]);
    assert!(missing.contains("not found"), "{missing}");
    assert_eq!(env.json_lines(&["datasets", "list", "--json"]).len(), 0);
}
