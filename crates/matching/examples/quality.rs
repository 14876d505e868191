//! Release-mode quality figures on the shared data, each on a fit part and a held-apart part
//! where anything was tuned:
//!
//! - F1 of `score_pair` at `DEFAULT_THRESHOLD` on `name_pairs.dev.csv`, whole and in two
//!   halves split by case group (even / odd hash);
//! - F1 on pairs mined from OFAC 2024-03-14 + UN themselves: an entity's own strong aliases and
//!   original-script names against its primary name as positives; primary names of two
//!   different entities of one schema that share a word (surnames, vessel and company words)
//!   as hard negatives; split in two by a hash of the entity ids;
//! - the false-alert rate of `customers_multiscript_dev.csv` (20,000, none listed) and
//!   `customers_us_50k.csv` screened with their date of birth and no schema, with
//!   `Schema::Person`, by name alone, and by name alone as people;
//! - UN-listed people with one typo found.
//!
//! Run with `cargo run --release -p interdict-matching --example quality [SHARED_DATA_DIR]`;
//! `--write-mined PATH` also writes the mined pairs as CSV (`part, schema, name1, name2,
//! is_match, kind`).

mod support;
use support::load;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interdict_matching::{DEFAULT_THRESHOLD, Index, Query, ScreenOptions, score_pair};
use interdict_model::{DateOfBirth, Entity, NameKind, Schema, country_code};

/// FNV-1a: a split that is the same on every machine and every run.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn line(&self) -> String {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!(
            "F1 {f1:.3} (P {p:.3}, R {r:.3}; tp {}, fp {}, fn {}, tn {})",
            self.tp, self.fp, self.fn_, self.tn
        )
    }
}

struct Pair {
    part: usize,
    schema: Option<Schema>,
    name1: String,
    name2: String,
    is_match: bool,
    kind: &'static str,
}

fn dev_pairs(data: &Path) -> Vec<Pair> {
    let path = data.join("eval/name_pairs.dev.csv");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .filter_map(Result::ok)
        .map(|record| {
            let field = |i: usize| record.get(i).unwrap_or("").to_owned();
            Pair {
                part: (stable_hash(&field(0)) % 2) as usize,
                schema: field(1).parse().ok(),
                name1: field(2),
                name2: field(3),
                is_match: field(4) == "true",
                kind: "dev",
            }
        })
        .collect()
}

/// Lower-case words of three letters or more, for finding entities that share one.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// Pairs mined from the lists. Positives: each entity's primary name against up to three of
/// its original-script names and strong aliases that share a word with it. Negatives: for
/// every word shared by 2-40 entities of one schema and one list, neighbouring entities in
/// id order (their primary names), at most two per word. Part: hash of the (first) entity id, so one entity's pairs stay together.
fn mined_pairs(entities: &[Arc<Entity>]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for entity in entities {
        let part = (stable_hash(entity.id.as_str()) % 2) as usize;
        let schema = Some(entity.schema).filter(|s| *s != Schema::Unknown);
        let mut seen = BTreeSet::new();
        seen.insert(entity.name.to_lowercase());
        let primary_words: BTreeSet<String> = words(&entity.name).into_iter().collect();
        // An alias sharing no word with the name is another name (a nom de guerre, a former
        // company name), not a way of writing it: no name matcher should match those.
        let variant = |name: &interdict_model::Name| {
            name.kind == NameKind::OriginalScript
                || (name.kind == NameKind::StrongAka
                    && words(&name.full).iter().any(|w| primary_words.contains(w)))
        };
        for name in entity
            .names
            .iter()
            .filter(|n| variant(n))
            .filter(|n| seen.insert(n.full.to_lowercase()))
            .take(3)
        {
            pairs.push(Pair {
                part,
                schema,
                name1: name.full.clone(),
                name2: entity.name.clone(),
                is_match: true,
                kind: if name.kind == NameKind::OriginalScript {
                    "original-script"
                } else {
                    "alias"
                },
            });
        }
    }
    let mut by_word: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (index, entity) in entities.iter().enumerate() {
        for word in words(&entity.name).into_iter().collect::<BTreeSet<_>>() {
            by_word
                .entry((entity.schema.to_string(), word))
                .or_default()
                .push(index);
        }
    }
    let mut seen_pairs = BTreeSet::new();
    for ((schema, _), members) in by_word {
        if !(2..=40).contains(&members.len()) {
            continue;
        }
        let mut members = members;
        members.sort_by(|a, b| {
            let id = |i: &usize| {
                entities
                    .get(*i)
                    .map(|e| e.id.to_string())
                    .unwrap_or_default()
            };
            id(a).cmp(&id(b))
        });
        for window in members.windows(2).take(2) {
            let [a, b] = window else { continue };
            let (Some(first), Some(second)) = (entities.get(*a), entities.get(*b)) else {
                continue;
            };
            // Lists overlap (a person on OFAC and the UN): negatives come from one list.
            if first.id.list() != second.id.list()
                || plain(&first.name) == plain(&second.name)
                || !seen_pairs.insert((*a.min(b), *a.max(b)))
            {
                continue;
            }
            pairs.push(Pair {
                part: (stable_hash(first.id.as_str()) % 2) as usize,
                schema: schema.parse().ok().filter(|s| *s != Schema::Unknown),
                name1: first.name.clone(),
                name2: second.name.clone(),
                is_match: false,
                kind: "shared-word",
            });
        }
    }
    pairs
}

