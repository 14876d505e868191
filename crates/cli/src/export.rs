//! `interdict lists export LIST [--version V] --format ftm [--output FILE]`: a list version
//! written out through `app::yente::export`, one entity per line.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use interdict_app::yente::ExportFormat;
use interdict_store::Store;

use crate::output::outln;

/// Exports `list` (its active version, or `version`) in `format` to `output` or stdout.
pub(crate) async fn run(
    store: &Store,
    list: &str,
    version: Option<&str>,
    format: &str,
    output: Option<&Path>,
) -> Result<()> {
    let format: ExportFormat = format.parse()?;
    let export = interdict_app::yente::export(store, list, version, format).await?;
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            for line in &export.lines {
                writeln!(writer, "{line}")?;
            }
            writer
                .flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{} entities of {}@{} written to {}",
                export.lines.len(),
                export.version.list,
                export.version.version,
                path.display()
            );
        }
        None => {
            for line in &export.lines {
                outln!("{line}")?;
            }
        }
    }
    Ok(())
}
