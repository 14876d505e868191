//! `interdict-bench`: the engine's figures the README reports, measured on the shared data.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use interdict_matching::{Index, PreparedName, Query, ScreenOptions, score_pair};
use interdict_model::{DateOfBirth, Entity, Schema, country_code};
use interdict_store::Store;
use rayon::prelude::*;

use interdict_app::lists::{ImportOptions, parse, read_path};

/// Where the figures come from.
pub(crate) struct BenchPlan {
    /// `../shared/data` or wherever the data lives.
    pub(crate) data: PathBuf,
    /// How many customers to screen in bulk (the file has 50,000).
    pub(crate) customers: usize,
}

fn line(what: &str, value: String) {
    println!("{what:<48} {value}");
}

fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

/// A customer row of `customers_us_50k.csv` as a query.
fn customer_queries(path: &Path, limit: usize) -> Result<Vec<Query>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (name, dob, nationality) = (col("full_name"), col("date_of_birth"), col("nationality"));
    let mut queries = Vec::new();
    for record in reader.records().take(limit) {
        let record = record?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or_default();
        // The file holds individuals, and a bank screens them as people.
        let mut query = Query::name(get(name));
        query.schema = Some(Schema::Person);
        query.dob = DateOfBirth::parse(get(dob));
        query.countries = country_code(get(nationality)).into_iter().collect();
        queries.push(query);
    }
    Ok(queries)
}

pub(crate) async fn run(plan: &BenchPlan) -> Result<()> {
    let lists = plan.data.join("lists");
    let ofac = lists.join("ofac-sdn-2024-03-14/sdn.csv");
    let un = lists.join("un-consolidated-2026-02-27.xml");
    let csl = lists.join("us-csl-sample.csv");
    println!(
        "interdict bench on {} ({} cores)",
        plan.data.display(),
        rayon::current_num_threads()
    );

    // Import: parse + store, into a fresh embedded store.
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("bench.db");
    let started = Instant::now();
    let store = Store::open(&db.to_string_lossy()).await?;
    let mut screening_entities: Vec<Entity> = Vec::new();
    let options = ImportOptions::new("bench");
    for path in [&ofac, &un, &csl] {
        let label = path.display().to_string();
        let parsed = parse(&read_path(path)?, &label, &options)?;
        interdict_app::lists::import_parsed(&store, parsed.clone(), &label, &options).await?;
        if path != &csl {
            screening_entities.extend(parsed.entities);
        }
    }
    line(
        "import OFAC 2024-03-14 + UN + CSL (fresh SQLite)",
        format!("{:.2} s", started.elapsed().as_secs_f64()),
    );
    let started = Instant::now();
    let (_, loaded) = store.active_entities().await?;
    line(
        "load all active entities from the store",
        format!(
            "{:.2} s ({} entities)",
            started.elapsed().as_secs_f64(),
            loaded.len()
        ),
    );
    drop(loaded);
    store.close().await;

    // Kept for the payments figures, which build their own index and rules.
    let payment_entities = screening_entities.clone();

    // Index build over OFAC 2024 + UN.
    let rss_before = rss_mb();
    let entities: Vec<Arc<Entity>> = screening_entities.into_iter().map(Arc::new).collect();
    let count = entities.len();
    let started = Instant::now();
    let index = Index::build(entities);
    line(
        "index build, OFAC 2024 + UN",
        format!(
            "{:.3} s ({count} entities)",
            started.elapsed().as_secs_f64()
        ),
    );
    if let (Some(before), Some(after)) = (rss_before, rss_mb()) {
        line(
            "process RSS with both lists indexed",
            format!("{after:.0} MB (index: {:.0} MB)", after - before),
        );
    }

    // Pair scoring.
    let pairs_path = plan.data.join("eval/name_pairs.dev.csv");
    let mut reader = csv::Reader::from_path(&pairs_path)
        .with_context(|| format!("cannot read {}", pairs_path.display()))?;
    let pairs: Vec<(String, String)> = reader
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| Some((r.get(2)?.to_owned(), r.get(3)?.to_owned())))
        .collect();
    let rounds = 50;
    let started = Instant::now();
    let mut sink = 0.0;
    for _ in 0..rounds {
        for (a, b) in &pairs {
            sink += score_pair(a, b, None).0;
        }
    }
    let per_pair = started.elapsed().as_secs_f64() / (rounds * pairs.len().max(1)) as f64;
    line(
        "pair scoring, from raw names, with explanation",
        format!("{:.2} µs/pair", per_pair * 1e6),
    );
    // What screening does per candidate: both names normalised once, then compared.
    let prepared: Vec<(PreparedName, PreparedName)> = pairs
        .iter()
        .map(|(a, b)| (PreparedName::new(a, None), PreparedName::new(b, None)))
        .collect();
    let started = Instant::now();
    for _ in 0..rounds {
        for (a, b) in &prepared {
            sink += a.score(b);
        }
    }
    let per_pair = started.elapsed().as_secs_f64() / (rounds * pairs.len().max(1)) as f64;
    line(
        "pair scoring, pre-normalised names",
        format!("{:.2} µs/pair", per_pair * 1e6),
    );
    std::hint::black_box(sink);

    // Single queries, one at a time.
    let customers = plan.data.join("eval/customers_us_50k.csv");
    let queries = customer_queries(&customers, plan.customers)?;
    let options = ScreenOptions::default();
    let mut latencies: Vec<Duration> = queries
        .iter()
        .take(5000)
        .map(|q| {
            let started = Instant::now();
            std::hint::black_box(index.screen(q, &options));
            started.elapsed()
        })
        .collect();
    latencies.sort();
    line(
        "single query latency (1 thread), p50 / p99",
        format!(
            "{:.0} µs / {:.0} µs",
            percentile(&latencies, 0.5).as_secs_f64() * 1e6,
            percentile(&latencies, 0.99).as_secs_f64() * 1e6
        ),
    );

    // Bulk screening on every core.
    let started = Instant::now();
    let hits = queries
        .par_iter()
        .filter(|q| !index.screen(q, &options).is_empty())
        .count();
    let seconds = started.elapsed().as_secs_f64();
    line(
        "batch screening customers_us_50k (all cores)",
        format!(
            "{:.0} names/s ({} names in {seconds:.2} s)",
            queries.len() as f64 / seconds,
            queries.len()
        ),
    );
    line(
        "customers with any match at the default threshold",
        format!(
            "{hits} ({:.2}%)",
            100.0 * hits as f64 / queries.len().max(1) as f64
        ),
    );
    drop(index);
    payments(&plan.data, payment_entities)
}

