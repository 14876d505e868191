//! The audit trail and API keys on a real SQLite file and a real Postgres database: the hash
//! chain, its verification after tampering with raw SQL, concurrent writers on separate
//! connection pools (as separate processes have), export by time, and keys stored as hashes.
//! Every test runs on both backends.

use crate::common;

use std::time::Duration;

use chrono::Utc;
use common::Guard;
use interdict_model::{Entity, EntityId, Schema};
use interdict_store::{
    AuditKind, Error, GENESIS_HASH, NewAuditRecord, PreparedList, Role, Store, chain_input,
};
use serde_json::json;
use sha2::{Digest, Sha256};

on_both_backends_with_guard!(
    appends_form_a_verifiable_chain,
    an_altered_payload_is_named,
    a_record_rehashed_without_the_key_is_named,
    a_chain_recomputed_without_the_key_is_caught_whatever_was_changed,
    a_tail_deleted_after_a_checkpoint_is_caught_by_the_checkpoint,
    a_wiped_trail_is_caught,
    checkpoints_must_be_genuine_and_signed_by_the_stores_key,
    records_from_before_the_key_verify_and_are_sealed_by_the_first_keyed_one,
    a_deleted_record_is_named_as_missing,
    a_deleted_tail_is_caught_by_the_head,
    concurrent_writers_on_separate_pools_keep_one_chain,
    concurrent_appends_of_one_store_are_committed_together_and_each_answered,
    records_are_exported_between_two_times,
    keys_authenticate_until_revoked_and_only_their_hash_is_stored,
    the_database_refuses_a_record_that_does_not_extend_the_head,
    an_append_after_another_process_appended_extends_the_chain,
    screenings_are_recorded_between_the_batches_of_an_import,
);

fn screening(n: usize) -> NewAuditRecord {
    NewAuditRecord {
        kind: AuditKind::Screening,
        actor: "cli:tester".into(),
        payload: json!({ "request": { "name": format!("name {n}") }, "matches": [] }),
    }
}

async fn append_n(store: &Store, n: usize) -> Vec<interdict_store::AuditRecord> {
    let mut records = Vec::new();
    for i in 0..n {
        records.push(store.append_audit(screening(i)).await.expect("append"));
    }
    records
}

async fn appends_form_a_verifiable_chain(store: Store, _guard: Guard) {
    let empty = store.verify_audit().await.expect("verify empty");
    assert!(empty.is_intact());
    assert_eq!((empty.records, empty.head_seq), (0, 0));
    assert_eq!(empty.head_hash, GENESIS_HASH);

    let singles = append_n(&store, 3).await;
    let batch = store
        .append_audit_all(vec![screening(3), screening(4)])
        .await
        .expect("append batch");
    let all: Vec<_> = singles.iter().chain(&batch).collect();
    for (i, record) in all.iter().enumerate() {
        assert_eq!(record.seq, i as u64 + 1);
        assert_eq!(record.id.len(), 32);
        let previous = if i == 0 {
            GENESIS_HASH
        } else {
            &all[i - 1].hash
        };
        assert_eq!(record.prev_hash, previous);
        // Keyed: not the plain SHA-256 anyone could recompute.
        assert_eq!(record.hash.len(), 64);
        assert_ne!(record.hash, record.computed_hash());
    }

    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.records, report.head_seq), (5, 5));
    assert_eq!(report.head_hash, all[4].hash);

    let read = store.audit_record(&all[1].id).await.expect("read back");
    assert_eq!(read.seq, 2);
    assert_eq!(read.kind, "screening");
    assert_eq!(read.actor, "cli:tester");
    assert_eq!(read.hash, all[1].hash);
    assert_eq!(
        read.payload_value().expect("payload")["request"]["name"],
        "name 1"
    );
    assert!(matches!(
        store.audit_record("no-such-id").await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        store
            .append_audit_all(Vec::new())
            .await
            .expect("nothing")
            .is_empty()
    );
}

