//! The monitoring scenario end to end, with the real binary on a real SQLite store: a bank
//! screens its portfolio against the SDN list of 2022-03-21, decides the alerts (four eyes),
//! then the 2022-03-24 list adds the State Duma members, and one delta run raises exactly the
//! new designees among its customers, repeating no decided alert.

mod binary;

use std::collections::{BTreeMap, BTreeSet};

use binary::{Env, path_str, shared};
use serde_json::Value;

/// Alerts by customer id (one per customer in this scenario).
fn alerts_by_customer(env: &Env) -> BTreeMap<String, Value> {
    env.json_lines(&["alerts", "list", "--json"])
        .into_iter()
        .map(|a| (a["customer_id"].as_str().expect("customer").to_owned(), a))
        .collect()
}

/// People listed long before 2022-03-24 (id, name as the bank wrote it, dob, country, SDN id).
const EARLIER: [(&str, &str, &str, &str, &str); 5] = [
    (
        "E-MIZULINA",
        "Yelena Mizulina",
        "1954-12-09",
        "Russia",
        "ofac-sdn:16661",
    ),
    ("E-NARYSHKIN", "Sergey Naryshkin", "", "", "ofac-sdn:16691"),
    (
        "E-TIMCHENKO",
        "Gennady Timchenko",
        "1952-11-09",
        "Finland",
        "ofac-sdn:16666",
    ),
    (
        "E-ZHELEZNYAK",
        "Sergei Zheleznyak",
        "1970-07-30",
        "",
        "ofac-sdn:16668",
    ),
    ("E-SKOCH", "SKOCH, Andrei", "", "", "ofac-sdn:16710"),
];

/// State Duma members designated on 2022-03-24, written several ways.
const DESIGNEES: [(&str, &str, &str); 5] = [
    (
        "D-LISTED",
        "KHARITONOV, Nikolay Mikhaylovich",
        "ofac-sdn:35389",
    ),
    (
        "D-WESTERN",
        "Sergey Aleksandrovich Shargunov",
        "ofac-sdn:35391",
    ),
    ("D-SHORT", "Anzhelika Glazkova", "ofac-sdn:35396"),
    ("D-CYRILLIC", "Глазкова Анжелика Егоровна", "ofac-sdn:35396"),
    ("D-TYPO", "Irina Anatolyevna Filatva", "ofac-sdn:35402"),
];

const ORDINARY: usize = 300;

fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// The bank's CSV: the earlier-listed people, the designees, 300 ordinary customers from
/// `customers_us_50k.csv`, and four broken rows.
fn portfolio_csv() -> String {
    let mut csv = String::from("customer_id,full_name,date_of_birth,nationality,kind\n");
    for (id, name, dob, country, _) in EARLIER {
        csv.push_str(&format!("{id},{},{dob},{country},person\n", quote(name)));
    }
    for (id, name, _) in DESIGNEES {
        csv.push_str(&format!("{id},{},,,person\n", quote(name)));
    }
    let customers =
        std::fs::read_to_string(shared("eval/customers_us_50k.csv")).expect("customers");
    for (i, line) in customers.lines().skip(1).take(ORDINARY).enumerate() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().expect("row").expect("CSV row");
        let field = |n: usize| quote(record.get(n).unwrap_or_default());
        csv.push_str(&format!(
            "US-{i},{},{},{},person\n",
            field(0),
            field(5),
            field(7)
        ));
    }
    csv.push_str("BAD-1,,1980-01-01,France,person\n");
    csv.push_str("PARTIAL-1,Jane Doe,31/31/1980,France,person\n");
    csv.push_str("PARTIAL-2,Jane Doe,1980-01-01,Atlantis,person\n");
    csv.push_str("US-0,Someone Else,,,person\n");
    csv
}

fn reason(alert: &Value) -> &str {
    alert["reason"].as_str().unwrap_or_default()
}

