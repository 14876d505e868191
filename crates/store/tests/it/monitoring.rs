//! The monitoring tables on a real SQLite file and a real Postgres database: the portfolio
//! and what is pending, alerts raised, re-raised, refreshed and closed by monitoring runs,
//! four-eyes decisions, and the webhook outbox. Every test runs on both backends.

use crate::common;

use std::collections::BTreeMap;

use interdict_model::{DateOfBirth, Schema};
use interdict_store::{
    AlertFilter, AlertReason, AlertStatus, Customer, Decision, Error, MonitorRun, NewAlert,
    Pending, ProposalState, Store,
};
use serde_json::json;

on_both_backends!(
    upserts_report_new_changed_and_unchanged_and_monitoring_tracks_what_is_pending,
    bad_customers_are_refused_and_nothing_is_written,
    a_run_creates_alerts_once_and_records_what_was_screened,
    decisions_take_two_different_people,
    an_approved_false_positive_is_shown_beside_the_pair_when_it_is_raised_again,
    a_refresh_voids_a_proposal_made_on_old_data,
    delisting_and_removal_close_open_alerts_only,
    every_event_lands_in_the_outbox_of_every_subscription,
    deliveries_are_leased_retried_and_given_up_on,
);

fn customer(id: &str, name: &str) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
        dob: None,
        countries: Vec::new(),
        schema: Some(Schema::Person),
    }
}

fn hit(customer: &str, entity: &str, fingerprints: (&str, &str), reason: AlertReason) -> NewAlert {
    NewAlert {
        customer_id: customer.into(),
        entity_id: format!("ofac-sdn:{entity}"),
        list_version: "v1".into(),
        score: 0.91234,
        matched_name: "MIZULINA, Yelena".into(),
        explanation: json!({ "score": 0.9123, "features": [] }),
        customer_fingerprint: fingerprints.0.into(),
        entity_fingerprint: fingerprints.1.into(),
        reason,
    }
}

fn run(create: Vec<NewAlert>) -> MonitorRun {
    MonitorRun {
        create,
        actor: "monitor".into(),
        ..MonitorRun::default()
    }
}

async fn only_alert(store: &Store) -> interdict_store::Alert {
    let alerts = store.alerts(&AlertFilter::default()).await.expect("alerts");
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    alerts.into_iter().next().expect("one alert")
}

/// Customer c1 and the one open alert a monitoring run raised on it; returns its id.
async fn one_open_alert(store: &Store) -> i64 {
    with_customers(store, &["c1"]).await;
    store
        .record_monitor_run(&run(vec![hit(
            "c1",
            "1",
            ("c", "e"),
            AlertReason::NewCustomer,
        )]))
        .await
        .expect("run");
    only_alert(store).await.id
}

async fn with_customers(store: &Store, ids: &[&str]) {
    let customers: Vec<Customer> = ids
        .iter()
        .map(|id| customer(id, "Yelena Mizulina"))
        .collect();
    store.upsert_customers(&customers).await.expect("upsert");
}

