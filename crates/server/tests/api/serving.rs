//! A real listener: graceful shutdown answers the request in flight, and the service without
//! authentication refuses any address but loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use axum::http::StatusCode;
use interdict_server::{AppState, AuthMode, ServeError, ServerConfig, app, serve};
use interdict_store::Role;

use crate::common::{import, send, shared, sqlite};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_lets_the_request_in_flight_finish() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let admin = store
        .create_key(Role::Admin, "admin", "cli:test")
        .await
        .expect("key")
        .key;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let state = AppState::new(store.clone(), ServerConfig::default()).expect("state");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        stopped.await.ok();
    }));

    // An import is slow: parse, store, audit, index rebuild. Send one.
    let body = std::fs::read(shared("lists/ofac-sdn-2022-03-21/sdn.csv")).expect("read");
    let client = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(300)))
            .expect("timeout");
        write!(
            stream,
            "POST /v1/lists/import?format=ofac-sdn-csv HTTP/1.1\r\nHost: localhost\r\n\
             Authorization: Bearer {admin}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .expect("write head");
        stream.write_all(&body).expect("write body");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    });

    // Once its version is stored, the request is certainly being handled: shut down then.
    let mut waited = 0;
    while store
        .list_versions("ofac-sdn")
        .await
        .expect("versions")
        .is_empty()
    {
        waited += 1;
        assert!(waited < 6000, "the import never reached the store");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(()).expect("signal");
    let response = client.await.expect("client");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"list\":\"ofac-sdn\""), "{response}");
    server
        .await
        .expect("server task")
        .expect("the server stops cleanly");
}

#[tokio::test]
async fn without_authentication_only_loopback_is_served() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    let config = ServerConfig {
        auth: AuthMode::Disabled,
        ..ServerConfig::default()
    };
    let state = AppState::new(store, config).expect("state");
    let everywhere = tokio::net::TcpListener::bind("0.0.0.0:0")
        .await
        .expect("bind");
    let refused = serve(everywhere, state.clone(), async {}).await;
    assert!(
        matches!(refused, Err(ServeError::InsecureNonLoopback(_))),
        "{refused:?}"
    );

    // On loopback (here in-process) no key is needed, and every caller is an admin.
    state.refresh_index().await.expect("load");
    let router = app(state);
    let request = axum::http::Request::get("/v1/keys")
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, keys) = send(&router, request).await;
    assert_eq!(status, StatusCode::OK, "{keys}");
}
