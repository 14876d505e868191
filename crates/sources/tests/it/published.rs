//! Every real list in `../shared/data/lists/` as its authority publishes it: encodings,
//! namespaces and date quirks included, counts, publication dates, records field by field, and
//! the UN reference numbers that tie a party's UK and EU records to its UN one.

use interdict_model::{
    DateOfBirth, Entity, Gender, IdentifierKind, Link, NameKind, PartialDate, Schema, country_code,
};
use interdict_sources::{
    ENCODING_UTF8, ENCODING_WINDOWS_1252, Format, Parsed, UN_REFERENCE_LABEL, detect, parse,
};

use crate::common::shared_file;

fn parse_clean(path: &str, format: Format) -> Parsed {
    let file = shared_file(path);
    assert_eq!(
        detect(std::slice::from_ref(&file)).expect("detected"),
        format
    );
    let parsed = parse(&[file], None, None).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(parsed.issues.is_empty(), "{path}: {:?}", parsed.issues);
    parsed
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).expect("date")
}

fn exact(text: &str) -> DateOfBirth {
    DateOfBirth::Exact { date: date(text) }
}

/// The values of identifiers of `kind`.
fn values(entity: &Entity, kind: &IdentifierKind) -> Vec<String> {
    entity
        .identifiers
        .iter()
        .filter(|i| &i.kind == kind)
        .map(|i| i.value.clone())
        .collect()
}

fn un_reference() -> IdentifierKind {
    IdentifierKind::Other {
        label: UN_REFERENCE_LABEL.into(),
    }
}

fn names_of(entity: &Entity, kind: NameKind) -> Vec<&str> {
    entity
        .names
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.full.as_str())
        .collect()
}

#[test]
fn uk_consolidated_list_2018_as_published_in_windows_1252() {
    let parsed = parse_clean(
        "lists/uk-hmt-2018-04-13/sanctionsconlist.csv",
        Format::UkOfsiCsv,
    );
    assert_eq!(parsed.entities.len(), 2_106);
    assert_eq!(parsed.encoding, Some(ENCODING_WINDOWS_1252));
    assert_eq!(parsed.published, Some(date("2018-04-13")));

    // Group 13191's alias begins with a Windows-1252 left single quote (0x91).
    let huthi = entity(&parsed, "uk-ofsi:13191");
    assert_eq!(huthi.schema, Schema::Person);
    assert!(
        huthi
            .names
            .iter()
            .any(|n| n.full == "\u{2018}Abd al-Khaliq Badr al-Din AL-HUTHI"),
        "{:?}",
        huthi.names
    );

    // The first data row: a cell starting with a space, numbered nationalities, a UN reference.
    let qahtani = entity(&parsed, "uk-ofsi:13349");
    assert!(
        qahtani
            .names
            .iter()
            .any(|n| n.full == "Sheikh Farooq AL-QAHTANI"),
        "{:?}",
        qahtani.names
    );
    assert!(qahtani.dates_of_birth.contains(&exact("1980")));
    assert_eq!(values(qahtani, &un_reference()), ["QDe.004"]);
    assert_eq!(qahtani.designation_date, Some(date("2016-04-01")));
    assert_eq!(
        qahtani.programs,
        ["The ISIL (Da'esh) and Al-Qaida organisations"]
    );
}

#[test]
fn uk_consolidated_list_2014_as_published() {
    let parsed = parse_clean(
        "lists/uk-hmt-2014-04-02/sanctionsconlist.csv",
        Format::UkOfsiCsv,
    );
    assert_eq!(parsed.entities.len(), 2_297);
    assert_eq!(parsed.encoding, Some(ENCODING_WINDOWS_1252));
    assert_eq!(parsed.published, Some(date("2014-04-02")));
    let academy = entity(&parsed, "uk-ofsi:12871");
    assert_eq!(academy.schema, Schema::Organization);
    assert_eq!(academy.name, "2ND ACADEMY OF NATURAL SCIENCES");
    // Windows-1252's right single quote (0x92), not a replacement character.
    assert!(
        academy
            .remarks
            .iter()
            .any(|r| r.contains("DPRK\u{2019}s advanced weapons systems")),
        "{:?}",
        academy.remarks
    );
}

