//! `interdict`: the command-line binary. It only defines flags and wires the libraries
//! together: `interdict-sources` parses, `interdict-store` keeps versions,
//! `interdict-matching` screens.

mod alerts;
mod args;
mod audit;
mod csv_input;
mod datasets;
mod demo;
mod export;
mod input;
mod keys;
mod lists;
mod monitor;
mod output;
mod ownership;
mod pairs;
mod payments;
mod portfolio;
mod scan;
mod screen;
mod serve;
mod webhooks;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use interdict_store::{OpenOptions, Store};

/// Screening allocates many small short-lived strings and vectors on several threads at once;
/// mimalloc's per-thread heaps serve them with less contention and fragmentation than the
/// system allocator (see README, "HTTP service" figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use crate::args::{
    AuditCommand, Cli, Command, DatasetsCommand, EvalCommand, KeysCommand, ListsCommand,
    PaymentsCommand,
};
use crate::output::outln;

fn main() -> ExitCode {
    end_quietly_on_closed_stdout();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // `interdict lists | head`: the reader has what it wanted.
        Err(e) if output::is_closed_stdout(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, each said once: a library error that prints its
/// source and also returns it as `source()` would otherwise repeat it ("pool timed out:
/// pool timed out").
fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// Commands print through [`output::outln!`], which returns a closed stdout as an error
/// that `main` ends with exit 0. A `println!` elsewhere (the standard library panics on
/// EPIPE, since Rust ignores SIGPIPE) is caught here too, so that no command ends a pipe
/// into `head` with a panic message and exit 101.
fn end_quietly_on_closed_stdout() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default_hook(info);
    }));
}

