//! US Consolidated Screening List CSV: the 115-record trade.gov sample in `../shared/data`,
//! checked record by record, plus error cases cut from it.

use std::collections::{BTreeMap, HashSet};

use interdict_model::{DateOfBirth, Entity, IdentifierKind, NameKind, PartialDate, Schema};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};

use crate::common::shared_file;

const SAMPLE: &str = "lists/us-csl-sample.csv";

fn parse_sample() -> Parsed {
    parse(&[shared_file(SAMPLE)], Some(Format::UsCslCsv), None).expect("CSL sample parses")
}

fn csl(name: &str, bytes: Vec<u8>) -> Result<Parsed, Error> {
    let file = SourceFile {
        name: name.to_owned(),
        bytes,
    };
    parse(&[file], Some(Format::UsCslCsv), None)
}

fn by_id<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn by_name<'a>(parsed: &'a Parsed, name: &str) -> Vec<&'a Entity> {
    parsed.entities.iter().filter(|e| e.name == name).collect()
}

fn sample_lines() -> Vec<String> {
    String::from_utf8(shared_file(SAMPLE).bytes)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn country(entity_country: Option<interdict_model::CountryCode>) -> Option<String> {
    entity_country.map(|c| c.to_string())
}

#[test]
fn parses_every_record_of_the_sample_without_issues() {
    let parsed = parse_sample();
    assert_eq!(parsed.format, Format::UsCslCsv);
    assert_eq!(parsed.list, "us-csl");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.entities.len(), 115);
    let ids: HashSet<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 115, "ids are unique");
    assert!(parsed.entities.iter().all(|e| e.id.list() == "us-csl"));
}

#[test]
fn keeps_the_source_list_of_every_record() {
    let parsed = parse_sample();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for entity in &parsed.entities {
        *counts
            .entry(entity.source_list.as_deref().expect("source list"))
            .or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = [
        (
            "Specially Designated Nationals (SDN) - Treasury Department",
            28,
        ),
        (
            "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
            26,
        ),
        ("Entity List (EL) - Bureau of Industry and Security", 22),
        (
            "Palestinian Legislative Council List (PLC) - Treasury Department",
            13,
        ),
        ("ITAR Debarred (DTC) - State Department", 10),
        (
            "Denied Persons List (DPL) - Bureau of Industry and Security",
            8,
        ),
        ("Unverified List (UVL) - Bureau of Industry and Security", 4),
        ("Nonproliferation Sanctions (ISN) - State Department", 3),
        ("Capta List (CAP) - Treasury Department", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, expected);
    // Each id starts with its source list's abbreviation.
    for entity in &parsed.entities {
        let source = entity.source_list.as_deref().unwrap_or_default();
        let abbreviation = source
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(abbr, _)| abbr)
            .expect("abbreviation");
        assert!(
            entity
                .id
                .source_id()
                .starts_with(&format!("{abbreviation}-")),
            "{} from {source}",
            entity.id
        );
    }
}

#[test]
fn numbered_records_use_their_entity_number() {
    let parsed = parse_sample();
    let holdings = by_id(&parsed, "us-csl:SDN-20264");
    assert_eq!(holdings.name, "200G PSA HOLDINGS LLC");
    assert_eq!(holdings.schema, Schema::Organization);
    assert_eq!(holdings.programs, vec!["SDNTK"]);
    assert_eq!(holdings.addresses.len(), 1);
    let address = &holdings.addresses[0];
    assert_eq!(
        address.street.as_deref(),
        Some("80 SW 8th Street Suite 2000")
    );
    assert_eq!(address.city.as_deref(), Some("Miami"));
    assert_eq!(address.region.as_deref(), Some("FL"));
    assert_eq!(address.postal_code.as_deref(), Some("33130"));
    assert_eq!(country(address.country).as_deref(), Some("US"));
    assert_eq!(holdings.identifiers.len(), 1);
    let tax = &holdings.identifiers[0];
    assert_eq!(tax.kind, IdentifierKind::TaxId);
    assert_eq!(tax.value, "80-0890696");
    assert_eq!(country(tax.country).as_deref(), Some("US"));
    assert_eq!(holdings.source.location, "line 5");
    assert_eq!(holdings.source.format, "us-csl-csv");
    assert_eq!(holdings.source.file, "us-csl-sample.csv");
    assert!(holdings.source.raw.contains("80-0890696, Tax ID No."));

    // The SSI list numbers its records too, in the same space as the SDN list.
    assert_eq!(
        by_id(&parsed, "us-csl:SSI-18792").name,
        "90 EKSPERIMENTALNY ZAVOD OAO"
    );
    assert_eq!(
        by_id(&parsed, "us-csl:CAP-15268").name,
        "BANK OF KUNLUN CO LTD"
    );
}

#[test]
fn unnumbered_records_get_a_stable_content_id() {
    let parsed = parse_sample();
    let hernandez = by_name(&parsed, "ADRIAN MANUEL HERNANDEZ");
    assert_eq!(hernandez.len(), 1, "leading space trimmed");
    let hernandez = hernandez[0];
    let id = hernandez.id.source_id();
    let hash = id.strip_prefix("DPL-").expect("DPL prefix");
    assert_eq!(hash.len(), 12);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        hernandez.source_list.as_deref(),
        Some("Denied Persons List (DPL) - Bureau of Industry and Security")
    );

    // The same name at different addresses is a different record.
    let wings = by_name(&parsed, "AL NASER WINGS AIRLINES");
    assert_eq!(wings.len(), 2);
    assert_ne!(wings[0].id, wings[1].id);
    let migeotte = by_name(&parsed, "Gunther Migeotte");
    assert_eq!(migeotte.len(), 5);
    let ids: HashSet<&str> = migeotte.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 5);
}

