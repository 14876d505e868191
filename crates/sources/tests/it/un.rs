//! UN Security Council consolidated list XML: the real 2026-02-27 list from `shared/data` and
//! damaged records in `tests/data/un/`.

use interdict_model::{
    DateOfBirth, Entity, Gender, IdentifierKind, NameKind, PartialDate, Schema, country_code,
};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};

use crate::common::{fixture, shared_file};

const UN_FILE: &str = "lists/un-consolidated-2026-02-27.xml";

fn parse_un(file: SourceFile) -> Result<Parsed, Error> {
    parse(&[file], Some(Format::UnScXml), None)
}

fn real_list() -> Parsed {
    parse_un(shared_file(UN_FILE)).expect("the real UN list parses")
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn names_of(entity: &Entity, kind: NameKind) -> Vec<&str> {
    entity
        .names
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.full.as_str())
        .collect()
}

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).expect("test date")
}

fn code(text: &str) -> interdict_model::CountryCode {
    country_code(text).expect("test country")
}

#[test]
fn real_list_has_the_published_counts_and_no_issues() {
    let parsed = real_list();
    assert_eq!(parsed.format, Format::UnScXml);
    assert_eq!(parsed.list, "un-sc");
    assert!(parsed.issues.is_empty(), "issues: {:?}", parsed.issues);
    let people = parsed
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Person)
        .count();
    let organisations = parsed
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Organization)
        .count();
    assert_eq!((people, organisations), (730, 273));
    assert_eq!(parsed.entities.len(), 1003);
    assert!(
        parsed
            .entities
            .iter()
            .all(|e| e.id.list() == "un-sc" && !e.name.is_empty())
    );
    assert!(
        parsed
            .entities
            .iter()
            .all(|e| e.source.format == "un-sc-xml")
    );
}

#[test]
fn keeps_every_original_script_name() {
    let parsed = real_list();
    // The file has 378 NAME_ORIGINAL_SCRIPT elements on 380 lines (two values wrap onto a
    // second line), plus 26 aliases whose note reads `original script: ...`.
    let original: Vec<&str> = parsed
        .entities
        .iter()
        .flat_map(|e| names_of(e, NameKind::OriginalScript))
        .collect();
    assert_eq!(original.len(), 378 + 26);
    // A wrapped value comes back on one line.
    assert!(original.contains(&"أمیر محمد سعید عبد الرحمن السلبي"));
    let arabic = original
        .iter()
        .filter(|n| n.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
        .count();
    assert!(arabic > 300, "only {arabic} Arabic-script names");
}

#[test]
fn maps_a_known_individual_field_by_field() {
    let parsed = real_list();
    let chataev = entity(&parsed, "un-sc:QDi.365");
    assert_eq!(chataev.schema, Schema::Person);
    assert_eq!(chataev.name, "AKHMED RAJAPOVICH CHATAEV");
    let parts = chataev.names[0].parts.as_ref().expect("name parts");
    assert_eq!(parts.first.as_deref(), Some("AKHMED"));
    assert_eq!(parts.patronymic.as_deref(), Some("RAJAPOVICH"));
    assert_eq!(parts.middle, None);
    assert_eq!(parts.last.as_deref(), Some("CHATAEV"));
    assert_eq!(
        names_of(chataev, NameKind::StrongAka),
        ["Akhmad Shishani", "David Mayer", "Elmir Sene"]
    );
    assert_eq!(names_of(chataev, NameKind::WeakAka), ["Odnorukiy"]);
    assert_eq!(
        names_of(chataev, NameKind::OriginalScript),
        [
            "Ахмед Ражапович Чатаев",
            "Ахмад Шишани",
            "Давид Майер",
            "Эльмир Сене",
            "Однорукий"
        ]
    );
    assert_eq!(
        chataev.dates_of_birth,
        [DateOfBirth::Exact {
            date: date("1980-07-04")
        }]
    );
    assert_eq!(
        chataev.places_of_birth,
        ["Vedeno Village, Vedenskiy District, Republic of Chechnya, Russian Federation"]
    );
    assert_eq!(chataev.nationalities, [code("RU")]);
    assert_eq!(chataev.countries, [code("RU"), code("SY"), code("IQ")]);
    assert_eq!(chataev.programs, ["Al-Qaida"]);
    assert_eq!(chataev.designation_date, Some(date("2015-10-02")));
    assert_eq!(chataev.addresses.len(), 2);
    assert_eq!(chataev.addresses[0].country, Some(code("SY")));
    assert_eq!(
        chataev.addresses[0].note.as_deref(),
        Some("located in as at Aug. 2015")
    );
    assert_eq!(chataev.identifiers.len(), 1);
    let national = &chataev.identifiers[0];
    assert_eq!(national.kind, IdentifierKind::NationalId);
    assert_eq!(national.value, "9600133195");
    assert_eq!(national.country, Some(code("RU")));
    assert_eq!(
        national.note.as_deref(),
        Some(
            "national passport; issued in Vedensiky District, Republic of Chechnya; issued by Department of Internal Affairs"
        )
    );
    assert!(chataev.remarks[0].starts_with("As at Aug. 2015, one of the leaders"));
    assert_eq!(chataev.source.file, "un-consolidated-2026-02-27.xml");
    assert!(
        chataev
            .source
            .location
            .ends_with("(DATAID 6908489), line 27007"),
        "{}",
        chataev.source.location
    );
    assert!(chataev.source.location.starts_with("INDIVIDUAL "));
    assert!(
        chataev.source.raw.starts_with("<INDIVIDUAL>")
            && chataev.source.raw.ends_with("</INDIVIDUAL>")
    );
    assert!(
        chataev
            .source
            .raw
            .contains("<REFERENCE_NUMBER>QDi.365</REFERENCE_NUMBER>")
    );
}

#[test]
fn reads_passports_with_wordy_numbers_and_expiry_notes() {
    let parsed = real_list();
    let record = entity(&parsed, "un-sc:QDi.363");
    let passport = record
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Passport)
        .expect("passport");
    assert_eq!(passport.value, "515458008");
    assert_eq!(passport.expires, Some(date("2017-05-30")));
    assert_eq!(
        passport.note.as_deref(),
        Some("as written: Russian foreign travel passport number 515458008; expires 30 May 2017")
    );
    let tanzanian = parsed
        .entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .find(|i| i.value == "AB850901")
        .expect("passport AB850901");
    assert_eq!(tanzanian.kind, IdentifierKind::Passport);
    assert_eq!(tanzanian.country, Some(code("TZ")));
    assert_eq!(tanzanian.expires, Some(date("2026-12-11")));
}

