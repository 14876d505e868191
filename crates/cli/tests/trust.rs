//! What a new user must be able to trust: a batch never silently drops a row (a broken quote
//! costs one row, a bad date of birth is ignored and the name screened, every batch ends
//! with a summary and fails when rows were rejected), an older list does not silently
//! become the active one (an undated one replaces a dated one by import order, and says so), a closed stdout is no error, human output explains, and a store
//! that cannot be opened says why, once.

mod binary;

use std::io::Read;
use std::process::Stdio;

use binary::{Env, interdict, path_str, shared};
use serde_json::Value;

const SDN_2022_03_21: &str = "lists/ofac-sdn-2022-03-21/sdn.csv";
const SDN_2022_03_24: &str = "lists/ofac-sdn-2022-03-24/sdn.csv";

/// A customer file where row 2 opens a quote it never closes, row 3 has a date of birth
/// that is no date, and rows 3 to 5 are people the SDN list of 2022-03-24 names.
const CUSTOMERS: &str = "id,full_name,dob,nationality\n\
    c1,Ingeborg Abrahamsen,1972-11-21,France\n\
    c2,\"Kathryn Barr,1966-07-06,United Arab Emirates\n\
    c3,Sergei Shoigu,31/31/1955,Russia\n\
    c4,Anatoly Wasserman,1952-12-09,Atlantis\n\
    c5,\"Kharitonov, Nikolai\",1948-10-30,Russia\n";

fn env_with_sdn() -> Env {
    let env = Env::new();
    env.ok(&["lists", "import", path_str(&shared(SDN_2022_03_24))]);
    env
}

