//! EU Financial Sanctions Files XML, on fixtures in `tests/data/eu/` written to the FSF 1.1
//! schema.

use interdict_model::{
    Address, DateOfBirth, Entity, Gender, Identifier, IdentifierKind, Name, NameKind, NameParts,
    PartialDate, Schema, country_code,
};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};

use crate::common::{fixture, shared_file};

fn parse_eu(file: SourceFile) -> Result<Parsed, Error> {
    parse(&[file], Some(Format::EuFsfXml), None)
}

fn sample() -> Parsed {
    parse_eu(fixture("eu/eu-fsf.xml")).expect("the EU fixture parses")
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).expect("test date")
}

fn code(text: &str) -> interdict_model::CountryCode {
    country_code(text).expect("test country")
}

fn parts(first: Option<&str>, middle: Option<&str>, last: Option<&str>) -> Option<NameParts> {
    Some(NameParts {
        first: first.map(str::to_owned),
        middle: middle.map(str::to_owned),
        patronymic: None,
        last: last.map(str::to_owned),
    })
}

fn other(label: &str, value: &str) -> Identifier {
    Identifier::new(
        IdentifierKind::Other {
            label: label.into(),
        },
        value,
    )
}

#[test]
fn reads_every_record_without_issues() {
    let parsed = sample();
    assert_eq!(parsed.format, Format::EuFsfXml);
    assert_eq!(parsed.list, "eu-fsf");
    assert!(parsed.issues.is_empty(), "issues: {:?}", parsed.issues);
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "eu-fsf:150001",
            "eu-fsf:150002",
            "eu-fsf:150003",
            "eu-fsf:150004"
        ]
    );
}

#[test]
fn maps_a_russian_person_field_by_field() {
    let parsed = sample();
    let sidorov = entity(&parsed, "eu-fsf:150001");
    assert_eq!(sidorov.schema, Schema::Person);
    assert_eq!(sidorov.name, "Ivan Petrovich SIDOROV");
    assert_eq!(
        sidorov.names,
        [
            Name {
                full: "Ivan Petrovich SIDOROV".into(),
                kind: NameKind::Primary,
                parts: parts(Some("Ivan"), Some("Petrovich"), Some("SIDOROV")),
                lang: Some("en".into()),
            },
            Name {
                full: "Иван Петрович Сидоров".into(),
                kind: NameKind::OriginalScript,
                parts: parts(Some("Иван"), Some("Петрович"), Some("Сидоров")),
                lang: Some("ru".into()),
            },
            Name {
                full: "Ιβάν Πέτροβιτς Σιντόροφ".into(),
                kind: NameKind::OriginalScript,
                parts: None,
                lang: Some("el".into()),
            },
            Name {
                full: "Ivan Petrovitch SIDOROV".into(),
                kind: NameKind::StrongAka,
                parts: parts(Some("Ivan"), Some("Petrovitch"), Some("SIDOROV")),
                lang: Some("fr".into()),
            },
            Name {
                full: "Vanya".into(),
                kind: NameKind::WeakAka,
                parts: None,
                lang: None,
            },
        ]
    );
    assert_eq!(sidorov.gender, Some(Gender::Male));
    assert_eq!(sidorov.titles, ["Deputy Minister of Industry and Trade"]);
    assert_eq!(sidorov.citizenships, [code("RU")]);
    assert_eq!(sidorov.nationalities, []);
    assert_eq!(sidorov.countries, [code("RU")]);
    assert_eq!(
        sidorov.dates_of_birth,
        [
            DateOfBirth::Exact {
                date: date("1965-03-14")
            },
            DateOfBirth::Exact { date: date("1966") }
        ]
    );
    assert_eq!(sidorov.places_of_birth, ["Kursk, Russian Federation"]);
    assert_eq!(sidorov.programs, ["UKR"]);
    // The earlier of the two regulations.
    assert_eq!(sidorov.designation_date, Some(date("2022-03-15")));
    assert_eq!(
        sidorov.remarks,
        [
            "Deputy Minister of Industry and Trade of the Russian Federation since 2018.",
            "EU amendment 2023/571 (OJ L 75) of 2023-03-14, https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32023R0571",
            "EU amendment 2022/427 (OJ L 87I) of 2022-03-15, https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32022R0427"
        ]
    );
    let passport = Identifier {
        kind: IdentifierKind::Passport,
        value: "751234567".into(),
        country: Some(code("RU")),
        issued: Some(date("2015-06-01")),
        expires: Some(date("2025-05-31")),
        note: Some("National passport; issued by: FMS 77810".into()),
    };
    let national_id = Identifier {
        kind: IdentifierKind::NationalId,
        value: "VI-ЖГ 712345".into(),
        country: Some(code("RU")),
        issued: None,
        expires: None,
        note: Some("National identification card; Birth certificate series and number.".into()),
    };
    let latin_id = Identifier {
        value: "VI-ZhG 712345".into(),
        ..national_id.clone()
    };
    assert_eq!(
        sidorov.identifiers,
        [
            other("EU reference number", "EU.9001.11"),
            passport,
            national_id,
            latin_id
        ]
    );
    assert_eq!(
        sidorov.addresses,
        [Address {
            street: Some("Presnenskaya naberezhnaya 10".into()),
            city: Some("Moscow".into()),
            postal_code: Some("123112".into()),
            country: Some(code("RU")),
            note: Some("as at listing time".into()),
            ..Address::default()
        }]
    );
    assert_eq!(sidorov.source.format, "eu-fsf-xml");
    assert_eq!(sidorov.source.file, "eu-fsf.xml");
    assert_eq!(
        sidorov.source.location,
        "sanctionEntity 1 (logicalId 150001), line 5"
    );
    assert!(
        sidorov
            .source
            .raw
            .starts_with("<sanctionEntity designationDetails=\"\"")
    );
    assert!(sidorov.source.raw.ends_with("</sanctionEntity>"));
}

