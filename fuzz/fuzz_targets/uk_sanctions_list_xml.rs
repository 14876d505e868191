//! Fuzzes the FCDO UK Sanctions List XML parser: any bytes, as `uk-sanctions-list.xml`, must
//! parse or fail with an error, never panic.

#![no_main]

use interdict_sources::{Format, SourceFile, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let file = SourceFile {
        name: "uk-sanctions-list.xml".to_owned(),
        bytes: bytes.to_vec(),
    };
    let _ = parse(&[file], Some(Format::UkSanctionsListXml), None);
});