async fn upserts_report_new_changed_and_unchanged_and_monitoring_tracks_what_is_pending(
    store: Store,
) {
    let mut a = customer("A-1", "Yelena Mizulina");
    a.dob = DateOfBirth::parse("1954-12-09");
    a.countries = vec!["RU".parse().expect("country")];
    let b = customer("B-2", "John Smith");
    let outcome = store
        .upsert_customers(&[a.clone(), b.clone()])
        .await
        .expect("upsert");
    assert_eq!((outcome.new, outcome.changed, outcome.unchanged), (2, 0, 0));
    let stored = store.customer("A-1").await.expect("customer");
    assert_eq!(stored.customer, a);
    assert_eq!(stored.pending, Pending::New);

    let snapshot = store.portfolio(false).await.expect("portfolio");
    assert_eq!(snapshot.customers.len(), 2);
    let mut screened = run(Vec::new());
    screened.customers_screened_through = snapshot.revision;
    screened.lists = BTreeMap::from([("ofac-sdn".to_owned(), "v1".to_owned())]);
    store.record_monitor_run(&screened).await.expect("run");
    let state = store.monitor_state().await.expect("state");
    assert_eq!(state.lists.get("ofac-sdn").map(String::as_str), Some("v1"));
    let snapshot = store.portfolio(false).await.expect("portfolio");
    assert!(snapshot.customers.iter().all(|c| c.pending == Pending::No));

    let mut a2 = a.clone();
    a2.dob = DateOfBirth::parse("1955");
    let c = customer("C-3", "Maria Garcia");
    let outcome = store
        .upsert_customers(&[a2.clone(), b.clone(), c])
        .await
        .expect("upsert");
    assert_eq!((outcome.new, outcome.changed, outcome.unchanged), (1, 1, 1));
    let pending: BTreeMap<String, Pending> = store
        .portfolio(false)
        .await
        .expect("portfolio")
        .customers
        .into_iter()
        .map(|c| (c.customer.id, c.pending))
        .collect();
    assert_eq!(
        pending,
        BTreeMap::from([
            ("A-1".to_owned(), Pending::Changed),
            ("B-2".to_owned(), Pending::No),
            ("C-3".to_owned(), Pending::New),
        ])
    );
    let pending_only: Vec<String> = store
        .portfolio(true)
        .await
        .expect("portfolio")
        .customers
        .into_iter()
        .map(|c| c.customer.id)
        .collect();
    assert_eq!(pending_only, ["A-1", "C-3"]);
    assert_eq!(store.customer("A-1").await.expect("customer").customer, a2);
    // A run never moves the mark backwards.
    let mut stale = run(Vec::new());
    stale.customers_screened_through = 1;
    store.record_monitor_run(&stale).await.expect("run");
    assert_eq!(
        store.customer("C-3").await.expect("customer").pending,
        Pending::New
    );
    assert_eq!(store.customer_count().await.expect("count"), 3);
}

async fn bad_customers_are_refused_and_nothing_is_written(store: Store) {
    let twice = [customer("A", "One"), customer("A", "Two")];
    assert!(matches!(
        store.upsert_customers(&twice).await,
        Err(Error::Invalid(m)) if m.contains("twice")
    ));
    let nameless = [customer("B", "ok"), customer("C", "  ")];
    assert!(matches!(
        store.upsert_customers(&nameless).await,
        Err(Error::Invalid(m)) if m.contains("name is empty")
    ));
    let spaced = [customer(" D", "ok")];
    assert!(store.upsert_customers(&spaced).await.is_err());
    assert_eq!(store.customer_count().await.expect("count"), 0);
    assert!(matches!(
        store.customer("B").await,
        Err(Error::NotFound { .. })
    ));
}

