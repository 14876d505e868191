//! Tidy checks on the source tree: every Rust file opens with a `//!` header, and the
//! workspace crates depend on each other only in the directions ARCHITECTURE.md allows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "target" || n == "snapshots")
            {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_has_a_doc_header() {
    let mut files = Vec::new();
    rust_files(&crates_dir(), &mut files);
    assert!(files.len() > 10, "found the sources");
    let missing: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! header: {missing:#?}"
    );
}

/// The workspace crates each library may depend on (normal dependencies only).
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("model", &[][..]),
        ("sources", &["interdict-model"][..]),
        ("matching", &["interdict-model"][..]),
        ("store", &["interdict-model"][..]),
        ("monitor", &["interdict-model", "interdict-matching"][..]),
        ("notify", &["interdict-store"][..]),
        (
            "server",
            &[
                "interdict-model",
                "interdict-sources",
                "interdict-matching",
                "interdict-store",
            ][..],
        ),
    ])
}

#[test]
fn dependency_directions_hold() {
    for (krate, allowed) in allowed() {
        let manifest = crates_dir().join(krate).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("read manifest");
        let mut section = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_owned();
                continue;
            }
            if section != "[dependencies]" {
                continue;
            }
            if let Some(name) = line
                .split(['=', ' ', '.'])
                .next()
                .filter(|n| n.starts_with("interdict"))
            {
                assert!(
                    allowed.contains(&name),
                    "{krate} must not depend on {name} (see ARCHITECTURE.md)"
                );
            }
        }
    }
}