async fn an_altered_payload_is_named(store: Store, guard: Guard) {
    let records = append_n(&store, 5).await;
    let changed = guard
        .execute_raw(
            "UPDATE audit_records SET payload = '{\"matches\":[],\"request\":{\"name\":\"someone else\"}}' \
             WHERE seq = 3",
        )
        .await;
    assert_eq!(changed, 1);
    let report = store.verify_audit().await.expect("verify");
    let broken = report.first_break.expect("the change is detected");
    assert_eq!(broken.seq, 3);
    assert_eq!(broken.id.as_deref(), Some(records[2].id.as_str()));
    assert!(broken.reason.contains("altered"), "{}", broken.reason);

    // Changing who did it is caught the same way, earlier in the chain.
    guard
        .execute_raw("UPDATE audit_records SET actor = 'cli:nobody' WHERE seq = 2")
        .await;
    let broken = store.verify_audit().await.expect("verify").first_break;
    assert_eq!(broken.map(|b| b.seq), Some(2));
}

async fn a_record_rehashed_without_the_key_is_named(store: Store, guard: Guard) {
    let records = append_n(&store, 4).await;
    // A forger who alters record 2 and recomputes its hash without the key is caught there.
    let victim = &records[1];
    let forged_payload = r#"{"forged":true}"#;
    let forged_hash = hex::encode(Sha256::digest(chain_input(
        &victim.prev_hash,
        victim.seq,
        &victim.id,
        &victim.kind,
        &victim.recorded_at,
        &victim.actor,
        forged_payload,
    )));
    guard
        .execute_raw(&format!(
            "UPDATE audit_records SET payload = '{forged_payload}', hash = '{forged_hash}' \
             WHERE seq = 2"
        ))
        .await;
    let broken = store
        .verify_audit()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(broken.seq, 2);
    assert!(
        broken.reason.contains("without the audit key"),
        "{}",
        broken.reason
    );
}

async fn a_deleted_record_is_named_as_missing(store: Store, guard: Guard) {
    append_n(&store, 6).await;
    assert_eq!(
        guard
            .execute_raw("DELETE FROM audit_records WHERE seq = 4")
            .await,
        1
    );
    let report = store.verify_audit().await.expect("verify");
    let broken = report.first_break.expect("detected");
    assert_eq!(broken.seq, 4);
    assert_eq!(broken.id, None);
    assert!(broken.reason.contains("missing"), "{}", broken.reason);
}

async fn a_deleted_tail_is_caught_by_the_head(store: Store, guard: Guard) {
    append_n(&store, 5).await;
    guard
        .execute_raw("DELETE FROM audit_records WHERE seq >= 4")
        .await;
    let broken = store
        .verify_audit()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("head"), "{}", broken.reason);

    // Winding the head back as well does not hide it: the head's hash is the last record's.
    guard
        .execute_raw("UPDATE audit_head SET seq = 3 WHERE id = 1")
        .await;
    let broken = store
        .verify_audit()
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert_eq!(broken.seq, 3);
    assert!(broken.reason.contains("head"), "{}", broken.reason);
}

async fn concurrent_writers_on_separate_pools_keep_one_chain(store: Store, guard: Guard) {
    const WRITERS: usize = 4;
    const APPENDS: usize = 25;
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        // A store of its own: its own pool and its own in-process turn, like another process.
        let other = guard.reopen().await;
        tasks.push(tokio::spawn(async move {
            for i in 0..APPENDS {
                if i % 5 == 0 {
                    other
                        .append_audit_all(vec![screening(writer * 1000 + i), screening(i)])
                        .await
                        .expect("batch append");
                } else {
                    other
                        .append_audit(screening(writer * 1000 + i))
                        .await
                        .expect("append");
                }
            }
        }));
    }
    // And the original store, concurrently, through its own pool.
    append_n(&store, APPENDS).await;
    for task in tasks {
        task.await.expect("writer");
    }
    let expected = (WRITERS * (APPENDS + APPENDS / 5) + APPENDS) as u64;
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.records, expected);
    assert_eq!(report.head_seq, expected);
}

