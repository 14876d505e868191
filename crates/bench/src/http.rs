//! `interdict-bench http`: load a running service with concurrent screenings (names, payment
//! messages or articles, `--endpoint`) and report throughput, latency percentiles and errors;
//! optionally import a list through the service half-way through and report that no request
//! failed while the index was swapped. With `--yente-batch N`, each name request is yente's
//! `POST /match/default` with N FtM queries.
//! A benchmark, not a test: it prints figures. It only talks to loopback addresses.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use reqwest::Url;
use serde_json::{Value, json};

use crate::{Endpoint, HttpBenchArgs};

/// The size an article for `POST /v1/scan` is made up to.
const ARTICLE_BYTES: usize = 5_000;

/// One request body with its content type.
#[derive(Clone)]
struct Body {
    bytes: Bytes,
    content_type: &'static str,
}

/// Distinct error messages shown.
const ERRORS_SHOWN: usize = 5;

/// How long one screening may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// One request's outcome.
struct Sample {
    /// When it completed, since the start of the run.
    done: Duration,
    latency: Duration,
    /// The `list_versions` object of a successful answer; the error otherwise.
    outcome: Result<String, String>,
}

/// What the import half-way through did.
struct ImportRun {
    started: Duration,
    finished: Duration,
    status: u16,
    answer: Value,
}

fn check_loopback(url: &Url) -> Result<()> {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("{url}: the benchmark only loads services on loopback (127.0.0.1, ::1, localhost)");
    }
    Ok(())
}

/// yente `/match` bodies of `batch` FtM `Person` queries each, from `/v1/screen` bodies.
fn yente_bodies(screen_bodies: &[Bytes], batch: usize) -> Result<Vec<Bytes>> {
    let mut bodies = Vec::new();
    for chunk in screen_bodies.chunks(batch) {
        let mut queries = serde_json::Map::new();
        for (i, body) in chunk.iter().enumerate() {
            let request: Value = serde_json::from_slice(body)?;
            let mut properties = json!({ "name": [request["name"]] });
            if let Some(dob) = request.get("dob") {
                properties["birthDate"] = json!([dob]);
            }
            if let Some(country) = request.get("country") {
                properties["nationality"] = json!([country]);
            }
            queries.insert(
                format!("q{i}"),
                json!({ "schema": "Person", "properties": properties }),
            );
        }
        bodies.push(Bytes::from(json!({ "queries": queries }).to_string()));
    }
    Ok(bodies)
}

/// The request bodies of `args.endpoint`, with the path they are posted to.
fn request_bodies(args: &HttpBenchArgs) -> Result<(Vec<Body>, &'static str)> {
    let json = |bytes: Bytes| Body {
        bytes,
        content_type: "application/json",
    };
    Ok(match args.endpoint {
        Endpoint::Screen => match args.yente_batch {
            Some(batch) => (
                yente_bodies(&name_bodies(&args.names)?, usize::from(batch))?
                    .into_iter()
                    .map(json)
                    .collect(),
                "/match/default",
            ),
            None => (
                name_bodies(&args.names)?.into_iter().map(json).collect(),
                "/v1/screen",
            ),
        },
        Endpoint::Payment => (message_bodies(&args.messages)?, "/v1/screen/payment"),
        Endpoint::Scan => (
            article_bodies(&args.paragraphs)?
                .into_iter()
                .map(json)
                .collect(),
            "/v1/scan",
        ),
    })
}

/// One body per message file of `dir`, as sent: XML as `application/xml`, MT as text.
fn message_bodies(dir: &Path) -> Result<Vec<Body>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut bodies = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let xml = bytes.trim_ascii_start().starts_with(b"<");
        bodies.push(Body {
            bytes: Bytes::from(bytes),
            content_type: if xml { "application/xml" } else { "text/plain" },
        });
    }
    if bodies.is_empty() {
        bail!("{}: no messages", dir.display());
    }
    Ok(bodies)
}

