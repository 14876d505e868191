//! `interdict screen`: one name, or a CSV of names in bulk, against the active list versions.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use interdict_matching::{Explanation, Index, Query};
use interdict_model::{CountryCode, DateOfBirth, Schema, country_code};
use interdict_server::{MatchJson, ScreenRequest, matches_json, query_json};
use interdict_store::Store;
use rayon::prelude::*;
use serde_json::json;

use crate::args::{BatchArgs, QueryArgs};
use crate::audit;

/// Rows screened together: large enough to keep every core busy, small enough that memory does
/// not grow with the input.
const BATCH_ROWS: usize = 2048;

/// The active lists, loaded and indexed.
pub(crate) struct Screener {
    pub(crate) index: Index,
    /// Active version per list id.
    pub(crate) versions: BTreeMap<String, String>,
}

impl Screener {
    pub(crate) async fn load(store: &Store) -> Result<Screener> {
        let (active, entities) = store.active_entities().await?;
        if entities.is_empty() {
            bail!("no lists imported yet; run `interdict lists import PATH` first");
        }
        let entities = entities.into_iter().map(Arc::new).collect();
        Ok(Screener {
            index: Index::build(entities),
            versions: active
                .into_iter()
                .map(|(list, v)| (list, v.version))
                .collect(),
        })
    }
}

/// Parses `--schema`: `any` means no restriction.
pub(crate) fn parse_schema(text: Option<&str>) -> Result<Option<Schema>> {
    match text.map(str::trim) {
        None | Some("") | Some("any") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e: String| anyhow::anyhow!("--schema: {e}")),
    }
}

/// Builds a query from raw field values, naming the field that is wrong.
pub(crate) fn build_query(
    name: &str,
    dob: Option<&str>,
    country: Option<&str>,
    schema: Option<Schema>,
) -> Result<Query> {
    let name = name.trim();
    if name.is_empty() {
        bail!("the name is empty");
    }
    let mut query = Query::name(name);
    query.schema = schema;
    if let Some(dob) = dob.map(str::trim).filter(|d| !d.is_empty()) {
        query.dob = Some(
            DateOfBirth::parse(dob)
                .with_context(|| format!("date of birth {dob:?} is not a date"))?,
        );
    }
    if let Some(country) = country.map(str::trim).filter(|c| !c.is_empty()) {
        let codes: Vec<CountryCode> = country
            .split([';', '|'])
            .filter(|c| !c.trim().is_empty())
            .map(|c| country_code(c).with_context(|| format!("country {c:?} is not known")))
            .collect::<Result<_>>()?;
        query.countries = codes;
    }
    Ok(query)
}

pub(crate) async fn run_single(store: &Store, args: &QueryArgs, name: &str) -> Result<()> {
    let schema = parse_schema(args.schema.as_deref())?;
    let query = build_query(name, args.dob.as_deref(), args.country.as_deref(), schema)?;
    let screener = Screener::load(store).await?;
    let options = args.options();
    let matches = screener.index.screen(&query, &options);
    let matches_as_json = matches_json(&matches)?;
    let request = audit::screen_request(args, name, args.dob.as_deref(), args.country.as_deref());
    let recorded = audit::record_screenings(
        store,
        &screener.versions,
        options,
        [(&request, &query, &matches_as_json[..])],
    )
    .await?;
    for id in &recorded {
        eprintln!("recorded in the audit trail as screening {id}");
    }
    if args.json {
        // The shape of `POST /v1/screen`'s answer.
        let out = json!({
            "screening_id": recorded.first(),
            "query": query_json(&query),
            "threshold": options.threshold,
            "list_versions": screener.versions,
            "matches": matches_as_json,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if matches.is_empty() {
        println!(
            "no match for {:?} at threshold {}",
            query.name, options.threshold
        );
    }
    for m in &matches {
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
    /// The row's fields as given, for the audit trail.
    request: ScreenRequest,
    query: Result<Query>,
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
    let schema = parse_schema(args.schema.as_deref())?;
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

    let screener = Screener::load(store).await?;
    let options = args.options();
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
                    request: ScreenRequest::default(),
                    query: Err(anyhow::anyhow!("unreadable CSV row: {e}")),
                },
                Ok(record) => {
                    let field = |col: Option<usize>| col.and_then(|c| record.get(c));
                    Row {
                        number,
                        id: field(id_col).map(str::to_owned),
                        request: audit::screen_request(
                            args,
                            record.get(name_col).unwrap_or_default(),
                            field(dob_col),
                            field(country_col),
                        ),
                        query: build_query(
                            record.get(name_col).unwrap_or_default(),
                            field(dob_col),
                            field(country_col),
                            schema,
                        ),
                    }
                }
            };
            rows.push(row);
        }
        if rows.is_empty() {
            break;
        }
        // Each row's matches as JSON, once: for its record and its output line.
        let results = rows
            .par_iter()
            .map(|row| match &row.query {
                Ok(query) => matches_json(&screener.index.screen(query, &options)).map(Ok),
                Err(e) => Ok(Err(format!("{e:#}"))),
            })
            .collect::<Result<Vec<Result<Vec<MatchJson>, String>>, _>>()?;
        let screened = rows.iter().zip(&results).filter_map(|(row, result)| {
            Some((
                &row.request,
                row.query.as_ref().ok()?,
                result.as_ref().ok()?.as_slice(),
            ))
        });
        let mut recorded = audit::record_screenings(store, &screener.versions, options, screened)
            .await?
            .into_iter();
        for (row, result) in rows.iter().zip(results) {
            rows_total += 1;
            let line = match result {
                Ok(matches) => {
                    if !matches.is_empty() {
                        rows_hit += 1;
                    }
                    // Rows were recorded in order, the skipped ones not at all.
                    json!({
                        "row": row.number,
                        "id": row.id,
                        "screening_id": recorded.next(),
                        "matches": matches,
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
        "screened {rows_total} rows: {rows_hit} with matches, {rows_bad} skipped, {:.0} names/s ({seconds:.2} s, threshold {})",
        rows_total as f64 / seconds.max(1e-9),
        options.threshold
    );
    Ok(())
}