async fn concurrent_appends_of_one_store_are_committed_together_and_each_answered(
    store: Store,
    _guard: Guard,
) {
    const CALLERS: usize = 64;
    let mut tasks = Vec::new();
    for caller in 0..CALLERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            // Every third caller appends three records at once: they must stay together.
            let records: Vec<_> = (0..if caller % 3 == 0 { 3 } else { 1 })
                .map(|i| screening(caller * 10 + i))
                .collect();
            let sent: Vec<_> = records.iter().map(|r| r.payload.clone()).collect();
            let stored = store.append_audit_all(records).await.expect("append");
            (sent, stored)
        }));
    }
    let mut seqs = Vec::new();
    for task in tasks {
        let (sent, stored) = task.await.expect("caller");
        // Each caller gets its own records back, in its order, consecutive in the chain.
        assert_eq!(sent.len(), stored.len());
        for (payload, record) in sent.iter().zip(&stored) {
            assert_eq!(&record.payload_value().expect("payload"), payload);
        }
        for pair in stored.windows(2) {
            assert_eq!(pair[1].seq, pair[0].seq + 1);
            assert_eq!(pair[1].prev_hash, pair[0].hash);
        }
        seqs.extend(stored.iter().map(|r| r.seq));
    }
    seqs.sort_unstable();
    let expected = (CALLERS + 2 * CALLERS.div_ceil(3)) as u64;
    assert_eq!(seqs, (1..=expected).collect::<Vec<_>>());
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.head_seq, expected);
}

async fn records_are_exported_between_two_times(store: Store, _guard: Guard) {
    let before = Utc::now();
    let early = append_n(&store, 3).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let middle = Utc::now();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let late = append_n(&store, 2).await;
    let after = Utc::now() + chrono::Duration::seconds(1);

    let ids = |records: &[interdict_store::AuditRecord]| {
        records.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    };
    let first = store
        .audit_records_between(before, middle, 0, 100)
        .await
        .expect("export");
    assert_eq!(ids(&first), ids(&early));
    let second = store
        .audit_records_between(middle, after, 0, 100)
        .await
        .expect("export");
    assert_eq!(ids(&second), ids(&late));

    // Paging: two at a time after the last sequence number seen.
    let page = store
        .audit_records_between(before, after, 0, 2)
        .await
        .expect("page 1");
    assert_eq!(page.len(), 2);
    let rest = store
        .audit_records_between(before, after, page[1].seq, 100)
        .await
        .expect("page 2");
    assert_eq!(rest.len(), 3);
    assert_eq!(rest[0].seq, 3);
}

async fn keys_authenticate_until_revoked_and_only_their_hash_is_stored(store: Store, guard: Guard) {
    let created = store
        .create_key(Role::Analyst, " payments ", "cli:admin")
        .await
        .expect("create");
    assert!(created.key.starts_with("idk_"));
    assert!(created.key.contains(&created.info.id));
    assert_eq!(created.info.name, "payments");
    assert!(
        !format!("{created:?}").contains(&created.key),
        "Debug hides the key"
    );

    let found = store
        .authenticate(&created.key)
        .await
        .expect("authenticate")
        .expect("a valid key");
    assert_eq!(found.id, created.info.id);
    assert_eq!(found.role, Role::Analyst);

    // The same id with another secret, a truncated key and garbage are all refused.
    let (prefix, secret) = created.key.rsplit_once('_').expect("secret part");
    let flipped: String = secret
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    for wrong in [
        format!("{prefix}_{flipped}"),
        created.key[..created.key.len() - 1].to_owned(),
        "Bearer nonsense".to_owned(),
        String::new(),
    ] {
        assert_eq!(
            store.authenticate(&wrong).await.expect("auth"),
            None,
            "{wrong}"
        );
    }

    // Nothing stored contains the secret.
    assert_eq!(
        guard
            .execute_raw(&format!(
                "UPDATE api_keys SET name = name WHERE secret_hash = '{secret}' \
                 OR name = '{secret}' OR key_id = '{secret}'"
            ))
            .await,
        0
    );
    let audit_text: Vec<String> = store
        .audit_records_between(Utc::now() - chrono::Duration::hours(1), Utc::now(), 0, 100)
        .await
        .expect("audit")
        .iter()
        .map(|r| format!("{} {}", r.actor, r.payload.get()))
        .collect();
    assert_eq!(audit_text.len(), 1);
    assert!(audit_text[0].contains(&created.info.id));
    assert!(!audit_text[0].contains(secret));

    let second = store
        .create_key(Role::Admin, "ops", "cli:admin")
        .await
        .expect("second");
    let keys = store.keys().await.expect("list");
    assert_eq!(keys.len(), 2);
    assert!(
        keys.iter()
            .any(|k| k.id == second.info.id && k.role == Role::Admin)
    );

    let revoked = store
        .revoke_key(&created.info.id, "cli:admin")
        .await
        .expect("revoke");
    assert!(revoked.revoked_at.is_some());
    assert_eq!(store.authenticate(&created.key).await.expect("auth"), None);
    assert!(
        store
            .authenticate(&second.key)
            .await
            .expect("auth")
            .is_some()
    );
    // Revoking again records nothing more; an unknown id is not found.
    store
        .revoke_key(&created.info.id, "cli:admin")
        .await
        .expect("revoke again");
    assert!(matches!(
        store.revoke_key("0000000000000000", "cli:admin").await,
        Err(Error::NotFound { .. })
    ));
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact());
    assert_eq!(report.records, 3, "create, create, revoke");
}

