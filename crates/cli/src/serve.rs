//! `interdict serve`: flags into a server configuration, then the service until ctrl-c or
//! SIGTERM, optionally with webhook delivery beside it. Everything else is in
//! `interdict-server` and `interdict-notify`.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use interdict_notify::{DeliveryOptions, client, deliver_until};
use interdict_server::{AppState, AuthMode, Limits, ServerConfig, serve, shutdown_signal};
use interdict_store::{OpenOptions, Store};

use crate::args::ServeArgs;
use crate::output::outln;

fn seconds(value: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} {value} is not a positive number of seconds"))
}

/// The configuration the flags ask for.
fn config(args: &ServeArgs) -> Result<ServerConfig> {
    if args.max_batch == 0 {
        bail!("--max-batch must be at least 1");
    }
    if args.max_connections == 0 {
        bail!("--max-connections must be at least 1");
    }
    let read_timeout = seconds(args.read_timeout, "--read-timeout")?;
    Ok(ServerConfig {
        auth: if args.insecure_no_auth {
            AuthMode::Disabled
        } else {
            AuthMode::Required
        },
        rate_limit: args.rate_limit,
        limits: Limits {
            max_batch: args.max_batch,
            request_timeout: seconds(args.request_timeout, "--request-timeout")?,
            max_batch_matches: args.max_batch_matches,
            max_connections: args.max_connections,
            header_read_timeout: read_timeout,
            body_read_timeout: read_timeout,
            ..Limits::default()
        },
        poll_interval: seconds(args.poll_interval, "--poll-interval")?,
        key_cache_ttl: Duration::try_from_secs_f64(args.key_cache_ttl).with_context(|| {
            format!(
                "--key-cache-ttl {} is not a number of seconds",
                args.key_cache_ttl
            )
        })?,
        screening_threads: args.screening_threads,
        monitor_after_import: args.monitor_after_import,
        monitor_every: args.monitor_every,
        checkpoint_dir: args.checkpoint_dir.clone(),
        checkpoint_every: args.checkpoint_every,
    })
}

pub(crate) async fn run(db: &str, options: &OpenOptions, args: &ServeArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = config(args)?;
    if config.auth == AuthMode::Disabled && !args.listen.ip().is_loopback() {
        bail!(
            "--insecure-no-auth serves without API keys, so it listens on loopback only \
             (127.0.0.1 or ::1), not {}",
            args.listen
        );
    }
    let store = Store::open_with(db, options).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    // The first line of stdout says where, so that scripts (and tests) can use port 0.
    let address = listener.local_addr()?;
    outln!("listening on http://{address}")?;
    if config.auth == AuthMode::Disabled {
        eprintln!("warning: serving WITHOUT authentication (--insecure-no-auth); demo use only");
    }
    let state = AppState::new(store.clone(), config)?;
    let delivery = args
        .deliver_webhooks
        .then(|| tokio::spawn(deliver_webhooks(store.clone())));
    let served = serve(listener, state, shutdown_signal()).await;
    // A delivery cut short is leased, not lost: it is retried once its lease runs out.
    if let Some(delivery) = delivery {
        delivery.abort();
    }
    served?;
    store.close().await;
    Ok(())
}

/// Delivers webhook events from the outbox for as long as the service runs. A store that
/// fails is retried, not given up on: the service must not stop notifying because the
/// database was briefly away.
async fn deliver_webhooks(store: Store) {
    let options = DeliveryOptions::default();
    let client = match client(&options) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot build the webhook client; not delivering webhooks");
            return;
        }
    };
    tracing::info!("delivering webhook events");
    loop {
        let stop = std::future::pending::<()>();
        if let Err(error) = deliver_until(&store, &client, &options, DELIVERY_POLL, stop).await {
            tracing::warn!(%error, "webhook delivery failed; trying again shortly");
            tokio::time::sleep(DELIVERY_RETRY).await;
        }
    }
}

/// How often the outbox is looked at when nothing is due.
const DELIVERY_POLL: Duration = Duration::from_secs(1);

/// How long to wait after the store failed during delivery.
const DELIVERY_RETRY: Duration = Duration::from_secs(5);
