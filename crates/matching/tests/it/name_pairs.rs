//! Behaviour test on real data: precision, recall and F1 of `score_pair` at
//! `DEFAULT_THRESHOLD` on the labelled name pairs of `name_pairs.dev.csv`.
//!
//! Set `INTERDICT_SHOW_FAILURES=1` to print every misclassified pair with its score.

use std::path::{Path, PathBuf};

use interdict_matching::{DEFAULT_THRESHOLD, score_pair};
use interdict_model::Schema;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

struct Case {
    schema: Option<Schema>,
    name1: String,
    name2: String,
    is_match: bool,
    category: String,
}

fn cases() -> Vec<Case> {
    let path = data_dir().join("eval/name_pairs.dev.csv");
    let mut reader = csv::Reader::from_path(&path).expect("name_pairs.dev.csv");
    reader
        .records()
        .map(|record| {
            let record = record.expect("csv record");
            let field = |i: usize| record.get(i).expect("column").to_owned();
            Case {
                schema: field(1).parse().ok(),
                name1: field(2),
                name2: field(3),
                is_match: field(4) == "true",
                category: field(7),
            }
        })
        .collect()
}

struct Counts {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
    true_negative: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.true_positive as f64 / (self.true_positive + self.false_positive).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.true_positive as f64 / (self.true_positive + self.false_negative).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn count(scored: &[(f64, &Case)], threshold: f64) -> Counts {
    let mut counts = Counts {
        true_positive: 0,
        false_positive: 0,
        false_negative: 0,
        true_negative: 0,
    };
    for (score, case) in scored {
        match (*score >= threshold, case.is_match) {
            (true, true) => counts.true_positive += 1,
            (true, false) => counts.false_positive += 1,
            (false, true) => counts.false_negative += 1,
            (false, false) => counts.true_negative += 1,
        }
    }
    counts
}

#[test]
fn f1_on_dev_name_pairs_reaches_target() {
    let cases = cases();
    assert!(
        cases.len() > 400,
        "expected the full dev set, got {}",
        cases.len()
    );
    let scored: Vec<(f64, &Case)> = cases
        .iter()
        .map(|case| (score_pair(&case.name1, &case.name2, case.schema).0, case))
        .collect();
    let counts = count(&scored, DEFAULT_THRESHOLD);
    println!(
        "name_pairs.dev.csv at threshold {DEFAULT_THRESHOLD}: precision {:.3}, recall {:.3}, F1 {:.3} \
         (tp {}, fp {}, fn {}, tn {})",
        counts.precision(),
        counts.recall(),
        counts.f1(),
        counts.true_positive,
        counts.false_positive,
        counts.false_negative,
        counts.true_negative
    );
    for step in 10..=18 {
        let threshold = f64::from(step) * 0.05;
        let c = count(&scored, threshold);
        println!(
            "  threshold {threshold:.2}: P {:.3} R {:.3} F1 {:.3}",
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    if std::env::var_os("INTERDICT_SHOW_FAILURES").is_some() {
        for (score, case) in &scored {
            if (*score >= DEFAULT_THRESHOLD) != case.is_match {
                println!(
                    "{} {:.3} {:?} | {} | {} | {}",
                    if case.is_match { "FN" } else { "FP" },
                    score,
                    case.schema,
                    case.name1,
                    case.name2,
                    case.category
                );
            }
        }
    }
    assert!(counts.f1() >= 0.92, "F1 {:.3} below 0.92", counts.f1());
}

fn score(name1: &str, name2: &str, schema: Schema) -> f64 {
    score_pair(name1, name2, Some(schema)).0
}

// One test per error class fixed in issue 18's last round, each with a pair it failed on
// (from the fit half of the dev pairs or of the pairs mined from OFAC + UN) and the pair
// that must stay as it was.

#[test]
fn a_reordering_after_the_first_name_costs_less_than_one_that_moves_it() {
    // OFAC's own alias of ABDULPATTA ESCALON ABUBAKAR: scored 0.650.
    let later_words_moved = score(
        "Abdulpatta Abubakar Escalon",
        "ABDULPATTA ESCALON ABUBAKAR",
        Schema::Person,
    );
    assert!(
        later_words_moved >= DEFAULT_THRESHOLD,
        "{later_words_moved}"
    );
    // Father and son: the given name moved.
    let given_name_moved = score(
        "Salman bin Muhammad al-Rawi",
        "Muhammad bin Salman al-Rawi",
        Schema::Person,
    );
    assert!(given_name_moved < DEFAULT_THRESHOLD, "{given_name_moved}");
}

#[test]
fn one_syllable_in_two_romanisation_systems_agrees() {
    // Pinyin x / English sh (scored 0.364), McCune-Reischauer ch / Revised j (0.390).
    assert!(score("Shi Jinping", "Xi Jinping", Schema::Person) >= DEFAULT_THRESHOLD);
    assert!(score("Yun Ho-chin", "YUN HO-JIN", Schema::Person) >= DEFAULT_THRESHOLD);
    // Other syllables stay other syllables.
    assert!(score("Cho Yong Chol", "JO YONG CHOL", Schema::Person) >= DEFAULT_THRESHOLD);
    assert!(score("Cho Yong Chol", "JO YONG CHUN", Schema::Person) < DEFAULT_THRESHOLD);
    assert!(score("Yun Ho-chin", "YUN HO-CHOL", Schema::Person) < DEFAULT_THRESHOLD);
}

#[test]
fn legal_forms_of_two_kinds_of_body_are_two_parties() {
    // A non-profit and a company of one name (scored 0.960); a joint-stock company and a
    // limited one that OFAC lists as two entities (0.960).
    assert!(
        score(
            "ANO Iskusstvo Krasoty",
            "LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY",
            Schema::Organization
        ) < DEFAULT_THRESHOLD
    );
    assert!(
        score(
            "JOINT STOCK COMPANY RUSSIAN TITANIUM RESOURCES",
            "RUSSIAN TITANIUM RESOURCES LIMITED",
            Schema::Organization
        ) < DEFAULT_THRESHOLD
    );
    // The same kind in another language still matches.
    assert!(
        score(
            "OOO Avisto",
            "LIMITED LIABILITY COMPANY AVISTO",
            Schema::Organization
        ) >= DEFAULT_THRESHOLD
    );
    assert!(
        score(
            "Sino Energy Shipping Hongkong Ltd.",
            "SINO ENERGY SHIPPING HONGKONG GMBH",
            Schema::Organization
        ) >= DEFAULT_THRESHOLD
    );
}

#[test]
fn numbers_in_words_and_digits_agree() {
    // Scored 0.427.
    assert!(score("Brigade Forty 4", "Brigade 44", Schema::Organization) >= DEFAULT_THRESHOLD);
    assert!(score("Brigade Forty Four", "Brigade 44", Schema::Organization) >= DEFAULT_THRESHOLD);
    assert!(score("Brigade Forty 5", "Brigade 44", Schema::Organization) < DEFAULT_THRESHOLD);
}

// Two causes of name-only false alerts of `customers_multiscript_dev.csv` (none listed).

#[test]
fn a_word_of_another_script_is_not_an_english_title() {
    // Hebrew עמאש reads `ms`, which was dropped as "Ms.": the one word left met a one-word
    // listed name at 0.970.
    assert!(score("אחמד עמאש", "al-Hammad", Schema::Person) < DEFAULT_THRESHOLD);
    // English titles still go.
    assert!(score("Mr Ahmad Amash", "Ahmad Amash", Schema::Person) >= DEFAULT_THRESHOLD);
}

#[test]
fn one_han_character_is_not_a_word_of_two_syllables() {
    // 张 (`jang`) shared its consonants with Jinghe: 0.724.
    assert!(score("张林", "LIN, Jinghe", Schema::Person) < DEFAULT_THRESHOLD);
    assert!(score("张建", "ZHANG, Jian", Schema::Person) >= DEFAULT_THRESHOLD);
    assert!(score("习近平", "Xi Jinping", Schema::Person) >= DEFAULT_THRESHOLD);
}

#[test]
fn a_title_after_the_article_is_a_family_name() {
    // "Al al-Sheikh" is a family: dropped as a title, it left "Fatih" alone to meet the
    // one-word AL-FATIH at 0.970.
    assert!(score("فاتح آل الشيخ", "AL-FATIH", Schema::Person) < DEFAULT_THRESHOLD);
    assert!(score("Khalifa Al al-Shaykh", "Khalifa", Schema::Person) < DEFAULT_THRESHOLD);
    // A title before the name still goes, in either script.
    assert!(score("Sheikh Ahmed Yassin", "Ahmed Yassin", Schema::Person) >= 0.99);
    let (_, explanation) = score_pair("ملا محمد عمر", "Mohammed Omar", Some(Schema::Person));
    assert_eq!(explanation.query_normalized, "mhmd amr");
}

#[test]
fn a_final_long_vowel_is_written_in_arabic_and_hebrew_script() {
    // כהן (Cohen, `khn`) met Hani, whose final vowel the script would have written: 0.970.
    assert!(score("יוסף כהן", "Hani Youssef", Schema::Person) < DEFAULT_THRESHOLD);
    // Written final vowels, and a final h standing for one, still meet their Latin names.
    assert!(score("هاني السيد", "Hani El Sayed", Schema::Person) >= 0.95);
    assert!(score("نوري المالكي", "Nouri al-Maliki", Schema::Person) >= 0.95);
    assert!(score("عبده محمد", "Abdo Mohamed", Schema::Person) >= DEFAULT_THRESHOLD);
}
