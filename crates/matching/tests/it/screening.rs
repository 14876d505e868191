//! Behaviour tests on real data: screening UN-listed people (as given and perturbed) against
//! the UN list, original-script names against their own Latin names, and candidate generation
//! against exhaustive scoring.
//!
//! Lists are parsed with `interdict-sources`. Figures are printed (`--nocapture`).

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Person, people, plain, un_entities, un_index};
use interdict_matching::{Index, Query, ScreenOptions};
use interdict_model::{EntityId, NameKind, Schema};

fn options() -> ScreenOptions {
    ScreenOptions {
        limit: 20,
        ..ScreenOptions::default()
    }
}

/// The UN entities a row names: those with a name written exactly like it.
fn expected_ids(row: &Person) -> BTreeSet<EntityId> {
    let wanted = plain(&row.full_name);
    un_entities()
        .iter()
        .filter(|e| e.names.iter().any(|n| plain(&n.full) == wanted))
        .map(|e| e.id.clone())
        .collect()
}

/// Whether screening `query` finds one of `expected` (any UN match when none is known).
fn found(index: &Index, query: &Query, expected: &BTreeSet<EntityId>) -> bool {
    let matches = index.screen(query, &options());
    if expected.is_empty() {
        return !matches.is_empty();
    }
    matches.iter().any(|m| expected.contains(&m.entity.id))
}

fn words(name: &str) -> Vec<&str> {
    name.split_whitespace().collect()
}

/// One letter changed in the middle of the longest word.
fn with_typo(name: &str) -> String {
    let mut tokens: Vec<String> = words(name).into_iter().map(str::to_owned).collect();
    let Some(longest) = tokens.iter_mut().max_by_key(|t| t.chars().count()) else {
        return name.to_owned();
    };
    let mut chars: Vec<char> = longest.chars().collect();
    let middle = chars.len() / 2;
    if let Some(c) = chars.get_mut(middle) {
        *c = match *c {
            'z' => 'a',
            'Z' => 'A',
            c if c.is_ascii_alphabetic() => char::from(c as u8 + 1),
            c => c,
        };
    }
    *longest = chars.into_iter().collect();
    tokens.join(" ")
}

/// "First Middle Last" as "LAST, First Middle".
fn last_first(name: &str) -> String {
    let tokens = words(name);
    match tokens.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{}, {}", last.to_uppercase(), rest.join(" "))
        }
        _ => name.to_owned(),
    }
}

/// The second of three or more words dropped.
fn without_middle(name: &str) -> Option<String> {
    let mut tokens = words(name);
    (tokens.len() >= 3).then(|| {
        tokens.remove(1);
        tokens.join(" ")
    })
}

fn rate(found: usize, total: usize) -> f64 {
    found as f64 / total.max(1) as f64
}

#[test]
fn un_listed_people_are_found_as_given_and_perturbed() {
    let rows = people("un_listed_people.csv");
    assert!(rows.len() > 600);
    let index = un_index();
    let mut counts = [(0usize, 0usize); 4];
    let labels = ["as given", "one typo", "LAST, First", "middle name dropped"];
    let mut missed = Vec::new();
    for row in &rows {
        let expected = expected_ids(row);
        let variants = [
            Some(row.full_name.clone()),
            Some(with_typo(&row.full_name)),
            Some(last_first(&row.full_name)),
            without_middle(&row.full_name),
        ];
        for (slot, variant) in variants.iter().enumerate() {
            let Some(name) = variant else { continue };
            let hit = found(index, &row.query_named(name), &expected);
            if let Some((hits, total)) = counts.get_mut(slot) {
                *total += 1;
                *hits += usize::from(hit);
            }
            if !hit {
                missed.push(format!("{}: {name}", labels.get(slot).unwrap_or(&"")));
            }
        }
    }
    for (label, (hits, total)) in labels.iter().zip(counts) {
        println!(
            "UN recall, {label}: {hits}/{total} = {:.2}%",
            100.0 * rate(hits, total)
        );
    }
    for line in missed.iter().take(40) {
        println!("  missed {line}");
    }
    let floors = [0.99, 0.99, 0.99, 0.98];
    for ((label, (hits, total)), floor) in labels.iter().zip(counts).zip(floors) {
        assert!(
            rate(hits, total) >= floor,
            "{label}: {hits}/{total} below {floor}"
        );
    }
}

