//! The speed figure of the ownership graph: generates a deterministic graph (by default 1
//! million companies held by 100,000 people and each other through 3 million relations, 1% of
//! the people listed; repeated pairs and self-holdings are dropped), builds it, propagates
//! every regime at both bounds, then applies one list update (400 designations) to a copy of
//! the propagation, as the service does, and its reversal incrementally, and explains a few
//! blocked companies.
//!
//! ```text
//! cargo run --release -p interdict-ownership --example propagation_bench -- \
//!     [--companies 1000000] [--edges 3000000] [--seed 42] [--listed-per-mille 10] \
//!     [--csv true] [--write-csv FILE]
//! ```
//!
//! With `--csv true` the graph goes the way imported data goes: written as the ownership CSV
//! of edges, parsed by `interdict_sources::parse_relations`, built from the relations (this
//! holds the 3 million relations in memory, about 1.5 GB). `--write-csv FILE` also writes
//! that CSV, to import with `interdict lists import FILE --list NAME`.
//!
//! The generated graph is a random one, with what makes propagation work hard: holdings
//! between companies in every direction (long chains and cycles), 10% of stakes as bands, 5%
//! of unknown size (0–100%, which the conservative bound counts in full), 5% control, 3%
//! joint holdings.

use std::time::Instant;

use interdict_model::{PartialDate, RelationKind, Share, Stake};
use interdict_ownership::{GraphBuilder, Propagation, Regime, Seed};

/// SplitMix64: small, fast, and the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A share from 1% to 60%, in whole percent.
    fn share(&mut self) -> Share {
        let percent = 1 + self.below(60);
        Share::from_ppm(u32::try_from(percent * 10_000).unwrap_or(0)).unwrap_or(Share::ZERO)
    }
}