fn report_pairs(label: &str, pairs: &[Pair]) {
    let mut parts = [Counts::default(); 2];
    let mut kinds: BTreeMap<&str, Counts> = BTreeMap::new();
    // `QUALITY_SHOW=1`: print a deterministic sample of the misclassified pairs.
    let show = std::env::var_os("QUALITY_SHOW").is_some();
    for pair in pairs {
        let score = score_pair(&pair.name1, &pair.name2, pair.schema).0;
        let predicted = score >= DEFAULT_THRESHOLD;
        if show && predicted != pair.is_match && stable_hash(&pair.name1).is_multiple_of(13) {
            println!(
                "    {} {score:.3} {:?} | {} | {}",
                if pair.is_match { "FN" } else { "FP" },
                pair.schema,
                pair.name1,
                pair.name2
            );
        }
        if let Some(counts) = parts.get_mut(pair.part) {
            counts.add(predicted, pair.is_match);
        }
        kinds
            .entry(pair.kind)
            .or_default()
            .add(predicted, pair.is_match);
    }
    let mut all = Counts::default();
    for part in &parts {
        all.tp += part.tp;
        all.fp += part.fp;
        all.fn_ += part.fn_;
        all.tn += part.tn;
    }
    println!("{label}: all {}", all.line());
    println!("  part A (fit): {}", parts[0].line());
    println!("  part B (held apart): {}", parts[1].line());
    for (kind, counts) in kinds {
        println!("  {kind}: {}", counts.line());
    }
}

#[derive(Clone, Copy)]
enum Mode {
    DobNoSchema,
    DobPerson,
    NameOnly,
    NamePerson,
}

fn customer_queries(path: &Path, mode: Mode) -> Vec<Query> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .filter_map(Result::ok)
        .map(|record| {
            let field = |i: usize| record.get(i).unwrap_or("");
            let mut query = Query::name(field(0));
            match mode {
                Mode::NameOnly => {}
                Mode::NamePerson => query.schema = Some(Schema::Person),
                Mode::DobNoSchema | Mode::DobPerson => {
                    query.dob = DateOfBirth::parse(field(5));
                    query.countries = country_code(field(7)).into_iter().collect();
                    query.gender = field(4).parse().ok();
                    if matches!(mode, Mode::DobPerson) {
                        query.schema = Some(Schema::Person);
                    }
                }
            }
            query
        })
        .collect()
}

