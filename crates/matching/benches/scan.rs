//! Criterion benchmarks of free-text scanning against OFAC SDN 2024-03-14 + the UN list:
//! throughput (bytes per second) of a batch of news-style articles scanned in parallel, the
//! latency of one 5 KB article, and building the scanner.
//!
//! The articles are made deterministically from the dev texts of `eval/freetext_dev`
//! (news, memos, filings; half of them name a listed party, more than real news does) mixed
//! with sentences quoting unlisted people from `eval/customers_us_50k.csv`, so that
//! capitalised words vary as in real text.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use interdict_matching::{Index, ScanOptions, Scanner};
use interdict_model::Entity;
use interdict_sources::{SourceFile, parse};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn load(relative: &str) -> Vec<Arc<Entity>> {
    let path = data_dir().join(relative);
    let bytes = std::fs::read(&path).expect("list file");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("list")
        .to_owned();
    parse(&[SourceFile { name, bytes }], None, None)
        .expect("list parses")
        .entities
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn lists() -> Vec<Arc<Entity>> {
    let mut entities = load("lists/ofac-sdn-2024-03-14/sdn.csv");
    entities.extend(load("lists/un-consolidated-2026-02-27.xml"));
    entities
}

/// Sentences of news prose around unlisted people's names.
const TEMPLATES: &[&str] = &[
    "Speaking to reporters on Tuesday, {} said the new budget would be published next month.",
    "The council's finance committee, chaired by {}, approved the harbour upgrade after a long debate.",
    "{} told the hearing that shipments through the port had doubled since last spring.",
    "According to {}, a spokesperson for the regional airline, flights will resume on Friday.",
    "Local business owner {} welcomed the decision but warned that rents were still rising.",
    "In a statement, {} of the chamber of commerce urged exporters to check their contracts.",
];

/// About `bytes` of articles of about 5 KB each.
fn articles(bytes: usize) -> Vec<String> {
    let paragraphs: Vec<String> =
        std::fs::read_to_string(data_dir().join("eval/freetext_dev/paragraphs.jsonl"))
            .expect("paragraphs")
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|v| v["text"].as_str().map(str::to_owned))
            .collect();
    let people: Vec<String> = csv::Reader::from_path(data_dir().join("eval/customers_us_50k.csv"))
        .expect("customers")
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(0).map(str::to_owned))
        .collect();
    let mut out = Vec::new();
    let mut total = 0;
    let (mut paragraph, mut person) = (0usize, 0usize);
    while total < bytes {
        let mut article = String::with_capacity(5200);
        while article.len() < 5000 {
            if let Some(text) = paragraphs.get(paragraph % paragraphs.len()) {
                article.push_str(text);
                article.push_str("\n\n");
            }
            for template in TEMPLATES.iter().skip(paragraph % 3).take(3) {
                if let Some(name) = people.get(person % people.len()) {
                    article.push_str(&template.replace("{}", name));
                    article.push(' ');
                }
                person += 7;
            }
            article.push_str("\n\n");
            paragraph += 11;
        }
        total += article.len();
        out.push(article);
    }
    out
}

fn bench_scan(c: &mut Criterion) {
    let entities = lists();
    let scanner = Scanner::new(Arc::new(Index::build(entities.clone())));
    let options = ScanOptions::default();

    let batch = articles(2_000_000);
    let bytes: usize = batch.iter().map(String::len).sum();
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("news_batch_2mb", |b| {
        b.iter(|| black_box(scanner.scan_batch(&batch, &options)))
    });
    group.finish();

    let article = batch.first().cloned().unwrap_or_default();
    let mut group = c.benchmark_group("scan_article");
    group.throughput(Throughput::Bytes(article.len() as u64));
    group.bench_function("one_5kb_article", |b| {
        b.iter(|| black_box(scanner.scan(&article, &options)))
    });
    group.finish();

    let index = Arc::new(Index::build(entities));
    let mut group = c.benchmark_group("scan_build");
    group.sample_size(10);
    group.bench_function("scanner_new", |b| {
        b.iter(|| black_box(Scanner::new(Arc::clone(&index))))
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
