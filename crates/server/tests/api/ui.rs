//! The analyst UI over a real listener, in raw HTTP/1.1 (no browser needed): a page that does
//! not finish in its time limit is stopped with an HTML error page (the API's `request_timeout`
//! for every page, its `import_timeout` for a list upload, which may take longer), an
//! upload the shrink guard keeps inactive says how to activate it in the form's own words,
//! and an alert page links the customer's alert on the same party's other record.

use std::net::SocketAddr;
use std::time::Duration;

use interdict_server::Limits;
use interdict_store::{AlertFilter, Customer, Role};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{Running, import, raise_alerts, shared, sqlite};

/// How long a test waits for an answer that must come (a liveness bound, far above the
/// limits under test).
const ANSWERED_WITHIN: Duration = Duration::from_secs(60);

/// An answer: its status, head (lowercase) and body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// Reads one answer from `stream`: its head, then the body its `content-length` announces.
async fn read_answer(stream: &mut TcpStream) -> Answer {
    let read = async {
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let head = head.to_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|n| body.len() >= n) {
                    let status = head
                        .split(' ')
                        .nth(1)
                        .and_then(|s| s.parse().ok())
                        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
                    return Answer {
                        status,
                        head,
                        body: body.to_owned(),
                    };
                }
            }
            let read = stream.read(&mut chunk).await.expect("read");
            assert!(read > 0, "the connection closed mid-answer: {text:?}");
            bytes.extend_from_slice(&chunk[..read]);
        }
    };
    tokio::time::timeout(ANSWERED_WITHIN, read)
        .await
        .expect("answered in time")
}

/// Sends a whole request on a new connection and reads the answer.
async fn exchange(address: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("write");
    read_answer(&mut stream).await
}

/// The value of cookie `name` that an answer sets.
fn set_cookie(answer: &Answer, name: &str) -> String {
    answer
        .head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie:"))
        .filter_map(|v| v.trim().strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("no {name} cookie in {}", answer.head))
}

/// The value of the first hidden `csrf` field of a page.
fn csrf_of(page: &str) -> String {
    let start = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[start..]
        .split('"')
        .next()
        .expect("the token")
        .to_owned()
}

