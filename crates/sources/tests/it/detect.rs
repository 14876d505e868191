//! Format detection on real files, fixtures, and small byte strings written to each format.

use interdict_sources::{Error, Format, SourceFile, detect};

use crate::common::{fixture, shared_file};

fn bytes(name: &str, content: &[u8]) -> SourceFile {
    SourceFile {
        name: name.into(),
        bytes: content.to_vec(),
    }
}

/// The same content under another name, so that only the content can tell.
fn renamed(file: SourceFile, name: &str) -> SourceFile {
    SourceFile {
        name: name.into(),
        bytes: file.bytes,
    }
}

fn detected(files: &[SourceFile]) -> Format {
    detect(files).unwrap_or_else(|e| panic!("not detected: {e}"))
}

#[test]
fn detects_the_ofac_csv_set_by_name_and_content() {
    let set = [
        shared_file("lists/ofac-sdn-2021-07/add.csv"),
        shared_file("lists/ofac-sdn-2021-07/alt.csv"),
        shared_file("lists/ofac-sdn-2021-07/sdn.csv"),
    ];
    assert_eq!(detected(&set), Format::OfacSdnCsv);
    // A lone primary file under any name, including the CRLF + 0x1A publications.
    for path in [
        "lists/ofac-sdn-2021-07/sdn.csv",
        "lists/ofac-sdn-2022-03-24/sdn.csv",
        "lists/ofac-sdn-2024-03-14/sdn.csv",
    ] {
        assert_eq!(
            detected(&[renamed(shared_file(path), "download")]),
            Format::OfacSdnCsv,
            "{path}"
        );
    }
    // A short record still carries OFAC's `-0-` marker.
    let short = bytes("x.csv", b"424,\"BOUTIQUE LA MAISON\",-0- ,\"CUBA\",-0- \n");
    assert_eq!(detected(&[short]), Format::OfacSdnCsv);
}

#[test]
fn detects_xml_formats_by_root_element() {
    let un = renamed(shared_file("lists/un-consolidated-2026-02-27.xml"), "list");
    assert_eq!(detected(&[un]), Format::UnScXml);
    let ofac = bytes(
        "feed",
        b"\xEF\xBB\xBF<?xml version=\"1.0\" standalone=\"yes\"?>\r\n<sdnList xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://tempuri.org/sdnList.xsd\"><publshInformation/></sdnList>",
    );
    assert_eq!(detected(&[ofac]), Format::OfacSdnXml);
    let eu = bytes(
        "feed",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" generationDate=\"2024-03-14T17:02:36.870+01:00\" globalFileId=\"159247\"></export>",
    );
    assert_eq!(detected(&[eu]), Format::EuFsfXml);
    let eu_prefixed = bytes(
        "feed",
        b"<fsd:export xmlns:fsd=\"x\"><fsd:sanctionEntity logicalId=\"1\"/>",
    );
    assert_eq!(detected(&[eu_prefixed]), Format::EuFsfXml);
    // The other parsers' fixtures.
    for (path, format) in [
        ("ofac/sdn.xml", Format::OfacSdnXml),
        ("eu/eu-fsf.xml", Format::EuFsfXml),
        ("un/un-problems.xml", Format::UnScXml),
    ] {
        assert_eq!(detected(&[fixture(path)]), format, "{path}");
    }
    // An XML file of some other kind is not guessed at.
    let other = bytes("feed.xml", b"<?xml version=\"1.0\"?><rss><channel/></rss>");
    assert!(matches!(detect(&[other]), Err(Error::Undetected { .. })));
}