/// `{"text"}` bodies of news-style articles of about 5 KB, each made of consecutive
/// paragraphs of `path` (JSON lines with `text`), every paragraph used once per round.
fn article_bodies(path: &Path) -> Result<Vec<Bytes>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let paragraphs: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let value: Value =
                serde_json::from_str(l).with_context(|| format!("{}: {l}", path.display()))?;
            Ok(value["text"].as_str().unwrap_or_default().to_owned())
        })
        .collect::<Result<_>>()?;
    let mut articles = Vec::new();
    let mut article = String::new();
    for paragraph in &paragraphs {
        if !article.is_empty() {
            article.push_str("\n\n");
        }
        article.push_str(paragraph);
        if article.len() >= ARTICLE_BYTES {
            articles.push(Bytes::from(json!({ "text": article }).to_string()));
            article.clear();
        }
    }
    if articles.is_empty() {
        bail!("{}: not {ARTICLE_BYTES} bytes of text", path.display());
    }
    Ok(articles)
}

/// Request bodies from a CSV of customers (full_name, date_of_birth, nationality).
fn name_bodies(path: &Path) -> Result<Vec<Bytes>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let name = column("full_name")
        .or_else(|| column("name"))
        .with_context(|| format!("{}: no full_name or name column", path.display()))?;
    let (dob, country) = (column("date_of_birth"), column("nationality"));
    let mut bodies = Vec::new();
    for record in reader.records() {
        let record = record?;
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
        let mut body = json!({ "name": record.get(name).unwrap_or_default() });
        if let Some(dob) = field(dob) {
            body["dob"] = json!(dob);
        }
        if let Some(country) = field(country) {
            body["country"] = json!(country);
        }
        bodies.push(Bytes::from(body.to_string()));
    }
    if bodies.is_empty() {
        bail!("{}: no names", path.display());
    }
    Ok(bodies)
}

/// The `list_versions` object of an answer, found without parsing the whole answer.
fn list_versions(answer: &str) -> String {
    answer
        .find("\"list_versions\":")
        .and_then(|start| {
            let rest = &answer[start..];
            rest.find('}').map(|end| rest[..=end].to_owned())
        })
        .unwrap_or_default()
}

/// One endpoint of one service (`POST /v1/screen` and the others), over keep-alive HTTP/1.1 connections driven by hyper
/// directly: the load generator shares the cores with the service, and each microsecond it
/// spends per request is one the service does not get (a general-purpose client spent about
/// twice as much).
struct ScreenTarget {
    address: std::net::SocketAddr,
    host: HeaderValue,
    authorization: HeaderValue,
    path: String,
}