struct Options {
    companies: u64,
    edges: u64,
    seed: u64,
    listed_per_mille: u64,
    csv: bool,
    write_csv: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        companies: 1_000_000,
        edges: 3_000_000,
        seed: 42,
        listed_per_mille: 10,
        csv: false,
        write_csv: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--csv" => {
                options.csv = value == "true";
                continue;
            }
            "--write-csv" => {
                options.csv = true;
                options.write_csv = Some(value);
                continue;
            }
            _ => {}
        }
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag}: {value:?} is not a number"))?;
        match flag.as_str() {
            "--companies" => options.companies = number.max(1),
            "--edges" => options.edges = number,
            "--seed" => options.seed = number,
            "--listed-per-mille" => options.listed_per_mille = number.min(1000),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn main() -> Result<(), String> {
    let options = options()?;
    let people = (options.companies / 10).max(1);
    let date = PartialDate::ymd(2022, 3, 24).ok_or("bad date")?;
    let mut rng = Rng(options.seed);

    let started = Instant::now();
    let mut builder = GraphBuilder::new(date);
    let mut csv = String::new();
    let mut pairs = std::collections::HashSet::new();
    if options.csv {
        csv.push_str("owner_id,asset_id,percentage,start_date,end_date,kind\n");
    }
    for _ in 0..options.edges {
        let asset = format!("co:{}", rng.below(options.companies));
        let owner = if rng.below(10) < 4 {
            format!("pe:{}", rng.below(people))
        } else {
            format!("co:{}", rng.below(options.companies))
        };
        let (kind, stake) = match rng.below(100) {
            0..5 => (RelationKind::Control, None),
            5..10 => (RelationKind::Ownership, Some(Stake::unknown())),
            10..20 => {
                let (a, b) = (rng.share(), rng.share());
                (RelationKind::Ownership, Stake::range(a.min(b), a.max(b)))
            }
            _ => (RelationKind::Ownership, Some(Stake::exact(rng.share()))),
        };
        let joint = rng.below(100) < 3;
        // One relation per owner, asset and kind, as a registry (and the CSV) has it.
        if owner == asset || !pairs.insert((owner.clone(), asset.clone(), stake.is_none())) {
            continue;
        }
        if options.csv {
            let kind = match (kind, joint) {
                (RelationKind::Control, _) => "control",
                (_, true) => "joint_ownership",
                _ => "ownership",
            };
            let percentage = match stake {
                Some(stake) if stake == Stake::unknown() => String::new(),
                Some(stake) => stake.to_string(),
                None => String::new(),
            };
            csv.push_str(&format!("{owner},{asset},{percentage},,,{kind}\n"));
        } else {
            builder.add_edge(&owner, &asset, kind, stake, joint);
        }
    }
    let generated = started.elapsed();
    drop(pairs);

    let started = Instant::now();
    if options.csv {
        if let Some(path) = &options.write_csv {
            std::fs::write(path, &csv).map_err(|e| format!("{path}: {e}"))?;
        }
        let file = interdict_sources::SourceFile {
            name: "edges.csv".into(),
            bytes: std::mem::take(&mut csv).into_bytes(),
        };
        let parsed = interdict_sources::parse_relations(&[file], None, Some("bench"))
            .map_err(|e| e.to_string())?;
        if let Some(issue) = parsed.issues.first() {
            return Err(format!(
                "{} issues, the first: {issue}",
                parsed.issues.len()
            ));
        }
        println!(
            "parse of the CSV: {:.3} s ({} relations)",
            started.elapsed().as_secs_f64(),
            parsed.relations.len()
        );
        for relation in &parsed.relations {
            builder.add_relation(relation);
        }
    }
    let graph = builder.build();
    let built = started.elapsed();

    let mut seeds = Vec::new();
    for person in 0..people {
        if rng.below(1000) >= options.listed_per_mille {
            continue;
        }
        let id = format!("pe:{person}");
        for (regime, percent) in [(Regime::Ofac, 80), (Regime::Eu, 50), (Regime::Uk, 50)] {
            if rng.below(100) < percent {
                seeds.push(Seed::listed(&id, regime));
            }
        }
    }
    let seed_count = seeds.len();
    let (nodes, edges) = (graph.node_count(), graph.edge_count());

    let started = Instant::now();
    let propagation = Propagation::compute(graph, seeds).map_err(|e| e.to_string())?;
    let propagated = started.elapsed();

    let blocked = propagation.blocked_unlisted();
    let count = |regime: Regime, certain: bool| {
        blocked
            .iter()
            .filter(|b| {
                if certain {
                    b.certain.contains(&regime)
                } else {
                    b.regimes.contains(&regime)
                }
            })
            .count()
    };

    // A list update the size of the 2022-03-24 one (400 new designations of people who hold
    // stakes, under every regime), then its reversal.
    let listed: std::collections::HashSet<&str> = propagation
        .seeds()
        .iter()
        .map(|s| s.entity_id.as_str())
        .collect();
    let newcomers: Vec<String> = (0..people)
        .map(|p| format!("pe:{p}"))
        .filter(|id| propagation.graph().contains(id) && !listed.contains(id.as_str()))
        .take(400)
        .collect();
    drop(listed);
    let designation: Vec<Seed> = newcomers
        .iter()
        .flat_map(|id| Regime::ALL.map(|regime| Seed::listed(id, regime)))
        .collect();
    // The service updates a copy, so that the lists loaded before keep serving until the
    // new ones are swapped in (`app::ownership::OwnershipView::update`).
    let started = Instant::now();
    let mut updated = propagation.clone();
    let copy_time = started.elapsed();
    let started = Instant::now();
    let designated = updated
        .update_seeds(designation.clone(), &[])
        .map_err(|e| e.to_string())?;
    let designate_time = started.elapsed();
    drop(propagation);
    let mut propagation = updated;
    let started = Instant::now();
    let delisted = propagation
        .update_seeds([], &designation)
        .map_err(|e| e.to_string())?;
    let delist_time = started.elapsed();

    let started = Instant::now();
    let mut paths = 0;
    for entity in blocked.iter().take(100) {
        paths += propagation
            .report(&entity.entity_id)
            .map_or(0, |r| r.paths.len());
    }
    let reported = started.elapsed();

    println!(
        "graph: {nodes} entities, {edges} edges ({} companies, {people} people), {seed_count} seeds; generated in {:.2} s",
        options.companies,
        generated.as_secs_f64()
    );
    println!("build:       {:>8.3} s", built.as_secs_f64());
    println!(
        "propagation: {:>8.3} s (3 regimes × 2 bounds)",
        propagated.as_secs_f64()
    );
    for regime in Regime::ALL {
        println!(
            "  {regime}: {} blocked without being listed ({} certain)",
            count(regime, false),
            count(regime, true)
        );
    }
    println!(
        "list update as the service applies it (copy of the propagation, then the seeds): {:.3} s + {:.3} s",
        copy_time.as_secs_f64(),
        designate_time.as_secs_f64()
    );
    println!(
        "designation of {} people: {:.3} s, {} status changes; delisting: {:.3} s, {} changes",
        newcomers.len(),
        designate_time.as_secs_f64(),
        designated.len(),
        delist_time.as_secs_f64(),
        delisted.len()
    );
    println!(
        "reports of 100 blocked entities: {:.3} s ({paths} paths)",
        reported.as_secs_f64()
    );
    Ok(())
}
