//! `interdict portfolio`: import customers from a CSV, remove customers.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_store::{Customer, Store};
use serde::Serialize;
use serde_json::json;

use crate::args::{PortfolioColumns, PortfolioCommand};
use crate::screen::column;

pub(crate) async fn run(store: &Store, command: PortfolioCommand) -> Result<()> {
    match command {
        PortfolioCommand::Import {
            file,
            columns,
            json,
        } => run_import(store, &file, &columns, json).await,
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

/// What `portfolio import --json` prints: the contract of the command.
#[derive(Debug, Serialize)]
struct ImportReport {
    new: usize,
    changed: usize,
    unchanged: usize,
    invalid: Vec<Invalid>,
}

/// Reads the CSV into valid customers and invalid rows. A repeated id is invalid after its
/// first row.
fn read(path: &Path, columns: &PortfolioColumns) -> Result<(Vec<Customer>, Vec<Invalid>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header row", path.display()))?
        .clone();
    let id_col = column(&headers, &columns.id_column, path)?;
    let name_col = column(&headers, &columns.name_column, path)?;
    let optional = |c: &Option<String>| c.as_deref().map(|c| column(&headers, c, path)).transpose();
    let dob_col = optional(&columns.dob_column)?;
    let country_col = optional(&columns.country_column)?;
    let schema_col = optional(&columns.schema_column)?;

    let mut customers = Vec::new();
    let mut invalid = Vec::new();
    let mut rows_of: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let customer = record
            .map_err(|e| anyhow::anyhow!("unreadable CSV row: {e}"))
            .and_then(|record| {
                let field = |col: Option<usize>| col.and_then(|c| record.get(c));
                let id = field(Some(id_col)).unwrap_or_default();
                if id.trim().is_empty() {
                    bail!("the customer id ({}) is empty", columns.id_column);
                }
                Ok(interdict_app::portfolio::customer(
                    id,
                    field(Some(name_col)).unwrap_or_default(),
                    field(dob_col),
                    field(country_col),
                    field(schema_col),
                    "",
                )?)
            });
        match customer {
            Ok(customer) => match rows_of.get(&customer.id) {
                Some(first) => invalid.push(Invalid {
                    row,
                    error: format!("customer id {:?} is already on row {first}", customer.id),
                }),
                None => {
                    rows_of.insert(customer.id.clone(), row);
                    customers.push(customer);
                }
            },
            Err(error) => invalid.push(Invalid {
                row,
                error: format!("{error:#}"),
            }),
        }
    }
    Ok((customers, invalid))
}

async fn run_import(
    store: &Store,
    path: &Path,
    columns: &PortfolioColumns,
    json: bool,
) -> Result<()> {
    let (customers, invalid) = read(path, columns)?;
    let outcome = store
        .upsert_customers(&customers)
        .await
        .with_context(|| format!("cannot import the customers of {}", path.display()))?;
    let report = ImportReport {
        new: outcome.new,
        changed: outcome.changed,
        unchanged: outcome.unchanged,
        invalid,
    };
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "{}: {} new, {} changed, {} unchanged customers; {} invalid rows",
            path.display(),
            report.new,
            report.changed,
            report.unchanged,
            report.invalid.len()
        );
    }
    for bad in &report.invalid {
        eprintln!(
            "{}: row {}: skipped: {}",
            path.display(),
            bad.row,
            bad.error
        );
    }
    Ok(())
}

async fn run_remove(store: &Store, ids: &[String], json: bool) -> Result<()> {
    let outcome = store.remove_customers(ids, "cli").await?;
    if json {
        println!(
            "{}",
            json!({
                "removed": outcome.removed,
                "unknown": outcome.unknown,
                "alerts_closed": outcome.alerts_closed,
            })
        );
    } else {
        println!(
            "removed {} customers, closed {} open alerts",
            outcome.removed.len(),
            outcome.alerts_closed
        );
    }
    for id in &outcome.unknown {
        eprintln!("customer {id:?} is not in the portfolio");
    }
    Ok(())
}
