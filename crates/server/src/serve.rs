//! Running the service on a listener: one HTTP/1.1 connection per task under a connection
//! cap, with header-read timeouts, background index refresh, metrics upkeep, and graceful
//! shutdown that lets requests in flight finish.
//!
//! The accept loop is written here (over hyper's connection builder) rather than taken from
//! `axum::serve`, which has neither a header-read timeout nor a connection cap: a client
//! that sends half a request head and waits held a connection (and a file descriptor) for
//! as long as it liked, and enough of them made the service unreachable. Now a head not
//! received within `header_read_timeout` is answered 408 and closed, and a connection beyond
//! `max_connections` is answered 503 at once and closed, without waiting on the client, so
//! the accepted connections are never starved. A head hyper cannot parse is answered in the
//! API's error JSON too ([`crate::connection`]), and the connection lingers briefly so that
//! the client reads the answer rather than a reset.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::MissedTickBehavior;

use crate::connection::{CountingService, Exchanges, JsonProtocolErrors};
use crate::error::ApiError;
use crate::{AppState, AuthMode, app};

/// How long a refused or timed-out client is given to take its error response before the
/// connection is dropped.
const GOODBYE_TIMEOUT: Duration = Duration::from_secs(2);

/// Most connections being answered an error at once; beyond this, a connection over the cap
/// is closed without one, so refusing can never cost more than the cap allows.
const MAX_GOODBYES: usize = 256;

/// How long the accept loop waits after the operating system refuses a connection (out of
/// file descriptors, say) before it accepts again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// How often histogram observations are folded, so memory stays flat between scrapes.
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

/// How often an embedded store's write-ahead log is copied back into the database, off the
/// request path (see [`interdict_store::Store::checkpoint`]).
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(500);

/// Why the service could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Without authentication the service listens on loopback only.
    #[error(
        "without authentication (--insecure-no-auth) the service listens on loopback only, \
         and {0} is not a loopback address"
    )]
    InsecureNonLoopback(SocketAddr),
    /// The listener failed.
    #[error("cannot serve: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the API on `listener` until `shutdown` completes, then stops accepting connections
/// and returns once the requests in flight are answered. The index is loaded in the
/// background (`/readyz` says when) and refreshed every `poll_interval`, so that imports made
/// through other replicas become active here too.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let address = listener.local_addr()?;
    if state.config().auth == AuthMode::Disabled && !address.ip().is_loopback() {
        return Err(ServeError::InsecureNonLoopback(address));
    }
    let refresher = tokio::spawn(refresh_forever(state.clone()));
    let upkeep = tokio::spawn(async {
        let mut ticks = tokio::time::interval(METRICS_UPKEEP);
        loop {
            ticks.tick().await;
            if let Some(handle) = crate::metrics::handle() {
                handle.run_upkeep();
            }
        }
    });
    let checkpointer = tokio::spawn(checkpoint_forever(state.clone()));
    let monitor = state
        .config()
        .monitor_every
        .map(|every| tokio::spawn(monitor_forever(state.clone(), every)));
    let audit_checkpoints = crate::audit_checkpoints::spawn(&state);
    tracing::info!(%address, auth = ?state.config().auth, "serving");
    let limits = state.config().limits;
    let served = accept_until(listener, app(state), limits, shutdown).await;
    refresher.abort();
    upkeep.abort();
    checkpointer.abort();
    if let Some(audit_checkpoints) = audit_checkpoints {
        audit_checkpoints.abort();
    }
    if let Some(monitor) = monitor {
        monitor.abort();
    }
    tracing::info!("stopped");
    Ok(served?)
}

/// How each connection is served.
#[derive(Debug, Clone, Copy)]
struct ConnectionSettings {
    header_read_timeout: Duration,
}

