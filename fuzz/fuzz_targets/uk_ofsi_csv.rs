//! Fuzzes the UK OFSI CSV parser: any bytes, as `ConList.csv`, must parse or fail with an
//! error, never panic.

#![no_main]

use interdict_sources::{Format, SourceFile, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let file = SourceFile {
        name: "ConList.csv".to_owned(),
        bytes: bytes.to_vec(),
    };
    let _ = parse(&[file], Some(Format::UkOfsiCsv), None);
});