#[test]
fn maps_an_enterprise_with_registration_numbers_and_addresses() {
    let parsed = sample();
    let company = entity(&parsed, "eu-fsf:150002");
    assert_eq!(company.schema, Schema::Organization);
    assert_eq!(company.name, "Joint Stock Company Severnye Tochnye Pribory");
    let kinds: Vec<(NameKind, &str)> = company
        .names
        .iter()
        .map(|n| (n.kind, n.full.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                NameKind::Primary,
                "Joint Stock Company Severnye Tochnye Pribory"
            ),
            (
                NameKind::OriginalScript,
                "Акционерное общество \"Северные точные приборы\""
            ),
            (NameKind::StrongAka, "JSC STP"),
        ]
    );
    assert_eq!(company.gender, None);
    let identifiers: Vec<(IdentifierKind, &str, Option<&str>)> = company
        .identifiers
        .iter()
        .map(|i| (i.kind.clone(), i.value.as_str(), i.note.as_deref()))
        .collect();
    assert_eq!(
        identifiers,
        [
            (
                IdentifierKind::Other {
                    label: "EU reference number".into()
                },
                "EU.9002.36",
                None
            ),
            (
                IdentifierKind::RegistrationNumber,
                "1026601234567",
                Some("Registration Number; Principal State Registration Number (OGRN)")
            ),
            (
                IdentifierKind::TaxId,
                "6612345678",
                Some("Fiscal Code; Taxpayer Identification Number (INN)")
            ),
        ]
    );
    assert_eq!(
        company.addresses,
        [
            Address {
                street: Some("ulitsa Promyshlennaya 12".into()),
                city: Some("Yekaterinburg".into()),
                region: Some("Sverdlovsk Oblast".into()),
                postal_code: Some("620017".into()),
                country: Some(code("RU")),
                ..Address::default()
            },
            Address {
                street: Some("Office 5, 14 Industrial Avenue, PO Box 51234".into()),
                city: Some("Limassol".into()),
                postal_code: Some("3035".into()),
                country: Some(code("CY")),
                ..Address::default()
            },
        ]
    );
    assert_eq!(company.countries, [code("RU"), code("CY")]);
    assert_eq!(company.designation_date, Some(date("2022-06-03")));
}

#[test]
fn maps_a_syrian_person_with_circa_birth_and_flagged_passport() {
    let parsed = sample();
    let hassan = entity(&parsed, "eu-fsf:150003");
    assert_eq!(hassan.name, "Faisal AL-HASSAN");
    let arabic = &hassan.names[1];
    assert_eq!(
        (arabic.kind, arabic.full.as_str()),
        (NameKind::OriginalScript, "فيصل الحسن")
    );
    assert_eq!(arabic.lang.as_deref(), Some("ar"));
    // Only the parts are given: they make the whole name.
    let parted = &hassan.names[2];
    assert_eq!(
        (parted.kind, parted.full.as_str()),
        (NameKind::StrongAka, "Faysal al-Hasan")
    );
    assert_eq!(parted.parts, parts(Some("Faysal"), None, Some("al-Hasan")));
    assert_eq!(
        hassan.titles,
        [
            "Commander of the 4th Armoured Division",
            "Brigadier General"
        ]
    );
    assert_eq!(
        hassan.dates_of_birth,
        [DateOfBirth::Circa { date: date("1958") }]
    );
    assert_eq!(hassan.places_of_birth, ["Hama, Syrian Arab Republic"]);
    assert_eq!(hassan.citizenships, [code("SY")]);
    assert_eq!(hassan.programs, ["SYR"]);
    let passport = &hassan.identifiers[1];
    assert_eq!(passport.kind, IdentifierKind::Passport);
    assert_eq!(passport.value, "D0001234");
    assert_eq!(passport.issued, Some(date("2006-09-20")));
    assert_eq!(
        passport.note.as_deref(),
        Some("National passport; diplomatic; known expired; name on document: Faysal al-Hasan")
    );
}

