//! The analyst UI end to end in a real browser: headless Chromium driven through WebDriver
//! (chromedriver, started by `scripts/test-browser.sh`, which installs Debian's chromium and
//! chromium-driver when missing). The service runs on loopback over a SQLite store holding
//! the OFAC SDN list of 2022-03-21 and its update of 2022-03-24 (the Duma designations) and a
//! small portfolio already monitored. The test signs in as an analyst, screens a name, works
//! an alert with the keyboard, proposes "False positive", is refused approving a decision it
//! proposed itself, approves as a reviewer, reads the 397/0/7 diff, runs monitoring, replays
//! a screening, and checks CSRF refusal, role limits and sign-out. It saves a screenshot of
//! each page to `target/ui-screenshots/` (and the README's to `docs/screenshots/` with
//! `INTERDICT_UPDATE_SCREENSHOTS=1`).
//!
//! Without a browser the test fails with what to install; it never passes silently. Set
//! `INTERDICT_TEST_WEBDRIVER_URL` to use a WebDriver server of your own.

#[allow(dead_code, unused_macros, unreachable_pub, unused_imports)]
#[macro_use]
#[path = "api/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use fantoccini::{Client, ClientBuilder, Locator};
use interdict_server::{AppState, ServerConfig, app};
use interdict_store::{Role, Store};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use common::{Guard, import};

/// The WebDriver server: the one named by the environment, or chromedriver from the script.
fn webdriver_url() -> String {
    if let Ok(url) = std::env::var("INTERDICT_TEST_WEBDRIVER_URL") {
        return url;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-browser.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("start")
        .output()
        .expect("run scripts/test-browser.sh");
    assert!(
        output.status.success(),
        "the browser tests need Chromium and chromedriver: scripts/test-browser.sh start failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A headless Chromium with a fresh profile.
async fn browser(profile: &Path) -> Client {
    let mut options = json!({
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.display()),
        ]
    });
    if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&webdriver_url())
        .await
        .expect("start Chromium through chromedriver")
}

/// The pages whose screenshots the README shows.
const README_SCREENSHOTS: [&str; 8] = [
    "signin",
    "screen",
    "alerts",
    "alert",
    "four-eyes",
    "list-diff",
    "portfolio",
    "audit",
];