#[test]
fn a_list_update_raises_the_new_designees_once_and_repeats_no_decision() {
    let env = Env::new();
    let before = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    let after = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    env.ok(&["lists", "import", before.to_str().expect("path")]);

    // The portfolio: good rows in; a bad date or country is left out, the customer kept;
    // rows without a name or with a repeated id are named and left out.
    let csv = env.write("customers.csv", portfolio_csv().as_bytes());
    let csv = path_str(&csv);
    let columns = [
        "--id-column",
        "customer_id",
        "--name-column",
        "full_name",
        "--dob-column",
        "date_of_birth",
        "--country-column",
        "nationality",
        "--schema-column",
        "kind",
        "--allow-rejects",
        "--json",
    ];
    let mut import = vec!["portfolio", "import", csv];
    import.extend(columns);
    let imported = env.json(&import);
    let good = EARLIER.len() + DESIGNEES.len() + ORDINARY + 2;
    assert_eq!(imported["new"], good);
    let partial = imported["partial"].as_array().expect("partial rows");
    let ignored: Vec<(&str, &str)> = partial
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or_default(),
                p["ignored"][0]["value"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        ignored,
        [("PARTIAL-1", "31/31/1980"), ("PARTIAL-2", "Atlantis")]
    );
    assert_eq!(
        (imported["changed"].as_u64(), imported["unchanged"].as_u64()),
        (Some(0), Some(0))
    );
    let invalid = imported["invalid"].as_array().expect("invalid rows");
    let rows: Vec<u64> = invalid.iter().filter_map(|i| i["row"].as_u64()).collect();
    let first_bad = (good - 1) as u64;
    assert_eq!(rows, [first_bad, first_bad + 3]);
    let errors: Vec<&str> = invalid.iter().filter_map(|i| i["error"].as_str()).collect();
    assert!(errors[0].contains("name is empty"), "{errors:?}");
    assert!(errors[1].contains("already on row"), "{errors:?}");
    // The same file again changes nothing.
    let again = env.json(&import);
    assert_eq!(
        (again["new"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(good as u64))
    );

    // First run: every customer is new; only the people listed before 2022-03-24 alert.
    let first = env.json(&["monitor", "run", "--json"]);
    assert_eq!(first["screened_customers"], good);
    let alerts = alerts_by_customer(&env);
    let alerted: BTreeSet<&str> = alerts.keys().map(String::as_str).collect();
    let earlier: BTreeSet<&str> = EARLIER.iter().map(|e| e.0).collect();
    assert_eq!(alerted, earlier, "first run alerts");
    assert_eq!(first["alerts_created"], EARLIER.len());
    for (id, _, _, _, entity) in EARLIER {
        assert_eq!(alerts[id]["entity_id"], entity, "{id}");
        assert_eq!(reason(&alerts[id]), "new_customer");
        assert_eq!(alerts[id]["status"], "open");
        assert_eq!(alerts[id]["list"], "ofac-sdn");
    }
    // Nothing changed: a second run screens nothing and raises nothing.
    let idle = env.json(&["monitor", "run", "--json"]);
    assert_eq!(
        (
            idle["screened_customers"].as_u64(),
            idle["alerts_created"].as_u64()
        ),
        (Some(0), Some(0))
    );

    // Four eyes: alice proposes, alice cannot approve, bob approves.
    let id = |customer: &str| alerts[customer]["id"].to_string();
    let decide = |customer: &str, decision: &str, note: &str| {
        env.ok(&[
            "alerts",
            "decide",
            &id(customer),
            "--decision",
            decision,
            "--by",
            "alice",
            "--note",
            note,
        ]);
    };
    decide(
        "E-MIZULINA",
        "true-match",
        "same name, date of birth and nationality",
    );
    decide(
        "E-NARYSHKIN",
        "false-positive",
        "our customer is a US citizen born in 1988",
    );
    decide("E-TIMCHENKO", "true-match", "same date of birth");
    let refused = env.fails(&["alerts", "approve", &id("E-MIZULINA"), "--by", "alice"]);
    assert!(refused.contains("four-eyes"), "{refused}");
    let pending = env.json_lines(&["alerts", "list", "--status", "pending", "--json"]);
    assert_eq!(pending.len(), 3);
    for customer in ["E-MIZULINA", "E-NARYSHKIN", "E-TIMCHENKO"] {
        env.ok(&["alerts", "approve", &id(customer), "--by", "bob"]);
    }
    env.ok(&[
        "alerts",
        "decide",
        &id("E-ZHELEZNYAK"),
        "--decision",
        "escalate",
        "--by",
        "alice",
        "--note",
        "senior review",
    ]);
    let decided = alerts_by_customer(&env);
    assert_eq!(decided["E-MIZULINA"]["status"], "true_match");
    assert_eq!(decided["E-NARYSHKIN"]["status"], "false_positive");
    assert_eq!(decided["E-ZHELEZNYAK"]["status"], "escalated");
    assert_eq!(decided["E-SKOCH"]["status"], "open");

    // A subscriber whose endpoint is down: events wait in the outbox.
    env.ok(&[
        "webhooks",
        "add",
        "http://127.0.0.1:9/interdict",
        "--secret",
        "shh",
    ]);

    // 2022-03-24: 397 added, 7 changed. One delta run.
    env.ok(&["lists", "import", after.to_str().expect("path")]);
    let update = env.json(&["monitor", "run", "--json"]);
    assert_eq!(update["mode"], "delta");
    assert_eq!(update["screened_customers"], 0);
    assert_eq!(update["screened_entities"], 404);
    let alerts = alerts_by_customer(&env);
    // Every form is found: as listed, western order, given name and surname only,
    // Cyrillic, and with a typo.
    for (id, name, entity) in DESIGNEES {
        let alert = alerts
            .get(id)
            .unwrap_or_else(|| panic!("{id} ({name}) was not found"));
        assert_eq!(alert["entity_id"], entity, "{id} {name}");
        assert_eq!(reason(alert), "list_update", "{id}");
        assert_eq!(alert["status"], "open");
    }
    let found = DESIGNEES.len();
    // No ordinary customer alerts.
    assert!(
        alerts.keys().all(|c| !c.starts_with("US-")),
        "ordinary customers alerted: {:?}",
        alerts
            .keys()
            .filter(|c| c.starts_with("US-"))
            .collect::<Vec<_>>()
    );
    // Decided alerts on unchanged entities are not repeated.
    assert_eq!(alerts["E-MIZULINA"]["status"], "true_match");
    assert_eq!(alerts["E-NARYSHKIN"]["status"], "false_positive");
    assert_eq!(alerts["E-ZHELEZNYAK"]["status"], "escalated");
    // TIMCHENKO's record changed in ways that matter (patronymic, tax id): the pair comes
    // back, with the earlier decision beside it.
    assert_eq!(alerts["E-TIMCHENKO"]["status"], "open");
    assert_eq!(reason(&alerts["E-TIMCHENKO"]), "entity_changed");
    let shown = env.json(&[
        "alerts",
        "show",
        &alerts["E-TIMCHENKO"]["id"].to_string(),
        "--json",
    ]);
    assert_eq!(shown["previous_decision"]["decision"], "true_match");
    assert_eq!(shown["previous_decision"]["decided_by"], "alice");
    assert_eq!(shown["previous_decision"]["approved_by"], "bob");
    assert_eq!(shown["entity_name"], "TIMCHENKO, Gennady Nikolayevich");
    assert!(shown["explanation"]["features"].is_array());
    let actions: Vec<&str> = shown["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["created", "proposed", "approved", "reraised"]);
    // SKOCH's open alert is refreshed, not duplicated.
    assert_eq!(alerts["E-SKOCH"]["status"], "open");
    assert_eq!(update["alerts_refreshed"], 1);
    assert_eq!(update["alerts_created"], found + 1);
    assert_eq!(update["alerts_reraised"], 1);
    assert_eq!(alerts.len(), EARLIER.len() + found);

    // One JSON line per alert, with the documented fields.
    for line in env.json_lines(&["alerts", "list", "--status", "open", "--json"]) {
        for field in [
            "id",
            "customer_id",
            "entity_id",
            "list",
            "list_version",
            "score",
            "status",
            "reason",
            "created_at",
        ] {
            assert!(!line[field].is_null(), "{field} missing in {line}");
        }
        assert_eq!(line["status"], "open");
    }

    // The undelivered events wait: created and re-raised alerts, and the decisions before.
    let hooks = env.json_lines(&["webhooks", "list", "--json"]);
    assert_eq!(hooks[0]["pending"], found + 1);
    let delivery = env.json(&["webhooks", "deliver", "--json", "--backoff", "60"]);
    assert_eq!(delivery["delivered"], 0);
    assert_eq!(delivery["retrying"], found + 1);

    // A full re-screen finds every decided pair again and suppresses it.
    let full = env.json(&["monitor", "run", "--full", "--json"]);
    assert_eq!(full["mode"], "full");
    assert_eq!(full["alerts_created"], 0);
    assert_eq!(full["suppressed"], 2);

    // The customer leaves the bank: the open alert closes.
    env.ok(&["portfolio", "remove", "E-SKOCH"]);
    let closed = env.json_lines(&["alerts", "list", "--customer", "E-SKOCH", "--json"]);
    assert_eq!(closed[0]["status"], "closed");
    assert_eq!(closed[0]["reason"], "customer_removed");
}

/// Mullah Akhund is UN TAi.002 and UK AFG0006: two alerts of one customer on the two records
/// (as monitoring raised them before it grouped by party) each name the other in
/// `alerts show`, which says to decide it too.
#[test]
fn alerts_show_names_the_customers_other_alert_on_the_same_party() {
    let env = Env::new();
    for list in [
        "lists/un-consolidated-2026-02-27.xml",
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    ] {
        env.ok(&["lists", "import", path_str(&shared(list))]);
    }
    let customers = env.dir.path().join("customers.csv");
    std::fs::write(&customers, "id,name\nC-1,Mohammad Hassan Akhund\n").expect("write");
    env.ok(&[
        "portfolio",
        "import",
        path_str(&customers),
        "--id-column",
        "id",
        "--name-column",
        "name",
    ]);
    let (un, uk) = ("un-sc:TAi.002", "uk-sanctions-list:AFG0006");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = interdict_store::Store::open(path_str(&env.db()))
            .await
            .expect("store");
        let create = [un, uk]
            .into_iter()
            .map(|entity| interdict_store::NewAlert {
                customer_id: "C-1".into(),
                entity_id: entity.into(),
                list_version: "v1".into(),
                score: 0.9,
                matched_name: "Mohammad Hassan Akhund".into(),
                explanation: serde_json::json!({ "score": 0.9 }),
                customer_fingerprint: "c".into(),
                entity_fingerprint: "e".into(),
                reason: interdict_store::AlertReason::NewCustomer,
            })
            .collect();
        store
            .record_monitor_run(&interdict_store::MonitorRun {
                create,
                actor: "monitor".into(),
                ..interdict_store::MonitorRun::default()
            })
            .await
            .expect("run");
    });
    let alerts = env.json_lines(&["alerts", "list", "--json"]);
    let id_of = |entity: &str| {
        alerts
            .iter()
            .find(|a| a["entity_id"] == entity)
            .and_then(|a| a["id"].as_i64())
            .expect("the alert")
            .to_string()
    };
    let (on_un, on_uk) = (id_of(un), id_of(uk));
    let shown = env.ok(&["alerts", "show", &on_un]);
    assert!(
        shown.contains(&format!(
            "same party   alert {on_uk} on {uk}, open: also decide it (interdict alerts show {on_uk})"
        )),
        "{shown}"
    );
    let shown = env.json(&["alerts", "show", &on_uk, "--json"]);
    assert_eq!(
        shown["related_alerts"][0]["id"].to_string(),
        on_un,
        "{shown}"
    );
    assert_eq!(shown["related_alerts"][0]["entity_id"], un, "{shown}");
}
