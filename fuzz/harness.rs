//! What each fuzz target feeds the parsers, shared by the targets in `fuzz_targets/` and by
//! the replay test in `crates/sources/tests/it/fuzz_replay.rs` (both include this file), so
//! that a saved input replays exactly as the fuzzer ran it.

use interdict_sources::{Format, SourceFile};

/// Every fuzz target, by the name `cargo fuzz` knows it under.
pub(crate) const TARGETS: [&str; 10] = [
    "ofac_sdn_csv",
    "ofac_sdn_xml",
    "un_sc_xml",
    "eu_fsf_xml",
    "uk_ofsi_csv",
    "uk_sanctions_list_xml",
    "uk_sanctions_list_csv",
    "us_csl_csv",
    "ftm",
    "detect",
];

/// File names that steer detection in the `detect` target: the first input byte picks one.
const DETECT_NAMES: [&str; 8] = [
    "sdn.csv",
    "list.xml",
    "uk-sanctions-list.xml",
    "UK-Sanctions-List.csv",
    "ConList.csv",
    "entities.ftm.json",
    "deltas/1.delta.json",
    "input",
];

/// The OFAC CSV set's files, in the order the input's `0x00`-separated parts fill them.
const OFAC_NAMES: [&str; 4] = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"];

fn file(name: &str, bytes: &[u8]) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        bytes: bytes.to_vec(),
    }
}

/// The files and format (`None`: detected) target `target` parses for `input`; `None` for an
/// unknown target or an input the target skips.
pub(crate) fn case(target: &str, input: &[u8]) -> Option<(Vec<SourceFile>, Option<Format>)> {
    let single = |name: &str, format: Format| Some((vec![file(name, input)], Some(format)));
    match target {
        // The input split at 0x00: `sdn.csv`, then its companion files.
        "ofac_sdn_csv" => Some((
            OFAC_NAMES
                .iter()
                .zip(input.splitn(OFAC_NAMES.len(), |b| *b == 0))
                .map(|(name, bytes)| file(name, bytes))
                .collect(),
            Some(Format::OfacSdnCsv),
        )),
        "ofac_sdn_xml" => single("sdn.xml", Format::OfacSdnXml),
        "un_sc_xml" => single("consolidated.xml", Format::UnScXml),
        "eu_fsf_xml" => single("eu-fsf.xml", Format::EuFsfXml),
        "uk_ofsi_csv" => single("ConList.csv", Format::UkOfsiCsv),
        "uk_sanctions_list_xml" => single("uk-sanctions-list.xml", Format::UkSanctionsListXml),
        "uk_sanctions_list_csv" => single("UK-Sanctions-List.csv", Format::UkSanctionsListCsv),
        "us_csl_csv" => single("consolidated.csv", Format::UsCslCsv),
        // The input split at 0x00: the entities file, then up to three delta files.
        "ftm" => Some((
            input
                .splitn(4, |b| *b == 0)
                .enumerate()
                .map(|(i, bytes)| {
                    let name = if i == 0 {
                        "entities.ftm.json".to_owned()
                    } else {
                        format!("deltas/{i}.delta.json")
                    };
                    file(&name, bytes)
                })
                .collect(),
            Some(Format::Ftm),
        )),
        "detect" => {
            let (choice, bytes) = input.split_first()?;
            let name = DETECT_NAMES[usize::from(*choice) % DETECT_NAMES.len()];
            Some((vec![file(name, bytes)], None))
        }
        _ => None,
    }
}

/// Runs target `target` on `input`: parses what [`case`] gives. Any outcome but a panic is
/// fine.
pub(crate) fn run(target: &str, input: &[u8]) {
    if let Some((files, format)) = case(target, input) {
        let _ = interdict_sources::parse(&files, format, None);
    }
}
