//! Release-mode evaluation on the shared data: index build time, batch throughput and
//! single-query latency, false-alert rate on 50,000 synthetic customers against OFAC
//! 2024-03-14 + UN, and memory. Run with
//! `cargo run --release -p interdict-matching --example evaluate [SHARED_DATA_DIR]`.

mod support;
use support::load;

use std::path::{Path, PathBuf};
use std::time::Instant;

use interdict_matching::{Index, Query, ScreenOptions};
use interdict_model::{DateOfBirth, Schema, country_code};

fn queries(path: &Path) -> Vec<Query> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .filter_map(Result::ok)
        .map(|record| {
            let field = |i: usize| record.get(i).unwrap_or("");
            let mut query = Query::name(field(0));
            query.schema = Some(Schema::Person);
            query.dob = DateOfBirth::parse(field(5));
            query.countries = country_code(field(7)).into_iter().collect();
            query.gender = field(4).parse().ok();
            query
        })
        .collect()
}

fn resident_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let data: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let mut entities = load(&data.join("lists/ofac-sdn-2024-03-14/sdn.csv"));
    entities.extend(load(&data.join("lists/un-consolidated-2026-02-27.xml")));
    println!("entities: {}", entities.len());

    let started = Instant::now();
    let index = Index::build(entities);
    println!(
        "index build: {:.3} s, {} names",
        started.elapsed().as_secs_f64(),
        index.name_count()
    );
    if let Some(rss) = resident_memory_mib() {
        println!("resident memory after build: {rss:.0} MiB");
    }

    let customers = queries(&data.join("eval/customers_us_50k.csv"));
    let options = ScreenOptions::default();
    let started = Instant::now();
    let results = index.screen_batch(&customers, &options);
    let elapsed = started.elapsed().as_secs_f64();
    let alerted = results.iter().filter(|r| !r.is_empty()).count();
    println!(
        "customers: {} screened in {elapsed:.2} s = {:.0} names/s ({} threads); {alerted} with a match = {:.3}%",
        customers.len(),
        customers.len() as f64 / elapsed,
        rayon::current_num_threads(),
        100.0 * alerted as f64 / customers.len().max(1) as f64
    );
    for (query, matches) in customers
        .iter()
        .zip(&results)
        .filter(|(_, m)| !m.is_empty())
        .take(15)
    {
        if let Some(best) = matches.first() {
            println!(
                "  alert {:.3}: {} -> {} ({})",
                best.score, query.name, best.matched_name, best.entity.id
            );
        }
    }

    let mut latencies: Vec<f64> = customers
        .iter()
        .take(5000)
        .map(|query| {
            let started = Instant::now();
            let _ = index.screen(query, &options);
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "single query latency: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        percentile(0.5),
        percentile(0.99),
        percentile(1.0)
    );
    if let Some(rss) = resident_memory_mib() {
        println!("resident memory at end: {rss:.0} MiB");
    }
}
