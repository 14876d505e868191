//! Replays every saved input of the `payments` fuzz target through the target's own body
//! (`fuzz/payments_harness.rs`), so that `cargo test` runs each crash case ever found without
//! a nightly compiler: `fuzz/regressions/payments/` (committed) and, when present locally,
//! `fuzz/artifacts/payments/` (what `cargo fuzz` saved).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../../../fuzz/payments_harness.rs"]
mod payments_harness;

/// The files directly in `dir`, sorted; none when it does not exist.
fn inputs_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn every_saved_payments_fuzz_input_parses_or_fails_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let regressions = inputs_in(&fuzz.join("regressions/payments"));
    assert!(
        !regressions.is_empty(),
        "fuzz/regressions/payments/ has no input: every target keeps at least one"
    );
    let artifacts = inputs_in(&fuzz.join("artifacts/payments"));
    let panicked: Vec<String> = regressions
        .iter()
        .chain(&artifacts)
        .filter(|path| {
            let input = std::fs::read(path).expect("read a saved input");
            catch_unwind(AssertUnwindSafe(|| payments_harness::run(&input))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        panicked.is_empty(),
        "the payments target panicked on: {panicked:?}"
    );
}
