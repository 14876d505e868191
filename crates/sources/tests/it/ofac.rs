//! OFAC SDN legacy CSV and XML: the real published files in `shared/data/lists/ofac-*`, the
//! `tests/data/ofac/sdn.xml` fixture transcribed from them, and broken inputs cut from them.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use interdict_model::{
    DateOfBirth, Entity, Gender, Identifier, IdentifierKind, NameKind, PartialDate, Schema,
    content_hash, country_code, diff_entities,
};
use interdict_sources::{Error, Format, Parsed, SourceFile, parse};

use crate::common::{fixture, shared_file};

fn parse_csv(files: &[SourceFile]) -> Parsed {
    parse(files, Some(Format::OfacSdnCsv), None).expect("OFAC CSV parses")
}

fn sdn(relative_dir: &str) -> SourceFile {
    shared_file(&format!("lists/{relative_dir}/sdn.csv"))
}

/// The 2024 list, parsed once for the tests that look into it.
fn list_2024() -> &'static Parsed {
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    PARSED.get_or_init(|| parse_csv(&[sdn("ofac-sdn-2024-03-14")]))
}

fn july_2021_set() -> Vec<SourceFile> {
    ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
        .iter()
        .map(|name| shared_file(&format!("lists/ofac-sdn-2021-07/{name}")))
        .collect()
}

fn entity<'a>(parsed: &'a Parsed, id: &str) -> &'a Entity {
    parsed
        .entities
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("{id} is not in the list"))
}

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).expect("date")
}

fn code(text: &str) -> interdict_model::CountryCode {
    country_code(text).expect("country")
}

fn names_of(entity: &Entity, kind: NameKind) -> Vec<&str> {
    entity
        .names
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.full.as_str())
        .collect()
}

fn malformed(result: Result<Parsed, Error>) -> (String, String, String) {
    match result {
        Err(Error::Malformed {
            file,
            location,
            reason,
        }) => (file, location, reason),
        Err(other) => panic!("expected Malformed, got {other}"),
        Ok(parsed) => panic!(
            "expected Malformed, parsed {} entities and {} issues",
            parsed.entities.len(),
            parsed.issues.len()
        ),
    }
}

/// The first `count` lines of a real file, CRLF-terminated, as a file called `name`.
fn head_lines(source: &SourceFile, count: usize, name: &str) -> (Vec<String>, SourceFile) {
    let text = String::from_utf8(source.bytes.clone()).expect("ASCII");
    let lines: Vec<String> = text.split("\r\n").take(count).map(str::to_owned).collect();
    let file = SourceFile {
        name: name.into(),
        bytes: lines
            .iter()
            .map(|l| format!("{l}\r\n"))
            .chain(std::iter::once("\u{1a}".to_owned()))
            .collect::<String>()
            .into_bytes(),
    };
    (lines, file)
}

#[test]
fn counts_and_diffs_the_march_2022_russia_designations() {
    let before = parse_csv(&[sdn("ofac-sdn-2022-03-21")]);
    let after = parse_csv(&[sdn("ofac-sdn-2022-03-24")]);
    assert_eq!(before.entities.len(), 9_396);
    assert_eq!(after.entities.len(), 9_793);
    assert!(before.issues.is_empty(), "{:?}", before.issues);
    assert!(after.issues.is_empty(), "{:?}", after.issues);
    assert_eq!(after.format, Format::OfacSdnCsv);
    assert_eq!(after.list, "ofac-sdn");

    let diff = diff_entities(&before.entities, &after.entities);
    assert_eq!(diff.added.len(), 397);
    assert!(diff.removed.is_empty());
    let changed: Vec<&str> = diff.changed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        changed,
        [
            "ofac-sdn:16666",
            "ofac-sdn:16710",
            "ofac-sdn:16806",
            "ofac-sdn:16807",
            "ofac-sdn:17024",
            "ofac-sdn:21184",
            "ofac-sdn:24123"
        ]
    );
    // TIMCHENKO gained his patronymic, a program, nationalities, a tax id and a link.
    let timchenko = diff
        .changed
        .iter()
        .find(|c| c.id == "ofac-sdn:16666")
        .expect("16666");
    assert_eq!(
        timchenko.fields,
        [
            "gender",
            "identifiers",
            "links",
            "name",
            "names",
            "programs"
        ]
    );

    let duma = |e: &&Entity| {
        e.titles
            .iter()
            .any(|t| t.contains("Member of the State Duma"))
    };
    assert_eq!(after.entities.iter().filter(duma).count(), 341);
    let new_or_changed: BTreeSet<&str> = diff
        .added
        .iter()
        .map(String::as_str)
        .chain(changed.iter().copied())
        .collect();
    let duma_in_new_or_changed = after
        .entities
        .iter()
        .filter(|e| new_or_changed.contains(e.id.as_str()))
        .filter(duma)
        .count();
    assert_eq!(duma_in_new_or_changed, 328);
    // The title is repeated in the remarks; it is kept once, as a title.
    let boroday = entity(&after, "ofac-sdn:17024");
    assert_eq!(
        boroday.titles,
        ["Member of the State Duma of the Federal Assembly of the Russian Federation"]
    );
    assert!(boroday.remarks.is_empty(), "{:?}", boroday.remarks);
}

