//! Ownership end to end, with the real binary on a real SQLite store: the Duma scenario
//! extended. A made-up registry (`tests/data/duma-registry`: an edges CSV naming
//! SHARGUNOV by his SDN id `ofac-sdn:35391`, and the companies' own FtM records) is imported
//! beside the SDN list of 2022-03-21; nothing it holds is blocked and its companies are not
//! screened. The 2022-03-24 list designates him: the companies he owns 50% or more of
//! (directly, or through one he owns, FAQ 401) become blocked under OFAC, one delta
//! monitoring run raises the bank's customers that match them with the path, screening them
//! gives hits with basis `ownership`, and `interdict ownership` shows the same verdicts.

mod binary;

use std::collections::BTreeMap;
use std::path::Path;

use binary::{Env, path_str, shared};
use serde_json::Value;

fn registry() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/duma-registry")
        .display()
        .to_string()
}

/// The bank's customers: three of the registry's companies as the bank wrote them, and
/// one ordinary person.
const PORTFOLIO: &str = "customer_id,full_name,kind\n\
    C-MEDIA,Volzhsky Media Holding,organization\n\
    C-RADIO,Radio Volzhskaya Volna LLC,organization\n\
    C-KAMA,Kamskie Produkty,organization\n\
    C-PERSON,Jane Q. Citizen,person\n";

fn import_portfolio(env: &Env) {
    let csv = env.write("customers.csv", PORTFOLIO.as_bytes());
    env.json(&[
        "portfolio",
        "import",
        path_str(&csv),
        "--id-column",
        "customer_id",
        "--name-column",
        "full_name",
        "--schema-column",
        "kind",
        "--json",
    ]);
}

fn alerts_by_customer(env: &Env) -> BTreeMap<String, Value> {
    env.json_lines(&["alerts", "list", "--json"])
        .into_iter()
        .map(|a| (a["customer_id"].as_str().unwrap_or_default().to_owned(), a))
        .collect()
}

fn ownership(env: &Env, id: &str) -> Value {
    env.json(&["ownership", id, "--date", "2022-03-25", "--json"])
}

