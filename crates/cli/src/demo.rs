//! `interdict demo`: the product on a bundled snapshot, offline, in a fresh embedded store.
//!
//! The snapshot is the real OFAC SDN list of 2022-03-21 and 2022-03-24 (the day OFAC
//! designated members of Russia's State Duma: 324 of the 397 additions are described as
//! such) and the UN consolidated list, gzip-compressed inside the binary.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use interdict_model::Entity;
use interdict_store::Store;

use interdict_app::contract::ScreenRequest;
use interdict_app::{ActiveLists, Limits, Screening};

use crate::args::SourceArgs;
use crate::lists::{self, ImportFlags};
use crate::output::outln;

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

fn step(title: &str) -> Result<()> {
    outln!("\n== {title}")?;
    Ok(())
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
            None => outln!("  {name}{dob}: no match")?,
            Some(best) => outln!(
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
            )?,
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
    outln!("interdict demo: a fresh embedded store at {}", db.display())?;

    step("Import OFAC SDN as published 2022-03-21, and the UN consolidated list")?;
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
            outln!("{}", lists::describe_import(&report))?;
        }
    }

    step("Screen names in any script: transliterations, reordering, typos, dates of birth")?;
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

    step("Import the same file again: content-hashed, so nothing new is created")?;
    for report in lists::import(
        &store,
        std::slice::from_ref(&sdn_0321),
        &source,
        &published("2022-03-21"),
    )
    .await?
    {
        outln!("{}", lists::describe_import(&report))?;
    }

    step("2022-03-24: OFAC designates members of the State Duma; import the new SDN list")?;
    let before = store.active_versions().await?;
    for report in lists::import(
        &store,
        std::slice::from_ref(&sdn_0324),
        &source,
        &published("2022-03-24"),
    )
    .await?
    {
        outln!("{}", lists::describe_import(&report))?;
    }
    let after = store.active_versions().await?;

    step("What changed between the two versions")?;
    if let (Some(old), Some(new)) = (before.get("ofac-sdn"), after.get("ofac-sdn")) {
        let diff = store.diff(old, new).await?;
        let old_entities = store.version_entities(&old.list, &old.version).await?;
        let new_entities = store.version_entities(&new.list, &new.version).await?;
        let details = interdict_app::lists::diff_details(&diff, &old_entities, &new_entities);
        outln!(
            "{} added, {} removed, {} changed",
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len()
        )?;
        // The day's story: who the designees are. The SDN CSV says so in each entry's
        // remarks ("Member of the State Duma ...").
        let duma: Vec<&Entity> = new_entities
            .iter()
            .filter(|e| diff.added.binary_search(&e.id.as_str().to_owned()).is_ok())
            .filter(|e| {
                serde_json::to_string(e).is_ok_and(|json| json.contains("Member of the State Duma"))
            })
            .collect();
        outln!(
            "  {} of the {} additions are members of Russia's State Duma, among them:",
            duma.len(),
            diff.added.len()
        )?;
        for entity in duma.iter().take(5) {
            let other_scripts: Vec<&str> = entity
                .names
                .iter()
                .map(|n| n.full.as_str())
                .filter(|n| !n.is_ascii())
                .collect();
            let born = entity
                .dates_of_birth
                .first()
                .map(|d| format!(", born {d}"))
                .unwrap_or_default();
            outln!(
                "  + {:<16} {}{born}{}",
                entity.id,
                entity.name,
                if other_scripts.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", other_scripts.join("; "))
                }
            )?;
        }
        if duma
            .iter()
            .all(|e| e.names.iter().all(|n| n.full.is_ascii()))
        {
            outln!(
                "  (the SDN CSV spells names in Latin only; screening finds them from Cyrillic, below)"
            )?;
        }
        let others = details
            .added
            .iter()
            .filter(|a| !duma.iter().any(|d| d.id.as_str() == a.id))
            .count();
        if others > 0 {
            outln!("  + ... and {others} other designations")?;
        }
        for changed in details.changed.iter().take(3) {
            outln!("  ~ {:<16} {}", changed.id, changed.name)?;
            for field in &changed.fields {
                for line in lists::describe_change(field) {
                    outln!("      {line}")?;
                }
            }
        }
        if details.changed.len() > 3 {
            outln!(
                "  ~ ... and {} more changed (interdict lists diff shows them all)",
                details.changed.len() - 3
            )?;
        }
    }

    step("Screen again: the new designees are found, in Latin or Cyrillic")?;
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

    step("Every list and version")?;
    lists::run_show(&store, false).await?;

    // The binary that is running, so that the hint works whether it was installed
    // (`cargo install --path crates/cli`) or run with `cargo run`.
    let me = std::env::current_exe()
        .ok()
        .filter(|exe| !exe.components().any(|c| c.as_os_str() == "target"))
        .and_then(|exe| exe.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "cargo run --release --".to_owned());
    outln!(
        "\nTry: {me} --db {db} entity ofac-sdn:36\n     {me} --db {db} lists diff ofac-sdn@{old} ofac-sdn@{new}",
        db = db.display(),
        old = before
            .get("ofac-sdn")
            .map_or("", |v| v.version.get(..8).unwrap_or(&v.version)),
        new = after
            .get("ofac-sdn")
            .map_or("", |v| v.version.get(..8).unwrap_or(&v.version)),
    )?;
    store.close().await;
    std::fs::remove_dir_all(&work).ok();
    Ok(())
}
