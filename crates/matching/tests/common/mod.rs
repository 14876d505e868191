//! Shared helpers for the evaluation tests: loading the real lists through
//! `interdict-sources`, building indexes once per test binary, and reading the evaluation
//! CSV files into queries.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different subset

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use interdict_matching::{Index, Query};
use interdict_model::{DateOfBirth, Entity, Schema, country_code};
use interdict_sources::{SourceFile, parse};

/// The shared data directory.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn load(relative: &str) -> Vec<Entity> {
    let path = data_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("list")
        .to_owned();
    let parsed = parse(&[SourceFile { name, bytes }], None, None).expect("list parses");
    parsed.entities
}

/// Entities of the UN consolidated list.
pub fn un_entities() -> &'static [Arc<Entity>] {
    static ENTITIES: OnceLock<Vec<Arc<Entity>>> = OnceLock::new();
    ENTITIES.get_or_init(|| {
        load("lists/un-consolidated-2026-02-27.xml")
            .into_iter()
            .map(Arc::new)
            .collect()
    })
}

/// Entities of OFAC SDN 2024-03-14.
pub fn ofac_entities() -> &'static [Arc<Entity>] {
    static ENTITIES: OnceLock<Vec<Arc<Entity>>> = OnceLock::new();
    ENTITIES.get_or_init(|| {
        load("lists/ofac-sdn-2024-03-14/sdn.csv")
            .into_iter()
            .map(Arc::new)
            .collect()
    })
}

/// An index of the UN list.
pub fn un_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(un_entities().to_vec()))
}

/// An index of OFAC SDN 2024-03-14 and the UN list together.
pub fn combined_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entities = ofac_entities().to_vec();
        entities.extend(un_entities().iter().cloned());
        Index::build(entities)
    })
}

/// One row of `un_listed_people.csv` or `customers_us_50k.csv`.
#[derive(Debug, Clone)]
pub struct Person {
    pub full_name: String,
    pub gender: String,
    pub date_of_birth: String,
    pub nationality: String,
}

impl Person {
    /// The query a bank would run: name, date of birth, nationality, as a person.
    pub fn query(&self) -> Query {
        self.query_named(&self.full_name)
    }

    /// The same query under another name (a perturbation).
    pub fn query_named(&self, name: &str) -> Query {
        let mut query = Query::name(name);
        query.schema = Some(Schema::Person);
        query.dob = DateOfBirth::parse(&self.date_of_birth);
        query.countries = country_code(&self.nationality).into_iter().collect();
        query.gender = self.gender.parse().ok();
        query
    }
}

/// Reads a people CSV from `eval/`.
pub fn people(file: &str) -> Vec<Person> {
    let path = data_dir().join("eval").join(file);
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|record| {
            let record = record.expect("csv record");
            let field = |i: usize| record.get(i).unwrap_or("").to_owned();
            Person {
                full_name: field(0),
                gender: field(4),
                date_of_birth: field(5),
                nationality: field(7),
            }
        })
        .collect()
}

/// Lower-case letters and digits only, single spaces: for recognising the same written name.
pub fn plain(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
