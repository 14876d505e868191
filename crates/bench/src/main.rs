//! `interdict-bench`: the performance figures the README reports. Benchmarks, not tests:
//! they print numbers and assert nothing about time. `interdict-bench` measures the engine
//! on the shared data; `interdict-bench http` loads a running service (loopback only).
//! Kept out of the product binary, which links no HTTP client beyond what webhooks need.

mod engine;
mod http;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The same allocator as the product binary, so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// interdict's benchmarks.
#[derive(Debug, Parser)]
#[command(
    name = "interdict-bench",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<BenchCommand>,
    /// The shared data directory (with lists/ and eval/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// How many customers to screen in bulk.
    #[arg(long, default_value_t = 50_000)]
    customers: usize,
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Load a running service (loopback only) and report throughput, latency and errors.
    Http(HttpBenchArgs),
}

/// `interdict bench http`.
#[derive(Debug, Args)]
pub(crate) struct HttpBenchArgs {
    /// The service, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    pub(crate) url: String,
    /// An API key (an admin key with --import-during).
    #[arg(long, env = "INTERDICT_KEY")]
    pub(crate) key: String,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    pub(crate) concurrency: usize,
    /// How long to run, e.g. 20s, 1m, 500ms.
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    pub(crate) duration: std::time::Duration,
    /// Also report throughput and latency for each window of this length (e.g. 5s), to see
    /// warm-up, an import half-way through, or a slowdown; 0 for the whole run only.
    #[arg(long, default_value = "0s", value_parser = parse_duration)]
    pub(crate) interval: std::time::Duration,
    /// A list file to import through the service half-way through the run.
    #[arg(long)]
    pub(crate) import_during: Option<PathBuf>,
    /// What to load: `screen` (one name per request), `payment` (one message per request,
    /// as sent) or `scan` (one 5 KB news-style article per request).
    #[arg(long, value_enum, default_value_t = Endpoint::Screen)]
    pub(crate) endpoint: Endpoint,
    /// The CSV of names to screen (columns full_name, date_of_birth, nationality).
    #[arg(long, default_value = "../shared/data/eval/customers_us_50k.csv")]
    pub(crate) names: PathBuf,
    /// Send yente's `POST /match/default` with this many FtM queries per request (1 to 100)
    /// instead of `POST /v1/screen`; throughput is then also reported in queries per second.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub(crate) yente_batch: Option<u16>,
    /// The payment messages to send with `--endpoint payment` (a directory of files).
    #[arg(long, default_value = "../shared/data/eval/payments_dev/messages")]
    pub(crate) messages: PathBuf,
    /// The paragraphs (JSON lines with `text`) joined into 5 KB articles for `--endpoint scan`.
    #[arg(
        long,
        default_value = "../shared/data/eval/freetext_dev/paragraphs.jsonl"
    )]
    pub(crate) paragraphs: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// The endpoint `interdict-bench http` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Endpoint {
    /// `POST /v1/screen`, one name per request.
    Screen,
    /// `POST /v1/screen/payment`, one message per request.
    Payment,
    /// `POST /v1/scan`, one article per request.
    Scan,
}

/// Parses `20s`, `1m`, `500ms` or plain seconds.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 20s"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("{text:?}: the unit is ms, s or m")),
    };
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

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
    let outcome = runtime.block_on(async {
        match cli.command {
            Some(BenchCommand::Http(args)) => http::run(&args).await,
            None => {
                engine::run(&engine::BenchPlan {
                    data: cli.data,
                    customers: cli.customers,
                })
                .await
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
