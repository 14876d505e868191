//! Free-text scanning on the dev set `eval/freetext_dev` against OFAC 2024-03-14 + UN:
//! recall per variant, clean texts with a mention and trap hits, over all texts and over
//! each half of the split by id parity (tune on one, report the other). Run with
//! `cargo run --release -p interdict-matching --example scan_eval [SHARED_DATA_DIR]`.

mod support;
use support::load;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use interdict_matching::{
    EvaluatedDocument, Index, Label, ScanOptions, Scanner, Trap, evaluate_scan, split_half,
};

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .filter_map(Result::ok)
        .collect()
}

fn main() {
    let data: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let mut entities = load(&data.join("lists/ofac-sdn-2024-03-14/sdn.csv"));
    entities.extend(load(&data.join("lists/un-consolidated-2026-02-27.xml")));
    let started = Instant::now();
    let scanner = Scanner::new(Arc::new(Index::build(entities)));
    println!(
        "index and scanner built in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let dir = data.join("eval/freetext_dev");
    let paragraphs = std::fs::read_to_string(dir.join("paragraphs.jsonl"))
        .unwrap_or_else(|e| panic!("paragraphs.jsonl: {e}"));
    let documents: Vec<(String, String)> = paragraphs
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let field = |name: &str| {
                v.get(name)
                    .and_then(|f| f.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            (field("id"), field("text"))
        })
        .collect();
    let labels: Vec<Label> = csv_rows(&dir.join("labels.csv"))
        .iter()
        .map(|r| Label {
            document: r.get(0).unwrap_or("").to_owned(),
            mention_text: r.get(1).unwrap_or("").to_owned(),
            source_id: r.get(2).unwrap_or("").to_owned(),
            variant: r.get(5).unwrap_or("").to_owned(),
        })
        .collect();
    let traps: Vec<Trap> = csv_rows(&dir.join("traps.csv"))
        .iter()
        .map(|r| Trap {
            document: r.get(0).unwrap_or("").to_owned(),
            text: r.get(1).unwrap_or("").to_owned(),
            kind: r.get(2).unwrap_or("").to_owned(),
        })
        .collect();

    let options = ScanOptions::default();
    let texts: Vec<&str> = documents.iter().map(|(_, t)| t.as_str()).collect();
    let started = Instant::now();
    let results = scanner.scan_batch(&texts, &options);
    let elapsed = started.elapsed().as_secs_f64();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    println!(
        "{} texts, {bytes} bytes scanned in {:.1} ms",
        texts.len(),
        elapsed * 1e3
    );
    let scanned: Vec<EvaluatedDocument> = documents
        .into_iter()
        .zip(results)
        .map(|((id, text), mentions)| EvaluatedDocument { id, text, mentions })
        .collect();
    for (title, half) in [
        ("all texts", None),
        ("half 0 (even ids)", Some(0)),
        ("half 1 (odd ids)", Some(1)),
    ] {
        let keep = |document: &str| half.is_none_or(|h| split_half(document) == h);
        let documents: Vec<EvaluatedDocument> =
            scanned.iter().filter(|d| keep(&d.id)).cloned().collect();
        let labels: Vec<Label> = labels
            .iter()
            .filter(|l| keep(&l.document))
            .cloned()
            .collect();
        let traps: Vec<Trap> = traps
            .iter()
            .filter(|t| keep(&t.document))
            .cloned()
            .collect();
        println!("== {title}");
        print!("{}", evaluate_scan(&documents, &labels, &traps, "ofac-sdn"));
    }

    // Unlisted people (no name equal to a listed name or alias) quoted in news prose: any
    // mention is a false one.
    let people: Vec<String> = csv_rows(&data.join("eval/customers_multiscript_dev.csv"))
        .iter()
        .filter_map(|r| r.get(0).map(str::to_owned))
        .collect();
    let sentences: Vec<String> = people
        .iter()
        .enumerate()
        .map(|(i, name)| match i % 3 {
            0 => format!("Speaking on Tuesday, {name} said the port would reopen next week."),
            1 => format!("The contract was signed by {name}, the company's director, in March."),
            _ => format!("According to {name}, prices rose again."),
        })
        .collect();
    let started = Instant::now();
    let results = scanner.scan_batch(&sentences, &options);
    let elapsed = started.elapsed().as_secs_f64();
    let alerted: Vec<(&String, &Vec<_>)> = sentences
        .iter()
        .zip(&results)
        .filter(|(_, mentions)| !mentions.is_empty())
        .collect();
    println!(
        "== unlisted people in prose: {}/{} sentences with a mention = {:.2}% ({:.0} sentences/s)",
        alerted.len(),
        sentences.len(),
        100.0 * alerted.len() as f64 / sentences.len().max(1) as f64,
        sentences.len() as f64 / elapsed
    );
    for (sentence, mentions) in alerted.iter().take(12) {
        if let Some(mention) = mentions.first() {
            println!(
                "  {sentence:?}: {:?} -> {} {:?} {:.3}",
                mention.text, mention.entity_id, mention.listed_name, mention.score
            );
        }
    }
}
