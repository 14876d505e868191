//! Free-text scanning against OFAC SDN 2024-03-14 + UN: each kind of mention the scanner
//! must find (people in every written form, organisations, vessels, identifiers), what it
//! must not report (ordinary words equal to one-token aliases, unlisted namesakes,
//! look-alike companies), byte offsets in multi-byte text, a 10 MB document, and the
//! targets on the dev set `eval/freetext_dev`.

use crate::common;

use std::sync::{Arc, OnceLock};

use interdict_matching::{
    EvaluatedDocument, Index, Label, Mention, MentionKind, ScanOptions, Scanner, Trap,
    evaluate_scan,
};

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let mut entities = common::ofac_entities().to_vec();
        entities.extend(common::un_entities().iter().cloned());
        Scanner::new(Arc::new(Index::build(entities)))
    })
}

fn scan(text: &str) -> Vec<Mention> {
    let mentions = scanner().scan(text, &ScanOptions::default());
    for mention in &mentions {
        assert_eq!(
            text.get(mention.start..mention.end),
            Some(mention.text.as_str())
        );
    }
    mentions
}

/// The mentions of OFAC entry `ent_num`, as (text, kind, score).
fn of(mentions: &[Mention], ent_num: &str) -> Vec<(String, MentionKind, f64)> {
    mentions
        .iter()
        .filter(|m| m.entity_id.as_str() == format!("ofac-sdn:{ent_num}"))
        .map(|m| (m.text.clone(), m.explanation.kind, m.score))
        .collect()
}

const SHOIGU: &str = "35173";
const PUTIN: &str = "35096";

#[test]
fn finds_a_person_in_every_written_form() {
    for (text, expected) in [
        (
            "The decree names SHOIGU, Sergei Kuzhugetovich as responsible.",
            "SHOIGU, Sergei Kuzhugetovich",
        ),
        (
            "Defence chief Sergei Kuzhugetovich Shoigu arrived.",
            "Sergei Kuzhugetovich Shoigu",
        ),
        ("Defence chief Sergei Shoigu arrived.", "Sergei Shoigu"),
        (
            "Verteidigungsminister Sergej Schoigu reiste ab.",
            "Sergej Schoigu",
        ),
        ("Министр обороны Сергей Шойгу прибыл.", "Сергей Шойгу"),
    ] {
        let found = of(&scan(text), SHOIGU);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].0, expected, "{text}");
        assert_eq!(found[0].1, MentionKind::Name);
    }
}

#[test]
fn finds_names_in_their_original_script() {
    // UN IQi.002 QUSAY SADDAM HUSSEIN AL-TIKRITI, listed with its Arabic spelling.
    let text = "قال التقرير إن قصي صدام حسين التكريتي كان هناك.";
    let mentions = scan(text);
    let found: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.entity_id.as_str() == "un-sc:IQi.002")
        .collect();
    assert_eq!(found.len(), 1, "{mentions:?}");
    assert_eq!(found[0].text, "قصي صدام حسين التكريتي");
}

#[test]
fn titles_and_possessives_stay_outside_the_name() {
    let found = of(
        &scan("Yesterday President Vladimir Putin's aides denied it."),
        PUTIN,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Vladimir Putin");
}

#[test]
fn links_a_surname_to_the_full_mention_with_a_lower_score() {
    let text = "Vladimir Putin met officials on Monday. Later, Putin said the talks went well.";
    let mentions = scan(text);
    let found = of(&mentions, PUTIN);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "Vladimir Putin");
    assert_eq!(found[1].0, "Putin");
    assert_eq!(found[1].1, MentionKind::LinkedSurname);
    assert!(found[1].2 < found[0].2);
    let linked = mentions
        .iter()
        .find(|m| m.explanation.kind == MentionKind::LinkedSurname)
        .and_then(|m| m.explanation.linked_to.clone());
    assert_eq!(linked, Some(0..14));
}

#[test]
fn a_surname_alone_needs_a_full_mention_or_a_listed_role() {
    assert!(of(&scan("Later, Putin said the talks went well."), PUTIN).is_empty());
    // Putin is listed as "President of the Russian Federation".
    let found = of(&scan("Talks with President Putin resumed."), PUTIN);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "President Putin");
    assert_eq!(found[0].1, MentionKind::TitledSurname);
    // Shoigu's entry gives no role: a surname after a title is not enough.
    assert!(of(&scan("Talks with Minister Shoigu resumed."), SHOIGU).is_empty());
}

