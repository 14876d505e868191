//! `interdict scan` and `interdict eval scan`: documents scanned for mentions of listed
//! parties, each scan on record.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_app::ActiveLists;
use interdict_app::contract::{ScanRequest, ScanResponse};
use interdict_app::scan::{Scan, ScanLimits, record, scan_all};
use interdict_matching::{EvaluatedDocument, Label, Mention, Trap, evaluate_scan};
use interdict_store::Store;
use serde_json::Value;

use crate::args::ScanArgs;
use crate::audit::cli_actor;
use crate::output::outln;

/// Documents scanned and recorded together: bounded memory however long the input.
const BATCH_DOCUMENTS: usize = 256;

fn request(args: &ScanArgs, id: String, text: String) -> ScanRequest {
    ScanRequest {
        text,
        id: Some(id),
        threshold: args.threshold,
        limit: args.limit,
        lists: (!args.lists.is_empty()).then(|| args.lists.clone()),
    }
}

/// The documents the arguments name: files (`-` for stdin), or the lines of a JSONL file.
fn documents(args: &ScanArgs) -> Result<Vec<ScanRequest>> {
    let mut documents = Vec::new();
    if let Some(input) = &args.input {
        let reader = BufReader::new(
            File::open(input).with_context(|| format!("cannot read {}", input.display()))?,
        );
        for (i, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", input.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(&line)
                .with_context(|| format!("{}: line {} is not JSON", input.display(), i + 1))?;
            let text = value[&args.text_field].as_str().with_context(|| {
                format!(
                    "{}: line {} has no text field {:?}",
                    input.display(),
                    i + 1,
                    args.text_field
                )
            })?;
            let id = match &value[&args.id_field] {
                Value::String(id) => id.clone(),
                Value::Null => format!("line {}", i + 1),
                other => other.to_string(),
            };
            documents.push(request(args, id, text.to_owned()));
        }
        return Ok(documents);
    }
    for path in &args.files {
        let (id, text) = if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input as UTF-8 text")?;
            ("-".to_owned(), text)
        } else {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
            (path.display().to_string(), text)
        };
        documents.push(request(args, id, text));
    }
    Ok(documents)
}

fn print_human(out: &mut dyn Write, response: &ScanResponse) -> Result<()> {
    writeln!(
        out,
        "{}: {} mention(s)  (scan {})",
        response.id.as_deref().unwrap_or("-"),
        response.mentions.len(),
        response.scan_id
    )?;
    for m in &response.mentions {
        let kind = m.explanation["kind"].as_str().unwrap_or_default();
        writeln!(
            out,
            "  {:>6}..{:<6} {:.3} {:<16} {:<40} {:?} ({kind})",
            m.start, m.end, m.score, m.entity_id, m.listed_name, m.text
        )?;
    }
    Ok(())
}

/// `interdict scan`.
pub(crate) async fn run(store: &Store, args: &ScanArgs) -> Result<()> {
    if args.input.is_none() && args.files.is_empty() {
        bail!("give files to scan (or - for standard input), or --input docs.jsonl");
    }
    let documents = documents(args)?;
    let scans = documents
        .into_iter()
        .enumerate()
        .map(|(i, request)| {
            Scan::new(
                request,
                ScanLimits::default(),
                &format!("document {}: ", i + 1),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let active = ActiveLists::load(store).await?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let mut mentions = 0;
    for chunk in scans.chunks(BATCH_DOCUMENTS) {
        let results = scan_all(&active, chunk);
        for response in record(store, &cli_actor(), &active.versions, chunk, &results).await? {
            mentions += response.mentions.len();
            if args.json || args.output.is_some() {
                serde_json::to_writer(&mut out, &response)?;
                out.write_all(b"\n")?;
            } else {
                print_human(&mut out, &response)?;
            }
        }
    }
    out.flush()?;
    eprintln!("scanned {} document(s): {mentions} mention(s)", scans.len());
    Ok(())
}

fn csv_rows(path: &Path) -> Result<Vec<csv::StringRecord>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    reader
        .records()
        .enumerate()
        .map(|(i, r)| r.with_context(|| format!("{}: row {}", path.display(), i + 1)))
        .collect()
}

/// `interdict eval scan DIR`: recall per variant, clean texts with mentions, trap hits, on
/// `paragraphs.jsonl`, `labels.csv` and `traps.csv`, against the store's active lists (the
/// labels name OFAC SDN entities).
pub(crate) async fn run_eval(store: &Store, dir: &Path, json: bool) -> Result<()> {
    let text = std::fs::read_to_string(dir.join("paragraphs.jsonl"))
        .with_context(|| format!("cannot read {}/paragraphs.jsonl", dir.display()))?;
    let mut documents = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: Value = serde_json::from_str(line)
            .with_context(|| format!("paragraphs.jsonl: line {}", i + 1))?;
        let id = value["id"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value["id"].to_string());
        let text = value["text"]
            .as_str()
            .with_context(|| format!("paragraphs.jsonl: line {} has no text", i + 1))?;
        documents.push((id, text.to_owned()));
    }
    let field = |r: &csv::StringRecord, n: usize| r.get(n).unwrap_or_default().to_owned();
    let labels: Vec<Label> = csv_rows(&dir.join("labels.csv"))?
        .iter()
        .map(|r| Label {
            document: field(r, 0),
            mention_text: field(r, 1),
            source_id: field(r, 2),
            variant: field(r, 5),
        })
        .collect();
    let traps: Vec<Trap> = csv_rows(&dir.join("traps.csv"))?
        .iter()
        .map(|r| Trap {
            document: field(r, 0),
            text: field(r, 1),
            kind: field(r, 2),
        })
        .collect();
    let active = ActiveLists::load(store).await?;
    let scanner = active.scanner();
    let options = interdict_matching::ScanOptions::default();
    let texts: Vec<&str> = documents.iter().map(|(_, t)| t.as_str()).collect();
    let found: Vec<Vec<Mention>> = scanner.scan_batch(&texts, &options);
    let evaluated: Vec<EvaluatedDocument> = documents
        .into_iter()
        .zip(found)
        .map(|((id, text), mentions)| EvaluatedDocument { id, text, mentions })
        .collect();
    let report = evaluate_scan(&evaluated, &labels, &traps, "ofac-sdn");
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        crate::output::write_stdout(format_args!("{report}"))?;
    }
    Ok(())
}
