//! What the matching examples share: reading a list file into indexable entities.

use std::path::Path;
use std::sync::Arc;

use interdict_model::Entity;
use interdict_sources::{SourceFile, parse};

/// The entities of the list file at `path`, its format detected from content; panics with
/// the file's name on any error (an example, not a product path).
pub(crate) fn load(path: &Path) -> Vec<Arc<Entity>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("list")
        .to_owned();
    parse(&[SourceFile { name, bytes }], None, None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .entities
        .into_iter()
        .map(Arc::new)
        .collect()
}
