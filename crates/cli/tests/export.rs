//! `interdict lists export --format ftm` on real lists: the FtM lines FtM tools read (ids,
//! schemata, properties, the interdict id as referent), and the round trip — the export of a
//! version, imported into a fresh store, is the same version (content hash) — for the UN list
//! and for OFAC 2022-03-24 (an older, inactive version chosen with `--version`). An edited
//! line is read from its FtM properties instead of the embedded entity.

mod binary;

use binary::{Env, path_str, shared};
use serde_json::Value;

/// Imports `relative` into `env`; returns the version.
fn import(env: &Env, relative: &str) -> String {
    let path = shared(relative);
    let report = env.json_lines(&["lists", "import", path_str(&path), "--json"]);
    report[0]["version"].as_str().expect("version").to_owned()
}

/// Imports an FtM export file into a fresh store; returns the report.
fn reimport(file: &std::path::Path) -> Value {
    let fresh = Env::new();
    let report = fresh.json_lines(&["lists", "import", path_str(file), "--json"]);
    report[0].clone()
}

#[test]
fn an_un_export_reimports_as_the_same_version_and_reads_as_ftm() {
    let env = Env::new();
    let version = import(&env, "lists/un-consolidated-2026-02-27.xml");
    let file = env.dir.path().join("un.ftm.json");
    env.ok(&[
        "lists",
        "export",
        "un-sc",
        "--format",
        "ftm",
        "--output",
        path_str(&file),
    ]);

    let text = std::fs::read_to_string(&file).expect("export");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert!(lines.len() > 900, "{}", lines.len());
    for line in &lines {
        let id = line["id"].as_str().expect("id");
        assert!(
            id.starts_with("un-sc-")
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
        let schema = line["schema"].as_str().expect("schema");
        assert!(["Person", "Organization"].contains(&schema), "{schema}");
        assert!(
            line["properties"]["name"]
                .as_array()
                .is_some_and(|n| !n.is_empty())
        );
        assert_eq!(line["datasets"], serde_json::json!(["un-sc"]));
        let referent = line["referents"][0].as_str().expect("referent");
        assert_eq!(referent.replace(':', "-"), id.replace(':', "-"));
    }
    // A known person, with FtM's property names.
    let person = lines
        .iter()
        .find(|l| l["id"] == "un-sc-CDi.021")
        .expect("CDi.021");
    assert_eq!(
        person["properties"]["birthDate"],
        serde_json::json!(["1971-05-23"])
    );
    assert!(
        person["properties"]["passportNumber"].is_array(),
        "{person}"
    );

    // Standard output carries the same lines.
    let stdout = env.ok(&["lists", "export", "un-sc"]);
    assert_eq!(stdout, text);

    let report = reimport(&file);
    assert_eq!(report["list"], "un-sc");
    assert_eq!(report["format"], "ftm");
    assert_eq!(report["entities"], lines.len());
    assert_eq!(report["version"], version.as_str(), "the same content hash");

    // A line edited by hand is read from its FtM properties: another version, with the edit.
    let edited = text.replacen("\"name\":[\"", "\"name\":[\"EDITED ", 1);
    let edited_file = env.dir.path().join("edited.ftm.json");
    std::fs::write(&edited_file, edited).expect("write");
    let report = reimport(&edited_file);
    assert_ne!(report["version"], version.as_str());
    assert_eq!(report["entities"], lines.len());
}

#[test]
fn an_older_ofac_version_exported_with_version_reimports_as_itself() {
    let env = Env::new();
    let old = import(&env, "lists/ofac-sdn-2022-03-21/sdn.csv");
    let new = import(&env, "lists/ofac-sdn-2022-03-24/sdn.csv");
    assert_ne!(old, new);
    for (version, reference) in [
        (&new, None),
        (&old, Some(format!("ofac-sdn@{}", &old[..12]))),
    ] {
        let file = env.dir.path().join(format!("{}.ftm.json", &version[..8]));
        let mut args = vec!["lists", "export", "ofac-sdn", "--output", path_str(&file)];
        if let Some(reference) = &reference {
            args.extend(["--version", reference.as_str()]);
        }
        env.ok(&args);
        let report = reimport(&file);
        assert_eq!(report["list"], "ofac-sdn");
        assert_eq!(report["version"], version.as_str(), "{reference:?}");
    }
    // A version of another list, an unknown list and an unknown format are refused.
    for args in [
        vec!["lists", "export", "un-sc"],
        vec!["lists", "export", "ofac-sdn", "--format", "csv"],
    ] {
        let output = env.run(&args);
        assert!(!output.status.success(), "{args:?}");
        assert!(!output.stderr.is_empty());
    }
}
