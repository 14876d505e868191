//! The interdict HTTP service: screening with an audit trail, lists and their versions,
//! entities, API keys with roles, Prometheus metrics, an OpenAPI document with Swagger UI,
//! and the analyst's web UI under `/ui/` (the `ui` module).
//!
//! [`app`] builds the whole service as an axum `Router` over an [`AppState`] (a store, the
//! live index and the configuration), so tests drive it in-process; [`serve`] runs it on a
//! listener until a shutdown signal, finishing requests in flight. Everything a client sees
//! is JSON: the API types live in `api` (apart from the model's types, so the contract is
//! stable) and every failure is an [`ApiError`], mapped to a status and a stable code in one
//! table.
//!
//! Replicas are stateless: the store (Postgres) holds lists, keys and the audit trail, and each
//! replica polls the active list versions and rebuilds its index when they change.
//!
//! This crate wires the libraries together (model, sources, matching, store) and is the only
//! one that knows HTTP; it knows nothing of the command line.

#![deny(missing_docs)]

mod api;
mod audit_checkpoints;
mod auth;
mod body;
mod connection;
mod error;
mod handlers;
mod live;
mod metrics;
mod openapi;
mod params;
mod serve;
mod ui;
mod yente;
mod yente_export;

pub use error::{ApiError, ErrorBody, ErrorDetail};
pub use live::{LiveIndex, Refresh, Snapshot};
pub use openapi::openapi;
pub use serve::{ServeError, serve, shutdown_signal};

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use interdict_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// Whether requests must carry an API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Every `/v1` request needs a valid key (the default).
    Required,
    /// No keys; every caller is an admin. Only for demos: [`serve`] then refuses to listen
    /// on anything but loopback.
    Disabled,
}

/// Bounds on what a request may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest JSON body, in bytes.
    pub max_body_bytes: usize,
    /// Largest list file uploaded to `POST /v1/lists/import`, in bytes.
    pub max_import_bytes: usize,
    /// Most requests in one batch.
    pub max_batch: usize,
    /// Longest name, in characters.
    pub max_name_chars: usize,
    /// Most matches per screening.
    pub max_matches: usize,
    /// Most countries per screening.
    pub max_countries: usize,
    /// Longest a request may take (imports excepted).
    pub request_timeout: Duration,
    /// Longest an import may take.
    pub import_timeout: Duration,
    /// Most matches a batch may ask for in all (the sum of its requests' limits).
    pub max_batch_matches: usize,
    /// Longest a client may take to send a request's head (and longest a kept-alive
    /// connection may stay idle); then it is answered 408 and closed.
    pub header_read_timeout: Duration,
    /// Longest a client may take to send a JSON body; then it is answered 408. An uploaded
    /// list has `import_timeout`.
    pub body_read_timeout: Duration,
    /// Most connections served at once; one more is answered 503 and closed. Keep the
    /// process's file-descriptor limit above it.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_import_bytes: 256 * 1024 * 1024,
            max_batch: 1000,
            max_name_chars: interdict_app::Limits::DEFAULT.max_name_chars,
            max_matches: interdict_app::Limits::DEFAULT.max_matches,
            max_countries: interdict_app::Limits::DEFAULT.max_countries,
            request_timeout: Duration::from_secs(30),
            import_timeout: Duration::from_secs(600),
            max_batch_matches: interdict_app::Limits::DEFAULT.max_batch_matches,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(20),
            max_connections: 1000,
        }
    }
}

/// How the service runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Whether keys are required.
    pub auth: AuthMode,
    /// Requests per second allowed per key (bursts of as many); `None`: unlimited.
    pub rate_limit: Option<u32>,
    /// Request bounds.
    pub limits: Limits,
    /// How often the active list versions are polled, to pick up imports made elsewhere.
    pub poll_interval: Duration,
    /// How long a successful key authentication is trusted without asking the store again:
    /// a key revoked through another replica is refused within this long (one revoked
    /// through this one, at once). Zero asks the store on every request.
    pub key_cache_ttl: Duration,
    /// Threads that screen (the screening pool); 0: one per core. Screenings queue for them
    /// rather than time-share the cores, which keeps each thread's caches warm.
    pub screening_threads: usize,
    /// Run a delta monitoring run after each import or activation through this service.
    pub monitor_after_import: bool,
    /// Run a delta monitoring run this often; `None`: only when asked.
    pub monitor_every: Option<Duration>,
    /// Write a signed checkpoint of the audit chain's head here (when it moved) every
    /// `checkpoint_every`; `None`: none.
    pub checkpoint_dir: Option<std::path::PathBuf>,
    /// How often `checkpoint_dir` gets a checkpoint.
    pub checkpoint_every: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            auth: AuthMode::Required,
            rate_limit: None,
            limits: Limits::default(),
            poll_interval: Duration::from_secs(1),
            key_cache_ttl: Duration::from_secs(2),
            screening_threads: 0,
            monitor_after_import: false,
            monitor_every: None,
            checkpoint_dir: None,
            checkpoint_every: Duration::from_secs(300),
        }
    }
}

