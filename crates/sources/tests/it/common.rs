//! Helpers shared by the parser tests.

use std::path::{Path, PathBuf};

use interdict_sources::SourceFile;

/// `../shared/data` beside the repository.
pub(crate) fn shared_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// This crate's fixtures directory.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Reads one file as a [`SourceFile`] named by its base name.
pub(crate) fn source_file(path: &Path) -> SourceFile {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    SourceFile { name, bytes }
}

/// Reads a shared data file, e.g. `lists/us-csl-sample.csv`.
pub(crate) fn shared_file(relative: &str) -> SourceFile {
    source_file(&shared_data().join(relative))
}

/// Reads a fixture, e.g. `eu-fsf.xml`.
pub(crate) fn fixture(relative: &str) -> SourceFile {
    source_file(&fixtures().join(relative))
}