#[test]
fn a_designation_blocks_his_companies_and_their_customers_alert_with_the_path() {
    let env = Env::new();
    let before = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    env.ok(&["lists", "import", path_str(&before)]);
    let imported = env.json(&[
        "lists",
        "import",
        &registry(),
        "--list",
        "registry",
        "--json",
    ]);
    assert_eq!(imported["list"], "registry");
    assert_eq!(imported["entities"], 5);
    assert_eq!(imported["relations"], 7);
    assert_eq!(imported["format"], "ftm+ownership-csv");
    // Imports are content-addressed: the same registry again creates nothing.
    let again = env.json(&[
        "lists",
        "import",
        &registry(),
        "--list",
        "registry",
        "--json",
    ]);
    assert_eq!(again["unchanged"], true);
    assert_eq!(again["version"], imported["version"]);

    import_portfolio(&env);
    let first = env.json(&["monitor", "run", "--json"]);
    assert_eq!(first["alerts_created"], 0, "{first}");
    // Not yet blocked: a registry's companies are no designations, so screening skips them.
    let screened = env.json(&["screen", "--name", "Volzhsky Media Holding", "--json"]);
    let matches = screened["matches"].as_array().expect("matches");
    assert!(
        matches.iter().all(|m| m["list"] != "registry"),
        "{screened}"
    );
    let media = ownership(&env, "registry:volga-media");
    assert_eq!(media["regimes"]["ofac"]["blocked"], false, "{media}");
    assert_eq!(media["name"], "Volzhsky Media Holding LLC");

    // 2022-03-24: OFAC designates SHARGUNOV. One delta run.
    let after = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    env.ok(&["lists", "import", path_str(&after)]);
    let update = env.json(&["monitor", "run", "--json"]);
    assert_eq!(update["mode"], "delta", "{update}");
    let alerts = alerts_by_customer(&env);
    let raised: BTreeMap<&str, &str> = alerts
        .iter()
        .map(|(c, a)| (c.as_str(), a["entity_id"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        raised,
        BTreeMap::from([
            ("C-MEDIA", "registry:volga-media"),
            // 30% through Volzhsky Media (blocked, so counted in full) and 25% of his own.
            ("C-RADIO", "registry:volga-radio"),
        ]),
        "he only directs Kamskie Produkty: control does not block under OFAC"
    );
    assert_eq!(alerts["C-MEDIA"]["reason"], "list_update");

    // The alert carries the path: SHARGUNOV → Volzhsky Media Holding, 60%.
    let id = alerts["C-MEDIA"]["id"].as_i64().expect("id").to_string();
    let shown = env.json(&["alerts", "show", &id, "--json"]);
    let owned = &shown["explanation"]["ownership"];
    assert_eq!(owned["basis"], "ownership", "{shown}");
    assert_eq!(owned["regimes"], serde_json::json!(["ofac"]));
    assert_eq!(owned["share"], 0.6);
    let step = &owned["paths"][0]["steps"][0];
    assert_eq!(step["owner"], "ofac-sdn:35391");
    assert_eq!(step["owner_name"], "SHARGUNOV, Sergey Aleksandrovich");
    assert_eq!(step["asset"], "registry:volga-media");
    assert_eq!(step["percentage"], 0.6);
    assert_eq!(step["link"]["basis"], "listed");

    // A second run raises nothing again.
    let repeat = env.json(&["monitor", "run", "--json"]);
    assert_eq!(repeat["alerts_created"], 0, "{repeat}");

    // `interdict ownership` answers in the shape, share as a fraction.
    let radio = ownership(&env, "registry:volga-radio");
    assert_eq!(radio["entity_id"], "registry:volga-radio");
    assert_eq!(radio["regimes"]["ofac"]["blocked"], true, "{radio}");
    assert_eq!(radio["regimes"]["ofac"]["share"], 0.55);
    assert_eq!(radio["regimes"]["eu"]["blocked"], false);
    assert_eq!(radio["regimes"]["eu"]["control"], false);
    let paths = radio["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2, "{radio}");
    let through = paths
        .iter()
        .find(|p| p["steps"].as_array().is_some_and(|s| s.len() == 2))
        .expect("the path through Volzhsky Media");
    assert_eq!(through["share"], 0.3);
    assert_eq!(through["steps"][1]["link"]["basis"], "ownership");
    let kama = ownership(&env, "registry:kama-foods");
    assert_eq!(kama["regimes"]["ofac"]["blocked"], false, "{kama}");
    // Before his holding began (2019-04-01), nothing held Volzhsky Media.
    let early = env.json(&[
        "ownership",
        "registry:volga-media",
        "--date",
        "2018-06-01",
        "--json",
    ]);
    assert_eq!(early["regimes"]["ofac"]["blocked"], false, "{early}");
    let text = env.ok(&["ownership", "registry:volga-radio", "--date", "2022-03-25"]);
    assert!(text.contains("BLOCKED by ownership"), "{text}");
    assert!(text.contains("SHARGUNOV"), "{text}");

    // Screening the company now: a hit with basis `ownership`, recorded and replayable.
    let screened = env.json(&["screen", "--name", "Radio Volzhskaya Volna", "--json"]);
    let hit = screened["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["entity_id"] == "registry:volga-radio"))
        .expect("a hit on the blocked company");
    assert_eq!(hit["ownership"]["basis"], "ownership", "{hit}");
    assert_eq!(hit["ownership"]["share"], 0.55);
    assert_eq!(hit["ownership"]["paths"].as_array().map(Vec::len), Some(2));
    let screening_id = screened["screening_id"].as_str().expect("screening id");
    let replay = env.json(&["audit", "replay", screening_id, "--json"]);
    assert_eq!(replay["identical"], true, "{replay}");
}

#[test]
fn unknown_entities_and_dates_are_refused() {
    let env = Env::new();
    env.ok(&["lists", "import", &registry(), "--list", "registry"]);
    let unknown = env.fails(&["ownership", "registry:nobody"]);
    assert!(unknown.contains("not found"), "{unknown}");
    let date = env.fails(&["ownership", "registry:volga-media", "--date", "25/03/2022"]);
    assert!(date.contains("--date"), "{date}");
    // A broken edge refuses the whole file; nothing is imported.
    let broken = env.write(
        "edges.csv",
        b"owner_id,asset_id,percentage\nofac-sdn:35391,volga-media,abc\n",
    );
    let refused = env.fails(&["lists", "import", path_str(&broken), "--list", "registry2"]);
    assert!(refused.contains("nothing was imported"), "{refused}");
    let lists = env.ok(&["lists"]);
    assert!(!lists.contains("registry2"), "{lists}");
}

#[test]
fn a_registry_owner_is_resolved_to_the_listed_person_only_with_an_agreeing_birth_date() {
    let env = Env::new();
    let sdn = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    env.ok(&["lists", "import", path_str(&sdn)]);
    let registry = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ftm-registry");
    let imported = env.json(&[
        "lists",
        "import",
        path_str(&registry),
        "--list",
        "registry",
        "--json",
    ]);
    assert_eq!(imported["relations"], 2, "{imported}");

    // His name and date of birth: resolved, shown with the score. Exactly 50% blocks under
    // OFAC (50% or more); the SDN list is OFAC's alone, so not under the EU.
    let oka = ownership(&env, "registry:c-oka");
    assert_eq!(oka["regimes"]["ofac"]["blocked"], true, "{oka}");
    assert_eq!(oka["regimes"]["ofac"]["share"], 0.5);
    assert_eq!(oka["regimes"]["eu"]["blocked"], false);
    let link = &oka["paths"][0]["steps"][0]["link"];
    assert_eq!(link["basis"], "resolved", "{oka}");
    assert_eq!(link["listed_id"], "ofac-sdn:35391");
    let score = link["score"].as_f64().expect("score");
    assert!(
        score >= interdict_app::ownership::RESOLVE_THRESHOLD,
        "{score}"
    );

    // The same name born in another year is someone else: nothing is blocked.
    let don = ownership(&env, "registry:c-don");
    assert_eq!(don["regimes"]["ofac"]["blocked"], false, "{don}");
    assert!(don["paths"].as_array().is_some_and(Vec::is_empty));
}