#[test]
fn reads_approximate_and_ranged_dates_of_birth() {
    let parsed = real_list();
    assert_eq!(
        entity(&parsed, "un-sc:CDi.014").dates_of_birth,
        [
            DateOfBirth::Exact {
                date: date("1962-03-17")
            },
            DateOfBirth::Circa { date: date("1966") }
        ]
    );
    assert_eq!(
        entity(&parsed, "un-sc:CDi.030").dates_of_birth,
        [DateOfBirth::Range {
            from: date("1973"),
            to: date("1974")
        }]
    );
    let ranges = parsed
        .entities
        .iter()
        .flat_map(|e| &e.dates_of_birth)
        .filter(|d| matches!(d, DateOfBirth::Range { .. }))
        .count();
    assert_eq!(ranges, 31, "one per BETWEEN date in the file");
}

#[test]
fn alias_quality_decides_the_name_kind() {
    let parsed = real_list();
    let gaston = entity(&parsed, "un-sc:CDi.003");
    assert_eq!(names_of(gaston, NameKind::WeakAka), ["Rumuli"]);
    assert_eq!(
        names_of(gaston, NameKind::StrongAka),
        [
            "Byiringiro Victor Rumuli",
            "Victor Rumuri",
            "Michel Byiringiro"
        ]
    );
    assert_eq!(gaston.gender, Some(Gender::Male));
    assert_eq!(
        gaston.titles,
        [
            "FDLR Interim President",
            "FDLR-FOCA 1st Vice-President",
            "FDLR-FOCA Major General"
        ]
    );
    let adf = entity(&parsed, "un-sc:CDe.001");
    assert_eq!(adf.schema, Schema::Organization);
    assert_eq!(adf.name, "ADF");
    assert_eq!(
        names_of(adf, NameKind::StrongAka),
        ["Allied Democratic Forces"]
    );
    assert_eq!(
        names_of(adf, NameKind::Fka),
        [
            "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
            "ADF/NALU",
            "NALU"
        ]
    );
    assert_eq!(adf.addresses[0].region.as_deref(), Some("North Kivu"));
    assert_eq!(adf.countries, [code("CD")]);
    // Every `Low` alias is weak: 615 in the file, a few repeated within a record.
    let weak = parsed
        .entities
        .iter()
        .map(|e| names_of(e, NameKind::WeakAka).len())
        .sum::<usize>();
    assert!((600..=615).contains(&weak), "{weak} weak aliases");
}

