//! `interdict`: the command-line binary. It only defines flags and wires the libraries
//! together: `interdict-sources` parses, `interdict-store` keeps versions,
//! `interdict-matching` screens.

mod args;
mod bench;
mod demo;
mod input;
mod lists;
mod output;
mod pairs;
mod screen;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use interdict_store::Store;

use crate::args::{Cli, Command, EvalCommand, ListsCommand};

fn main() -> ExitCode {
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
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo { demo_db } => demo::run(&demo_db).await,
        Command::Screen(args) => {
            let store = Store::open(&cli.db).await?;
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
        Command::Bench { data, customers } => {
            bench::run(&bench::BenchPlan { data, customers }).await
        }
        Command::Lists(lists_args) => {
            let store = Store::open(&cli.db).await?;
            match lists_args.command {
                None => lists::run_show(&store, lists_args.json).await,
                Some(ListsCommand::Import {
                    paths,
                    source,
                    published,
                    json,
                }) => lists::run_import(&store, &paths, &source, published.as_deref(), json).await,
                Some(ListsCommand::Diff {
                    from,
                    to,
                    source,
                    json,
                }) => lists::run_diff(&store, &from, &to, &source, json).await,
            }
        }
        Command::Entity { id, json } => {
            let store = Store::open(&cli.db).await?;
            let stored = store.entity(&id).await?;
            if json {
                let mut value = serde_json::to_value(&stored.entity)?;
                if let Some(object) = value.as_object_mut() {
                    object.insert(
                        "list_version".into(),
                        serde_json::to_value(&stored.version)?,
                    );
                }
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!("{}", output::describe_entity(&stored.entity));
                println!(
                    "  {:<14} {}@{}{}",
                    "version",
                    stored.version.list,
                    stored.version.version,
                    if stored.version.active {
                        " (active)"
                    } else {
                        " (not active)"
                    }
                );
            }
            Ok(())
        }
    }
}