#[test]
fn eu_financial_sanctions_export_as_published() {
    let parsed = parse_clean("lists/eu-fsf-excerpt-2026-08-05/fsf.xml", Format::EuFsfXml);
    assert_eq!(parsed.entities.len(), 17);
    assert_eq!(parsed.encoding, Some(ENCODING_UTF8));
    assert_eq!(parsed.published, Some(date("2026-08-05")));

    let saddam = entity(&parsed, "eu-fsf:13");
    assert_eq!(saddam.name, "Saddam Hussein Al-Tikriti");
    assert_eq!(saddam.gender, Some(Gender::Male));
    assert_eq!(saddam.dates_of_birth, [exact("1937-04-28")]);
    assert_eq!(saddam.places_of_birth, ["al-Awja, near Tikrit, Iraq"]);
    assert_eq!(
        saddam.citizenships,
        country_code("IQ").into_iter().collect::<Vec<_>>()
    );
    assert_eq!(saddam.programs, ["IRQ"]);
    let abou_ali = saddam
        .names
        .iter()
        .find(|n| n.full == "Abou Ali")
        .expect("alias");
    assert_eq!(
        (abou_ali.kind, abou_ali.lang.as_deref()),
        (NameKind::StrongAka, Some("fr"))
    );

    // Islamic calendar: the Gregorian equivalent FSF gives is a date of birth, the Hijri
    // date a remark; an alias's function is a title; identifications with their fields.
    let asiri = entity(&parsed, "eu-fsf:6177");
    assert_eq!(
        asiri.dates_of_birth,
        [exact("1982-04-18"), exact("1982-04-19")]
    );
    assert!(
        asiri
            .remarks
            .iter()
            .any(|r| r.contains("ISLAMIC calendar") && r.contains("year 1402")),
        "{:?}",
        asiri.remarks
    );
    let passport = asiri
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Passport)
        .expect("passport");
    assert_eq!(passport.value, "F654645");
    assert_eq!(passport.country, country_code("SA"));
    assert_eq!(passport.issued, Some(date("2005-04-30")));
    assert_eq!(passport.expires, Some(date("2010-03-07")));
    assert!(
        passport
            .note
            .as_deref()
            .is_some_and(|n| n.contains("known expired"))
    );
    assert_eq!(values(asiri, &IdentifierKind::NationalId), ["1028745097"]);
    assert_eq!(asiri.designation_date, Some(date("2011-03-24")));

    // A year in the Iranian calendar tagged ISLAMIC is not converted as a lunar year.
    let soleimani = entity(&parsed, "eu-fsf:127388");
    assert_eq!(soleimani.dates_of_birth, [exact("1965"), exact("1964")]);

    // A year range; the Cyrillic alias tagged EN keeps no language tag.
    let porel = entity(&parsed, "eu-fsf:155661");
    assert_eq!(porel.dates_of_birth.len(), 1);
    assert_eq!(porel.dates_of_birth[0].year_range(), (1960, 1979));
    let sidorov = entity(&parsed, "eu-fsf:7300");
    let cyrillic = sidorov
        .names
        .iter()
        .find(|n| n.kind == NameKind::OriginalScript)
        .expect("Cyrillic alias");
    assert_eq!(cyrillic.full, "Анатолий Алексеевич СИДОРОВ");
    assert_eq!(cyrillic.lang, None);

    // Regulation references, addresses, tax and registration numbers.
    let sovcombank = entity(&parsed, "eu-fsf:139009");
    assert_eq!(sovcombank.schema, Schema::Organization);
    assert_eq!(sovcombank.programs, ["UKR"]);
    assert_eq!(values(sovcombank, &IdentifierKind::TaxId), ["4401116480"]);
    assert_eq!(
        values(sovcombank, &IdentifierKind::RegistrationNumber),
        ["1144400000425"]
    );
    let address = &sovcombank.addresses[0];
    assert_eq!(address.city.as_deref(), Some("Kostroma"));
    assert_eq!(address.postal_code.as_deref(), Some("156000"));
    assert_eq!(address.country, country_code("RU"));

    // The UN reference of a party the UN lists too.
    assert_eq!(
        values(entity(&parsed, "eu-fsf:118593"), &un_reference()),
        ["LYi.28"]
    );
    let with_phone = parsed
        .entities
        .iter()
        .filter(|e| !values(e, &IdentifierKind::Phone).is_empty())
        .count();
    assert_eq!(with_phone, 1, "the one contactInfo of the excerpt");
}

