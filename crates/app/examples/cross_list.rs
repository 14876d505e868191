//! What the cross-list view costs and finds on the lists as published: the UN list, the FCDO
//! UK Sanctions List excerpt, the OFSI consolidated list of 2018, the EU excerpt and OFAC's SDN
//! list of 2024-03-14 loaded together. Prints the parties found (by what links them), the time
//! to find them, and the time per screening of the 683 UN-listed people of
//! `eval/un_listed_people.csv` with and without folding hits into parties.
//!
//! `cargo run --release -p interdict-app --example cross_list`

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use interdict_app::CrossListParties;
use interdict_app::screening::screen_parties;
use interdict_matching::{Index, Query, ScreenOptions};
use interdict_model::Entity;
use interdict_sources::{Format, SourceFile};

fn data(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

fn parse(
    path: &str,
    format: Format,
    list: &str,
) -> Result<Vec<Entity>, Box<dyn std::error::Error>> {
    let file = SourceFile {
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        bytes: std::fs::read(data(path))?,
    };
    Ok(interdict_sources::parse(&[file], Some(format), Some(list))?.entities)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut entities = Vec::new();
    for (path, format, list) in [
        (
            "lists/un-consolidated-2026-02-27.xml",
            Format::UnScXml,
            "un-sc",
        ),
        (
            "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
            Format::UkSanctionsListXml,
            "uk-sanctions-list",
        ),
        (
            "lists/uk-hmt-2018-04-13/sanctionsconlist.csv",
            Format::UkOfsiCsv,
            "uk-ofsi",
        ),
        (
            "lists/eu-fsf-excerpt-2026-08-05/fsf.xml",
            Format::EuFsfXml,
            "eu-fsf",
        ),
        (
            "lists/ofac-sdn-2024-03-14/sdn.csv",
            Format::OfacSdnCsv,
            "ofac-sdn",
        ),
    ] {
        entities.extend(parse(path, format, list)?);
    }
    let entities: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
    println!("{} entities", entities.len());

    let mut times = Vec::new();
    let mut parties = CrossListParties::default();
    for _ in 0..5 {
        let started = Instant::now();
        parties = CrossListParties::build(&entities);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{} parties on more than one list, largest {}; found in {:.1} ms (median of 5)",
        parties.len(),
        parties.largest(),
        times[2]
    );
    let mut by_link: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_lists: BTreeMap<String, usize> = BTreeMap::new();
    for entity in &entities {
        let others = parties.others(entity.id.as_str());
        if others.is_empty() {
            continue;
        }
        for other in &others {
            let kind = other
                .linked_by
                .rsplit_once(' ')
                .map_or(other.linked_by.as_str(), |(kind, _)| kind);
            *by_link.entry(kind.to_owned()).or_default() += 1;
        }
        let lowest = others
            .iter()
            .map(|o| o.entity.id.as_str())
            .all(|id| id > entity.id.as_str());
        if lowest {
            let mut lists: Vec<&str> = others.iter().map(|o| o.entity.id.list()).collect();
            lists.push(entity.id.list());
            lists.sort_unstable();
            *by_lists.entry(lists.join("+")).or_default() += 1;
        }
    }
    println!("records linked, by the link that brought them in: {by_link:?}");
    println!("parties by the lists naming them: {by_lists:?}");

    let index = Index::build(entities.clone());
    let people = std::fs::read_to_string(data("eval/un_listed_people.csv"))?;
    let queries: Vec<Query> = people
        .lines()
        .skip(1)
        .filter_map(|line| {
            let name = line.split(',').next()?.trim();
            (!name.is_empty()).then(|| Query::name(name))
        })
        .collect();
    let options = ScreenOptions::default();
    for round in 0..2 {
        let started = Instant::now();
        let mut plain = 0usize;
        for query in &queries {
            plain += index.screen(query, &options).len();
        }
        let plain_ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64;
        let started = Instant::now();
        let mut grouped = 0usize;
        let mut also = 0usize;
        for query in &queries {
            let hits = screen_parties(&index, &parties, query, options);
            grouped += hits.len();
            also += hits.iter().map(|h| h.also_listed.len()).sum::<usize>();
        }
        let grouped_ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64;
        if round == 1 {
            println!(
                "{} queries: {plain} matches as before ({plain_ms:.3} ms each); \
                 {grouped} party hits with {also} records on other lists ({grouped_ms:.3} ms each)",
                queries.len()
            );
        }
    }
    Ok(())
}
