//! Sessions of the analyst UI: signing in with an API key opens one, kept in this process
//! under a random id that only the browser's HttpOnly, SameSite=Strict cookie carries. The
//! key itself is checked once (by the store, as for the API) and then forgotten: a session
//! holds the key's id, name and role, never its secret.
//!
//! Sessions are an in-process cache like the key cache: a replica restart signs everyone
//! out, and a session opened on one replica is unknown to the others (route a browser to one
//! replica, or sign in again). A session ends when its user signs out, after `lifetime`, or
//! within the key cache's time to live once its key is revoked.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use interdict_store::{Role, Store};
use sha2::{Digest, Sha256};

/// The cookie that carries the session id.
pub(crate) const SESSION_COOKIE: &str = "interdict_session";
/// The cookie that carries the sign-in form's CSRF token before there is a session.
pub(crate) const SIGNIN_COOKIE: &str = "interdict_signin";

/// Who is signed in.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The key's id: who acts in the audit trail and the alert history, as over the API.
    pub(crate) actor: String,
    /// The key's name, shown to the user.
    pub(crate) name: String,
    /// What the user may do.
    pub(crate) role: Role,
    /// The token every form of this session must carry.
    pub(crate) csrf: String,
    /// A message for the next page shown (after a redirect).
    flash: Option<Flash>,
    expires: Instant,
    checked: Instant,
}

/// A message shown once at the top of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flash {
    /// Whether it reports a refusal rather than a success.
    pub(crate) refused: bool,
    /// The message.
    pub(crate) text: String,
}

/// Every open session of this process.
#[derive(Debug)]
pub(crate) struct Sessions {
    lifetime: Duration,
    recheck: Duration,
    entries: Mutex<HashMap<[u8; 32], Session>>,
}

/// A fresh random token, 32 bytes as hex: session ids and CSRF tokens.
pub(crate) fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Sessions are found by the SHA-256 of their id, so the map holds no usable id.
fn fingerprint(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

/// Whether two tokens are equal, in time independent of where they differ.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Sessions {
    /// Sessions lasting `lifetime`, whose key is checked again every `recheck`.
    pub(crate) fn new(lifetime: Duration, recheck: Duration) -> Sessions {
        Sessions {
            lifetime,
            recheck,
            entries: Mutex::default(),
        }
    }

    /// How long a session lasts: the cookie's Max-Age.
    pub(crate) fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Opens a session for a key; returns its id (for the cookie only).
    pub(crate) fn open(&self, actor: String, name: String, role: Role) -> Option<String> {
        let id = random_token().ok()?;
        let csrf = random_token().ok()?;
        let now = Instant::now();
        let mut entries = self.entries.lock().ok()?;
        // Expired sessions are dropped as new ones come, which bounds the map by the
        // sign-ins of one lifetime.
        entries.retain(|_, s| s.expires > now);
        entries.insert(
            fingerprint(&id),
            Session {
                actor,
                name,
                role,
                csrf,
                flash: None,
                expires: now + self.lifetime,
                checked: now,
            },
        );
        Some(id)
    }

    /// The session with `id`, unless it expired or its key was revoked; takes its flash.
    pub(crate) async fn find(&self, store: &Store, id: &str) -> Option<(Session, Option<Flash>)> {
        let key = fingerprint(id);
        let now = Instant::now();
        let session = {
            let mut entries = self.entries.lock().ok()?;
            let session = entries.get_mut(&key)?;
            if session.expires <= now {
                entries.remove(&key);
                return None;
            }
            let flash = session.flash.take();
            (session.clone(), flash)
        };
        if now.duration_since(session.0.checked) < self.recheck {
            return Some(session);
        }
        // The key may have been revoked since: ask the store, as the key cache does.
        let alive = match store.keys().await {
            Ok(keys) => keys
                .iter()
                .any(|k| k.id == session.0.actor && k.revoked_at.is_none()),
            Err(error) => {
                tracing::warn!(%error, "could not check a UI session's key");
                false
            }
        };
        let mut entries = self.entries.lock().ok()?;
        if !alive {
            entries.remove(&key);
            return None;
        }
        if let Some(stored) = entries.get_mut(&key) {
            stored.checked = now;
        }
        Some(session)
    }

    /// Leaves a message for the session's next page.
    pub(crate) fn flash(&self, id: &str, refused: bool, text: impl Into<String>) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(session) = entries.get_mut(&fingerprint(id))
        {
            session.flash = Some(Flash {
                refused,
                text: text.into(),
            });
        }
    }

    /// Ends a session.
    pub(crate) fn close(&self, id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&fingerprint(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_compared_whole() {
        let a = random_token().expect("random");
        let b = random_token().expect("random");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[..63]));
        assert!(!same_token("", ""));
    }
}
