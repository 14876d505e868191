//! Fuzzes format detection and the parser it picks: the first input byte picks the file name that
//! steers detection, the rest is the file. It must parse or fail with an error, never panic. The
//! harness is shared with the replay test (`../harness.rs`).

#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| harness::run("detect", input));