#[test]
fn finds_organisations_in_title_case_with_legal_forms_rewritten_and_by_aka() {
    // 17770 KAFAK ENTERPRISES LIMITED.
    let found = of(
        &scan("Invoices from Kafak Enterprises Ltd. were paid."),
        "17770",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Kafak Enterprises Ltd.");
    // 29526 SINO ENERGY SHIPPING HONGKONG LIMITED.
    let found = of(
        &scan("Sino Energy Shipping Hongkong Ltd chartered it."),
        "29526",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    // 40820 LIMITED LIABILITY COMPANY NEW CITY as OOO.
    let found = of(&scan("The buyer, OOO New City, paid in advance."), "40820");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "OOO New City");
    // ... but not the city of an ordinary sentence.
    assert!(of(&scan("The New City library reopened."), "40820").is_empty());
}

#[test]
fn finds_a_distinctive_short_form_scored_below_the_full_name() {
    let full = "The State Duma of the Federal Assembly of the Russian Federation voted.";
    let short = "The State Duma voted on Tuesday.";
    let full_found = of(&scan(full), "35845");
    let short_found = of(&scan(short), "35845");
    assert_eq!(full_found.len(), 1, "{full_found:?}");
    assert_eq!(short_found.len(), 1, "{short_found:?}");
    assert_eq!(short_found[0].0, "State Duma");
    assert_eq!(short_found[0].1, MentionKind::ShortForm);
    assert!(short_found[0].2 < full_found[0].2);
    // "the Duma": its one distinctive word, lower still.
    let word_found = of(&scan("Members of the Duma approved the bill."), "35845");
    assert_eq!(word_found.len(), 1, "{word_found:?}");
    assert_eq!(word_found[0].0, "Duma");
    assert!(word_found[0].2 < short_found[0].2);
    // Without "the" before it, the word is not the body.
    assert!(of(&scan("Duma approved."), "35845").is_empty());
}

#[test]
fn finds_vessels_by_name_and_by_imo_number_with_a_valid_check_digit() {
    // 15037 ARK III, IMO 9187655.
    let found = of(&scan("The tanker Ark III was seen off Fujairah."), "15037");
    assert_eq!(found.len(), 1, "{found:?}");
    let found = of(
        &scan("Bill of lading: vessel IMO 9187655, port of loading Bandar Abbas."),
        "15037",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "IMO 9187655");
    assert_eq!(found[0].1, MentionKind::Identifier);
    // One digit off: the check digit fails, whatever the list says.
    assert!(of(&scan("vessel IMO 9187656 loaded"), "15037").is_empty());
    // Seven digits without the label are not an IMO number.
    assert!(of(&scan("reference 9187655 paid"), "15037").is_empty());
}

#[test]
fn finds_digital_currency_addresses_and_bics_wherever_they_appear() {
    let text = "Send to 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h or 0x098b716b8aaf21512996dc57eb0615e2383e2f96; correspondent HAVIGB2L, branch HNRBBY2XMIN.";
    let mentions = scan(text);
    let identifiers: Vec<&str> = mentions
        .iter()
        .filter(|m| m.explanation.kind == MentionKind::Identifier)
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(
        identifiers,
        [
            "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
            "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
            "HAVIGB2L",
            "HNRBBY2XMIN"
        ]
    );
    assert_eq!(of(&mentions, "906").len(), 1);
    // Part of a longer token is not the address.
    assert!(scan("x12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h").is_empty());
}

#[test]
fn ignores_ordinary_words_unlisted_namesakes_and_look_alike_companies() {
    for text in [
        "Some 42 stalls signed up; the night bus leaves at 07:15.",
        "They danced the tango; it was a success and a victory for freedom.",
        "Amber and the doctor met the editor at the Magnolia cafe.",
        "Lionel Messi scored twice; Daniil Medvedev won in Paris.",
        "Pacific Bakery Ltd and Global Pottery Ltd opened new shops.",
        "Heidi Mohamed, a teacher, said Mr Putin was on television.",
    ] {
        let mentions = scan(text);
        assert!(mentions.is_empty(), "{text}: {mentions:?}");
    }
}

#[test]
fn one_token_aliases_need_context() {
    // 35740 TANGO (a vessel): a vessel word before it, or quotes round it.
    assert!(of(&scan("The Tango was busy."), "35740").is_empty());
    let found = of(&scan("The tanker Tango left port."), "35740");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, MentionKind::NameInContext);
}

#[test]
fn byte_offsets_count_bytes_in_multi_byte_text() {
    let text = "Журналисты 🗞️ сообщили: «Сергей Шойгу» — и Sergei Shoigu — прибыли.";
    let found: Vec<Mention> = scan(text)
        .into_iter()
        .filter(|m| m.entity_id.as_str() == format!("ofac-sdn:{SHOIGU}"))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    let cyrillic = text.find("Сергей").unwrap_or(usize::MAX);
    assert_eq!(
        (found[0].start, found[0].end),
        (cyrillic, cyrillic + "Сергей Шойгу".len())
    );
    let latin = text.find("Sergei").unwrap_or(usize::MAX);
    assert_eq!(
        (found[1].start, found[1].end),
        (latin, latin + "Sergei Shoigu".len())
    );
}

