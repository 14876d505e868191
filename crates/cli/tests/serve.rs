//! `interdict serve`, `keys` and `audit` end to end: real `interdict` processes on real list
//! files. Two replicas on one Postgres database: an import through one becomes active on the
//! other, and concurrent screenings through both leave one valid audit chain. On SQLite: the
//! service answers in the shape of `screen --json`, command-line screenings are recorded and
//! replay identically, keys are managed, and the audit trail is exported. What the engine
//! cannot honour is refused before it is recorded; monitoring run over HTTP raises what the
//! command line raises; an alert is one object in `alerts show --json`, the API and webhooks,
//! and an entity one in `entity --json` and the API.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod binary;

use binary::{interdict, shared, stdout_of_success};

#[path = "../../store/tests/common/mod.rs"]
#[allow(dead_code, reason = "this test uses only the Postgres harness")]
mod backends;

/// Runs `interdict --db DB ARGS`.
fn run(db: &str, args: &[&str]) -> Output {
    interdict(db).args(args).output().expect("run interdict")
}

/// Runs a command that must succeed; returns its stdout.
fn ok(db: &str, args: &[&str]) -> String {
    stdout_of_success(args, run(db, args))
}

/// A running `interdict serve`, stopped (SIGTERM, then killed if need be) when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(db: &str, extra: &[&str]) -> Server {
        let mut child = interdict(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start interdict serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server { child, url }
    }

    /// Sends SIGTERM and waits: a graceful stop exits with success.
    fn stop(mut self) -> bool {
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        terminated && self.child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// Polls `check` every 100 ms until it holds, for at most `limit` (a liveness bound, not a
/// speed requirement); returns how long it took.
async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    started.elapsed()
}

async fn json_of(response: reqwest::Response) -> Option<Value> {
    serde_json::from_slice(&response.bytes().await.ok()?).ok()
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, Value) {
    match client.get(url).send().await {
        Err(_) => (0, Value::Null),
        Ok(response) => {
            let status = response.status().as_u16();
            (status, json_of(response).await.unwrap_or(Value::Null))
        }
    }
}

