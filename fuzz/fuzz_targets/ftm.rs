//! Fuzzes the FollowTheMoney parser with deltas: the input, split at `0x00` bytes, is
//! `entities.ftm.json` then delta files. It must parse or fail with an error, never panic. The
//! harness is shared with the replay test (`../harness.rs`).

#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| harness::run("ftm", input));
