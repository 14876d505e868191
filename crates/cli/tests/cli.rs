//! End-to-end tests of the `interdict` binary on real list files and a real SQLite store.

mod binary;

use binary::{Env, path_str, shared};
use serde_json::Value;

#[test]
fn imports_versions_and_diffs_the_duma_designations() {
    let env = Env::new();
    let before = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    let after = shared("lists/ofac-sdn-2022-03-24/sdn.csv");

    let first = env.json_lines(&[
        "lists",
        "import",
        path_str(&before),
        "--published",
        "2022-03-21",
        "--json",
    ]);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["list"], "ofac-sdn");
    assert_eq!(first[0]["entities"], 9396);
    assert_eq!(first[0]["unchanged"], false);
    let v1 = first[0]["version"].as_str().expect("version").to_owned();
    assert_eq!(v1.len(), 64);
    assert!(first[0]["names"].as_u64().expect("names") > 9396);

    let again = env.json_lines(&["lists", "import", path_str(&before), "--json"]);
    assert_eq!(again[0]["unchanged"], true);
    assert_eq!(again[0]["version"], v1.as_str());

    let second = env.json_lines(&["lists", "import", path_str(&after), "--json"]);
    assert_eq!(second[0]["entities"], 9793);
    let v2 = second[0]["version"].as_str().expect("version").to_owned();
    assert_ne!(v1, v2);

    let diff = env.json(&["lists", "diff", &v1[..12], &v2[..12], "--json"]);
    assert_eq!(diff["counts"]["added"], 397);
    assert_eq!(diff["counts"]["removed"], 0);
    assert_eq!(diff["counts"]["changed"], 7);
    assert_eq!(diff["added"].as_array().expect("added").len(), 397);
    let changed = diff["changed"].as_array().expect("changed");
    assert!(
        changed
            .iter()
            .all(|c| !c["fields"].as_array().expect("fields").is_empty())
    );

    // Diffing the files directly, without the store, says the same.
    let direct = env.json(&[
        "lists",
        "diff",
        path_str(&before),
        path_str(&after),
        "--json",
    ]);
    assert_eq!(direct["counts"], diff["counts"]);
    assert_eq!(direct["added"], diff["added"]);

    let lists = env.json(&["lists", "--json"]);
    let ofac = &lists.as_array().expect("lists")[0];
    assert_eq!(ofac["list"], "ofac-sdn");
    assert_eq!(ofac["active_version"], v2.as_str());
    assert_eq!(ofac["versions"].as_array().expect("versions").len(), 2);

    let human = env.ok(&["lists"]);
    assert!(
        human.contains("ofac-sdn") && human.contains(&v2[..12]),
        "{human}"
    );
}

