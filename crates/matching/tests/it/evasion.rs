//! Behaviour tests on OFAC SDN 2024-03-14 + UN for the ways names escape or flood a
//! screening: look-alike letters of another script, particles that are surnames, surnames
//! with initials, people meeting vessels and companies, one-word listed names, one-syllable
//! Chinese and Korean names, Arabic script without vowels, and scores that rank.

use crate::common;

use common::combined_index;
use interdict_matching::{
    DEFAULT_THRESHOLD, Feature, Index, Match, Query, ScreenOptions, score_pair,
};
use interdict_model::{DateOfBirth, Schema};

fn screen(index: &Index, query: &Query) -> Vec<Match> {
    index.screen(
        query,
        &ScreenOptions {
            limit: 20,
            ..ScreenOptions::default()
        },
    )
}

fn finds(query: &Query, entity_id: &str) -> Option<Match> {
    screen(combined_index(), query)
        .into_iter()
        .find(|m| m.entity.id.as_str() == entity_id)
}

fn pair(a: &str, b: &str, schema: Option<Schema>) -> f64 {
    score_pair(a, b, schema).0
}

#[test]
fn one_look_alike_letter_does_not_defeat_screening_and_is_reported() {
    for (name, entity) in [
        ("Vl\u{0430}dimir Putin", "ofac-sdn:35096"),
        ("S\u{0435}rgei Shoigu", "ofac-sdn:35173"),
    ] {
        let found = finds(&Query::name(name), entity)
            .unwrap_or_else(|| panic!("{name} does not find {entity}"));
        let mixed = found
            .explanation
            .features
            .iter()
            .find(|f| f.feature == Feature::MixedScript)
            .unwrap_or_else(|| panic!("{name}: no mixed-script feature"));
        assert!(mixed.value.contains('\u{0430}') || mixed.value.contains('\u{0435}'));
        assert_eq!(mixed.effect, 0.0);
    }
    let osama = screen(combined_index(), &Query::name("Os\u{0430}ma bin Laden"));
    assert!(
        osama
            .iter()
            .any(|m| m.matched_name.to_lowercase().contains("laden")),
        "Osаma bin Laden: {:?}",
        osama.iter().map(|m| &m.matched_name).collect::<Vec<_>>()
    );
    // The same name typed in one script is not flagged.
    let plain = finds(&Query::name("Vladimir Putin"), "ofac-sdn:35096").expect("Putin");
    assert!(
        plain
            .explanation
            .features
            .iter()
            .all(|f| f.feature != Feature::MixedScript)
    );
}

#[test]
fn a_particle_that_is_a_surname_is_kept() {
    for written in [
        "Ten Sergey Yuryevich",
        "Sergey Yuryevich Ten",
        "TEN, Sergey Yuryevich",
    ] {
        let mut query = Query::name(written);
        query.schema = Some(Schema::Person);
        let found = finds(&query, "ofac-sdn:35509")
            .unwrap_or_else(|| panic!("{written} does not find TEN, Sergey Yuryevich"));
        assert!(found.score >= 0.9, "{written}: {}", found.score);
    }
    // Without the surname it is just two common given names.
    let given_only = pair(
        "Sergey Yuryevich",
        "TEN, Sergey Yuryevich",
        Some(Schema::Person),
    );
    assert!(given_only < 0.9, "{given_only}");
}

#[test]
fn surname_with_initials_matches_below_the_full_name() {
    let listed = "SHARGUNOV, Sergey Aleksandrovich";
    let full = pair(
        "Sergey Aleksandrovich Shargunov",
        listed,
        Some(Schema::Person),
    );
    for written in ["SHARGUNOV S. A.", "S. A. Shargunov", "Shargunov Sergey A."] {
        let score = pair(written, listed, Some(Schema::Person));
        assert!(
            score >= DEFAULT_THRESHOLD && score < full,
            "{written}: {score} (full name {full})"
        );
    }
    // Initials that disagree do not match.
    let wrong = pair("SHARGUNOV I. A.", listed, Some(Schema::Person));
    assert!(wrong < DEFAULT_THRESHOLD, "{wrong}");
    // A common surname with initials and a date of birth no namesake has does not flood.
    let mut ivanov = Query::name("IVANOV I. I.");
    ivanov.dob = DateOfBirth::parse("1999-01-01");
    let matches = screen(combined_index(), &ivanov);
    assert!(matches.len() <= 2, "{} alerts", matches.len());
}