/// What every request handler shares: cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    store: Store,
    index: LiveIndex,
    config: ServerConfig,
    rate_limiter: auth::RateLimiter,
    key_cache: auth::KeyCache,
    screening_pool: rayon::ThreadPool,
    /// One monitoring run at a time per service: a scheduled run, one after an import and
    /// one asked for over HTTP queue rather than raise the same alerts twice.
    monitoring: tokio::sync::Mutex<()>,
}

impl AppState {
    /// State over `store` with an empty index: call [`AppState::refresh_index`] (or let
    /// [`serve`] do it) to load the active lists. Fails only when the operating system
    /// refuses the screening pool's threads.
    pub fn new(store: Store, config: ServerConfig) -> Result<AppState, ApiError> {
        // The recorder goes in before the first index load sets its gauges, which a recorder
        // installed later would never see.
        metrics::handle();
        let screening_pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.screening_threads)
            .thread_name(|i| format!("interdict-screen-{i}"))
            // A panicking screening fails its request (500), never the process.
            .panic_handler(|_| tracing::error!("a screening panicked"))
            .build()
            .map_err(ApiError::internal)?;
        Ok(AppState {
            shared: Arc::new(Shared {
                store,
                index: LiveIndex::default(),
                rate_limiter: auth::RateLimiter::new(config.rate_limit),
                key_cache: auth::KeyCache::new(config.key_cache_ttl),
                screening_pool,
                monitoring: tokio::sync::Mutex::new(()),
                config,
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// The live index.
    pub fn index(&self) -> &LiveIndex {
        &self.shared.index
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    pub(crate) fn rate_limiter(&self) -> &auth::RateLimiter {
        &self.shared.rate_limiter
    }

    /// Runs CPU work (screening, scanning) on the screening pool, off the async workers,
    /// and waits for its result; a request that timed out meanwhile no longer waits.
    pub(crate) async fn on_screening_pool<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.shared.screening_pool.spawn(move || {
            let _ = reply.send(work());
        });
        answer
            .await
            .map_err(|_| ApiError::internal("work failed on the screening pool"))
    }

    pub(crate) fn key_cache(&self) -> &auth::KeyCache {
        &self.shared.key_cache
    }

    /// Loads the active lists into the index if they changed.
    pub async fn refresh_index(&self) -> Result<Refresh, ApiError> {
        self.index().refresh(self.store()).await
    }

    /// Runs monitoring (delta, or `full`) as `actor`, after any run already under way.
    pub async fn run_monitoring(
        &self,
        full: bool,
        actor: &str,
    ) -> Result<interdict_app::contract::MonitorReport, ApiError> {
        let _turn = self.shared.monitoring.lock().await;
        // The live index's ownership graph: updated, not computed again, by the run.
        let loaded = self
            .index()
            .snapshot()
            .and_then(|snapshot| snapshot.ownership_view.clone());
        Ok(interdict_app::monitoring::run_after(self.store(), full, actor, loaded).await?)
    }

    /// What follows a change of the active lists made through this service: a delta
    /// monitoring run in the background when `monitor_after_import` is set. Its failure is
    /// logged; the next run catches up on what it missed.
    pub(crate) fn after_import(&self) {
        if !self.config().monitor_after_import {
            return;
        }
        let state = self.clone();
        tokio::spawn(async move {
            match state.run_monitoring(false, "monitor:after-import").await {
                Ok(report) => tracing::info!(?report, "monitoring after an import"),
                Err(error) => tracing::error!(%error, "monitoring after an import failed"),
            }
        });
    }

    /// The limits of screening requests.
    pub(crate) fn screening_limits(&self) -> interdict_app::Limits {
        let limits = &self.config().limits;
        interdict_app::Limits {
            max_name_chars: limits.max_name_chars,
            max_matches: limits.max_matches,
            max_countries: limits.max_countries,
            max_batch_matches: limits.max_batch_matches,
        }
    }
}

/// The whole service: API routes, probes, metrics, OpenAPI document and Swagger UI.
pub fn app(state: AppState) -> Router {
    let limits = state.config().limits;
    let api = Router::new()
        .route("/v1/screen", post(handlers::screen::screen))
        .route("/v1/screen/batch", post(handlers::screen::screen_batch))
        .route(
            "/v1/screen/payment",
            post(handlers::payments::screen_payment),
        )
        .route("/v1/scan", post(handlers::scan::scan))
        .route("/v1/lists", get(handlers::lists::lists))
        .route("/v1/lists/diff", get(handlers::lists::diff))
        .route("/v1/lists/{list}/versions", get(handlers::lists::versions))
        .route("/v1/lists/{list}/activate", post(handlers::lists::activate))
        .route("/v1/lists/{list}/export", get(yente_export::export))
        .route("/v1/entities/{id}", get(handlers::lists::entity))
        .route(
            "/v1/entities/{id}/ownership",
            get(handlers::ownership::ownership),
        )
        .route("/v1/audit/verify", get(handlers::audit::verify))
        .route("/v1/audit/export", get(handlers::audit::export))
        .route("/v1/audit/{id}", get(handlers::audit::record))
        .route("/v1/audit/{id}/replay", post(handlers::audit::replay))
        .route(
            "/v1/keys",
            get(handlers::keys::list).post(handlers::keys::create),
        )
        .route(
            "/v1/keys/{id}",
            axum::routing::delete(handlers::keys::revoke),
        )
        .route("/v1/portfolio", post(handlers::monitoring::bulk_customers))
        .route(
            "/v1/portfolio/{id}",
            axum::routing::put(handlers::monitoring::put_customer)
                .delete(handlers::monitoring::delete_customer),
        )
        .route("/v1/monitor/run", post(handlers::monitoring::run_monitor))
        .route("/v1/alerts", get(handlers::monitoring::alerts))
        .route("/v1/alerts/{id}", get(handlers::monitoring::alert))
        .route(
            "/v1/alerts/{id}/decision",
            post(handlers::monitoring::decide),
        )
        .route(
            "/v1/alerts/{id}/approve",
            post(handlers::monitoring::approve),
        )
        .route("/v1/alerts/{id}/reject", post(handlers::monitoring::reject))
        .route("/v1/datasets", get(handlers::datasets::list))
        .route(
            "/v1/datasets/{name}",
            axum::routing::put(handlers::datasets::set).delete(handlers::datasets::remove),
        )
        .route("/match/{dataset}", post(yente::match_entities))
        .route("/entities/{id}", get(yente::entity))
        .route("/search/{dataset}", get(yente::search))
        .route("/catalog", get(yente::catalog))
        .route("/algorithms", get(yente::algorithms))
        .route("/healthz", get(handlers::ops::healthz))
        .route("/readyz", get(handlers::ops::readyz))
        .route("/metrics", get(handlers::ops::metrics))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .route_layer(axum::middleware::from_fn_with_state(
            limits.request_timeout,
            handlers::ops::time_limit,
        ));
    let import = Router::new()
        .route("/v1/lists/import", post(handlers::lists::import))
        .layer(DefaultBodyLimit::max(limits.max_import_bytes))
        .route_layer(axum::middleware::from_fn_with_state(
            limits.import_timeout,
            handlers::ops::time_limit,
        ));
    let docs = utoipa_swagger_ui::SwaggerUi::new("/docs").url("/openapi.json", openapi());
    // The analyst UI (`/ui/`), with its own sessions and CSP; `/` leads there.
    let ui = ui::router(&state);
    Router::new()
        .merge(api)
        .merge(import)
        .merge(docs)
        .merge(ui)
        .route("/", get(|| async { axum::response::Redirect::to("/ui/") }))
        .fallback(handlers::ops::not_found)
        .method_not_allowed_fallback(handlers::ops::method_not_allowed)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(handlers::ops::panicked))
        .with_state(state)
}
