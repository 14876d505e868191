//! Fuzzes the US Consolidated Screening List CSV parser: any bytes, as `consolidated.csv`, must parse or fail with an
//! error, never panic.

#![no_main]

use interdict_sources::{Format, SourceFile, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let file = SourceFile {
        name: "consolidated.csv".to_owned(),
        bytes: bytes.to_vec(),
    };
    let _ = parse(&[file], Some(Format::UsCslCsv), None);
});
