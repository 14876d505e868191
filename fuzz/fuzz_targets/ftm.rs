//! Fuzzes the FollowTheMoney parser with deltas: the input, split at `0x00` bytes, is
//! `entities.ftm.json` then delta files. It must parse or fail with an error, never panic.

#![no_main]

use interdict_sources::{Format, SourceFile, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let files: Vec<SourceFile> = input
        .splitn(4, |b| *b == 0)
        .enumerate()
        .map(|(i, bytes)| SourceFile {
            name: if i == 0 {
                "entities.ftm.json".to_owned()
            } else {
                format!("deltas/{i}.delta.json")
            },
            bytes: bytes.to_vec(),
        })
        .collect();
    let _ = parse(&files, Some(Format::Ftm), None);
});
