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
    assert!(counts.f1() >= 0.88, "F1 {:.3} below 0.88", counts.f1());
}
