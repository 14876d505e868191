//! The customer portfolio that monitoring screens, and what it was last screened against.
//!
//! Every change to the portfolio (an upsert that creates or changes customers, a removal)
//! takes the next value of the `customer_revision` counter in its transaction; the counter's
//! row lock serialises portfolio writers on both backends, so revisions commit in order. A
//! monitoring run reads the portfolio once, screens the customers whose revision is above
//! `customers_screened_through`, and records the highest revision it saw: customers changed
//! during the run stay pending for the next one, and no per-customer bookkeeping is written.

use std::collections::{BTreeMap, HashMap, HashSet};

use interdict_model::{AlertReason, CountryCode, DateOfBirth, Schema};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::alerts::close_alerts_of_customers;
use crate::{Error, Store, placeholders};

/// Rows per multi-row statement (9 columns each): under SQLite's parameter limit.
const BATCH: usize = 100;

/// A customer as the bank gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The bank's own id, unique in the portfolio.
    pub id: String,
    /// The name, any script, any order.
    pub name: String,
    /// Date of birth (or incorporation).
    pub dob: Option<DateOfBirth>,
    /// Countries: nationality, residence.
    pub countries: Vec<CountryCode>,
    /// What kind of party it is; `None` when the bank does not say.
    pub schema: Option<Schema>,
}

/// Whether monitoring has screened a customer since it last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Screened as it is now.
    No,
    /// Never screened.
    New,
    /// Changed since it was last screened.
    Changed,
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCustomer {
    /// The customer.
    pub customer: Customer,
    /// The portfolio revision that last changed it.
    pub revision: i64,
    /// Whether the next monitoring run must screen it.
    pub pending: Pending,
    /// When it was first imported (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertOutcome {
    /// Customers not in the portfolio before.
    pub new: usize,
    /// Customers whose name, date of birth, countries or schema changed.
    pub changed: usize,
    /// Customers given exactly as stored.
    pub unchanged: usize,
}

/// What a removal did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoveOutcome {
    /// Ids removed.
    pub removed: Vec<String>,
    /// Ids that were not in the portfolio.
    pub unknown: Vec<String>,
    /// Open alerts closed with reason `customer_removed`.
    pub alerts_closed: usize,
}

/// A snapshot of the portfolio for a monitoring run.
#[derive(Debug, Clone, Default)]
pub struct PortfolioSnapshot {
    /// Every customer, by id.
    pub customers: Vec<StoredCustomer>,
    /// The highest revision in the snapshot: what the run records as screened through.
    pub revision: i64,
}

/// What the portfolio was last screened against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonitorState {
    /// The list version screened, by list id.
    pub lists: BTreeMap<String, String>,
    /// The highest customer revision screened.
    pub customers_screened_through: i64,
}

/// The stored text of a customer's fields.
struct Columns {
    dob: Option<String>,
    countries: String,
    schema: Option<&'static str>,
}

impl Customer {
    fn columns(&self) -> Columns {
        Columns {
            dob: self.dob.map(|d| d.to_string()),
            countries: self
                .countries
                .iter()
                .map(CountryCode::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            schema: self.schema.map(Schema::as_str),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        if self.id.trim().is_empty() || self.id.trim() != self.id {
            return Err(Error::Invalid(format!(
                "customer id {:?} must be non-empty, without surrounding spaces",
                self.id
            )));
        }
        if self.name.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "customer {}: the name is empty",
                self.id
            )));
        }
        Ok(())
    }
}

