//! The audit trail: append-only, hash-chained records of what was screened, imported and
//! changed, by whom, against which list versions.
//!
//! Record `n` carries the hash of record `n - 1` (`prev_hash`; the first carries 64 zeros) and
//! its own `hash`: the HMAC-SHA256, under the store's audit key (`audit_key.rs`, a file kept
//! outside the database), of [`keyed_chain_input`]: the previous hash and the record's fields,
//! each length-prefixed. Records written before the store had a key carry the plain SHA-256 of
//! [`chain_input`] (domain `interdict-audit-v1`) and still verify; once a keyed record follows
//! them, its HMAC covers their last hash, so they can no longer be rewritten either. After the
//! first keyed record every record must be keyed, and a store with a key must have one (the
//! key file is created by the first keyed append): a chain recomputed with plain SHA-256, or
//! emptied, is refused. A one-row table, `audit_head`, holds the last sequence number and
//! hash, and a trigger (migration 0004) makes the database itself refuse a record that does
//! not extend the head, and advance the head with every record it accepts.
//!
//! Appends therefore need no read of the head when this process knows it: a group of records
//! chained onto the head it last wrote is one multi-row INSERT, atomic on its own. If another
//! process or replica appended meanwhile, the database refuses that INSERT whole, and the
//! append is made again in a transaction that updates the head first (`UPDATE ...
//! RETURNING`), which takes the row's write lock on Postgres and the database's write lock on
//! SQLite: appends from any number of processes are serialised and the chain stays linear.
//! Altering, deleting or inserting a record breaks the chain where it happened, and
//! [`Store::verify_audit`] names the first broken record. What the database cannot show, a
//! chain cut short or rewritten by someone holding the key, signed checkpoints of the head
//! ([`Store::sign_audit_head`], kept elsewhere) reveal ([`Store::verify_audit_against`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use tokio::sync::oneshot;

use crate::audit_key::{AuditCheckpoint, AuditKey};
use crate::{Backend, Error, Store, placeholders};

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Records read per query when walking the chain: memory stays flat however long it is.
const PAGE: i64 = 1000;

/// Rows per multi-row INSERT of records (8 columns each): under SQLite's parameter limit.
const INSERT_BATCH: usize = 100;

/// Most records one group commit writes; appends beyond wait for the next turn.
const GROUP_RECORDS: usize = 5000;

/// Tags the hash input so that no other SHA-256 in interdict can be mistaken for a record's:
/// records hashed before the store had an audit key.
const HASH_DOMAIN: &str = "interdict-audit-v1";

/// Tags the input of a keyed record's HMAC: a plain record's input can never be taken for
/// a keyed one's.
const KEYED_HASH_DOMAIN: &str = "interdict-audit-v2";

/// What a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum AuditKind {
    /// A name was screened: request, list versions, engine version, threshold, result.
    Screening,
    /// A list version was imported.
    Import,
    /// An API key was created or revoked.
    Key,
    /// A stored list version was made the active one by hand (rollback or roll forward).
    Activation,
    /// A payment message was screened: the message, list versions, engine, result.
    Payment,
    /// A document was scanned for listed parties: the text, list versions, engine, result.
    Scan,
    /// An alert was escalated, or a decision on it proposed, approved or rejected.
    Alert,
    /// A dataset collection (yente's API) was set or removed.
    Dataset,
    /// The store's audit key was created: records from this one on are keyed.
    #[serde(rename = "audit_key")]
    AuditKey,
}

impl AuditKind {
    /// The name stored and shown, e.g. `screening`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Screening => "screening",
            AuditKind::Import => "import",
            AuditKind::Key => "key",
            AuditKind::Activation => "activation",
            AuditKind::Payment => "payment",
            AuditKind::Scan => "scan",
            AuditKind::Alert => "alert",
            AuditKind::Dataset => "dataset",
            AuditKind::AuditKey => "audit_key",
        }
    }
}