#[test]
fn uk_sanctions_list_as_published() {
    let parsed = parse_clean(
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
    );
    assert_eq!(parsed.entities.len(), 21);
    assert_eq!(parsed.list, "uk-sanctions-list");
    assert_eq!(parsed.encoding, Some(ENCODING_UTF8));
    assert_eq!(parsed.published, Some(date("2026-09-07")));
    let schemas = |schema| {
        parsed
            .entities
            .iter()
            .filter(|e| e.schema == schema)
            .count()
    };
    assert_eq!(
        (
            schemas(Schema::Person),
            schemas(Schema::Organization),
            schemas(Schema::Vessel)
        ),
        (14, 5, 2)
    );

    let akhund = entity(&parsed, "uk-sanctions-list:AFG0006");
    assert_eq!(akhund.name, "MOHAMMAD HASSAN AKHUND");
    let parts = akhund.names[0].parts.as_ref().expect("parts");
    assert_eq!(
        (
            parts.first.as_deref(),
            parts.middle.as_deref(),
            parts.last.as_deref()
        ),
        (Some("MOHAMMAD"), Some("HASSAN"), Some("AKHUND"))
    );
    assert_eq!(
        names_of(akhund, NameKind::OriginalScript),
        ["محمد حسن آخوند"]
    );
    assert_eq!(akhund.dates_of_birth.len(), 10);
    assert_eq!(akhund.dates_of_birth[0], exact("1945"));
    assert_eq!(
        akhund.nationalities,
        country_code("AF").into_iter().collect::<Vec<_>>()
    );
    let passports: Vec<_> = akhund
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::Passport)
        .collect();
    assert_eq!(passports.len(), 1, "ten identical passports are one");
    assert_eq!(passports[0].value, "P04581926");
    assert_eq!(passports[0].country, country_code("Afghanistan"));
    assert_eq!(values(akhund, &un_reference()), ["TAi.002"]);
    assert_eq!(
        values(
            akhund,
            &IdentifierKind::Other {
                label: "OFSI Group ID".into()
            }
        ),
        ["7172"]
    );
    assert_eq!(akhund.designation_date, Some(date("2001-01-25")));
    assert_eq!(
        akhund.programs,
        ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    );
    assert!(akhund.titles.iter().any(|t| t == "Mullah"));
    assert_eq!(
        akhund.places_of_birth,
        ["Pashmul village, Panjwai District, Kandahar Province, Afghanistan"]
    );

    // Low-quality a.k.a.s are weak aliases.
    let kashif = entity(&parsed, "uk-sanctions-list:AQD0260");
    assert!(names_of(kashif, NameKind::WeakAka).contains(&"Abu Ahmad"));
    assert!(names_of(kashif, NameKind::StrongAka).contains(&"Muhammad Jamal Abdu"));

    // DOBs as written: `15/08/19yy` is the 20th century, not an error.
    let romanova = entity(&parsed, "uk-sanctions-list:RUS2701");
    assert_eq!(romanova.dates_of_birth.len(), 1);
    assert_eq!(romanova.dates_of_birth[0].year_range(), (1900, 1999));
    assert_eq!(
        names_of(romanova, NameKind::OriginalScript),
        ["Екатерина РОМАНОВА"]
    );
    assert_eq!(romanova.names[1].lang.as_deref(), Some("ru"));
    assert_eq!(
        entity(&parsed, "uk-sanctions-list:RUS1683").dates_of_birth,
        [exact("1975")]
    );
    assert_eq!(
        entity(&parsed, "uk-sanctions-list:AQD0262").dates_of_birth,
        [exact("1958-09")]
    );

    // A ship: IMO number, flag, owner, and a UN reference written only in the text.
    let hao_fan = entity(&parsed, "uk-sanctions-list:DPR0076");
    assert_eq!(hao_fan.schema, Schema::Vessel);
    assert_eq!(values(hao_fan, &IdentifierKind::Imo), ["8628597"]);
    assert!(hao_fan.countries.contains(&country_code("KN").expect("KN")));
    assert_eq!(
        hao_fan.links,
        [Link {
            relation: "owner_operator".into(),
            target: "Shen Zhong International Shipping".into()
        }]
    );
    assert_eq!(values(hao_fan, &un_reference()), ["KPe.073"]);

    // Business registration numbers with several labels in one cell.
    let evrazia = entity(&parsed, "uk-sanctions-list:GAC0072");
    assert_eq!(values(evrazia, &IdentifierKind::TaxId), ["9707028663"]);
    assert_eq!(
        values(evrazia, &IdentifierKind::RegistrationNumber),
        ["1247700291200", "770701001"]
    );
    // Latin spellings filed among the non-Latin names are aliases.
    let injai = entity(&parsed, "uk-sanctions-list:GUB0009");
    assert!(names_of(injai, NameKind::StrongAka).contains(&"António Injai"));
    assert!(names_of(injai, NameKind::OriginalScript).is_empty());
}

