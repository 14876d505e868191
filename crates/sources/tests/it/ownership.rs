//! Ownership data: the CSV of edges and FollowTheMoney `Ownership` / `Directorship`
//! entities, on the fixtures in `tests/data/ownership/` and the graph fixture, bad rows
//! included.

use interdict_model::{PartialDate, Relation, RelationKind, Share, Stake};
use interdict_sources::{Error, RelationFormat, SourceFile, parse_relations};

use crate::common::fixture;

fn percent(p: f64) -> Share {
    Share::from_percent(p).unwrap_or_else(|| panic!("{p}"))
}

fn find<'a>(relations: &'a [Relation], owner: &str, asset: &str) -> &'a Relation {
    relations
        .iter()
        .find(|r| r.owner == owner && r.asset == asset)
        .unwrap_or_else(|| panic!("no relation {owner} → {asset}"))
}

#[test]
fn the_csv_of_edges_gives_good_rows_and_names_every_bad_one() {
    let parsed = parse_relations(&[fixture("ownership/edges.csv")], None, Some("registry"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, RelationFormat::OwnershipCsv);
    assert_eq!(parsed.list, "registry");
    assert_eq!(parsed.relations.len(), 7);

    let holding = find(&parsed.relations, "ofac-sdn:35391", "registry:acme-holding");
    assert_eq!(holding.kind, RelationKind::Ownership);
    assert_eq!(holding.stake, Some(Stake::exact(percent(60.0))));
    assert_eq!(holding.start, PartialDate::ymd(2019, 4, 1));
    assert_eq!(holding.role.as_deref(), Some("shareholder"));
    assert_eq!(
        holding.id,
        "registry:ofac-sdn:35391>acme-holding:ownership@2019-04-01"
    );
    assert_eq!(holding.source.location, "row 1 (line 2)");
    assert_eq!(holding.source.format, "ownership-csv");

    let unknown = find(
        &parsed.relations,
        "registry:acme-holding",
        "registry:acme-trading",
    );
    assert_eq!(unknown.stake, Some(Stake::exact(Share::WHOLE)));
    let joint = find(
        &parsed.relations,
        "registry:p-ivanova",
        "registry:acme-trading",
    );
    assert!(joint.joint);
    assert_eq!(joint.stake, Stake::range(percent(25.0), percent(50.0)));
    let director = find(&parsed.relations, "ofac-sdn:35391", "registry:acme-trading");
    assert_eq!(director.kind, RelationKind::Control);
    assert_eq!(director.stake, None);
    assert_eq!(director.role.as_deref(), Some("director"));
    let ended = find(
        &parsed.relations,
        "registry:old-owner",
        "registry:acme-holding",
    );
    assert_eq!(ended.end, PartialDate::ymd(2018, 12, 31));
    let majority = find(
        &parsed.relations,
        "registry:p-orlova",
        "registry:acme-logistics",
    );
    assert_eq!(majority.stake.map(|s| s.low.ppm()), Some(500_001));

    let issues: Vec<(String, String)> = parsed
        .issues
        .iter()
        .map(|i| (i.location.clone(), i.message.clone()))
        .collect();
    let expect = [
        (
            "row 6 (line 7)",
            "column percentage: cannot read percentage \"abc\"",
        ),
        ("row 7 (line 8)", "column owner_id: empty"),
        (
            "row 8 (line 9)",
            "column asset_id: acme-trading cannot hold itself",
        ),
        (
            "row 9 (line 10)",
            "column start_date: cannot read date \"2021-13-01\"",
        ),
        (
            "row 10 (line 11)",
            "column end_date: 2021 is before the start 2022",
        ),
        ("row 11 (line 12)", "column kind: unknown kind \"partner\""),
        (
            "row 12 (line 13)",
            "column percentage: \"10\" given for control",
        ),
        ("row 13 (line 14)", "the row has 3 fields, the header 7"),
        ("row 14 (line 15)", "repeats the one at row 2 (line 3)"),
    ];
    assert_eq!(issues.len(), expect.len(), "{issues:#?}");
    for ((location, message), (want_location, want_message)) in issues.iter().zip(expect) {
        assert_eq!(location, want_location);
        assert!(
            message.contains(want_message),
            "{location}: {message:?} lacks {want_message:?}"
        );
    }
    assert!(parsed.issues.iter().all(|i| i.file == "edges.csv"));
}

#[test]
fn a_csv_without_the_party_columns_is_not_ownership_data() {
    let file = SourceFile {
        name: "owners.csv".into(),
        bytes: b"owner,asset,percentage\na,b,50\n".to_vec(),
    };
    let detected = parse_relations(std::slice::from_ref(&file), None, None);
    assert!(matches!(detected, Err(Error::Undetected { .. })));
    let forced = parse_relations(&[file], Some(RelationFormat::OwnershipCsv), None);
    assert!(matches!(forced, Err(Error::Malformed { .. })), "{forced:?}");
    assert!(matches!(
        parse_relations(&[], None, None),
        Err(Error::NoInput)
    ));
}

fn ftm_files() -> Vec<SourceFile> {
    let mut delta = fixture("ownership/deltas/20240601000000-own.delta.json");
    delta.name = "deltas/20240601000000-own.delta.json".into();
    vec![fixture("ownership/ownership.ftm.json"), delta]
}

#[test]
fn ftm_ownership_and_directorship_become_relations_after_the_deltas() {
    let parsed = parse_relations(&ftm_files(), None, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, RelationFormat::Ftm);
    assert_eq!(parsed.list, "ex_registry");
    let ids: Vec<&str> = parsed.relations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ex_registry:own-ownership-1",
            "ex_registry:own-ownership-2",
            "ex_registry:own-ownership-4",
            "ex_registry:own-directorship-1",
        ]
    );
    let first = &parsed.relations[0];
    assert_eq!(first.owner, "ex_registry:own-person-1");
    assert_eq!(first.asset, "ex_registry:own-company-1");
    assert_eq!(first.stake, Some(Stake::exact(percent(60.0))));
    assert_eq!(first.role.as_deref(), Some("Shareholder"));
    assert_eq!(first.source.location, "line 4");
    // The delta turned the band 25-50% into "more than 50%".
    let band = parsed.relations[1].stake.unwrap_or_else(Stake::unknown);
    assert_eq!((band.low.ppm(), band.high), (500_001, Share::WHOLE));
    assert_eq!(parsed.relations[2].end, PartialDate::ymd(2016, 8, 31));
    let director = &parsed.relations[3];
    assert_eq!(director.kind, RelationKind::Control);
    assert_eq!(director.role.as_deref(), Some("General Director"));

    let issues: Vec<String> = parsed.issues.iter().map(ToString::to_string).collect();
    assert_eq!(
        issues,
        [
            "ownership.ftm.json: line 9: Ownership own-bad-1: no asset",
            "ownership.ftm.json: line 11: Ownership own-bad-3: cannot read startDate \"2020-02-30\"",
        ]
    );
}

