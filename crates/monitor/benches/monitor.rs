//! Monitoring throughput on the real 2022-03-24 SDN update (not a test: prints figures).
//!
//! - Delta mode: the 404 entities added or changed between 2022-03-21 and 2022-03-24 against
//!   a synthetic portfolio of a million customers, recombined deterministically from the name
//!   parts, dates and nationalities of `customers_us_50k.csv` (target: under 60 s in all, on
//!   two cores).
//! - Full mode: the 50,000 customers of `customers_us_50k.csv` re-screened against the
//!   2022-03-24 list (target: under 20 s).
//!
//! `cargo bench -p interdict-monitor --bench monitor [-- CUSTOMERS]` (default 1,000,000).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use interdict_matching::{Index, ScreenOptions};
use interdict_monitor::{Customer, Portfolio, screen_customers};

use common::{CustomerRow, customer_rows, duma_update, person, western_order};

/// Customer `i` of the synthetic portfolio: first, optional middle and last name picked by
/// different strides through the parts, so that a million customers are (nearly) all
/// distinct people with realistic name frequencies.
fn synthetic(i: usize, rows: &[CustomerRow], middles: &[&str]) -> Customer {
    let n = rows.len();
    let pick = |stride: usize, offset: usize| rows.get((i.wrapping_mul(stride) + offset) % n);
    let first = pick(7919, 0).map_or("", |r| r.first.as_str());
    let last = pick(104_729, i / n).map_or("", |r| r.last.as_str());
    let middle = if i.is_multiple_of(3) && !middles.is_empty() {
        middles.get((i / 3) % middles.len()).copied().unwrap_or("")
    } else {
        ""
    };
    let name = [first, middle, last]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let other = pick(15_485_863, 1);
    person(
        format!("syn-{i}"),
        name,
        other.map_or("", |r| r.dob.as_str()),
        other.map_or("", |r| r.nationality.as_str()),
    )
}

fn main() {
    let size: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let options = ScreenOptions::default();

    let started = Instant::now();
    let update = duma_update();
    println!(
        "lists: {} entities on 2022-03-21, {} on 2022-03-24, {} added or changed (parsed in {:.2} s)",
        update.before.len(),
        update.after.len(),
        update.delta.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let lists = Index::build(update.after.clone());
    let list_index_s = started.elapsed().as_secs_f64();
    println!(
        "list index: {} names in {list_index_s:.2} s",
        lists.name_count()
    );

    let rows = customer_rows();
    let middles: Vec<&str> = rows
        .iter()
        .map(|r| r.middle.as_str())
        .filter(|m| !m.is_empty())
        .collect();
    let started = Instant::now();
    let mut customers: Vec<Customer> = (0..size).map(|i| synthetic(i, &rows, &middles)).collect();
    // Twenty of the new designees hide in the portfolio, written in western order.
    for (i, entity) in update
        .delta
        .iter()
        .filter(|e| update.added.contains(e.id.as_str()))
        .filter(|e| e.titles.iter().any(|t| t.contains("State Duma")))
        .step_by(16)
        .take(20)
        .enumerate()
    {
        customers.push(person(
            format!("duma-{i}"),
            western_order(&entity.name),
            "",
            "",
        ));
    }
    let distinct: std::collections::HashSet<&str> =
        customers.iter().map(|c| c.name.as_str()).collect();
    println!(
        "portfolio: {} customers ({} distinct names) generated in {:.2} s",
        customers.len(),
        distinct.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let portfolio = Portfolio::build(&customers);
    let build_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let delta = portfolio.screen_entities(&lists, &update.delta, &options);
    let screen_s = started.elapsed().as_secs_f64();
    let designees = delta
        .hits
        .iter()
        .filter(|h| h.customer_id.starts_with("duma-"))
        .count();
    println!(
        "delta mode: portfolio index {build_s:.2} s + {} reverse queries and {} candidates re-scored {screen_s:.2} s = {:.2} s; {} hits ({designees} on the 20 hidden designees), {} saturated",
        delta.queries,
        delta.candidates,
        build_s + screen_s,
        delta.hits.len(),
        delta.saturated.len()
    );
    drop(portfolio);

    let full: Vec<Customer> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            person(
                format!("us-{i}"),
                r.full_name.clone(),
                &r.dob,
                &r.nationality,
            )
        })
        .collect();
    let started = Instant::now();
    let hits = screen_customers(&lists, &full, &options);
    let full_s = started.elapsed().as_secs_f64();
    println!(
        "full mode: {} customers re-screened in {full_s:.2} s ({:.0} customers/s) + list index {list_index_s:.2} s; {} hits",
        full.len(),
        full.len() as f64 / full_s.max(1e-9),
        hits.len()
    );
}
