//! FollowTheMoney JSON lines: the OpenSanctions yente fixture in `../shared/data` (base file
//! plus five deltas), the graph fixture in `tests/data/ftm/`, and error cases.

use std::collections::BTreeSet;

use interdict_model::{DateOfBirth, Entity, Gender, IdentifierKind, NameKind, PartialDate, Schema};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};
use serde_json::Value;

use crate::common::{fixture, shared_data};

/// The yente fixture: `entities.ftm.json` then `deltas/*.delta.json`.
fn yente_files() -> Vec<SourceFile> {
    let dir = shared_data().join("lists/ftm-yente-fixture");
    let read = |path: std::path::PathBuf| std::fs::read(&path).expect("read fixture");
    let mut files = vec![SourceFile {
        name: "entities.ftm.json".into(),
        bytes: read(dir.join("entities.ftm.json")),
    }];
    let mut deltas: Vec<_> = std::fs::read_dir(dir.join("deltas"))
        .expect("deltas dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    deltas.sort();
    for name in deltas {
        files.push(SourceFile {
            bytes: read(dir.join("deltas").join(&name)),
            name: format!("deltas/{name}"),
        });
    }
    files
}

fn ftm(files: &[SourceFile], list: Option<&str>) -> Result<Parsed, Error> {
    parse(files, Some(Format::Ftm), list)
}

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

const SCREENED: [&str; 8] = [
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
    "CryptoWallet",
];

/// The screened ids left after applying the deltas, computed straight from the JSON.
fn expected_ids(files: &[SourceFile]) -> BTreeSet<String> {
    let mut live: Vec<(String, String)> = Vec::new();
    for file in files {
        let text = String::from_utf8(file.bytes.clone()).expect("UTF-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let value: Value = serde_json::from_str(line).expect("JSON");
            let (op, entity) = match value.get("op") {
                Some(op) => (op.as_str().expect("op"), &value["entity"]),
                None => ("ADD", &value),
            };
            let id = entity["id"].as_str().expect("id").to_owned();
            live.retain(|(existing, _)| *existing != id);
            if op != "DEL" {
                live.push((id, entity["schema"].as_str().expect("schema").to_owned()));
            }
        }
    }
    live.into_iter()
        .filter(|(_, schema)| SCREENED.contains(&schema.as_str()))
        .map(|(id, _)| format!("eu_fsf:{id}"))
        .collect()
}

#[test]
fn applies_the_deltas_to_the_base_file() {
    let files = yente_files();
    let parsed = ftm(&files, None).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.format, Format::Ftm);
    assert_eq!(parsed.list, "eu_fsf", "the dataset every base entity names");
    let ids: BTreeSet<String> = parsed.entities.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, expected_ids(&files));
    assert_eq!(parsed.entities.len(), 9);
    // Added by the second delta, then deleted by the fourth.
    assert!(!ids.contains("eu_fsf:NK-500Poltergeist"));
    // Added by deltas.
    assert!(ids.contains("eu_fsf:NK-2sJaJRaPJcWUfMbHjTtWcL"));
    assert!(ids.contains("eu_fsf:Q4365364"));
    // The Address entity of the base file is not screened.
    assert!(!ids.contains("eu_fsf:NK-2MQE6AmhAk4tqhENJAMUG9"));
    // Base entities first, in file order, then additions in delta order.
    let order: Vec<&str> = parsed.entities.iter().map(|e| e.id.source_id()).collect();
    assert_eq!(
        order,
        [
            "NK-2GdmHtZTeNXjNVrBGEXZNj",
            "NK-2Ka3UvopqbpZmVDFjWd4LA",
            "NK-2KeUB68qUJtykm3BuAcazG",
            "NK-2Mht2rqBeravCTdyQAWc4o",
            "NK-2Myxbs6wX9xFKGoQn3sLaY",
            "NK-2PacmNpiLUmoz4XD2mSt7A",
            "NK-2T3S8Hu29ktYnKSTgQp2wL",
            "NK-2sJaJRaPJcWUfMbHjTtWcL",
            "Q4365364",
        ]
    );
}