#[test]
fn original_script_names_match_their_own_latin_names() {
    // Index the UN list without its original-script names, then screen each of them.
    let latin_only: Vec<_> = un_entities()
        .iter()
        .map(|entity| {
            let mut entity = (**entity).clone();
            entity.names.retain(|n| n.kind != NameKind::OriginalScript);
            Arc::new(entity)
        })
        .collect();
    let index = Index::build(latin_only);
    // (hits, total) for people and for organisations.
    let mut people = (0usize, 0usize);
    let mut organizations = (0usize, 0usize);
    let mut missed = Vec::new();
    for entity in un_entities() {
        for name in entity
            .names
            .iter()
            .filter(|n| n.kind == NameKind::OriginalScript)
        {
            let mut query = Query::name(name.full.clone());
            query.schema = Some(entity.schema);
            let hit = index
                .screen(&query, &options())
                .iter()
                .any(|m| m.entity.id == entity.id);
            let counts = if entity.schema == Schema::Person {
                &mut people
            } else {
                &mut organizations
            };
            counts.0 += usize::from(hit);
            counts.1 += 1;
            if !hit {
                missed.push(format!("{} ({}) vs {}", name.full, entity.id, entity.name));
            }
        }
    }
    println!(
        "original script vs own Latin names: people {}/{} = {:.2}%, organisations {}/{} = {:.2}%",
        people.0,
        people.1,
        100.0 * rate(people.0, people.1),
        organizations.0,
        organizations.1,
        100.0 * rate(organizations.0, organizations.1)
    );
    for line in &missed {
        println!("  missed {line}");
    }
    assert!(
        people.1 > 300,
        "expected the UN original-script names, got {}",
        people.1
    );
    assert!(
        rate(people.0, people.1) >= 0.95,
        "people: {}/{} below 95%",
        people.0,
        people.1
    );
    // Organisation names in the original script are mostly translations ("الجماعة الاسلامية
    // المسلحة" = "Armed Islamic Group"), which no transliteration can match.
    assert!(
        rate(organizations.0, organizations.1) >= 0.25,
        "organisations: {organizations:?}"
    );
}

#[test]
fn candidate_generation_loses_no_match_that_exhaustive_scoring_finds() {
    let rows = people("un_listed_people.csv");
    let index = un_index();
    let all = ScreenOptions {
        limit: usize::MAX,
        ..ScreenOptions::default()
    };
    // Exhaustive scoring is slow unoptimised: debug builds check every sixth row, release
    // builds all of them. The perturbations are where candidate generation is tested hardest.
    let step = if cfg!(debug_assertions) { 6 } else { 1 };
    let mut compared = 0;
    let mut lost = Vec::new();
    for row in rows.iter().step_by(step) {
        for name in [
            Some(row.full_name.clone()),
            Some(with_typo(&row.full_name)),
            without_middle(&row.full_name),
        ]
        .into_iter()
        .flatten()
        {
            let query = row.query_named(&name);
            let fast: BTreeSet<EntityId> = index
                .screen(&query, &all)
                .into_iter()
                .map(|m| m.entity.id.clone())
                .collect();
            for exhaustive in index.screen_exhaustive(&query, &all) {
                compared += 1;
                if !fast.contains(&exhaustive.entity.id) {
                    lost.push(format!(
                        "{name} -> {} ({:.3})",
                        exhaustive.matched_name, exhaustive.score
                    ));
                }
            }
        }
    }
    println!(
        "candidate generation: {} of {compared} exhaustive matches lost",
        lost.len()
    );
    for line in &lost {
        println!("  lost {line}");
    }
    assert!(compared > 100);
    assert!(lost.is_empty(), "{} matches lost", lost.len());
}

#[test]
fn candidate_generation_finds_every_dev_pair_match_that_exhaustive_scoring_finds() {
    // Every second name of the labelled pairs becomes an entity; every first name is screened.
    let mut reader =
        csv::Reader::from_path(common::data_dir().join("eval/name_pairs.dev.csv")).expect("pairs");
    let rows: Vec<(Option<Schema>, String, String)> = reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            let field = |i: usize| record.get(i).unwrap_or("").to_owned();
            (field(1).parse().ok(), field(2), field(3))
        })
        .collect();
    let entities = rows
        .iter()
        .enumerate()
        .map(|(i, (schema, _, listed))| {
            Arc::new(interdict_model::Entity::new(
                EntityId::new("pairs", &i.to_string()),
                schema.unwrap_or(Schema::Unknown),
                listed.clone(),
            ))
        })
        .collect();
    let index = Index::build(entities);
    let all = ScreenOptions {
        limit: usize::MAX,
        ..ScreenOptions::default()
    };
    let mut compared = 0;
    let mut lost = Vec::new();
    for (schema, name, _) in &rows {
        let mut query = Query::name(name.clone());
        query.schema = *schema;
        let fast: BTreeSet<EntityId> = index
            .screen(&query, &all)
            .into_iter()
            .map(|m| m.entity.id.clone())
            .collect();
        for exhaustive in index.screen_exhaustive(&query, &all) {
            compared += 1;
            if !fast.contains(&exhaustive.entity.id) {
                lost.push(format!(
                    "{name} -> {} ({:.3})",
                    exhaustive.matched_name, exhaustive.score
                ));
            }
        }
    }
    println!(
        "candidate generation on dev pairs: {} of {compared} exhaustive matches lost",
        lost.len()
    );
    for line in &lost {
        println!("  lost {line}");
    }
    assert!(compared > 150);
    assert!(lost.is_empty(), "{} matches lost", lost.len());
}