async fn screen(client: &reqwest::Client, base: &str, key: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(format!("{base}/v1/screen"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("screen");
    let status = response.status().as_u16();
    (status, json_of(response).await.expect("JSON"))
}

async fn wait_ready(client: &reqwest::Client, server: &Server) {
    let url = format!("{}/readyz", server.url);
    eventually(Duration::from_secs(180), "readiness", || async {
        get(client, &url).await.0 == 200
    })
    .await;
}

/// A fresh, migrated database on the throwaway test cluster, from the store tests' harness;
/// the guard keeps it.
async fn fresh_postgres_database() -> (backends::Guard, String) {
    let (guard, store) = backends::postgres().await;
    store.close().await;
    let url = guard.url().to_owned();
    (guard, url)
}

/// The audit records from `from` to `to`, as `audit export` writes them.
fn exported(db: &str, from: &str, to: &str) -> Vec<Value> {
    ok(db, &["audit", "export", "--from", from, "--to", to])
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// The whole audit trail.
fn everything_on_record(db: &str) -> Vec<Value> {
    exported(db, "2000-01-01", "2100-01-01")
}

fn admin_key(db: &str) -> String {
    let created: Value =
        serde_json::from_str(&ok(db, &["keys", "create", "--role", "admin", "--json"]))
            .expect("JSON");
    created["key"].as_str().expect("key").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_entity_is_one_json_on_the_command_line_and_the_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("interdict.db");
    let db = db.to_str().expect("utf-8");
    // Mullah Akhund is UN TAi.002 and UK AFG0006: one party on two lists.
    for list in [
        "lists/un-consolidated-2026-02-27.xml",
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    ] {
        ok(
            db,
            &["lists", "import", shared(list).to_str().expect("utf-8")],
        );
    }
    let key = admin_key(db);
    let server = Server::start(db, &[]);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    for id in ["un-sc:TAi.002", "uk-sanctions-list:AFG0006"] {
        let from_cli: Value =
            serde_json::from_str(&ok(db, &["entity", id, "--json"])).expect("JSON");
        let response = client
            .get(format!("{}/v1/entities/{id}", server.url))
            .bearer_auth(&key)
            .send()
            .await
            .expect("GET the entity");
        assert_eq!(response.status().as_u16(), 200);
        let from_http = json_of(response).await.expect("JSON");
        assert_eq!(from_cli, from_http, "{id}");
        assert_eq!(from_http["also_listed"].as_array().map(Vec::len), Some(1));
        assert!(from_http["list_version"]["entities"].as_u64() > Some(0));
    }
    assert!(server.stop());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_postgres_share_imports_and_one_audit_chain() {
    let (_guard, db) = fresh_postgres_database().await;
    let old = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    ok(&db, &["lists", "import", old.to_str().expect("utf-8")]);
    let key = admin_key(&db);
    let first = Server::start(&db, &["--poll-interval", "0.5"]);
    let second = Server::start(&db, &["--poll-interval", "0.5"]);
    let client = reqwest::Client::new();
    wait_ready(&client, &first).await;
    wait_ready(&client, &second).await;

    // Not on the list yet, on either replica.
    let duma = json!({ "name": "Sergey Shargunov" });
    let (_, before) = screen(&client, &second.url, &key, &duma).await;
    assert_eq!(before["matches"], json!([]), "{before}");

    // Import the 2022-03-24 list through the first replica.
    let new = std::fs::read(shared("lists/ofac-sdn-2022-03-24/sdn.csv")).expect("read");
    let response = client
        .post(format!("{}/v1/lists/import?filename=sdn.csv", first.url))
        .bearer_auth(&key)
        .body(new)
        .send()
        .await
        .expect("import");
    assert_eq!(response.status().as_u16(), 200);
    let imported: Value = json_of(response).await.expect("JSON");
    let version = imported["version"].as_str().expect("version").to_owned();
    assert_eq!(imported["entities"], 9793);

    // The second replica picks it up by itself.
    let ready = format!("{}/readyz", second.url);
    let took =
        eventually(
            Duration::from_secs(60),
            "the import reaching the other replica",
            || {
                let (client, ready, version) = (&client, &ready, &version);
                async move {
                    get(client, ready).await.1["list_versions"]["ofac-sdn"] == version.as_str()
                }
            },
        )
        .await;
    eprintln!("the import became active on the other replica after {took:?}");
    let (status, after) = screen(&client, &second.url, &key, &duma).await;
    assert_eq!(status, 200);
    assert_eq!(
        after["matches"][0]["entity_id"], "ofac-sdn:35391",
        "{after}"
    );
    assert_eq!(after["list_versions"]["ofac-sdn"], version.as_str());

    // Concurrent screenings through both replicas append to one chain.
    let names = [
        "Vladimir Putin",
        "Leonid Slutsky",
        "Jane Doe",
        "Nikolay Kharitonov",
    ];
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (client, key) = (client.clone(), key.clone());
        let url = if worker % 2 == 0 {
            first.url.clone()
        } else {
            second.url.clone()
        };
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..20 {
                let body = json!({ "name": names[(worker + i) % names.len()] });
                statuses.push(screen(&client, &url, &key, &body).await.0);
            }
            statuses
        }));
    }
    for task in tasks {
        assert!(task.await.expect("worker").iter().all(|&s| s == 200));
    }

    assert!(first.stop(), "SIGTERM stops the first replica cleanly");
    assert!(second.stop(), "SIGTERM stops the second replica cleanly");
    let verify: Value =
        serde_json::from_str(&ok(&db, &["audit", "verify", "--json"])).expect("JSON");
    assert_eq!(verify["intact"], true, "{verify}");
    // The command-line import, the key, the import through a replica, two single screenings
    // and 160 concurrent ones.
    assert_eq!(verify["records"], 1 + 1 + 1 + 2 + 160, "{verify}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_service_and_the_command_line_screen_alike_and_record_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("interdict.db");
    let db = db.to_str().expect("utf-8");
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    ok(db, &["lists", "import", un.to_str().expect("utf-8")]);

    // A command-line screening is recorded, and replays identically.
    let output = run(db, &["screen", "--name", "Janan Agha", "--json"]);
    assert!(output.status.success());
    let mut from_cli: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(!from_cli["matches"].as_array().expect("matches").is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let cli_id = stderr
        .lines()
        .find_map(|l| l.strip_prefix("recorded in the audit trail as screening "))
        .unwrap_or_else(|| panic!("no screening id in {stderr}"))
        .trim()
        .to_owned();
    assert!(ok(db, &["audit", "replay", &cli_id]).contains("identical"));
    let cli_json_id = from_cli
        .as_object_mut()
        .and_then(|o| o.remove("screening_id"));
    assert_eq!(cli_json_id, Some(Value::String(cli_id)));

    // So is each row of a batch.
    let csv = dir.path().join("names.csv");
    std::fs::write(&csv, "name,dob\nJANAN AGHA,1958\nNobody Atall,\n").expect("write");
    let lines = ok(
        db,
        &[
            "screen",
            "--input",
            csv.to_str().expect("utf-8"),
            "--dob-column",
            "dob",
        ],
    );
    assert_eq!(lines.lines().count(), 2);
    for line in lines.lines() {
        let row: Value = serde_json::from_str(line).expect("JSON line");
        let id = row["screening_id"].as_str().expect("screening_id");
        assert!(
            ok(db, &["audit", "replay", id]).contains("identical"),
            "{row}"
        );
    }

    // The service answers in the shape of `screen --json`, plus the screening id.
    let key = admin_key(db);
    let server = Server::start(db, &[]);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    let (status, mut from_http) =
        screen(&client, &server.url, &key, &json!({ "name": "Janan Agha" })).await;
    assert_eq!(status, 200);
    let http_id = from_http
        .as_object_mut()
        .and_then(|o| o.remove("screening_id"))
        .and_then(|id| id.as_str().map(str::to_owned))
        .expect("screening_id");
    assert_eq!(from_http, from_cli);
    let (status, _) = get(&client, &format!("{}/v1/lists", server.url)).await;
    assert_eq!(status, 401, "the service requires a key by default");
    assert!(server.stop(), "SIGTERM stops the service cleanly");
    assert!(ok(db, &["audit", "replay", &http_id, "--json"]).contains("\"identical\":true"));

    // Without authentication, only loopback.
    let refused = run(
        db,
        &["serve", "--insecure-no-auth", "--listen", "0.0.0.0:0"],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("loopback"));

    // Keys: listed without secrets, revoked for good.
    let keys = ok(db, &["keys", "list", "--json"]);
    assert_eq!(keys.lines().count(), 1);
    assert!(!keys.contains(key.rsplit('_').next().expect("secret")));
    let id = key.split('_').nth(1).expect("key id");
    ok(db, &["keys", "revoke", id]);
    assert!(ok(db, &["keys", "list"]).contains(id));

    // Everything is on record, in one intact chain, and exported in order.
    assert!(ok(db, &["audit", "verify"]).contains("intact"));
    let records = everything_on_record(db);
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "import",
            "screening",
            "screening",
            "screening",
            "key",
            "screening",
            "key"
        ]
    );
    // The command-line import is on record like one through the API.
    assert_eq!(records[0]["payload"]["list"], "un-sc");
    assert_eq!(records[0]["payload"]["activated"], true);
    assert!(
        records[0]["payload"]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("un-consolidated-2026-02-27.xml"))
    );
    assert!(
        records
            .windows(2)
            .all(|w| w[0]["hash"] == w[1]["prev_hash"])
    );
    assert_eq!(
        records[0]["actor"].as_str().map(|a| a.starts_with("cli:")),
        Some(true)
    );
    assert_eq!(records[5]["actor"], id);
    assert_eq!(records[2]["payload"]["request"]["dob"], "1958");
    assert!(exported(db, "2000-01-01", "2000-01-02").is_empty());
}