#[test]
fn a_modification_replaces_the_whole_entity() {
    let parsed = ftm(&yente_files(), None).expect("parses");
    // ADDed as AL-QAIDA IN IRAQ, then MODified into another organisation.
    let modified = entity(&parsed, "eu_fsf:NK-2T3S8Hu29ktYnKSTgQp2wL");
    assert_eq!(modified.name, "Foobar Foobargroup");
    let names: Vec<&str> = modified.names.iter().map(|n| n.full.as_str()).collect();
    assert_eq!(
        names,
        [
            "Foobar Foobargroup",
            "IRGC",
            "Iranian Revolutionary Guard Corps"
        ]
    );
    assert_eq!(modified.source.file, "20240528014702-pfh.delta.json");
    assert_eq!(modified.source.location, "line 2");
    assert!(modified.source.raw.starts_with(r#"{"op":"MOD""#));
}

#[test]
fn delta_files_apply_in_name_order_whatever_the_given_order() {
    let mut files = yente_files();
    files[1..].reverse();
    let shuffled = ftm(&files, None).expect("parses");
    let ordered = ftm(&yente_files(), None).expect("parses");
    assert_eq!(shuffled.issues, vec![]);
    assert_eq!(shuffled.entities, ordered.entities);
}

#[test]
fn reads_a_person() {
    let parsed = ftm(&yente_files(), None).expect("parses");
    let kuzmenko = entity(&parsed, "eu_fsf:NK-2Ka3UvopqbpZmVDFjWd4LA");
    assert_eq!(kuzmenko.schema, Schema::Person);
    let names: Vec<(&str, NameKind)> = kuzmenko
        .names
        .iter()
        .map(|n| (n.full.as_str(), n.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("Vitaly Yurievich KUZMENKO", NameKind::Primary),
            ("Vitalij Kuzmenko", NameKind::StrongAka),
            ("Виталий Юрьевич КУЗЬМЕНКО", NameKind::OriginalScript),
        ]
    );
    let parts = kuzmenko.names[0].parts.as_ref().expect("parts");
    assert_eq!(parts.first.as_deref(), Some("Vitaly"));
    assert_eq!(
        parts.last.as_deref(),
        Some("KUZMENKO"),
        "as the name writes it"
    );
    let cyrillic = kuzmenko.names[2].parts.as_ref().expect("parts");
    assert_eq!(cyrillic.first.as_deref(), Some("Виталий"));
    assert_eq!(
        kuzmenko.dates_of_birth,
        vec![DateOfBirth::Exact {
            date: PartialDate::ymd(1971, 1, 22).expect("date")
        }]
    );
    assert_eq!(kuzmenko.nationalities.len(), 1);
    assert_eq!(kuzmenko.nationalities[0].as_str(), "RU");
    assert_eq!(kuzmenko.gender, Some(Gender::Male));
    assert_eq!(kuzmenko.identifiers.len(), 1);
    assert_eq!(kuzmenko.identifiers[0].kind, IdentifierKind::TaxId);
    assert_eq!(kuzmenko.identifiers[0].value, "366510784303");
    assert_eq!(
        kuzmenko.titles,
        vec!["General Director of JSC 163 Armor Repair Plant"]
    );
    assert_eq!(kuzmenko.designation_date, PartialDate::ymd(2024, 2, 23));
    assert_eq!(
        kuzmenko.remarks,
        vec![
            "The plant is part of the High Precision Systems holding company of Rostec",
            "Topics: sanction"
        ]
    );
    assert_eq!(kuzmenko.links.len(), 7);
    assert!(kuzmenko.links.iter().all(|l| l.relation == "referent"));
    assert_eq!(kuzmenko.links[0].target, "fr-ga-7206");
    assert_eq!(kuzmenko.source.file, "entities.ftm.json");
    assert_eq!(kuzmenko.source.location, "line 2");

    let soyko = entity(&parsed, "eu_fsf:NK-2Myxbs6wX9xFKGoQn3sLaY");
    assert_eq!(
        soyko.titles,
        vec![
            "Colonel",
            "Deputy Commander for Armaments and Head of the Belarusian Air Force and Air Defence Forces Armament Department"
        ]
    );
    assert_eq!(soyko.places_of_birth, vec!["BELARUS, Komsomolskaya"]);
}

#[test]
fn the_caption_names_the_primary_name() {
    let parsed = ftm(&yente_files(), None).expect("parses");
    let tobacco = entity(&parsed, "eu_fsf:NK-2GdmHtZTeNXjNVrBGEXZNj");
    assert_eq!(tobacco.schema, Schema::Organization);
    // The caption is the third `name` value.
    assert_eq!(tobacco.name, "RAB „Inter Tobacco“");
    assert_eq!(tobacco.names.len(), 12);
    let original: Vec<&str> = tobacco
        .names
        .iter()
        .filter(|n| n.kind == NameKind::OriginalScript)
        .map(|n| n.full.as_str())
        .collect();
    assert_eq!(
        original.len(),
        4,
        "Greek, Russian, Belarusian, Bulgarian: {original:?}"
    );
    assert!(
        tobacco
            .names
            .iter()
            .any(|n| n.full == "LLC “Inter Tobacco”" && n.kind == NameKind::StrongAka)
    );
    assert_eq!(
        tobacco.identifiers[0].kind,
        IdentifierKind::RegistrationNumber
    );
    assert_eq!(tobacco.identifiers[0].value, "808000714");
    assert_eq!(
        tobacco
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["BY"]
    );
    assert!(
        tobacco.addresses.is_empty(),
        "its address entity is not in the export"
    );
}

#[test]
fn weak_aliases_stay_weak() {
    let parsed = ftm(&yente_files(), None).expect("parses");
    let agha = entity(&parsed, "eu_fsf:NK-2sJaJRaPJcWUfMbHjTtWcL");
    assert_eq!(agha.name, "Janan Agha");
    let weak: Vec<&str> = agha
        .names
        .iter()
        .filter(|n| n.kind == NameKind::WeakAka)
        .map(|n| n.full.as_str())
        .collect();
    assert_eq!(
        weak,
        ["アブドゥッラー・ジャーン・アガ", "Abdullah Jan Agha)"]
    );
    // `Agha` is both the middle and the father's name: no parts on the primary name.
    assert_eq!(agha.names[0].parts, None);
    let years: Vec<(u16, u16)> = agha.dates_of_birth.iter().map(|d| d.year_range()).collect();
    assert_eq!(years, vec![(1953, 1953), (1958, 1958)]);
}

#[test]
fn names_the_list_as_asked() {
    let parsed = ftm(&yente_files(), Some("opensanctions-eu")).expect("parses");
    assert_eq!(parsed.list, "opensanctions-eu");
    assert!(
        parsed
            .entities
            .iter()
            .all(|e| e.id.list() == "opensanctions-eu")
    );
}

#[test]
fn folds_the_graph_into_the_screened_entities() {
    let parsed = ftm(&[fixture("ftm/graph.ftm.json")], None).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.list, "ex_sanctions");
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.source_id()).collect();
    assert_eq!(
        ids,
        [
            "ex-person-1",
            "ex-company-1",
            "ex-vessel-1",
            "ex-airplane-1",
            "ex-wallet-1"
        ]
    );

    let person = entity(&parsed, "ex_sanctions:ex-person-1");
    let names: Vec<(&str, NameKind)> = person
        .names
        .iter()
        .map(|n| (n.full.as_str(), n.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("Ivan Petrovich SIDOROV", NameKind::Primary),
            ("Иван Петрович СИДОРОВ", NameKind::OriginalScript),
            ("Vanya Sidorov", NameKind::StrongAka),
            ("Vanya", NameKind::WeakAka),
            ("Ivan Petrovich KOZLOV", NameKind::Fka),
        ]
    );
    let parts = person.names[0].parts.as_ref().expect("parts");
    assert_eq!(parts.first.as_deref(), Some("Ivan"));
    assert_eq!(parts.patronymic.as_deref(), Some("Petrovich"));
    assert_eq!(parts.last.as_deref(), Some("SIDOROV"));
    assert_eq!(person.dates_of_birth[0].to_string(), "1970-05");
    assert_eq!(person.citizenships[0].as_str(), "CY");
    let countries: Vec<&str> = person.countries.iter().map(|c| c.as_str()).collect();
    assert_eq!(countries, ["RU", "CY"]);
    // From the Sanction entity: programme ids and names, and its listing date over createdAt.
    assert_eq!(
        person.programs,
        vec!["RUSSIA-EO14024", "Russia-related Designations"]
    );
    assert_eq!(person.designation_date, PartialDate::ymd(2022, 4, 6));
    // The passport number is both a property and a Passport entity: one passport, with the
    // entity's country and dates.
    let passports: Vec<_> = person
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::Passport)
        .collect();
    assert_eq!(passports.len(), 1);
    assert_eq!(passports[0].value, "7512345678");
    assert_eq!(
        passports[0].country.map(|c| c.to_string()).as_deref(),
        Some("RU")
    );
    assert_eq!(passports[0].issued, PartialDate::ymd(2015, 3, 1));
    assert_eq!(passports[0].expires, PartialDate::ymd(2025, 3, 1));
    assert!(
        person
            .identifiers
            .iter()
            .any(|i| i.kind == IdentifierKind::NationalId)
    );
    // From the Address entity.
    assert_eq!(person.addresses.len(), 1);
    assert_eq!(person.addresses[0].street.as_deref(), Some("ul. Lenina 1"));
    assert_eq!(person.addresses[0].city.as_deref(), Some("Perm"));
    assert_eq!(person.addresses[0].postal_code.as_deref(), Some("614000"));
    // From the Ownership entity, and the referent.
    let links: Vec<(&str, &str)> = person
        .links
        .iter()
        .map(|l| (l.relation.as_str(), l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("referent", "ofac-99001"),
            ("owns", "ex_sanctions:ex-company-1")
        ]
    );
    assert_eq!(
        person.remarks,
        vec![
            "Shareholder of Example Shipping JSC.",
            "Topics: sanction, role.oligarch"
        ]
    );

    let company = entity(&parsed, "ex_sanctions:ex-company-1");
    assert_eq!(company.schema, Schema::Organization);
    let identifiers: Vec<(String, &str)> = company
        .identifiers
        .iter()
        .map(|i| (i.kind.label(), i.value.as_str()))
        .collect();
    assert_eq!(
        identifiers,
        [
            ("tax_id".to_owned(), "5902000001"),
            ("registration_number".to_owned(), "1025900000001"),
            ("swift_bic".to_owned(), "EXSHRU2P"),
            ("email".to_owned(), "info@example-shipping.test"),
            ("website".to_owned(), "example-shipping.test"),
        ]
    );
    assert_eq!(
        company.dates_of_birth[0].to_string(),
        "1998-02-11",
        "incorporation"
    );
    assert_eq!(
        company.addresses[0].street.as_deref(),
        Some("ul. Lenina 1, Perm, Russia")
    );
    assert_eq!(company.links[0].relation, "owned_by");
    assert_eq!(company.links[0].target, "ex_sanctions:ex-person-1");

    let vessel = entity(&parsed, "ex_sanctions:ex-vessel-1");
    assert_eq!(vessel.schema, Schema::Vessel);
    let identifiers: Vec<(String, &str)> = vessel
        .identifiers
        .iter()
        .map(|i| (i.kind.label(), i.value.as_str()))
        .collect();
    assert_eq!(
        identifiers,
        [
            ("imo".to_owned(), "9312341"),
            ("mmsi".to_owned(), "273000001"),
            ("call_sign".to_owned(), "UBAA1"),
        ]
    );
    assert_eq!(vessel.countries[0].as_str(), "RU", "flag");
    assert_eq!(vessel.names[1].kind, NameKind::Fka);

    let airplane = entity(&parsed, "ex_sanctions:ex-airplane-1");
    assert_eq!(airplane.schema, Schema::Aircraft);
    assert!(
        airplane
            .identifiers
            .iter()
            .all(|i| i.kind == IdentifierKind::AircraftId)
    );
    assert_eq!(airplane.identifiers.len(), 2);

    let wallet = entity(&parsed, "ex_sanctions:ex-wallet-1");
    assert_eq!(wallet.schema, Schema::CryptoWallet);
    assert_eq!(
        wallet.name, "1ExampleWalletAddress000000000001",
        "the caption names it"
    );
    assert_eq!(
        wallet.identifiers[0].kind,
        IdentifierKind::CryptoAddress {
            currency: "XBT".into()
        }
    );
    assert_eq!(wallet.links[0].relation, "holder");
    assert_eq!(wallet.links[0].target, "ex_sanctions:ex-person-1");
}

