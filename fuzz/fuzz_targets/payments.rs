//! Fuzzes the payment message parsers (ISO 20022 XML and SWIFT MT, single and batched) and
//! the rules run on what they return: any bytes must give messages or errors, never panic.

#![no_main]

use std::sync::OnceLock;

use interdict_payments::{JurisdictionTable, Limits, Regime, Screener, parse};
use libfuzzer_sys::fuzz_target;

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| Screener::new([], JurisdictionTable::builtin(Regime::Ofac)))
}

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits {
        max_message_bytes: 64 * 1024,
        ..Limits::default()
    };
    for message in parse(bytes, &limits).into_iter().flatten() {
        let _ = screener().screen(&message);
    }
});
