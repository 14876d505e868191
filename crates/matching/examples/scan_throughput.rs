//! Throughput of free-text scanning against OFAC 2024-03-14 + UN on the news-style articles
//! of the criterion bench (`benches/scan.rs`), in wall time and in CPU time, so that a
//! figure taken on a shared machine can be told from one taken on idle cores. Run with
//! `cargo run --release -p interdict-matching --example scan_throughput [MEGABYTES]`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use interdict_matching::{Index, ScanOptions, Scanner};
use interdict_model::Entity;
use interdict_sources::{SourceFile, parse};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn load(relative: &str) -> Vec<Arc<Entity>> {
    let path = data_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(
        &[SourceFile {
            name: relative.rsplit('/').next().unwrap_or("list").to_owned(),
            bytes,
        }],
        None,
        None,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    .entities
    .into_iter()
    .map(Arc::new)
    .collect()
}

/// CPU seconds (user + system) this process has used, from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

const TEMPLATES: &[&str] = &[
    "Speaking to reporters on Tuesday, {} said the new budget would be published next month.",
    "The council's finance committee, chaired by {}, approved the harbour upgrade after a long debate.",
    "{} told the hearing that shipments through the port had doubled since last spring.",
    "According to {}, a spokesperson for the regional airline, flights will resume on Friday.",
    "Local business owner {} welcomed the decision but warned that rents were still rising.",
    "In a statement, {} of the chamber of commerce urged exporters to check their contracts.",
];

fn main() {
    let megabytes: usize = std::env::args()
        .nth(1)
        .and_then(|m| m.parse().ok())
        .unwrap_or(4);
    let mut entities = load("lists/ofac-sdn-2024-03-14/sdn.csv");
    entities.extend(load("lists/un-consolidated-2026-02-27.xml"));
    let scanner = Scanner::new(Arc::new(Index::build(entities)));
    let paragraphs: Vec<String> =
        std::fs::read_to_string(data_dir().join("eval/freetext_dev/paragraphs.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_owned))
            .collect();
    let people: Vec<String> = csv::Reader::from_path(data_dir().join("eval/customers_us_50k.csv"))
        .map(|mut r| {
            r.records()
                .filter_map(Result::ok)
                .filter_map(|r| r.get(0).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    // The same articles as the criterion bench, continued with later people.
    let mut articles: Vec<String> = Vec::new();
    let mut total = 0;
    let (mut paragraph, mut person) = (0usize, 0usize);
    while total < megabytes * 1_000_000 && !paragraphs.is_empty() && !people.is_empty() {
        let mut article = String::new();
        while article.len() < 5000 {
            article.push_str(&paragraphs[paragraph % paragraphs.len()]);
            article.push_str("\n\n");
            for template in TEMPLATES.iter().skip(paragraph % 3).take(3) {
                article.push_str(&template.replace("{}", &people[person % people.len()]));
                article.push(' ');
                person += 7;
            }
            article.push_str("\n\n");
            paragraph += 11;
        }
        total += article.len();
        articles.push(article);
    }
    let options = ScanOptions::default();
    for round in 1..=2 {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let results = scanner.scan_batch(&articles, &options);
        let wall = wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        let mentions: usize = results.iter().map(Vec::len).sum();
        let mb = total as f64 / 1e6;
        println!(
            "round {round}: {} articles, {mb:.1} MB, {mentions} mentions: {:.2} s wall = {:.1} MB/s on {} threads; {:.2} CPU s = {:.1} MB per CPU second",
            articles.len(),
            wall,
            mb / wall,
            rayon::current_num_threads(),
            cpu,
            mb / cpu.max(1e-9)
        );
    }
}