#[test]
fn unknown_ids_in_deltas_are_issues() {
    let base = file(
        "entities.ftm.json",
        r#"{"id":"a","schema":"Person","properties":{"name":["Anna A"]},"datasets":["x"]}"#,
    );
    let delta = file(
        "deltas/1.delta.json",
        concat!(
            r#"{"op":"DEL","entity":{"id":"nobody"}}"#,
            "\n",
            r#"{"op":"MOD","entity":{"id":"ghost","schema":"Person","properties":{"name":["G"]}}}"#,
            "\n\n",
            r#"{"op":"REN","entity":{"id":"a"}}"#,
            "\n",
            r#"{"op":"ADD","entity":{"id":"b","schema":"Person""#,
            "\n",
            r#"{"op":"ADD","entity":{"id":"","schema":"Person"}}"#,
            "\n",
        ),
    );
    let parsed = ftm(&[base, delta], None).expect("parses");
    let issues: Vec<(&str, &str, &str)> = parsed
        .issues
        .iter()
        .map(|i| (i.file.as_str(), i.location.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(issues.len(), 5, "{issues:?}");
    assert_eq!(
        issues[0],
        (
            "deltas/1.delta.json",
            "line 1",
            "DEL of unknown entity nobody"
        )
    );
    assert_eq!(
        issues[1],
        (
            "deltas/1.delta.json",
            "line 2",
            "MOD of unknown entity ghost"
        )
    );
    assert_eq!(issues[2].1, "line 4");
    assert!(issues[2].2.contains("unknown delta op \"REN\""));
    assert_eq!(issues[3].1, "line 5");
    assert!(
        issues[3].2.starts_with("not a delta line"),
        "{}",
        issues[3].2
    );
    assert_eq!(
        issues[4],
        ("deltas/1.delta.json", "line 6", "entity without an id")
    );
    // MOD of an unknown id is not applied.
    assert_eq!(parsed.entities.len(), 1);
}

#[test]
fn adding_an_existing_id_replaces_it_in_place() {
    let base = file(
        "entities.ftm.json",
        concat!(
            r#"{"id":"a","schema":"Person","properties":{"name":["Anna A"]}}"#,
            "\n",
            r#"{"id":"b","schema":"Person","properties":{"name":["Boris B"]}}"#,
        ),
    );
    let delta = file(
        "d.delta.json",
        r#"{"op":"ADD","entity":{"id":"a","schema":"Company","properties":{"name":["Anna Ltd"]}}}"#,
    );
    let parsed = ftm(&[base, delta], None).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.list, "opensanctions", "no datasets named");
    let names: Vec<&str> = parsed.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Anna Ltd", "Boris B"]);
    assert_eq!(parsed.entities[0].schema, Schema::Organization);
}

#[test]
fn bad_lines_in_the_base_file_are_issues() {
    let base = file(
        "entities.ftm.json",
        concat!(
            r#"{"id":"a","schema":"Person","properties":{"name":["Anna A"]}}"#,
            "\n",
            r#"{"id":"b","schema":"Person","properties":{"name":["Boris"#,
            "\n",
            r#"["not", "an", "entity"]"#,
            "\n",
            r#"{"id":"a","schema":"Person","properties":{"name":["Anna again"]}}"#,
            "\n",
            r#"{"id":"c","schema":"Person","properties":{"name":[""]}}"#,
            "\n",
            r#"{"id":"d","properties":{"name":["No Schema"]}}"#,
            "\n",
            r#"{"id":"e","schema":"Person","referents":"not a list"}"#,
        ),
    );
    let parsed = ftm(&[base], None).expect("parses");
    let issues: Vec<(&str, &str)> = parsed
        .issues
        .iter()
        .map(|i| (i.location.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(issues.len(), 6, "{issues:?}");
    assert_eq!(issues[0].0, "line 2");
    assert!(issues[0].1.starts_with("not JSON"));
    assert_eq!(issues[1], ("line 3", "not a JSON object"));
    assert_eq!(
        issues[2],
        ("line 4", "duplicate entity id a (first on line 1)")
    );
    assert_eq!(issues[3], ("line 6", "entity d has no schema"));
    assert_eq!(issues[4].0, "line 7");
    assert!(issues[4].1.starts_with("not an FtM entity"));
    // Reported once the final state is built.
    assert_eq!(issues[5], ("line 5", "Person c has no name"));
    assert!(parsed.issues.iter().all(|i| i.file == "entities.ftm.json"));
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(parsed.entities[0].name, "Anna A");
}

#[test]
fn a_corrupt_first_line_is_an_issue_when_others_parse() {
    let base = file(
        "entities.ftm.json",
        concat!(
            r#"{"id":"a","schema":"Person","propert"#,
            "\n",
            r#"{"id":"b","schema":"Person","properties":{"name":["Boris B"]}}"#,
        ),
    );
    let parsed = ftm(&[base], None).expect("parses");
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 1");
    assert!(parsed.issues[0].message.starts_with("not JSON"));
}

#[test]
fn a_file_that_is_not_json_lines_is_malformed() {
    let csv = file("entities.ftm.json", "id,name\n1,Anna\n");
    match ftm(&[csv], None).expect_err("not FtM") {
        Error::Malformed { file, location, .. } => {
            assert_eq!(file, "entities.ftm.json");
            assert_eq!(location, "line 1");
        }
        other => panic!("unexpected {other:?}"),
    }
    let bytes = SourceFile {
        name: "x.json".into(),
        bytes: vec![0xff, 0xfe, 0x00, b'{'],
    };
    assert!(matches!(ftm(&[bytes], None), Err(Error::Malformed { .. })));
    // Deltas need something to apply to.
    let delta = file("d.delta.json", r#"{"op":"DEL","entity":{"id":"a"}}"#);
    assert!(matches!(
        ftm(&[delta], None),
        Err(Error::MissingFile { .. })
    ));
    // An empty base file is an empty list, not an error.
    let empty = ftm(&[file("entities.ftm.json", "")], None).expect("parses");
    assert!(empty.entities.is_empty());
}
