//! Command-line flags. Only this module knows clap; commands receive validated values.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// interdict: sanctions screening and enforcement engine.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// The store: a SQLite file path (embedded, the default) or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "INTERDICT_DB",
        default_value = "interdict.db"
    )]
    pub(crate) db: String,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show the lists and their versions, or import and diff them.
    Lists(ListsArgs),
    /// Show one listed entity with its provenance, e.g. `interdict entity ofac-sdn:36`.
    Entity {
        /// The entity id, `<list>:<source-id>`.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Screen one name (`--name`) or a CSV of names (`--input`) against the active lists.
    Screen(ScreenArgs),
    /// Score name pairs from a CSV with `name1,name2[,schema]` columns; adds `score` and `match`.
    Pairs {
        /// The CSV of pairs.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the scored CSV (default: stdout).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The match threshold (default: the engine's documented default).
        #[arg(long)]
        threshold: Option<f64>,
    },
    /// Evaluate the engine on labelled data.
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// Measure import, index build, pair scoring, query latency and bulk throughput on the
    /// shared data, and print the figures.
    Bench {
        /// The shared data directory (with lists/ and eval/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// How many customers to screen in bulk.
        #[arg(long, default_value_t = 50_000)]
        customers: usize,
    },
    /// Run the product on the bundled snapshot in a fresh embedded store.
    Demo {
        /// Where to put the demo store (replaced if present).
        #[arg(long, default_value = "interdict-demo.db")]
        demo_db: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum EvalCommand {
    /// Precision, recall and F1 on a CSV of `name1,name2,is_match[,schema]` pairs.
    Pairs {
        /// The labelled CSV.
        file: PathBuf,
        /// The match threshold (default: the engine's documented default).
        #[arg(long)]
        threshold: Option<f64>,
    },
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["name", "input"]))]
pub(crate) struct ScreenArgs {
    /// The name to screen, in any script.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// A CSV file of names to screen in bulk (one JSON line per row).
    #[arg(long)]
    pub(crate) input: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) query: QueryArgs,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// What qualifies a screening.
#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// Date of birth (YYYY-MM-DD, YYYY, "circa 1960", ...).
    #[arg(long)]
    pub(crate) dob: Option<String>,
    /// Country or nationality (ISO code or name).
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// person, organization, vessel, aircraft or any.
    #[arg(long)]
    pub(crate) schema: Option<String>,
    /// Minimum score of a match, in [0, 1].
    #[arg(long)]
    pub(crate) threshold: Option<f64>,
    /// At most this many matches per name.
    #[arg(long, default_value_t = 10)]
    pub(crate) limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

impl QueryArgs {
    /// The engine options these flags ask for.
    pub(crate) fn options(&self) -> interdict_matching::ScreenOptions {
        interdict_matching::ScreenOptions {
            threshold: self
                .threshold
                .unwrap_or(interdict_matching::DEFAULT_THRESHOLD),
            limit: self.limit,
        }
    }
}

/// Columns of a bulk screening CSV.
#[derive(Debug, Args)]
pub(crate) struct BatchArgs {
    /// The column holding the name.
    #[arg(long, default_value = "name")]
    pub(crate) name_column: String,
    /// The column holding the row's own id (echoed in the output).
    #[arg(long)]
    pub(crate) id_column: Option<String>,
    /// The column holding a date of birth.
    #[arg(long)]
    pub(crate) dob_column: Option<String>,
    /// The column holding a country or nationality.
    #[arg(long)]
    pub(crate) country_column: Option<String>,
    /// Where to write the JSON lines (default: stdout).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ListsArgs {
    #[command(subcommand)]
    pub(crate) command: Option<ListsCommand>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ListsCommand {
    /// Import list files; each PATH (a file, or a directory such as an OFAC CSV set or a
    /// FollowTheMoney export with deltas/) becomes a new version of its list.
    Import {
        /// Files or directories to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        source: SourceArgs,
        /// The publication date of the list (YYYY-MM-DD).
        #[arg(long)]
        published: Option<String>,
        /// Print one JSON object per imported list.
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions: each a version id (or unique prefix, or `list@prefix`) or a file.
    Diff {
        /// The older version or file.
        from: String,
        /// The newer version or file.
        to: String,
        #[command(flatten)]
        source: SourceArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// How to read list files.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct SourceArgs {
    /// The list format (detected from content when omitted): ofac-sdn-csv, ofac-sdn-xml,
    /// un-sc-xml, eu-fsf-xml, uk-ofsi-csv, us-csl-csv, ftm.
    #[arg(long)]
    pub(crate) format: Option<String>,
    /// The list id (defaults from the format, e.g. `ofac-sdn`).
    #[arg(long = "list")]
    pub(crate) list: Option<String>,
}
