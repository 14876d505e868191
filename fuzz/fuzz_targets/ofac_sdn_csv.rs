//! Fuzzes the OFAC SDN CSV parser on a whole file set: the input, split at `0x00` bytes, is
//! `sdn.csv`, then `alt.csv`, `add.csv` and `sdn_comments.csv`. It must parse or fail with an
//! error, never panic.

#![no_main]

use interdict_sources::{Format, SourceFile, parse};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"];

fuzz_target!(|input: &[u8]| {
    let files: Vec<SourceFile> = NAMES
        .iter()
        .zip(input.splitn(NAMES.len(), |b| *b == 0))
        .map(|(name, bytes)| SourceFile {
            name: (*name).to_owned(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let _ = parse(&files, Some(Format::OfacSdnCsv), None);
});