/// A webhook receiver on loopback that answers 200 to every request and keeps what it got.
async fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the receiver");
    let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The head, then as many body bytes as it announces.
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    let Some(head_end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if request.len() >= head_end + 4 + length {
                        kept.lock().expect("lock").push(text);
                        let answer =
                            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                        socket.write_all(answer.as_bytes()).await.ok();
                        return;
                    }
                }
            });
        }
    });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_service_delivers_webhook_events_when_asked_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("interdict.db");
    let db = db.to_str().expect("utf-8");
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    ok(db, &["lists", "import", un.to_str().expect("utf-8")]);
    let (url, received) = receiver().await;
    ok(
        db,
        &["webhooks", "add", &url, "--secret", "shared-with-the-bank"],
    );
    let customers = dir.path().join("customers.csv");
    std::fs::write(
        &customers,
        "id,full_name,date_of_birth,nationality\nC-1,Janan Agha,1958,af\n",
    )
    .expect("write customers");
    ok(
        db,
        &[
            "portfolio",
            "import",
            customers.to_str().expect("utf-8"),
            "--id-column",
            "id",
            "--name-column",
            "full_name",
            "--dob-column",
            "date_of_birth",
            "--country-column",
            "nationality",
        ],
    );
    let run: Value = serde_json::from_str(&ok(db, &["monitor", "run", "--json"])).expect("JSON");
    // Several UN entries bear the name: one alert, and one event, for each.
    let created = run["alerts_created"].as_u64().expect("alerts_created");
    assert!(created >= 1, "{run}");

    // Without the flag the service leaves the outbox alone.
    let quiet = Server::start(db, &[]);
    let client = reqwest::Client::new();
    wait_ready(&client, &quiet).await;
    assert!(quiet.stop());
    assert!(received.lock().expect("lock").is_empty());

    let server = Server::start(db, &["--deliver-webhooks"]);
    wait_ready(&client, &server).await;
    eventually(Duration::from_secs(30), "webhook delivery", || async {
        received.lock().expect("lock").len() as u64 >= created
    })
    .await;
    assert!(server.stop(), "SIGTERM stops the service cleanly");
    let requests = received.lock().expect("lock").clone();
    assert_eq!(requests.len() as u64, created, "{requests:?}");
    for request in &requests {
        let request = request.to_ascii_lowercase();
        assert!(request.starts_with("post /hooks"), "{request}");
        assert!(
            request.contains("x-interdict-signature: sha256="),
            "{request}"
        );
        assert!(request.contains("c-1"), "{request}");
    }
    // The webhook carries the alert object of `alerts show --json` and the API.
    let body = requests[0]
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .expect("a body");
    let event: Value = serde_json::from_str(body).expect("JSON body");
    let id = event["alert"]["id"].as_i64().expect("alert id").to_string();
    let shown: Value =
        serde_json::from_str(&ok(db, &["alerts", "show", &id, "--json"])).expect("JSON");
    assert_eq!(event["alert"], alert_object(&shown), "{body}");
    let hooks = ok(db, &["webhooks", "list", "--json"]);
    let hook: Value =
        serde_json::from_str(hooks.lines().next().expect("one webhook")).expect("JSON");
    assert_eq!(
        (hook["pending"].as_u64(), hook["delivered"].as_u64()),
        (Some(0), Some(created)),
        "{hook}"
    );
}

