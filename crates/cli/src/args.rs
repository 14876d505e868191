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

    /// The audit key file that keys the audit chain (created with 0600 permissions if
    /// missing). Default for a SQLite store: `<db>.audit-key`; required for a postgres://
    /// store, the same file on every replica.
    #[arg(long, global = true, env = "INTERDICT_AUDIT_KEY_FILE")]
    pub(crate) audit_key_file: Option<PathBuf>,

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
    /// Show whether an entity is blocked through its owners (OFAC 50% rule, EU and UK
    /// ownership and control), with the paths from blocked owners, e.g.
    /// `interdict ownership registry:volga-media`.
    Ownership {
        /// The entity id, `<list>:<source-id>`.
        id: String,
        /// The screening date (YYYY-MM-DD; default today): relations ended before it or
        /// starting after it are left out.
        #[arg(long)]
        date: Option<String>,
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
    /// Run the HTTP service (JSON API, OpenAPI at /openapi.json, Swagger UI at /docs).
    Serve(ServeArgs),
    /// Create, list and revoke API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Dataset collections of yente's API (`/match/{dataset}`): set, list, remove.
    Datasets {
        #[command(subcommand)]
        command: DatasetsCommand,
    },
    /// Verify, replay and export the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The customer portfolio that monitoring screens: import a CSV, remove customers.
    Portfolio {
        #[command(subcommand)]
        command: PortfolioCommand,
    },
    /// Continuous monitoring: screen what changed since the last run.
    Monitor {
        #[command(subcommand)]
        command: MonitorCommand,
    },
    /// Review monitoring alerts: list, show, decide (four-eyes), approve, reject.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Webhook subscriptions to alert events, and their delivery.
    Webhooks {
        #[command(subcommand)]
        command: WebhooksCommand,
    },
    /// Find listed parties in documents: plain-text files (`-` for stdin) or a JSONL file of
    /// documents; each scan is recorded in the audit trail.
    Scan(ScanArgs),
    /// Screen payment messages (ISO 20022 pacs.008/pacs.009/pain.001, SWIFT MT103/MT202)
    /// field by field against the active lists.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
    /// Run the product on the bundled snapshot in a fresh embedded store.
    Demo {
        /// Where to put the demo store (replaced if present).
        #[arg(long, default_value = "interdict-demo.db")]
        demo_db: PathBuf,
    },
}