async fn the_database_refuses_a_record_that_does_not_extend_the_head(store: Store, guard: Guard) {
    use sqlx::Connection;
    let records = append_n(&store, 2).await;
    let mut conn = sqlx::AnyConnection::connect(guard.url())
        .await
        .expect("raw connection");
    // A record in a taken place, one that skips a place, one that names the wrong
    // predecessor: each would fork or break the chain.
    for (seq, prev_hash) in [
        (2, records[0].hash.as_str()),
        (4, records[1].hash.as_str()),
        (3, GENESIS_HASH),
    ] {
        let sql = format!(
            "INSERT INTO audit_records \
             (seq, record_id, kind, recorded_at, actor, payload, prev_hash, hash) \
             VALUES ({seq}, 'forged-{seq}', 'screening', '2026-01-01T00:00:00.000000Z', \
             'cli:forger', '{{}}', '{prev_hash}', '{}')",
            "f".repeat(64)
        );
        let refused = sqlx::query(&sql).execute(&mut conn).await;
        assert!(
            refused.is_err(),
            "record {seq} after {prev_hash} was accepted"
        );
    }
    conn.close().await.ok();
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{:?}", report.first_break);
    assert_eq!((report.records, report.head_seq), (2, 2));
    assert_eq!(report.head_hash, records[1].hash);
    let next = store.append_audit(screening(2)).await.expect("append");
    assert_eq!(next.seq, 3);
    assert_eq!(next.prev_hash, records[1].hash);
}

async fn an_append_after_another_process_appended_extends_the_chain(store: Store, guard: Guard) {
    append_n(&store, 2).await;
    // Another process moves the head on: what this store last wrote is no longer the head.
    let other = guard.reopen().await;
    let theirs = append_n(&other, 3).await;
    let ours = store.append_audit(screening(7)).await.expect("append");
    assert_eq!(ours.seq, 6);
    assert_eq!(ours.prev_hash, theirs[2].hash);
    let batch = other
        .append_audit_all(vec![screening(8), screening(9)])
        .await
        .expect("their batch");
    assert_eq!(batch[0].prev_hash, ours.hash);
    let again = store
        .append_audit_all(vec![screening(10), screening(11)])
        .await
        .expect("our batch");
    assert_eq!(
        again.iter().map(|r| r.seq).collect::<Vec<_>>(),
        [9, 10],
        "after their batch"
    );
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{:?}", report.first_break);
    assert_eq!((report.records, report.head_seq), (10, 10));
}

