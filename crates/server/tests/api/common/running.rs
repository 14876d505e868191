//! A service on a real loopback socket, for the tests that need raw HTTP (hyper's own
//! answers, slow clients, time limits) rather than the in-process router.

use std::net::SocketAddr;

use interdict_server::{AppState, Limits, ServerConfig, serve};
use interdict_store::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A service on a loopback port, stopped when `stop` is sent.
pub(crate) struct Running {
    pub(crate) address: SocketAddr,
    stop: oneshot::Sender<()>,
    server: JoinHandle<Result<(), interdict_server::ServeError>>,
}

impl Running {
    pub(crate) async fn start(store: Store, limits: Limits) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let config = ServerConfig {
            limits,
            ..ServerConfig::default()
        };
        let state = AppState::new(store, config).expect("state");
        state.refresh_index().await.expect("load the index");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, state, async {
            stopped.await.ok();
        }));
        Running {
            address,
            stop,
            server,
        }
    }

    pub(crate) async fn stop(self) {
        self.stop.send(()).expect("signal");
        self.server
            .await
            .expect("server task")
            .expect("the server stops cleanly");
    }
}
