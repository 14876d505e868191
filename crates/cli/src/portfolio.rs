//! `interdict portfolio`: import customers from a CSV, remove customers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use interdict_app::IgnoredField;
use interdict_store::{Customer, Store};
use serde::Serialize;
use serde_json::json;

use crate::args::{PortfolioColumns, PortfolioCommand, RejectArgs};
use crate::csv_input::{BatchSummary, CsvInput, CsvRow, Rejects};
use crate::output::outln;

pub(crate) async fn run(store: &Store, command: PortfolioCommand) -> Result<()> {
    match command {
        PortfolioCommand::Import {
            file,
            columns,
            rejects,
            json,
        } => run_import(store, &file, &columns, &rejects, json).await,
        PortfolioCommand::Remove { ids, json } => run_remove(store, &ids, json).await,
    }
}

/// A row that was not imported, and why.
#[derive(Debug, Serialize)]
struct Invalid {
    /// The data row (1 is the first row after the header).
    row: usize,
    error: String,
}

/// A row imported without a field that did not parse.
#[derive(Debug, Serialize)]
struct Partial {
    /// The data row (1 is the first row after the header).
    row: usize,
    /// The customer id.
    id: String,
    ignored: Vec<IgnoredField>,
}

/// What `portfolio import --json` prints: the contract of the command.
#[derive(Debug, Serialize)]
struct ImportReport {
    new: usize,
    changed: usize,
    unchanged: usize,
    partial: Vec<Partial>,
    invalid: Vec<Invalid>,
    summary: SummaryJson,
}

#[derive(Debug, Serialize)]
struct SummaryJson {
    read: usize,
    imported: usize,
    partially_imported: usize,
    rejected: usize,
}

/// The CSV read: valid customers, those imported without a field, rejected rows.
struct Read {
    customers: Vec<Customer>,
    partial: Vec<Partial>,
    invalid: Vec<Invalid>,
    summary: BatchSummary,
}

/// Reads the CSV record by record (a malformed record costs only itself). A repeated id is
/// invalid after its first row; rejected rows go to `rejects` as read.
fn read(
    path: &Path,
    columns: &PortfolioColumns,
    rejects: Option<&Path>,
) -> Result<(Read, Option<(PathBuf, usize)>)> {
    let mut input = CsvInput::open(path)?;
    let id_col = input.column(&columns.id_column)?;
    let name_col = input.column(&columns.name_column)?;
    let dob_col = input.optional_column(columns.dob_column.as_deref())?;
    let country_col = input.optional_column(columns.country_column.as_deref())?;
    let schema_col = input.optional_column(columns.schema_column.as_deref())?;
    let mut rejects = rejects
        .map(|file| Rejects::create(file, input.header_raw()))
        .transpose()?;

    let mut read = Read {
        customers: Vec::new(),
        partial: Vec::new(),
        invalid: Vec::new(),
        summary: BatchSummary::default(),
    };
    let mut rows_of: HashMap<String, usize> = HashMap::new();
    while let Some(csv_row) = input
        .next_row()
        .with_context(|| format!("cannot read {}", path.display()))?
    {
        read.summary.read += 1;
        let (row, raw, outcome) = match csv_row {
            CsvRow::Malformed(bad) => (bad.row, bad.raw.clone(), Err(format!("{bad}"))),
            CsvRow::Record(record) => {
                let field = |col: Option<usize>| col.and_then(|c| record.get(c));
                let outcome = interdict_app::portfolio::customer_lenient(
                    field(Some(id_col)).unwrap_or_default(),
                    field(Some(name_col)).unwrap_or_default(),
                    field(dob_col),
                    field(country_col),
                    field(schema_col),
                    "",
                )
                .map_err(|e| format!("row {} (line {}): {e}", record.row, record.line))
                .and_then(|(customer, ignored)| match rows_of.get(&customer.id) {
                    Some(first) => Err(format!(
                        "row {}: customer id {:?} is already on row {first}",
                        record.row, customer.id
                    )),
                    None => Ok((customer, ignored)),
                });
                (record.row, record.raw, outcome)
            }
        };
        match outcome {
            Ok((customer, ignored)) => {
                rows_of.insert(customer.id.clone(), row);
                if ignored.is_empty() {
                    read.summary.complete += 1;
                } else {
                    read.summary.partial += 1;
                    read.partial.push(Partial {
                        row,
                        id: customer.id.clone(),
                        ignored,
                    });
                }
                read.customers.push(customer);
            }
            Err(error) => {
                read.summary.rejected += 1;
                if let Some(rejects) = &mut rejects {
                    rejects.add(&raw)?;
                }
                read.invalid.push(Invalid { row, error });
            }
        }
    }
    let rejects = rejects.map(Rejects::finish).transpose()?;
    Ok((read, rejects))
}

async fn run_import(
    store: &Store,
    path: &Path,
    columns: &PortfolioColumns,
    reject_args: &RejectArgs,
    json: bool,
) -> Result<()> {
    let (read, rejects) = read(path, columns, reject_args.rejects.as_deref())?;
    let outcome = store
        .upsert_customers(&read.customers)
        .await
        .with_context(|| format!("cannot import the customers of {}", path.display()))?;
    let summary = read.summary;
    for bad in &read.invalid {
        eprintln!("{}: rejected {}", path.display(), bad.error);
    }
    for partial in &read.partial {
        for ignored in &partial.ignored {
            eprintln!(
                "{}: row {}: {ignored}; customer {:?} imported without it",
                path.display(),
                partial.row,
                partial.id
            );
        }
    }
    let report = ImportReport {
        new: outcome.new,
        changed: outcome.changed,
        unchanged: outcome.unchanged,
        partial: read.partial,
        invalid: read.invalid,
        summary: SummaryJson {
            read: summary.read,
            imported: summary.complete,
            partially_imported: summary.partial,
            rejected: summary.rejected,
        },
    };
    if json {
        outln!("{}", serde_json::to_string(&report)?)?;
    } else {
        outln!(
            "{}: {} new, {} changed, {} unchanged customers",
            path.display(),
            report.new,
            report.changed,
            report.unchanged,
        )?;
    }
    eprintln!(
        "{}: {} rows read: {} imported on every field, {} imported with a field ignored, {} rejected",
        path.display(),
        summary.read,
        summary.complete,
        summary.partial,
        summary.rejected
    );
    if let Some((file, count)) = &rejects {
        eprintln!("{count} rejected rows written to {}", file.display());
    }
    summary.verdict(
        reject_args.allow_rejects,
        rejects.as_ref().map(|(file, _)| file.as_path()),
    )
}

async fn run_remove(store: &Store, ids: &[String], json: bool) -> Result<()> {
    let outcome = store.remove_customers(ids, "cli").await?;
    if json {
        outln!(
            "{}",
            json!({
                "removed": outcome.removed,
                "unknown": outcome.unknown,
                "alerts_closed": outcome.alerts_closed,
            })
        )?;
    } else {
        outln!(
            "removed {} customers, closed {} open alerts",
            outcome.removed.len(),
            outcome.alerts_closed
        )?;
    }
    for id in &outcome.unknown {
        eprintln!("customer {id:?} is not in the portfolio");
    }
    Ok(())
}
