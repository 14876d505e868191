//! Parse throughput (messages per second) on the 120 development messages, and parsing plus
//! the identifier and jurisdiction rules against OFAC SDN 2024-03-14 and the UN list.
//!
//! `cargo bench -p interdict-payments --bench parse`; each iteration handles all 120
//! messages, so criterion's throughput line is in messages per second.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict_payments::{JurisdictionTable, Limits, Regime, Screener, parse};
use interdict_sources::{Format, SourceFile};

fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn messages() -> Vec<Vec<u8>> {
    let dir = shared("eval/payments_dev/messages");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn list(relative: &str, name: &str, format: Format) -> Vec<interdict_model::Entity> {
    let file = SourceFile {
        name: name.into(),
        bytes: read(&shared(relative)),
    };
    interdict_sources::parse(&[file], Some(format), None)
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .entities
}

fn bench(c: &mut Criterion) {
    let messages = messages();
    assert_eq!(messages.len(), 120);
    let limits = Limits::default();
    let mut entities = list(
        "lists/ofac-sdn-2024-03-14/sdn.csv",
        "sdn.csv",
        Format::OfacSdnCsv,
    );
    entities.extend(list(
        "lists/un-consolidated-2026-02-27.xml",
        "un.xml",
        Format::UnScXml,
    ));
    let screener = Screener::new(&entities, JurisdictionTable::builtin(Regime::Ofac));

    let today = chrono::Utc::now().date_naive();
    let mut group = c.benchmark_group("payments");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| parse(m, &limits).len())
                .sum::<usize>()
        })
    });
    group.bench_function("parse_and_screen", |b| {
        b.iter(|| {
            let mut hits = 0;
            for bytes in &messages {
                for message in parse(bytes, &limits).into_iter().flatten() {
                    hits += screener.screen(&message, today).len();
                }
            }
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