/// The alert object inside an alert's detail: the detail less what only the detail carries.
fn alert_object(detail: &Value) -> Value {
    let mut alert = detail.clone();
    if let Some(object) = alert.as_object_mut() {
        for detail_only in [
            "explanation",
            "history",
            "proposals",
            "customer",
            "entity_name",
        ] {
            object.remove(detail_only);
        }
    }
    alert
}

/// Posts `body` to `path` with `key`; the status and the JSON answer.
async fn post(client: &reqwest::Client, url: String, key: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    (status, json_of(response).await.unwrap_or(Value::Null))
}

/// The application layer's promise: what is recorded can be replayed. Requests the engine
/// cannot honour are refused before anything is recorded, on the command line as over HTTP,
/// and every screening recorded by either (single and batch) replays to an identical result.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_recorded_screening_replays_and_what_cannot_be_replayed_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("interdict.db");
    let db = db.to_str().expect("utf-8");
    let un = shared("lists/un-consolidated-2026-02-27.xml");
    ok(db, &["lists", "import", un.to_str().expect("utf-8")]);
    let records_before = everything_on_record(db).len();
    for (flags, field) in [
        (vec!["--threshold", "1.5"], "threshold"),
        (vec!["--limit", "0"], "limit"),
        (vec!["--country", "RU;Atlantis"], "country"),
    ] {
        let mut args = vec!["screen", "--name", "Kim Jong"];
        args.extend(flags);
        let refused = run(db, &args);
        assert!(!refused.status.success(), "{args:?} was answered");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(field), "{args:?}: {stderr}");
    }
    let refused = run(db, &["screen", "--name", "  ...  "]);
    assert!(!refused.status.success(), "a blank name was screened");
    assert_eq!(
        everything_on_record(db).len(),
        records_before,
        "a refused screening was recorded"
    );

    ok(db, &["screen", "--name", "Kim Jong Un", "--limit", "3"]);
    let csv = dir.path().join("names.csv");
    std::fs::write(&csv, "name,dob\nJanan Agha,\nAbdul Baqi Basir,1962\n").expect("csv");
    ok(
        db,
        &[
            "screen",
            "--input",
            csv.to_str().expect("utf-8"),
            "--dob-column",
            "dob",
        ],
    );

    let key = admin_key(db);
    let server = Server::start(db, &[]);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    for body in [
        json!({ "name": "Kim Jong", "threshold": 1.5 }),
        json!({ "name": "Kim Jong", "limit": 0 }),
        json!({ "name": "-" }),
    ] {
        let (status, _) = post(&client, format!("{}/v1/screen", server.url), &key, &body).await;
        assert_eq!(status, 422, "{body}");
    }
    let (status, _) = post(
        &client,
        format!("{}/v1/screen", server.url),
        &key,
        &json!({ "name": "Janan Agha", "country": "AF" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, batch) = post(
        &client,
        format!("{}/v1/screen/batch", server.url),
        &key,
        &json!([{ "name": "Kim Jong Un" }, { "name": "Abdul Baqi Basir", "threshold": 0.5 }]),
    )
    .await;
    assert_eq!(status, 200, "{batch}");
    assert!(server.stop());

    let screenings: Vec<String> = everything_on_record(db)
        .iter()
        .filter(|r| r["kind"] == "screening")
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        screenings.len(),
        6,
        "1 + 2 from the command line, 1 + 2 over HTTP"
    );
    for id in &screenings {
        let replay: Value =
            serde_json::from_str(&ok(db, &["audit", "replay", id, "--json"])).expect("JSON");
        assert_eq!(replay["identical"], true, "{replay}");
    }
}