async fn a_run_creates_alerts_once_and_records_what_was_screened(store: Store) {
    with_customers(&store, &["c1", "c2"]).await;
    let outcome = store
        .record_monitor_run(&run(vec![
            hit("c1", "16661", ("c", "e"), AlertReason::NewCustomer),
            hit("c2", "16661", ("c", "e"), AlertReason::NewCustomer),
            // A customer removed meanwhile gets no alert.
            hit("gone", "16661", ("c", "e"), AlertReason::NewCustomer),
        ]))
        .await
        .expect("run");
    assert_eq!(outcome.created, 2);
    // The same pair again is not a second alert.
    let again = store
        .record_monitor_run(&run(vec![hit(
            "c1",
            "16661",
            ("c", "e"),
            AlertReason::ListUpdate,
        )]))
        .await
        .expect("run");
    assert_eq!(again.created, 0);

    let alerts = store.alerts(&AlertFilter::default()).await.expect("alerts");
    assert_eq!(alerts.len(), 2);
    let first = alerts.first().expect("alert");
    assert_eq!(first.customer_id, "c1");
    assert_eq!(first.entity_id, "ofac-sdn:16661");
    assert_eq!(first.list, "ofac-sdn");
    assert_eq!(first.score, 0.9123);
    assert_eq!(first.status, AlertStatus::Open);
    assert_eq!(first.reason, AlertReason::NewCustomer);
    let detail = store.alert(first.id).await.expect("detail");
    assert_eq!(detail.explanation["score"], 0.9123);
    assert_eq!(detail.customer_fingerprint, "c");
    assert_eq!(
        detail
            .history
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["created"]
    );
    let by_customer = store
        .alerts(&AlertFilter {
            customer_id: Some("c2".into()),
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    assert_eq!(by_customer.len(), 1);
    let keys = store.alert_keys().await.expect("keys");
    assert_eq!(keys.len(), 2);
    assert!(matches!(
        store.alert(999).await,
        Err(Error::NotFound { .. })
    ));
}

async fn decisions_take_two_different_people(store: Store) {
    let id = one_open_alert(&store).await;

    // Approving needs a proposal; proposing needs a user and a note.
    assert!(matches!(
        store.approve_decision(id, "bob").await,
        Err(Error::Invalid(m)) if m.contains("no decision waiting")
    ));
    assert!(
        store
            .propose_decision(id, Decision::FalsePositive, " ", "n")
            .await
            .is_err()
    );
    assert!(
        store
            .propose_decision(id, Decision::FalsePositive, "alice", "")
            .await
            .is_err()
    );

    let proposed = store
        .propose_decision(
            id,
            Decision::FalsePositive,
            "alice",
            "different DOB and nationality",
        )
        .await
        .expect("propose");
    assert_eq!(proposed.status, AlertStatus::Open);
    let pending = proposed.pending.expect("pending");
    assert_eq!(pending.decision, Decision::FalsePositive);
    assert_eq!(pending.proposed_by, "alice");
    // One proposal at a time.
    assert!(matches!(
        store.propose_decision(id, Decision::TrueMatch, "carol", "same person").await,
        Err(Error::Invalid(m)) if m.contains("already has a decision waiting")
    ));
    // Nobody reviews their own proposal, whatever the case or spaces.
    for me in ["alice", " Alice ", "ALICE"] {
        assert!(matches!(
            store.approve_decision(id, me).await,
            Err(Error::Invalid(m)) if m.contains("four-eyes")
        ));
        assert!(store.reject_decision(id, me, None).await.is_err());
    }
    assert_eq!(only_alert(&store).await.status, AlertStatus::Open);
    let awaiting = store
        .alerts(&AlertFilter {
            awaiting_approval: true,
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    assert_eq!(awaiting.len(), 1);

    // Rejected: the alert stays open and can be proposed on again.
    let rejected = store
        .reject_decision(id, "bob", Some("check the passport first"))
        .await
        .expect("reject");
    assert_eq!(rejected.status, AlertStatus::Open);
    assert!(rejected.pending.is_none());

    let escalated = store
        .escalate(id, "alice", "needs a senior look")
        .await
        .expect("escalate");
    assert_eq!(escalated.status, AlertStatus::Escalated);
    assert!(store.escalate(id, "alice", "again").await.is_err());

    store
        .propose_decision(id, Decision::TrueMatch, "carol", "passport matches")
        .await
        .expect("propose");
    let approved = store.approve_decision(id, "bob").await.expect("approve");
    assert_eq!(approved.status, AlertStatus::TrueMatch);
    let decision = approved.decision.expect("decision");
    assert_eq!(decision.decided_by, "carol");
    assert_eq!(decision.approved_by, "bob");
    assert_eq!(decision.note, "passport matches");
    // A decided alert takes no more proposals.
    assert!(matches!(
        store.propose_decision(id, Decision::FalsePositive, "dave", "no").await,
        Err(Error::Invalid(m)) if m.contains("only open or escalated")
    ));

    let detail = store.alert(id).await.expect("detail");
    assert_eq!(
        detail
            .history
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        [
            "created",
            "proposed",
            "rejected",
            "escalated",
            "proposed",
            "approved"
        ]
    );
    assert_eq!(
        detail.proposals.iter().map(|p| p.state).collect::<Vec<_>>(),
        [ProposalState::Rejected, ProposalState::Approved]
    );
    assert_eq!(
        detail
            .proposals
            .first()
            .and_then(|p| p.review_note.as_deref()),
        Some("check the passport first")
    );

    // Each act is also an audit record, by whoever did it, in a chain that verifies.
    let far = |year| {
        chrono::NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .expect("date")
    };
    let acts: Vec<(String, String, Option<String>)> = store
        .audit_records_between(far(2000), far(2100), 0, 1000)
        .await
        .expect("records")
        .into_iter()
        .filter(|r| r.kind == "alert")
        .map(|r| {
            let payload = r.payload_value().expect("payload");
            assert_eq!(payload["alert_id"], id);
            let decision = payload["decision"].as_str().map(str::to_owned);
            (
                payload["action"].as_str().expect("action").to_owned(),
                r.actor,
                decision,
            )
        })
        .collect();
    let expected = [
        ("proposed", "alice", Some("false_positive")),
        ("rejected", "bob", Some("false_positive")),
        ("escalated", "alice", None),
        ("proposed", "carol", Some("true_match")),
        ("approved", "bob", Some("true_match")),
    ];
    assert_eq!(
        acts,
        expected
            .iter()
            .map(|(a, by, d)| ((*a).to_owned(), (*by).to_owned(), d.map(str::to_owned)))
            .collect::<Vec<_>>()
    );
    assert!(store.verify_audit().await.expect("verify").is_intact());
}

async fn an_approved_false_positive_is_shown_beside_the_pair_when_it_is_raised_again(store: Store) {
    let id = one_open_alert(&store).await;
    store
        .propose_decision(id, Decision::FalsePositive, "alice", "born 30 years apart")
        .await
        .expect("propose");
    store.approve_decision(id, "bob").await.expect("approve");
    let keys = store.alert_keys().await.expect("keys");
    assert_eq!(
        keys.first().map(|k| k.status),
        Some(AlertStatus::FalsePositive)
    );

    // The entity changed: monitoring re-raises the pair.
    let mut reraise = run(Vec::new());
    let mut again = hit("c1", "1", ("c", "e2"), AlertReason::EntityChanged);
    again.score = 0.95;
    reraise.reraise.push(again.clone());
    let outcome = store.record_monitor_run(&reraise).await.expect("run");
    assert_eq!(outcome.reraised, 1);
    let alert = only_alert(&store).await;
    assert_eq!(alert.id, id);
    assert_eq!(alert.status, AlertStatus::Open);
    assert_eq!(alert.reason, AlertReason::EntityChanged);
    assert_eq!(alert.score, 0.95);
    assert!(alert.decision.is_none());
    let previous = alert.previous_decision.expect("previous decision");
    assert_eq!(previous.status, AlertStatus::FalsePositive);
    assert_eq!(previous.note, "born 30 years apart");
    assert_eq!(
        (previous.decided_by.as_str(), previous.approved_by.as_str()),
        ("alice", "bob")
    );
    assert_eq!(
        store.alert(id).await.expect("detail").entity_fingerprint,
        "e2"
    );
    // Re-raising an open alert does nothing.
    let outcome = store.record_monitor_run(&reraise).await.expect("run");
    assert_eq!(outcome.reraised, 0);
}

async fn a_refresh_voids_a_proposal_made_on_old_data(store: Store) {
    let id = one_open_alert(&store).await;
    store
        .propose_decision(id, Decision::FalsePositive, "alice", "not him")
        .await
        .expect("propose");
    let mut refresh = run(Vec::new());
    refresh
        .refresh
        .push(hit("c1", "1", ("c2", "e"), AlertReason::CustomerChanged));
    let outcome = store.record_monitor_run(&refresh).await.expect("run");
    assert_eq!(outcome.refreshed, 1);
    let alert = only_alert(&store).await;
    assert_eq!(alert.status, AlertStatus::Open);
    assert!(alert.pending.is_none());
    assert!(store.approve_decision(id, "bob").await.is_err());
    let detail = store.alert(id).await.expect("detail");
    assert_eq!(detail.customer_fingerprint, "c2");
    assert_eq!(
        detail.proposals.first().map(|p| p.state),
        Some(ProposalState::Superseded)
    );
    assert_eq!(
        detail
            .history
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["created", "proposed", "superseded", "refreshed"]
    );
}

async fn delisting_and_removal_close_open_alerts_only(store: Store) {
    with_customers(&store, &["c1", "c2", "c3"]).await;
    store
        .record_monitor_run(&run(vec![
            hit("c1", "1", ("c", "e"), AlertReason::NewCustomer),
            hit("c2", "1", ("c", "e"), AlertReason::NewCustomer),
            hit("c3", "2", ("c", "e"), AlertReason::NewCustomer),
        ]))
        .await
        .expect("run");
    let alerts = store.alerts(&AlertFilter::default()).await.expect("alerts");
    let decided = alerts.get(1).expect("second").id;
    store
        .propose_decision(decided, Decision::TrueMatch, "alice", "same person")
        .await
        .expect("propose");
    store
        .approve_decision(decided, "bob")
        .await
        .expect("approve");

    let mut delisting = run(Vec::new());
    for customer in ["c1", "c2"] {
        delisting
            .close
            .push((customer.into(), "ofac-sdn:1".into(), AlertReason::Delisted));
    }
    let outcome = store.record_monitor_run(&delisting).await.expect("run");
    assert_eq!(outcome.closed, 1);
    let statuses: Vec<(String, AlertStatus, AlertReason)> = store
        .alerts(&AlertFilter::default())
        .await
        .expect("alerts")
        .into_iter()
        .map(|a| (a.customer_id, a.status, a.reason))
        .collect();
    assert_eq!(
        statuses,
        [
            ("c1".to_owned(), AlertStatus::Closed, AlertReason::Delisted),
            (
                "c2".to_owned(),
                AlertStatus::TrueMatch,
                AlertReason::NewCustomer
            ),
            ("c3".to_owned(), AlertStatus::Open, AlertReason::NewCustomer),
        ]
    );

    let removed = store
        .remove_customers(&["c3".into(), "nobody".into()], "ops")
        .await
        .expect("remove");
    assert_eq!(removed.removed, ["c3"]);
    assert_eq!(removed.unknown, ["nobody"]);
    assert_eq!(removed.alerts_closed, 1);
    let closed = store
        .alerts(&AlertFilter {
            status: Some(AlertStatus::Closed),
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    assert_eq!(closed.len(), 2);
    assert!(
        closed
            .iter()
            .any(|a| a.customer_id == "c3" && a.reason == AlertReason::CustomerRemoved)
    );
    assert_eq!(store.customer_count().await.expect("count"), 2);

    // The entity comes back: the closed pair opens again.
    let mut relisted = run(Vec::new());
    relisted
        .reraise
        .push(hit("c1", "1", ("c", "e"), AlertReason::ListUpdate));
    assert_eq!(
        store
            .record_monitor_run(&relisted)
            .await
            .expect("run")
            .reraised,
        1
    );
    let alert = store
        .alerts(&AlertFilter {
            customer_id: Some("c1".into()),
            ..AlertFilter::default()
        })
        .await
        .expect("alerts");
    assert_eq!(alert.first().map(|a| a.status), Some(AlertStatus::Open));
    assert_eq!(
        alert.first().map(|a| a.reason),
        Some(AlertReason::ListUpdate)
    );
}

async fn every_event_lands_in_the_outbox_of_every_subscription(store: Store) {
    assert!(store.add_webhook("ftp://example.org", "s").await.is_err());
    assert!(store.add_webhook("http://example.org", "").await.is_err());
    let one = store
        .add_webhook("http://127.0.0.1:9/one", "secret-1")
        .await
        .expect("webhook");
    let two = store
        .add_webhook("https://example.org/two", "secret-2")
        .await
        .expect("webhook");
    let id = one_open_alert(&store).await;
    store
        .propose_decision(id, Decision::FalsePositive, "alice", "not him")
        .await
        .expect("propose");
    store.approve_decision(id, "bob").await.expect("approve");

    let hooks = store.webhooks().await.expect("webhooks");
    assert_eq!(
        hooks.iter().map(|h| (h.id, h.pending)).collect::<Vec<_>>(),
        [(one.id, 3), (two.id, 3)]
    );
    let due = store
        .claim_deliveries(1_000, 60_000, 100)
        .await
        .expect("claim");
    assert_eq!(due.len(), 6);
    let types: Vec<&str> = due
        .iter()
        .filter(|d| d.webhook_id == one.id)
        .map(|d| d.event_type.as_str())
        .collect();
    assert_eq!(types, ["alert.created", "alert.proposed", "alert.approved"]);
    let approved = due
        .iter()
        .find(|d| d.event_type == "alert.approved")
        .expect("approved");
    let payload: serde_json::Value = serde_json::from_str(&approved.payload).expect("JSON");
    assert_eq!(payload["type"], "alert.approved");
    assert_eq!(payload["actor"], "bob");
    assert_eq!(payload["alert"]["id"], id);
    assert_eq!(payload["alert"]["status"], "false_positive");
    assert_eq!(payload["detail"]["proposed_by"], "alice");
    assert_eq!(payload["event_id"], approved.event_id);
    assert_eq!(approved.secret, "secret-1");

    store.remove_webhook(two.id).await.expect("remove");
    assert!(matches!(
        store.remove_webhook(two.id).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(store.webhooks().await.expect("webhooks").len(), 1);
}

async fn deliveries_are_leased_retried_and_given_up_on(store: Store) {
    let hook = store
        .add_webhook("http://127.0.0.1:9/hook", "s")
        .await
        .expect("webhook");
    with_customers(&store, &["c1", "c2"]).await;
    store
        .record_monitor_run(&run(vec![
            hit("c1", "1", ("c", "e"), AlertReason::NewCustomer),
            hit("c2", "1", ("c", "e"), AlertReason::NewCustomer),
        ]))
        .await
        .expect("run");
    assert_eq!(store.next_delivery_due().await.expect("due"), Some(0));

    let claimed = store
        .claim_deliveries(1_000, 5_000, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    // Leased: nobody else gets them until the lease runs out.
    assert!(
        store
            .claim_deliveries(2_000, 5_000, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let (first, second) = (&claimed[0], &claimed[1]);
    store.delivery_succeeded(first.id).await.expect("success");
    store
        .delivery_failed(second.id, "connection refused", 3_000, false)
        .await
        .expect("failure");
    assert_eq!(store.next_delivery_due().await.expect("due"), Some(3_000));
    assert!(
        store
            .claim_deliveries(2_999, 5_000, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let retry = store
        .claim_deliveries(3_000, 5_000, 10)
        .await
        .expect("claim");
    assert_eq!(
        retry.iter().map(|d| (d.id, d.attempts)).collect::<Vec<_>>(),
        [(second.id, 1)]
    );
    // A lease that ran out (a deliverer died) frees the row again.
    let stolen = store
        .claim_deliveries(8_001, 5_000, 10)
        .await
        .expect("claim");
    assert_eq!(stolen.len(), 1);
    store
        .delivery_failed(second.id, "HTTP 500", 0, true)
        .await
        .expect("give up");
    assert!(
        store
            .claim_deliveries(99_999, 5_000, 10)
            .await
            .expect("claim")
            .is_empty()
    );
    assert_eq!(store.next_delivery_due().await.expect("due"), None);
    let hooks = store.webhooks().await.expect("webhooks");
    assert_eq!(
        hooks
            .iter()
            .map(|h| (h.id, h.pending, h.delivered, h.failed))
            .collect::<Vec<_>>(),
        [(hook.id, 0, 1, 1)]
    );
}

/// SQLite fails a transaction that has read and then wants to write while another connection
/// holds the write lock, at once and whatever the busy timeout. Proposing a decision reads the
/// alert before it writes; it must wait for the other writer, as requests of a busy server do.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_sqlite_a_write_that_reads_first_waits_for_another_writer() {
    use sqlx::Connection;
    let (guard, store) = common::sqlite().await;
    let id = one_open_alert(&store).await;

    let mut other = sqlx::AnyConnection::connect(guard.url())
        .await
        .expect("second connection");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("take the write lock");
    let proposing = tokio::spawn({
        let store = store.clone();
        async move {
            store
                .propose_decision(id, Decision::FalsePositive, "alice", "different DOB")
                .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sqlx::query("COMMIT")
        .execute(&mut other)
        .await
        .expect("release the write lock");
    let proposed = proposing
        .await
        .expect("join")
        .expect("the proposal waited for the lock");
    assert!(proposed.pending.is_some());
}
