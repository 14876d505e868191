//! Who is calling: the API key from `Authorization: Bearer KEY` (or `ApiKey KEY`, as yente's
//! clients send it) or `X-API-Key`, checked
//! against the store (through a short-lived cache), its role, and its rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use interdict_store::Role;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::{AppState, AuthMode};

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// What the audit trail records: the key id, or `anonymous` without authentication.
    pub(crate) actor: String,
    /// What the caller may do.
    pub(crate) role: Role,
}

impl Caller {
    /// Fails with 403 unless the caller's role is at least `needed`.
    pub(crate) fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                needed,
                held: self.role,
            })
        }
    }
}

/// The key presented, if any.
fn presented_key(parts: &Parts) -> Option<&str> {
    if let Some(value) = parts.headers.get(AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        let (scheme, key) = value.split_once(' ')?;
        // `ApiKey` is how clients of OpenSanctions' hosted API (and so of yente) send a key.
        let known = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey");
        return known.then_some(key.trim());
    }
    parts
        .headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = match state.config().auth {
            AuthMode::Disabled => Caller {
                actor: "anonymous".into(),
                role: Role::Admin,
            },
            AuthMode::Required => {
                let key = presented_key(parts).filter(|k| !k.is_empty()).ok_or(
                    ApiError::Unauthenticated(
                        "no API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`",
                    ),
                )?;
                let info = match state.key_cache().get(key) {
                    Some(info) => info,
                    None => {
                        let info = state
                            .store()
                            .authenticate(key)
                            .await?
                            .ok_or(ApiError::Unauthenticated("unknown or revoked API key"))?;
                        let info = CachedKey {
                            id: info.id,
                            role: info.role,
                        };
                        state.key_cache().insert(key, info.clone());
                        info
                    }
                };
                Caller {
                    actor: info.id,
                    role: info.role,
                }
            }
        };
        state.rate_limiter().admit(&caller.actor)?;
        Ok(caller)
    }
}

/// What authenticating a key established.
#[derive(Debug, Clone)]
pub(crate) struct CachedKey {
    id: String,
    role: Role,
}

/// Keys recently authenticated, so that a busy client costs the store one lookup per `ttl`
/// rather than one per request. Entries are found by the SHA-256 of the presented key, so no
/// secret is kept. A key revoked through this process is forgotten at once
/// ([`KeyCache::clear`]); one revoked through another replica is refused within `ttl`.
#[derive(Debug)]
pub(crate) struct KeyCache {
    ttl: Duration,
    entries: Mutex<HashMap<[u8; 32], (CachedKey, Instant)>>,
}

impl KeyCache {
    /// A cache keeping authentications for `ttl`; a zero `ttl` caches nothing.
    pub(crate) fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            ttl,
            entries: Mutex::default(),
        }
    }

    fn fingerprint(key: &str) -> [u8; 32] {
        Sha256::digest(key.as_bytes()).into()
    }

    /// The key's id and role, when authenticated less than `ttl` ago.
    fn get(&self, key: &str) -> Option<CachedKey> {
        let entries = self.entries.lock().ok()?;
        let (cached, at) = entries.get(&Self::fingerprint(key))?;
        (at.elapsed() < self.ttl).then(|| cached.clone())
    }

    /// Remembers a successful authentication. Only valid keys get here, so the cache is
    /// bounded by the keys in the store; expired entries are dropped as it grows.
    fn insert(&self, key: &str, info: CachedKey) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= 1024 {
            entries.retain(|_, (_, at)| at.elapsed() < self.ttl);
        }
        entries.insert(Self::fingerprint(key), (info, Instant::now()));
    }

    /// Forgets every authentication: after a revocation, the next request of every key goes
    /// to the store again.
    pub(crate) fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// A token bucket per caller: `rate` requests a second on average, bursts of up to `rate`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    rate: Option<f64>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// A limiter at `per_second` requests per caller, or none.
    pub(crate) fn new(per_second: Option<u32>) -> RateLimiter {
        RateLimiter {
            rate: per_second.filter(|&r| r > 0).map(f64::from),
            buckets: Mutex::default(),
        }
    }

    /// Takes one token from `caller`'s bucket, or says when one will be there. Buckets exist
    /// only for authenticated callers, so their number is bounded by the keys in the store.
    pub(crate) fn admit(&self, caller: &str) -> Result<(), ApiError> {
        self.take(caller, 1.0, |_| 1.0)
    }

    /// Takes `extra` more tokens for a request that weighs more than the one token
    /// [`RateLimiter::admit`] took (a batch weighs by its size times its limit). The request
    /// passes when the bucket held what it weighs, or a full burst for a request weighing
    /// more; what it weighs beyond the bucket becomes debt that the caller's next requests
    /// wait out. So no request is too heavy ever to pass, and none is cheaper than its weight.
    pub(crate) fn charge_more(&self, caller: &str, extra: u64) -> Result<(), ApiError> {
        if extra == 0 {
            return Ok(());
        }
        let extra = extra as f64;
        self.take(caller, extra, |rate| extra.min(rate - 1.0))
    }

    /// Takes `cost` tokens when the bucket holds at least `needed(rate)`, which may leave it
    /// below zero.
    fn take(&self, caller: &str, cost: f64, needed: impl Fn(f64) -> f64) -> Result<(), ApiError> {
        let Some(rate) = self.rate else {
            return Ok(());
        };
        let needed = needed(rate);
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| ApiError::internal("the rate limiter's lock is poisoned"))?;
        let bucket = buckets.entry(caller.to_owned()).or_insert(Bucket {
            tokens: rate,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + refill).min(rate);
        bucket.updated = now;
        if bucket.tokens >= needed {
            bucket.tokens -= cost;
            Ok(())
        } else {
            Err(ApiError::RateLimited {
                retry_after: Duration::from_secs_f64((needed - bucket.tokens) / rate),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_and_buckets_are_per_caller() {
        let limiter = RateLimiter::new(Some(3));
        for _ in 0..3 {
            assert!(limiter.admit("a").is_ok());
        }
        assert!(matches!(
            limiter.admit("a"),
            Err(ApiError::RateLimited { .. })
        ));
        assert!(limiter.admit("b").is_ok());
        let unlimited = RateLimiter::new(None);
        for _ in 0..1000 {
            assert!(unlimited.admit("a").is_ok());
        }
    }

    #[test]
    fn a_heavy_request_passes_a_full_bucket_and_leaves_a_debt() {
        let limiter = RateLimiter::new(Some(10));
        // A request weighing 50 (a batch): its first token, then 49 more.
        assert!(limiter.admit("a").is_ok());
        assert!(limiter.charge_more("a", 49).is_ok());
        // The bucket is 40 in debt: the next request waits about 4 s, not 0.1 s.
        match limiter.admit("a") {
            Err(ApiError::RateLimited { retry_after }) => {
                assert!(retry_after > Duration::from_secs(3), "{retry_after:?}")
            }
            other => panic!("expected the caller to wait, got {other:?}"),
        }
        // A bucket that is not full refuses a heavy request before taking its weight.
        assert!(limiter.admit("b").is_ok());
        assert!(limiter.admit("b").is_ok());
        assert!(matches!(
            limiter.charge_more("b", 49),
            Err(ApiError::RateLimited { .. })
        ));
        assert!(limiter.charge_more("b", 0).is_ok());
    }
}