#[test]
fn parses_the_2024_list_without_issues() {
    let parsed = list_2024();
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.entities.len(), 14_464);
    let count = |schema: Schema| {
        parsed
            .entities
            .iter()
            .filter(|e| e.schema == schema)
            .count()
    };
    assert_eq!(count(Schema::Person), 6_732);
    assert_eq!(count(Schema::Organization), 6_534);
    assert_eq!(count(Schema::Vessel), 816);
    assert_eq!(count(Schema::Aircraft), 382);
    let first = parsed.entities.first().expect("entities");
    assert_eq!(first.source.format, "ofac-sdn-csv");
    assert_eq!(first.source.file, "sdn.csv");
    assert_eq!(first.source.location, "line 1");
    assert_eq!(
        first.source.raw,
        r#"36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "#
    );
    let last = parsed.entities.last().expect("entities");
    assert_eq!(last.source.location, "line 14464");
    assert!(!last.source.raw.contains('\u{1a}') && !last.source.raw.ends_with('\r'));
    // Remarks statements with a date-of-birth label all became dates.
    let unparsed_dob = parsed
        .entities
        .iter()
        .flat_map(|e| &e.remarks)
        .filter(|r| r.starts_with("DOB "))
        .count();
    assert_eq!(unparsed_dob, 0);
}

#[test]
fn spot_checks_a_person_field_by_field() {
    let parsed = list_2024();
    // 18657,"IOFFE, Eduard A","individual","UKRAINE-EO13661","Deputy General Director ...",
    // "DOB 07 Jun 1970; nationality Russia; Secondary sanctions risk: ...; Passport 713023636
    // (Russia) expires 20 Jan 2021; <the title again>; Linked To: ...; Linked To: ... JSC."
    let ioffe = entity(parsed, "ofac-sdn:18657");
    assert_eq!(ioffe.schema, Schema::Person);
    assert_eq!(ioffe.name, "IOFFE, Eduard A");
    let parts = ioffe.names[0].parts.as_ref().expect("parts");
    assert_eq!(
        (
            parts.last.as_deref(),
            parts.first.as_deref(),
            parts.middle.as_deref()
        ),
        (Some("IOFFE"), Some("Eduard"), Some("A"))
    );
    assert_eq!(ioffe.programs, ["UKRAINE-EO13661"]);
    assert_eq!(
        ioffe.titles,
        [
            "Deputy General Director for Commercial Affairs at Kalashnikov Concern and Izhevsky Mekhanichesky Zavod JSC"
        ]
    );
    assert_eq!(
        ioffe.dates_of_birth,
        [DateOfBirth::Exact {
            date: date("1970-06-07")
        }]
    );
    assert_eq!(ioffe.nationalities, [code("RU")]);
    assert_eq!(ioffe.countries, [code("RU")]);
    assert_eq!(
        ioffe.identifiers,
        [Identifier {
            country: Some(code("RU")),
            expires: Some(date("2021-01-20")),
            ..Identifier::new(IdentifierKind::Passport, "713023636")
        }]
    );
    let targets: Vec<&str> = ioffe.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "JOINT STOCK COMPANY CONCERN KALASHNIKOV",
            "IZHEVSKY MEKHANICHESKY ZAVOD JSC"
        ]
    );
    assert_eq!(
        ioffe.remarks,
        [
            "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209"
        ]
    );
}