/// An import writes its entity contents in many short transactions before the one that
/// creates the version. A screening's record, appended once the first of them committed,
/// must not wait for the whole import: it takes its turn between two of them. (This fails
/// if the contents are written in one transaction. Left to SQLite's busy handler instead of
/// the store's turns, records waited for all the batches of an import in the release build
/// serving 64 clients, which a debug build here is too slow to show.)
async fn screenings_are_recorded_between_the_batches_of_an_import(store: Store, guard: Guard) {
    use sqlx::Connection;
    let entities: Vec<Entity> = (0..10_000)
        .map(|i| {
            Entity::new(
                EntityId::new("big", &i.to_string()),
                Schema::Person,
                format!("N {i}"),
            )
        })
        .collect();
    let prepared = PreparedList::new("big", "test", &entities).expect("prepared");
    let importer = store.clone();
    let import = tokio::spawn(async move {
        importer
            .import_prepared(&prepared, &common::import_request(&[]))
            .await
    });
    let mut watcher = sqlx::AnyConnection::connect(guard.url())
        .await
        .expect("raw connection");
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM entity_content")
            .fetch_one(&mut watcher)
            .await
            .expect("count");
        if stored > 0 {
            break;
        }
        assert!(
            !import.is_finished(),
            "the import ended before a batch was seen"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    store.append_audit(screening(1)).await.expect("append");
    assert!(
        !import.is_finished(),
        "the record waited for the whole import"
    );
    let outcome = import.await.expect("import task").expect("import");
    assert_eq!(outcome.version.entities, 10_000);
    watcher.close().await.ok();
}

/// A record as someone rewriting the database would write it: every field but the hashes.
#[derive(Clone)]
struct Forged {
    id: String,
    kind: String,
    recorded_at: String,
    actor: String,
    payload: String,
}

impl From<&interdict_store::AuditRecord> for Forged {
    fn from(record: &interdict_store::AuditRecord) -> Forged {
        Forged {
            id: record.id.clone(),
            kind: record.kind.clone(),
            recorded_at: record.recorded_at.clone(),
            actor: record.actor.clone(),
            payload: record.payload.get().to_owned(),
        }
    }
}

/// Replaces the chain from record `from` on with `records`, hashed with plain SHA-256 as the
/// documented v1 chain (all a writer without the key can compute), the head wound back and
/// then advanced by the database's own trigger: no trace a keyless checker could see.
async fn rewrite_without_key(guard: &Guard, from: u64, prev_hash: &str, records: &[Forged]) {
    guard
        .execute_raw(&format!("DELETE FROM audit_records WHERE seq >= {from}"))
        .await;
    guard
        .execute_raw(&format!(
            "UPDATE audit_head SET seq = {}, hash = '{prev_hash}' WHERE id = 1",
            from - 1
        ))
        .await;
    let mut prev_hash = prev_hash.to_owned();
    for (seq, record) in (from..).zip(records) {
        let hash = hex::encode(Sha256::digest(chain_input(
            &prev_hash,
            seq,
            &record.id,
            &record.kind,
            &record.recorded_at,
            &record.actor,
            &record.payload,
        )));
        let quote = |text: &str| text.replace('\'', "''");
        guard
            .execute_raw(&format!(
                "INSERT INTO audit_records (seq, record_id, kind, recorded_at, actor, payload, \
                 prev_hash, hash) VALUES ({seq}, '{}', '{}', '{}', '{}', '{}', '{prev_hash}', \
                 '{hash}')",
                quote(&record.id),
                quote(&record.kind),
                quote(&record.recorded_at),
                quote(&record.actor),
                quote(&record.payload)
            ))
            .await;
        prev_hash = hash;
    }
}

async fn first_break(store: &Store) -> interdict_store::AuditBreak {
    store
        .verify_audit()
        .await
        .expect("verify")
        .first_break
        .expect("the rewrite is detected")
}

async fn a_chain_recomputed_without_the_key_is_caught_whatever_was_changed(
    store: Store,
    guard: Guard,
) {
    let records = append_n(&store, 6).await;
    let forged: Vec<Forged> = records.iter().map(Forged::from).collect();
    let after = |seq: usize| records[seq - 1].hash.clone();

    // An edit of record 3, the rest of the chain recomputed and the head fixed.
    let mut edited = forged[2..].to_vec();
    edited[0].payload = r#"{"matches":[],"request":{"name":"nobody"}}"#.into();
    rewrite_without_key(&guard, 3, &after(2), &edited).await;
    let broken = first_break(&store).await;
    assert_eq!(
        (broken.seq, broken.id.as_deref()),
        (3, Some(records[2].id.as_str()))
    );
    assert!(
        broken.reason.contains("without the audit key"),
        "{}",
        broken.reason
    );

    restore(&guard, &records).await;
    // An insertion after record 4: the forged record is the first bad one.
    let mut inserted = forged[4..].to_vec();
    let mut extra = forged[4].clone();
    extra.id = "f".repeat(32);
    inserted.insert(0, extra);
    rewrite_without_key(&guard, 5, &after(4), &inserted).await;
    assert_eq!(first_break(&store).await.seq, 5);

    restore(&guard, &records).await;
    // A deletion of record 2 with the later records renumbered.
    rewrite_without_key(&guard, 2, &after(1), &forged[2..]).await;
    let broken = first_break(&store).await;
    assert_eq!(
        (broken.seq, broken.id.as_deref()),
        (2, Some(records[2].id.as_str()))
    );

    restore(&guard, &records).await;
    // Two records swapped.
    let mut swapped = forged[1..].to_vec();
    swapped.swap(0, 1);
    rewrite_without_key(&guard, 2, &after(1), &swapped).await;
    assert_eq!(first_break(&store).await.seq, 2);

    restore(&guard, &records).await;
    // The whole chain recomputed from the first record: no keyed record is left.
    rewrite_without_key(&guard, 1, GENESIS_HASH, &forged).await;
    let broken = first_break(&store).await;
    assert!(
        broken.reason.contains("no record is keyed"),
        "{}",
        broken.reason
    );

    // Put back as it was, the chain verifies again: the checks are exact.
    restore(&guard, &records).await;
    assert!(store.verify_audit().await.expect("verify").is_intact());
}

/// Puts `records` back as the store wrote them, real hashes and all.
async fn restore(guard: &Guard, records: &[interdict_store::AuditRecord]) {
    guard.execute_raw("DELETE FROM audit_records").await;
    guard
        .execute_raw(&format!(
            "UPDATE audit_head SET seq = 0, hash = '{GENESIS_HASH}' WHERE id = 1"
        ))
        .await;
    for record in records {
        guard
            .execute_raw(&format!(
                "INSERT INTO audit_records (seq, record_id, kind, recorded_at, actor, payload, \
                 prev_hash, hash) VALUES ({}, '{}', '{}', '{}', '{}', '{}', '{}', '{}')",
                record.seq,
                record.id,
                record.kind,
                record.recorded_at,
                record.actor,
                record.payload.get(),
                record.prev_hash,
                record.hash
            ))
            .await;
    }
}

async fn a_tail_deleted_after_a_checkpoint_is_caught_by_the_checkpoint(store: Store, guard: Guard) {
    let records = append_n(&store, 5).await;
    let checkpoint = store.sign_audit_head().await.expect("checkpoint");
    assert_eq!(
        (checkpoint.seq, checkpoint.hash.as_str()),
        (5, records[4].hash.as_str())
    );
    append_n(&store, 2).await;
    let report = store
        .verify_audit_against(std::slice::from_ref(&checkpoint))
        .await
        .expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.records, report.checkpoints_matched), (7, 1));

    // Records 4 to 7 deleted and the head wound back to record 3: the chain alone looks whole.
    guard
        .execute_raw("DELETE FROM audit_records WHERE seq >= 4")
        .await;
    guard
        .execute_raw(&format!(
            "UPDATE audit_head SET seq = 3, hash = '{}' WHERE id = 1",
            records[2].hash
        ))
        .await;
    assert!(store.verify_audit().await.expect("verify").is_intact());
    let broken = store
        .verify_audit_against(&[checkpoint])
        .await
        .expect("verify")
        .first_break
        .expect("the checkpoint reveals the cut");
    assert_eq!(broken.seq, 4);
    assert!(
        broken.reason.contains("tail was deleted"),
        "{}",
        broken.reason
    );
}

