//! The same party on several lists, on the lists as published: the UN consolidated list, the
//! FCDO UK Sanctions List excerpt, the OFSI consolidated list of 2018 and OFAC's SDN list.
//! A party on several of them is one hit with every list that names it; different people
//! sharing a name are never merged.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use interdict_app::contract::ScreenRequest;
use interdict_app::{ActiveLists, CrossListParties, Limits, Screening};
use interdict_model::Entity;
use interdict_sources::{Format, SourceFile, cross_references_of};

fn data(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists")
        .join(path)
}

fn parse(path: &str, format: Format, list: &str) -> Vec<Entity> {
    let file = SourceFile {
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        bytes: std::fs::read(data(path)).expect("list file"),
    };
    let parsed = interdict_sources::parse(&[file], Some(format), Some(list)).expect("parses");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues.first());
    parsed.entities
}

/// The UN list and the UK Sanctions List excerpt, active together.
fn un_and_uk() -> ActiveLists {
    let mut entities = parse("un-consolidated-2026-02-27.xml", Format::UnScXml, "un-sc");
    entities.extend(parse(
        "uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
        "uk-sanctions-list",
    ));
    let versions = BTreeMap::from([
        ("un-sc".to_owned(), "v-un".to_owned()),
        ("uk-sanctions-list".to_owned(), "v-uk".to_owned()),
    ]);
    ActiveLists::build(entities, versions)
}

fn screen(active: &ActiveLists, name: &str) -> Vec<interdict_app::PartyMatch> {
    let screening = Screening::new(
        ScreenRequest {
            name: name.into(),
            ..ScreenRequest::default()
        },
        Limits::DEFAULT,
        "",
    )
    .expect("valid");
    active.screen(&[screening]).pop().expect("one result")
}

#[test]
fn a_person_on_the_un_and_uk_lists_is_one_hit_naming_both() {
    let active = un_and_uk();
    let hits = screen(&active, "Mohammad Hassan Akhund");
    let mut ids: Vec<String> = Vec::new();
    for hit in &hits {
        ids.push(hit.lead.entity.id.to_string());
        ids.extend(hit.also_listed.iter().map(|o| o.entity.id.to_string()));
    }
    // Each record is reported once, in one hit.
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");

    let hit = hits
        .iter()
        .find(|h| {
            ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"].contains(&h.lead.entity.id.as_str())
        })
        .expect("the person is found");
    let others: Vec<&str> = hit
        .also_listed
        .iter()
        .map(|o| o.entity.id.as_str())
        .collect();
    assert_eq!(others.len(), 1, "{others:?}");
    assert!(
        ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"].contains(&others[0]),
        "{others:?}"
    );
    let other = &hit.also_listed[0];
    assert_eq!(other.linked_by, "UN reference number TAi.002");
    // Both records name him as listed: the second scored too, no better than the lead.
    let score = other.score.expect("the other record matched too");
    assert!(score <= hit.lead.score);

    // The JSON contract: one match, `also_listed` with list, id, name and score.
    let json = interdict_app::screening::matches_json(&hits, &Default::default()).expect("json");
    let first = json
        .iter()
        .find(|m| m.entity_id == hit.lead.entity.id.as_str())
        .expect("in the JSON");
    assert_eq!(first.also_listed.len(), 1);
    assert_eq!(first.also_listed[0].entity_id, others[0]);
    assert_eq!(
        first.also_listed[0].score,
        Some((score * 1e4).round() / 1e4)
    );
}

