//! Criterion benchmarks: pair scoring (prepared and from raw text), single-query screening
//! and index build against OFAC SDN 2024-03-14 + the UN list, and batch screening of
//! synthetic customers.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, black_box, criterion_group, criterion_main};
use interdict_matching::{Index, PreparedName, Query, ScreenOptions, score_pair};
use interdict_model::{DateOfBirth, Entity, Schema, country_code};
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

fn customers(count: usize) -> Vec<Query> {
    let mut reader =
        csv::Reader::from_path(data_dir().join("eval/customers_us_50k.csv")).expect("customers");
    reader
        .records()
        .filter_map(Result::ok)
        .take(count)
        .map(|record| {
            let mut query = Query::name(record.get(0).unwrap_or(""));
            query.schema = Some(Schema::Person);
            query.dob = DateOfBirth::parse(record.get(5).unwrap_or(""));
            query.countries = country_code(record.get(7).unwrap_or(""))
                .into_iter()
                .collect();
            query
        })
        .collect()
}

fn pair_scoring(c: &mut Criterion) {
    let pairs = [
        (
            "SHOIGU, Sergei Kuzhugetovich",
            "Sergey Shoygu",
            Schema::Person,
        ),
        (
            "Abdul Aziz Nooristani",
            "'Abd al-Aziz al-Nuristani",
            Schema::Person,
        ),
        (
            "TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY",
            "JSC Tactical Missiles Corp.",
            Schema::Organization,
        ),
    ];
    let prepared: Vec<(PreparedName, PreparedName)> = pairs
        .iter()
        .map(|(a, b, schema)| {
            (
                PreparedName::new(a, Some(*schema)),
                PreparedName::new(b, Some(*schema)),
            )
        })
        .collect();
    c.bench_function("pair/prepared (3 pairs)", |b| {
        b.iter(|| {
            for (query, listed) in &prepared {
                black_box(query.score(listed));
            }
        });
    });
    c.bench_function("pair/score_pair with explanation (3 pairs)", |b| {
        b.iter(|| {
            for (a, c, schema) in &pairs {
                black_box(score_pair(a, c, Some(*schema)));
            }
        });
    });
}

fn screening(c: &mut Criterion) {
    let entities = lists();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.bench_function("build OFAC 2024 + UN", |b| {
        b.iter_batched(
            || entities.clone(),
            |entities| black_box(Index::build(entities)),
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let index = Index::build(entities);
    let options = ScreenOptions::default();
    let queries = customers(2000);
    let mut group = c.benchmark_group("screen");
    let mut next = queries.iter().cycle();
    group.bench_function("single query (customers, cycling)", |b| {
        b.iter(|| {
            let query = next.next().expect("queries");
            black_box(index.screen(query, &options))
        });
    });
    // What the HTTP service is asked with `schema: any`: every profile's reading (with no
    // schema at all, the date of birth makes these people).
    let unscoped: Vec<Query> = queries
        .iter()
        .map(|query| Query {
            schema: None,
            any_schema: true,
            ..query.clone()
        })
        .collect();
    let mut next = unscoped.iter().cycle();
    group.bench_function("single query (customers, any schema, cycling)", |b| {
        b.iter(|| {
            let query = next.next().expect("queries");
            black_box(index.screen(query, &options))
        });
    });
    let mut listed = Query::name("PUTIN, Vladimir Vladimirovich");
    listed.schema = Some(Schema::Person);
    group.bench_function("single query (listed person)", |b| {
        b.iter(|| black_box(index.screen(&listed, &options)))
    });
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.sample_size(10);
    group.bench_function("batch of 2000 customers", |b| {
        b.iter(|| black_box(index.screen_batch(&queries, &options)))
    });
    group.finish();
}

criterion_group!(benches, pair_scoring, screening);
criterion_main!(benches);
