//! Webhook delivery: sends the alert events waiting in the store's outbox to their
//! subscribers, signed, at least once, with retries and exponential backoff.
//!
//! Events are written to the outbox by the store in the transaction that makes them happen
//! (an alert raised, a decision proposed or approved), one row per subscription. This crate
//! claims due rows with a lease, POSTs each body as JSON with an
//! `X-Interdict-Signature: sha256=<hex HMAC-SHA256 of the body>` header, and records the
//! outcome: a 2xx answer delivers it; anything else schedules another attempt after
//! `base × 2^attempts` (capped), until `max_attempts` is reached and it is marked failed. A
//! receiver may see an event twice (a crash between sending and recording); it deduplicates
//! on the body's `event_id`.
//!
//! [`deliver_pending`] drains what is due once (the CLI's `webhooks deliver`);
//! [`deliver_until`] keeps delivering until told to stop (`webhooks deliver --watch`, or a
//! task inside the HTTP server). The crate knows `interdict-store` and nothing else of the
//! workspace; HTTP stays out of the model, matching and monitoring crates.

#![deny(missing_docs)]

use std::collections::HashSet;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use interdict_store::{Delivery, Store};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Interdict-Signature";
/// The header carrying the event type, e.g. `alert.created`.
pub const EVENT_HEADER: &str = "X-Interdict-Event";
/// The header carrying the event id (the same for every delivery of one event).
pub const EVENT_ID_HEADER: &str = "X-Interdict-Event-Id";

/// What can go wrong while delivering (a receiver's failure is not an error: it is retried).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The outbox could not be read or updated.
    #[error(transparent)]
    Store(#[from] interdict_store::Error),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

/// How to deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryOptions {
    /// Wait before the second attempt; doubled after each further failure.
    pub base_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// How long one request may take.
    pub timeout: Duration,
    /// Deliveries claimed per round trip to the store.
    pub batch: usize,
}

impl Default for DeliveryOptions {
    /// 10 s doubling to at most an hour, 15 attempts (about eight hours in all), 10 s per
    /// request.
    fn default() -> Self {
        DeliveryOptions {
            base_backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(3600),
            max_attempts: 15,
            timeout: Duration::from_secs(10),
            batch: 100,
        }
    }
}

impl DeliveryOptions {
    /// The wait after the `attempt`-th failure (1 for the first).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.base_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// A claimed delivery stays with its deliverer this long: the request's timeout, with
    /// room to record the outcome.
    fn lease(&self) -> Duration {
        self.timeout.saturating_mul(2).max(Duration::from_secs(30))
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Deliveries attempted.
    pub attempted: usize,
    /// Received with a 2xx answer.
    pub delivered: usize,
    /// Failed and scheduled for another attempt.
    pub retrying: usize,
    /// Failed for the last time.
    pub failed: usize,
}

/// The signature header value of a body: `sha256=<hex HMAC-SHA256 of body under secret>`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// An HTTP client fit for delivering: the request timeout of `options`, no redirects (a
/// signed body is not re-sent elsewhere).
pub fn client(options: &DeliveryOptions) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("interdict/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::Client)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Sends one delivery; `Err` says why it was not received.
async fn send(client: &reqwest::Client, delivery: &Delivery) -> Result<(), String> {
    let response = client
        .post(&delivery.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(
            SIGNATURE_HEADER,
            sign(&delivery.secret, delivery.payload.as_bytes()),
        )
        .header(EVENT_HEADER, &delivery.event_type)
        .header(EVENT_ID_HEADER, delivery.event_id.to_string())
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|e| {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text.push_str(": ");
                text.push_str(&cause.to_string());
                source = cause.source();
            }
            text
        })?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

/// Attempts every delivery due now, once each, and records the outcomes.
pub async fn deliver_pending(
    store: &Store,
    client: &reqwest::Client,
    options: &DeliveryOptions,
) -> Result<DeliveryReport, Error> {
    let mut report = DeliveryReport::default();
    let mut attempted: HashSet<i64> = HashSet::new();
    loop {
        let claimed = store
            .claim_deliveries(now_ms(), millis(options.lease()), options.batch.max(1))
            .await?;
        let fresh: Vec<Delivery> = claimed
            .into_iter()
            .filter(|d| attempted.insert(d.id))
            .collect();
        if fresh.is_empty() {
            return Ok(report);
        }
        for delivery in fresh {
            report.attempted += 1;
            match send(client, &delivery).await {
                Ok(()) => {
                    store.delivery_succeeded(delivery.id).await?;
                    report.delivered += 1;
                }
                Err(why) => {
                    let attempt = delivery.attempts.saturating_add(1);
                    let give_up = attempt >= options.max_attempts;
                    let next = now_ms().saturating_add(millis(options.backoff(attempt)));
                    store
                        .delivery_failed(delivery.id, &why, next, give_up)
                        .await?;
                    if give_up {
                        report.failed += 1;
                    } else {
                        report.retrying += 1;
                    }
                }
            }
        }
    }
}

/// Delivers until `stop` completes: a pass, then a sleep until the next delivery is due
/// (at most `poll`, so that new events are picked up), and again. Returns the totals.
pub async fn deliver_until(
    store: &Store,
    client: &reqwest::Client,
    options: &DeliveryOptions,
    poll: Duration,
    stop: impl Future<Output = ()>,
) -> Result<DeliveryReport, Error> {
    let mut total = DeliveryReport::default();
    tokio::pin!(stop);
    loop {
        let pass = deliver_pending(store, client, options).await?;
        total.attempted += pass.attempted;
        total.delivered += pass.delivered;
        total.retrying += pass.retrying;
        total.failed += pass.failed;
        let wait = match store.next_delivery_due().await? {
            Some(due) => Duration::from_millis(u64::try_from(due - now_ms()).unwrap_or(0)),
            None => poll,
        }
        .min(poll);
        tokio::select! {
            () = &mut stop => return Ok(total),
            () = tokio::time::sleep(wait.max(Duration::from_millis(10))) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_the_rfc_4231_test_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let options = DeliveryOptions {
            base_backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(60),
            ..DeliveryOptions::default()
        };
        let waits: Vec<u64> = (1..=5).map(|n| options.backoff(n).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 60, 60]);
        assert_eq!(options.backoff(1000), Duration::from_secs(60));
    }
}
