//! The audit key: a secret kept outside the database that keys the audit chain, and the
//! signed checkpoints of the chain's head it makes.
//!
//! The key file holds 32 random bytes (`interdict-audit-key-v1 <64 hex digits>`), readable by
//! its owner only (0600), created on first use: beside an SQLite store (`<db>.audit-key`), or
//! at the path given for a Postgres store, the same file on every replica. Two keys are
//! derived from it, each for one purpose: the HMAC-SHA256 key of the records' hashes (a
//! database writer without the file cannot compute a record's hash, so cannot rewrite the
//! chain), and an Ed25519 signing key for checkpoints (whose public half anyone can check a
//! checkpoint against, without the secret).
//!
//! The file is created by the first append that needs it, not when the store is opened: a
//! key file therefore means that keyed records were written, and a trail without any is a
//! trail wiped or rewritten (a crash between the file's creation and the first commit is the
//! one false alarm this leaves, and it errs on the side of raising one).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::Error;
use crate::audit::random_hex;

/// The first word of a key file: its format.
const FILE_TAG: &str = "interdict-audit-key-v1";

/// What the records' HMAC key is derived with.
const RECORD_KEY_LABEL: &[u8] = b"interdict-audit-record-hmac-v1";

/// What the checkpoints' Ed25519 seed is derived with.
const SIGNING_KEY_LABEL: &[u8] = b"interdict-audit-checkpoint-ed25519-v1";

/// Tags a checkpoint's signed bytes so that no other signature can be taken for one.
const CHECKPOINT_DOMAIN: &str = "interdict-audit-checkpoint-v1";

/// Where a store's audit key lives, and the key once loaded or created.
#[derive(Debug)]
pub(crate) struct KeySlot {
    /// The key file; `None` for a store in memory, whose key lives as long as the process.
    path: Option<PathBuf>,
    key: OnceLock<AuditKey>,
}

impl KeySlot {
    /// The slot of the key at `path`, loaded now if the file exists (so that a key nobody
    /// can trust fails the opening, not the first append).
    pub(crate) fn open(path: Option<PathBuf>) -> Result<KeySlot, Error> {
        let slot = KeySlot {
            path,
            key: OnceLock::new(),
        };
        slot.existing()?;
        Ok(slot)
    }

    /// The key, created first if there is none yet.
    pub(crate) fn get_or_create(&self) -> Result<&AuditKey, Error> {
        if let Some(key) = self.existing()? {
            return Ok(key);
        }
        let key = match &self.path {
            Some(path) => AuditKey::open_or_create(path)?.0,
            None => AuditKey::ephemeral()?,
        };
        // Another task may have set it meanwhile: both read the same file.
        Ok(self.key.get_or_init(|| key))
    }

