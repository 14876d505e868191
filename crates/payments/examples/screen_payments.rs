//! Screens payment message files with the rules of this crate only (BIC, IMO, wallet,
//! identifiers, OFAC jurisdictions) and prints one JSON line per message, in the shape the
//! app layer's result takes once it adds the name and free-text hits:
//! `{"message", "format", "decision", "hits"}`, or `{"message", "error"}`.
//!
//! `cargo run --release -p interdict-payments --example screen_payments -- \
//!     ../shared/data/lists/ofac-sdn-2024-03-14/sdn.csv ../shared/data/eval/payments_dev/messages`

use std::path::{Path, PathBuf};

use interdict_payments::{JurisdictionTable, Limits, Regime, Screener, parse};
use interdict_sources::{Format, SourceFile};
use serde_json::json;

fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        found.sort();
        found
    } else {
        vec![path.to_owned()]
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let list = args
        .next()
        .ok_or("usage: screen_payments SDN_CSV MESSAGE_FILE_OR_DIR...")?;
    let file = SourceFile {
        name: "sdn.csv".into(),
        bytes: std::fs::read(&list)?,
    };
    let entities = interdict_sources::parse(&[file], Some(Format::OfacSdnCsv), None)?.entities;
    let screener = Screener::new(&entities, JurisdictionTable::builtin(Regime::Ofac));
    let limits = Limits::default();
    let today = chrono::Utc::now().date_naive();
    for argument in args {
        for path in files(Path::new(&argument)) {
            let bytes = std::fs::read(&path)?;
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let results = parse(&bytes, &limits);
            let several = results.len() > 1;
            for (index, result) in results.into_iter().enumerate() {
                let message_name = if several {
                    format!("{name}#{}", index + 1)
                } else {
                    name.clone()
                };
                let line = match result {
                    Ok(message) => {
                        let hits = screener.screen(&message, today);
                        json!({
                            "message": message_name,
                            "format": message.format.to_string(),
                            "decision": if hits.is_empty() { "clear" } else { "hit" },
                            "hits": hits,
                        })
                    }
                    Err(error) => json!({
                        "message": message_name,
                        "error": {
                            "code": error.code(),
                            "line": error.line(),
                            "element": error.element(),
                            "reason": error.to_string(),
                        },
                    }),
                };
                println!("{line}");
            }
        }
    }
    Ok(())
}