#[test]
fn ids_do_not_depend_on_row_order() {
    let lines = sample_lines();
    let mut reversed = vec![lines[0].clone()];
    reversed.extend(lines[1..].iter().rev().cloned());
    let shuffled = csl("us-csl-sample.csv", reversed.join("\n").into_bytes()).expect("parses");
    assert_eq!(shuffled.issues, vec![]);
    let original = parse_sample();
    let key = |p: &Parsed| -> BTreeMap<String, String> {
        p.entities
            .iter()
            .map(|e| (e.id.to_string(), e.name.clone()))
            .collect()
    };
    assert_eq!(key(&original), key(&shuffled));
}

#[test]
fn identical_rows_get_distinct_ids() {
    let lines = sample_lines();
    let text = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[1]);
    let parsed = csl("dup.csv", text.into_bytes()).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.entities.len(), 2);
    let first = parsed.entities[0].id.as_str();
    assert_eq!(parsed.entities[1].id.as_str(), format!("{first}-2"));
}

#[test]
fn reads_a_typed_individual() {
    let parsed = parse_sample();
    let anabi = by_id(&parsed, "us-csl:SDN-18447");
    assert_eq!(anabi.schema, Schema::Person);
    assert_eq!(anabi.name, "AL 'ANABI, Abu 'Ubaydah Yusuf");
    assert_eq!(anabi.names.len(), 12);
    assert_eq!(anabi.names[0].kind, NameKind::Primary);
    assert!(
        anabi.names[1..]
            .iter()
            .all(|n| n.kind == NameKind::StrongAka)
    );
    assert_eq!(anabi.names[11].full, "ABOU YOUCEF");
    let parts = anabi.names[0].parts.as_ref().expect("parts");
    assert_eq!(parts.last.as_deref(), Some("AL 'ANABI"));
    assert_eq!(parts.first.as_deref(), Some("Abu"));
    assert_eq!(parts.middle.as_deref(), Some("'Ubaydah Yusuf"));
    assert_eq!(
        anabi.dates_of_birth,
        vec![DateOfBirth::Exact {
            date: PartialDate::ymd(1969, 1, 1).expect("date")
        }]
    );
    assert_eq!(anabi.places_of_birth, vec!["Annaba, Algeria"]);
    assert_eq!(anabi.citizenships.len(), 1);
    assert_eq!(anabi.citizenships[0].as_str(), "DZ");
    assert_eq!(
        anabi
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["DZ"]
    );
    assert_eq!(anabi.programs, vec!["SDGT"]);

    let akbari = by_id(&parsed, "us-csl:SDN-27271");
    assert_eq!(akbari.identifiers.len(), 1);
    assert_eq!(akbari.identifiers[0].kind, IdentifierKind::Passport);
    assert_eq!(akbari.identifiers[0].value, "21795618");
    assert_eq!(akbari.links.len(), 1);
    assert_eq!(akbari.links[0].relation, "linked_to");
    assert_eq!(akbari.links[0].target, "QASEMI, Rostam");
    assert!(akbari.remarks.is_empty(), "the link was the whole remark");

    let mazidih = by_id(&parsed, "us-csl:SDN-10727");
    let years: Vec<(u16, u16)> = mazidih
        .dates_of_birth
        .iter()
        .map(|d| d.year_range())
        .collect();
    assert_eq!(years, vec![(1974, 1974), (1975, 1975)]);

    let ubaysi = by_id(&parsed, "us-csl:SDN-22094");
    assert_eq!(
        ubaysi.titles,
        vec!["Scientific Studies and Research Center Employee"]
    );
    assert_eq!(ubaysi.nationalities.len(), 1);
    assert_eq!(ubaysi.nationalities[0].as_str(), "SY");
}