/// Accepts connections until `shutdown`, then tells every connection to finish the request
/// it is answering and close, and returns when all have.
async fn accept_until(
    listener: TcpListener,
    router: axum::Router,
    limits: crate::Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Shutdown takes every permit back in one call, which counts them in a u32.
    let most = Semaphore::MAX_PERMITS.min(u32::MAX as usize);
    let max_connections = limits.max_connections.clamp(1, most);
    let connections = Arc::new(Semaphore::new(max_connections));
    let goodbyes = Arc::new(Semaphore::new(MAX_GOODBYES));
    let refusal: Arc<[u8]> = ApiError::TooManyConnections(max_connections)
        .raw_http1_response()
        .into();
    let settings = ConnectionSettings {
        header_read_timeout: limits.header_read_timeout,
    };
    let (closing, closing_seen) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(error) => {
                    // A connection reset before it was accepted is the client's affair; out
                    // of descriptors, waiting lets connections close.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        match connections.clone().try_acquire_owned() {
            Ok(permit) => {
                let router = router.clone();
                let closing = closing_seen.clone();
                let goodbyes = goodbyes.clone();
                tokio::spawn(async move {
                    serve_connection(stream, router, settings, closing, goodbyes).await;
                    drop(permit);
                });
            }
            Err(_) => {
                crate::metrics::connection_refused();
                if let Ok(turn) = goodbyes.clone().try_acquire_owned() {
                    let refusal = refusal.clone();
                    tokio::spawn(async move {
                        say_goodbye(stream, &refusal).await;
                        drop(turn);
                    });
                }
            }
        }
    }
    drop(listener);
    // Receivers that are gone have nothing left to close.
    let _ = closing.send(true);
    // Every connection holds a permit until it is closed: having them all back means all
    // are done. The cap was clamped to fit.
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    let _ = connections.acquire_many(all).await;
    Ok(())
}

/// Serves one connection's requests until the client closes it, its head does not arrive in
/// time (then it is answered 408), or the service shuts down (then the request in flight is
/// answered first).
async fn serve_connection(
    stream: TcpStream,
    router: axum::Router,
    settings: ConnectionSettings,
    mut closing: watch::Receiver<bool>,
    goodbyes: Arc<Semaphore>,
) {
    // Answers are written whole; waiting for more to coalesce only adds latency.
    let _ = stream.set_nodelay(true);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout);
    let exchanges = Exchanges::new();
    let mut connection = builder.serve_connection(
        TokioIo::new(JsonProtocolErrors::new(stream, exchanges.clone())),
        CountingService::new(router, exchanges),
    );
    let served = tokio::select! {
        served = &mut connection => served,
        () = closing_time(&mut closing) => {
            std::pin::Pin::new(&mut connection).graceful_shutdown();
            (&mut connection).await
        }
    };
    let Err(error) = served else {
        return;
    };
    if error.is_timeout() {
        // Hyper closes a connection whose head timed out without a word. A client that sent
        // part of a request is told why; an idle kept-alive connection is just closed.
        let parts = connection.into_parts();
        if !parts.read_buf.is_empty()
            && let Ok(_turn) = goodbyes.try_acquire()
        {
            let answer = ApiError::RequestTimeout(settings.header_read_timeout);
            say_goodbye(
                parts.io.into_inner().into_inner(),
                &answer.raw_http1_response(),
            )
            .await;
        }
    } else if error.is_parse() {
        // Answered already (in the error JSON); the rest of what the client sends is read
        // for a moment, since closing on unread bytes resets the connection and can discard
        // the answer before the client reads it.
        let parts = connection.into_parts();
        if let Ok(_turn) = goodbyes.try_acquire() {
            say_goodbye(parts.io.into_inner().into_inner(), &[]).await;
        }
    } else {
        tracing::debug!(%error, "connection closed with an error");
    }
}

/// Completes when the service starts shutting down (or can no longer say so).
async fn closing_time(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|closing| *closing).await;
}

/// Writes `response` (if any) to a client the service will not serve and closes the connection,
/// reading what the client still sends meanwhile so that the close is not a reset (which
/// could discard the response before the client reads it); all within [`GOODBYE_TIMEOUT`].
async fn say_goodbye(mut stream: TcpStream, response: &[u8]) {
    let goodbye = async {
        if !response.is_empty() {
            stream.write_all(response).await?;
        }
        // Hyper may have shut the writing side already after its own answer.
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    };
    let _ = tokio::time::timeout(GOODBYE_TIMEOUT, goodbye).await;
}

async fn refresh_forever(state: AppState) {
    let mut ticks = tokio::time::interval(state.config().poll_interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = state.refresh_index().await {
            tracing::warn!(%error, "cannot refresh the index; serving the previous one");
        }
    }
}

async fn checkpoint_forever(state: AppState) {
    let mut ticks = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = state.store().checkpoint().await {
            tracing::warn!(%error, "cannot checkpoint the store's write-ahead log");
        }
    }
}

/// Runs delta monitoring every `every` (the first run after one period), for
/// `serve --monitor-every`. A failed run is logged; the next one catches up.
async fn monitor_forever(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match state.run_monitoring(false, "monitor:schedule").await {
            Ok(report) => tracing::info!(?report, "scheduled monitoring run"),
            Err(error) => tracing::warn!(%error, "scheduled monitoring run failed"),
        }
    }
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down; finishing requests in flight");
}
