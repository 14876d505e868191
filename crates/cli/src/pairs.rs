//! `interdict pairs` and `interdict eval pairs`: score labelled or unlabelled name pairs.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::output::outln;
use anyhow::{Context, Result, bail};
use interdict_matching::{DEFAULT_THRESHOLD, score_pair};
use interdict_model::Schema;

/// One pair read from the CSV.
struct Pair {
    record: csv::StringRecord,
    name1: String,
    name2: String,
    schema: Option<Schema>,
    is_match: Option<bool>,
}

/// Reads the pairs of `path`; a row that cannot be read is an error naming its line.
fn read_pairs(path: &Path) -> Result<(csv::StringRecord, Vec<Pair>)> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header row", path.display()))?
        .clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(name1), Some(name2)) = (find("name1"), find("name2")) else {
        bail!("{}: needs columns name1 and name2", path.display());
    };
    let schema_col = find("schema");
    let label_col = find("is_match");
    let mut pairs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record =
            record.with_context(|| format!("{}: line {line}: unreadable row", path.display()))?;
        let get = |col: Option<usize>| {
            col.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let schema = match get(schema_col) {
            None => None,
            Some(s) => Some(
                s.parse::<Schema>()
                    .map_err(|e| anyhow::anyhow!("{}: line {line}: {e}", path.display()))?,
            ),
        };
        let is_match = match get(label_col) {
            None => None,
            Some(v) => Some(match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                other => bail!(
                    "{}: line {line}: is_match {other:?} is not true/false",
                    path.display()
                ),
            }),
        };
        pairs.push(Pair {
            name1: get(Some(name1)).unwrap_or_default().to_owned(),
            name2: get(Some(name2)).unwrap_or_default().to_owned(),
            schema,
            is_match,
            record,
        });
    }
    Ok((headers, pairs))
}

pub(crate) fn run_pairs(input: &Path, output: Option<&Path>, threshold: Option<f64>) -> Result<()> {
    let threshold = threshold.unwrap_or(DEFAULT_THRESHOLD);
    let (headers, pairs) = read_pairs(input)?;
    let sink: Box<dyn Write> = match output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(sink);
    let mut header = headers.clone();
    header.push_field("score");
    header.push_field("match");
    writer.write_record(&header)?;
    for pair in &pairs {
        let (score, _) = score_pair(&pair.name1, &pair.name2, pair.schema);
        let mut record = pair.record.clone();
        record.push_field(&format!("{score:.4}"));
        record.push_field(if score >= threshold { "true" } else { "false" });
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// Precision, recall and F1 of the engine on labelled pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairScores {
    pub(crate) pairs: usize,
    pub(crate) true_positives: usize,
    pub(crate) false_positives: usize,
    pub(crate) false_negatives: usize,
    pub(crate) precision: f64,
    pub(crate) recall: f64,
    pub(crate) f1: f64,
}

pub(crate) fn evaluate(path: &Path, threshold: f64) -> Result<PairScores> {
    let (_, pairs) = read_pairs(path)?;
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for pair in &pairs {
        let Some(truth) = pair.is_match else {
            bail!("{}: every row needs an is_match label", path.display());
        };
        let predicted = score_pair(&pair.name1, &pair.name2, pair.schema).0 >= threshold;
        match (predicted, truth) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Ok(PairScores {
        pairs: pairs.len(),
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        precision,
        recall,
        f1,
    })
}

pub(crate) fn run_eval(path: &Path, threshold: Option<f64>) -> Result<()> {
    let threshold = threshold.unwrap_or(DEFAULT_THRESHOLD);
    let s = evaluate(path, threshold)?;
    outln!(
        "pairs {}  threshold {threshold}  precision {:.3}  recall {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
        s.pairs,
        s.precision,
        s.recall,
        s.f1,
        s.true_positives,
        s.false_positives,
        s.false_negatives
    )?;
    Ok(())
}