#[test]
fn detects_the_csv_lists_by_header() {
    let uk = renamed(fixture("uk/ofsi-conlist.csv"), "download.csv");
    assert_eq!(detected(&[uk]), Format::UkOfsiCsv);
    let uk_without_date_line = bytes(
        "conlist.csv",
        b"\xEF\xBB\xBFName 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Group Type,Alias Type,Group ID\n",
    );
    assert_eq!(detected(&[uk_without_date_line]), Format::UkOfsiCsv);
    // The FCDO list's CSV names `OFSI Group ID` and `Name 6` too, but has a `Unique ID`.
    let fcdo = renamed(fixture("uk/uk-sanctions-list.csv"), "download.csv");
    assert_eq!(detected(&[fcdo]), Format::UkSanctionsListCsv);
    let fcdo_report_cell = bytes(
        "list.csv",
        b"\xEF\xBB\xBFReport Date,07/09/2026\r\nUnique ID,OFSI Group ID,Name 6,Name type\r\n",
    );
    assert_eq!(detected(&[fcdo_report_cell]), Format::UkSanctionsListCsv);
    let fcdo_without_report = bytes("list.csv", b"Last Updated,Unique ID,OFSI Group ID,Name 6\n");
    assert_eq!(detected(&[fcdo_without_report]), Format::UkSanctionsListCsv);
    let csl = renamed(shared_file("lists/us-csl-sample.csv"), "download.csv");
    assert_eq!(detected(&[csl]), Format::UsCslCsv);
    let csl_with_id = bytes("c.csv", b"_id,source,entity_number,type,programs,name\n");
    assert_eq!(detected(&[csl_with_id]), Format::UsCslCsv);
}

#[test]
fn detects_followthemoney_by_content_and_delta_names() {
    let base = shared_file("lists/ftm-yente-fixture/entities.ftm.json");
    assert_eq!(detected(&[renamed(base, "export")]), Format::Ftm);
    // A set with deltas, the base file last and an empty delta first.
    let set = [
        shared_file("lists/ftm-yente-fixture/deltas/20240527134702-zbn.delta.json"),
        shared_file("lists/ftm-yente-fixture/entities.ftm.json"),
    ];
    assert_eq!(detected(&set), Format::Ftm);
    let delta_content = renamed(
        shared_file("lists/ftm-yente-fixture/deltas/20240528074703-npf.delta.json"),
        "changes",
    );
    assert_eq!(detected(&[delta_content]), Format::Ftm);
    assert_eq!(detected(&[fixture("ftm/graph.ftm.json")]), Format::Ftm);
}

#[test]
fn the_first_recognised_file_decides() {
    let set = [
        bytes("README.txt", b"Downloaded from trade.gov"),
        shared_file("lists/us-csl-sample.csv"),
    ];
    assert_eq!(detected(&set), Format::UsCslCsv);
}

#[test]
fn unknown_content_names_the_file_and_what_was_seen() {
    match detect(&[bytes("notes.txt", b"\n  Quarterly report\nline two")]) {
        Err(Error::Undetected { file, reason }) => {
            assert_eq!(file, "notes.txt");
            assert!(reason.contains("Quarterly report"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    match detect(&[bytes("empty.csv", b"\xEF\xBB\xBF")]) {
        Err(Error::Undetected { file, reason }) => {
            assert_eq!(file, "empty.csv");
            assert_eq!(reason, "the file is empty");
        }
        other => panic!("unexpected {other:?}"),
    }
    // JSON that is not FollowTheMoney.
    assert!(matches!(
        detect(&[bytes("data.json", br#"{"name": "x"}"#)]),
        Err(Error::Undetected { .. })
    ));
    // A CSV with a numbered first column but no OFAC shape.
    assert!(matches!(
        detect(&[bytes("n.csv", b"1,2,3\n")]),
        Err(Error::Undetected { .. })
    ));
    assert!(matches!(detect(&[]), Err(Error::NoInput)));
}

#[test]
fn parse_without_a_format_detects_it() {
    let parsed = interdict_sources::parse(&[shared_file("lists/us-csl-sample.csv")], None, None)
        .expect("parses");
    assert_eq!(parsed.format, Format::UsCslCsv);
    assert_eq!(parsed.entities.len(), 115);
}
