//! Fuzzes the payment message parsers (ISO 20022 XML and SWIFT MT, single and batched) and
//! the rules run on what they return: any bytes must give messages or errors, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../payments_harness.rs"]
mod payments_harness;

fuzz_target!(|bytes: &[u8]| payments_harness::run(bytes));