#[test]
fn spot_checks_a_vessel_and_a_wallet_holder() {
    let parsed = list_2024();
    let artavil = entity(parsed, "ofac-sdn:15036");
    assert_eq!(artavil.schema, Schema::Vessel);
    assert_eq!(artavil.programs, ["IRAN"]);
    assert_eq!(
        artavil.identifiers,
        [
            Identifier::new(IdentifierKind::CallSign, "T2EU4"),
            Identifier::new(IdentifierKind::Imo, "9187629"),
            Identifier::new(IdentifierKind::Mmsi, "572469210"),
        ]
    );
    assert_eq!(artavil.countries, [code("IR")]);
    assert_eq!(names_of(artavil, NameKind::Fka), ["ALPHA"]);
    assert!(
        artavil
            .remarks
            .contains(&"Vessel Type: Crude/Oil Products Tanker".to_owned())
    );
    assert!(
        artavil
            .remarks
            .contains(&"Former Vessel Flag Tuvalu".to_owned())
    );
    assert_eq!(artavil.links[0].target, "NATIONAL IRANIAN TANKER COMPANY");

    // LAZARUS GROUP: eight ETH wallets, the first without `alt.`.
    let lazarus = entity(parsed, "ofac-sdn:27307");
    assert_eq!(lazarus.schema, Schema::Organization);
    let eth: Vec<&str> = lazarus
        .identifiers
        .iter()
        .filter(|i| {
            i.kind
                == IdentifierKind::CryptoAddress {
                    currency: "ETH".into(),
                }
        })
        .map(|i| i.value.as_str())
        .collect();
    assert_eq!(eth.len(), 8);
    assert_eq!(eth[0], "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
    assert_eq!(eth[7], "0x08723392Ed15743cc38513C4925f5e6be5c17243");
}

#[test]
fn joins_the_four_file_set() {
    let parsed = parse_csv(&july_2021_set());
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.entities.len(), 8_976);

    let bank = entity(&parsed, "ofac-sdn:306");
    assert_eq!(bank.name, "BANCO NACIONAL DE CUBA");
    assert_eq!(
        names_of(bank, NameKind::StrongAka),
        ["NATIONAL BANK OF CUBA"]
    );
    assert_eq!(names_of(bank, NameKind::WeakAka), ["BNC"]);
    assert_eq!(bank.addresses.len(), 4);
    let zurich = &bank.addresses[0];
    assert_eq!(zurich.street.as_deref(), Some("Zweierstrasse 35"));
    assert_eq!(zurich.city.as_deref(), Some("Zurich CH-8022"));
    assert_eq!(zurich.country, Some(code("CH")));
    let countries: Vec<&str> = bank.countries.iter().map(|c| c.as_str()).collect();
    assert_eq!(countries, ["CH", "ES", "JP", "PA"]);

    // Strong aliases from alt.csv come before the weak ones from the remarks, with parts.
    let julaidan = entity(&parsed, "ofac-sdn:7263");
    let aliases: Vec<(&str, NameKind)> = julaidan
        .names
        .iter()
        .skip(1)
        .map(|n| (n.full.as_str(), n.kind))
        .collect();
    assert_eq!(aliases.len(), 9);
    assert_eq!(aliases[0], ("JALADIN, Wa'el Hamza", NameKind::StrongAka));
    assert_eq!(aliases[8], ("ABU AL-HASAN AL MADANI", NameKind::WeakAka));
    let parts = julaidan.names[1].parts.as_ref().expect("parts");
    assert_eq!(parts.last.as_deref(), Some("JALADIN"));
    assert_eq!(parts.first.as_deref(), Some("Wa'el"));
    // Its only add.csv row is empty: no address.
    assert!(julaidan.addresses.is_empty());

    // 12300's remarks run on in sdn_comments.csv, mid-name ("PROMO RAI" + "Z S.A.S.").
    let ochoa = entity(&parsed, "ofac-sdn:12300");
    let targets: Vec<&str> = ochoa.links.iter().map(|l| l.target.as_str()).collect();
    assert!(targets.contains(&"PROMO RAIZ S.A.S."), "{targets:?}");
    assert!(targets.contains(&"RED MUNDIAL INMOBILIARIA, S.A. DE C.V."));
    assert!(!ochoa.remarks.iter().any(|r| r.contains("Linked To")));
    // 28263's overflow completes a cut alias.
    let completed = entity(&parsed, "ofac-sdn:28263");
    assert!(
        names_of(completed, NameKind::WeakAka)
            .iter()
            .any(|n| n.starts_with("snowsjo"))
    );
}