#[test]
fn reads_a_vessel() {
    let parsed = parse_sample();
    let darya = by_id(&parsed, "us-csl:SDN-27304");
    assert_eq!(darya.schema, Schema::Vessel);
    assert_eq!(
        darya
            .names
            .iter()
            .map(|n| n.full.as_str())
            .collect::<Vec<_>>(),
        ["ADRIAN DARYA 1", "GRACE 1"]
    );
    assert_eq!(darya.identifiers.len(), 1);
    assert_eq!(darya.identifiers[0].kind, IdentifierKind::Imo);
    assert_eq!(darya.identifiers[0].value, "9116412");
    assert_eq!(
        darya
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["IR"]
    );
    assert!(
        darya
            .remarks
            .contains(&"Former Vessel Flag: Panama".to_owned())
    );
    assert!(
        darya
            .remarks
            .contains(&"Vessel type: Crude Oil Tanker".to_owned())
    );

    let korean = by_id(&parsed, "us-csl:SDN-23156");
    assert_eq!(
        korean
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["KP"]
    );
    assert_eq!(korean.links[0].target, "YUSONG SHIPPING CO");
    assert!(korean.remarks.contains(
        &"Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"
            .to_owned()
    ));
}

#[test]
fn reads_organisation_identifiers() {
    let parsed = parse_sample();
    let gazprombank = by_id(&parsed, "us-csl:SSI-17016");
    let kinds: Vec<(String, &str)> = gazprombank
        .identifiers
        .iter()
        .map(|i| (i.kind.label(), i.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Government Gazette Number".to_owned(), "09807684"),
            ("tax_id".to_owned(), "7744001497"),
            ("registration_number".to_owned(), "1027700167110"),
            ("email".to_owned(), "mailbox@gazprombank.ru"),
            ("website".to_owned(), "www.gazprombank.ru"),
            ("swift_bic".to_owned(), "GAZPRUMM"),
        ]
    );
    assert!(gazprombank.remarks.contains(
        &"Executive Order 13662 Directive Determination: Subject to Directive 1".to_owned()
    ));

    let hyj = by_id(&parsed, "us-csl:SDN-16469");
    assert_eq!(hyj.identifiers.len(), 2);
    assert_eq!(hyj.identifiers[0].kind, IdentifierKind::TaxId);
    assert_eq!(hyj.identifiers[0].value, "830106350-0");
    assert_eq!(country(hyj.identifiers[0].country).as_deref(), Some("CO"));
    assert_eq!(hyj.identifiers[1].kind, IdentifierKind::RegistrationNumber);
    assert_eq!(hyj.identifiers[1].value, "01200175");
    assert_eq!(hyj.identifiers[1].note.as_deref(), Some("Bogota"));

    let kunlun = by_id(&parsed, "us-csl:CAP-15268");
    assert_eq!(kunlun.addresses.len(), 4);
    assert!(
        kunlun
            .addresses
            .iter()
            .all(|a| country(a.country).as_deref() == Some("CN"))
    );
    assert_eq!(kunlun.names.len(), 3);
}

#[test]
fn infers_the_schema_of_untyped_records() {
    let parsed = parse_sample();
    let schema_of = |name: &str| by_name(&parsed, name)[0].schema;
    // A legal form or institutional word makes an organisation.
    assert_eq!(schema_of("32 Group China Ltd."), Schema::Organization);
    assert_eq!(
        schema_of("183rd Guard Air Defense Missile Regiment"),
        Schema::Organization
    );
    assert_eq!(
        schema_of("Guangdong University of Technology"),
        Schema::Organization
    );
    // A bare personal name on the DPL or DTC list is not evidence of either.
    assert_eq!(schema_of("ADRIAN MANUEL HERNANDEZ"), Schema::Unknown);
    assert_eq!(schema_of("Guillermo Aguilar-Medina"), Schema::Unknown);
    // Typed records keep their type.
    assert_eq!(by_id(&parsed, "us-csl:PLC-9652").schema, Schema::Person);
    // Of the 47 rows without a type, 25 name an organisation and 22 could be either.
    let unknown = parsed
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Unknown)
        .count();
    assert_eq!(unknown, 22);
}

