//! `interdict screen`: one name, or a CSV of names in bulk, against the active list versions.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use interdict_app::contract::ScreenRequest;
use interdict_app::{ActiveLists, IgnoredField, Limits, Screening};
use interdict_matching::Explanation;
use interdict_store::Store;
use serde_json::json;

use crate::args::{BatchArgs, QueryArgs};
use crate::audit::cli_actor;
use crate::csv_input::{BatchSummary, CsvInput, CsvRow, Record, Rejects};
use crate::output::outln;

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
        ..ScreenRequest::default()
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
        &active.ownership,
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
        outln!("{}", serde_json::to_string_pretty(&response)?)?;
        return Ok(());
    }
    let [screening] = &screenings;
    let options = screening.options();
    let matches = &results[0];
    if matches.is_empty() {
        outln!(
            "no match for {:?} at threshold {}",
            screening.query().name,
            options.threshold
        )?;
    }
    for hit in matches {
        let m = &hit.lead;
        outln!(
            "{:.3}  {:<18} {:<13} {}  (matched {:?})",
            m.score,
            m.entity.id,
            m.entity.schema,
            m.entity.name,
            m.matched_name
        )?;
        // The same party on other lists: one hit, every list that names it.
        for other in &hit.also_listed {
            let score = other
                .score
                .map_or_else(|| "  -  ".to_owned(), |s| format!("{s:.3}"));
            outln!(
                "  also {score} {:<18} {}  ({})",
                other.entity.id,
                other.entity.name,
                other.linked_by
            )?;
        }
        for line in explanation_lines(&m.explanation) {
            outln!("         {line}")?;
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
    /// The screening and the fields left out of it, or why the row was rejected (with the
    /// row as read).
    screening: Result<(Screening, Vec<IgnoredField>), (String, Vec<u8>)>,
}

/// The columns a batch reads.
struct Columns {
    name: usize,
    id: Option<usize>,
    dob: Option<usize>,
    country: Option<usize>,
    schema: Option<usize>,
}

/// Validates one record leniently: a date, country or schema that does not parse is left
/// out and the name screened on the rest.
fn row_of(args: &QueryArgs, columns: &Columns, record: Record) -> Row {
    let field = |col: Option<usize>| col.and_then(|c| record.get(c));
    let mut request = screen_request(
        args,
        record.get(columns.name).unwrap_or_default(),
        field(columns.dob),
        field(columns.country),
    );
    if let Some(schema) = field(columns.schema).filter(|s| !s.trim().is_empty()) {
        request.schema = Some(schema.to_owned());
    }
    Row {
        number: record.row,
        id: field(columns.id).map(str::to_owned),
        screening: Screening::lenient(request, Limits::DEFAULT, "").map_err(|e| {
            (
                format!("row {} (line {}): {e}", record.row, record.line),
                record.raw.clone(),
            )
        }),
    }
}

pub(crate) async fn run_batch(
    store: &Store,
    args: &QueryArgs,
    batch: &BatchArgs,
    input_path: &Path,
) -> Result<()> {
    let mut input = CsvInput::open(input_path)?;
    let columns = Columns {
        name: input.column(&batch.name_column)?,
        id: input.optional_column(batch.id_column.as_deref())?,
        dob: input.optional_column(batch.dob_column.as_deref())?,
        country: input.optional_column(batch.country_column.as_deref())?,
        schema: input.optional_column(batch.schema_column.as_deref())?,
    };
    let mut rejects = batch
        .rejects
        .rejects
        .as_deref()
        .map(|file| Rejects::create(file, input.header_raw()))
        .transpose()?;

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
    let shown = input_path.display();

    let started = Instant::now();
    let mut summary = BatchSummary::default();
    let mut rows_hit = 0usize;
    loop {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        while rows.len() < BATCH_ROWS {
            let Some(csv_row) = input
                .next_row()
                .with_context(|| format!("cannot read {shown}"))?
            else {
                break;
            };
            rows.push(match csv_row {
                CsvRow::Record(record) => row_of(args, &columns, record),
                CsvRow::Malformed(bad) => Row {
                    number: bad.row,
                    id: None,
                    screening: Err((bad.to_string(), bad.raw)),
                },
            });
        }
        if rows.is_empty() {
            break;
        }
        let screenings: Vec<Screening> = rows
            .iter()
            .filter_map(|row| row.screening.as_ref().ok().map(|(s, _)| s.clone()))
            .collect();
        let results = active.screen(&screenings);
        let mut responses = interdict_app::screening::record(
            store,
            &actor,
            &active.versions,
            &active.ownership,
            &screenings,
            &results,
        )
        .await?
        .into_iter();
        for row in &rows {
            summary.read += 1;
            let line = match &row.screening {
                // Rows were screened in order, the rejected ones not at all.
                Ok((_, ignored)) => {
                    let response = responses.next().context("a screening produced no result")?;
                    if !response.matches.is_empty() {
                        rows_hit += 1;
                    }
                    let mut line = json!({
                        "row": row.number,
                        "id": row.id,
                        "screening_id": response.screening_id,
                        "matches": response.matches,
                    });
                    if ignored.is_empty() {
                        summary.complete += 1;
                    } else {
                        summary.partial += 1;
                        for field in ignored {
                            eprintln!(
                                "{shown}: row {}: {field}; the name was screened on the rest",
                                row.number
                            );
                        }
                        line["ignored"] = serde_json::to_value(ignored)?;
                    }
                    line
                }
                Err((error, raw)) => {
                    summary.rejected += 1;
                    eprintln!("{shown}: rejected {error}");
                    if let Some(rejects) = &mut rejects {
                        rejects.add(raw)?;
                    }
                    json!({ "row": row.number, "id": row.id, "error": error })
                }
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        if let Some(bar) = &progress {
            bar.set_position(summary.read as u64);
            bar.set_message(format!("{rows_hit} with matches"));
        }
    }
    out.flush()?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{shown}: {summary}; {rows_hit} with matches; {:.0} names/s ({seconds:.2} s)",
        summary.read as f64 / seconds.max(1e-9),
    );
    let rejects = rejects.map(Rejects::finish).transpose()?;
    if let Some((file, count)) = &rejects {
        eprintln!("{count} rejected rows written to {}", file.display());
    }
    summary.verdict(
        batch.rejects.allow_rejects,
        rejects.as_ref().map(|(file, _)| file.as_path()),
    )
}
