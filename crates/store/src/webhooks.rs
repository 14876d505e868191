//! Webhook subscriptions and their durable outbox.
//!
//! Alert events write one outbox row per subscription in their own transaction (see
//! `alerts.rs`). A deliverer claims due rows with a lease (a conditional update, so two
//! deliverers never hold the same row at once), sends them, and records success or a failure
//! with the time of the next attempt. Delivery is at least once: a deliverer that dies after
//! sending but before recording leaves the row to be sent again when the lease runs out, so
//! receivers deduplicate on the payload's `event_id`.
//!
//! The shared secret is stored as given: signing needs it. The store never prints it.

use sqlx::Row;

use crate::portfolio::now;
use crate::{Error, Store};

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Its id.
    pub id: i64,
    /// Where events are POSTed.
    pub url: String,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// Deliveries waiting to be sent.
    pub pending: u64,
    /// Deliveries sent.
    pub delivered: u64,
    /// Deliveries given up on after too many failed attempts.
    pub failed: u64,
}

/// A delivery claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The outbox row.
    pub id: i64,
    /// The subscription.
    pub webhook_id: i64,
    /// Its URL.
    pub url: String,
    /// Its secret, for signing.
    pub secret: String,
    /// The alert history event it is about.
    pub event_id: i64,
    /// The event type, e.g. `alert.created`.
    pub event_type: String,
    /// The JSON body to send, exactly.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// Subscribes `url` to alert events, signed with `secret`.
    pub async fn add_webhook(&self, url: &str, secret: &str) -> Result<Webhook, Error> {
        let url = url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Invalid(format!(
                "webhook URL {url:?} must start with http:// or https://"
            )));
        }
        if secret.is_empty() {
            return Err(Error::Invalid(
                "a webhook needs a secret to sign with".into(),
            ));
        }
        let created_at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhooks (url, secret, created_at) VALUES ($1, $2, $3) \
             RETURNING webhook_id",
        )
        .bind(url)
        .bind(secret)
        .bind(created_at.as_str())
        .fetch_one(&self.writer)
        .await?;
        Ok(Webhook {
            id,
            url: url.to_owned(),
            created_at,
            pending: 0,
            delivered: 0,
            failed: 0,
        })
    }

    /// Every subscription, with its delivery counts.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, Error> {
        let rows = sqlx::query(
            "SELECT w.webhook_id, w.url, w.created_at, \
             CAST(COALESCE(SUM(CASE WHEN o.state = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, \
             CAST(COALESCE(SUM(CASE WHEN o.state = 'delivered' THEN 1 ELSE 0 END), 0) AS BIGINT) AS delivered, \
             CAST(COALESCE(SUM(CASE WHEN o.state = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed \
             FROM webhooks w LEFT JOIN webhook_outbox o ON o.webhook_id = w.webhook_id \
             GROUP BY w.webhook_id, w.url, w.created_at ORDER BY w.webhook_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Webhook {
                    id: r.try_get("webhook_id")?,
                    url: r.try_get("url")?,
                    created_at: r.try_get("created_at")?,
                    pending: count(r.try_get("pending")?),
                    delivered: count(r.try_get("delivered")?),
                    failed: count(r.try_get("failed")?),
                })
            })
            .collect()
    }

    /// Removes a subscription and its undelivered events.
    pub async fn remove_webhook(&self, id: i64) -> Result<(), Error> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM webhook_outbox WHERE webhook_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let removed = sqlx::query("DELETE FROM webhooks WHERE webhook_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            return Err(Error::NotFound {
                what: format!("webhook {id}"),
            });
        }
        tx.commit().await?;
        Ok(())
    }

    /// Claims up to `limit` deliveries due at `now_ms` (milliseconds since the Unix epoch),
    /// oldest first, leasing each until `now_ms + lease_ms`: no other deliverer gets them
    /// before then.
    pub async fn claim_deliveries(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<Delivery>, Error> {
        let rows = sqlx::query(
            "SELECT o.delivery_id, o.webhook_id, w.url, w.secret, o.event_id, o.event_type, \
             o.payload, o.attempts FROM webhook_outbox o \
             JOIN webhooks w ON w.webhook_id = o.webhook_id \
             WHERE o.state = 'pending' AND o.next_attempt_ms <= $1 AND o.lease_until_ms <= $1 \
             ORDER BY o.delivery_id LIMIT $2",
        )
        .bind(now_ms)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("delivery_id")?;
            let leased = sqlx::query(
                "UPDATE webhook_outbox SET lease_until_ms = $1 WHERE delivery_id = $2 \
                 AND state = 'pending' AND lease_until_ms <= $3",
            )
            .bind(now_ms.saturating_add(lease_ms))
            .bind(id)
            .bind(now_ms)
            .execute(&self.writer)
            .await?;
            if leased.rows_affected() == 0 {
                continue; // another deliverer got it first
            }
            let attempts: i64 = row.try_get("attempts")?;
            claimed.push(Delivery {
                id,
                webhook_id: row.try_get("webhook_id")?,
                url: row.try_get("url")?,
                secret: row.try_get("secret")?,
                event_id: row.try_get("event_id")?,
                event_type: row.try_get("event_type")?,
                payload: row.try_get("payload")?,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            });
        }
        Ok(claimed)
    }

    /// Records that a delivery was received.
    pub async fn delivery_succeeded(&self, id: i64) -> Result<(), Error> {
        sqlx::query(
            "UPDATE webhook_outbox SET state = 'delivered', attempts = attempts + 1, \
             delivered_at = $1, last_error = NULL, lease_until_ms = 0 WHERE delivery_id = $2",
        )
        .bind(now())
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: the delivery is tried again at `next_attempt_ms`, or, with
    /// `give_up`, marked failed for good.
    pub async fn delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_ms: i64,
        give_up: bool,
    ) -> Result<(), Error> {
        sqlx::query(
            "UPDATE webhook_outbox SET state = $1, attempts = attempts + 1, last_error = $2, \
             next_attempt_ms = $3, lease_until_ms = 0 WHERE delivery_id = $4 AND state = 'pending'",
        )
        .bind(if give_up { "failed" } else { "pending" })
        .bind(error)
        .bind(next_attempt_ms)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The earliest time (milliseconds since the Unix epoch) a pending delivery is due, if
    /// any is pending.
    pub async fn next_delivery_due(&self) -> Result<Option<i64>, Error> {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(CASE WHEN lease_until_ms > next_attempt_ms THEN lease_until_ms \
             ELSE next_attempt_ms END) FROM webhook_outbox WHERE state = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(due)
    }
}
