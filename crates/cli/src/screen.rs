//! `interdict screen`: one name, or a CSV of names in bulk, against the active list versions.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use interdict_app::contract::ScreenRequest;
use interdict_app::{ActiveLists, Limits, Screening};
use interdict_matching::Explanation;
use interdict_store::Store;
use serde_json::json;

use crate::args::{BatchArgs, QueryArgs};
use crate::audit::cli_actor;

/// Rows screened together: large enough to keep every core busy, small enough that memory does
/// not grow with the input.
const BATCH_ROWS: usize = 2048;

/// The request a command-line screening makes, as the audit trail records it: the same
/// fields as `POST /v1/screen`, so that `audit replay` treats both alike.
fn screen_request(
    args: &QueryArgs,
    name: &str,
    dob: Option<&str>,
    country: Option<&str>,
) -> ScreenRequest {
    ScreenRequest {
        name: name.to_owned(),
        dob: dob.map(str::to_owned),
        country: country.map(str::to_owned),
        schema: args.schema.clone(),
        threshold: args.threshold,
        limit: Some(args.limit),
    }
}

pub(crate) async fn run_single(store: &Store, args: &QueryArgs, name: &str) -> Result<()> {
    let request = screen_request(args, name, args.dob.as_deref(), args.country.as_deref());
    let screening = Screening::new(request, Limits::DEFAULT, "--")?;
    let active = ActiveLists::load(store).await?;
    let screenings = [screening];
    let results = active.screen(&screenings);
    let mut responses = interdict_app::screening::record(
        store,
        &cli_actor(),
        &active.versions,
        &screenings,
        &results,
    )
    .await?;
    let response = responses.pop().context("a screening produced no result")?;
    eprintln!(
        "recorded in the audit trail as screening {}",
        response.screening_id
    );
    if args.json {
        // The shape of `POST /v1/screen`'s answer.
        println!("{}", serde_json::to_string_pretty(&response)?);
        return Ok(());
    }
    let [screening] = &screenings;
    let options = screening.options();
    let matches = &results[0];
    if matches.is_empty() {
        println!(
            "no match for {:?} at threshold {}",
            screening.query().name,
            options.threshold
        );
    }
    for m in matches {
        println!(
            "{:.3}  {:<18} {:<13} {}  (matched {:?})",
            m.score, m.entity.id, m.entity.schema, m.entity.name, m.matched_name
        );
        for line in explanation_lines(&m.explanation) {
            println!("         {line}");
        }
    }
    Ok(())
}

/// The explanation of a match as a few lines an analyst can read.
fn explanation_lines(explanation: &Explanation) -> Vec<String> {
    let mut lines = vec![format!(
        "{:?} ~ {:?}",
        explanation.query_normalized, explanation.matched_normalized
    )];
    let tokens: Vec<String> = explanation
        .tokens
        .iter()
        .map(|t| {
            format!(
                "{}={}({:?} {:.2})",
                t.query.as_deref().unwrap_or("-"),
                t.matched.as_deref().unwrap_or("-"),
                t.verdict,
                t.similarity
            )
        })
        .collect();
    lines.push(format!("tokens: {}", tokens.join(" ")));
    for feature in &explanation.features {
        lines.push(format!("{:+.3}  {}", feature.effect, feature.detail));
    }
    lines
}

/// One input row, read and validated.
struct Row {
    number: usize,
    id: Option<String>,
    screening: Result<Screening, String>,
}

/// The position of the CSV column `name`; the error names the file and the columns it has.
pub(crate) fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .with_context(|| {
            format!(
                "{}: no column {name:?}; the columns are {}",
                path.display(),
                headers.iter().collect::<Vec<_>>().join(", ")
            )
        })
}

pub(crate) async fn run_batch(
    store: &Store,
    args: &QueryArgs,
    batch: &BatchArgs,
    input: &Path,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(input)
        .with_context(|| format!("cannot read {}", input.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header row", input.display()))?
        .clone();
    let name_col = column(&headers, &batch.name_column, input)?;
    let optional =
        |c: &Option<String>| c.as_deref().map(|c| column(&headers, c, input)).transpose();
    let id_col = optional(&batch.id_column)?;
    let dob_col = optional(&batch.dob_column)?;
    let country_col = optional(&batch.country_column)?;

    let active = ActiveLists::load(store).await?;
    let actor = cli_actor();
    let mut out: Box<dyn Write> = match &batch.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} rows screened, {per_sec} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });

    let started = Instant::now();
    let (mut rows_total, mut rows_hit, mut rows_bad) = (0usize, 0usize, 0usize);
    let mut records = reader.records().enumerate();
    loop {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        for (i, record) in records.by_ref().take(BATCH_ROWS) {
            let number = i + 1;
            let row = match record {
                Err(e) => Row {
                    number,
                    id: None,
                    screening: Err(format!("unreadable CSV row: {e}")),
                },
                Ok(record) => {
                    let field = |col: Option<usize>| col.and_then(|c| record.get(c));
                    let request = screen_request(
                        args,
                        record.get(name_col).unwrap_or_default(),
                        field(dob_col),
                        field(country_col),
                    );
                    Row {
                        number,
                        id: field(id_col).map(str::to_owned),
                        screening: Screening::new(request, Limits::DEFAULT, "")
                            .map_err(|e| e.to_string()),
                    }
                }
            };
            rows.push(row);
        }
        if rows.is_empty() {
            break;
        }
        let screenings: Vec<Screening> = rows
            .iter()
            .filter_map(|row| row.screening.as_ref().ok().cloned())
            .collect();
        let results = active.screen(&screenings);
        let mut responses = interdict_app::screening::record(
            store,
            &actor,
            &active.versions,
            &screenings,
            &results,
        )
        .await?
        .into_iter();
        for row in &rows {
            rows_total += 1;
            let line = match &row.screening {
                // Rows were screened in order, the bad ones not at all.
                Ok(_) => {
                    let response = responses.next().context("a screening produced no result")?;
                    if !response.matches.is_empty() {
                        rows_hit += 1;
                    }
                    json!({
                        "row": row.number,
                        "id": row.id,
                        "screening_id": response.screening_id,
                        "matches": response.matches,
                    })
                }
                Err(error) => {
                    rows_bad += 1;
                    eprintln!("{}: row {}: skipped: {error}", input.display(), row.number);
                    json!({ "row": row.number, "id": row.id, "error": error })
                }
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        if let Some(bar) = &progress {
            bar.set_position(rows_total as u64);
            bar.set_message(format!("{rows_hit} with matches"));
        }
    }
    out.flush()?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "screened {rows_total} rows: {rows_hit} with matches, {rows_bad} skipped, {:.0} names/s ({seconds:.2} s)",
        rows_total as f64 / seconds.max(1e-9),
    );
    Ok(())
}
