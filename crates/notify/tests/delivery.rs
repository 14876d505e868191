//! Webhook delivery to a real HTTP receiver on loopback, from a real store (SQLite and
//! Postgres): the receiver is down at first, then answers an error, then comes back; every
//! event arrives, signed, and the outbox ends empty.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use interdict_notify::{
    DeliveryOptions, DeliveryReport, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, client,
    deliver_pending, deliver_until, sign,
};
use interdict_store::{AlertReason, Customer, Decision, MonitorRun, NewAlert, Store};
use serde_json::{Value, json};
use tokio::net::TcpSocket;

on_both_backends!(
    events_survive_a_receiver_that_is_down_and_arrive_signed,
    the_watch_loop_delivers_until_stopped,
);

const SECRET: &str = "s3cret-shared-with-the-bank";

/// What the receiver saw: (signature header, event header, event id header, body).
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

#[derive(Clone)]
struct Receiver {
    seen: Seen,
    /// Requests to answer 503 before accepting.
    refuse: Arc<Mutex<usize>>,
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    {
        let mut refuse = receiver.refuse.lock().expect("lock");
        if *refuse > 0 {
            *refuse -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    receiver.seen.lock().expect("lock").push((
        header(SIGNATURE_HEADER),
        header(EVENT_HEADER),
        header(EVENT_ID_HEADER),
        String::from_utf8_lossy(&body).into_owned(),
    ));
    StatusCode::NO_CONTENT
}

/// Starts a receiver on `port`, answering 503 to the first `refuse` requests.
async fn start_receiver(port: TcpSocket, refuse: usize) -> Seen {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(Receiver {
            seen: Arc::clone(&seen),
            refuse: Arc::new(Mutex::new(refuse)),
        });
    let listener = port.listen(64).expect("listen");
    tokio::spawn(async move { axum::serve(listener, app).await });
    seen
}

/// A loopback port nothing listens on (yet), with its address. It stays bound, so that no
/// other test running meanwhile is given it.
fn free_port() -> (TcpSocket, std::net::SocketAddr) {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .expect("bind");
    let address = socket.local_addr().expect("address");
    (socket, address)
}

fn options() -> DeliveryOptions {
    DeliveryOptions {
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_attempts: 50,
        timeout: Duration::from_secs(5),
        batch: 2,
    }
}

async fn raise_alerts(store: &Store, customers: &[&str]) {
    let portfolio: Vec<Customer> = customers
        .iter()
        .map(|id| Customer {
            id: (*id).into(),
            name: "Yelena Mizulina".into(),
            dob: None,
            countries: Vec::new(),
            schema: None,
        })
        .collect();
    store.upsert_customers(&portfolio).await.expect("customers");
    let create = customers
        .iter()
        .map(|id| NewAlert {
            customer_id: (*id).into(),
            entity_id: "ofac-sdn:16661".into(),
            list_version: "v1".into(),
            score: 0.93,
            matched_name: "MIZULINA, Yelena".into(),
            explanation: json!({}),
            customer_fingerprint: "c".into(),
            entity_fingerprint: "e".into(),
            reason: AlertReason::ListUpdate,
        })
        .collect();
    store
        .record_monitor_run(&MonitorRun {
            create,
            actor: "monitor".into(),
            ..MonitorRun::default()
        })
        .await
        .expect("run");
}

fn add(total: &mut DeliveryReport, pass: DeliveryReport) {
    total.attempted += pass.attempted;
    total.delivered += pass.delivered;
    total.retrying += pass.retrying;
    total.failed += pass.failed;
}

/// Passes until nothing is pending (waiting out the backoff between them), at most 500.
async fn drain(store: &Store, client: &reqwest::Client) -> DeliveryReport {
    let mut total = DeliveryReport::default();
    for _ in 0..500 {
        add(
            &mut total,
            deliver_pending(store, client, &options())
                .await
                .expect("deliver"),
        );
        let hooks = store.webhooks().await.expect("webhooks");
        if hooks.iter().all(|h| h.pending == 0) {
            return total;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("deliveries still pending after 500 passes: {total:?}");
}

/// Checks every body's signature and headers; returns the distinct event ids and types.
fn check_signed(seen: &Seen) -> Vec<(i64, String)> {
    let seen = seen.lock().expect("lock");
    let mut events: Vec<(i64, String)> = seen
        .iter()
        .map(|(signature, event, event_id, body)| {
            assert_eq!(
                signature,
                &sign(SECRET, body.as_bytes()),
                "bad signature on {body}"
            );
            let value: Value = serde_json::from_str(body).expect("JSON body");
            assert_eq!(value["type"].as_str(), Some(event.as_str()));
            assert_eq!(value["event_id"].to_string(), *event_id);
            (value["event_id"].as_i64().expect("event id"), event.clone())
        })
        .collect();
    events.sort();
    events.dedup();
    events
}

async fn events_survive_a_receiver_that_is_down_and_arrive_signed(store: Store) {
    let (port, address) = free_port();
    let hook = store
        .add_webhook(&format!("http://{address}/hook"), SECRET)
        .await
        .expect("webhook");
    raise_alerts(&store, &["c1", "c2", "c3"]).await;
    let client = client(&options()).expect("client");

    // Down: every attempt fails and is scheduled again; nothing is lost. A backoff long
    // enough that the next pass comes before it, however busy the machine.
    let patient = DeliveryOptions {
        base_backoff: Duration::from_secs(2),
        max_backoff: Duration::from_secs(2),
        ..options()
    };
    let down = deliver_pending(&store, &client, &patient)
        .await
        .expect("deliver");
    assert_eq!((down.attempted, down.delivered, down.retrying), (3, 0, 3));
    let hooks = store.webhooks().await.expect("webhooks");
    assert_eq!(hooks.first().map(|h| (h.id, h.pending)), Some((hook.id, 3)));
    // Not due again before the backoff.
    let early = deliver_pending(&store, &client, &options())
        .await
        .expect("deliver");
    assert_eq!(early.attempted, 0);

    // Up, but the first answer is an error.
    let seen = start_receiver(port, 1).await;
    let up = drain(&store, &client).await;
    assert_eq!(up.failed, 0);
    assert!(up.delivered == 3 && up.retrying >= 1, "{up:?}");
    let events = check_signed(&seen);
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|(_, kind)| kind == "alert.created"));
    // At least once, and here exactly once: each event was received once.
    assert_eq!(seen.lock().expect("lock").len(), 3);

    // Decisions are events too.
    let alerts = store
        .alerts(&interdict_store::AlertFilter::default())
        .await
        .expect("alerts");
    let id = alerts.first().expect("alert").id;
    store
        .propose_decision(id, Decision::FalsePositive, "alice", "born 1980, not 1954")
        .await
        .expect("propose");
    store.approve_decision(id, "bob").await.expect("approve");
    let decided = drain(&store, &client).await;
    assert_eq!(decided.delivered, 2);
    let events = check_signed(&seen);
    assert_eq!(
        events
            .iter()
            .skip(3)
            .map(|(_, kind)| kind.as_str())
            .collect::<Vec<_>>(),
        ["alert.proposed", "alert.approved"]
    );
    let last: Value =
        serde_json::from_str(&seen.lock().expect("lock").last().expect("last").3).expect("JSON");
    assert_eq!(last["alert"]["status"], "false_positive");
    assert_eq!(last["actor"], "bob");

    let hooks = store.webhooks().await.expect("webhooks");
    assert_eq!(
        hooks.first().map(|h| (h.pending, h.delivered, h.failed)),
        Some((0, 5, 0))
    );
    // Nothing left: another pass sends nothing.
    let idle = deliver_pending(&store, &client, &options())
        .await
        .expect("deliver");
    assert_eq!(idle.attempted, 0);
}

async fn the_watch_loop_delivers_until_stopped(store: Store) {
    let (port, address) = free_port();
    let seen = start_receiver(port, 0).await;
    store
        .add_webhook(&format!("http://{address}/hook"), SECRET)
        .await
        .expect("webhook");
    raise_alerts(&store, &["c1", "c2"]).await;
    let client = client(&options()).expect("client");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let watcher = {
        let store = store.clone();
        tokio::spawn(async move {
            deliver_until(
                &store,
                &client,
                &options(),
                Duration::from_millis(20),
                async {
                    stopped.await.ok();
                },
            )
            .await
        })
    };
    for _ in 0..500 {
        if seen.lock().expect("lock").len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(()).ok();
    let total = watcher.await.expect("join").expect("deliver");
    assert_eq!(total.delivered, 2);
    assert_eq!(check_signed(&seen).len(), 2);
}