#[test]
fn reads_denied_persons_list_fields() {
    let parsed = parse_sample();
    let hernandez = by_name(&parsed, "ADRIAN MANUEL HERNANDEZ")[0];
    assert_eq!(hernandez.designation_date, PartialDate::ymd(2017, 10, 16));
    assert_eq!(hernandez.addresses.len(), 1);
    let address = &hernandez.addresses[0];
    assert_eq!(address.street.as_deref(), Some("3037 S. 69TH DRIVE"));
    assert_eq!(address.city.as_deref(), Some("PHONEIX"));
    assert_eq!(address.region.as_deref(), Some("AZ"));
    assert_eq!(address.postal_code.as_deref(), Some("85043"));
    assert_eq!(address.country, None, "the row names no country");
    assert_eq!(
        hernandez.remarks,
        vec!["FR NOTICE ADDED", "End date: 2020-10-13"]
    );
}

#[test]
fn a_bad_row_is_an_issue_with_its_line() {
    let mut lines = sample_lines();
    // Line 3: blank the name; line 7: drop most fields.
    lines[2] = lines[2].replace(",183rd Guard Air Defense Missile Regiment,", ",  ,");
    lines[6] = "Entity List (EL) - Bureau of Industry and Security,,,".to_owned();
    let parsed = csl("csl.csv", lines.join("\n").into_bytes()).expect("parses");
    assert_eq!(parsed.entities.len(), 113);
    assert_eq!(parsed.issues.len(), 2);
    assert_eq!(parsed.issues[0].file, "csl.csv");
    assert_eq!(parsed.issues[0].location, "line 3");
    assert_eq!(parsed.issues[0].message, "empty name");
    assert_eq!(parsed.issues[1].location, "line 7");
    assert_eq!(
        parsed.issues[1].message,
        "row has 4 fields, the header has 28"
    );
}

#[test]
fn invalid_utf8_in_a_row_is_an_issue() {
    let lines = sample_lines();
    let mut bytes = format!("{}\n{}\n", lines[0], lines[1]).into_bytes();
    bytes.extend_from_slice(b"Entity List (EL) - Bureau,,,,Caf\xe9 Ltd,,,,,,,,,,,,,,,,,,,,,,,\n");
    let parsed = csl("csl.csv", bytes).expect("parses");
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 3");
    assert!(parsed.issues[0].message.contains("not valid UTF-8"));
}

#[test]
fn a_truncated_file_reports_its_last_row() {
    let bytes = shared_file(SAMPLE).bytes;
    let text = String::from_utf8(bytes).expect("UTF-8");
    // Cut the last record in the middle of its name.
    let cut = text.rfind("ZDAS (HK)").expect("last record") + 4;
    let parsed = csl("csl.csv", text.as_bytes()[..cut].to_vec()).expect("parses");
    assert_eq!(parsed.entities.len(), 114);
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 116");
}

#[test]
fn a_wrong_header_is_malformed() {
    let err = csl("other.csv", b"id,full_name,country\n1,ACME,US\n".to_vec()).expect_err("not CSL");
    match err {
        Error::Malformed {
            file,
            location,
            reason,
        } => {
            assert_eq!(file, "other.csv");
            assert_eq!(location, "line 1");
            assert!(reason.contains("source, name"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        csl("empty.csv", Vec::new()),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(
        csl("garbage.csv", vec![0xff, 0x00, 0x13, 0x37, b'\n', 0x80]),
        Err(Error::Malformed { .. })
    ));
}

#[test]
fn accepts_the_export_with_an_id_column_and_a_bom() {
    let lines = sample_lines();
    let mut text = format!("\u{feff}_id,{}\n", lines[0]);
    text.push_str(&format!("abc123,{}\n", lines[4]));
    let parsed = csl("consolidated.csv", text.into_bytes()).expect("parses");
    assert_eq!(parsed.issues, vec![]);
    assert_eq!(parsed.entities.len(), 1);
    assert_eq!(parsed.entities[0].id.as_str(), "us-csl:SDN-20264");
}
