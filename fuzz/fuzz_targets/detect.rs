//! Fuzzes format detection and the parser it picks: any bytes, under any of the names the
//! formats use, must parse or fail with an error, never panic.

#![no_main]

use interdict_sources::{SourceFile, parse};
use libfuzzer_sys::fuzz_target;

/// File names that steer detection: the first input byte picks one.
const NAMES: [&str; 7] = [
    "sdn.csv",
    "list.xml",
    "uk-sanctions-list.xml",
    "ConList.csv",
    "entities.ftm.json",
    "deltas/1.delta.json",
    "input",
];

fuzz_target!(|input: &[u8]| {
    let Some((choice, bytes)) = input.split_first() else {
        return;
    };
    let name = NAMES[usize::from(*choice) % NAMES.len()];
    let file = SourceFile {
        name: name.to_owned(),
        bytes: bytes.to_vec(),
    };
    let _ = parse(&[file], None, None);
});
