//! The analyst UI end to end in real browsers: headless Chromium and Firefox, each driven
//! through WebDriver (chromedriver and geckodriver, started by `scripts/test-browser.sh`,
//! which installs Debian's chromium, chromium-driver and firefox-esr and builds geckodriver
//! when missing). The same scenario runs in each, on a fresh store and service. The service
//! runs on loopback over a SQLite store holding the OFAC SDN list of 2022-03-21 and its
//! update of 2022-03-24 (the Duma designations) and a small portfolio already monitored. The
//! test signs in as an analyst, screens a name, works an alert with the keyboard, proposes
//! "False positive", is refused approving a decision it proposed itself, approves as a
//! reviewer, reads the 397/0/7 diff, runs monitoring, replays a screening, and checks CSRF
//! refusal, role limits and sign-out; a screener scans a text and screens payments (pasted,
//! uploaded, unreadable); an admin creates and revokes a key and imports list files (a
//! truncated one refused, a shrunk one kept inactive), then the Duma registry's ownership data
//! (an edges CSV and the companies' records, two files, one version): its company screens as
//! a hit with basis `ownership`, whose entity page shows the regimes and the path, and the
//! registry's next version names its relation changes. It saves a screenshot of each page to
//! `target/ui-screenshots/<browser>/` (and Chromium's README ones to `docs/screenshots/` with
//! `INTERDICT_UPDATE_SCREENSHOTS=1`).
//!
//! Without a browser the test fails with what to install; it never passes silently. Set
//! `INTERDICT_TEST_WEBDRIVER_URL` (Chromium) or `INTERDICT_TEST_GECKODRIVER_URL` (Firefox) to
//! use a WebDriver server of your own.

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

/// The browsers the scenario runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }
}