#[test]
fn companion_files_add_what_the_primary_lacks() {
    let alone = parse_csv(&[shared_file("lists/ofac-sdn-2021-07/sdn.csv")]);
    let joined = parse_csv(&july_2021_set());
    let bank_alone = entity(&alone, "ofac-sdn:306");
    assert!(bank_alone.addresses.is_empty());
    assert!(names_of(bank_alone, NameKind::StrongAka).is_empty());
    let diff = diff_entities(&alone.entities, &joined.entities);
    assert!(diff.added.is_empty() && diff.removed.is_empty());
    assert!(diff.changed.len() > 5_000, "{}", diff.changed.len());
}

#[test]
fn recognises_files_by_name_in_any_case_and_order() {
    let mut files = july_2021_set();
    files.reverse();
    for file in &mut files {
        file.name = format!("ofac/2021-07/{}", file.name.to_uppercase());
    }
    let parsed = parse_csv(&files);
    assert_eq!(parsed.entities.len(), 8_976);
    assert_eq!(entity(&parsed, "ofac-sdn:306").addresses.len(), 4);
    assert_eq!(parsed.entities[0].source.file, "SDN.CSV");

    // A single file of any name is the primary file.
    let mut renamed = sdn("ofac-sdn-2022-03-21");
    renamed.name = "download.csv".into();
    assert_eq!(parse_csv(&[renamed]).entities.len(), 9_396);

    // An unknown companion, or a missing primary, is an error.
    let mut stray = july_2021_set();
    stray[1].name = "aliases.csv".into();
    let (file, _, reason) = malformed(parse(&stray, Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "aliases.csv");
    assert!(reason.contains("sdn.csv"), "{reason}");
    let without_primary: Vec<SourceFile> = july_2021_set().into_iter().skip(1).collect();
    assert!(matches!(
        parse(&without_primary, Some(Format::OfacSdnCsv), None),
        Err(Error::MissingFile { name }) if name == "sdn.csv"
    ));
}

#[test]
fn tolerates_lf_line_endings_but_requires_the_eof_byte() {
    let original = sdn("ofac-sdn-2022-03-21");
    assert_eq!(original.bytes.last(), Some(&0x1A));
    let lf_only = SourceFile {
        name: "sdn.csv".into(),
        bytes: String::from_utf8(original.bytes.clone())
            .expect("ASCII")
            .replace("\r\n", "\n")
            .into_bytes(),
    };
    let with = parse_csv(std::slice::from_ref(&original));
    let lf = parse_csv(&[lf_only]);
    assert_eq!(content_hash(&with.entities), content_hash(&lf.entities));
    assert_eq!(
        with.entities.last().map(|e| &e.source),
        lf.entities.last().map(|e| &e.source)
    );
    assert_eq!(with.encoding, Some("UTF-8"));
    assert_eq!(with.published, None, "the CSV carries no date");

    // Without the trailer the file may have been cut at a line boundary: refused.
    let mut without = original;
    without.bytes.pop();
    let end = without.bytes.len();
    let (file, location, reason) = malformed(parse(&[without], Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "sdn.csv");
    assert_eq!(location, format!("line 9397, byte {end}"));
    assert!(
        reason.contains("0x1A") && reason.contains("truncated"),
        "{reason}"
    );
}

#[test]
fn every_file_of_the_july_2021_set_ends_as_published() {
    // sdn.csv, alt.csv and add.csv end with 0x1A; sdn_comments.csv with CRLF only.
    let set = july_2021_set();
    let ends: Vec<u8> = set
        .iter()
        .map(|f| *f.bytes.last().expect("bytes"))
        .collect();
    assert_eq!(ends, [0x1A, 0x1A, 0x1A, b'\n']);
    assert!(parse_csv(&set).issues.is_empty());

    let mut cut_alt = set.clone();
    let alt = &mut cut_alt[1].bytes;
    let keep = alt.len() / 2;
    let line_end = alt[..keep]
        .iter()
        .rposition(|b| *b == b'\n')
        .expect("a line")
        + 1;
    alt.truncate(line_end);
    let (file, _, reason) = malformed(parse(&cut_alt, Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "alt.csv");
    assert!(reason.contains("truncated"), "{reason}");

    let mut cut_comments = set;
    let comments = &mut cut_comments[3].bytes;
    comments.truncate(comments.len() - 5);
    let (file, _, reason) = malformed(parse(&cut_comments, Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "sdn_comments.csv");
    assert!(
        reason.contains("line break") || reason.contains("quoted"),
        "{reason}"
    );
}

#[test]
fn a_truncated_file_is_an_error_not_a_shorter_list() {
    let full = sdn("ofac-sdn-2022-03-21");
    // Cut inside the last row's quoted remarks.
    let cut = SourceFile {
        name: "sdn.csv".into(),
        bytes: full.bytes[..full.bytes.len() - 40].to_vec(),
    };
    let (file, location, reason) = malformed(parse(&[cut], Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "sdn.csv");
    assert_eq!(location, "line 9396");
    assert!(reason.contains("quoted field"), "{reason}");
    assert!(reason.contains("truncated"), "{reason}");

    // Cut half-way through the file, inside a quoted name.
    let half = full.bytes.len() / 2;
    let mut at = half;
    while full.bytes[at - 1] != b'"' || full.bytes[at - 2] != b',' {
        at += 1;
    }
    let cut = SourceFile {
        name: "sdn.csv".into(),
        bytes: full.bytes[..at + 3].to_vec(),
    };
    let (_, _, reason) = malformed(parse(&[cut], Some(Format::OfacSdnCsv), None));
    assert!(reason.contains("truncated"), "{reason}");

    // Cut between two fields, outside quotes.
    let at = full.bytes.len() / 3;
    let at = at
        + full.bytes[at..]
            .iter()
            .position(|b| *b == b',')
            .expect("a comma");
    let cut = SourceFile {
        name: "sdn.csv".into(),
        bytes: full.bytes[..=at].to_vec(),
    };
    let (_, _, reason) = malformed(parse(&[cut], Some(Format::OfacSdnCsv), None));
    assert!(reason.contains("truncated"), "{reason}");

    // Cut at a line boundary: every row whole, only the trailer tells.
    let line_end = full.bytes[..full.bytes.len() * 3 / 10]
        .iter()
        .rposition(|b| *b == b'\n')
        .expect("a line")
        + 1;
    let cut = SourceFile {
        name: "sdn.csv".into(),
        bytes: full.bytes[..line_end].to_vec(),
    };
    let lines = cut.bytes.iter().filter(|b| **b == b'\n').count();
    let (file, location, reason) = malformed(parse(&[cut], Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "sdn.csv");
    assert_eq!(location, format!("line {}, byte {line_end}", lines + 1));
    assert!(reason.contains("truncated"), "{reason}");

    // Cut between two fields of a short, otherwise complete file: the row is an issue.
    let (lines, _) = head_lines(&full, 3, "sdn.csv");
    let text = format!(
        "{}\r\n{}\r\n36,\"AEROCARIBBEAN AIRLINES\",\r\n\u{1a}",
        lines[1], lines[2]
    );
    let parsed = parse_csv(&[SourceFile {
        name: "sdn.csv".into(),
        bytes: text.into_bytes(),
    }]);
    assert_eq!(parsed.entities.len(), 2);
    assert_eq!(parsed.issues.len(), 1);
    assert_eq!(parsed.issues[0].location, "line 3");
    assert!(
        parsed.issues[0].message.contains("expected 12 fields"),
        "{}",
        parsed.issues[0]
    );
}

#[test]
fn a_bad_row_in_the_middle_is_an_issue_on_its_line() {
    let (mut lines, _) = head_lines(&sdn("ofac-sdn-2024-03-14"), 20, "sdn.csv");
    lines[6] = lines[6].replacen("535,", "5x5,", 1);
    lines[11] = lines[11].replacen(",-0- ,-0- ", ",-0- ", 1);
    let (ent_num, rest) = lines[14].split_once(',').expect("row");
    let (_, after_name) = rest.split_once("\",").expect("name");
    lines[14] = format!("{ent_num},\"\",{after_name}");
    let text: String = lines
        .iter()
        .map(|l| format!("{l}\r\n"))
        .chain(std::iter::once("\u{1a}".to_owned()))
        .collect();
    let parsed = parse_csv(&[SourceFile {
        name: "sdn.csv".into(),
        bytes: text.into_bytes(),
    }]);
    let found: Vec<(&str, &str)> = parsed
        .issues
        .iter()
        .map(|i| (i.location.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "line 7");
    assert!(
        found[0].1.contains("\"5x5\" is not a number"),
        "{}",
        found[0].1
    );
    assert_eq!(found[1].0, "line 12");
    assert!(found[1].1.contains("found 11"), "{}", found[1].1);
    assert_eq!(found[2].0, "line 15");
    assert!(found[2].1.contains("empty SDN_Name"), "{}", found[2].1);
    assert!(parsed.issues.iter().all(|i| i.file == "sdn.csv"));
    assert_eq!(parsed.entities.len(), 17);
    assert_eq!(parsed.entities[6].source.location, "line 8");
}

#[test]
fn companion_rows_for_unknown_entries_are_issues() {
    let mut files = july_2021_set();
    let mut alt = String::from_utf8(files[1].bytes.clone()).expect("ASCII");
    alt.insert_str(
        0,
        "999999,1,\"aka\",\"NOBODY\",-0- \r\n36,2,\"aka\",-0- ,-0- \r\n",
    );
    files[1].bytes = alt.into_bytes();
    let parsed = parse_csv(&files);
    let found: Vec<String> = parsed.issues.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "alt.csv: line 1: ent_num 999999 is not in the primary file",
            "alt.csv: line 2: ent_num 36: empty alt_name"
        ]
    );
}

#[test]
fn rejects_what_is_not_ofac_csv() {
    let xml = fixture("ofac/sdn.xml");
    let (file, _, reason) = malformed(parse(&[xml], Some(Format::OfacSdnCsv), None));
    assert_eq!(file, "sdn.xml");
    assert!(reason.contains("XML"), "{reason}");

    let header = shared_file("lists/us-csl-sample.csv");
    let (_, location, reason) = malformed(parse(&[header], Some(Format::OfacSdnCsv), None));
    assert_eq!(location, "line 1");
    assert!(reason.contains("not an OFAC legacy CSV"), "{reason}");

    // The alias file alone is the wrong shape for a primary file.
    let alt = shared_file("lists/ofac-sdn-2021-07/alt.csv");
    let (_, _, reason) = malformed(parse(&[alt], Some(Format::OfacSdnCsv), None));
    assert!(reason.contains("expected 12 fields"), "{reason}");

    let empty = SourceFile {
        name: "sdn.csv".into(),
        bytes: b"\x1a".to_vec(),
    };
    let (_, _, reason) = malformed(parse(&[empty], Some(Format::OfacSdnCsv), None));
    assert_eq!(reason, "no records");
}

/// Deterministic noise: xorshift bytes, optionally kept printable.
fn noise(len: usize, seed: u64, printable: bool) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let byte = (state >> 24) as u8;
            if printable { b' ' + byte % 95 } else { byte }
        })
        .collect()
}

#[test]
fn garbage_is_an_error_in_both_formats() {
    for (seed, printable) in [(1, false), (2, true), (3, false), (4, true)] {
        let file = SourceFile {
            name: "sdn.csv".into(),
            bytes: noise(8_192, seed, printable),
        };
        for format in [Format::OfacSdnCsv, Format::OfacSdnXml] {
            let result = parse(std::slice::from_ref(&file), Some(format), None);
            assert!(
                matches!(result, Err(Error::Malformed { .. })),
                "{format} seed {seed}"
            );
        }
    }
}

#[test]
fn parses_the_xml_fixture() {
    let parsed = parse(&[fixture("ofac/sdn.xml")], Some(Format::OfacSdnXml), None).expect("parses");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.format, Format::OfacSdnXml);
    let ids: Vec<&str> = parsed.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ofac-sdn:306",
            "ofac-sdn:7263",
            "ofac-sdn:15036",
            "ofac-sdn:26137",
            "ofac-sdn:15431"
        ]
    );

    let bank = entity(&parsed, "ofac-sdn:306");
    assert_eq!(bank.schema, Schema::Organization);
    assert_eq!(names_of(bank, NameKind::WeakAka), ["BNC"]);
    assert_eq!(
        names_of(bank, NameKind::StrongAka),
        ["NATIONAL BANK OF CUBA"]
    );
    let panama = &bank.addresses[3];
    assert_eq!(
        panama.street.as_deref(),
        Some("Federico Boyd Avenue & 51 Street")
    );
    assert_eq!(panama.city.as_deref(), Some("Panama City"));
    assert_eq!(bank.addresses[0].postal_code.as_deref(), Some("CH-8022"));

    let julaidan = entity(&parsed, "ofac-sdn:7263");
    assert_eq!(julaidan.name, "JULAIDAN, Wa'el Hamza Abd Al-Fatah");
    assert_eq!(julaidan.schema, Schema::Person);
    assert_eq!(
        julaidan.dates_of_birth,
        [
            DateOfBirth::Exact {
                date: date("1958-01-22")
            },
            DateOfBirth::Exact {
                date: date("1958-01-20")
            }
        ]
    );
    assert_eq!(julaidan.places_of_birth, ["Al-Madinah, Saudi Arabia"]);
    assert_eq!(julaidan.nationalities, [code("SA")]);
    assert_eq!(julaidan.identifiers[1].issued, Some(date("1998-07-15")));
    assert_eq!(julaidan.identifiers[1].expires, Some(date("2003-05-22")));
    assert_eq!(names_of(julaidan, NameKind::StrongAka).len(), 8);

    let artavil = entity(&parsed, "ofac-sdn:15036");
    assert_eq!(artavil.schema, Schema::Vessel);
    assert!(
        artavil
            .identifiers
            .contains(&Identifier::new(IdentifierKind::Imo, "9187629"))
    );
    assert_eq!(
        names_of(artavil, NameKind::Fka),
        ["ABADAN", "SHONA", "ALPHA"]
    );

    let khorashadizadeh = entity(&parsed, "ofac-sdn:26137");
    assert_eq!(khorashadizadeh.gender, Some(Gender::Male));
    assert!(khorashadizadeh.identifiers.contains(&Identifier::new(
        IdentifierKind::CryptoAddress {
            currency: "XBT".into()
        },
        "149w62rY42aZBox8fGcmqNsXUzSStKeq8C"
    )));
    assert_eq!(khorashadizadeh.source.format, "ofac-sdn-xml");
    assert!(khorashadizadeh.source.raw.starts_with("<sdnEntry>"));
    assert!(khorashadizadeh.source.raw.ends_with("</sdnEntry>"));
    assert!(khorashadizadeh.source.raw.contains("<uid>26137</uid>"));

    let aircraft = entity(&parsed, "ofac-sdn:15431");
    assert_eq!(aircraft.schema, Schema::Aircraft);
    assert_eq!(aircraft.links[0].target, "POUYA AIR");
}