#[test]
fn every_uk_designation_citing_a_un_reference_is_grouped_with_its_un_record() {
    let active = un_and_uk();
    let parties = &active.parties;
    let uk = parse(
        "uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
        "uk-sanctions-list",
    );
    let mut linked = 0;
    for entity in &uk {
        let references: Vec<String> = cross_references_of(entity)
            .into_iter()
            .filter(|(scheme, _)| *scheme == interdict_sources::UN_REFERENCE_LABEL)
            .map(|(_, value)| format!("un-sc:{value}"))
            .collect();
        let others: Vec<String> = parties
            .others(entity.id.as_str())
            .iter()
            .map(|o| o.entity.id.to_string())
            .collect();
        let on_un: Vec<&String> = references
            .iter()
            .filter(|id| {
                active
                    .index
                    .entities()
                    .any(|e| e.id.as_str() == id.as_str())
            })
            .collect();
        match on_un.as_slice() {
            [] => assert!(others.is_empty(), "{}: {others:?}", entity.id),
            [un] => {
                assert_eq!(others, [un.as_str()], "{}", entity.id);
                linked += 1;
            }
            more => panic!("{} cites several UN records {more:?}", entity.id),
        }
    }
    // 12 of the excerpt's 21 designations are UN listings still on the UN list of 2026-02-27.
    assert!(linked >= 10, "{linked}");
}

#[test]
fn namesakes_are_never_merged() {
    let active = un_and_uk();
    // Many UN-listed people share "Mohammad"; only records sharing a reference are one hit.
    let hits = screen(&active, "Mohammad Akhund");
    assert!(hits.len() > 1, "{}", hits.len());
    for hit in &hits {
        let lead = cross_references_of(&hit.lead.entity);
        for other in &hit.also_listed {
            let theirs = cross_references_of(&other.entity);
            assert!(
                lead.iter().any(|r| theirs.contains(r)),
                "{} grouped with {} without a shared reference",
                hit.lead.entity.id,
                other.entity.id
            );
        }
    }
    // No party holds two records of one list.
    let all: Vec<Arc<Entity>> = active.index.entities().cloned().collect();
    let parties = CrossListParties::build(&all);
    for entity in &all {
        let others = parties.others(entity.id.as_str());
        let mut lists: Vec<&str> = others.iter().map(|o| o.entity.id.list()).collect();
        lists.push(entity.id.list());
        let count = lists.len();
        lists.sort_unstable();
        lists.dedup();
        assert_eq!(lists.len(), count, "{}", entity.id);
    }
}

#[test]
fn the_two_uk_lists_name_each_other_and_ofac_is_linked_only_by_passport_and_name() {
    let mut entities = parse(
        "uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
        Format::UkSanctionsListXml,
        "uk-sanctions-list",
    );
    entities.extend(parse(
        "uk-hmt-2018-04-13/sanctionsconlist.csv",
        Format::UkOfsiCsv,
        "uk-ofsi",
    ));
    entities.extend(parse(
        "un-consolidated-2026-02-27.xml",
        Format::UnScXml,
        "un-sc",
    ));
    entities.extend(parse(
        "ofac-sdn-2024-03-14/sdn.csv",
        Format::OfacSdnCsv,
        "ofac-sdn",
    ));
    let all: Vec<Arc<Entity>> = entities.into_iter().map(Arc::new).collect();
    let parties = CrossListParties::build(&all);
    // AFG0006 is OFSI group 7172, and UN TAi.002.
    let others: Vec<String> = parties
        .others("uk-sanctions-list:AFG0006")
        .iter()
        .map(|o| o.entity.id.to_string())
        .collect();
    assert!(others.contains(&"un-sc:TAi.002".to_owned()), "{others:?}");
    assert!(others.contains(&"uk-ofsi:7172".to_owned()), "{others:?}");
    // OFAC cites no other list: each of its links is a shared decisive identifier (on
    // records whose names agree, checked when the link is made), never a name alone.
    let mut ofac_links = 0;
    for entity in all.iter().filter(|e| e.id.list() != "ofac-sdn") {
        for other in parties
            .others(entity.id.as_str())
            .into_iter()
            .filter(|o| o.entity.id.list() == "ofac-sdn")
        {
            ofac_links += 1;
            assert!(
                [
                    "passport ",
                    "national id ",
                    "tax id ",
                    "registration number ",
                    "imo ",
                    "swift bic "
                ]
                .iter()
                .any(|kind| other.linked_by.starts_with(kind))
                    || other.linked_by.starts_with("crypto address"),
                "{} ~ {}: {}",
                entity.id,
                other.entity.id,
                other.linked_by
            );
        }
    }
    assert!(ofac_links > 50, "{ofac_links}");
    assert!(parties.len() > 100, "{}", parties.len());
}
