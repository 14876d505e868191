//! UK OFSI consolidated list CSV, on `tests/data/uk/ofsi-conlist.csv`: a fixture written to
//! the published `ConList.csv` layout (see `tests/data/uk/README.md`), and error cases cut from
//! it.

use interdict_model::{DateOfBirth, Entity, IdentifierKind, NameKind, PartialDate, Schema};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};

use crate::common::fixture;

const FIXTURE: &str = "uk/ofsi-conlist.csv";

fn parse_fixture() -> Parsed {
    parse(&[fixture(FIXTURE)], Some(Format::UkOfsiCsv), None).expect("OFSI fixture parses")
}

fn uk(bytes: Vec<u8>) -> Result<Parsed, Error> {
    let file = SourceFile {
        name: "ConList.csv".into(),
        bytes,
    };
    parse(&[file], Some(Format::UkOfsiCsv), None)
}

fn fixture_lines() -> Vec<String> {
    String::from_utf8(fixture(FIXTURE).bytes)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn names(entity: &Entity) -> Vec<(&str, NameKind)> {
    entity
        .names
        .iter()
        .map(|n| (n.full.as_str(), n.kind))
        .collect()
}

#[test]
fn groups_rows_into_entities() {
    let parsed = parse_fixture();
    assert_eq!(parsed.format, Format::UkOfsiCsv);
    assert_eq!(parsed.list, "uk-ofsi");
    assert_eq!(parsed.issues, vec![]);
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "uk-ofsi:90001",
            "uk-ofsi:90002",
            "uk-ofsi:90003",
            "uk-ofsi:90004"
        ]
    );
    let schemas: Vec<Schema> = parsed.entities.iter().map(|e| e.schema).collect();
    assert_eq!(
        schemas,
        [
            Schema::Person,
            Schema::Person,
            Schema::Organization,
            Schema::Vessel
        ]
    );
    // 13 data rows on lines 3 to 15.
    let first = &parsed.entities[0];
    assert_eq!(first.source.location, "line 3");
    assert_eq!(first.source.raw.lines().count(), 5);
    assert!(first.source.raw.starts_with("KOROLEV,Dmitri,Valerievich,"));
    assert_eq!(parsed.entities[3].source.location, "line 14");
}

#[test]
fn reads_a_russian_individual_with_aliases() {
    let parsed = parse_fixture();
    let korolev = entity(&parsed, "uk-ofsi:90001");
    assert_eq!(korolev.name, "Dmitri Valerievich KOROLEV");
    assert_eq!(
        names(korolev),
        [
            ("Dmitri Valerievich KOROLEV", NameKind::Primary),
            ("Дмитрий Валерьевич КОРОЛЁВ", NameKind::OriginalScript),
            ("Dmitriy Valerevich KOROLEV", NameKind::StrongAka),
            ("Dmitry Valeryevich KOROLYOV", NameKind::StrongAka),
            ("Dmitrii KOROLEV", NameKind::StrongAka),
            ("Dima KOROLEV", NameKind::WeakAka),
        ]
    );
    assert_eq!(korolev.names[1].lang.as_deref(), Some("ru"));
    let parts = korolev.names[0].parts.as_ref().expect("parts");
    assert_eq!(parts.first.as_deref(), Some("Dmitri"));
    assert_eq!(parts.middle.as_deref(), Some("Valerievich"));
    assert_eq!(parts.last.as_deref(), Some("KOROLEV"));
    assert_eq!(
        korolev.dates_of_birth,
        vec![DateOfBirth::Exact {
            date: PartialDate::ymd(1968, 3, 14).expect("date")
        }]
    );
    assert_eq!(korolev.places_of_birth, vec!["Tula, Russia"]);
    assert_eq!(korolev.nationalities.len(), 1);
    assert_eq!(korolev.nationalities[0].as_str(), "RU");
    assert_eq!(
        korolev.titles,
        vec![
            "Deputy Chairman of the Board, Example State Corporation",
            "Member of the Supervisory Board"
        ]
    );
    // Two numbered passports, each with its details; repeated rows add nothing.
    let passports: Vec<(&str, Option<&str>)> = korolev
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::Passport)
        .map(|i| (i.value.as_str(), i.note.as_deref()))
        .collect();
    assert_eq!(
        passports,
        [
            ("720156389", Some("Russia")),
            ("531874096", Some("Russia. Diplomatic passport"))
        ]
    );
    assert!(
        korolev
            .identifiers
            .iter()
            .all(|i| i.kind != IdentifierKind::Passport
                || i.country.map(|c| c.to_string()).as_deref() == Some("RU"))
    );
    let reference = korolev
        .identifiers
        .iter()
        .find(|i| i.kind.label() == "UK Sanctions List Ref")
        .expect("reference");
    assert_eq!(reference.value, "RUS9001");
    assert_eq!(korolev.programs, vec!["Russia"]);
    assert_eq!(korolev.designation_date, PartialDate::ymd(2022, 2, 24));
    assert_eq!(
        korolev.remarks.len(),
        1,
        "the repeated Other Information is kept once"
    );
    assert_eq!(korolev.addresses.len(), 1);
    assert_eq!(korolev.addresses[0].city.as_deref(), Some("Moscow"));
}