/// Sorted JSON of each item, to compare lists whose order the two formats need not share.
fn sorted<T: serde::Serialize>(items: &[T]) -> Vec<String> {
    let mut json: Vec<String> = items
        .iter()
        .map(|item| serde_json::to_string(item).expect("json"))
        .collect();
    json.sort();
    json
}

#[test]
fn csv_and_xml_agree_on_the_same_records() {
    let xml = parse(&[fixture("ofac/sdn.xml")], Some(Format::OfacSdnXml), None).expect("parses");
    let csv = parse_csv(&july_2021_set());
    for from_xml in &xml.entities {
        let from_csv = entity(&csv, from_xml.id.as_str());
        let id = &from_xml.id;
        assert_eq!(from_csv.schema, from_xml.schema, "{id}");
        assert_eq!(from_csv.name, from_xml.name, "{id}");
        assert_eq!(sorted(&from_csv.names), sorted(&from_xml.names), "{id}");
        assert_eq!(from_csv.dates_of_birth, from_xml.dates_of_birth, "{id}");
        assert_eq!(from_csv.places_of_birth, from_xml.places_of_birth, "{id}");
        assert_eq!(from_csv.nationalities, from_xml.nationalities, "{id}");
        assert_eq!(from_csv.gender, from_xml.gender, "{id}");
        assert_eq!(
            sorted(&from_csv.identifiers),
            sorted(&from_xml.identifiers),
            "{id}"
        );
        assert_eq!(from_csv.programs, from_xml.programs, "{id}");
        assert_eq!(sorted(&from_csv.remarks), sorted(&from_xml.remarks), "{id}");
        assert_eq!(from_csv.links, from_xml.links, "{id}");
        assert_eq!(
            sorted(&from_csv.countries),
            sorted(&from_xml.countries),
            "{id}"
        );
        // The CSV keeps city and postal code together; the XML splits them.
        assert_eq!(from_csv.addresses.len(), from_xml.addresses.len(), "{id}");
        for (a, b) in from_csv.addresses.iter().zip(&from_xml.addresses) {
            assert_eq!((&a.street, a.country), (&b.street, b.country), "{id}");
            let joined = [b.city.as_deref(), b.postal_code.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(a.city.clone().unwrap_or_default(), joined, "{id}");
        }
    }
}

#[test]
fn rejects_broken_xml() {
    let good = fixture("ofac/sdn.xml");
    let cut = SourceFile {
        name: "sdn.xml".into(),
        bytes: good.bytes[..good.bytes.len() / 2].to_vec(),
    };
    let (_, _, reason) = malformed(parse(&[cut], Some(Format::OfacSdnXml), None));
    assert!(reason.contains("truncated"), "{reason}");

    let (_, _, reason) = malformed(parse(
        &[shared_file("lists/un-consolidated-2026-02-27.xml")],
        Some(Format::OfacSdnXml),
        None,
    ));
    assert!(reason.contains("<CONSOLIDATED_LIST>"), "{reason}");

    let (_, _, reason) = malformed(parse(
        &[sdn("ofac-sdn-2022-03-21")],
        Some(Format::OfacSdnXml),
        None,
    ));
    assert!(
        reason.contains("does not start with an XML tag"),
        "{reason}"
    );

    let text = String::from_utf8(good.bytes.clone()).expect("UTF-8");
    let mismatched = SourceFile {
        name: "sdn.xml".into(),
        bytes: text.replacen("</lastName>", "</firstName>", 1).into_bytes(),
    };
    let (_, location, reason) = malformed(parse(&[mismatched], Some(Format::OfacSdnXml), None));
    assert!(reason.contains("not well-formed"), "{reason}");
    assert!(location.starts_with("line "), "{location}");
}

#[test]
fn xml_record_problems_are_issues() {
    let text = String::from_utf8(fixture("ofac/sdn.xml").bytes).expect("UTF-8");
    let broken = text
        .replacen(
            "<Record_Count>5</Record_Count>",
            "<Record_Count>6</Record_Count>",
            1,
        )
        .replacen("<uid>7263</uid>", "<uid>72x3</uid>", 1);
    let parsed = parse(
        &[SourceFile {
            name: "sdn.xml".into(),
            bytes: broken.into_bytes(),
        }],
        Some(Format::OfacSdnXml),
        None,
    )
    .expect("parses");
    assert_eq!(parsed.entities.len(), 4);
    let found: Vec<String> = parsed.issues.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("sdn.xml: line 65 (sdnEntry 2): uid \"72x3\""),
        "{}",
        found[0]
    );
    assert_eq!(
        found[1],
        "sdn.xml: publshInformation: Record_Count is 6 but the file has 5 sdnEntry records"
    );
}