    /// The key if it exists (this process made or read it, or another created its file).
    pub(crate) fn existing(&self) -> Result<Option<&AuditKey>, Error> {
        if let Some(key) = self.key.get() {
            return Ok(Some(key));
        }
        let Some(path) = &self.path else {
            return Ok(None);
        };
        match std::fs::symlink_metadata(path) {
            Ok(_) => {
                let key = load(path)?;
                Ok(Some(self.key.get_or_init(|| key)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(key_error(path, format!("cannot read it: {e}"))),
        }
    }

    /// The key file, for messages: `in memory` when there is none.
    pub(crate) fn describe(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "in memory".to_owned(), |p| p.display().to_string())
    }
}

/// The secret of one store's audit chain, loaded from its key file.
pub(crate) struct AuditKey {
    /// The records' HMAC, keyed once: each record clones it rather than rehashing the key.
    record_mac: Hmac<Sha256>,
    signing: SigningKey,
    /// Where it was read from (or `in memory`), for messages.
    location: String,
}

impl fmt::Debug for AuditKey {
    // Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditKey")
            .field("location", &self.location)
            .field("public_key", &self.public_key_hex())
            .finish()
    }
}

fn derive(secret: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl AuditKey {
    fn from_secret(secret: &[u8; 32], location: String) -> AuditKey {
        let record_mac = <Hmac<Sha256> as Mac>::new_from_slice(&derive(secret, RECORD_KEY_LABEL))
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        AuditKey {
            record_mac,
            signing: SigningKey::from_bytes(&derive(secret, SIGNING_KEY_LABEL)),
            location,
        }
    }

    /// A key that lives as long as the process: for a store in memory, which has nowhere
    /// to keep a file and nothing that outlives it.
    pub(crate) fn ephemeral() -> Result<AuditKey, Error> {
        Ok(AuditKey::from_secret(
            &fresh_secret()?,
            "in memory".to_owned(),
        ))
    }

    /// Loads the key at `path`, creating it first if there is none. Answers whether it was
    /// created by this call. Two processes creating it at once agree on one key: each writes
    /// a file of its own and links it into place, and the one that loses reads the winner's.
    pub(crate) fn open_or_create(path: &Path) -> Result<(AuditKey, bool), Error> {
        let created = match std::fs::symlink_metadata(path) {
            Ok(_) => false,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
            Err(e) => return Err(key_error(path, format!("cannot read it: {e}"))),
        };
        Ok((load(path)?, created))
    }

    /// The hex HMAC-SHA256 of `input` under the records' key.
    pub(crate) fn record_hash(&self, input: &[u8]) -> String {
        let mut mac = self.record_mac.clone();
        mac.update(input);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `hash` (hex) is the records' HMAC of `input`, compared in constant time.
    pub(crate) fn verifies(&self, input: &[u8], hash: &str) -> bool {
        let Ok(expected) = hex::decode(hash) else {
            return false;
        };
        let mut mac = self.record_mac.clone();
        mac.update(input);
        mac.verify_slice(&expected).is_ok()
    }

    /// The checkpoints' public key, hex.
    pub(crate) fn public_key_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().as_bytes())
    }

    /// A signed checkpoint of the record `seq` whose hash is `hash`, made now.
    pub(crate) fn checkpoint(&self, seq: u64, hash: &str) -> AuditCheckpoint {
        let time = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        let signature = self.signing.sign(&checkpoint_message(seq, hash, &time));
        AuditCheckpoint {
            seq,
            hash: hash.to_owned(),
            time,
            signature: hex::encode(signature.to_bytes()),
            public_key: self.public_key_hex(),
        }
    }
}

fn key_error(path: &Path, reason: String) -> Error {
    Error::AuditKey {
        path: path.display().to_string(),
        reason,
    }
}

fn fresh_secret() -> Result<[u8; 32], Error> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| Error::Randomness(e.to_string()))?;
    Ok(secret)
}

/// Writes a new key to a file of its own, then links it to `path`: a reader never sees a
/// half-written key, and an existing key is never replaced.
fn create(path: &Path) -> Result<bool, Error> {
    let secret = fresh_secret()?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| key_error(path, "the path names no file".into()))?;
    let staging = path.with_file_name(format!(".{name}.{}.tmp", random_hex(8)?));
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&staging)?;
        writeln!(file, "{FILE_TAG} {}", hex::encode(secret))?;
        file.sync_all()
    };
    let linked = write().and_then(|()| std::fs::hard_link(&staging, path));
    let _ = std::fs::remove_file(&staging);
    match linked {
        Ok(()) => {
            // The new name must survive a crash as the records keyed with it will.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(key_error(path, format!("cannot create it: {e}"))),
    }
}

