//! `interdict webhooks`: subscriptions to alert events, and their delivery from the outbox
//! (the delivery itself is `interdict-notify`, which the HTTP server can run too).

use std::time::Duration;

use anyhow::{Context, Result};
use interdict_notify::{DeliveryOptions, DeliveryReport, client, deliver_pending, deliver_until};
use interdict_store::Store;
use serde_json::json;

use crate::args::WebhooksCommand;
use crate::output::outln;
use crate::output::print_json_line;

pub(crate) async fn run(store: &Store, command: WebhooksCommand) -> Result<()> {
    match command {
        WebhooksCommand::Add { url, secret, json } => {
            let hook = store.add_webhook(&url, &secret).await?;
            if json {
                outln!("{}", json!({ "id": hook.id, "url": hook.url }))?;
            } else {
                outln!("webhook {} subscribed: {}", hook.id, hook.url)?;
            }
            Ok(())
        }
        WebhooksCommand::List { json } => {
            for hook in store.webhooks().await? {
                if json {
                    print_json_line(&json!({
                        "id": hook.id,
                        "url": hook.url,
                        "created_at": hook.created_at,
                        "pending": hook.pending,
                        "delivered": hook.delivered,
                        "failed": hook.failed,
                    }))?;
                } else {
                    outln!(
                        "{:>4}  {}  ({} pending, {} delivered, {} failed)",
                        hook.id,
                        hook.url,
                        hook.pending,
                        hook.delivered,
                        hook.failed
                    )?;
                }
            }
            Ok(())
        }
        WebhooksCommand::Remove { id } => {
            let id: i64 = id
                .trim()
                .parse()
                .with_context(|| format!("{id:?} is not a webhook id (a number)"))?;
            store.remove_webhook(id).await?;
            outln!("webhook {id} removed")?;
            Ok(())
        }
        WebhooksCommand::Deliver {
            watch,
            backoff,
            json,
        } => {
            let options = DeliveryOptions {
                base_backoff: Duration::try_from_secs_f64(backoff)
                    .with_context(|| format!("--backoff {backoff} is not a number of seconds"))?,
                ..DeliveryOptions::default()
            };
            let client = client(&options)?;
            let report = if watch {
                let stop = async {
                    tokio::signal::ctrl_c().await.ok();
                };
                deliver_until(store, &client, &options, Duration::from_secs(1), stop).await?
            } else {
                deliver_pending(store, &client, &options).await?
            };
            print_report(&report, json)
        }
    }
}

fn print_report(report: &DeliveryReport, json: bool) -> Result<()> {
    if json {
        outln!(
            "{}",
            json!({
                "attempted": report.attempted,
                "delivered": report.delivered,
                "retrying": report.retrying,
                "failed": report.failed,
            })
        )?;
    } else {
        outln!(
            "{} deliveries attempted: {} delivered, {} to retry, {} given up",
            report.attempted,
            report.delivered,
            report.retrying,
            report.failed
        )?;
    }
    Ok(())
}
