//! Reading list files from disk into parser input, and parsing them.

use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_sources::{Format, Parsed, SourceFile};

use crate::args::SourceArgs;

/// How many per-record issues an error message shows before summarising the rest.
const ISSUES_SHOWN: usize = 20;

/// Reads `path`: a file becomes one [`SourceFile`]; a directory becomes all its regular files
/// (recursively, hidden ones skipped), named relative to it, in name order.
pub(crate) fn read_path(path: &Path) -> Result<Vec<SourceFile>> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if metadata.is_file() {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        return Ok(vec![SourceFile { name, bytes }]);
    }
    let mut files = Vec::new();
    collect_dir(path, path, &mut files)?;
    if files.is_empty() {
        bail!("{}: the directory holds no files", path.display());
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn collect_dir(root: &Path, dir: &Path, files: &mut Vec<SourceFile>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_dir(root, &path, files)?;
        } else if kind.is_file() {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push(SourceFile { name, bytes });
        }
    }
    Ok(())
}

/// Reads and parses one list path. Any per-record issue makes this fail: a list with a broken
/// record is never imported, so that an analyst never screens against a silently shortened
/// list.
pub(crate) fn parse_path(path: &Path, source: &SourceArgs) -> Result<Parsed> {
    let files = read_path(path)?;
    let format = source
        .format
        .as_deref()
        .map(str::parse::<Format>)
        .transpose()?;
    let parsed = interdict_sources::parse(&files, format, source.list.as_deref())
        .with_context(|| format!("cannot parse {}", path.display()))?;
    if !parsed.issues.is_empty() {
        let mut message = format!(
            "{}: {} record(s) could not be read; nothing was imported:",
            path.display(),
            parsed.issues.len()
        );
        for issue in parsed.issues.iter().take(ISSUES_SHOWN) {
            message.push_str(&format!("\n  {issue}"));
        }
        if parsed.issues.len() > ISSUES_SHOWN {
            message.push_str(&format!(
                "\n  ... and {} more",
                parsed.issues.len() - ISSUES_SHOWN
            ));
        }
        bail!(message);
    }
    if parsed.entities.is_empty() {
        bail!(
            "{}: no entities found in this {} list; nothing was imported",
            path.display(),
            parsed.format
        );
    }
    Ok(parsed)
}