/// Saves a screenshot of the page to `target/ui-screenshots/NAME.png`, and, with
/// `INTERDICT_UPDATE_SCREENSHOTS=1`, the README's ones to `docs/screenshots/` (not on every
/// run: ids and times on the pages change each time).
async fn shoot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("target/ui-screenshots")];
    if std::env::var_os("INTERDICT_UPDATE_SCREENSHOTS").is_some()
        && README_SCREENSHOTS.contains(&name)
    {
        dirs.push(root.join("docs/screenshots"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).expect("create the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("write screenshot");
    }
}

/// The text of the page's `main` element.
async fn main_text(client: &Client) -> String {
    client
        .find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text")
}

async fn path(client: &Client) -> String {
    client.current_url().await.expect("url").path().to_owned()
}

/// Waits until the page that `before` belongs to is replaced: clicks and keys that submit
/// a form may return before the browser has loaded the next page.
async fn await_next_page(before: fantoccini::elements::Element) {
    for _ in 0..300 {
        if before.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no new page was loaded");
}

async fn current_page(client: &Client) -> fantoccini::elements::Element {
    client.find(Locator::Css("html")).await.expect("html")
}

/// Clicks what `css` finds and waits for the page it leads to.
async fn click(client: &Client, css: &str) {
    let before = current_page(client).await;
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
    await_next_page(before).await;
}

async fn fill(client: &Client, css: &str, text: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find {css}: {e}"))
        .send_keys(text)
        .await
        .expect("type");
}

async fn sign_in(client: &Client, base: &str, key: &str) {
    client
        .goto(&format!("{base}/ui/signin"))
        .await
        .expect("goto");
    fill(client, "#api_key", key).await;
    click(client, "form.signin button").await;
}

async fn sign_out(client: &Client) {
    click(client, ".user button").await;
    assert_eq!(path(client).await, "/ui/signin");
}

/// A raw HTTP/1.1 request to the service; answers the status and the head and body.
async fn raw(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

/// The portfolio: two sanctioned Russians and one bystander, monitored once.
async fn portfolio(store: &Store) -> usize {
    let customers = [
        (
            "C-1001",
            "Vladimir Vladimirovich Putin",
            Some("1952-10-07"),
            Some("RU"),
        ),
        (
            "C-1002",
            "Sergei Viktorovich Lavrov",
            Some("1950-03-21"),
            Some("RU"),
        ),
        ("C-1003", "Marta Kowalska", Some("1984-02-11"), Some("PL")),
        // Designated with the Duma on 2022-03-24.
        ("C-1004", "Oleg Aleksandrovich Golikov", None, Some("RU")),
    ]
    .map(|(id, name, dob, country)| {
        interdict_app::portfolio::customer(id, name, dob, country, Some("person"), "")
            .expect("valid customer")
    });
    store.upsert_customers(&customers).await.expect("upsert");
    let report = interdict_app::monitoring::run(store, false, "monitor")
        .await
        .expect("monitor");
    report.alerts_created
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_and_two_reviewers_work_alerts_in_a_real_browser() {
    let (_guard, store): (Guard, Store) = common::sqlite().await;
    let old = import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let new = import(&store, "lists/ofac-sdn-2022-03-24/sdn.csv").await;
    assert_ne!(old, new);
    let raised = portfolio(&store).await;
    assert!(
        raised >= 2,
        "the portfolio should raise alerts on Putin and Lavrov: {raised}"
    );
    let key = |role: Role, name: &'static str| {
        let store = store.clone();
        async move {
            store
                .create_key(role, name, "cli:test")
                .await
                .expect("key")
                .key
        }
    };
    let analyst = key(Role::Analyst, "anna-analyst").await;
    let reviewer = key(Role::Reviewer, "rita-reviewer").await;
    let second_reviewer = key(Role::Reviewer, "rob-reviewer").await;
    let screener = key(Role::Screener, "sam-screener").await;

    let state = AppState::new(store.clone(), ServerConfig::default()).expect("state");
    state.refresh_index().await.expect("index");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    let base = format!("http://{addr}");

    let profile = tempfile::tempdir().expect("profile dir");
    let client = browser(profile.path()).await;
    scenario(
        &client,
        &base,
        addr,
        &store,
        &new,
        &Keys {
            analyst,
            reviewer,
            second_reviewer,
            screener,
        },
    )
    .await;
    let _ = client.close().await;
}

struct Keys {
    analyst: String,
    reviewer: String,
    second_reviewer: String,
    screener: String,
}

async fn scenario(
    client: &Client,
    base: &str,
    addr: SocketAddr,
    store: &Store,
    new_version: &str,
    keys: &Keys,
) {
    // `/` leads to the UI, which asks for a key first.
    client.goto(&format!("{base}/")).await.expect("goto");
    assert_eq!(path(client).await, "/ui/signin");
    let text = main_text(client).await;
    assert!(text.contains("API key"), "{text}");
    shoot(client, "signin").await;

    // A wrong key is refused with a message.
    sign_in(client, base, "idk_0000000000000000_nope").await;
    assert!(
        main_text(client)
            .await
            .contains("unknown or revoked API key")
    );

    // The analyst lands on the queue.
    sign_in(client, base, &keys.analyst).await;
    assert_eq!(
        path(client).await,
        "/ui/alerts",
        "{}",
        main_text(client).await
    );
    let text = main_text(client).await;
    assert!(text.contains("PUTIN"), "{text}");
    assert!(text.contains("LAVROV"), "{text}");
    assert!(!text.contains("Kowalska"), "{text}");
    let header = client
        .find(Locator::Css("header"))
        .await
        .expect("header")
        .text()
        .await
        .expect("text");
    assert!(
        header.contains("anna-analyst") && header.contains("analyst"),
        "{header}"
    );
    shoot(client, "alerts").await;

    // Screen a name: the result is on record, with its explanation drawn.
    client
        .goto(&format!("{base}/ui/screen"))
        .await
        .expect("goto");
    fill(client, "#name", "Vladimir Putin").await;
    fill(client, "#dob", "1952-10-07").await;
    fill(client, "#country", "Russia").await;
    click(client, "form.screen button").await;
    let text = main_text(client).await;
    assert!(text.contains("PUTIN, Vladimir Vladimirovich"), "{text}");
    assert!(text.contains("Aligned tokens"), "{text}");
    assert!(
        text.contains("Features and their effect on the score"),
        "{text}"
    );
    let screening_link = client
        .find(Locator::Css(".results .meta a"))
        .await
        .expect("the screening's audit link");
    let screening_id = screening_link.text().await.expect("id");
    let recorded = store.audit_record(&screening_id).await.expect("on record");
    let analyst_id = keys.analyst.split('_').nth(1).expect("key id");
    assert_eq!(
        recorded.actor, analyst_id,
        "the key is who acts in the audit trail"
    );
    shoot(client, "screen").await;

    // j moves to the first alert of the queue, Enter opens it.
    client
        .goto(&format!("{base}/ui/alerts"))
        .await
        .expect("goto");
    let body = client.find(Locator::Css("body")).await.expect("body");
    body.send_keys("j").await.expect("j");
    let before = current_page(client).await;
    body.send_keys("\u{E007}").await.expect("Enter");
    await_next_page(before).await;
    let first = path(client).await;
    assert!(first.starts_with("/ui/alerts/"), "{first}");
    let text = main_text(client).await;
    assert!(
        text.contains("Customer") && text.contains("Listed entity"),
        "{text}"
    );
    assert!(text.contains("Why it matched"), "{text}");
    shoot(client, "alert").await;

    // Propose "False positive"; a note is required.
    fill(
        client,
        "#note",
        "Different person: date of birth and passport do not match.",
    )
    .await;
    click(client, "button[value=false_positive]").await;
    let text = main_text(client).await;
    assert!(text.contains("proposed “false positive”"), "{text}");
    assert!(text.contains("Awaiting approval"), "{text}");
    // An analyst cannot approve at all: the button is not there.
    assert!(
        client
            .find(Locator::Css("form[action$=approve] button"))
            .await
            .is_err()
    );
    sign_out(client).await;

    // A reviewer proposes on the second alert and may not approve it herself.
    sign_in(client, base, &keys.reviewer).await;
    client
        .goto(&format!("{base}/ui/alerts"))
        .await
        .expect("goto");
    let rows = client
        .find_all(Locator::Css("#queue tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3, "every alert is open, one with a proposal");
    let text = main_text(client).await;
    assert!(text.contains("awaiting approval"), "{text}");
    click(
        client,
        &format!("#queue tbody tr a:not([href=\"{first}\"])"),
    )
    .await;
    let second = path(client).await;
    fill(client, "#note", "Same name, date of birth and nationality.").await;
    click(client, "button[value=true_match]").await;
    click(client, "form[action$=approve] button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("Refused: four-eyes rule") && text.contains("cannot review it"),
        "{text}"
    );
    shoot(client, "four-eyes").await;

    // She approves the analyst's proposal.
    client.goto(&format!("{base}{first}")).await.expect("goto");
    click(client, "form[action$=approve] button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("approved: the alert is now false positive"),
        "{text}"
    );
    sign_out(client).await;

    // Another reviewer approves hers.
    sign_in(client, base, &keys.second_reviewer).await;
    client.goto(&format!("{base}{second}")).await.expect("goto");
    click(client, "form[action$=approve] button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("approved: the alert is now true match"),
        "{text}"
    );
    shoot(client, "alert-decided").await;

    // A bulk decision over the open queue: a proposal on each, each to be approved.
    client
        .goto(&format!("{base}/ui/alerts"))
        .await
        .expect("goto");
    let rows = client
        .find_all(Locator::Css("#queue tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1, "one alert is still open");
    fill(client, "#bulk-note", "Duma namesake; reviewed in bulk.").await;
    click(client, "form.bulk button[value=false_positive]").await;
    let text = main_text(client).await;
    assert!(
        text.contains("proposed “false positive” on 1 alert; another user must approve each"),
        "{text}"
    );
    let left = store
        .alerts(&interdict_store::AlertFilter {
            awaiting_approval: true,
            ..Default::default()
        })
        .await
        .expect("alerts");
    assert_eq!(left.len(), 1, "the bulk proposal waits for approval");

    // The Duma update on the Lists page: 397 added, none removed, 7 changed, by name.
    client
        .goto(&format!("{base}/ui/lists"))
        .await
        .expect("goto");
    let text = main_text(client).await;
    assert!(
        text.contains("ofac-sdn") && text.contains("9793") && text.contains("active"),
        "{text}"
    );
    shoot(client, "lists").await;
    let before = current_page(client).await;
    client
        .find(Locator::LinkText(&format!(
            "Changes in {}",
            &new_version[..12]
        )))
        .await
        .expect("the new version's changes")
        .click()
        .await
        .expect("click");
    await_next_page(before).await;
    let count = |id: &'static str| async move {
        client
            .find(Locator::Id(id))
            .await
            .expect("count")
            .text()
            .await
            .expect("text")
    };
    assert_eq!(count("added-count").await, "397");
    assert_eq!(count("removed-count").await, "0");
    assert_eq!(count("changed-count").await, "7");
    shoot(client, "list-diff").await;
    click(client, "#added-title + ul a").await;
    let text = main_text(client).await;
    assert!(
        text.contains("Names") && text.contains("Provenance"),
        "{text}"
    );
    shoot(client, "entity").await;

    // Monitoring on demand, with its summary.
    client
        .goto(&format!("{base}/ui/portfolio"))
        .await
        .expect("goto");
    click(client, "form.run button").await;
    let text = main_text(client).await;
    assert!(text.contains("delta monitoring run: screened"), "{text}");
    assert!(text.contains("C-1003"), "{text}");
    shoot(client, "portfolio").await;

    // The audit trail: the analyst's screening, replayed identically; the chain verified.
    client
        .goto(&format!("{base}/ui/audit?id={screening_id}"))
        .await
        .expect("goto");
    click(client, "form[action$=replay] button").await;
    let text = main_text(client).await;
    assert!(text.contains("Replay identical"), "{text}");
    click(client, "form.verify button").await;
    let text = main_text(client).await;
    assert!(text.contains("the chain is intact"), "{text}");
    shoot(client, "audit").await;

    // CSRF: the session's own cookie without the form's token is refused, and nothing done.
    let cookies = client.get_all_cookies().await.expect("cookies");
    let session = cookies
        .iter()
        .find(|c| c.name() == "interdict_session")
        .expect("session cookie");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(format!("{:?}", session.same_site()), "Some(Strict)");
    let alert_id = first.trim_start_matches("/ui/alerts/");
    for body in [
        "decision=escalate&note=forged",
        "decision=escalate&note=forged&csrf=0000",
    ] {
        let (status, answer) = raw(
            addr,
            &format!(
                "POST /ui/alerts/{alert_id}/decision HTTP/1.1\r\nHost: {addr}\r\n\
                 Cookie: interdict_session={}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                session.value(),
                body.len()
            ),
        )
        .await;
        assert_eq!(status, 403, "{answer}");
        assert!(answer.contains("CSRF token"), "{answer}");
    }
    // The sign-in form needs its own token too (no forged sign-in into the attacker's key).
    let body = "api_key=whatever";
    let (status, answer) = raw(
        addr,
        &format!(
            "POST /ui/signin HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(status, 403, "{answer}");
    // Every page forbids inline script.
    let (status, answer) = raw(
        addr,
        &format!(
            "GET /ui/lists HTTP/1.1\r\nHost: {addr}\r\nCookie: interdict_session={}\r\nConnection: close\r\n\r\n",
            session.value()
        ),
    )
    .await;
    assert_eq!(status, 200);
    let csp = answer
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("content-security-policy:")
        })
        .expect("a CSP header");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let detail = interdict_app::alerts::detail(store, alert_id.parse().expect("id"))
        .await
        .expect("alert");
    assert_eq!(
        detail.alert.status, "false_positive",
        "the forged escalation did nothing"
    );
    sign_out(client).await;

    // A screener screens but sees no alerts.
    sign_in(client, base, &keys.screener).await;
    assert_eq!(path(client).await, "/ui/screen");
    let nav = client
        .find(Locator::Css("header nav"))
        .await
        .expect("nav")
        .text()
        .await
        .expect("text");
    assert!(nav.contains("Screen") && !nav.contains("Alerts"), "{nav}");
    client
        .goto(&format!("{base}/ui/alerts"))
        .await
        .expect("goto");
    let text = main_text(client).await;
    assert!(text.contains("needs the analyst role"), "{text}");
    shoot(client, "forbidden").await;

    // Signed out, the pages are closed again.
    client
        .goto(&format!("{base}/ui/screen"))
        .await
        .expect("goto");
    sign_out(client).await;
    client
        .goto(&format!("{base}/ui/screen"))
        .await
        .expect("goto");
    assert_eq!(path(client).await, "/ui/signin");
}