/// An append waiting in the group-commit queue for its answer.
#[derive(Debug)]
pub(crate) struct QueuedAppend {
    records: Vec<PreparedRecord>,
    reply: oneshot::Sender<Result<Vec<AuditRecord>, Error>>,
}

/// The appends the next transaction writes, oldest first: at least one, then as many more as
/// fit in [`GROUP_RECORDS`].
fn take_group(queue: &mut Vec<QueuedAppend>) -> Vec<QueuedAppend> {
    let mut total = 0;
    let count = queue
        .iter()
        .take_while(|queued| {
            total += queued.records.len();
            total <= GROUP_RECORDS
        })
        .count()
        .max(1)
        .min(queue.len());
    queue.drain(..count).collect()
}

fn queue_poisoned() -> Error {
    Error::AuditWriter("its queue's lock is poisoned")
}

fn head_poisoned() -> Error {
    Error::AuditWriter("its head's lock is poisoned")
}

/// A record to append: the store assigns its sequence number, id, time and hashes.
#[derive(Debug, Clone)]
pub struct NewAuditRecord {
    /// What it is about.
    pub kind: AuditKind,
    /// Who did it: an API key id, or `cli:<user>`. Never a secret.
    pub actor: String,
    /// What happened, as JSON.
    pub payload: Value,
}

impl NewAuditRecord {
    /// Serialises the payload, off the writer's path: the chain needs its exact text.
    pub(crate) fn prepare(self) -> Result<PreparedRecord, Error> {
        let payload = serde_json::value::to_raw_value(&self.payload)
            .map_err(|e| Error::Invalid(format!("audit payload: {e}")))?;
        Ok(PreparedRecord {
            kind: self.kind,
            actor: self.actor,
            payload,
        })
    }
}

/// A record to append with its payload text.
#[derive(Debug)]
pub(crate) struct PreparedRecord {
    kind: AuditKind,
    actor: String,
    payload: Box<RawValue>,
}

/// The chain's last record as this process last wrote or read it.
#[derive(Debug, Clone)]
pub(crate) struct ChainHead {
    seq: u64,
    hash: String,
}

impl ChainHead {
    /// The head as a row of `audit_head` (`seq`, `hash`) holds it.
    fn from_row(row: &AnyRow) -> Result<ChainHead, Error> {
        let seq: i64 = row.try_get("seq")?;
        Ok(ChainHead {
            seq: u64::try_from(seq).map_err(|_| Error::Corrupt {
                what: "audit head".into(),
                reason: format!("negative sequence number {seq}"),
            })?,
            hash: row.try_get("hash")?,
        })
    }
}

/// A stored audit record.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: u64,
    /// Unique id (32 hex digits: 12 of time in milliseconds, 20 random), e.g. the
    /// `screening_id` given to a client.
    pub id: String,
    /// `screening`, `import`, `key`, `activation`, `alert`, `audit_key`.
    pub kind: String,
    /// When it was appended, RFC 3339 UTC with microseconds.
    pub recorded_at: String,
    /// Who: an API key id or `cli:<user>`.
    pub actor: String,
    /// The payload exactly as hashed: JSON text.
    pub payload: Box<RawValue>,
    /// The hash of the previous record ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// HMAC-SHA256 (hex) of [`keyed_chain_input`] of this record under the audit key, or
    /// for a record written before the store had a key, SHA-256 of [`chain_input`].
    pub hash: String,
}

impl AuditRecord {
    /// The payload as a JSON value.
    pub fn payload_value(&self) -> Result<Value, Error> {
        serde_json::from_str(self.payload.get()).map_err(|e| Error::Corrupt {
            what: format!("audit record {}", self.seq),
            reason: e.to_string(),
        })
    }

    /// The plain SHA-256 hash this record would carry had it been written without a key,
    /// recomputed from its fields.
    pub fn computed_hash(&self) -> String {
        hex::encode(Sha256::digest(chain_input(
            &self.prev_hash,
            self.seq,
            &self.id,
            &self.kind,
            &self.recorded_at,
            &self.actor,
            self.payload.get(),
        )))
    }