/// The WebDriver server: the one named by the environment, or the script's.
fn webdriver_url(browser: Browser) -> String {
    let variable = match browser {
        Browser::Chromium => "INTERDICT_TEST_WEBDRIVER_URL",
        Browser::Firefox => "INTERDICT_TEST_GECKODRIVER_URL",
    };
    if let Ok(url) = std::env::var(variable) {
        return url;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/test-browser.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg("start")
        .arg(browser.name())
        .output()
        .expect("run scripts/test-browser.sh");
    assert!(
        output.status.success(),
        "the browser tests need {} and its WebDriver: scripts/test-browser.sh start {} failed:\n{}",
        browser.name(),
        browser.name(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A headless browser with a fresh profile.
async fn start_browser(browser: Browser, profile: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    match browser {
        Browser::Chromium => {
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
            capabilities.insert("goog:chromeOptions".into(), options);
        }
        Browser::Firefox => {
            // geckodriver makes its own fresh profile for each session.
            let mut options = json!({
                "args": ["-headless", "--width=1280", "--height=1000"],
                "prefs": { "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false }
            });
            if Path::new("/usr/bin/firefox-esr").exists() {
                options["binary"] = json!("/usr/bin/firefox-esr");
            }
            capabilities.insert("moz:firefoxOptions".into(), options);
        }
    }
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&webdriver_url(browser))
        .await
        .unwrap_or_else(|e| panic!("start {} through its WebDriver: {e}", browser.name()))
}

/// The pages whose screenshots the README shows.
const README_SCREENSHOTS: [&str; 15] = [
    "signin",
    "scan",
    "payment",
    "import",
    "keys",
    "screen",
    "alerts",
    "alert",
    "four-eyes",
    "list-diff",
    "portfolio",
    "audit",
    "screen-ownership",
    "entity-ownership",
    "list-relations",
];

/// Saves a screenshot of the page to `target/ui-screenshots/BROWSER/NAME.png`, and, with
/// `INTERDICT_UPDATE_SCREENSHOTS=1`, Chromium's README ones to `docs/screenshots/` (not on
/// every run: ids and times on the pages change each time).
async fn shoot(client: &Client, browser: Browser, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = vec![root.join("target/ui-screenshots").join(browser.name())];
    if std::env::var_os("INTERDICT_UPDATE_SCREENSHOTS").is_some()
        && browser == Browser::Chromium
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
async fn the_workplace_end_to_end_in_chromium() {
    end_to_end(Browser::Chromium).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workplace_end_to_end_in_firefox() {
    end_to_end(Browser::Firefox).await;
}

/// The whole scenario in `browser`, on a store and service of its own.
async fn end_to_end(browser: Browser) {
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
    let admin = key(Role::Admin, "ada-admin").await;

    let state = AppState::new(store.clone(), ServerConfig::default()).expect("state");
    state.refresh_index().await.expect("index");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    let base = format!("http://{addr}");

    let profile = tempfile::tempdir().expect("profile dir");
    let client = start_browser(browser, profile.path()).await;
    scenario(
        &client,
        browser,
        &base,
        addr,
        &store,
        &new,
        &Keys {
            analyst,
            reviewer,
            second_reviewer,
            screener,
            admin,
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
    admin: String,
}

async fn scenario(
    client: &Client,
    browser: Browser,
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
    shoot(client, browser, "signin").await;

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
    shoot(client, browser, "alerts").await;

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
    shoot(client, browser, "screen").await;

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
    shoot(client, browser, "alert").await;

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
    shoot(client, browser, "four-eyes").await;

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
    shoot(client, browser, "alert-decided").await;

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
    shoot(client, browser, "lists").await;
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
    shoot(client, browser, "list-diff").await;
    click(client, "#added-title + ul a").await;
    let text = main_text(client).await;
    assert!(
        text.contains("Names") && text.contains("Provenance"),
        "{text}"
    );
    shoot(client, browser, "entity").await;

    // Monitoring on demand, with its summary.
    client
        .goto(&format!("{base}/ui/portfolio"))
        .await
        .expect("goto");
    click(client, "form.run button").await;
    let text = main_text(client).await;
    assert!(text.contains("delta monitoring run: screened"), "{text}");
    assert!(text.contains("C-1003"), "{text}");
    shoot(client, browser, "portfolio").await;

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
    shoot(client, browser, "audit").await;

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
    shoot(client, browser, "forbidden").await;
    screener_pages(client, browser, base, store, keys).await;
    sign_out(client).await;
    admin_pages(client, browser, base, addr, store, new_version, keys).await;
    sign_out(client).await;

    // Signed out, the pages are closed again.
    client
        .goto(&format!("{base}/ui/screen"))
        .await
        .expect("goto");
    assert_eq!(path(client).await, "/ui/signin");
}

/// The key id of `key` (`idk_<id>_<secret>`): who acts in the audit trail.
fn key_id(key: &str) -> &str {
    key.split('_').nth(1).expect("key id")
}

/// The first line-count lines of a shared file, as bytes.
fn first_lines(relative: &str, lines: usize) -> Vec<u8> {
    let bytes = std::fs::read(common::shared(relative)).expect("read shared file");
    let end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(lines - 1)
        .map_or(bytes.len(), |(i, _)| i + 1);
    bytes[..end].to_vec()
}

/// Chooses `path` in the file input `css` (WebDriver types the path into it, which must be
/// canonical).
async fn choose_file(client: &Client, css: &str, path: &Path) {
    let path = path.canonicalize().expect("canonical path");
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("find {css}: {e}"))
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
}

/// The screening id a result page links to the audit trail.
async fn recorded_id(client: &Client) -> String {
    client
        .find(Locator::Css(".results .meta a"))
        .await
        .expect("the audit link")
        .text()
        .await
        .expect("id")
}

/// As the screener: a text scanned with its mentions marked in place; payments screened from
/// a pasted MT103, an uploaded pacs.008 and a broken message; the admin pages refused.
async fn screener_pages(client: &Client, browser: Browser, base: &str, store: &Store, keys: &Keys) {
    // A text with a line break (sent by the browser as CRLF) and Cyrillic before the mention.
    let document = "Протокол встречи, 2 мая.\nVladimir Putin met the delegation in Moscow.";
    client.goto(&format!("{base}/ui/scan")).await.expect("goto");
    fill(client, "#text", document).await;
    fill(client, "#doc-id", "minutes-0502").await;
    click(client, "form.document button").await;
    let text = main_text(client).await;
    assert!(text.contains("in “minutes-0502”"), "{text}");
    assert!(text.contains("PUTIN, Vladimir Vladimirovich"), "{text}");
    let marks = client
        .find_all(Locator::Css("#document mark"))
        .await
        .expect("marks");
    assert!(!marks.is_empty(), "{text}");
    let first_mark = marks[0].text().await.expect("mark");
    assert!(
        first_mark.starts_with("Vladimir Putin") && first_mark.ends_with("[1]"),
        "the mention is marked at its place and numbered: {first_mark:?}"
    );
    let shown = client
        .find(Locator::Css("#document"))
        .await
        .expect("document")
        .text()
        .await
        .expect("text");
    assert!(
        shown.starts_with("Протокол встречи, 2 мая.") && shown.ends_with("in Moscow."),
        "{shown}"
    );
    let scan_id = recorded_id(client).await;
    let recorded = store.audit_record(&scan_id).await.expect("on record");
    assert_eq!(recorded.kind, "scan");
    assert_eq!(recorded.actor, key_id(&keys.screener));
    let payload: serde_json::Value = serde_json::from_str(recorded.payload.get()).expect("payload");
    assert_eq!(
        payload["request"]["text"], document,
        "the text recorded is the one typed, line breaks as typed"
    );
    shoot(client, browser, "scan").await;

    // A pasted MT103 paying a company designated on 2022-03-24.
    let mt103 =
        std::fs::read_to_string(common::shared("eval/payments_dev/messages/PD015.mt103.txt"))
            .expect("message")
            .replace("\r\n", "\n");
    client
        .goto(&format!("{base}/ui/payments"))
        .await
        .expect("goto");
    fill(client, "#message", mt103.trim_end()).await;
    click(client, "form.document button").await;
    let text = main_text(client).await;
    assert!(text.contains("Decision: HIT"), "{text}");
    assert!(text.contains("MT103") && text.contains(":50K:"), "{text}");
    assert!(text.contains("OXIN STEEL COMPANY"), "{text}");
    let payment_id = recorded_id(client).await;
    let recorded = store.audit_record(&payment_id).await.expect("on record");
    assert_eq!(recorded.kind, "payment");
    assert_eq!(recorded.actor, key_id(&keys.screener));

    // An uploaded pacs.008 whose debtor is listed.
    client
        .goto(&format!("{base}/ui/payments"))
        .await
        .expect("goto");
    choose_file(
        client,
        "#file",
        &common::shared("eval/payments_dev/messages/PD008.pacs008.xml"),
    )
    .await;
    // ... with its hits opened as alerts for review.
    client
        .find(Locator::Css("#open_alerts"))
        .await
        .expect("open alerts box")
        .click()
        .await
        .expect("tick");
    click(client, "form.document button").await;
    let text = main_text(client).await;
    assert!(text.contains("“PD008.pacs008.xml”"), "{text}");
    assert!(text.contains("Decision: HIT"), "{text}");
    assert!(
        text.contains("Dbtr") && text.contains("HAGHANIAN"),
        "{text}"
    );
    assert!(text.contains("Alerts for review: #"), "{text}");
    shoot(client, browser, "payment").await;
    let payment_alerts = store
        .alerts(&interdict_store::AlertFilter {
            subject_kind: Some(interdict_store::AlertSubjectKind::Payment),
            ..Default::default()
        })
        .await
        .expect("alerts");
    assert!(!payment_alerts.is_empty(), "no payment alert opened");
    // Reviewing them is an analyst's work: the screener's link says so.
    click(client, "section.results p.meta a[href^='/ui/alerts/']").await;
    let text = main_text(client).await;
    assert!(text.contains("needs the analyst role"), "{text}");

    // A message cut in the middle is not screened, and says where and why.
    let cut = first_lines("eval/payments_dev/messages/PD008.pacs008.xml", 20);
    client
        .goto(&format!("{base}/ui/payments"))
        .await
        .expect("goto");
    fill(
        client,
        "#message",
        &String::from_utf8_lossy(&cut).replace("\r\n", "\n"),
    )
    .await;
    click(client, "form.document button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("could not be read")
            && text.contains("Not screened:")
            && text.contains("Document/FIToFICstmrCdtTrf/CdtTrfTxInf"),
        "{text}"
    );
    shoot(client, browser, "payment-error").await;

    // The admin pages are the admin's.
    for page in ["/ui/keys", "/ui/lists/import"] {
        client.goto(&format!("{base}{page}")).await.expect("goto");
        let text = main_text(client).await;
        assert!(text.contains("needs the admin role"), "{page}: {text}");
    }
    // Back on a page of the workplace (a refusal's page has no header to sign out from).
    client.goto(&format!("{base}/ui/scan")).await.expect("goto");
}

/// As the admin: a key created (its secret shown once) and revoked; a truncated list file
/// refused, a shrunk one stored but kept inactive; an upload without the form's token refused.
async fn admin_pages(
    client: &Client,
    browser: Browser,
    base: &str,
    addr: SocketAddr,
    store: &Store,
    new_version: &str,
    keys: &Keys,
) {
    sign_in(client, base, &keys.admin).await;
    let nav = client
        .find(Locator::Css("header nav"))
        .await
        .expect("nav")
        .text()
        .await
        .expect("text");
    assert!(nav.contains("Keys"), "{nav}");

    client.goto(&format!("{base}/ui/keys")).await.expect("goto");
    let text = main_text(client).await;
    assert!(
        text.contains("anna-analyst") && text.contains("rita-reviewer"),
        "{text}"
    );
    fill(client, "#key-name", "ivan-importer").await;
    client
        .find(Locator::Css("#role"))
        .await
        .expect("role")
        .select_by_value("analyst")
        .await
        .expect("choose the role");
    click(client, "form.create-key button").await;
    let secret = client
        .find(Locator::Css("#new-key"))
        .await
        .expect("the new key")
        .prop("value")
        .await
        .expect("value")
        .expect("a value");
    assert!(secret.starts_with("idk_"), "{secret}");
    let created = store
        .keys()
        .await
        .expect("keys")
        .into_iter()
        .find(|k| k.name == "ivan-importer")
        .expect("the key is stored");
    assert_eq!(created.role, Role::Analyst);
    assert_eq!(created.id, key_id(&secret));
    shoot(client, browser, "keys").await;
    click(client, "button[aria-label=\"Revoke key ivan-importer\"]").await;
    let text = main_text(client).await;
    assert!(
        text.contains("key “ivan-importer”") && text.contains("is revoked"),
        "{text}"
    );
    assert!(
        client.find(Locator::Css("#new-key")).await.is_err(),
        "the secret is shown only once"
    );
    let revoked = store
        .keys()
        .await
        .expect("keys")
        .into_iter()
        .find(|k| k.name == "ivan-importer")
        .expect("the key");
    assert!(revoked.revoked_at.is_some());

    // A file cut off before OFAC's end-of-file byte is refused whole.
    let folder = tempfile::tempdir().expect("temp dir");
    let head = first_lines("lists/ofac-sdn-2022-03-24/sdn.csv", 3000);
    let truncated = folder.path().join("sdn-truncated.csv");
    std::fs::write(&truncated, &head).expect("write");
    client
        .goto(&format!("{base}/ui/lists/import"))
        .await
        .expect("goto");
    choose_file(client, "#file", &truncated).await;
    fill(client, "#list", "ofac-sdn").await;
    click(client, "form.import button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("Refused:")
            && text.contains("truncated")
            && text.contains("nothing was imported"),
        "{text}"
    );

    // The same records, properly ended: a third of the list, stored but not activated.
    let mut shrunk_bytes = head;
    shrunk_bytes.push(0x1A);
    let shrunk = folder.path().join("sdn-part.csv");
    std::fs::write(&shrunk, &shrunk_bytes).expect("write");
    choose_file(client, "#file", &shrunk).await;
    click(client, "form.import button").await;
    let text = main_text(client).await;
    assert!(
        text.contains("Stored, not activated:") && text.contains("a truncated or partial file?"),
        "{text}"
    );
    // The hint names the form's own checkbox, not the command line's flag.
    assert!(
        text.contains("If the removals are real, tick “Activate even if it removes more than 10 %")
            && !text.contains("--allow-shrink"),
        "{text}"
    );
    let active = client
        .find(Locator::Id("import-active"))
        .await
        .expect("active")
        .text()
        .await
        .expect("text");
    assert_eq!(active, "no");
    shoot(client, browser, "import").await;
    let versions = store.active_versions().await.expect("versions");
    assert_eq!(
        versions.get("ofac-sdn").map(|v| v.version.as_str()),
        Some(new_version),
        "the active version is still the full list"
    );
    let kept = client
        .find(Locator::Id("import-version"))
        .await
        .expect("version")
        .text()
        .await
        .expect("text");

    // The admin activates the kept version on the Lists page, then rolls back to the full list.
    for (version, entities) in [(kept.as_str(), "3000"), (new_version, "9793")] {
        client
            .goto(&format!("{base}/ui/lists"))
            .await
            .expect("goto");
        click(
            client,
            &format!("button[aria-label=\"Activate version {}\"]", &version[..12]),
        )
        .await;
        let text = main_text(client).await;
        assert!(
            text.contains(&format!(
                "ofac-sdn version {} ({entities} entities) is active",
                &version[..12]
            )),
            "{text}"
        );
        let versions = store.active_versions().await.expect("versions");
        assert_eq!(
            versions.get("ofac-sdn").map(|v| v.version.as_str()),
            Some(version)
        );
    }

    ownership_pages(client, browser, base, store).await;

    // An upload without the form's token is refused before anything is read into the store.
    let cookies = client.get_all_cookies().await.expect("cookies");
    let session = cookies
        .iter()
        .find(|c| c.name() == "interdict_session")
        .expect("session cookie");
    let body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nx\r\n--b--\r\n";
    let (status, answer) = raw(
        addr,
        &format!(
            "POST /ui/lists/import HTTP/1.1\r\nHost: {addr}\r\nCookie: interdict_session={}\r\n\
             Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            session.value(),
            body.len()
        ),
    )
    .await;
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains("CSRF token"), "{answer}");
}

/// As the admin: the Duma registry (an edges CSV naming SHARGUNOV by his SDN id, and the
/// companies' records) imported as one version of two files; its version page counts the
/// relations it added; screening its company gives a hit with basis `ownership`, whose
/// entity page shows the regimes and the path from SHARGUNOV, linked to his page. The
/// registry a year on: its version page names the share changed, the holding ended and the
/// new one, whose company (no record of its own) has a page with its ownership alone.
async fn ownership_pages(client: &Client, browser: Browser, base: &str, store: &Store) {
    import_files(client, base, "duma-registry", "registry").await;
    let Ok(relations) = client.find(Locator::Id("import-relations")).await else {
        panic!("no relations in the report: {}", main_text(client).await);
    };
    let relations = relations.text().await.expect("text");
    assert_eq!(relations, "7");
    let registry_version = store
        .active_versions()
        .await
        .expect("versions")
        .get("registry")
        .map(|v| v.version.clone())
        .expect("the registry is active");
    click(client, ".report p a").await;
    let added = client
        .find(Locator::Id("relations-added-count"))
        .await
        .expect("the relation counts")
        .text()
        .await
        .expect("text");
    assert_eq!(added, "7", "version {registry_version}");

    client
        .goto(&format!("{base}/ui/screen"))
        .await
        .expect("goto");
    fill(client, "#name", "Volzhsky Media Holding").await;
    click(client, "form.screen button").await;
    let Ok(hit) = client.find(Locator::Css("tr.ownership-hit")).await else {
        panic!("no ownership hit: {}", main_text(client).await);
    };
    let hit = hit.text().await.expect("text");
    assert!(
        hit.contains("Basis: ownership") && hit.contains("OFAC") && hit.contains("share 60 %"),
        "{hit}"
    );
    shoot(client, browser, "screen-ownership").await;
    click(client, "tr.ownership-hit a").await;
    assert_eq!(path(client).await, "/ui/entities/registry:volga-media");
    let ofac = client
        .find(Locator::Css("table.regimes tr[data-regime=ofac]"))
        .await
        .expect("the OFAC verdict")
        .text()
        .await
        .expect("text");
    assert!(
        ofac.contains("blocked: owned by blocked parties") && ofac.contains("60 %"),
        "{ofac}"
    );
    let step = client
        .find(Locator::Css("ol.paths li.step"))
        .await
        .expect("a path")
        .text()
        .await
        .expect("text");
    assert!(
        step.contains("SHARGUNOV")
            && step.contains("Volzhsky Media Holding LLC")
            && step.contains("60 %")
            && step.contains("listed"),
        "{step}"
    );
    shoot(client, browser, "entity-ownership").await;
    // Each step links to both parties' pages.
    for party in ["ofac-sdn:35391", "registry:volga-media"] {
        let css = format!("ol.paths li.step a[href=\"/ui/entities/{party}\"]");
        assert!(client.find(Locator::Css(&css)).await.is_ok(), "{css}");
    }

    // A year on: his stake in the radio fell, a holding ended, a new one began.
    import_files(client, base, "duma-registry-2023", "registry").await;
    click(client, ".report p a").await;
    let changed = client
        .find(Locator::Css("table.relations-changed"))
        .await
        .expect("the changed relations")
        .text()
        .await
        .expect("text");
    assert!(
        changed.contains("percentage: 25 % → 20 %") && changed.contains("end: — → 2023-06-30"),
        "{changed}"
    );
    let added = main_text(client).await;
    assert!(added.contains("70 % · from 2023-07-01"), "{added}");
    shoot(client, browser, "list-relations").await;
    // The new company has no record of its own: its page has its ownership alone.
    click(
        client,
        "table.relations-added a[href=\"/ui/entities/registry:volga-tv\"]",
    )
    .await;
    let text = main_text(client).await;
    assert!(
        text.contains("No list holds a record of this party") && text.contains("not blocked"),
        "{text}"
    );
}

/// Imports the files of the CLI's registry fixture `dir` as list `list` on the import page.
async fn import_files(client: &Client, base: &str, dir: &str, list: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cli/tests/data")
        .join(dir)
        .canonicalize()
        .expect("the registry fixture");
    client
        .goto(&format!("{base}/ui/lists/import"))
        .await
        .expect("goto");
    // WebDriver takes several files for a `multiple` input as paths on separate lines.
    let files = ["edges.csv", "companies.ftm.json"]
        .map(|name| folder.join(name).display().to_string())
        .join("\n");
    client
        .find(Locator::Css("#file"))
        .await
        .expect("file input")
        .send_keys(&files)
        .await
        .expect("choose the files");
    fill(client, "#list", list).await;
    click(client, "form.import button").await;
}