#[test]
fn reads_unknown_day_and_month_of_birth() {
    let parsed = parse_fixture();
    let haddad = entity(&parsed, "uk-ofsi:90002");
    assert_eq!(
        haddad.dates_of_birth,
        vec![DateOfBirth::Exact {
            date: PartialDate::year(1965)
        }]
    );
    let nationalities: Vec<&str> = haddad.nationalities.iter().map(|c| c.as_str()).collect();
    assert_eq!(nationalities, ["SY", "LB"]);
    assert_eq!(haddad.titles[0], "Brigadier General");
    assert_eq!(haddad.names[1].kind, NameKind::OriginalScript);
    assert_eq!(haddad.names[1].lang.as_deref(), Some("ar"));
    let national_id = &haddad.identifiers[0];
    assert_eq!(national_id.kind, IdentifierKind::NationalId);
    assert_eq!(national_id.value, "03010123456");
    assert_eq!(haddad.programs, vec!["Global Human Rights"]);
    assert_eq!(haddad.designation_date, PartialDate::ymd(2021, 12, 10));
}

#[test]
fn merges_an_entity_listed_at_two_addresses() {
    let parsed = parse_fixture();
    let plant = entity(&parsed, "uk-ofsi:90003");
    assert_eq!(
        names(plant),
        [
            ("JOINT STOCK COMPANY EXAMPLE ARMS PLANT", NameKind::Primary),
            (
                "АКЦИОНЕРНОЕ ОБЩЕСТВО ПРИМЕРНЫЙ ОРУЖЕЙНЫЙ ЗАВОД",
                NameKind::OriginalScript
            ),
            ("AO EXAMPLE ARMS PLANT", NameKind::StrongAka),
        ]
    );
    assert!(
        plant.names.iter().all(|n| n.parts.is_none()),
        "no name parts for companies"
    );
    assert_eq!(plant.addresses.len(), 2);
    let tula = &plant.addresses[0];
    assert_eq!(tula.street.as_deref(), Some("12 Zavodskaya Street"));
    assert_eq!(tula.city.as_deref(), Some("Tula"));
    assert_eq!(tula.postal_code.as_deref(), Some("300002"));
    assert_eq!(tula.country.map(|c| c.to_string()).as_deref(), Some("RU"));
    let moscow = &plant.addresses[1];
    assert_eq!(
        moscow.street.as_deref(),
        Some("Office 4, 7 Tverskaya Street")
    );
    assert_eq!(moscow.city.as_deref(), Some("Moscow"));
    let kinds: Vec<(String, &str)> = plant
        .identifiers
        .iter()
        .map(|i| (i.kind.label(), i.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("UK Sanctions List Ref".to_owned(), "RUS9003"),
            ("registration_number".to_owned(), "1027100000012"),
            ("tax_id".to_owned(), "7100000015"),
        ]
    );
}

#[test]
fn reads_a_ship_with_its_imo_number() {
    let parsed = parse_fixture();
    let ship = entity(&parsed, "uk-ofsi:90004");
    assert_eq!(ship.schema, Schema::Vessel);
    assert_eq!(
        names(ship),
        [
            ("OCEAN EXAMPLE", NameKind::Primary),
            ("EXAMPLE STAR", NameKind::StrongAka)
        ]
    );
    let imo: Vec<&str> = ship
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::Imo)
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(imo, ["9312341"]);
    let countries: Vec<&str> = ship.countries.iter().map(|c| c.as_str()).collect();
    assert_eq!(countries, ["CM"], "flag of ship");
    assert_eq!(ship.designation_date, PartialDate::ymd(2024, 5, 9));
}