#[test]
fn maps_a_un_listed_person_with_partial_birth_date() {
    let parsed = sample();
    let benali = entity(&parsed, "eu-fsf:150004");
    assert_eq!(benali.name, "Abdelkader BENALI");
    assert_eq!(benali.names[1].kind, NameKind::WeakAka);
    assert_eq!(
        benali.identifiers,
        [
            other("EU reference number", "EU.9004.80"),
            other("UN reference number", "QDi.999")
        ]
    );
    assert_eq!(benali.dates_of_birth, []);
    assert_eq!(benali.places_of_birth, ["Morocco"]);
    assert_eq!(
        benali.remarks,
        [
            "Listed pursuant to UNSC Resolution 2161 (2014).",
            "EU amendment 2016/147 (OJ L 29) of 2016-02-04, https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32016R0147",
            "date of birth: day 2, month 11 (year unknown)"
        ]
    );
    assert_eq!(
        benali.addresses,
        [Address {
            city: Some("Raqqa".into()),
            country: Some(code("SY")),
            note: Some(
                "as at listing time; Located in the Syrian Arab Republic as at February 2016."
                    .into()
            ),
            ..Address::default()
        }]
    );
    assert_eq!(benali.countries, [code("MA"), code("SY")]);
}

#[test]
fn damaged_records_are_issues_with_their_location() {
    let parsed = parse_eu(fixture("eu/eu-fsf-problems.xml")).expect("well-formed file");
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["eu-fsf:160003", "eu-fsf:160004"]);
    let issues: Vec<(&str, &str, &str)> = parsed
        .issues
        .iter()
        .map(|i| (i.file.as_str(), i.location.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        issues,
        [
            (
                "eu-fsf-problems.xml",
                "sanctionEntity 1 (logicalId 160001), line 4",
                "sanctionEntity 160001 has no name (no nameAlias with a name)"
            ),
            (
                "eu-fsf-problems.xml",
                "sanctionEntity 2, line 11",
                "sanctionEntity has no logicalId"
            ),
            (
                "eu-fsf-problems.xml",
                "sanctionEntity 3 (logicalId 160003), line 15",
                "birthdate \"1970-02-30\" is not a date"
            ),
        ]
    );
    assert_eq!(entity(&parsed, "eu-fsf:160003").dates_of_birth, []);
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
fn the_un_list_is_not_an_eu_file() {
    let (file, location, reason) = malformed(parse_eu(shared_file(
        "lists/un-consolidated-2026-02-27.xml",
    )));
    assert_eq!(file, "un-consolidated-2026-02-27.xml");
    assert_eq!(location, "line 2");
    assert_eq!(
        reason,
        "root element is <CONSOLIDATED_LIST>, expected <export> (EU Financial Sanctions Files)"
    );
}

#[test]
fn a_foreign_namespace_is_rejected() {
    let text = String::from_utf8(fixture("eu/eu-fsf.xml").bytes).expect("UTF-8");
    let foreign = SourceFile {
        name: "other.xml".into(),
        bytes: text
            .replace("http://eu.europa.eu/fpi/fsd/export", "urn:example:other")
            .into_bytes(),
    };
    let (_, location, reason) = malformed(parse_eu(foreign));
    assert_eq!(location, "line 4");
    assert!(reason.contains("namespace urn:example:other"), "{reason}");
}

#[test]
fn truncated_and_garbage_files_are_malformed() {
    let whole = fixture("eu/eu-fsf.xml").bytes;
    let text = String::from_utf8(whole.clone()).expect("UTF-8");
    let first_lines: String = text.split_inclusive('\n').take(60).collect();
    let (_, location, reason) = malformed(parse_eu(SourceFile {
        name: "cut.xml".into(),
        bytes: first_lines.into_bytes(),
    }));
    assert_eq!(location, "line 60");
    assert!(reason.contains("truncated"), "{reason}");

    // Every 7th cut, to keep the test quick: each is a different place inside some tag,
    // attribute or text.
    let root_end = whole.len() - "</export>\n".len();
    for end in (0..root_end).step_by(7).chain([root_end - 1]) {
        let prefix = SourceFile {
            name: "prefix.xml".into(),
            bytes: whole[..end].to_vec(),
        };
        assert!(
            matches!(parse_eu(prefix), Err(Error::Malformed { .. })),
            "prefix of {end} bytes accepted"
        );
    }

    let garbage = SourceFile {
        name: "garbage.bin".into(),
        bytes: (0u8..=255).rev().collect(),
    };
    let (file, _, _) = malformed(parse_eu(garbage));
    assert_eq!(file, "garbage.bin");
}
