//! The `payments` fuzz target's body, shared by the target (`fuzz_targets/payments.rs`) and by
//! `crates/payments/tests/it/fuzz_replay.rs`, which replays every saved input on the stable
//! compiler: parse any bytes as payment messages, then run the screening rules on each.

use std::sync::OnceLock;

use interdict_payments::{JurisdictionTable, Limits, NaiveDate, Regime, Screener, parse};

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| Screener::new([], JurisdictionTable::builtin(Regime::Ofac)))
}

/// Parses `bytes` and screens every message found; must never panic.
pub(crate) fn run(bytes: &[u8]) {
    let limits = Limits {
        max_message_bytes: 64 * 1024,
        ..Limits::default()
    };
    // A day on which every built-in jurisdiction rule is in force, so that all of them run.
    let date = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default();
    for message in parse(bytes, &limits).into_iter().flatten() {
        let _ = screener().screen(&message, date);
    }
}