fn lines_of(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unbalanced_quote_costs_one_row_and_a_bad_date_is_ignored_not_the_name() {
    let env = env_with_sdn();
    let csv = env.write("customers.csv", CUSTOMERS.as_bytes());
    let rejects = env.dir.path().join("rejects.csv");
    let args = [
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
        "--rejects",
        path_str(&rejects),
    ];
    let output = env.run(&args);
    let stderr = stderr_of(&output);
    // A rejected row fails the batch, after every other row was screened.
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("row 2 (line 3), column 2 (full_name): a quote"),
        "the broken quote is located: {stderr}"
    );
    assert!(
        stderr.contains("5 rows read: 2 screened on every field, 2 partially screened (a field ignored), 1 rejected"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-rejects"), "{stderr}");
    let lines = lines_of(&String::from_utf8(output.stdout).expect("utf-8"));
    let ids: Vec<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, ["c1", "c3", "c4", "c5"], "every later row is read");
    assert!(
        lines[1]["error"].is_string(),
        "row 2 says why: {}",
        lines[1]
    );

    // The bad date is ignored, and the listed name still found.
    let shoigu = &lines[2];
    assert_eq!(shoigu["ignored"][0]["field"], "dob");
    assert_eq!(shoigu["ignored"][0]["value"], "31/31/1955");
    assert_eq!(shoigu["matches"][0]["entity_id"], "ofac-sdn:35173");
    assert!(stderr.contains(
        "row 3: dob \"31/31/1955\" ignored: not a date of birth; the name was screened on the rest"
    ));
    // So is the unknown country.
    assert_eq!(lines[3]["ignored"][0]["field"], "country");
    assert!(!lines[3]["matches"].as_array().expect("matches").is_empty());
    // A well-quoted name with a comma reads as one value.
    assert!(!lines[4]["matches"].as_array().expect("matches").is_empty());

    // The rejected row, as it was, under the header: fix it and run it again.
    let rejected = std::fs::read_to_string(&rejects).expect("rejects file");
    assert_eq!(
        rejected,
        "id,full_name,dob,nationality\nc2,\"Kathryn Barr,1966-07-06,United Arab Emirates\n"
    );
    let fixed = env.write(
        "fixed.csv",
        rejected
            .replace("\"Kathryn Barr", "Kathryn Barr")
            .as_bytes(),
    );
    let mut rerun = args.to_vec();
    rerun[2] = path_str(&fixed);
    rerun.truncate(rerun.len() - 2);
    env.ok(&rerun);

    // The audit trail holds the cleaned request, so the screening replays identically.
    let screening_id = shoigu["screening_id"].as_str().expect("screening id");
    let replay = env.json(&["audit", "replay", screening_id, "--json"]);
    assert_eq!(replay["identical"], true, "{replay}");

    // --allow-rejects: the same batch exits 0.
    let mut allowed = args.to_vec();
    allowed.push("--allow-rejects");
    env.ok(&allowed);
}

#[test]
fn portfolio_import_recovers_per_record_and_fails_on_rejects() {
    let env = Env::new();
    let csv = env.write("customers.csv", CUSTOMERS.as_bytes());
    let rejects = env.dir.path().join("rejects.csv");
    let args = [
        "portfolio",
        "import",
        path_str(&csv),
        "--id-column",
        "id",
        "--name-column",
        "full_name",
        "--dob-column",
        "dob",
        "--country-column",
        "nationality",
        "--rejects",
        path_str(&rejects),
        "--json",
    ];
    let output = env.run(&args);
    let stderr = stderr_of(&output);
    assert!(!output.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["new"], 4, "{report}");
    assert_eq!(report["summary"]["read"], 5);
    assert_eq!(report["summary"]["partially_imported"], 2);
    assert_eq!(report["summary"]["rejected"], 1);
    assert_eq!(report["invalid"][0]["row"], 2);
    assert_eq!(report["partial"][0]["id"], "c3");
    assert_eq!(report["partial"][0]["ignored"][0]["field"], "dob");
    assert!(
        stderr.contains("row 3: dob \"31/31/1955\" ignored: not a date of birth; customer \"c3\" imported without it"),
        "{stderr}"
    );
    assert!(
        std::fs::read_to_string(&rejects)
            .expect("rejects")
            .ends_with("c2,\"Kathryn Barr,1966-07-06,United Arab Emirates\n")
    );
}

#[test]
fn an_older_version_is_stored_but_not_activated_until_asked() {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_24)),
        "--published",
        "2022-03-24",
    ]);
    let older = env.run(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_21)),
        "--published",
        "2022-03-21",
    ]);
    let stderr = stderr_of(&older);
    assert!(older.status.success(), "{stderr}");
    assert!(stderr.contains("NOT activated"), "{stderr}");
    assert!(
        stderr.contains("hint: activate it with `interdict lists activate ofac-sdn "),
        "{stderr}"
    );
    let lists = env.json(&["lists", "--json"]);
    let versions = lists[0]["versions"].as_array().expect("versions");
    let active: Vec<&Value> = versions.iter().filter(|v| v["active"] == true).collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["published"], "2022-03-24");
    let shown = env.ok(&["lists"]);
    assert!(shown.contains("2022-03-24"), "{shown}");

    // Rolled back on purpose, it is active.
    let old_version = versions
        .iter()
        .find(|v| v["published"] == "2022-03-21")
        .and_then(|v| v["version"].as_str())
        .expect("the older version");
    let activated = env.ok(&["lists", "activate", "ofac-sdn", &old_version[..12]]);
    assert!(activated.contains("now active"), "{activated}");

    // An ambiguous date is refused, not guessed.
    let ambiguous = env.fails(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_21)),
        "--published",
        "03/04/2022",
    ]);
    assert!(ambiguous.contains("ISO date"), "{ambiguous}");
}

