//! Scans the text on standard input against OFAC 2024-03-14 + UN and prints each mention as
//! a JSON line. Run with
//! `echo "Sergei Shoigu met ..." | cargo run --release -p interdict-matching --example scan_text [THRESHOLD]`.

mod support;
use support::load;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use interdict_matching::{Index, ScanOptions, Scanner};

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let mut entities = load(&data.join("lists/ofac-sdn-2024-03-14/sdn.csv"));
    entities.extend(load(&data.join("lists/un-consolidated-2026-02-27.xml")));
    let scanner = Scanner::new(Arc::new(Index::build(entities)));
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("stdin: {e}"));
    let options = ScanOptions {
        threshold: std::env::args()
            .nth(1)
            .and_then(|t| t.parse().ok())
            .unwrap_or(ScanOptions::default().threshold),
        ..ScanOptions::default()
    };
    for mention in scanner.scan(&text, &options) {
        println!(
            "{}",
            serde_json::to_string(&mention).unwrap_or_else(|e| format!("{e}"))
        );
    }
}