#[test]
fn damaged_records_are_issues_with_their_location() {
    let parsed = parse_un(fixture("un/un-problems.xml")).expect("well-formed file");
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    // No REFERENCE_NUMBER: the DATAID stands in. A bad date keeps the record.
    assert_eq!(ids, ["un-sc:6907993", "un-sc:CDi.002", "un-sc:CDe.002"]);
    let issues: Vec<(String, String)> = parsed
        .issues
        .iter()
        .map(|i| (i.location.clone(), i.message.clone()))
        .collect();
    assert_eq!(
        issues,
        [
            (
                "INDIVIDUAL 2 (DATAID 6907995), line 21".to_owned(),
                "record CDi.003 has no name (FIRST_NAME..FOURTH_NAME all empty)".to_owned()
            ),
            (
                "INDIVIDUAL 3, line 34".to_owned(),
                "record has neither REFERENCE_NUMBER nor DATAID".to_owned()
            ),
            (
                "INDIVIDUAL 4 (DATAID 6907994), line 41".to_owned(),
                "date of birth DATE \"1971-02-30\" is not a date".to_owned()
            ),
            (
                "line 54".to_owned(),
                "unexpected element <NOTE> where INDIVIDUAL or ENTITY records belong".to_owned()
            ),
        ]
    );
    assert!(parsed.issues.iter().all(|i| i.file == "un-problems.xml"));
    let butembo = entity(&parsed, "un-sc:CDe.002");
    assert_eq!(
        butembo.source.location,
        "ENTITY 1 (DATAID 6908024), line 57"
    );
    assert_eq!(butembo.names.len(), 1, "the empty alias is skipped");
    assert_eq!(butembo.addresses[0].city.as_deref(), Some("Butembo"));
}

fn malformed(result: Result<Parsed, Error>) -> (String, String, String) {
    match result {
        Err(Error::Malformed {
            file,
            location,
            reason,
        }) => (file, location, reason),
        Err(other) => panic!("expected Malformed, got {other}"),
        Ok(parsed) => panic!("expected Malformed, got {} entities", parsed.entities.len()),
    }
}

#[test]
fn truncated_file_is_malformed_at_its_last_line() {
    let whole = shared_file(UN_FILE);
    let text = String::from_utf8(whole.bytes).expect("UTF-8");
    let first_lines: String = text.split_inclusive('\n').take(1000).collect();
    let cut = SourceFile {
        name: "cut.xml".into(),
        bytes: first_lines.into_bytes(),
    };
    let (file, location, reason) = malformed(parse_un(cut));
    assert_eq!(file, "cut.xml");
    assert_eq!(location, "line 1000");
    assert!(reason.contains("truncated"), "{reason}");
}

#[test]
fn every_proper_prefix_of_a_file_is_rejected_without_panicking() {
    let whole = fixture("un/un-problems.xml").bytes;
    let root_end = whole.len() - "</CONSOLIDATED_LIST>\n".len();
    for end in 0..root_end {
        let prefix = SourceFile {
            name: "prefix.xml".into(),
            bytes: whole[..end].to_vec(),
        };
        assert!(
            matches!(parse_un(prefix), Err(Error::Malformed { .. })),
            "prefix of {end} bytes accepted"
        );
    }
}

#[test]
fn garbage_and_foreign_documents_are_malformed() {
    let garbage = SourceFile {
        name: "garbage.bin".into(),
        bytes: vec![
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE, b'<', 0x80,
        ],
    };
    // The PNG signature's 0x1A is a control byte no list holds.
    let (file, location, reason) = malformed(parse_un(garbage));
    assert_eq!(
        (file.as_str(), location.as_str()),
        ("garbage.bin", "byte 6")
    );
    assert!(reason.contains("control byte 0x1A"), "{reason}");

    let (_, location, reason) = malformed(parse_un(fixture("eu/eu-fsf.xml")));
    assert_eq!(location, "line 4");
    assert_eq!(
        reason,
        "root element is <export>, expected <CONSOLIDATED_LIST> (UN Security Council consolidated list)"
    );

    let mismatched = SourceFile {
        name: "mismatched.xml".into(),
        bytes: b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</ENTITIES>\n</CONSOLIDATED_LIST>".to_vec(),
    };
    let (_, location, reason) = malformed(parse_un(mismatched));
    assert_eq!(location, "line 3");
    assert!(reason.contains("not well-formed XML"), "{reason}");
}
