//! Running the service on a listener: background index refresh, metrics upkeep, and graceful
//! shutdown that lets requests in flight finish.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::time::MissedTickBehavior;

use crate::{AppState, AuthMode, app};

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
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await;
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