#[test]
fn accepts_a_file_without_the_date_line_and_with_trailing_commas() {
    let lines = fixture_lines();
    let mut text = String::from("\u{feff}");
    for line in &lines[1..] {
        text.push_str(line);
        text.push_str(",\n");
    }
    let parsed = uk(text.into_bytes()).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.entities.len(), 4);
    assert_eq!(parsed.entities[0].source.location, "line 2");
}

#[test]
fn a_group_without_a_primary_row_uses_its_first_name() {
    let lines = fixture_lines();
    // Only the AKA rows of group 90001 (lines 5 to 7).
    let text = [&lines[0], &lines[1], &lines[4], &lines[5], &lines[6]]
        .map(String::as_str)
        .join("\r\n");
    let parsed = uk(text.into_bytes()).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    let korolev = &parsed.entities[0];
    assert_eq!(korolev.name, "Dmitry Valeryevich KOROLYOV");
    assert_eq!(korolev.names[0].kind, NameKind::Primary);
    assert_eq!(korolev.names.len(), 4);
}

#[test]
fn bad_rows_are_issues_with_their_lines() {
    let mut lines = fixture_lines();
    // Line 9: no Group ID. Line 10: no name at all. Line 11: too few fields.
    lines[8] = lines[8].trim_end_matches("90002").to_owned();
    lines[9] = lines[9].replacen("JOINT STOCK COMPANY EXAMPLE ARMS PLANT", "", 1);
    lines[10] = "AO EXAMPLE ARMS PLANT,,,".to_owned();
    let parsed = uk(lines.join("\r\n").into_bytes()).expect("parses");
    let issues: Vec<(&str, &str)> = parsed
        .issues
        .iter()
        .map(|i| (i.location.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        issues,
        [
            ("line 9", "no Group ID"),
            ("line 10", "no name in Name 1 to Name 6"),
            ("line 11", "row has 4 fields, the header has 36"),
        ]
    );
    assert!(parsed.issues.iter().all(|i| i.file == "ConList.csv"));
    // The rest of each group is still there.
    assert_eq!(parsed.entities.len(), 4);
    assert_eq!(entity(&parsed, "uk-ofsi:90002").names.len(), 2);
}

#[test]
fn a_conflicting_group_type_is_an_issue() {
    let mut lines = fixture_lines();
    lines[14] = lines[14].replace(",Ship,", ",Entity,");
    let parsed = uk(lines.join("\n").into_bytes()).expect("parses");
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 15");
    assert!(
        parsed.issues[0].message.contains("differs"),
        "{}",
        parsed.issues[0].message
    );
}

#[test]
fn a_truncated_file_reports_its_last_row() {
    let text = String::from_utf8(fixture(FIXTURE).bytes).expect("UTF-8");
    let cut = text.rfind("Crude Oil Tanker").expect("last row");
    let parsed = uk(text.as_bytes()[..cut].to_vec()).expect("parses");
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 15");
    // The ship keeps its primary row.
    assert_eq!(entity(&parsed, "uk-ofsi:90004").names.len(), 1);
}

#[test]
fn a_wrong_header_is_malformed() {
    let err =
        uk(b"Last Updated,20/05/2024\nName,Country\nACME,Russia\n".to_vec()).expect_err("not OFSI");
    match err {
        Error::Malformed {
            file,
            location,
            reason,
        } => {
            assert_eq!(file, "ConList.csv");
            assert_eq!(location, "line 2");
            assert!(reason.contains("Name 6"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(uk(Vec::new()), Err(Error::Malformed { .. })));
    assert!(matches!(
        uk(b"Last Updated,20/05/2024\n".to_vec()),
        Err(Error::Malformed { .. })
    ));
    // The US CSL is CSV too, but not this one.
    let csl = std::fs::read(crate::common::shared_data().join("lists/us-csl-sample.csv"))
        .expect("CSL sample");
    assert!(matches!(uk(csl), Err(Error::Malformed { .. })));
}