    /// The input of this record's keyed hash.
    fn keyed_input(&self) -> Vec<u8> {
        keyed_chain_input(
            &self.prev_hash,
            self.seq,
            &self.id,
            &self.kind,
            &self.recorded_at,
            &self.actor,
            self.payload.get(),
        )
    }
}

/// The bytes a record's hash is computed over: a domain tag, then the previous hash, the
/// sequence number (decimal), id, kind, time, actor and payload text, each written as
/// `<byte length>:<bytes>`, so that no two different records give the same input.
pub fn chain_input(
    prev_hash: &str,
    seq: u64,
    id: &str,
    kind: &str,
    recorded_at: &str,
    actor: &str,
    payload: &str,
) -> Vec<u8> {
    tagged_input(
        HASH_DOMAIN,
        prev_hash,
        seq,
        id,
        kind,
        recorded_at,
        actor,
        payload,
    )
}

/// The bytes a keyed record's HMAC is computed over: as [`chain_input`], under the domain
/// tag `interdict-audit-v2`.
pub fn keyed_chain_input(
    prev_hash: &str,
    seq: u64,
    id: &str,
    kind: &str,
    recorded_at: &str,
    actor: &str,
    payload: &str,
) -> Vec<u8> {
    tagged_input(
        KEYED_HASH_DOMAIN,
        prev_hash,
        seq,
        id,
        kind,
        recorded_at,
        actor,
        payload,
    )
}

#[allow(
    clippy::too_many_arguments,
    reason = "the record's fields, in hash order"
)]
fn tagged_input(
    domain: &str,
    prev_hash: &str,
    seq: u64,
    id: &str,
    kind: &str,
    recorded_at: &str,
    actor: &str,
    payload: &str,
) -> Vec<u8> {
    let seq = seq.to_string();
    let fields = [
        domain,
        prev_hash,
        &seq,
        id,
        kind,
        recorded_at,
        actor,
        payload,
    ];
    let mut input = Vec::with_capacity(fields.iter().map(|f| f.len() + 8).sum());
    for field in fields {
        input.extend_from_slice(field.len().to_string().as_bytes());
        input.push(b':');
        input.extend_from_slice(field.as_bytes());
    }
    input
}

/// The first record at which the chain is broken, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// The sequence number of the first bad (or missing) record.
    pub seq: u64,
    /// Its id, when the record is there.
    pub id: Option<String>,
    /// What is wrong with it.
    pub reason: String,
}

/// The outcome of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    /// Records read.
    pub records: u64,
    /// The head's sequence number: how many records there should be.
    pub head_seq: u64,
    /// The head's hash: anchoring it elsewhere (a ticket, a signed mail) lets an examiner
    /// detect a rewrite of the whole chain later.
    pub head_hash: String,
    /// Records written before the store had an audit key (plain SHA-256): as strong as the
    /// keyed record that follows them, no stronger before it was written.
    pub unkeyed_records: u64,
    /// Checkpoints whose record was found with the hash they signed.
    pub checkpoints_matched: u64,
    /// The first break, or `None` when the chain is intact.
    pub first_break: Option<AuditBreak>,
}

impl AuditVerification {
    /// Whether the chain is intact.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

/// A fresh random id: 16 bytes from the operating system, in hex.
pub(crate) fn random_hex(bytes: usize) -> Result<String, Error> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| Error::Randomness(e.to_string()))?;
    Ok(hex::encode(buffer))
}