async fn run(cli: Cli) -> Result<()> {
    let mut options = OpenOptions::default();
    options.audit_key_file.clone_from(&cli.audit_key_file);
    match cli.command {
        Command::Demo { demo_db } => demo::run(&demo_db).await,
        Command::Screen(args) => {
            let store = Store::open_with(&cli.db, &options).await?;
            match (&args.name, &args.input) {
                (Some(name), _) => screen::run_single(&store, &args.query, name).await,
                (None, Some(input)) => {
                    screen::run_batch(&store, &args.query, &args.batch, input).await
                }
                (None, None) => anyhow::bail!("give --name or --input"),
            }
        }
        Command::Pairs {
            input,
            output,
            threshold,
        } => pairs::run_pairs(&input, output.as_deref(), threshold),
        Command::Eval {
            command: EvalCommand::Pairs { file, threshold },
        } => pairs::run_eval(&file, threshold),
        Command::Eval {
            command: EvalCommand::Scan { dir, json },
        } => scan::run_eval(&Store::open(&cli.db).await?, &dir, json).await,
        Command::Scan(args) => scan::run(&Store::open(&cli.db).await?, &args).await,
        Command::Eval {
            command: EvalCommand::Payments { dir, json },
        } => payments::run_eval(&Store::open(&cli.db).await?, &dir, json).await,
        Command::Payments {
            command:
                PaymentsCommand::Screen {
                    paths,
                    threshold,
                    json,
                    output,
                    alerts,
                },
        } => {
            let store = Store::open(&cli.db).await?;
            payments::run_screen(&store, &paths, threshold, json, output.as_deref(), alerts).await
        }
        Command::Lists(lists_args) => {
            let store = Store::open_with(&cli.db, &options).await?;
            match lists_args.command {
                None => lists::run_show(&store, lists_args.json).await,
                Some(ListsCommand::Import {
                    paths,
                    source,
                    published,
                    activate,
                    allow_shrink,
                    json,
                }) => {
                    let flags = lists::ImportFlags {
                        published,
                        activate,
                        allow_shrink,
                    };
                    lists::run_import(&store, &paths, &source, &flags, json).await
                }
                Some(ListsCommand::Activate {
                    list,
                    version,
                    json,
                }) => lists::run_activate(&store, &list, &version, json).await,
                Some(ListsCommand::Diff {
                    from,
                    to,
                    source,
                    json,
                }) => lists::run_diff(&store, &from, &to, &source, json).await,
                Some(ListsCommand::Export {
                    list,
                    version,
                    format,
                    output,
                }) => {
                    export::run(
                        &store,
                        &list,
                        version.as_deref(),
                        &format,
                        output.as_deref(),
                    )
                    .await
                }
            }
        }
        Command::Serve(args) => serve::run(&cli.db, &options, &args).await,
        Command::Keys { command } => {
            let store = Store::open_with(&cli.db, &options).await?;
            match command {
                KeysCommand::Create { role, name, json } => {
                    keys::run_create(&store, &role, &name, json).await
                }
                KeysCommand::List { json } => keys::run_list(&store, json).await,
                KeysCommand::Revoke { id } => keys::run_revoke(&store, &id).await,
            }
        }
        Command::Datasets { command } => {
            let store = Store::open_with(&cli.db, &options).await?;
            match command {
                DatasetsCommand::Set { name, lists, title } => {
                    datasets::run_set(&store, &name, lists, title).await
                }
                DatasetsCommand::List { json } => datasets::run_list(&store, json).await,
                DatasetsCommand::Remove { name } => datasets::run_remove(&store, &name).await,
            }
        }
        Command::Audit { command } => {
            let store = Store::open_with(&cli.db, &options).await?;
            match command {
                AuditCommand::Verify { checkpoints, json } => {
                    audit::run_verify(&store, &checkpoints, json).await
                }
                AuditCommand::Checkpoint { output } => {
                    audit::run_checkpoint(&store, output.as_deref()).await
                }
                AuditCommand::Replay { id, json } => audit::run_replay(&store, &id, json).await,
                AuditCommand::Export { from, to } => audit::run_export(&store, &from, &to).await,
            }
        }
        Command::Portfolio { command } => {
            portfolio::run(&Store::open_with(&cli.db, &options).await?, command).await
        }
        Command::Monitor { command } => {
            monitor::run(&Store::open_with(&cli.db, &options).await?, command).await
        }
        Command::Alerts { command } => {
            alerts::run(&Store::open_with(&cli.db, &options).await?, command).await
        }
        Command::Webhooks { command } => {
            webhooks::run(&Store::open_with(&cli.db, &options).await?, command).await
        }
        Command::Ownership { id, date, json } => {
            let store = Store::open_with(&cli.db, &options).await?;
            ownership::run(&store, &id, date.as_deref(), json).await
        }
        Command::Entity { id, json } => {
            let store = Store::open_with(&cli.db, &options).await?;
            let stored = store.entity(&id).await?;
            let also_listed = interdict_app::cross_list::also_listed(&store, &id).await?;
            if json {
                let mut value = serde_json::to_value(&stored.entity)?;
                if let Some(object) = value.as_object_mut() {
                    // The API's contract for a list version, as `GET /v1/entities/{id}`.
                    object.insert(
                        "list_version".into(),
                        serde_json::to_value(interdict_app::contract::ListVersionJson::from(
                            &stored.version,
                        ))?,
                    );
                    object.insert("also_listed".into(), serde_json::to_value(&also_listed)?);
                }
                outln!("{}", serde_json::to_string_pretty(&value)?)?;
            } else {
                outln!("{}", output::describe_entity(&stored.entity))?;
                outln!(
                    "  {:<14} {}@{}{}",
                    "version",
                    stored.version.list,
                    stored.version.version,
                    if stored.version.active {
                        " (active)"
                    } else {
                        " (not active)"
                    }
                )?;
                if !also_listed.is_empty() {
                    outln!("  same party on other lists:")?;
                }
                for other in &also_listed {
                    outln!(
                        "    {:<28} {}  ({})",
                        other.entity_id,
                        output::printable(&other.name),
                        other.linked_by
                    )?;
                }
            }
            Ok(())
        }
    }
}