#[test]
fn un_and_ofac_xml_state_their_publication_dates() {
    let un = parse_clean("lists/un-consolidated-2026-02-27.xml", Format::UnScXml);
    assert_eq!(un.published, Some(date("2026-02-27")));
    let ofac = parse(&[crate::common::fixture("ofac/sdn.xml")], None, None).expect("parses");
    assert_eq!(ofac.published, Some(date("2021-07-15")));
}

/// A party on the UN list and on the UK Sanctions List: the UK record names the UN record's
/// id, so the two can be reported as one person on both lists.
#[test]
fn uk_records_carry_the_un_reference_of_the_un_record() {
    let un = parse_clean("lists/un-consolidated-2026-02-27.xml", Format::UnScXml);
    let uk = parse_clean(
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
    );
    let mut pairs = 0;
    for uk_entity in &uk.entities {
        for reference in values(uk_entity, &un_reference()) {
            // The UN files ships as entities; the reference still names the same party.
            let un_entity = entity(&un, &format!("un-sc:{reference}"));
            assert!(!un_entity.name.is_empty());
            pairs += 1;
        }
    }
    assert_eq!(
        pairs, 12,
        "11 UNReferenceNumber elements and one in the text"
    );
    let akhund_un = entity(&un, "un-sc:TAi.002");
    assert!(akhund_un.name.contains("AKHUND"), "{}", akhund_un.name);
}

#[test]
fn eu_aliases_said_low_quality_are_weak_and_regulations_are_referenced() {
    let parsed = parse_clean("lists/eu-fsf-excerpt-2026-08-05/fsf.xml", Format::EuFsfXml);
    let agha = entity(&parsed, "eu-fsf:514");
    assert_eq!(agha.name, "Abdul Manan Agha");
    assert!(names_of(agha, NameKind::WeakAka).contains(&"Saiyid Abd al-Man"));
    assert!(
        agha.remarks
            .iter()
            .any(|r| r == "Saiyid Abd al-Man: low quality alias; formerly listed a"),
        "{:?}",
        agha.remarks
    );
    let saddam = entity(&parsed, "eu-fsf:13");
    assert!(
        saddam.remarks.iter().any(|r| r.starts_with(
            "EU regulation 1210/2003 (OJ L169) of 2003-07-08, http://eur-lex.europa.eu/"
        )),
        "{:?}",
        saddam.remarks
    );
}

#[test]
fn the_uk_sanctions_list_format_is_named_and_detected() {
    for name in [
        "uk-sanctions-list-xml",
        "uk-sanctions-list",
        " UK-Sanctions-List-XML ",
    ] {
        assert_eq!(
            name.parse::<Format>().expect("known"),
            Format::UkSanctionsListXml
        );
    }
    assert!(Format::ALL.contains(&Format::UkSanctionsListXml));
    assert_eq!(
        Format::UkSanctionsListXml.default_list_id(),
        "uk-sanctions-list"
    );
    // Detected from the root element, whatever the file is called.
    let mut file = shared_file("lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml");
    file.name = "download".into();
    assert_eq!(
        detect(&[file]).expect("detected"),
        Format::UkSanctionsListXml
    );
}