/// A new record id: 32 hex digits, the first 12 the time in milliseconds, the other 20 random
/// (80 bits). Ids that grow with time are appended to the id index rather than scattered over
/// it, so that a commit of many records dirties a few index pages, not one each.
fn record_id() -> Result<String, Error> {
    let millis = Utc::now().timestamp_millis().max(0) & 0xffff_ffff_ffff;
    Ok(format!("{millis:012x}{}", random_hex(10)?))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The stored time form of an instant, comparable as text with `recorded_at`.
fn time_key(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

const RECORD_COLUMNS: &str = "seq, record_id, kind, recorded_at, actor, payload, prev_hash, hash";

fn record_from_row(row: &AnyRow) -> Result<AuditRecord, Error> {
    let seq: i64 = row.try_get("seq")?;
    let payload: String = row.try_get("payload")?;
    let corrupt = |reason: String| Error::Corrupt {
        what: format!("audit record {seq}"),
        reason,
    };
    Ok(AuditRecord {
        seq: u64::try_from(seq).map_err(|_| corrupt(format!("negative sequence number {seq}")))?,
        id: row.try_get("record_id")?,
        kind: row.try_get("kind")?,
        recorded_at: row.try_get("recorded_at")?,
        actor: row.try_get("actor")?,
        payload: RawValue::from_string(payload).map_err(|e| corrupt(e.to_string()))?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

fn to_i64(n: u64) -> Result<i64, Error> {
    i64::try_from(n).map_err(|_| Error::Invalid(format!("sequence number {n} is out of range")))
}

impl Store {
    /// Appends one record to the audit trail and returns it as stored.
    pub async fn append_audit(&self, record: NewAuditRecord) -> Result<AuditRecord, Error> {
        let mut stored = self.append_audit_all(vec![record]).await?;
        stored.pop().ok_or_else(|| Error::Corrupt {
            what: "audit trail".into(),
            reason: "an append stored nothing".into(),
        })
    }

    /// Appends records in order, in one transaction: all of them or none.
    ///
    /// Concurrent appends of this process are committed together (group commit): each one
    /// joins a queue, and whoever gets the writer's turn writes everything queued in one
    /// transaction and answers every waiter. A caller's records stay consecutive in the chain
    /// and its answer comes only after they are committed. The write runs in its own task,
    /// so a caller that goes away (a client hanging up) cannot abort the others' records.
    pub async fn append_audit_all(
        &self,
        records: Vec<NewAuditRecord>,
    ) -> Result<Vec<AuditRecord>, Error> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let records = records
            .into_iter()
            .map(NewAuditRecord::prepare)
            .collect::<Result<Vec<_>, _>>()?;
        let (reply, mut answer) = oneshot::channel();
        self.audit_queue
            .lock()
            .map_err(|_| queue_poisoned())?
            .push(QueuedAppend { records, reply });
        loop {
            tokio::select! {
                biased;
                answer = &mut answer => {
                    return answer.map_err(|_| Error::AuditWriter(
                        "it stopped before recording this append",
                    ))?;
                }
                turn = self.writer_turn.clone().lock_owned() => {
                    let group = take_group(
                        &mut *self.audit_queue.lock().map_err(|_| queue_poisoned())?,
                    );
                    if group.is_empty() {
                        // An earlier writer took ours: its answer is already sent.
                        continue;
                    }
                    let store = self.clone();
                    tokio::spawn(async move {
                        store.write_group(group).await;
                        drop(turn);
                    });
                }
            }
        }
    }

    /// Commits a group of queued appends at once and answers each of them.
    async fn write_group(&self, group: Vec<QueuedAppend>) {
        let mut sizes = Vec::with_capacity(group.len());
        let mut replies = Vec::with_capacity(group.len());
        let mut records = Vec::new();
        for queued in group {
            sizes.push(queued.records.len());
            replies.push(queued.reply);
            records.extend(queued.records);
        }
        match self.append_prepared(records).await {
            Ok(stored) => {
                let mut stored = stored.into_iter();
                for (reply, size) in replies.into_iter().zip(sizes) {
                    // A waiter that went away needs no answer; its records are committed.
                    let _ = reply.send(Ok(stored.by_ref().take(size).collect()));
                }
            }
            Err(error) => {
                let error = Arc::new(error);
                for reply in replies {
                    let _ = reply.send(Err(Error::Grouped(Arc::clone(&error))));
                }
            }
        }
    }

    /// Appends `records` with the writer's turn held: as one INSERT chained onto the head
    /// this process knows, if it knows one and the records fit in one statement; in a
    /// transaction that reads the head otherwise, or when the database refuses the INSERT
    /// because another process appended meanwhile.
    async fn append_prepared(
        &self,
        records: Vec<PreparedRecord>,
    ) -> Result<Vec<AuditRecord>, Error> {
        if let Some(head) = self.known_head()?
            && records.len() <= INSERT_BATCH
        {
            let stored = chain(&records, &head, self.audit_key.get_or_create()?)?;
            match insert_records(&self.writer, self.backend, &stored).await {
                Ok(()) => {
                    self.remember_head(&stored)?;
                    return Ok(stored);
                }
                // The database refused it (another writer's records hold those places):
                // nothing was written. Anything else (the connection failed) may or may not
                // have been, so it is not retried.
                Err(Error::Database(sqlx::Error::Database(_))) => {}
                Err(error) => return Err(error),
            }
        }
        let mut tx = self.write_tx().await?;
        let stored = self.append_in(&mut tx, records).await?;
        tx.commit().await?;
        self.remember_head(&stored)?;
        Ok(stored)
    }

    fn known_head(&self) -> Result<Option<ChainHead>, Error> {
        Ok(self.audit_head.lock().map_err(|_| head_poisoned())?.clone())
    }

    pub(crate) fn remember_head(&self, stored: &[AuditRecord]) -> Result<(), Error> {
        if let Some(last) = stored.last() {
            *self.audit_head.lock().map_err(|_| head_poisoned())? = Some(ChainHead {
                seq: last.seq,
                hash: last.hash.clone(),
            });
        }
        Ok(())
    }

    /// One record by id.
    pub async fn audit_record(&self, id: &str) -> Result<AuditRecord, Error> {
        let sql = format!("SELECT {RECORD_COLUMNS} FROM audit_records WHERE record_id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: format!("audit record {id}"),
            })?;
        record_from_row(&row)
    }

    /// The records appended at or after `from` and before `to`, in chain order, at most
    /// `limit` of them after sequence number `after` (pass 0 to start): callers page through
    /// long ranges without holding them in memory.
    pub async fn audit_records_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: u64,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, Error> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_records \
             WHERE recorded_at >= $1 AND recorded_at < $2 AND seq > $3 ORDER BY seq LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(time_key(from))
            .bind(time_key(to))
            .bind(to_i64(after)?)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Walks the whole chain and reports the first record that is missing, altered or out of
    /// place, or that the head does not match the last record (deleted tail).
    pub async fn verify_audit(&self) -> Result<AuditVerification, Error> {
        self.verify_audit_against(&[]).await
    }

    /// [`Store::verify_audit`], and also checks the chain against signed checkpoints of its
    /// head: each must be signed by this store's audit key, and the chain must reach its
    /// record with the hash it signed (a tail deleted after it, or a chain rewritten by
    /// someone holding the key, does not). A checkpoint whose signature does not verify is
    /// refused as invalid input.
    pub async fn verify_audit_against(
        &self,
        checkpoints: &[AuditCheckpoint],
    ) -> Result<AuditVerification, Error> {
        let key = self.audit_key.existing()?;
        let public_key = key.map(AuditKey::public_key_hex);
        let mut signed = BTreeMap::new();
        for checkpoint in checkpoints {
            checkpoint.check_signature().map_err(|reason| {
                Error::Invalid(format!(
                    "the checkpoint of record {} is not genuine: {reason}",
                    checkpoint.seq
                ))
            })?;
            signed.insert(checkpoint.seq, checkpoint);
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let ChainHead {
            seq: head_seq,
            hash: head_hash,
        } = ChainHead::from_row(&head)?;
        let mut report = AuditVerification {
            records: 0,
            head_seq,
            head_hash: head_hash.clone(),
            unkeyed_records: 0,
            checkpoints_matched: 0,
            first_break: None,
        };
        if let Some(foreign) = signed
            .values()
            .find(|c| Some(&c.public_key) != public_key.as_ref())
        {
            let ours =
                public_key.unwrap_or_else(|| format!("missing ({})", self.audit_key.describe()));
            report.first_break = Some(AuditBreak {
                seq: 1,
                id: None,
                reason: format!(
                    "the checkpoint of record {} was signed by audit key {}, but this store's \
                     key is {ours}: the key was replaced or removed (and the trail perhaps \
                     rewritten), or the checkpoint is another store's",
                    foreign.seq, foreign.public_key
                ),
            });
            return Ok(report);
        }
        let mut expected_seq = 1u64;
        let mut prev_hash = GENESIS_HASH.to_owned();
        let mut keyed_seen = false;
        let mut last_seen = i64::MIN;
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM audit_records WHERE seq > $1 ORDER BY seq LIMIT $2"
        );
        loop {
            let rows = sqlx::query(&sql)
                .bind(last_seen)
                .bind(PAGE)
                .fetch_all(&self.pool)
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                last_seen = row.try_get("seq")?;
                let record = match record_from_row(row) {
                    Ok(record) => record,
                    Err(e) => {
                        report.first_break = Some(AuditBreak {
                            seq: u64::try_from(last_seen).unwrap_or(0),
                            id: row.try_get("record_id").ok(),
                            reason: format!("unreadable: {e}"),
                        });
                        return Ok(report);
                    }
                };
                report.records += 1;
                let problem = if record.seq > expected_seq {
                    report.first_break = Some(AuditBreak {
                        seq: expected_seq,
                        id: None,
                        reason: format!(
                            "record {expected_seq} is missing: the chain jumps to record {}",
                            record.seq
                        ),
                    });
                    return Ok(report);
                } else if record.seq < expected_seq {
                    Some(format!(
                        "sequence number {} is out of place (expected {expected_seq})",
                        record.seq
                    ))
                } else if record.prev_hash != prev_hash {
                    Some(format!(
                        "prev_hash does not match the hash of record {}",
                        expected_seq - 1
                    ))
                } else if key.is_some_and(|k| k.verifies(&record.keyed_input(), &record.hash)) {
                    keyed_seen = true;
                    None
                } else if keyed_seen {
                    Some(
                        "its hash is not the keyed hash (HMAC) of its content: the record was \
                         altered, inserted or its hash recomputed without the audit key"
                            .into(),
                    )
                } else if record.computed_hash() == record.hash {
                    report.unkeyed_records += 1;
                    None
                } else if key.is_none() {
                    Some(format!(
                        "content does not match its hash: the record was altered, or it is \
                         keyed and the audit key ({}) is missing",
                        self.audit_key.describe()
                    ))
                } else {
                    Some("content does not match its hash: the record was altered".into())
                };
                let problem = problem.or_else(|| {
                    let checkpoint = signed.get(&record.seq)?;
                    (checkpoint.hash != record.hash).then(|| {
                        format!(
                            "its hash differs from the one signed in the checkpoint of {}: the \
                             chain was rewritten by someone holding the audit key",
                            checkpoint.time
                        )
                    })
                });
                if let Some(reason) = problem {
                    report.first_break = Some(AuditBreak {
                        seq: record.seq,
                        id: Some(record.id),
                        reason,
                    });
                    return Ok(report);
                }
                if signed.contains_key(&record.seq) {
                    report.checkpoints_matched += 1;
                }
                prev_hash = record.hash;
                expected_seq += 1;
            }
        }
        let last_seq = expected_seq - 1;
        let signed_beyond = signed.range(last_seq + 1..).next_back().map(|(_, c)| *c);
        report.first_break = if let Some(checkpoint) = signed_beyond {
            Some(AuditBreak {
                seq: last_seq + 1,
                id: None,
                reason: format!(
                    "{} missing: the checkpoint of {} covers record {} but the chain ends at \
                     record {last_seq} (its tail was deleted)",
                    if checkpoint.seq == last_seq + 1 {
                        format!("record {} is", checkpoint.seq)
                    } else {
                        format!("records {} to {} are", last_seq + 1, checkpoint.seq)
                    },
                    checkpoint.time,
                    checkpoint.seq
                ),
            })
        } else if head_seq > last_seq {
            Some(AuditBreak {
                seq: expected_seq,
                id: None,
                reason: format!(
                    "records {expected_seq} to {head_seq} are missing: the chain ends at record \
                     {last_seq} but its head says {head_seq}"
                ),
            })
        } else if head_seq < last_seq || head_hash != prev_hash {
            Some(AuditBreak {
                seq: last_seq,
                id: None,
                reason: format!(
                    "the chain head (record {head_seq}, hash {head_hash}) does not match record \
                     {last_seq}"
                ),
            })
        } else if key.is_none() {
            None
        } else if last_seq == 0 {
            // The key is created by the first keyed append: a store with a key has records.
            Some(AuditBreak {
                seq: 1,
                id: None,
                reason: "the trail has no records, but its audit key exists (it is created by \
                         the first keyed append): the trail was wiped"
                    .into(),
            })
        } else if !keyed_seen {
            Some(AuditBreak {
                seq: last_seq,
                id: None,
                reason: "no record is keyed, but the audit key exists (it is created by the \
                         first keyed append): the keyed records were removed or the chain was \
                         recomputed without the key"
                    .into(),
            })
        } else {
            None
        };
        Ok(report)
    }

    /// Refuses a store whose key file is missing while its trail is keyed: the first append
    /// would create a new key, and the records keyed with the old one would never verify
    /// again (a replica started without the shared file, a key lost or removed).
    pub(crate) async fn refuse_a_missing_key_for_a_keyed_trail(&self) -> Result<(), Error> {
        if self.audit_key.existing()?.is_some() {
            return Ok(());
        }
        let sql = format!("SELECT {RECORD_COLUMNS} FROM audit_records ORDER BY seq DESC LIMIT 1");
        let Some(row) = sqlx::query(&sql).fetch_optional(&self.pool).await? else {
            return Ok(());
        };
        let last = record_from_row(&row)?;
        if last.computed_hash() == last.hash {
            return Ok(());
        }
        Err(Error::AuditKey {
            path: self.audit_key.describe(),
            reason: format!(
                "it is missing, but the audit trail's last record ({}) is keyed (or altered): \
                 restore the key file from its backup, or copy the one the other replicas use; \
                 a new key would leave the trail unverifiable",
                last.seq
            ),
        })
    }

    /// The checkpoints' public key (hex), once the store has an audit key: what a signed
    /// checkpoint of this store carries.
    pub fn audit_public_key(&self) -> Result<Option<String>, Error> {
        Ok(self.audit_key.existing()?.map(AuditKey::public_key_hex))
    }

    /// Signs the chain's head as it is now: its last record's sequence number and hash. The
    /// last record must be the head and carry a valid keyed hash, so that a checkpoint only
    /// ever vouches for a chain this store wrote. When it carries none (the trail is empty,
    /// or was written before the store had a key), a record of kind `audit_key` naming the
    /// public key is appended first, and that is what is signed.
    pub async fn sign_audit_head(&self) -> Result<AuditCheckpoint, Error> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head = ChainHead::from_row(&head)?;
        let sql = format!("SELECT {RECORD_COLUMNS} FROM audit_records WHERE seq = $1");
        let last = sqlx::query(&sql)
            .bind(to_i64(head.seq)?)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| record_from_row(&row))
            .transpose()?;
        let refuse = |reason: String| Error::Corrupt {
            what: "audit trail".into(),
            reason: format!("refusing to sign its head: {reason}; run `audit verify`"),
        };
        let keyed = match &last {
            Some(record) if record.hash != head.hash => {
                return Err(refuse(format!(
                    "record {} does not match the head",
                    record.seq
                )));
            }
            Some(record) => self
                .audit_key
                .existing()?
                .is_some_and(|k| k.verifies(&record.keyed_input(), &record.hash)),
            None if head.seq == 0 => false,
            None => return Err(refuse(format!("record {} is missing", head.seq))),
        };
        if keyed {
            return Ok(self
                .audit_key
                .get_or_create()?
                .checkpoint(head.seq, &head.hash));
        }
        if let Some(record) = &last
            && record.computed_hash() != record.hash
        {
            return Err(refuse(format!(
                "record {} matches neither a keyed nor a plain hash",
                record.seq
            )));
        }
        let key = self.audit_key.get_or_create()?;
        let record = self
            .append_audit(NewAuditRecord {
                kind: AuditKind::AuditKey,
                actor: "interdict".into(),
                payload: serde_json::json!({
                    "action": "first checkpoint",
                    "checkpoint_public_key": key.public_key_hex(),
                }),
            })
            .await?;
        Ok(key.checkpoint(record.seq, &record.hash))
    }
}

