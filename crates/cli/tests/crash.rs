//! A `lists import` killed with SIGKILL leaves no partial version and no active version
//! without its import record, and the same import run again completes it. The kills are at
//! fixed points of the import, told by what the binary prints (right after it starts; right
//! after it reports its first list, with the second being written), not by timing: every
//! check holds wherever in those stretches the kill lands. `scripts/kill-import-test.sh`
//! kills at random moments, many times, and through `serve` too.

#![cfg(unix)]

mod binary;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use binary::{Env, interdict, path_str, shared};
use serde_json::Value;

const SDN_OLD: &str = "lists/ofac-sdn-2022-03-21/sdn.csv";
const SDN_NEW: &str = "lists/ofac-sdn-2022-03-24/sdn.csv";
const UN: &str = "lists/un-consolidated-2026-02-27.xml";

/// Each list's versions (id → entity count) and its active version.
type Lists = BTreeMap<String, (BTreeMap<String, u64>, Option<String>)>;

/// A store where the older SDN file is the active version.
fn with_old_sdn() -> Env {
    let env = Env::new();
    env.ok(&["lists", "import", path_str(&shared(SDN_OLD))]);
    env
}

fn state(env: &Env) -> Lists {
    let lists = env.json(&["lists", "--json"]);
    let lists = lists.as_array().expect("lists");
    lists
        .iter()
        .map(|list| {
            let versions = list["versions"]
                .as_array()
                .expect("versions")
                .iter()
                .map(|v| {
                    let id = v["version"].as_str().expect("id").to_owned();
                    (id, v["entities"].as_u64().expect("entities"))
                })
                .collect();
            let active = list["active_version"].as_str().map(str::to_owned);
            (
                list["list"].as_str().expect("list").to_owned(),
                (versions, active),
            )
        })
        .collect()
}

/// Starts `lists import` of the new SDN file and the UN list.
fn start_import(env: &Env) -> Child {
    interdict(env.db())
        .args([
            "lists",
            "import",
            path_str(&shared(SDN_NEW)),
            path_str(&shared(UN)),
        ])
        .current_dir(env.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the import")
}

fn kill(mut importer: Child) {
    // SIGKILL: nothing of the process runs after it.
    importer.kill().expect("kill");
    importer.wait().expect("reaped");
}

/// The invariants after a kill: every version stored is whole (its entity count is the
/// file's), each list's active version is the old or the new one and has its import record,
/// and the chain verifies.
fn assert_no_partial_state(env: &Env, whole: &Lists, old: &Lists, when: &str) {
    let found = state(env);
    for (list, (versions, active)) in &found {
        let (whole_versions, new_active) = &whole[list];
        for (version, entities) in versions {
            assert_eq!(
                whole_versions.get(version),
                Some(entities),
                "{when}: {list} version {version} is not whole"
            );
        }
        let old_active = old.get(list).and_then(|(_, active)| active.clone());
        assert!(
            active == new_active || *active == old_active,
            "{when}: {list} has {active:?} active, neither old nor new"
        );
    }
    let export = env.ok(&[
        "audit",
        "export",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
    ]);
    let recorded: Vec<(String, String)> = export
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON line"))
        .filter(|record| record["kind"] == "import")
        .map(|record| {
            let field = |name: &str| record["payload"][name].as_str().unwrap_or("").to_owned();
            (field("list"), field("version"))
        })
        .collect();
    for (list, (_, active)) in &found {
        if let Some(active) = active {
            assert!(
                recorded.contains(&(list.clone(), active.clone())),
                "{when}: the active version of {list} has no import record"
            );
        }
    }
    env.ok(&["audit", "verify"]);
}

#[test]
fn an_import_killed_at_fixed_points_leaves_old_or_whole_versions_and_a_retry_completes_it() {
    let old = state(&with_old_sdn());
    let reference = with_old_sdn();
    let mut importer = start_import(&reference);
    assert!(importer.wait().expect("import").success());
    let whole = state(&reference);

    // Killed as soon as it starts: reading and parsing the files, or storing the first.
    let env = with_old_sdn();
    kill(start_import(&env));
    assert_no_partial_state(&env, &whole, &old, "killed at the start");
    env.ok(&[
        "lists",
        "import",
        path_str(&shared(SDN_NEW)),
        path_str(&shared(UN)),
    ]);
    assert_eq!(state(&env), whole, "the retry completes the import");

    // Killed once the SDN version is reported, while the UN list is being stored.
    let env = with_old_sdn();
    let mut importer = start_import(&env);
    let mut first = String::new();
    BufReader::new(importer.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the first report line");
    assert!(first.starts_with("ofac-sdn"), "{first}");
    kill(importer);
    assert_no_partial_state(&env, &whole, &old, "killed after the first list");
    let after = state(&env);
    assert_eq!(
        after["ofac-sdn"], whole["ofac-sdn"],
        "the reported list stays imported"
    );
    env.ok(&[
        "lists",
        "import",
        path_str(&shared(SDN_NEW)),
        path_str(&shared(UN)),
    ]);
    assert_eq!(state(&env), whole, "the retry completes the import");
    assert_no_partial_state(&env, &whole, &old, "after the retry");
}