#[test]
fn a_person_never_meets_a_vessel_or_company_unless_any_schema_is_asked_for() {
    let mut linda = Query::name("Linda");
    linda.dob = DateOfBirth::parse("1985-06-01");
    assert_eq!(linda.screened_schema(), Some(Schema::Person));
    assert!(finds(&linda, "ofac-sdn:34941").is_none());
    linda.any_schema = true;
    assert_eq!(linda.screened_schema(), None);
    assert!(finds(&linda, "ofac-sdn:34941").is_some());
    // A patronymic says person too; a bare name says nothing.
    assert_eq!(
        Query::name("Sergey Yuryevich Ten").screened_schema(),
        Some(Schema::Person)
    );
    assert_eq!(Query::name("Linda").screened_schema(), None);
    let mut vessel = Query::name("Linda");
    vessel.schema = Some(Schema::Vessel);
    vessel.dob = DateOfBirth::parse("1985-06-01");
    assert_eq!(vessel.screened_schema(), Some(Schema::Vessel));
}

#[test]
fn a_one_word_listed_name_needs_more_than_that_word() {
    // The vessel LINDA, by name alone: the customer has a surname the vessel lacks.
    assert!(finds(&Query::name("Linda Pérez"), "ofac-sdn:34941").is_none());
    assert!(finds(&Query::name("LINDA"), "ofac-sdn:34941").is_some());
    let (score, explanation) = score_pair("Lauren Martinez", "LAUREN", None);
    assert!(score < DEFAULT_THRESHOLD, "{score}");
    assert!(
        explanation
            .features
            .iter()
            .any(|f| f.feature == Feature::OneWordName)
    );
}

#[test]
fn one_syllable_names_need_two_equal_syllables() {
    let yong = pair("Yong Sun", "YONG XIN", None);
    assert!(yong < DEFAULT_THRESHOLD, "{yong}");
    let wang = pair("Wang Lei", "WANG Wei", Some(Schema::Person));
    assert!(wang < DEFAULT_THRESHOLD, "{wang}");
    assert!(pair("Kim Chol", "KIM Chol", Some(Schema::Person)) > 0.95);
    assert!(pair("Chol Kim", "KIM Chol", Some(Schema::Person)) > 0.95);
    assert!(pair("Ri Won Ho", "RI Won Ho", Some(Schema::Person)) > 0.95);
}

#[test]
fn an_arabic_skeleton_is_not_found_inside_a_longer_latin_word() {
    let narges = pair("نرگس سمسار", "NOVA ENERGIES", None);
    assert!(narges < DEFAULT_THRESHOLD, "{narges}");
    // Korean or Chinese script against Arabic script: two lossy romanisations agreeing is
    // chance; one consonant in common says nothing.
    let korean = pair("류지은", "ولی جان", Some(Schema::Person));
    assert!(korean < DEFAULT_THRESHOLD, "{korean}");
    let lee = pair("Lee", "ولی", Some(Schema::Person));
    assert!(lee < 0.85, "{lee}");
    // The same skeleton written as the name it is still matches.
    assert!(pair("نرگس", "Narges", Some(Schema::Person)) > 0.85);
    assert!(pair("علي", "Ali", Some(Schema::Person)) > 0.85);
    assert!(pair("عمر", "Omar", Some(Schema::Person)) > 0.85);
}

#[test]
fn partial_agreement_with_every_detail_ranks_below_an_exact_match() {
    let query = |name: &str| {
        let mut query = Query::name(name);
        query.schema = Some(Schema::Person);
        query.dob = DateOfBirth::parse("1952-10-07");
        query.countries = vec!["RU".parse().expect("country")];
        query
    };
    let exact = finds(&query("Vladimir Vladimirovich Putin"), "ofac-sdn:35096").expect("exact");
    let typo = finds(&query("Vladimir Vladimirovich Pudin"), "ofac-sdn:35096").expect("typo");
    assert!(
        exact.score > typo.score,
        "{} vs {}",
        exact.score,
        typo.score
    );
    assert!(typo.score < 1.0, "{}", typo.score);
}