impl Store {
    /// Appends `records` inside `tx`, which must go on to commit (then pass what this returns
    /// to `remember_head`). The head is read with a write first (a no-op UPDATE), so that
    /// concurrent writers wait for this transaction; the records then advance it (see the
    /// module comment).
    pub(crate) async fn append_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        records: Vec<PreparedRecord>,
    ) -> Result<Vec<AuditRecord>, Error> {
        let head = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
        let stored = chain(
            &records,
            &ChainHead::from_row(&head)?,
            self.audit_key.get_or_create()?,
        )?;
        for chunk in stored.chunks(INSERT_BATCH) {
            insert_records(&mut **tx, self.backend, chunk).await?;
        }
        Ok(stored)
    }
}

/// `records` as the records that follow `head`: sequence numbers, ids, time and keyed hashes.
fn chain(
    records: &[PreparedRecord],
    head: &ChainHead,
    key: &AuditKey,
) -> Result<Vec<AuditRecord>, Error> {
    let recorded_at = now();
    let mut prev_hash = head.hash.clone();
    let mut stored = Vec::with_capacity(records.len());
    for (offset, record) in (1..).zip(records) {
        let mut record = AuditRecord {
            seq: head.seq + offset,
            id: record_id()?,
            kind: record.kind.as_str().to_owned(),
            recorded_at: recorded_at.clone(),
            actor: record.actor.clone(),
            payload: record.payload.clone(),
            prev_hash: std::mem::take(&mut prev_hash),
            hash: String::new(),
        };
        record.hash = key.record_hash(&record.keyed_input());
        prev_hash.clone_from(&record.hash);
        stored.push(record);
    }
    Ok(stored)
}

/// One multi-row INSERT of at most [`INSERT_BATCH`] records.
async fn insert_records<'e, E>(
    executor: E,
    backend: Backend,
    records: &[AuditRecord],
) -> Result<(), Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!(
        "INSERT INTO audit_records ({RECORD_COLUMNS}) VALUES {}",
        placeholders(backend, records.len(), 8)
    );
    let mut query = sqlx::query(&sql);
    for record in records {
        query = query
            .bind(to_i64(record.seq)?)
            .bind(record.id.as_str())
            .bind(record.kind.as_str())
            .bind(record.recorded_at.as_str())
            .bind(record.actor.as_str())
            .bind(record.payload.get())
            .bind(record.prev_hash.as_str())
            .bind(record.hash.as_str());
    }
    query.execute(executor).await?;
    Ok(())
}