#[test]
fn an_ownership_without_a_percentage_is_of_unknown_size() {
    let text = r#"{"id":"o1","schema":"Ownership","properties":{"owner":["a"],"asset":["b"]}}"#;
    let file = SourceFile {
        name: "o.ftm.json".into(),
        bytes: text.as_bytes().to_vec(),
    };
    let parsed = parse_relations(&[file], None, Some("x")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.relations[0].stake, Some(Stake::unknown()));
    assert!(parsed.issues.is_empty());
}

#[test]
fn the_graph_fixture_ownership_is_read_too() {
    let parsed = parse_relations(
        &[fixture("ftm/graph.ftm.json")],
        Some(RelationFormat::Ftm),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.relations.len(), 1);
    let relation = &parsed.relations[0];
    assert_eq!(relation.owner, "ex_sanctions:ex-person-1");
    assert_eq!(relation.asset, "ex_sanctions:ex-company-1");
    assert_eq!(relation.stake, Some(Stake::exact(percent(51.0))));
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 64,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// The fixture with bytes overwritten at random places.
    fn mutated(name: &str, flips: &[(usize, u8)]) -> SourceFile {
        let mut file = fixture(name);
        for &(at, byte) in flips {
            let len = file.bytes.len().max(1);
            if let Some(b) = file.bytes.get_mut(at % len) {
                *b = byte;
            }
        }
        file
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let file = SourceFile { name: "x".into(), bytes };
            for format in [None, Some(RelationFormat::OwnershipCsv), Some(RelationFormat::Ftm)] {
                let _ = parse_relations(std::slice::from_ref(&file), format, None);
            }
        }

        #[test]
        fn damaged_fixtures(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..12)) {
            for name in ["ownership/edges.csv", "ownership/ownership.ftm.json"] {
                if let Ok(parsed) = parse_relations(&[mutated(name, &flips)], None, None) {
                    for relation in &parsed.relations {
                        prop_assert!(!relation.owner.is_empty() && !relation.asset.is_empty());
                        prop_assert!(relation.owner != relation.asset);
                        if let Some(stake) = relation.stake {
                            prop_assert!(stake.low <= stake.high);
                        }
                    }
                }
            }
        }
    }
}
