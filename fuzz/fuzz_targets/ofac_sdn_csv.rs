//! Fuzzes the OFAC SDN CSV parser on a whole file set: the input, split at `0x00` bytes, is
//! `sdn.csv`, then `alt.csv`, `add.csv` and `sdn_comments.csv`. It must parse or fail with an
//! error, never panic. The harness is shared with the replay test (`../harness.rs`).

#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| harness::run("ofac_sdn_csv", input));