fn customer_from_row(row: &AnyRow, screened_through: i64) -> Result<StoredCustomer, Error> {
    let id: String = row.try_get("customer_id")?;
    let corrupt = |reason: String| Error::Corrupt {
        what: format!("customer {id}"),
        reason,
    };
    let dob: Option<String> = row.try_get("dob")?;
    let dob = dob
        .map(|d| DateOfBirth::parse(&d).ok_or_else(|| corrupt(format!("date of birth {d:?}"))))
        .transpose()?;
    let countries: String = row.try_get("countries")?;
    let countries = countries
        .split(';')
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<CountryCode>().map_err(&corrupt))
        .collect::<Result<Vec<_>, _>>()?;
    let schema: Option<String> = row.try_get("schema_name")?;
    let schema = schema
        .map(|s| s.parse::<Schema>().map_err(&corrupt))
        .transpose()?;
    let created_revision: i64 = row.try_get("created_revision")?;
    let revision: i64 = row.try_get("revision")?;
    let pending = if created_revision > screened_through {
        Pending::New
    } else if revision > screened_through {
        Pending::Changed
    } else {
        Pending::No
    };
    Ok(StoredCustomer {
        customer: Customer {
            name: row.try_get("name")?,
            id,
            dob,
            countries,
            schema,
        },
        revision,
        pending,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const CUSTOMER_COLUMNS: &str = "customer_id, name, dob, countries, schema_name, created_revision, revision, created_at, updated_at";

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Takes the next portfolio revision (and the counter's lock until the transaction ends).
pub(crate) async fn next_revision(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<i64, Error> {
    let revision: i64 = sqlx::query_scalar(
        "UPDATE monitor_counters SET value = value + 1 WHERE name = 'customer_revision' \
         RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(revision)
}

impl Store {
    /// Adds or updates customers by id in one transaction, and says how many were new,
    /// changed or unchanged. Unchanged customers are not written. Every customer must have a
    /// non-empty id and name, and an id may appear only once.
    pub async fn upsert_customers(&self, customers: &[Customer]) -> Result<UpsertOutcome, Error> {
        let mut seen = HashSet::new();
        for customer in customers {
            customer.validate()?;
            if !seen.insert(customer.id.as_str()) {
                return Err(Error::Invalid(format!(
                    "customer {} is given twice",
                    customer.id
                )));
            }
        }
        let mut outcome = UpsertOutcome::default();
        let mut tx = self.write_tx().await?;
        let revision = next_revision(&mut tx).await?;
        let time = now();
        for chunk in customers.chunks(BATCH) {
            let sql = format!(
                "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE customer_id IN ({})",
                (1..=chunk.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut query = sqlx::query(&sql);
            for customer in chunk {
                query = query.bind(customer.id.as_str());
            }
            let stored: HashMap<String, Customer> = query
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| customer_from_row(row, 0).map(|s| (s.customer.id.clone(), s.customer)))
                .collect::<Result<_, Error>>()?;
            let mut writes = Vec::new();
            for customer in chunk {
                match stored.get(&customer.id) {
                    None => {
                        outcome.new += 1;
                        writes.push(customer);
                    }
                    Some(before) if before == customer => outcome.unchanged += 1,
                    Some(_) => {
                        outcome.changed += 1;
                        writes.push(customer);
                    }
                }
            }
            if writes.is_empty() {
                continue;
            }
            let sql = format!(
                "INSERT INTO customers ({CUSTOMER_COLUMNS}) VALUES {} \
                 ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, \
                 dob = excluded.dob, countries = excluded.countries, \
                 schema_name = excluded.schema_name, revision = excluded.revision, \
                 updated_at = excluded.updated_at",
                placeholders(self.backend, writes.len(), 9)
            );
            let mut query = sqlx::query(&sql);
            for customer in writes {
                let columns = customer.columns();
                query = query
                    .bind(customer.id.as_str())
                    .bind(customer.name.as_str())
                    .bind(columns.dob)
                    .bind(columns.countries)
                    .bind(columns.schema)
                    .bind(revision)
                    .bind(revision)
                    .bind(time.as_str())
                    .bind(time.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Removes customers by id, closing their open alerts with reason `customer_removed`
    /// (alerts and their history are kept). `actor` is recorded in the alert history.
    pub async fn remove_customers(
        &self,
        ids: &[String],
        actor: &str,
    ) -> Result<RemoveOutcome, Error> {
        let mut outcome = RemoveOutcome::default();
        let mut tx = self.write_tx().await?;
        next_revision(&mut tx).await?;
        for id in ids {
            let deleted = sqlx::query("DELETE FROM customers WHERE customer_id = $1")
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?;
            if deleted.rows_affected() > 0 {
                outcome.removed.push(id.clone());
            } else {
                outcome.unknown.push(id.clone());
            }
        }
        outcome.alerts_closed = close_alerts_of_customers(
            &mut tx,
            &outcome.removed,
            AlertReason::CustomerRemoved,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// One customer.
    pub async fn customer(&self, id: &str) -> Result<StoredCustomer, Error> {
        let through = self.monitor_state().await?.customers_screened_through;
        let row = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE customer_id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("customer {id}"),
        })?;
        customer_from_row(&row, through)
    }

    /// Number of customers in the portfolio.
    pub async fn customer_count(&self) -> Result<usize, Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(&self.pool)
            .await?;
        usize::try_from(n).map_err(|_| Error::Corrupt {
            what: "customer count".into(),
            reason: format!("negative count {n}"),
        })
    }

    /// The portfolio in id order, as of one instant, with what each customer is pending:
    /// every customer, or with `only_pending` only those the next run must screen.
    pub async fn portfolio(&self, only_pending: bool) -> Result<PortfolioSnapshot, Error> {
        // One transaction: the customers and the counters are read at the same instant.
        let mut tx = self.pool.begin().await?;
        let through: i64 = sqlx::query_scalar(
            "SELECT value FROM monitor_counters WHERE name = 'customers_screened_through'",
        )
        .fetch_one(&mut *tx)
        .await?;
        let revision: i64 = sqlx::query_scalar(
            "SELECT value FROM monitor_counters WHERE name = 'customer_revision'",
        )
        .fetch_one(&mut *tx)
        .await?;
        let filter = if only_pending {
            "WHERE revision > $1"
        } else {
            ""
        };
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers {filter} ORDER BY customer_id");
        let mut query = sqlx::query(&sql);
        if only_pending {
            query = query.bind(through);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        let customers = rows
            .iter()
            .map(|row| customer_from_row(row, through))
            .collect::<Result<_, _>>()?;
        Ok(PortfolioSnapshot {
            customers,
            revision,
        })
    }

    /// What the portfolio was last screened against.
    pub async fn monitor_state(&self) -> Result<MonitorState, Error> {
        let through: i64 = sqlx::query_scalar(
            "SELECT value FROM monitor_counters WHERE name = 'customers_screened_through'",
        )
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query("SELECT list_id, version FROM monitor_lists")
            .fetch_all(&self.pool)
            .await?;
        let lists = rows
            .iter()
            .map(|r| Ok((r.try_get("list_id")?, r.try_get("version")?)))
            .collect::<Result<_, Error>>()?;
        Ok(MonitorState {
            lists,
            customers_screened_through: through,
        })
    }
}