async fn a_wiped_trail_is_caught(store: Store, guard: Guard) {
    append_n(&store, 3).await;
    let checkpoint = store.sign_audit_head().await.expect("checkpoint");
    guard.execute_raw("DELETE FROM audit_records").await;
    guard
        .execute_raw(&format!(
            "UPDATE audit_head SET seq = 0, hash = '{GENESIS_HASH}' WHERE id = 1"
        ))
        .await;
    let report = store.verify_audit().await.expect("verify");
    assert_eq!(report.records, 0);
    let broken = report
        .first_break
        .expect("a wipe is detected by the key alone");
    assert_eq!(broken.seq, 1);
    assert!(broken.reason.contains("wiped"), "{}", broken.reason);
    // Another process, which never wrote, sees it too: the key file is the evidence.
    let other = guard.reopen().await;
    assert!(!other.verify_audit().await.expect("verify").is_intact());
    let broken = other
        .verify_audit_against(&[checkpoint])
        .await
        .expect("verify")
        .first_break
        .expect("detected");
    assert!(broken.reason.contains("missing"), "{}", broken.reason);
}

async fn checkpoints_must_be_genuine_and_signed_by_the_stores_key(store: Store, guard: Guard) {
    // A fresh store has no key; its first checkpoint records the key it is signed with.
    assert!(!guard.audit_key_file().exists());
    assert_eq!(store.audit_public_key().expect("key"), None);
    let first = store.sign_audit_head().await.expect("checkpoint");
    assert_eq!(first.seq, 1);
    let record = store.verify_audit().await.expect("verify");
    assert!(record.is_intact(), "{record:?}");
    assert_eq!(
        store.audit_public_key().expect("key").as_deref(),
        Some(first.public_key.as_str())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(guard.audit_key_file())
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Moved to another record, the signature no longer holds: refused as invalid.
    append_n(&store, 2).await;
    let mut moved = first.clone();
    moved.seq = 3;
    assert!(matches!(
        store.verify_audit_against(&[moved]).await,
        Err(Error::Invalid(m)) if m.contains("not genuine")
    ));

    // A genuine checkpoint of another store (another key) is a break, not a pass.
    let dir = tempfile::tempdir().expect("tempdir");
    let stranger = Store::open(dir.path().join("other.db").to_str().expect("utf-8"))
        .await
        .expect("open");
    append_n(&stranger, 1).await;
    let foreign = stranger.sign_audit_head().await.expect("checkpoint");
    let broken = store
        .verify_audit_against(&[foreign])
        .await
        .expect("verify")
        .first_break
        .expect("foreign key");
    assert!(broken.reason.contains("another store"), "{}", broken.reason);

    // Without its key file the keyed store does not open: a new key would orphan the trail.
    std::fs::remove_file(guard.audit_key_file()).expect("remove the key");
    let refused = Store::open_with(guard.url(), &guard.open_options())
        .await
        .expect_err("a keyed trail without its key");
    assert!(
        matches!(&refused, Error::AuditKey { reason, .. } if reason.contains("is keyed")),
        "{refused}"
    );
}

async fn records_from_before_the_key_verify_and_are_sealed_by_the_first_keyed_one(
    store: Store,
    guard: Guard,
) {
    // Two records as a version without the key wrote them (plain SHA-256, no key file).
    let old: Vec<Forged> = (0..2)
        .map(|n| Forged {
            id: format!("{n:032x}"),
            kind: "screening".into(),
            recorded_at: "2025-01-01T00:00:00.000000Z".into(),
            actor: "cli:old".into(),
            payload: format!(r#"{{"request":{{"name":"old {n}"}}}}"#),
        })
        .collect();
    rewrite_without_key(&guard, 1, GENESIS_HASH, &old).await;
    assert!(!guard.audit_key_file().exists());
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");

    // This version keys what it appends; the old records still verify, as plain ones.
    let reopened = guard.reopen().await;
    append_n(&reopened, 2).await;
    assert!(guard.audit_key_file().exists());
    let report = reopened.verify_audit().await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.records, report.unkeyed_records), (4, 2));

    // Rewriting one now breaks the first keyed record's link to it.
    let second = reopened
        .audit_records_between(
            chrono::DateTime::UNIX_EPOCH,
            Utc::now() + chrono::Duration::days(1),
            1,
            1,
        )
        .await
        .expect("records");
    let mut edited = Forged::from(&second[0]);
    edited.actor = "cli:someone else".into();
    let rehashed = hex::encode(Sha256::digest(chain_input(
        &second[0].prev_hash,
        2,
        &edited.id,
        &edited.kind,
        &edited.recorded_at,
        &edited.actor,
        &edited.payload,
    )));
    guard
        .execute_raw(&format!(
            "UPDATE audit_records SET actor = '{}', hash = '{rehashed}' WHERE seq = 2",
            edited.actor
        ))
        .await;
    let broken = first_break(&reopened).await;
    assert_eq!(broken.seq, 3);
    assert!(broken.reason.contains("prev_hash"), "{}", broken.reason);
}
