//! Screening beyond names, end to end with the real binary on OFAC SDN 2024-03-14 and the UN
//! list: payment messages field by field and free text, each judged on the shared dev sets
//! (`eval payments`, `eval scan`) against their targets, each result on record and replayed
//! identically, a malformed message answered with its own error without stopping the rest,
//! and mentions located by byte offsets in multi-byte text.

mod binary;

use std::io::Write;
use std::process::Stdio;

use binary::{Env, interdict, path_str, shared};
use serde_json::Value;

/// A store with OFAC SDN 2024-03-14 and the UN list active.
fn env_with_lists() -> Env {
    let env = Env::new();
    env.ok(&[
        "lists",
        "import",
        path_str(&shared("lists/ofac-sdn-2024-03-14/sdn.csv")),
        path_str(&shared("lists/un-consolidated-2026-02-27.xml")),
    ]);
    env
}

/// Runs `interdict ARGS` in `env` with `input` on stdin; the output.
fn with_stdin(env: &Env, args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = interdict(env.db())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run interdict");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn replays_identically(env: &Env, id: &str) {
    let replay: Value =
        serde_json::from_str(&env.ok(&["audit", "replay", id, "--json"])).expect("JSON");
    assert_eq!(replay["identical"], true, "{replay}");
}

#[test]
fn payment_messages_are_screened_field_by_field_and_on_record() {
    let env = env_with_lists();
    let dev = shared("eval/payments_dev");
    let report: Value =
        serde_json::from_str(&env.ok(&["eval", "payments", path_str(&dev), "--json"]))
            .expect("JSON");
    assert_eq!(report["messages"], 120, "{report}");
    for (kind, recall) in report["recall"].as_object().expect("recall") {
        let (found, expected) = (recall["found"].as_u64(), recall["expected"].as_u64());
        let (found, expected) = (found.expect("found"), expected.expect("expected"));
        assert!(
            found as f64 >= 0.98 * expected as f64,
            "{kind}: {found} of {expected} found in their field: {report}"
        );
    }
    let clean = report["clean"].as_u64().expect("clean");
    let stopped = report["stopped_clean"].as_array().expect("stopped").len() as u64;
    assert!(
        stopped as f64 <= 0.03 * clean as f64,
        "{stopped} of {clean} clean messages stopped: {report}"
    );
    assert_eq!(
        report["stopped_alerts"], report["expected_alerts"],
        "{report}"
    );

    // A malformed message in the middle of a batch gets its own error; the rest are screened.
    let messages = dev.join("messages");
    let good = std::fs::read(messages.join("PD004.pacs008.xml")).expect("message");
    let broken = env.write(
        "broken.xml",
        b"<?xml version=\"1.0\"?><Document><FIToFICstmrCdtTrf>",
    );
    let good = env.write("good.xml", &good);
    let output = env.run(&[
        "payments",
        "screen",
        path_str(&broken),
        path_str(&good),
        "--json",
    ]);
    assert!(
        !output.status.success(),
        "an unreadable message must fail the run"
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["message"], "broken.xml");
    assert!(lines[0]["error"]["reason"].is_string(), "{}", lines[0]);
    assert_eq!(lines[1]["decision"], "hit", "{}", lines[1]);
    assert!(
        lines[1]["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .any(|h| h["field"] == "Cdtr/Nm" && h["entity_id"] == "ofac-sdn:45328"),
        "{}",
        lines[1]
    );
    replays_identically(&env, lines[1]["screening_id"].as_str().expect("id"));
}

#[test]
fn documents_are_scanned_for_listed_parties_with_byte_offsets_and_on_record() {
    let env = env_with_lists();
    let report: Value = serde_json::from_str(&env.ok(&[
        "eval",
        "scan",
        path_str(&shared("eval/freetext_dev")),
        "--json",
    ]))
    .expect("JSON");
    assert!(
        report["recall"].as_f64().expect("recall") >= 0.95,
        "{report}"
    );
    for variant in report["variants"].as_array().expect("variants") {
        assert!(
            variant["recall"].as_f64().expect("recall") >= 0.85,
            "{variant}"
        );
    }
    let clean = report["clean_documents"].as_f64().expect("clean");
    let noisy = report["clean_with_mentions"].as_f64().expect("noisy");
    assert!(noisy <= 0.02 * clean, "{report}");
    assert_eq!(report["trap_hits"], serde_json::json!([]), "{report}");

    let text = "Министр обороны Шойгу — Sergei Shoigu's visit; the tanker IMO 9283033 left.";
    let output = with_stdin(&env, &["scan", "-", "--json"], text.as_bytes());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let scanned: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mentions = scanned["mentions"].as_array().expect("mentions");
    for mention in mentions {
        let (start, end) = (
            mention["start"].as_u64().expect("start") as usize,
            mention["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(&text[start..end], mention["text"].as_str().expect("text"));
    }
    let entities: Vec<&str> = mentions
        .iter()
        .filter_map(|m| m["entity_id"].as_str())
        .collect();
    assert!(entities.contains(&"ofac-sdn:35173"), "Shoigu: {scanned}");
    assert!(
        entities.contains(&"ofac-sdn:25353"),
        "the vessel by IMO: {scanned}"
    );
    replays_identically(&env, scanned["scan_id"].as_str().expect("scan_id"));
}

#[test]
fn payment_hits_open_alerts_decided_with_four_eyes_and_never_opened_twice() {
    let env = env_with_lists();
    let messages = shared("eval/payments_dev/messages");
    let hit = messages.join("PD004.pacs008.xml");
    let clean = messages.join("PD001.pacs008.xml");
    let screen = |path: &std::path::Path| -> Value {
        let lines = env.json_lines(&["payments", "screen", path_str(path), "--json", "--alerts"]);
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines.into_iter().next().expect("one result")
    };

    // Without --alerts nothing is opened.
    env.ok(&["payments", "screen", path_str(&hit), "--json"]);
    assert!(env.json_lines(&["alerts", "list", "--json"]).is_empty());

    let first = screen(&hit);
    assert_eq!(first["decision"], "hit", "{first}");
    let alert_ids = first["alert_ids"].as_array().expect("alert_ids").clone();
    assert!(!alert_ids.is_empty(), "{first}");
    let alerts = env.json_lines(&["alerts", "list", "--json"]);
    assert_eq!(alerts.len(), alert_ids.len(), "{alerts:?}");
    let alert = alerts
        .iter()
        .find(|a| a["entity_id"] == "ofac-sdn:45328")
        .unwrap_or_else(|| panic!("no alert on ICE PEARL NAVIGATION CORP: {alerts:?}"));
    assert_eq!(alert["status"], "open");
    assert_eq!(alert["reason"], "payment_hit");
    assert_eq!(alert["subject"]["kind"], "payment");
    let payment = &alert["subject"]["payment"];
    assert_eq!(payment["field"], "Cdtr/Nm", "{alert}");
    assert_eq!(payment["hit_kind"], "name");
    assert_eq!(payment["value"], "ICE PEARL NAVIGATION CORP");
    assert_eq!(payment["format"], "pacs.008.001.08");
    assert_eq!(payment["message_id"], first["message_id"]);
    assert_eq!(payment["reference"], first["reference"]);
    assert_eq!(payment["screening_id"], first["screening_id"]);
    assert_eq!(alert["matched_name"], "ICE PEARL NAVIGATION CORP");
    assert!(alert["score"].as_f64().expect("score") >= 0.9, "{alert}");
    assert_eq!(alert["list"], "ofac-sdn");
    assert!(
        !alert["list_version"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
    let id = alert["id"].to_string();
    let shown = env.json(&["alerts", "show", &id, "--json"]);
    assert!(shown["customer"].is_null(), "{shown}");
    assert_eq!(shown["entity_name"], "ICE PEARL NAVIGATION CORP");
    assert!(shown["explanation"].is_object(), "{shown}");
    let readable = env.ok(&["alerts", "show", &id]);
    assert!(readable.contains("Cdtr/Nm"), "{readable}");

    // The same message again: the same alerts, none new.
    let again = screen(&hit);
    assert_ne!(again["screening_id"], first["screening_id"]);
    assert_eq!(again["alert_ids"], first["alert_ids"]);
    assert_eq!(
        env.json_lines(&["alerts", "list", "--json"]).len(),
        alerts.len()
    );

    // Four eyes, as for a customer's alert.
    env.ok(&[
        "alerts",
        "decide",
        &id,
        "--decision",
        "false-positive",
        "--by",
        "alice",
        "--note",
        "the vessel operator of the same name, confirmed with the remitter",
    ]);
    let refused = env.fails(&["alerts", "approve", &id, "--by", "alice"]);
    assert!(refused.contains("four-eyes"), "{refused}");
    env.ok(&["alerts", "approve", &id, "--by", "bob"]);
    let decided = env.json(&["alerts", "show", &id, "--json"]);
    assert_eq!(decided["status"], "false_positive", "{decided}");
    assert_eq!(decided["decision"]["approved_by"], "bob");

    // Screening it again neither reopens nor duplicates the decided alert, and monitoring
    // (which plans customer alerts) leaves it alone.
    let third = screen(&hit);
    assert_eq!(third["alert_ids"], first["alert_ids"]);
    env.ok(&["monitor", "run", "--json"]);
    let after = env.json(&["alerts", "show", &id, "--json"]);
    assert_eq!(after["status"], "false_positive", "{after}");
    assert_eq!(
        env.json_lines(&["alerts", "list", "--json"]).len(),
        alerts.len()
    );

    // A clean message opens nothing.
    let cleared = screen(&clean);
    assert_eq!(cleared["decision"], "clear", "{cleared}");
    assert!(cleared.get("alert_ids").is_none(), "{cleared}");
}