fn false_alerts(index: &Index, path: &Path, label: &str) {
    for (mode, mode_label) in [
        (Mode::DobNoSchema, "dob, no schema"),
        (Mode::DobPerson, "dob, person"),
        (Mode::NameOnly, "name only"),
        (Mode::NamePerson, "name only, as person"),
    ] {
        let queries = customer_queries(path, mode);
        let results = index.screen_batch(&queries, &ScreenOptions::default());
        let alerted: Vec<_> = queries
            .iter()
            .zip(&results)
            .filter(|(_, r)| !r.is_empty())
            .collect();
        println!(
            "{label} ({mode_label}): {}/{} alert = {:.3}%",
            alerted.len(),
            queries.len(),
            100.0 * alerted.len() as f64 / queries.len().max(1) as f64
        );
        // `QUALITY_SHOW=1`: the alerts of name-only person queries too.
        let show = matches!(mode, Mode::DobNoSchema)
            || (matches!(mode, Mode::NamePerson) && std::env::var_os("QUALITY_SHOW").is_some());
        if show {
            // A sample spread over the file, not its first rows.
            let (step, count) = if matches!(mode, Mode::NamePerson) {
                ((alerted.len() / 60).max(1), 60)
            } else {
                (1, 25)
            };
            for (query, matches) in alerted.iter().step_by(step).take(count) {
                if let Some(best) = matches.first() {
                    println!(
                        "    {:.3} {} -> {} ({})",
                        best.score, query.name, best.matched_name, best.entity.id
                    );
                }
            }
        }
    }
}

/// One letter changed in the middle of the longest word (as `tests/it/screening.rs`).
fn with_typo(name: &str) -> String {
    let mut tokens: Vec<String> = name.split_whitespace().map(str::to_owned).collect();
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

fn plain(text: &str) -> String {
    words(text).join(" ")
}

fn un_typos(index: &Index, un: &[Arc<Entity>], data: &Path) {
    let path = data.join("eval/un_listed_people.csv");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut found, mut total) = (0, 0);
    let mut missed = Vec::new();
    let options = ScreenOptions {
        limit: 20,
        ..ScreenOptions::default()
    };
    for record in reader.records().filter_map(Result::ok) {
        let field = |i: usize| record.get(i).unwrap_or("");
        let wanted = plain(field(0));
        let expected: BTreeSet<_> = un
            .iter()
            .filter(|e| e.names.iter().any(|n| plain(&n.full) == wanted))
            .map(|e| e.id.clone())
            .collect();
        let mut query = Query::name(with_typo(field(0)));
        query.dob = DateOfBirth::parse(field(5));
        query.countries = country_code(field(7)).into_iter().collect();
        query.gender = field(4).parse().ok();
        let matches = index.screen(&query, &options);
        let hit = if expected.is_empty() {
            !matches.is_empty()
        } else {
            matches.iter().any(|m| expected.contains(&m.entity.id))
        };
        total += 1;
        if hit {
            found += 1;
        } else {
            missed.push(query.name);
        }
    }
    println!(
        "UN people with one typo (dob, no schema, OFAC+UN index): {found}/{total} = {:.2}%",
        100.0 * found as f64 / f64::from(total.max(1))
    );
    for name in missed.iter().take(10) {
        println!("    missed {name}");
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut data: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let mut write_mined: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        if arg == "--write-mined" {
            write_mined = args.next().map(PathBuf::from);
        } else {
            data = PathBuf::from(arg);
        }
    }
    report_pairs(
        "name_pairs.dev.csv (halves by case group)",
        &dev_pairs(&data),
    );

    let un = load(&data.join("lists/un-consolidated-2026-02-27.xml"));
    let mut entities = load(&data.join("lists/ofac-sdn-2024-03-14/sdn.csv"));
    entities.extend(un.iter().cloned());
    let mined = mined_pairs(&entities);
    report_pairs(
        &format!("mined pairs ({} from OFAC 2024-03-14 + UN)", mined.len()),
        &mined,
    );
    if let Some(path) = write_mined {
        let mut writer =
            csv::Writer::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = writer.write_record(["part", "schema", "name1", "name2", "is_match", "kind"]);
        for pair in &mined {
            let _ = writer.write_record([
                if pair.part == 0 { "fit" } else { "held" },
                pair.schema.map_or("any", Schema::as_str),
                &pair.name1,
                &pair.name2,
                if pair.is_match { "true" } else { "false" },
                pair.kind,
            ]);
        }
    }

    let index = Index::build(entities);
    false_alerts(
        &index,
        &data.join("eval/customers_multiscript_dev.csv"),
        "multiscript 20k",
    );
    false_alerts(&index, &data.join("eval/customers_us_50k.csv"), "US 50k");
    un_typos(&index, &un, &data);
}