/// `interdict scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Plain-text UTF-8 files to scan; `-` reads standard input.
    pub(crate) files: Vec<PathBuf>,
    /// A JSON-lines file of documents instead.
    #[arg(long, conflicts_with = "files")]
    pub(crate) input: Option<PathBuf>,
    /// The field of each JSON line holding the text.
    #[arg(long, default_value = "text")]
    pub(crate) text_field: String,
    /// The field of each JSON line holding the document id.
    #[arg(long, default_value = "id")]
    pub(crate) id_field: String,
    /// Minimum score of a mention, in [0, 1].
    #[arg(long)]
    pub(crate) threshold: Option<f64>,
    /// Most mentions per document.
    #[arg(long)]
    pub(crate) limit: Option<usize>,
    /// Only these lists (repeatable), e.g. `--list ofac-sdn`.
    #[arg(long = "list")]
    pub(crate) lists: Vec<String>,
    /// Print one JSON object per document.
    #[arg(long)]
    pub(crate) json: bool,
    /// Write the JSON lines to this file instead.
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PaymentsCommand {
    /// Screen message files (a file, a directory of files, or `-` for stdin); each screened
    /// message is recorded in the audit trail.
    Screen {
        /// Message files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Minimum score of a name match, in [0, 1].
        #[arg(long)]
        threshold: Option<f64>,
        /// Print one JSON object per message.
        #[arg(long)]
        json: bool,
        /// Write the JSON lines to this file instead.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Open an alert for each message and listed entity (or jurisdiction rule) hit, for
        /// review with `interdict alerts`; screening the same message again opens none.
        #[arg(long)]
        alerts: bool,
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
    /// Recall per variant, clean texts with mentions and trap hits on a free-text
    /// evaluation directory (`paragraphs.jsonl`, `labels.csv`, `traps.csv`), against the
    /// store's active lists.
    Scan {
        /// The directory.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Recall per kind and stopped clean messages on a payments evaluation directory
    /// (`messages/`, `labels.csv`, `manifest.csv`), against the store's active lists.
    Payments {
        /// The directory.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
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
    /// The column holding the kind of party (person, organization, vessel, aircraft; empty
    /// for any), which overrides --schema on the rows that give one.
    #[arg(long)]
    pub(crate) schema_column: Option<String>,
    /// Where to write the JSON lines (default: stdout).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rejects: RejectArgs,
}

/// What a batch does with the rows it cannot read or use.
#[derive(Debug, Args)]
pub(crate) struct RejectArgs {
    /// Write the rejected rows, as read and under the header, to this file, so that they
    /// can be fixed and run again.
    #[arg(long)]
    pub(crate) rejects: Option<PathBuf>,
    /// Exit 0 even when rows were rejected (by default a batch with rejected rows fails
    /// after finishing the others).
    #[arg(long)]
    pub(crate) allow_rejects: bool,
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
        /// Activate the new version even if it was published before the active one.
        #[arg(long)]
        activate: bool,
        /// Activate the new version even if it removes more than 10% of the active
        /// version's entities.
        #[arg(long)]
        allow_shrink: bool,
        /// Print one JSON object per imported list.
        #[arg(long)]
        json: bool,
    },
    /// Make a stored version the list's active one (roll back or forward), on record.
    Activate {
        /// The list id, e.g. ofac-sdn.
        list: String,
        /// The version: id, unique prefix (4+ hex digits) or `list@prefix`.
        // Its own id: `version` is the id of the global `--version` flag, and clap refuses
        // two arguments with one id (debug builds panic on every `lists activate`).
        #[arg(id = "list_version", value_name = "VERSION")]
        version: String,
        /// Print the version as JSON.
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
    /// Write a version of a list out (FollowTheMoney JSON lines, one entity per line, the
    /// interdict id as referent); `lists import` of the output gives the same version.
    // `--version` names the list version here, so the propagated `--version` flag is off.
    #[command(disable_version_flag = true)]
    Export {
        /// The list id, e.g. ofac-sdn.
        list: String,
        /// The version (id, unique prefix or `list@prefix`); the active one by default.
        #[arg(id = "export_version", long = "version", value_name = "VERSION")]
        version: Option<String>,
        /// The output format: ftm.
        #[arg(long, default_value = "ftm")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// How to read list files.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct SourceArgs {
    /// The list format (detected from content when omitted): ofac-sdn-csv, ofac-sdn-xml,
    /// un-sc-xml, eu-fsf-xml, uk-ofsi-csv, uk-sanctions-list-xml, uk-sanctions-list-csv, us-csl-csv, ftm.
    #[arg(long)]
    pub(crate) format: Option<String>,
    /// The list id (defaults from the format, e.g. `ofac-sdn`).
    #[arg(long = "list")]
    pub(crate) list: Option<String>,
}

impl SourceArgs {
    /// The format asked for, if any.
    pub(crate) fn format(&self) -> anyhow::Result<Option<interdict_sources::Format>> {
        Ok(self
            .format
            .as_deref()
            .map(str::parse::<interdict_sources::Format>)
            .transpose()?)
    }
}

/// `interdict serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) listen: std::net::SocketAddr,
    /// Serve without API keys, every caller an admin: for demos only, and only on loopback.
    #[arg(long)]
    pub(crate) insecure_no_auth: bool,
    /// Requests per second allowed per API key, e.g. `50/s` (default: unlimited).
    #[arg(long, value_parser = parse_rate)]
    pub(crate) rate_limit: Option<u32>,
    /// Seconds between polls of the active list versions (imports made through other
    /// replicas become active within about this long).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) poll_interval: f64,
    /// Seconds a successful API key check is trusted before the store is asked again (a key
    /// revoked through another replica is refused within this long; 0: ask every time).
    #[arg(long, default_value_t = 2.0)]
    pub(crate) key_cache_ttl: f64,
    /// Threads that screen (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub(crate) screening_threads: usize,
    /// Also deliver webhook events from the outbox while serving, as `webhooks deliver
    /// --watch` would (any number of replicas may: deliveries are claimed with a lease).
    #[arg(long)]
    pub(crate) deliver_webhooks: bool,
    /// Most requests in one batch.
    #[arg(long, default_value_t = 1000)]
    pub(crate) max_batch: usize,
    /// Seconds a request may take (imports excepted).
    #[arg(long, default_value_t = 30.0)]
    pub(crate) request_timeout: f64,
    /// Most matches one batch may ask for in all (the sum of its requests' limits).
    #[arg(long, default_value_t = 10_000)]
    pub(crate) max_batch_matches: usize,
    /// Most connections served at once; more are answered 503. Keep `ulimit -n` above it.
    #[arg(long, default_value_t = 1000)]
    pub(crate) max_connections: usize,
    /// Seconds a client may take to send a request's head, or a JSON body, before it is
    /// answered 408 (an idle kept-alive connection is closed after the same time).
    #[arg(long, default_value_t = 10.0)]
    pub(crate) read_timeout: f64,
    /// Run delta monitoring after each import or activation made through this service.
    #[arg(long)]
    pub(crate) monitor_after_import: bool,
    /// Run delta monitoring this often, e.g. `15m`, `1h`, `90s`.
    #[arg(long, value_parser = parse_duration)]
    pub(crate) monitor_every: Option<std::time::Duration>,
    /// Write a signed checkpoint of the audit chain's head to this directory whenever it
    /// moved, every `--checkpoint-every`.
    #[arg(long)]
    pub(crate) checkpoint_dir: Option<PathBuf>,
    /// How often `--checkpoint-dir` gets a checkpoint, e.g. `5m`.
    #[arg(long, value_parser = parse_duration, default_value = "5m")]
    pub(crate) checkpoint_every: std::time::Duration,
}

/// Parses `90s`, `15m`, `1h` (a bare number is seconds).
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && seconds > 0 => Ok(std::time::Duration::from_secs(n * seconds)),
        _ => Err(format!("{text:?} is not a duration such as 90s, 15m or 1h")),
    }
}

/// Parses `N/s` or `N`.
fn parse_rate(text: &str) -> Result<u32, String> {
    let number = text.trim().trim_end_matches("/s");
    match number.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{text:?} is not a rate such as 50/s")),
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Create a key; it is printed once and cannot be shown again.
    Create {
        /// screener, analyst, reviewer or admin.
        #[arg(long)]
        role: String,
        /// What the key is for.
        #[arg(long, default_value = "")]
        name: String,
        /// Print `{"id", "key"}` as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List keys (never their secrets).
    List {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key for good.
    Revoke {
        /// The key id.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DatasetsCommand {
    /// Create or replace a collection: `/match/NAME` then screens against these lists.
    Set {
        /// The collection's name (lowercase letters, digits, '-' and '_').
        name: String,
        /// The list ids, comma-separated (each imported), e.g. `ofac-sdn,un-sc`.
        #[arg(long, value_delimiter = ',', required = true)]
        lists: Vec<String>,
        /// A title for people (the name when not given).
        #[arg(long)]
        title: Option<String>,
    },
    /// List the collections.
    List {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Remove a collection.
    Remove {
        /// The collection's name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// Walk the whole chain; fails naming the first bad record (edited, inserted, deleted,
    /// reordered, rehashed without the audit key, or a wiped trail).
    Verify {
        /// A signed checkpoint (from `audit checkpoint` or `serve --checkpoint-dir`) the chain
        /// must still reach with the hash it signed: catches a tail cut after it. Repeatable.
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign the chain's head (Ed25519, key derived from the audit key) and write the
    /// checkpoint `{seq, hash, time, signature, public_key}`; keep it outside the database.
    Checkpoint {
        /// Where to write it (refuses to replace a file); default: stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Re-run a recorded screening against its recorded list versions; fails unless the
    /// result is identical.
    Replay {
        /// The screening id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the records appended in [from, to) as JSON lines.
    Export {
        /// Start (RFC 3339 time or YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: String,
        /// End (RFC 3339 time or YYYY-MM-DD), exclusive.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PortfolioCommand {
    /// Add or update customers from a CSV with a header row. A row whose date of birth,
    /// country or schema does not parse is imported without it (and says so); a row that
    /// cannot be read, or has no id or usable name, is rejected with its row and reason.
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        columns: PortfolioColumns,
        #[command(flatten)]
        rejects: RejectArgs,
        /// Print `{"new", "changed", "unchanged", "partial": [{"row", "ignored"}], "invalid":
        /// [{"row", "error"}], "summary"}`.
        #[arg(long)]
        json: bool,
    },
    /// Remove customers (their open alerts close with reason `customer_removed`).
    Remove {
        /// Customer ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Columns of a portfolio CSV.
#[derive(Debug, Args)]
pub(crate) struct PortfolioColumns {
    /// The column holding the customer id.
    #[arg(long)]
    pub(crate) id_column: String,
    /// The column holding the name.
    #[arg(long)]
    pub(crate) name_column: String,
    /// The column holding a date of birth.
    #[arg(long)]
    pub(crate) dob_column: Option<String>,
    /// The column holding countries (ISO codes or names, `;`-separated).
    #[arg(long)]
    pub(crate) country_column: Option<String>,
    /// The column holding the kind of party (person, organization, vessel, ...).
    #[arg(long)]
    pub(crate) schema_column: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MonitorCommand {
    /// Screen new and changed customers against the active lists, and the entities added
    /// or changed since the last run against the whole portfolio; close alerts of delisted
    /// entities.
    Run {
        /// Re-screen every customer against the whole of the active lists.
        #[arg(long)]
        full: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AlertsCommand {
    /// List alerts, oldest first.
    List {
        /// open, escalated, true-match, false-positive, closed, or pending (a decision waits
        /// for approval).
        #[arg(long)]
        status: Option<String>,
        /// Only this customer's alerts.
        #[arg(long)]
        customer: Option<String>,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Show an alert with its explanation, history and any previous decision.
    Show {
        /// The alert id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Propose a decision (true-match, false-positive), which another user must approve, or
    /// escalate.
    Decide {
        /// The alert id.
        id: String,
        /// true-match, false-positive or escalate.
        #[arg(long)]
        decision: String,
        /// Who decides.
        #[arg(long)]
        by: String,
        /// Why.
        #[arg(long)]
        note: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve the decision waiting on an alert (not your own).
    Approve {
        /// The alert id.
        id: String,
        /// Who approves.
        #[arg(long)]
        by: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reject the decision waiting on an alert (not your own); the alert stays as it was.
    Reject {
        /// The alert id.
        id: String,
        /// Who rejects.
        #[arg(long)]
        by: String,
        /// Why.
        #[arg(long)]
        note: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum WebhooksCommand {
    /// Subscribe a URL to alert events (new alerts, decisions), signed with a shared secret.
    Add {
        /// Where to POST events (http:// or https://).
        url: String,
        /// The shared secret for the `X-Interdict-Signature` HMAC.
        #[arg(long, env = "INTERDICT_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List subscriptions with their delivery counts (never their secrets).
    List {
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Remove a subscription and its undelivered events.
    Remove {
        /// The subscription id.
        id: String,
    },
    /// Send the events that are due, once each (failures are retried later with backoff).
    Deliver {
        /// Keep delivering until interrupted.
        #[arg(long)]
        watch: bool,
        /// Seconds before the second attempt of a failed delivery (doubling after each
        /// further failure, up to an hour).
        #[arg(long, default_value_t = 10.0)]
        backoff: f64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