#[test]
fn shows_an_entity_with_provenance() {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared("lists/ofac-sdn-2024-03-14/sdn.csv")),
    ]);
    let entity = env.json(&["entity", "ofac-sdn:306", "--json"]);
    assert_eq!(entity["id"], "ofac-sdn:306");
    assert_eq!(entity["name"], "BANCO NACIONAL DE CUBA");
    assert_eq!(entity["schema"], "organization");
    assert_eq!(entity["source"]["format"], "ofac-sdn-csv");
    assert!(
        entity["source"]["location"]
            .as_str()
            .expect("location")
            .contains("line")
    );
    assert!(
        entity["source"]["raw"]
            .as_str()
            .expect("raw")
            .contains("BANCO NACIONAL DE CUBA")
    );
    assert_eq!(entity["list_version"]["active"], true);
    let names: Vec<&str> = entity["names"]
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|n| n["full"].as_str())
        .collect();
    assert!(names.contains(&"BNC"), "{names:?}");

    let human = env.ok(&["entity", "ofac-sdn:306"]);
    assert!(human.contains("BANCO NACIONAL DE CUBA"));

    let missing = env.run(&["entity", "ofac-sdn:999999999"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not found"));
}

#[test]
fn a_party_on_the_un_and_uk_lists_is_one_hit_and_the_entity_names_the_other_list() {
    let env = Env::new();
    for path in [
        "lists/un-consolidated-2026-02-27.xml",
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    ] {
        env.ok(&["lists", "import", path_str(&shared(path))]);
    }
    let entity = env.json(&["entity", "uk-sanctions-list:AFG0006", "--json"]);
    assert_eq!(entity["also_listed"][0]["entity_id"], "un-sc:TAi.002");
    assert_eq!(
        entity["also_listed"][0]["linked_by"],
        "UN reference number TAi.002"
    );
    let human = env.ok(&["entity", "uk-sanctions-list:AFG0006"]);
    assert!(
        human.contains("same party on other lists") && human.contains("un-sc:TAi.002"),
        "{human}"
    );

    let screened = env.json(&["screen", "--name", "Mohammad Hassan Akhund", "--json"]);
    let matches = screened["matches"].as_array().expect("matches");
    let ours = ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"];
    let named = |v: &Value| ours.contains(&v["entity_id"].as_str().unwrap_or(""));
    let hits: Vec<&Value> = matches
        .iter()
        .filter(|m| {
            named(m)
                || m["also_listed"]
                    .as_array()
                    .is_some_and(|others| others.iter().any(named))
        })
        .collect();
    assert_eq!(hits.len(), 1, "{matches:?}");
    assert!(named(&hits[0]["also_listed"][0]));
    let human = env.ok(&["screen", "--name", "Mohammad Hassan Akhund"]);
    assert!(human.contains("  also "), "{human}");
}

#[test]
fn a_malformed_file_fails_and_keeps_the_active_version() {
    let env = Env::new();
    let good = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    let imported = env.json_lines(&["lists", "import", path_str(&good), "--json"]);
    let version = imported[0]["version"].as_str().expect("version").to_owned();

    // A real file cut off in the middle of a record.
    let bytes = std::fs::read(&good).expect("read");
    let truncated = env.write("sdn.csv", &bytes[..bytes.len() / 2]);
    let output = env.run(&[
        "lists",
        "import",
        path_str(&truncated),
        "--format",
        "ofac-sdn-csv",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sdn.csv"), "{stderr}");
    assert!(stderr.contains("line"), "the error names a line: {stderr}");

    // Garbage of no known format.
    let garbage = env.write("garbage.bin", b"\x00\x01\x02 not a list at all \xff");
    let output = env.run(&["lists", "import", path_str(&garbage)]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("garbage.bin"));

    // Several paths where one is bad: nothing at all is imported.
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    let output = env.run(&["lists", "import", path_str(&un), path_str(&garbage)]);
    assert!(!output.status.success());

    let lists = env.json(&["lists", "--json"]);
    let lists = lists.as_array().expect("lists");
    assert_eq!(lists.len(), 1, "the UN list was not imported: {lists:?}");
    assert_eq!(lists[0]["active_version"], version.as_str());
    assert_eq!(lists[0]["versions"].as_array().expect("versions").len(), 1);
    assert_eq!(lists[0]["entities"], 9396);
}

#[test]
fn imports_every_bundled_format_with_default_list_ids() {
    let env = Env::new();
    let reports = env.json_lines(&[
        "lists",
        "import",
        path_str(&shared("lists/un-consolidated-2026-02-27.xml")),
        path_str(&shared("lists/us-csl-sample.csv")),
        path_str(&shared("lists/ofac-sdn-2021-07")),
        path_str(&shared("lists/ftm-yente-fixture")),
        "--json",
    ]);
    let lists: Vec<&str> = reports.iter().filter_map(|r| r["list"].as_str()).collect();
    assert_eq!(lists[..3], ["un-sc", "us-csl", "ofac-sdn"]);
    assert_eq!(reports[0]["entities"], 1003);
    assert_eq!(reports[1]["entities"], 115);
    assert!(reports[3]["entities"].as_u64().expect("ftm entities") > 0);

    let overridden = env.json_lines(&[
        "lists",
        "import",
        path_str(&shared("lists/us-csl-sample.csv")),
        "--list",
        "csl-sample",
        "--json",
    ]);
    assert_eq!(overridden[0]["list"], "csl-sample");
}

#[test]
fn the_demo_runs_offline_on_the_bundled_snapshot() {
    let env = Env::new();
    let output = env.ok(&[
        "demo",
        "--demo-db",
        path_str(&env.dir.path().join("demo.db")),
    ]);
    assert!(
        output.contains("397 added, 0 removed, 7 changed"),
        "{output}"
    );
}

#[test]
fn screens_a_name_in_any_script_with_an_explanation() {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared("lists/ofac-sdn-2022-03-24/sdn.csv")),
    ]);
    let imported = env.json_lines(&[
        "lists",
        "import",
        path_str(&shared("lists/un-consolidated-2026-02-27.xml")),
        "--json",
    ]);
    let un_version = imported[0]["version"].as_str().expect("version").to_owned();

    let result = env.json(&[
        "screen",
        "--name",
        "Анатолий Вассерман",
        "--dob",
        "1952",
        "--json",
    ]);
    assert_eq!(result["query"]["name"], "Анатолий Вассерман");
    assert_eq!(result["list_versions"]["un-sc"], un_version.as_str());
    assert!(result["list_versions"]["ofac-sdn"].is_string());
    let best = &result["matches"][0];
    assert_eq!(best["entity_id"], "ofac-sdn:35468");
    assert_eq!(best["list"], "ofac-sdn");
    assert_eq!(best["schema"], "person");
    assert_eq!(best["name"], "WASSERMAN, Anatoly Aleksandrovich");
    assert!(
        best["score"].as_f64().expect("score") >= result["threshold"].as_f64().expect("threshold")
    );
    let features = best["explanation"]["features"]
        .as_array()
        .expect("features");
    assert!(
        features.iter().any(|f| f["feature"] == "date_of_birth"),
        "{features:?}"
    );
    assert!(
        !best["explanation"]["tokens"]
            .as_array()
            .expect("tokens")
            .is_empty()
    );

    // Scores are sorted, and a conflicting date of birth lowers the score.
    let conflicting = env.json(&[
        "screen",
        "--name",
        "Анатолий Вассерман",
        "--dob",
        "1990-01-01",
        "--threshold",
        "0.1",
        "--json",
    ]);
    let conflicting_score = conflicting["matches"][0]["score"].as_f64().expect("score");
    assert!(conflicting_score < best["score"].as_f64().expect("score"));

    // A person never matches a vessel.
    let vessels = env.json(&[
        "screen",
        "--name",
        "Anatoly Wasserman",
        "--schema",
        "vessel",
        "--json",
    ]);
    assert!(vessels["matches"].as_array().expect("matches").is_empty());

    let clean = env.json(&[
        "screen",
        "--name",
        "Ingeborg Abrahamsen",
        "--dob",
        "1972-11-21",
        "--json",
    ]);
    assert!(clean["matches"].as_array().expect("matches").is_empty());

    let bad = env.run(&["screen", "--name", "X", "--dob", "not a date"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a date"));
}

#[test]
fn screens_a_csv_in_bulk_in_input_order_and_reports_bad_rows() {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared("lists/ofac-sdn-2024-03-14/sdn.csv")),
    ]);
    let csv = env.write(
        "customers.csv",
        "id,full_name,dob,nationality\n\
         c1,Ingeborg Abrahamsen,1972-11-21,France\n\
         c2,,1970-01-01,\n\
         c3,Sergei Shoigu,1955-05-21,Russia\n\
         c4,Kathryn Barr,1966-07-06,United Arab Emirates\n\
         c5,Someone,1970-01-01,Atlantis\n"
            .as_bytes(),
    );
    let out = env.dir.path().join("hits.jsonl");
    let output = env.run(&[
        "screen",
        "--input",
        path_str(&csv),
        "--name-column",
        "full_name",
        "--id-column",
        "id",
        "--dob-column",
        "dob",
        "--country-column",
        "nationality",
        "--output",
        path_str(&out),
        "--allow-rejects",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("row 2"),
        "the empty name is reported: {stderr}"
    );
    assert!(
        stderr.contains("row 5: country \"Atlantis\" ignored"),
        "the unknown country is reported: {stderr}"
    );
    assert!(stderr.contains("5 rows read"), "{stderr}");
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .expect("output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let rows: Vec<u64> = lines.iter().filter_map(|l| l["row"].as_u64()).collect();
    assert_eq!(rows, [1, 2, 3, 4, 5]);
    assert_eq!(lines[0]["id"], "c1");
    assert!(lines[0]["matches"].as_array().expect("matches").is_empty());
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["matches"][0]["entity_id"], "ofac-sdn:35173");
    assert!(lines[3]["matches"].as_array().expect("matches").is_empty());
    // Screened by name, the unknown country left out and said so.
    assert_eq!(lines[4]["ignored"][0]["field"], "country");
    assert_eq!(lines[4]["ignored"][0]["value"], "Atlantis");
    assert!(lines[4]["matches"].is_array());

    let missing = env.run(&["screen", "--input", path_str(&csv), "--name-column", "nom"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no column \"nom\""));
}

#[test]
fn scores_and_evaluates_name_pairs() {
    let env = Env::new();
    let pairs = shared("eval/name_pairs.dev.csv");
    let out = env.dir.path().join("scored.csv");
    env.ok(&[
        "pairs",
        "--input",
        path_str(&pairs),
        "--output",
        path_str(&out),
    ]);
    let mut reader = csv::Reader::from_path(&out).expect("scored csv");
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().rev().take(2).collect::<Vec<_>>(),
        ["match", "score"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 418);
    for row in &rows {
        let score: f64 = row
            .get(row.len() - 2)
            .expect("score")
            .parse()
            .expect("number");
        assert!((0.0..=1.0).contains(&score));
    }

    let report = env.ok(&["eval", "pairs", path_str(&pairs)]);
    let f1: f64 = report
        .split("F1 ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("an F1 figure");
    assert!(f1 >= 0.88, "{report}");
}