/// Signs in with `key` through the sign-in form; returns the session cookie.
async fn sign_in(address: SocketAddr, key: &str) -> String {
    let form = exchange(
        address,
        b"GET /ui/signin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = set_cookie(&form, "interdict_signin");
    let body = format!("api_key={key}&csrf={token}");
    let signed_in = exchange(
        address,
        format!(
            "POST /ui/signin HTTP/1.1\r\nHost: localhost\r\nCookie: interdict_signin={token}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.head);
    set_cookie(&signed_in, "interdict_session")
}

/// The SDN list of 2022-03-21 cut to its first 3000 lines and properly ended (OFAC's
/// end-of-file byte): a well-formed file that drops most of the list.
fn shrunk_sdn() -> Vec<u8> {
    let bytes = std::fs::read(shared("lists/ofac-sdn-2022-03-21/sdn.csv")).expect("read");
    let mut head: Vec<u8> = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(3000)
        .flatten()
        .copied()
        .collect();
    head.push(0x1A);
    head
}

/// The import form's request for `file`, split where the file's bytes begin: the head and
/// the form's fields, then the file and the closing boundary.
fn import_request(session: &str, csrf: &str, file: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let fields = format!(
        "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --b\r\nContent-Disposition: form-data; name=\"list\"\r\n\r\nofac-sdn\r\n\
         --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sdn-part.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    );
    let mut rest = file.to_vec();
    rest.extend_from_slice(b"\r\n--b--\r\n");
    let head = format!(
        "POST /ui/lists/import HTTP/1.1\r\nHost: localhost\r\nCookie: interdict_session={session}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{fields}",
        fields.len() + rest.len()
    );
    (head.into_bytes(), rest)
}

/// The import form's CSRF token for `session`.
async fn import_form_csrf(address: SocketAddr, session: &str) -> String {
    let form = exchange(
        address,
        format!(
            "GET /ui/lists/import HTTP/1.1\r\nHost: localhost\r\n\
             Cookie: interdict_session={session}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.body);
    csrf_of(&form.body)
}

fn assert_took_too_long(answer: &Answer, limit: &str) {
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(
        answer.head.contains("content-type: text/html"),
        "an HTML page, not the API's JSON: {}",
        answer.head
    );
    assert!(
        answer.body.contains("Took too long")
            && answer
                .body
                .contains(&format!("longer than the {limit} s allowed")),
        "{}",
        answer.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ui_page_past_its_time_limit_is_stopped_with_an_error_page_and_an_upload_has_longer() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let admin = store
        .create_key(Role::Admin, "ui admin", "cli:test")
        .await
        .expect("key")
        .key;
    let limits = Limits {
        request_timeout: Duration::from_millis(800),
        import_timeout: Duration::from_secs(120),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;

    // A sign-in form whose body never comes in full: stopped at the request limit.
    let answer = exchange(
        running.address,
        b"POST /ui/signin HTTP/1.1\r\nHost: localhost\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\napi_key=",
    )
    .await;
    assert_took_too_long(&answer, "0.8");

    // An upload slower than the request limit is still served: it has the import limit.
    let session = sign_in(running.address, &admin).await;
    let csrf = import_form_csrf(running.address, &session).await;
    let (head, rest) = import_request(&session, &csrf, &shrunk_sdn());
    let mut stream = TcpStream::connect(running.address).await.expect("connect");
    stream.write_all(&head).await.expect("write the head");
    tokio::time::sleep(limits.request_timeout * 2).await;
    stream.write_all(&rest).await.expect("write the file");
    let page = read_answer(&mut stream).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // The shrink guard kept it inactive, and the hint names the form's checkbox, not the
    // command line's flag or the API's parameter.
    assert!(
        page.body.contains("Stored, not activated: "),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("If the removals are real, tick “Activate even if it removes more")
            && !page.body.contains("--allow-shrink")
            && !page.body.contains("allow_shrink=true"),
        "{}",
        page.body
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_upload_past_the_import_time_limit_is_stopped_with_an_error_page() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/ofac-sdn-2022-03-21/sdn.csv").await;
    let admin = store
        .create_key(Role::Admin, "ui admin", "cli:test")
        .await
        .expect("key")
        .key;
    let limits = Limits {
        import_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let running = Running::start(store, limits).await;
    let session = sign_in(running.address, &admin).await;
    let csrf = import_form_csrf(running.address, &session).await;
    // The file never comes.
    let (head, _) = import_request(&session, &csrf, &shrunk_sdn());
    let answer = exchange(running.address, &head).await;
    assert_took_too_long(&answer, "0.5");
    running.stop().await;
}

/// Mullah Akhund is UN TAi.002 and UK AFG0006: a customer's alerts on both records (as
/// monitoring raised them before it grouped by party) each link the other on the alert
/// page, and say to decide it too while it is undecided.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_alert_page_links_the_customers_alert_on_the_same_partys_other_record() {
    let (_guard, store) = sqlite().await;
    import(&store, "lists/un-consolidated-2026-02-27.xml").await;
    import(
        &store,
        "lists/uk-sanctions-list-2026-09-07/uk-sanctions-list.xml",
    )
    .await;
    store
        .upsert_customers(&[Customer {
            id: "C-1".into(),
            name: "Mohammad Hassan Akhund".into(),
            dob: None,
            countries: Vec::new(),
            schema: None,
        }])
        .await
        .expect("customer");
    let (un, uk) = ("un-sc:TAi.002", "uk-sanctions-list:AFG0006");
    raise_alerts(
        &store,
        &[
            ("C-1", un, "Mohammad Hassan Akhund"),
            ("C-1", uk, "Mohammad Hassan Akhund"),
        ],
        0.9,
    )
    .await;
    let alerts = store.alerts(&AlertFilter::default()).await.expect("alerts");
    let id_of = |entity: &str| {
        alerts
            .iter()
            .find(|a| a.entity_id == entity)
            .map(|a| a.id)
            .expect("the alert")
    };
    let (on_un, on_uk) = (id_of(un), id_of(uk));
    let analyst = store
        .create_key(Role::Analyst, "ui analyst", "cli:test")
        .await
        .expect("key")
        .key;
    let running = Running::start(store, Limits::default()).await;
    let session = sign_in(running.address, &analyst).await;
    let page = exchange(
        running.address,
        format!(
            "GET /ui/alerts/{on_un} HTTP/1.1\r\nHost: localhost\r\n\
             Cookie: interdict_session={session}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Same party, other alerts"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!(
            "<a class=\"also-decide\" href=\"/ui/alerts/{on_uk}\">also decide #{on_uk}</a>"
        )),
        "{}",
        page.body
    );
    running.stop().await;
}
