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

/// The workspace crates each crate may depend on (normal dependencies only), as
/// ARCHITECTURE.md states: the libraries know only `model` (and `monitor` also
/// `matching`); `app` wires the libraries into use cases; the front-ends call `app`.
fn allowed_workspace_dependencies() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("model", &[][..]),
        ("sources", &["interdict-model"][..]),
        ("matching", &["interdict-model"][..]),
        ("payments", &["interdict-model"][..]),
        ("ownership", &["interdict-model"][..]),
        ("store", &["interdict-model"][..]),
        ("monitor", &["interdict-model", "interdict-matching"][..]),
        ("notify", &["interdict-store"][..]),
        (
            "app",
            &[
                "interdict-model",
                "interdict-sources",
                "interdict-matching",
                "interdict-payments",
                "interdict-ownership",
                "interdict-store",
                "interdict-monitor",
            ][..],
        ),
        // The front-ends name the libraries' types (a store, a key's role, a match) but
        // call `app` for every use case.
        (
            "server",
            &[
                "interdict-app",
                "interdict-model",
                "interdict-sources",
                "interdict-matching",
                "interdict-store",
            ][..],
        ),
        (
            "cli",
            &[
                "interdict-app",
                "interdict-server",
                "interdict-notify",
                "interdict-model",
                "interdict-sources",
                "interdict-matching",
                "interdict-store",
            ][..],
        ),
        (
            "bench",
            &[
                "interdict-app",
                "interdict-model",
                "interdict-matching",
                "interdict-store",
            ][..],
        ),
    ])
}

/// External crates that belong to one layer only: HTTP serving to `server`, the command
/// line to the binaries, SQL to `store`, HTTP clients to webhook delivery and the load
/// generator, API schemas to the contracts and the service.
fn confined_external_crates() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("axum", &["server"][..]),
        ("tower", &["server"][..]),
        ("tower-http", &["server"][..]),
        ("utoipa-swagger-ui", &["server"][..]),
        ("metrics", &["server"][..]),
        ("metrics-exporter-prometheus", &["server"][..]),
        ("utoipa", &["app", "server"][..]),
        ("clap", &["cli", "bench"][..]),
        ("indicatif", &["cli"][..]),
        ("tracing-subscriber", &["cli"][..]),
        ("mimalloc", &["cli", "bench"][..]),
        ("sqlx", &["store"][..]),
        ("reqwest", &["notify", "bench"][..]),
        ("hyper", &["server", "bench"][..]),
        ("hyper-util", &["server", "bench"][..]),
        ("http-body-util", &["bench"][..]),
    ])
}

/// Every crate directory of the workspace with its normal dependencies, read with a TOML
/// parser.
fn workspace_crates() -> Vec<(String, Vec<String>)> {
    let mut crates = Vec::new();
    let entries = std::fs::read_dir(crates_dir()).expect("read crates/");
    for entry in entries.flatten() {
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let parsed: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
        let dependencies = parsed
            .get("dependencies")
            .and_then(toml::Value::as_table)
            .map(|deps| deps.keys().cloned().collect())
            .unwrap_or_default();
        crates.push((
            entry.file_name().to_string_lossy().into_owned(),
            dependencies,
        ));
    }
    crates.sort();
    crates
}

#[test]
fn dependency_directions_hold() {
    let allowed = allowed_workspace_dependencies();
    let confined = confined_external_crates();
    let crates = workspace_crates();
    assert!(crates.len() >= 10, "found the workspace crates: {crates:?}");
    for (krate, dependencies) in &crates {
        let Some(allowed) = allowed.get(krate.as_str()) else {
            panic!(
                "crate {krate} has no place in the architecture: add it to this test and ARCHITECTURE.md"
            );
        };
        for dependency in dependencies {
            if dependency.starts_with("interdict") {
                assert!(
                    allowed.contains(&dependency.as_str()),
                    "{krate} must not depend on {dependency} (see ARCHITECTURE.md)"
                );
            }
            if let Some(owners) = confined.get(dependency.as_str()) {
                assert!(
                    owners.contains(&krate.as_str()),
                    "{krate} must not use {dependency}: it belongs to {owners:?} (see ARCHITECTURE.md)"
                );
            }
        }
    }
}
