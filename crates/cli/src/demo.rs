//! `interdict demo`: the product on a bundled snapshot, offline, in a fresh embedded store.
//!
//! The snapshot is the real OFAC SDN list of 2022-03-21 and 2022-03-24 (the day 328 members
//! of Russia's State Duma were designated) and the UN consolidated list, gzip-compressed
//! inside the binary.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use interdict_store::Store;

use interdict_app::contract::ScreenRequest;
use interdict_app::{ActiveLists, Limits, Screening};

use crate::args::SourceArgs;
use crate::lists::{self, ImportFlags};

const OFAC_2022_03_21: &[u8] = include_bytes!("../demo/ofac-sdn-2022-03-21.csv.gz");
const OFAC_2022_03_24: &[u8] = include_bytes!("../demo/ofac-sdn-2022-03-24.csv.gz");
const UN_2026_02_27: &[u8] = include_bytes!("../demo/un-consolidated-2026-02-27.xml.gz");

fn unpack(dir: &Path, name: &str, gz: &[u8]) -> Result<PathBuf> {
    let mut bytes = Vec::new();
    GzDecoder::new(gz)
        .read_to_end(&mut bytes)
        .with_context(|| format!("bundled snapshot {name} is damaged"))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// Screens each (name, date of birth) against the active lists and prints the best hits.
async fn screen_names(store: &Store, names: &[(&str, Option<&str>)]) -> Result<()> {
    let active = ActiveLists::load(store).await?;
    for (name, dob) in names {
        let screening = Screening::new(
            ScreenRequest {
                name: (*name).to_owned(),
                dob: dob.map(str::to_owned),
                ..ScreenRequest::default()
            },
            Limits::DEFAULT,
            "",
        )?;
        let matches = active.index.screen(screening.query(), &screening.options());
        let dob = dob.map(|d| format!(" (born {d})")).unwrap_or_default();
        match matches.first() {
            None => println!("  {name}{dob}: no match"),
            Some(best) => println!(
                "  {name}{dob}: {:.2} {} {} (matched {:?}){}",
                best.score,
                best.entity.id,
                best.entity.name,
                best.matched_name,
                if matches.len() > 1 {
                    format!(" and {} more", matches.len() - 1)
                } else {
                    String::new()
                }
            ),
        }
    }
    Ok(())
}

pub(crate) async fn run(db: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot replace {}", db.display())),
        }
    }
    let work = std::env::temp_dir().join(format!("interdict-demo-{}", std::process::id()));
    std::fs::create_dir_all(work.join("2022-03-21"))?;
    std::fs::create_dir_all(work.join("2022-03-24"))?;
    let sdn_0321 = unpack(&work.join("2022-03-21"), "sdn.csv", OFAC_2022_03_21)?;
    let sdn_0324 = unpack(&work.join("2022-03-24"), "sdn.csv", OFAC_2022_03_24)?;
    let un = unpack(&work, "un-consolidated.xml", UN_2026_02_27)?;

    let db_text = db.to_string_lossy();
    let store = Store::open(&db_text).await?;
    println!("interdict demo: a fresh embedded store at {}", db.display());

    step("Import OFAC SDN as published 2022-03-21, and the UN consolidated list");
    let source = SourceArgs::default();
    let published = |date: &str| ImportFlags {
        published: Some(date.to_owned()),
        ..ImportFlags::default()
    };
    for (path, date) in [(&sdn_0321, "2022-03-21"), (&un, "2026-02-27")] {
        for report in lists::import(
            &store,
            std::slice::from_ref(path),
            &source,
            &published(date),
        )
        .await?
        {
            println!("{}", lists::describe_import(&report));
        }
    }

    step("Screen names in any script: transliterations, reordering, typos, dates of birth");
    screen_names(
        &store,
        &[
            ("Шойгу Сергей Кужугетович", None),
            ("Sergej Schoigu", Some("1955-05-21")),
            ("Vladimir Putin", None),
            ("Анатолий Вассерман", None),
            ("John Smith", Some("1980-01-01")),
        ],
    )
    .await?;

    step("Import the same file again: content-hashed, so nothing new is created");
    for report in lists::import(
        &store,
        std::slice::from_ref(&sdn_0321),
        &source,
        &published("2022-03-21"),
    )
    .await?
    {
        println!("{}", lists::describe_import(&report));
    }

    step("2022-03-24: OFAC designates members of the State Duma; import the new SDN list");
    let before = store.active_versions().await?;
    for report in lists::import(
        &store,
        std::slice::from_ref(&sdn_0324),
        &source,
        &published("2022-03-24"),
    )
    .await?
    {
        println!("{}", lists::describe_import(&report));
    }
    let after = store.active_versions().await?;

    step("What changed between the two versions");
    if let (Some(old), Some(new)) = (before.get("ofac-sdn"), after.get("ofac-sdn")) {
        let diff = store.diff(old, new).await?;
        println!(
            "{} added, {} removed, {} changed",
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len()
        );
        for changed in &diff.changed {
            let entity = store.entity(&changed.id).await?;
            println!(
                "  ~ {:<16} {:<40} ({})",
                changed.id,
                entity.entity.name,
                changed.fields.join(", ")
            );
        }
        for id in diff.added.iter().take(5) {
            let entity = store.entity(id).await?;
            println!("  + {:<16} {}", id, entity.entity.name);
        }
        if diff.added.len() > 5 {
            println!("  + ... and {} more", diff.added.len() - 5);
        }
    }

    step("Screen again: the new designees are found, in Latin or Cyrillic");
    screen_names(
        &store,
        &[
            ("Анатолий Вассерман", None),
            ("Wassermann, Anatoli", Some("1952")),
            ("Kharitonov Nikolai", Some("1948-10-30")),
            ("John Smith", Some("1980-01-01")),
        ],
    )
    .await?;

    step("Every list and version");
    lists::run_show(&store, false).await?;

    println!(
        "\nTry: interdict --db {} entity ofac-sdn:36   |   interdict --db {} lists --json",
        db.display(),
        db.display()
    );
    store.close().await;
    std::fs::remove_dir_all(&work).ok();
    Ok(())
}