/// How many times the dev messages are screened for the throughput figure.
const PAYMENT_ROUNDS: usize = 50;

/// Payment messages parsed and screened as the service does (party names with the name
/// matcher, free text with the scanner, BICs, IMO numbers, wallets and jurisdictions with the
/// rules), without recording: one thread, then every core.
fn payments(data: &Path, entities: Vec<Entity>) -> Result<()> {
    use interdict_app::payments::{PaymentInput, parse, screen_message, today};
    let dir = data.join("eval/payments_dev/messages");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let inputs: Vec<PaymentInput> = files
        .iter()
        .map(|file| {
            Ok(PaymentInput {
                name: file.display().to_string(),
                bytes: std::fs::read(file)
                    .with_context(|| format!("cannot read {}", file.display()))?,
            })
        })
        .collect::<Result<_>>()?;
    let active = interdict_app::ActiveLists::build(entities, Default::default());
    let started = Instant::now();
    let _ = active.scanner();
    line(
        "payments: free-text scanner build",
        format!("{:.2} s", started.elapsed().as_secs_f64()),
    );
    let limits = interdict_app::payments::MessageLimits::default();
    let date = today();
    let screen = |input: &PaymentInput| -> Result<usize> {
        let mut hits = 0;
        for (name, message) in parse(input, &limits) {
            let Ok(message) = message else { continue };
            let result = screen_message(
                &active.index,
                active.scanner(),
                &active.payments,
                &message,
                &name,
                interdict_matching::DEFAULT_THRESHOLD,
                date,
            )?;
            hits += result.hits.len();
        }
        Ok(hits)
    };
    let messages = inputs.len() * PAYMENT_ROUNDS;
    // One thread: a message's own latency.
    let mut latencies = Vec::with_capacity(inputs.len() * 5);
    for _ in 0..5 {
        for input in &inputs {
            let started = Instant::now();
            std::hint::black_box(screen(input)?);
            latencies.push(started.elapsed());
        }
    }
    latencies.sort();
    line(
        "payments: one message (1 thread), p50 / p99",
        format!(
            "{:.2} ms / {:.2} ms",
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3
        ),
    );
    let started = Instant::now();
    let hits: usize = (0..PAYMENT_ROUNDS)
        .into_par_iter()
        .flat_map_iter(|_| inputs.iter())
        .map(&screen)
        .sum::<Result<usize>>()?;
    let seconds = started.elapsed().as_secs_f64();
    line(
        "payments: parse + screen payments_dev (all cores)",
        format!(
            "{:.0} messages/s ({messages} messages in {seconds:.2} s, {hits} hits)",
            messages as f64 / seconds
        ),
    );
    Ok(())
}