impl ScreenTarget {
    fn new(base: &Url, key: &str, path: &str) -> Result<ScreenTarget> {
        let address = base
            .socket_addrs(|| None)?
            .into_iter()
            .next()
            .with_context(|| format!("{base}: no address"))?;
        let host = base.host_str().unwrap_or_default();
        let host = match base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(ScreenTarget {
            address,
            host: HeaderValue::from_str(&host)?,
            authorization: HeaderValue::from_str(&format!("Bearer {key}"))
                .context("the key cannot be sent in a header")?,
            path: base.join(path)?.path().to_owned(),
        })
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let stream = tokio::net::TcpStream::connect(self.address)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", self.address))?;
        stream
            .set_nodelay(true)
            .map_err(|e| format!("cannot set TCP_NODELAY: {e}"))?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake failed: {e}"))?;
        tokio::spawn(async move {
            // Its end is seen by the sender: the next request reconnects.
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// Screens `body` on `connection`, (re)connecting first when there is none; the
    /// `list_versions` of the answer, or what went wrong.
    async fn screen(
        &self,
        connection: &mut Option<SendRequest<Full<Bytes>>>,
        body: Body,
    ) -> Result<String, String> {
        let sender = match connection {
            Some(sender) if !sender.is_closed() => sender,
            _ => connection.insert(self.connect().await?),
        };
        let outcome = self.send(sender, body).await;
        if outcome.is_err() {
            *connection = None;
        }
        outcome?
    }

    /// The answer's `list_versions` or HTTP error (the inner result), or a transport error
    /// after which the connection is dropped (the outer one).
    async fn send(
        &self,
        sender: &mut SendRequest<Full<Bytes>>,
        body: Body,
    ) -> Result<Result<String, String>, String> {
        sender
            .ready()
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        let request = hyper::Request::post(self.path.as_str())
            .header(HOST, self.host.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, body.content_type)
            .body(Full::new(body.bytes))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        let answer = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("HTTP {status}: unreadable body: {e}"))?
            .to_bytes();
        let text = String::from_utf8_lossy(&answer);
        Ok(if status.is_success() {
            Ok(list_versions(&text))
        } else {
            Err(format!("HTTP {status}: {text}"))
        })
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

pub(crate) async fn run(args: &HttpBenchArgs) -> Result<()> {
    let base = Url::parse(&args.url).with_context(|| format!("{:?} is not a URL", args.url))?;
    check_loopback(&base)?;
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    let (bodies, path) = request_bodies(args)?;
    let bodies = Arc::new(bodies);
    // For the readiness check and the import; the screenings go through `ScreenTarget`.
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let ready = client.get(base.join("/readyz")?).send().await?;
    if !ready.status().is_success() {
        bail!(
            "{base} is not ready: {}",
            ready.text().await.unwrap_or_default()
        );
    }

    let target = Arc::new(ScreenTarget::new(&base, &args.key, path)?);
    let started = Instant::now();
    let deadline = started + args.duration;
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::with_capacity(args.concurrency);
    for _ in 0..args.concurrency {
        let (target, bodies, next) = (target.clone(), bodies.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut connection = None;
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let body = bodies[i % bodies.len()].clone();
                let sent = Instant::now();
                let outcome = match tokio::time::timeout(
                    REQUEST_TIMEOUT,
                    target.screen(&mut connection, body),
                )
                .await
                {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        connection = None;
                        Err(format!("no answer within {} s", REQUEST_TIMEOUT.as_secs()))
                    }
                };
                samples.push(Sample {
                    done: started.elapsed(),
                    latency: sent.elapsed(),
                    outcome,
                });
            }
            samples
        }));
    }
    let import = match &args.import_during {
        None => None,
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let mut url = base.join("/v1/lists/import")?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            url.query_pairs_mut().append_pair("filename", &name);
            let (client, key, half) = (client.clone(), args.key.clone(), args.duration / 2);
            Some(tokio::spawn(async move {
                tokio::time::sleep(half).await;
                let begun = started.elapsed();
                let response = client.post(url).bearer_auth(&key).body(bytes).send().await;
                let finished = started.elapsed();
                match response {
                    Err(e) => ImportRun {
                        started: begun,
                        finished,
                        status: 0,
                        answer: json!({ "error": e.to_string() }),
                    },
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let text = response.text().await.unwrap_or_default();
                        ImportRun {
                            started: begun,
                            finished,
                            status,
                            answer: serde_json::from_str(&text).unwrap_or(Value::String(text)),
                        }
                    }
                }
            }))
        }
    };

    let mut samples = Vec::new();
    for worker in workers {
        samples.extend(worker.await?);
    }
    let elapsed = started.elapsed();
    let import = match import {
        Some(task) => Some(task.await?),
        None => None,
    };
    report(args, &samples, elapsed, import.as_ref())
}

/// Throughput over `elapsed` and the latency percentiles of `samples`, in milliseconds.
fn latency_figures(samples: &[&Sample], elapsed: Duration) -> (f64, Value) {
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    latencies.sort_unstable();
    let throughput = samples.len() as f64 / elapsed.as_secs_f64().max(1e-9);
    let figures = json!({
        "p50": millis(percentile(&latencies, 0.50)),
        "p90": millis(percentile(&latencies, 0.90)),
        "p99": millis(percentile(&latencies, 0.99)),
        "max": millis(latencies.last().copied().unwrap_or_default()),
    });
    (throughput, figures)
}

/// The figures of each `interval` of the run, by when requests completed; none for a zero
/// interval.
fn windows(samples: &[&Sample], elapsed: Duration, interval: Duration) -> Vec<Value> {
    if interval.is_zero() {
        return Vec::new();
    }
    let count = elapsed.as_nanos().div_ceil(interval.as_nanos()).max(1);
    let mut buckets: Vec<Vec<&Sample>> = (0..count).map(|_| Vec::new()).collect();
    for sample in samples {
        // A request that completed at the very end belongs to the last window.
        let bucket = (sample.done.as_nanos() / interval.as_nanos()).min(count - 1);
        buckets[bucket as usize].push(sample);
    }
    let tenths = |d: Duration| (d.as_secs_f64() * 10.0).round() / 10.0;
    buckets
        .iter()
        .enumerate()
        .map(|(i, inside)| {
            let from = interval * i as u32;
            let to = (from + interval).min(elapsed);
            let (throughput, latency_ms) = latency_figures(inside, to.saturating_sub(from));
            json!({
                "from_s": tenths(from),
                "to_s": tenths(to),
                "requests": inside.len(),
                "throughput_per_second": (throughput * 10.0).round() / 10.0,
                "latency_ms": latency_ms,
            })
        })
        .collect()
}

