//! Reading and parsing a list path as an import would, for `lists diff` on files.

use std::path::Path;

use anyhow::Result;
use interdict_app::lists::{ImportOptions, ParsedImport, read_path};

use crate::args::SourceArgs;

/// Reads and parses one list path as an import would (a list, ownership data or both): any
/// per-record issue, or nothing at all, makes this fail, so that an analyst never works with
/// a silently shortened list.
pub(crate) fn parse_path(path: &Path, source: &SourceArgs) -> Result<ParsedImport> {
    let files = read_path(path)?;
    let mut options = ImportOptions::new(crate::audit::cli_actor());
    options.format = source.format()?;
    options.list = source.list.clone();
    Ok(interdict_app::lists::parse_import(
        &files,
        &path.display().to_string(),
        &options,
    )?)
}