/// Monitoring is one use case whoever starts it: the Duma update monitored by
/// `interdict monitor run` and by `POST /v1/monitor/run` raises the same alerts.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn monitoring_through_the_service_raises_what_the_command_line_raises() {
    let before = shared("lists/ofac-sdn-2022-03-21/sdn.csv");
    let after = shared("lists/ofac-sdn-2022-03-24/sdn.csv");
    let portfolio = "id,name,dob\n\
        E-MIZULINA,Yelena Mizulina,1954-12-09\n\
        D-WESTERN,Sergey Aleksandrovich Shargunov,\n\
        D-CYRILLIC,Глазкова Анжелика Егоровна,\n\
        D-LISTED,\"KHARITONOV, Nikolay Mikhaylovich\",\n\
        US-1,Jennifer Smith,1980-02-03\n\
        US-2,Robert Johnson,1975-06-07\n";
    let mut alerts = Vec::new();
    for through_service in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("interdict.db");
        let db = db.to_str().expect("utf-8");
        let csv = dir.path().join("customers.csv");
        std::fs::write(&csv, portfolio).expect("csv");
        ok(db, &["lists", "import", before.to_str().expect("utf-8")]);
        let csv = csv.to_str().expect("utf-8");
        ok(
            db,
            &[
                "portfolio",
                "import",
                csv,
                "--id-column",
                "id",
                "--name-column",
                "name",
                "--dob-column",
                "dob",
            ],
        );
        let mut reports = Vec::new();
        if through_service {
            let key = admin_key(db);
            let server = Server::start(db, &[]);
            let client = reqwest::Client::new();
            wait_ready(&client, &server).await;
            let run = format!("{}/v1/monitor/run", server.url);
            let (status, report) = post(&client, run.clone(), &key, &json!({})).await;
            assert_eq!(status, 200, "{report}");
            reports.push(report);
            ok(db, &["lists", "import", after.to_str().expect("utf-8")]);
            // The service follows the import made by another process before it runs.
            let (status, report) = post(&client, run, &key, &json!({})).await;
            assert_eq!(status, 200, "{report}");
            reports.push(report);
            // One alert's detail is the same object over HTTP and on the command line.
            let listed = ok(db, &["alerts", "list", "--json"]);
            let first: Value =
                serde_json::from_str(listed.lines().next().expect("an alert")).expect("JSON");
            let id = first["id"].as_i64().expect("id").to_string();
            let response = client
                .get(format!("{}/v1/alerts/{id}", server.url))
                .bearer_auth(&key)
                .send()
                .await
                .expect("GET alert");
            let over_http = json_of(response).await.expect("JSON");
            let shown: Value =
                serde_json::from_str(&ok(db, &["alerts", "show", &id, "--json"])).expect("JSON");
            assert_eq!(over_http, shown);
            assert_eq!(
                alert_object(&shown),
                first,
                "alerts list --json carries the alert"
            );
            assert!(server.stop());
        } else {
            reports
                .push(serde_json::from_str(&ok(db, &["monitor", "run", "--json"])).expect("JSON"));
            ok(db, &["lists", "import", after.to_str().expect("utf-8")]);
            reports
                .push(serde_json::from_str(&ok(db, &["monitor", "run", "--json"])).expect("JSON"));
        }
        let mut raised: Vec<(String, String, String)> = ok(db, &["alerts", "list", "--json"])
            .lines()
            .map(|line| {
                let alert: Value = serde_json::from_str(line).expect("JSON line");
                let text = |k: &str| alert[k].as_str().unwrap_or_default().to_owned();
                (text("customer_id"), text("entity_id"), text("reason"))
            })
            .collect();
        raised.sort();
        let counts: Vec<(Value, Value)> = reports
            .iter()
            .map(|r| (r["mode"].clone(), r["alerts_created"].clone()))
            .collect();
        alerts.push((raised, counts));
    }
    assert!(
        alerts[0]
            .0
            .iter()
            .any(|(c, _, r)| c == "D-WESTERN" && r == "list_update"),
        "{:?}",
        alerts[0]
    );
    assert_eq!(alerts[0], alerts[1]);
}