fn report(
    args: &HttpBenchArgs,
    samples: &[Sample],
    elapsed: Duration,
    import: Option<&ImportRun>,
) -> Result<()> {
    let ok: Vec<&Sample> = samples.iter().filter(|s| s.outcome.is_ok()).collect();
    let errors: Vec<&String> = samples
        .iter()
        .filter_map(|s| s.outcome.as_ref().err())
        .collect();
    let (throughput, latency_ms) = latency_figures(&ok, elapsed);
    let windows = windows(&ok, elapsed, args.interval);
    let queries_per_request = args.yente_batch.map_or(1, usize::from);
    let mut versions: BTreeMap<&str, usize> = BTreeMap::new();
    for sample in &ok {
        if let Ok(v) = &sample.outcome {
            *versions.entry(v.as_str()).or_default() += 1;
        }
    }
    // Requests that completed while the import was running (and could have seen the swap).
    let during = import.map(|run| {
        let window: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.done >= run.started && s.done <= run.finished)
            .collect();
        let failed = window.iter().filter(|s| s.outcome.is_err()).count();
        (window.len(), failed)
    });
    let figures = json!({
        "url": args.url,
        "endpoint": format!("{:?}", args.endpoint).to_lowercase(),
        "concurrency": args.concurrency,
        "seconds": elapsed.as_secs_f64(),
        "requests": samples.len(),
        "ok": ok.len(),
        "errors": errors.len(),
        "throughput_per_second": (throughput * 10.0).round() / 10.0,
        "queries_per_request": queries_per_request,
        "queries_per_second": (throughput * queries_per_request as f64 * 10.0).round() / 10.0,
        "latency_ms": latency_ms,
        "windows": windows,
        "list_versions_served": versions,
        "import": import.map(|run| json!({
            "status": run.status,
            "seconds": (run.finished - run.started).as_secs_f64(),
            "answer": run.answer,
            "requests_during_import": during.map_or(0, |d| d.0),
            "errors_during_import": during.map_or(0, |d| d.1),
        })),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "interdict bench http on {} ({:?}, {} in flight, {:.1} s)",
            args.url,
            args.endpoint,
            args.concurrency,
            elapsed.as_secs_f64()
        );
        println!(
            "{:<34} {} ({} ok, {} errors)",
            "requests",
            samples.len(),
            ok.len(),
            errors.len()
        );
        if queries_per_request > 1 {
            println!(
                "{:<34} {throughput:.1} requests/s of {queries_per_request} queries: {:.0} queries/s",
                "throughput",
                throughput * queries_per_request as f64
            );
        } else {
            println!("{:<34} {throughput:.0} requests/s", "throughput");
        }
        println!(
            "{:<34} {} ms / {} ms / {} ms / {} ms",
            "latency p50 / p90 / p99 / max",
            figures["latency_ms"]["p50"],
            figures["latency_ms"]["p90"],
            figures["latency_ms"]["p99"],
            figures["latency_ms"]["max"]
        );
        for window in &windows {
            println!(
                "{:<34} {:.0} requests/s, p50 {} ms, p99 {} ms",
                format!("  {} s to {} s", window["from_s"], window["to_s"]),
                window["throughput_per_second"].as_f64().unwrap_or_default(),
                window["latency_ms"]["p50"],
                window["latency_ms"]["p99"]
            );
        }
        // yente's answers carry no list versions.
        for (version, count) in versions.iter().filter(|(v, _)| !v.is_empty()) {
            println!("{:<34} {count} answers with {version}", "served");
        }
        if let (Some(run), Some((requests, failed))) = (import, during) {
            println!(
                "{:<34} HTTP {} in {:.2} s: {}",
                "import half-way through",
                run.status,
                (run.finished - run.started).as_secs_f64(),
                run.answer
            );
            println!(
                "{:<34} {requests} requests completed, {failed} errors",
                "while importing"
            );
        }
    }
    let mut distinct: Vec<&String> = errors.clone();
    distinct.sort();
    distinct.dedup();
    for error in distinct.iter().take(ERRORS_SHOWN) {
        eprintln!("error: {error}");
    }
    if !errors.is_empty() {
        bail!("{} of {} requests failed", errors.len(), samples.len());
    }
    if let Some(run) = import
        && run.status != 200
    {
        bail!("the import failed with HTTP {}: {}", run.status, run.answer);
    }
    Ok(())
}
