//! A service no client can starve: on a real listener, half-sent requests neither hold the
//! service nor last, a connection over the cap is answered 503, a slow head or body 408, all
//! in the API's error JSON, as is a head hyper cannot parse; and a request over a batch's
//! match cap or its key's budget is refused before anything is screened or recorded.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use interdict_server::{Limits, ServerConfig};
use interdict_store::Role;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{Guard, Harness, Running, assert_error, import, sqlite};

/// Sends `request` on a new connection and reads until the service closes it, or at most
/// `within`.
async fn exchange(address: SocketAddr, request: &[u8], within: Duration) -> String {
    let talk = async {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream.write_all(request).await.expect("write");
        let mut answer = Vec::new();
        // A reset after the answer (the service closing) still leaves the answer read.
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    };
    tokio::time::timeout(within, talk)
        .await
        .expect("answered in time")
}

/// The status and error JSON of a raw HTTP/1.1 answer.
fn status_and_json(answer: &str) -> (u16, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let json = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, json)
}

/// Opens `count` connections that each send part of a request head and wait.
async fn half_sent(address: SocketAddr, count: usize) -> Vec<TcpStream> {
    let mut streams = Vec::with_capacity(count);
    for _ in 0..count {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream
            .write_all(b"POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nContent-")
            .await
            .expect("write");
        streams.push(stream);
    }
    streams
}