#[test]
fn scans_a_ten_megabyte_document_in_one_pass() {
    let paragraph = "Officials in Dhaka said on Monday that Sergei Shoigu had met traders from \
        Kafak Enterprises Limited, while the tanker (IMO 9187655) waited offshore. Prices of \
        rice, fish and fuel rose again; the minister said 42 new stalls would open. ";
    let repeats = 10_000_000 / paragraph.len() + 1;
    let text = paragraph.repeat(repeats);
    assert!(text.len() >= 10_000_000);
    let options = ScanOptions {
        limit: usize::MAX,
        ..ScanOptions::default()
    };
    let mentions = scanner().scan(&text, &options);
    for entity in [SHOIGU, "17770", "15037"] {
        let count = mentions
            .iter()
            .filter(|m| m.entity_id.as_str() == format!("ofac-sdn:{entity}"))
            .count();
        assert_eq!(count, repeats, "ofac-sdn:{entity}");
    }
    assert!(
        mentions
            .iter()
            .all(|m| text.get(m.start..m.end) == Some(m.text.as_str()))
    );
}

#[test]
fn batches_scan_in_parallel_in_document_order() {
    let texts = [
        "Sergei Shoigu arrived.",
        "Nothing here.",
        "Vladimir Putin left.",
    ];
    let results = scanner().scan_batch(&texts, &ScanOptions::default());
    assert_eq!(results.len(), 3);
    assert_eq!(of(&results[0], SHOIGU).len(), 1);
    assert!(results[1].is_empty());
    assert_eq!(of(&results[2], PUTIN).len(), 1);
}

#[test]
fn options_filter_lists_and_limit_mentions() {
    let text = "Sergei Shoigu and Vladimir Putin met.";
    let only_un = ScanOptions {
        lists: vec!["un-sc".into()],
        ..ScanOptions::default()
    };
    assert!(
        scanner()
            .scan(text, &only_un)
            .iter()
            .all(|m| m.entity_id.list() == "un-sc")
    );
    let one = ScanOptions {
        limit: 1,
        ..ScanOptions::default()
    };
    assert_eq!(scanner().scan(text, &one).len(), 1);
    let strict = ScanOptions {
        threshold: 1.01,
        ..ScanOptions::default()
    };
    assert!(scanner().scan(text, &strict).is_empty());
}

#[test]
fn mentions_serialise_with_their_explanation() {
    let mentions = scan("Defence chief Sergei Shoigu arrived.");
    let json = serde_json::to_value(&mentions).unwrap_or_default();
    let first = &json[0];
    for field in [
        "start",
        "end",
        "text",
        "entity_id",
        "listed_name",
        "score",
        "explanation",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(first["explanation"]["kind"], "name");
    assert_eq!(
        first["explanation"]["name"]["matched_name"],
        "SHOIGU, Sergei Kuzhugetovich"
    );
}

#[test]
fn meets_the_targets_on_the_dev_set() {
    let dir = common::data_dir().join("eval/freetext_dev");
    let paragraphs = std::fs::read_to_string(dir.join("paragraphs.jsonl")).unwrap_or_default();
    let documents: Vec<(String, String)> = paragraphs
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let field = |name: &str| v[name].as_str().unwrap_or("").to_owned();
            (field("id"), field("text"))
        })
        .collect();
    assert_eq!(documents.len(), 150);
    let rows = |name: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_path(dir.join(name))
            .map(|mut r| r.records().filter_map(Result::ok).collect())
            .unwrap_or_default()
    };
    let field = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").to_owned();
    let labels: Vec<Label> = rows("labels.csv")
        .iter()
        .map(|r| Label {
            document: field(r, 0),
            mention_text: field(r, 1),
            source_id: field(r, 2),
            variant: field(r, 5),
        })
        .collect();
    let traps: Vec<Trap> = rows("traps.csv")
        .iter()
        .map(|r| Trap {
            document: field(r, 0),
            text: field(r, 1),
            kind: field(r, 2),
        })
        .collect();
    let texts: Vec<&str> = documents.iter().map(|(_, t)| t.as_str()).collect();
    let results = scanner().scan_batch(&texts, &ScanOptions::default());
    let scanned: Vec<EvaluatedDocument> = documents
        .iter()
        .zip(results)
        .map(|((id, text), mentions)| EvaluatedDocument {
            id: id.clone(),
            text: text.clone(),
            mentions,
        })
        .collect();
    let evaluation = evaluate_scan(&scanned, &labels, &traps, "ofac-sdn");
    assert_eq!(evaluation.labels, 100);
    assert!(evaluation.recall >= 0.95, "{evaluation}");
    for variant in &evaluation.variants {
        assert!(variant.recall >= 0.85, "{evaluation}");
    }
    assert!(
        evaluation.clean_with_mentions * 50 <= evaluation.clean_documents,
        "{evaluation}"
    );
    assert!(evaluation.trap_hits.is_empty(), "{evaluation}");
}
