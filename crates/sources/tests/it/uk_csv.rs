//! The FCDO UK Sanctions List CSV variant: the XML excerpt's 21 designations written in the
//! CSV layout (`tests/data/uk/uk-sanctions-list.csv`, see its README) give the same entities
//! as the XML, and the variant is detected from content.

use interdict_model::Entity;
use interdict_sources::{ENCODING_UTF8, Error, Format, Parsed, SourceFile, detect, parse};

use crate::common::{fixture, shared_file};

const XML: &str = "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml";
const CSV: &str = "uk/uk-sanctions-list.csv";

fn parse_csv(bytes: Vec<u8>) -> Result<Parsed, Error> {
    let file = SourceFile {
        name: "uk-sanctions-list.csv".into(),
        bytes,
    };
    parse(&[file], Some(Format::UkSanctionsListCsv), None)
}

/// An entity without its provenance, which differs by format and line.
fn content(entity: &Entity) -> serde_json::Value {
    let mut value = serde_json::to_value(entity).expect("serialises");
    if let Some(object) = value.as_object_mut() {
        object.remove("source");
    }
    value
}

#[test]
fn the_csv_variant_gives_the_entities_of_the_xml() {
    let xml_file = shared_file(XML);
    let csv_file = fixture(CSV);
    assert_eq!(
        detect(std::slice::from_ref(&csv_file)).expect("detected"),
        Format::UkSanctionsListCsv
    );
    let xml = parse(&[xml_file], None, None).expect("xml parses");
    let csv = parse(&[csv_file], None, None).expect("csv parses");
    assert!(csv.issues.is_empty(), "{:?}", csv.issues);
    assert_eq!(csv.format, Format::UkSanctionsListCsv);
    assert_eq!(csv.list, "uk-sanctions-list");
    assert_eq!(csv.encoding, Some(ENCODING_UTF8));
    // The report date, `07-Sep-2026`, is the XML's `DateGenerated` 07/09/2026.
    assert_eq!(csv.published, xml.published);
    assert!(csv.published.is_some());
    assert_eq!(csv.entities.len(), 21);
    assert_eq!(xml.entities.len(), csv.entities.len());
    for (from_xml, from_csv) in xml.entities.iter().zip(&csv.entities) {
        assert_eq!(
            content(from_xml),
            content(from_csv),
            "{} differs between XML and CSV",
            from_xml.id
        );
        assert_eq!(from_csv.source.format, "uk-sanctions-list-csv");
        assert!(from_csv.source.location.contains(from_csv.id.source_id()));
    }
    // Identical content hashes: importing either variant gives the same version content.
    let hashes = |parsed: &Parsed| -> Vec<String> {
        parsed
            .entities
            .iter()
            .map(interdict_model::entity_hash)
            .collect()
    };
    assert_eq!(hashes(&xml), hashes(&csv));
}

#[test]
fn reads_columns_by_name_in_any_order_and_the_report_date_in_its_own_cell() {
    let csv = "Report Date,07/09/2026\r\n\
               Designation Type,Name type,Name 6,Name 1,Unique ID,D.O.B,Passport number\r\n\
               Individual,Primary Name,PETROV,Ivan,RUS9001,dd/mm/1961,P123\r\n\
               Individual,Alias,PETROFF,Ivan,RUS9001,01/02/1962,\r\n\
               Ship,Primary Name,OCEAN STAR,,RUS9002,,\r\n";
    let parsed = parse_csv(csv.as_bytes().to_vec()).expect("parses");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(
        parsed.published.map(|d| d.to_string()).as_deref(),
        Some("2026-09-07")
    );
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["uk-sanctions-list:RUS9001", "uk-sanctions-list:RUS9002"]
    );
    let petrov = &parsed.entities[0];
    assert_eq!(petrov.name, "Ivan PETROV");
    assert_eq!(petrov.names.len(), 2);
    assert_eq!(petrov.dates_of_birth.len(), 2);
    assert_eq!(petrov.schema, interdict_model::Schema::Person);
    assert_eq!(parsed.entities[1].schema, interdict_model::Schema::Vessel);
}

#[test]
fn a_cut_row_and_a_missing_id_are_issues_and_a_wrong_header_is_refused() {
    let fixture = String::from_utf8(fixture(CSV).bytes).expect("utf-8");
    // Cut inside the last row: its cells are short of the header's.
    let cut = fixture
        .trim_end()
        .rsplit_once(',')
        .map(|(head, _)| head)
        .expect("cells");
    let parsed = parse_csv(cut.as_bytes().to_vec()).expect("still CSV");
    assert!(
        parsed
            .issues
            .iter()
            .any(|i| i.message.contains("cells where the header has")),
        "{:?}",
        parsed.issues
    );
    // A row without its Unique ID.
    let lines: Vec<&str> = fixture.lines().collect();
    let blanked = lines[2].replacen(",AFG0001,", ",,", 1);
    let mut edited = lines.clone();
    edited[2] = &blanked;
    let parsed = parse_csv(edited.join("\r\n").into_bytes()).expect("parses");
    assert!(
        parsed
            .issues
            .iter()
            .any(|i| i.message == "no Unique ID" && i.location == "line 3")
    );
    // Not this format at all.
    match parse_csv(b"Report Date: 07-Sep-2026\r\nName,Country\r\nX,Y\r\n".to_vec()) {
        Err(Error::Malformed { reason, .. }) => assert!(
            reason.contains("Unique ID") || reason.contains("unique id"),
            "{reason}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A report date that is not a date is an issue, not a guess.
    let bad_date = fixture.replacen("07-Sep-2026", "07-Sept-20x6", 1);
    let parsed = parse_csv(bad_date.into_bytes()).expect("parses");
    assert!(
        parsed
            .issues
            .iter()
            .any(|i| i.message.starts_with("Report Date"))
    );
}
