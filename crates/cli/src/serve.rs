//! `interdict serve`: flags into a server configuration, then the service until ctrl-c or
//! SIGTERM. Everything else is in `interdict-server`.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use interdict_server::{AppState, AuthMode, Limits, ServerConfig, serve, shutdown_signal};
use interdict_store::Store;

use crate::args::ServeArgs;

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
    })
}

pub(crate) async fn run(db: &str, args: &ServeArgs) -> Result<()> {
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
    let store = Store::open(db).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    // The first line of stdout says where, so that scripts (and tests) can use port 0.
    let address = listener.local_addr()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{address}")?;
    stdout.flush()?;
    drop(stdout);
    if config.auth == AuthMode::Disabled {
        eprintln!("warning: serving WITHOUT authentication (--insecure-no-auth); demo use only");
    }
    let state = AppState::new(store.clone(), config)?;
    serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}
