//! `interdict payments screen` and `interdict eval payments`: payment messages screened field
//! by field against the active lists, each screened message on record; with `--alerts`, the
//! messages that hit open alerts for the four-eyes review (`interdict alerts`).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use interdict_app::ActiveLists;
use interdict_app::payments::{
    ExpectedHit, ExpectedOutcome, PaymentAlerts, PaymentInput, PaymentOutcome, evaluate,
    screen_and_record,
};
use interdict_store::Store;

use crate::audit::cli_actor;
use crate::output::outln;

/// Reads each path: a file, every file of a directory (in name order), or `-` for stdin.
fn inputs(paths: &[PathBuf]) -> Result<Vec<PaymentInput>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            inputs.push(PaymentInput {
                name: "-".into(),
                bytes,
            });
            continue;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path)
                .with_context(|| format!("cannot read {}", path.display()))?
            {
                let entry = entry.with_context(|| format!("cannot read {}", path.display()))?;
                if entry.file_type().is_ok_and(|t| t.is_file())
                    && !entry.file_name().to_string_lossy().starts_with('.')
                {
                    files.push(entry.path());
                }
            }
            files.sort();
        } else {
            files.push(path.clone());
        }
        for file in files {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            inputs.push(PaymentInput { name, bytes });
        }
    }
    Ok(inputs)
}

/// Screens and records; the outcomes in input order.
async fn screen(
    store: &Store,
    paths: &[PathBuf],
    threshold: f64,
    alerts: PaymentAlerts,
) -> Result<Vec<PaymentOutcome>> {
    let inputs = inputs(paths)?;
    let active = ActiveLists::load(store).await?;
    Ok(screen_and_record(store, &active, &cli_actor(), &inputs, threshold, alerts).await?)
}

/// `payments screen`: one JSON line (or one readable line) per message; exits non-zero when
/// a message could not be read.
pub(crate) async fn run_screen(
    store: &Store,
    paths: &[PathBuf],
    threshold: Option<f64>,
    json: bool,
    output: Option<&Path>,
    open_alerts: bool,
) -> Result<()> {
    let threshold = threshold.unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    let alerts = if open_alerts {
        PaymentAlerts::Open
    } else {
        PaymentAlerts::None
    };
    let outcomes = screen(store, paths, threshold, alerts).await?;
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let (mut stopped, mut unreadable) = (0, 0);
    for outcome in &outcomes {
        match outcome {
            Ok(screening) => {
                if screening.decision == "hit" {
                    stopped += 1;
                }
                if json || output.is_some() {
                    serde_json::to_writer(&mut out, screening)?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(
                        out,
                        "{:<28} {:<16} {:<5}  screening {}{}",
                        screening.message,
                        screening.format,
                        screening.decision,
                        screening.screening_id,
                        alert_list(&screening.alert_ids)
                    )?;
                    for hit in &screening.hits {
                        writeln!(
                            out,
                            "    {:<26} {:<14} {:.3} {:?} ~ {}",
                            hit.field,
                            hit.kind,
                            hit.score,
                            hit.value,
                            hit.listed_name
                                .as_deref()
                                .or(hit.rule.as_deref())
                                .unwrap_or_default()
                        )?;
                    }
                }
            }
            Err(error) => {
                unreadable += 1;
                if json || output.is_some() {
                    serde_json::to_writer(
                        &mut out,
                        &serde_json::json!({ "message": error.message, "error": error }),
                    )?;
                    out.write_all(b"\n")?;
                }
                eprintln!(
                    "{}: {}{}: {}",
                    error.message,
                    error.code,
                    error
                        .line
                        .map(|l| format!(" at line {l}"))
                        .unwrap_or_default(),
                    error.reason
                );
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{} messages: {stopped} stopped, {} clear, {unreadable} unreadable",
        outcomes.len(),
        outcomes.len() - stopped - unreadable
    );
    if unreadable > 0 {
        bail!("{unreadable} message(s) could not be read");
    }
    Ok(())
}

/// `  alerts 3, 4` for the alerts a message has, nothing without.
fn alert_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("  alerts {}", ids.join(", "))
}

fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.with_context(|| format!("{}: row {}", path.display(), i + 1)))
        .collect()
}

/// `eval payments DIR`: recall per kind, stopped alerts, stopped clean messages.
pub(crate) async fn run_eval(store: &Store, dir: &Path, json: bool) -> Result<()> {
    let expected: Vec<ExpectedHit> = read_csv(&dir.join("labels.csv"))?;
    let manifest: Vec<ExpectedOutcome> = read_csv(&dir.join("manifest.csv"))?;
    let outcomes = screen(
        store,
        &[dir.join("messages")],
        interdict_matching::DEFAULT_THRESHOLD,
        PaymentAlerts::None,
    )
    .await?;
    let report = evaluate(&outcomes, &expected, &manifest);
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    outln!(
        "{} messages screened, {} unreadable",
        report.messages,
        report.unreadable.len()
    )?;
    let (mut found, mut total) = (0, 0);
    for (kind, recall) in &report.recall {
        found += recall.found;
        total += recall.expected;
        outln!(
            "  {kind:<8} {:>3} / {:<3} found in their field ({:.1}%)",
            recall.found,
            recall.expected,
            100.0 * recall.found as f64 / recall.expected.max(1) as f64
        )?;
    }
    outln!(
        "  all      {found:>3} / {total:<3} ({:.1}%)",
        100.0 * found as f64 / total.max(1) as f64
    )?;
    outln!(
        "messages to stop: {} of {} stopped; clean messages stopped: {} of {} ({:.1}%)",
        report.stopped_alerts,
        report.expected_alerts,
        report.stopped_clean.len(),
        report.clean,
        100.0 * report.stopped_clean.len() as f64 / report.clean.max(1) as f64
    )?;
    for missed in &report.missed {
        outln!("  missed {missed}")?;
    }
    for stopped in &report.stopped_clean {
        outln!("  stopped clean {stopped}")?;
    }
    Ok(())
}
