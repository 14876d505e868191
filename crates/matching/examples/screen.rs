//! Screens one name against list files and prints the matches with their explanations:
//! `screen LIST_FILE... -- NAME [DOB] [COUNTRY]`.

use std::sync::Arc;

use interdict_matching::{Index, Query, ScreenOptions};
use interdict_model::{DateOfBirth, Schema, country_code};
use interdict_sources::{SourceFile, parse};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(split) = args.iter().position(|a| a == "--") else {
        eprintln!("usage: screen LIST_FILE... -- NAME [DOB] [COUNTRY]");
        std::process::exit(2);
    };
    let (lists, query_args) = args.split_at(split);
    let mut entities = Vec::new();
    for path in lists {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        match parse(
            &[SourceFile {
                name: path.clone(),
                bytes,
            }],
            None,
            None,
        ) {
            Ok(parsed) => entities.extend(parsed.entities.into_iter().map(Arc::new)),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        }
    }
    let index = Index::build(entities);
    let mut query = Query::name(query_args.get(1).cloned().unwrap_or_default());
    query.schema = Some(Schema::Person).filter(|_| std::env::var_os("ANY_SCHEMA").is_none());
    query.dob = query_args.get(2).and_then(|d| DateOfBirth::parse(d));
    query.countries = query_args
        .get(3)
        .and_then(|c| country_code(c))
        .into_iter()
        .collect();
    let options = ScreenOptions {
        threshold: 0.3,
        limit: 5,
    };
    for found in index.screen(&query, &options) {
        println!(
            "{:.3} {} {}",
            found.score, found.entity.id, found.matched_name
        );
        if let Ok(json) = serde_json::to_string(&found.explanation) {
            println!("  {json}");
        }
    }
}