fn load(path: &Path) -> Result<AuditKey, Error> {
    let metadata =
        std::fs::metadata(path).map_err(|e| key_error(path, format!("cannot read it: {e}")))?;
    if !metadata.is_file() {
        return Err(key_error(path, "it is not a regular file".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(key_error(
                path,
                format!(
                    "its permissions are {mode:o}: others may read the secret; make it \
                     readable by its owner only (chmod 600)"
                ),
            ));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| key_error(path, format!("cannot read it: {e}")))?;
    let malformed = || {
        key_error(
            path,
            format!("not a key file (expected `{FILE_TAG} <64 hex digits>`)"),
        )
    };
    let (tag, secret) = text.trim().split_once(' ').ok_or_else(malformed)?;
    if tag != FILE_TAG {
        return Err(malformed());
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(secret.trim(), &mut bytes).map_err(|_| malformed())?;
    Ok(AuditKey::from_secret(&bytes, path.display().to_string()))
}

/// Where the key of an SQLite store at `database` lives: beside it.
pub(crate) fn beside(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".audit-key");
    PathBuf::from(name)
}

/// A signed statement that the audit chain's record `seq` had hash `hash` at `time`.
///
/// Kept outside the database (a file, a ticket, a mail to the examiner), it lets `audit
/// verify` detect a chain cut short after it, or rewritten by someone holding the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheckpoint {
    /// The sequence number of the chain's last record (0 for an empty chain).
    pub seq: u64,
    /// That record's hash.
    pub hash: String,
    /// When the checkpoint was made, RFC 3339 UTC.
    pub time: String,
    /// Ed25519 signature (hex) of the domain tag, `seq`, `hash` and `time`.
    pub signature: String,
    /// The Ed25519 public key (hex) that signed it: the store's checkpoint key.
    pub public_key: String,
}

impl AuditCheckpoint {
    /// Checks the signature against the checkpoint's own public key; says why it fails.
    pub fn check_signature(&self) -> Result<(), String> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(&self.public_key, &mut key)
            .map_err(|_| "its public key is not 64 hex digits".to_owned())?;
        let key = VerifyingKey::from_bytes(&key)
            .map_err(|_| "its public key is not an Ed25519 key".to_owned())?;
        let mut signature = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut signature)
            .map_err(|_| "its signature is not 128 hex digits".to_owned())?;
        key.verify_strict(
            &checkpoint_message(self.seq, &self.hash, &self.time),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| "its signature does not match its contents".to_owned())
    }
}

/// The bytes a checkpoint signs: each field length-prefixed, as in a record's hash input.
fn checkpoint_message(seq: u64, hash: &str, time: &str) -> Vec<u8> {
    let seq = seq.to_string();
    let mut message = Vec::new();
    for field in [CHECKPOINT_DOMAIN, &seq, hash, time] {
        message.extend_from_slice(field.len().to_string().as_bytes());
        message.push(b':');
        message.extend_from_slice(field.as_bytes());
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_created_once_private_and_read_back_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db.audit-key");
        let (first, created) = AuditKey::open_or_create(&path).expect("create");
        assert!(created);
        let (again, created) = AuditKey::open_or_create(&path).expect("load");
        assert!(!created);
        assert_eq!(first.public_key_hex(), again.public_key_hex());
        assert_eq!(first.record_hash(b"x"), again.record_hash(b"x"));
        assert!(again.verifies(b"x", &first.record_hash(b"x")));
        assert!(!again.verifies(b"y", &first.record_hash(b"x")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            let refused = AuditKey::open_or_create(&path).expect_err("world-readable key");
            assert!(refused.to_string().contains("chmod 600"), "{refused}");
        }
    }

    #[test]
    fn a_checkpoint_verifies_and_any_change_to_it_does_not() {
        let key = AuditKey::ephemeral().expect("key");
        let checkpoint = key.checkpoint(7, &"ab".repeat(32));
        assert_eq!(checkpoint.check_signature(), Ok(()));
        let mut moved = checkpoint.clone();
        moved.seq = 6;
        assert!(moved.check_signature().is_err());
        let mut rehashed = checkpoint.clone();
        rehashed.hash = "cd".repeat(32);
        assert!(rehashed.check_signature().is_err());
        let other = AuditKey::ephemeral().expect("key");
        let mut resigned = checkpoint;
        resigned.public_key = other.public_key_hex();
        assert!(resigned.check_signature().is_err());
    }
}
