//! Fuzzes the FCDO UK Sanctions List CSV parser: any bytes, as `UK-Sanctions-List.csv`. It must
//! parse or fail with an error, never panic. The harness is shared with the replay test
//! (`../harness.rs`).

#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| harness::run("uk_sanctions_list_csv", input));
