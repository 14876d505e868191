//! Shared data for the monitoring tests and benchmark: the SDN lists of 2022-03-21 and
//! 2022-03-24 parsed by `interdict-sources`, the synthetic US customers, and customers written
//! from listed names the ways a bank's records write them.

#![allow(dead_code, unreachable_pub)] // the test and the benchmark use different parts

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interdict_model::{DateOfBirth, Entity, Schema, country_code, diff_entities};
use interdict_monitor::Customer;
use interdict_sources::{SourceFile, parse};

/// The shared data directory.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The entities of one SDN CSV under `lists/`.
pub fn sdn(dated: &str) -> Vec<Arc<Entity>> {
    let path = data_dir().join("lists").join(dated).join("sdn.csv");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = parse(
        &[SourceFile {
            name: "sdn.csv".into(),
            bytes,
        }],
        None,
        None,
    )
    .expect("the list parses");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues.first());
    parsed.entities.into_iter().map(Arc::new).collect()
}

/// The 2022-03-21 and 2022-03-24 lists and the entities added or changed between them (the
/// latter taken from the 03-24 list).
pub struct Update {
    pub before: Vec<Arc<Entity>>,
    pub after: Vec<Arc<Entity>>,
    pub delta: Vec<Arc<Entity>>,
    pub added: HashSet<String>,
}

pub fn duma_update() -> Update {
    let before = sdn("ofac-sdn-2022-03-21");
    let after = sdn("ofac-sdn-2022-03-24");
    let diff = diff_entities(before.iter().map(|e| &**e), after.iter().map(|e| &**e));
    let wanted: HashSet<&str> = diff
        .added
        .iter()
        .map(String::as_str)
        .chain(diff.changed.iter().map(|c| c.id.as_str()))
        .collect();
    let delta = after
        .iter()
        .filter(|e| wanted.contains(e.id.as_str()))
        .cloned()
        .collect();
    Update {
        added: diff.added.iter().cloned().collect(),
        before,
        after,
        delta,
    }
}

/// One row of `customers_us_50k.csv`.
pub struct CustomerRow {
    pub full_name: String,
    pub first: String,
    pub middle: String,
    pub last: String,
    pub dob: String,
    pub nationality: String,
}

pub fn customer_rows() -> Vec<CustomerRow> {
    let path = data_dir().join("eval/customers_us_50k.csv");
    let mut reader = csv::Reader::from_path(&path).expect("customers CSV");
    reader
        .records()
        .map(|r| {
            let r = r.expect("CSV row");
            let field = |i: usize| r.get(i).unwrap_or_default().to_owned();
            CustomerRow {
                full_name: field(0),
                first: field(1),
                middle: field(2),
                last: field(3),
                dob: field(5),
                nationality: field(7),
            }
        })
        .collect()
}

/// A customer with a person's fields.
pub fn person(id: String, name: String, dob: &str, nationality: &str) -> Customer {
    Customer {
        id,
        name,
        dob: DateOfBirth::parse(dob),
        countries: country_code(nationality).into_iter().collect(),
        schema: Some(Schema::Person),
    }
}

/// The first `n` synthetic US customers, ids `us-<row>`.
pub fn us_customers(n: usize) -> Vec<Customer> {
    customer_rows()
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, r)| person(format!("us-{i}"), r.full_name, &r.dob, &r.nationality))
        .collect()
}

/// `LAST, First Patronymic` as `First Patronymic Last`, in title case.
pub fn western_order(listed: &str) -> String {
    let title = |word: &str| {
        let lower = word.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    match listed.split_once(", ") {
        Some((last, given)) => format!(
            "{given} {}",
            last.split(' ').map(title).collect::<Vec<_>>().join(" ")
        ),
        None => listed.to_owned(),
    }
}

/// A one-letter typo in the surname (the last word): two letters in its middle swapped.
pub fn typo(name: &str) -> String {
    let (head, surname) = name.rsplit_once(' ').unwrap_or(("", name));
    let mut chars: Vec<char> = surname.chars().collect();
    let middle = chars.len() / 2;
    if middle >= 1 && middle < chars.len() {
        chars.swap(middle - 1, middle);
    }
    let surname: String = chars.into_iter().collect();
    if head.is_empty() {
        surname
    } else {
        format!("{head} {surname}")
    }
}
