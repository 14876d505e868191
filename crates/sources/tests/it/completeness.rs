//! A list is read whole or not at all: real files cut in every way a download can be cut, and
//! real files with a NUL byte, are refused with the file and the place named, never read as a
//! shorter list.

use interdict_sources::{Error, Format, SourceFile, parse};

use crate::common::shared_file;

/// The file, line or byte, and reason of a refusal.
fn refused(file: SourceFile, format: Format) -> (String, String, String) {
    match parse(&[file], Some(format), None) {
        Err(Error::Malformed {
            file,
            location,
            reason,
        }) => (file, location, reason),
        Err(other) => panic!("expected Malformed, got {other}"),
        Ok(parsed) => panic!(
            "a damaged file parsed: {} entities, {} issues",
            parsed.entities.len(),
            parsed.issues.len()
        ),
    }
}

/// `file` cut to its first `len` bytes.
fn cut(file: &SourceFile, len: usize) -> SourceFile {
    SourceFile {
        name: file.name.clone(),
        bytes: file.bytes[..len].to_vec(),
    }
}

/// The end of the last whole line before `fraction` of the file.
fn line_boundary(file: &SourceFile, fraction: f64) -> usize {
    let at = (file.bytes.len() as f64 * fraction) as usize;
    file.bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .expect("a line")
        + 1
}

fn lines_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

const XML_LISTS: [(&str, Format); 3] = [
    ("lists/un-consolidated-2026-02-27.xml", Format::UnScXml),
    ("lists/eu-fsf-excerpt-2026-08-05/fsf.xml", Format::EuFsfXml),
    (
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
    ),
];

#[test]
fn xml_lists_cut_anywhere_are_refused_with_the_line() {
    for (path, format) in XML_LISTS {
        let full = shared_file(path);
        let whole =
            parse(std::slice::from_ref(&full), Some(format), None).expect("the whole file parses");
        assert!(!whole.entities.is_empty());
        let cuts = [
            ("at a line boundary", line_boundary(&full, 0.6)),
            ("mid-record", full.bytes.len() / 3 + 7),
            ("inside the closing root tag", full.bytes.len() - 4),
        ];
        for (how, len) in cuts {
            let (file, location, reason) = refused(cut(&full, len), format);
            assert_eq!(file, full.name, "{path} cut {how}");
            let last_line = lines_in(&full.bytes[..len.saturating_sub(1)]) + 1;
            assert!(
                location == format!("line {last_line}")
                    || location == format!("line {}", last_line - 1),
                "{path} cut {how}: {location}, expected line {last_line}"
            );
            assert!(
                reason.contains("truncated") || reason.contains("not well-formed"),
                "{path} cut {how}: {reason}"
            );
        }
    }
}

#[test]
fn ofac_csv_cut_at_a_line_or_mid_record_is_refused() {
    let full = shared_file("lists/ofac-sdn-2024-03-14/sdn.csv");
    let at_line = line_boundary(&full, 0.3);
    let (file, location, reason) = refused(cut(&full, at_line), Format::OfacSdnCsv);
    assert_eq!(file, "sdn.csv");
    assert_eq!(
        location,
        format!(
            "line {}, byte {at_line}",
            lines_in(&full.bytes[..at_line]) + 1
        )
    );
    assert!(reason.contains("truncated"), "{reason}");
    let (_, _, reason) = refused(cut(&full, at_line + 25), Format::OfacSdnCsv);
    assert!(reason.contains("truncated"), "{reason}");
}

#[test]
fn nul_and_control_bytes_are_refused_with_their_offset() {
    let files = [
        ("lists/un-consolidated-2026-02-27.xml", Format::UnScXml, 0u8),
        (
            "lists/uk-hmt-2018-04-13/sanctionsconlist.csv",
            Format::UkOfsiCsv,
            0,
        ),
        ("lists/ofac-sdn-2022-03-21/sdn.csv", Format::OfacSdnCsv, 0),
        (
            "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
            Format::UkSanctionsListXml,
            0x1B,
        ),
        ("lists/us-csl-sample.csv", Format::UsCslCsv, 0x08),
        ("uk/uk-sanctions-list.csv", Format::UkSanctionsListCsv, 0),
    ];
    for (path, format, byte) in files {
        let mut file = if path.starts_with("lists/") {
            shared_file(path)
        } else {
            crate::common::fixture(path)
        };
        let at = file.bytes.len() / 2;
        file.bytes[at] = byte;
        // Detection is not fooled either: the same refusal without a named format.
        for named in [Some(format), None] {
            match parse(std::slice::from_ref(&file), named, None) {
                Err(Error::Malformed {
                    location, reason, ..
                }) => {
                    assert_eq!(location, format!("byte {at}"), "{path}");
                    let said = if byte == 0 {
                        "NUL byte".to_owned()
                    } else {
                        format!("0x{byte:02X}")
                    };
                    assert!(reason.contains(&said), "{path}: {reason}");
                }
                other => panic!("{path}: expected Malformed, got {other:?}"),
            }
        }
    }
}

/// The CSV lists without an end marker: a cut inside a quoted field is refused, a cut between
/// fields leaves a short last row that is an issue on its line.
#[test]
fn csv_lists_cut_mid_record_are_refused_or_reported() {
    for (path, format) in [
        (
            "lists/uk-hmt-2018-04-13/sanctionsconlist.csv",
            Format::UkOfsiCsv,
        ),
        ("lists/us-csl-sample.csv", Format::UsCslCsv),
    ] {
        let full = shared_file(path);
        let half = full.bytes.len() / 2;
        let quote = half
            + full.bytes[half..]
                .windows(2)
                .position(|w| w == b",\"")
                .expect("a quoted field");
        let (file, location, reason) = refused(cut(&full, quote + 4), format);
        assert_eq!(file, full.name);
        assert!(location.starts_with("line "), "{path}: {location}");
        assert!(reason.contains("truncated"), "{path}: {reason}");

        let row_start = line_boundary(&full, 0.5);
        let third_comma = full.bytes[row_start..]
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b',')
            .nth(2)
            .map(|(i, _)| row_start + i + 1)
            .expect("three fields");
        let parsed = parse(&[cut(&full, third_comma)], Some(format), None).expect("parses");
        let line = lines_in(&full.bytes[..row_start]) + 1;
        assert!(
            parsed
                .issues
                .iter()
                .any(|i| i.location == format!("line {line}") && i.message.contains("fields")),
            "{path}: {:?}",
            parsed.issues
        );
    }
}
