//! Replays every saved fuzz input through its target's harness (`fuzz/harness.rs`, the file
//! the fuzz targets include), so that `cargo test` runs each crash case ever found without a
//! nightly compiler: `fuzz/regressions/<target>/` (committed) and, when present locally,
//! `fuzz/artifacts/<target>/` (what `cargo fuzz` saved).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../../../fuzz/harness.rs"]
mod harness;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

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
fn every_saved_fuzz_input_parses_or_fails_without_panicking() {
    let mut panicked = Vec::new();
    for target in harness::TARGETS {
        let regressions = inputs_in(&fuzz_dir().join("regressions").join(target));
        assert!(
            !regressions.is_empty(),
            "fuzz/regressions/{target}/ has no input: every target keeps at least one"
        );
        let artifacts = inputs_in(&fuzz_dir().join("artifacts").join(target));
        for path in regressions.iter().chain(&artifacts) {
            let input = std::fs::read(path).expect("read a saved input");
            assert!(
                harness::case(target, &input).is_some() || input.is_empty(),
                "{target}: unknown target"
            );
            if catch_unwind(AssertUnwindSafe(|| harness::run(target, &input))).is_err() {
                panicked.push(path.display().to_string());
            }
        }
    }
    assert!(panicked.is_empty(), "parsers panicked on: {panicked:?}");
}

#[test]
fn the_regressions_are_refused_as_the_damaged_files_they_are() {
    // Each committed input but the whole OFAC head is cut or holds a NUL: none may parse clean.
    for target in harness::TARGETS {
        for path in inputs_in(&fuzz_dir().join("regressions").join(target)) {
            if path.ends_with("head-of-2024-with-trailer") {
                continue;
            }
            let input = std::fs::read(&path).expect("read");
            let (files, format) = harness::case(target, &input).expect("a case");
            if let Ok(parsed) = interdict_sources::parse(&files, format, None) {
                assert!(
                    !parsed.issues.is_empty(),
                    "{} parsed clean: {} entities",
                    path.display(),
                    parsed.entities.len()
                );
            }
        }
    }
}