#[test]
fn a_shrunk_list_is_kept_inactive_and_the_hint_names_the_flag() {
    let env = env_with_sdn();
    // The same list cut to its first 3000 lines, properly ended: most of it is gone.
    let bytes = std::fs::read(shared(SDN_2022_03_24)).expect("read");
    let mut head: Vec<u8> = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(3000)
        .flatten()
        .copied()
        .collect();
    head.push(0x1A);
    let folder = tempfile::tempdir().expect("temp dir");
    let part = folder.path().join("sdn-part.csv");
    std::fs::write(&part, &head).expect("write");

    let human = env.run(&["lists", "import", path_str(&part), "--list", "ofac-sdn"]);
    let stderr = stderr_of(&human);
    assert!(human.status.success(), "{stderr}");
    assert!(
        stderr.contains("NOT activated: it removes")
            && stderr.contains("a truncated or partial file?"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("hint: if the removals are real, import the file again with --allow-shrink"),
        "{stderr}"
    );
    let json = env.run(&[
        "lists",
        "import",
        path_str(&part),
        "--list",
        "ofac-sdn",
        "--json",
    ]);
    let report = &lines_of(&String::from_utf8_lossy(&json.stdout))[0];
    assert_eq!(report["activated"], false, "{report}");
    assert_eq!(report["overridden_by"], "allow_shrink", "{report}");
    assert_eq!(report["shrink"]["records"], "entities", "{report}");
    assert!(
        report["hint"]
            .as_str()
            .is_some_and(|h| h.contains("--allow-shrink")),
        "{report}"
    );

    let forced = env.run(&[
        "lists",
        "import",
        path_str(&part),
        "--list",
        "ofac-sdn",
        "--allow-shrink",
        "--json",
    ]);
    let report = &lines_of(&String::from_utf8_lossy(&forced.stdout))[0];
    assert_eq!(report["activated"], true, "{report}");
}

#[test]
fn without_a_publication_date_the_later_import_wins_and_the_report_says_so() {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_24)),
        "--published",
        "2022-03-24",
    ]);
    // OFAC's CSV states no date: an older file imported later replaces the dated version
    // (it removes too few entities for the shrink guard), and says why in every output.
    let undated = env.run(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_21)),
        "--json",
    ]);
    assert!(undated.status.success(), "{}", stderr_of(&undated));
    let report = &lines_of(&String::from_utf8_lossy(&undated.stdout))[0];
    assert_eq!(report["activated"], true, "{report}");
    let note = report["ordered_by_import"].as_str().expect("a note");
    assert!(
        note.contains("publication date is unknown (the active one's is 2022-03-24)"),
        "{note}"
    );
    let human = env.run(&["lists", "import", path_str(&shared(SDN_2022_03_24))]);
    assert!(
        stderr_of(&human).contains("note: ofac-sdn@"),
        "{}",
        stderr_of(&human)
    );
    let export = env.ok(&[
        "audit",
        "export",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
    ]);
    let notes: Vec<Value> = lines_of(&export)
        .into_iter()
        .filter(|r| r["kind"] == "import")
        .map(|r| r["payload"]["ordered_by_import"].clone())
        .collect();
    assert_eq!(notes.len(), 3, "{export}");
    assert!(notes[0].is_null(), "the first import replaced nothing");
    assert_eq!(notes[1], note);
    assert!(
        notes[2].is_string(),
        "the re-activation by import order is on record"
    );

    // With both dates known, the dates decide and no note is given.
    let dated = env.json(&[
        "lists",
        "import",
        path_str(&shared(SDN_2022_03_21)),
        "--published",
        "2022-03-21",
        "--json",
    ]);
    assert!(dated["ordered_by_import"].is_null(), "{dated}");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let env = Env::new();
    env.ok(&["lists", "import", path_str(&shared(SDN_2022_03_21))]);
    env.ok(&["lists", "import", path_str(&shared(SDN_2022_03_24))]);
    let sdn_21 = shared(SDN_2022_03_21);
    let sdn_24 = shared(SDN_2022_03_24);
    for args in [
        vec!["lists"],
        vec!["lists", "diff", path_str(&sdn_21), path_str(&sdn_24)],
        vec!["entity", "ofac-sdn:36"],
        vec![
            "audit",
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2999-01-01",
        ],
    ] {
        let mut child = interdict(env.db())
            .args(&args)
            .current_dir(env.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Read nothing and close the pipe, as `| head -0` would, before the command writes.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read stderr");
        let status = child.wait().expect("wait");
        assert!(status.success(), "interdict {args:?}: {status}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_diff_names_the_entities_and_shows_old_and_new_values() {
    let env = Env::new();
    let diff = env.ok(&[
        "lists",
        "diff",
        path_str(&shared(SDN_2022_03_21)),
        path_str(&shared(SDN_2022_03_24)),
    ]);
    assert!(diff.contains("397 added, 0 removed, 7 changed"), "{diff}");
    assert!(
        diff.lines()
            .any(|l| l.starts_with("+ ofac-sdn:") && l.contains("WASSERMAN")),
        "added entities are named: {diff}"
    );
    let changed: Vec<&str> = diff.lines().filter(|l| l.starts_with("~ ")).collect();
    assert_eq!(changed.len(), 7);
    assert!(
        changed.iter().all(|l| l.split_whitespace().count() > 2),
        "changed entities are named: {changed:?}"
    );
    assert!(
        diff.lines().any(|l| l.starts_with("    ")
            && (l.contains(" → ") || l.contains(": + ") || l.contains(": - "))),
        "changed fields show their values: {diff}"
    );
}

#[test]
fn a_store_that_cannot_be_opened_says_why_once() {
    let env = Env::new();
    for (url, expected) in [
        // Port 1 on loopback: nothing listens there.
        (
            "postgres://postgres@127.0.0.1:1/interdict",
            "connection refused",
        ),
        (
            "postgres://postgres@no-such-host.invalid:5432/interdict",
            "unknown host",
        ),
    ] {
        let output = interdict(url)
            .arg("lists")
            .current_dir(env.dir.path())
            .output()
            .expect("run");
        let stderr = stderr_of(&output);
        assert!(!output.status.success());
        assert_eq!(stderr.matches(expected).count(), 1, "{url}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
    }
}

#[test]
fn the_demo_names_the_duma_designees_and_a_changed_entry() {
    let env = Env::new();
    let demo_db = env.dir.path().join("demo.db");
    let out = env.ok(&["demo", "--demo-db", path_str(&demo_db)]);
    assert!(
        out.contains("of the 397 additions are members of Russia's State Duma"),
        "{out}"
    );
    let named = out
        .lines()
        .filter(|l| l.starts_with("  + ofac-sdn:"))
        .count();
    assert!(named >= 3, "a few designees are named: {out}");
    assert!(
        out.lines().any(|l| l.starts_with("      ")
            && (l.contains(" → ") || l.contains(": + ") || l.contains(": - "))),
        "a changed entry's values: {out}"
    );
    assert!(out.contains("Try: "), "{out}");
}

/// The test cluster's admin URL: `INTERDICT_TEST_POSTGRES_URL`, or the cluster that
/// `scripts/test-postgres.sh` starts.
fn postgres_admin_url() -> String {
    if let Ok(url) = std::env::var("INTERDICT_TEST_POSTGRES_URL") {
        return url;
    }
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-postgres.sh");
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg("start")
        .output()
        .expect("run test-postgres.sh");
    assert!(
        output.status.success(),
        "scripts/test-postgres.sh start failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[test]
fn a_missing_database_or_an_unknown_user_is_named_once() {
    let env = Env::new();
    let admin = postgres_admin_url();
    let (credentials, rest) = admin
        .trim_start_matches("postgresql://")
        .trim_start_matches("postgres://")
        .rsplit_once('@')
        .expect("a URL with a user");
    let server = rest.split('/').next().expect("host:port");
    for (url, expected) in [
        (
            format!("postgres://{credentials}@{server}/interdict_no_such_database"),
            "database \"interdict_no_such_database\" does not exist",
        ),
        (
            format!("postgres://interdict_no_such_role@{server}/postgres"),
            "authentication failed for user \"interdict_no_such_role\"",
        ),
    ] {
        let output = interdict(&url)
            .arg("lists")
            .current_dir(env.dir.path())
            .output()
            .expect("run");
        let stderr = stderr_of(&output);
        assert!(!output.status.success());
        assert_eq!(stderr.matches(expected).count(), 1, "{url}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{url}: {stderr}");
    }
}

#[test]
fn an_alert_shows_its_explanation_laid_out() {
    let env = env_with_sdn();
    let csv = env.write("customers.csv", b"id,name\nk1,Sergei Shoigu\n");
    env.ok(&[
        "portfolio",
        "import",
        path_str(&csv),
        "--id-column",
        "id",
        "--name-column",
        "name",
    ]);
    env.ok(&["monitor", "run"]);
    let shown = env.ok(&["alerts", "show", "1"]);
    assert!(shown.contains("ofac-sdn:35173"), "{shown}");
    for heading in ["compared", "tokens", "features", "score"] {
        assert!(
            shown.lines().any(|l| l.trim_start().starts_with(heading)),
            "{heading}: {shown}"
        );
    }
    assert!(
        shown
            .lines()
            .any(|l| l.contains("shoigu") && l.contains("exact")),
        "{shown}"
    );
    assert!(!shown.contains("{\""), "no raw JSON: {shown}");
}