const HEALTH: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_half_sent_requests_do_not_keep_a_request_waiting() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    // The slow clients' heads would time out only after a minute: the request below is
    // answered while all of them are still held. 500 of them on both ends of loopback need
    // about 1,000 file descriptors in this process.
    let limits = Limits {
        header_read_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;
    let slow = half_sent(running.address, 500).await;
    let answer = exchange(running.address, HEALTH, Duration::from_secs(1)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(slow.len(), 500);
    drop(slow);
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_over_the_cap_is_refused_with_a_503_and_the_others_go_on() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let limits = Limits {
        max_connections: 4,
        header_read_timeout: Duration::from_secs(60),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;
    let mut slow = half_sent(running.address, 4).await;
    let answer = exchange(running.address, HEALTH, Duration::from_secs(5)).await;
    let (status, body) = status_and_json(&answer);
    assert_eq!(status, 503, "{answer}");
    assert_eq!(body["error"]["code"], "too_many_connections", "{answer}");
    assert!(answer.to_lowercase().contains("retry-after: 1"), "{answer}");

    // A held connection that finishes its request is answered, and frees its place.
    slow[0]
        .write_all(b"Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        .await
        .expect("finish the head");
    let mut answer = Vec::new();
    let _ = slow[0].read_to_end(&mut answer).await;
    let (status, _) = status_and_json(&String::from_utf8_lossy(&answer));
    assert_eq!(status, 401, "an accepted connection is served");
    let mut served = false;
    for _ in 0..100 {
        let answer = exchange(running.address, HEALTH, Duration::from_secs(5)).await;
        if answer.starts_with("HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(served, "a place freed is taken again");
    drop(slow);
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_head_or_body_is_answered_408_in_the_error_json() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;

    // Half a head, then nothing.
    let answer = exchange(
        running.address,
        b"GET /healthz HTTP/1.1\r\nHost: local",
        Duration::from_secs(10),
    )
    .await;
    let (status, body) = status_and_json(&answer);
    assert_eq!(status, 408, "{answer}");
    assert_eq!(body["error"]["code"], "request_timeout", "{answer}");

    // A whole head promising a body that never comes in full, without a key.
    let head = "POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{\"name\": ";
    let answer = exchange(running.address, head.as_bytes(), Duration::from_secs(10)).await;
    let (status, body) = status_and_json(&answer);
    // Authentication comes first: the key is checked from the head, so the slow body is
    // never waited for.
    assert_eq!(status, 401, "{answer}");
    assert_eq!(body["error"]["code"], "unauthenticated", "{answer}");

    // A connection that sends nothing is closed without an answer.
    let answer = exchange(running.address, b"", Duration::from_secs(10)).await;
    assert_eq!(answer, "");
    running.stop().await;
}

/// Splits a stream of HTTP/1.1 answers (each with a `content-length`) into (status, body).
fn answers(mut stream: &str) -> Vec<(u16, String)> {
    let mut found = Vec::new();
    while let Some((head, rest)) = stream.split_once("\r\n\r\n") {
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
        let length = head
            .lines()
            .find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("content-length: ")?
                    .parse()
                    .ok()
            })
            .unwrap_or(0usize);
        let (Some(status), Some(body)) = (status, rest.get(..length)) else {
            panic!("not an HTTP answer: {stream:?}");
        };
        found.push((status, body.to_owned()));
        stream = &rest[length..];
    }
    assert_eq!(stream, "", "bytes after the last answer");
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn heads_hyper_cannot_parse_are_answered_in_the_error_json() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let running = Running::start(store, Limits::default()).await;
    let within = Duration::from_secs(10);
    let long_uri = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(70_000)
    );
    let many_headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        (0..120)
            .map(|i| format!("X-Header-{i}: {i}\r\n"))
            .collect::<String>()
    );
    let cases: [(&str, &[u8], u16, &str); 5] = [
        (
            "request line",
            b"GET / HTTP/1.1 nonsense\r\n\r\n",
            400,
            "malformed_request",
        ),
        (
            "method",
            b"G\x01T /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            400,
            "malformed_request",
        ),
        (
            "header",
            b"GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n",
            400,
            "malformed_request",
        ),
        ("long URI", long_uri.as_bytes(), 414, "uri_too_long"),
        (
            "many headers",
            many_headers.as_bytes(),
            431,
            "headers_too_large",
        ),
    ];
    for (what, request, status, code) in cases {
        let answer = exchange(running.address, request, within).await;
        let (got, body) = status_and_json(&answer);
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(body["error"]["code"], code, "{what}: {answer}");
        assert!(body["error"]["message"].is_string(), "{what}: {answer}");
        assert_eq!(
            answers(&answer).len(),
            1,
            "{what}: one answer, hyper's swallowed"
        );
    }

    // On a kept-alive connection: two requests answered by their handlers, unchanged (one
    // of them an error of the API's own), then a head hyper cannot parse, in one write.
    let pipelined = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n\
        GET /v1/lists HTTP/1.1\r\nHost: localhost\r\n\r\n\
        GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n";
    let answer = exchange(running.address, pipelined, within).await;
    let answered = answers(&answer);
    let statuses: Vec<u16> = answered.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [200, 401, 400], "{answer}");
    let last: Value = serde_json::from_str(&answered[2].1).expect("json");
    assert_eq!(last["error"]["code"], "malformed_request", "{answer}");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_body_from_a_known_key_is_answered_408() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let key = store
        .create_key(Role::Screener, "slow client", "cli:test")
        .await
        .expect("key")
        .key;
    let limits = Limits {
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;
    let head = format!(
        "POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\": "
    );
    let answer = exchange(running.address, head.as_bytes(), Duration::from_secs(10)).await;
    let (status, body) = status_and_json(&answer);
    assert_eq!(status, 408, "{answer}");
    assert_eq!(body["error"]["code"], "request_timeout", "{answer}");
    running.stop().await;
}

/// The number of records in the audit trail, read with a connection of its own.
async fn audit_records(guard: &Guard) -> i64 {
    use sqlx::{Connection, Row};
    let mut conn = sqlx::AnyConnection::connect(guard.url())
        .await
        .expect("connect");
    sqlx::query("SELECT COUNT(*) AS n FROM audit_records")
        .fetch_one(&mut conn)
        .await
        .expect("count")
        .try_get::<i64, _>("n")
        .expect("n")
}

fn batch(size: usize, limit: usize) -> Value {
    Value::Array(
        (0..size)
            .map(|_| json!({ "name": "Janan Agha", "threshold": 0.0, "limit": limit }))
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn oversized_or_over_budget_requests_are_refused_before_any_audit_record() {
    let (guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let config = ServerConfig {
        rate_limit: Some(10),
        limits: Limits {
            max_body_bytes: 64 * 1024,
            max_batch_matches: 1000,
            ..Limits::default()
        },
        ..ServerConfig::default()
    };
    let app = Harness::new(store, config).await;
    let screener = app.key(Role::Screener).await;
    let before = audit_records(&guard).await;

    // More matches in all than a batch may ask for: 11 × 100 > 1,000.
    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen/batch",
            Some(&screener),
            Some(batch(11, 100)),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    );
    assert_eq!(
        answer["error"]["message"]
            .as_str()
            .map(|m| m.contains("1100")),
        Some(true)
    );
    // A body over the limit.
    let name = "x".repeat(70 * 1024);
    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen",
            Some(&screener),
            Some(json!({ "name": name })),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    assert_eq!(audit_records(&guard).await, before, "nothing recorded");

    // A fresh key's full bucket takes a batch weighing 50 (5 × limit 100) at 10 a second,
    // and its 5 screenings are recorded...
    let fresh = app.key(Role::Screener).await;
    let before = audit_records(&guard).await;
    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen/batch",
            Some(&fresh),
            Some(batch(5, 100)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let after_batch = audit_records(&guard).await;
    assert!(after_batch > before, "the batch is recorded");
    // ...which leaves it 40 tokens in debt, 4 s of its budget: the next batch, and even one
    // light screening, are refused and not recorded.
    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen/batch",
            Some(&fresh),
            Some(batch(5, 100)),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    );
    let (status, answer) = app
        .call(
            "POST",
            "/v1/screen",
            Some(&fresh),
            Some(json!({ "name": "Janan Agha" })),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    );
    assert_eq!(audit_records(&guard).await, after_batch, "nothing recorded");
}
