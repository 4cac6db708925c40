//! What the portal's tests share: the portal in-process, with no socket (on the system clock or
//! a fixed one), and a browser stand-in that keeps cookies and posts forms with their CSRF token.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use issuer::clock::Clock;
use issuer::store::Db;
use issuer::web::{AppState, Settings, app};
use tower::ServiceExt;

/// A browser stand-in: keeps the cookies and the last page, and comes from an address of its own
/// (each a different loopback address, set as the connection's address as the server would).
pub struct Client {
    pub app: Router,
    pub cookies: Vec<(String, String)>,
    pub last: String,
    pub addr: std::net::SocketAddr,
}

/// A different loopback address for each client of a test run.
pub fn next_address() -> std::net::SocketAddr {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let [_, a, b, c] = n.to_be_bytes();
    std::net::SocketAddr::from(([127, a, b, c], 40000))
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub fn today() -> time::Date {
    Clock::system().today()
}

pub fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn dev_key() -> shared::IssuerKey {
    issuer::keys::keyfile::load_private(&repo().join("keys/dev-issuer.key"))
        .expect("the dev key loads")
}

pub const SECRET: &str = "dev-epay-secret-not-for-production";
pub const MERCHANT: &str = "evisa-dev";
pub const PASSWORD: &str = "long enough password";

/// A portal whose gateway is at `gateway_url` with these secrets and fees.
pub fn portal_with(db: Db, gateway_url: &str, secrets: &str, fees: &str) -> (Router, AppState) {
    portal_at(db, gateway_url, secrets, fees, "http://127.0.0.1:8080")
}

/// Like [`portal_with`], for a portal reachable at `public_url`.
pub fn portal_at(
    db: Db,
    gateway_url: &str,
    secrets: &str,
    fees: &str,
    public_url: &str,
) -> (Router, AppState) {
    portal_on(db, gateway_url, secrets, fees, public_url, Clock::system())
}

/// A portal with no reachable gateway whose time is `clock`'s, for rules that depend on "now".
pub fn portal_clocked(db: Db, clock: Clock) -> (Router, AppState) {
    portal_on(
        db,
        "http://127.0.0.1:9",
        SECRET,
        "",
        "http://127.0.0.1:8080",
        clock,
    )
}

fn portal_on(
    db: Db,
    gateway_url: &str,
    secrets: &str,
    fees: &str,
    public_url: &str,
    clock: Clock,
) -> (Router, AppState) {
    issuer::service::demo::seed(&db, &clock).expect("demo data");
    let gateway = issuer::epay::Gateway::new(
        gateway_url,
        MERCHANT,
        issuer::epay::Secrets::parse(secrets).expect("secrets"),
    )
    .expect("gateway client");
    let state = AppState::new(
        db,
        Settings {
            secure_cookies: true,
            form_targets: Vec::new(),
            fees: issuer::domain::fees::Fees::parse(fees).expect("fees"),
            public_url: public_url.to_owned(),
            cookie_key: issuer::web::CookieKey::random(),
            unthrottled: Vec::new(),
        },
        gateway,
        std::sync::Arc::new(dev_key()),
        clock,
    );
    (app(state.clone()), state)
}

impl Client {
    pub fn new(app: &Router) -> Self {
        Client {
            app: app.clone(),
            cookies: Vec::new(),
            last: String::new(),
            addr: next_address(),
        }
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        // A test that sets the connection's address itself keeps it.
        if request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .is_none()
        {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(self.addr));
        }
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("ascii cookie");
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(n, _)| n != name);
            if !attrs.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let body = String::from_utf8(bytes.to_vec()).expect("utf-8 body");
        if status == StatusCode::OK || status.is_client_error() {
            self.last = body.clone();
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// Posts a form with the CSRF token of the last page.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = csrf_of(&self.last);
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.post_bytes(path, body.into_bytes()).await
    }

    /// Posts these exact bytes as a form body (for bodies no form would send).
    pub async fn post_bytes(&mut self, path: &str, body: Vec<u8>) -> Reply {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    pub async fn sign_up(&mut self, email: &str) {
        self.get("/signup").await;
        let reply = self
            .post(
                "/signup",
                &[
                    ("email", email),
                    ("full_name", "Anna Eriksson"),
                    ("password", PASSWORD),
                    ("password_again", PASSWORD),
                ],
            )
            .await;
        // The same page whether or not the address had an account; then a log-in.
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.body.contains("Check your e-mail"), "{}", reply.body);
        self.log_in(email, PASSWORD).await;
    }

    /// Logs in from the log-in page; the portal answers with a redirect.
    pub async fn log_in(&mut self, identifier: &str, password: &str) -> Reply {
        self.get("/login").await;
        let reply = self
            .post(
                "/login",
                &[("identifier", identifier), ("password", password)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        reply
    }
}

/// The letters queued for `email` and not yet delivered, oldest first (in-process tests run no
/// mailer, so every letter stays in the outbox).
pub fn letters_to(state: &AppState, email: &str) -> Vec<issuer::domain::mail::Letter> {
    state
        .db
        .with(|conn| issuer::store::outbox::due(conn, i64::MAX, 1000))
        .expect("the outbox reads")
        .into_iter()
        .filter(|pending| pending.recipient == email)
        .filter_map(|pending| pending.letter)
        .collect()
}

/// The path of the newest confirmation link mailed to `email`.
pub fn confirmation_link(state: &AppState, email: &str) -> String {
    letters_to(state, email)
        .into_iter()
        .rev()
        .find_map(|letter| match letter {
            issuer::domain::mail::Letter::VerifyAddress { token } => {
                Some(format!("/account/confirm/{token}"))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no confirmation link was mailed to {email}"))
}

/// Confirms `email`'s address as its holder would: opens the mailed link and presses "Confirm".
pub async fn confirm_address(client: &mut Client, state: &AppState, email: &str) {
    let link = confirmation_link(state, email);
    let page = client.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let done = client.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("Your address is confirmed"),
        "{}",
        done.body
    );
}

/// The page with its CSRF tokens blanked, to compare the pages two sessions got.
pub fn without_csrf(page: &str) -> String {
    let token = csrf_of(page);
    if token.is_empty() {
        page.to_owned()
    } else {
        page.replace(&token, "CSRF")
    }
}

/// The CSRF token of a page's first form.
pub fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    page.find(marker)
        .map(|at| {
            let rest = &page[at + marker.len()..];
            rest[..rest.find('"').expect("closing quote")].to_owned()
        })
        .unwrap_or_default()
}

/// Opens the duty payment of `email`'s confirmed application `id` straight in the database, as if
/// the gateway had answered with payment `pay-1`; returns the order id.
pub fn open_order(state: &AppState, email: &str, id: &str) -> String {
    let (email, app_id) = (email.to_owned(), id.to_owned());
    state
        .db
        .with(move |conn| {
            let (user, _) = issuer::store::account::find_login(conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("no account {email}"))?;
            let now = Clock::system().rfc3339();
            let row = issuer::store::payment::open_payment(conn, &app_id, user, 8000, "USD", &now)?
                .ok_or_else(|| anyhow::anyhow!("an open payment"))?;
            issuer::store::payment::set_gateway_payment(
                conn,
                &row.order_id,
                "pay-1",
                "http://127.0.0.1:9/pay/pay-1",
                &now,
            )?;
            Ok(row.order_id)
        })
        .expect("an order")
}

/// A browser stand-in already logged in to the back office as a new officer with `role`: the
/// officer and the session are written straight to the database (the log-in itself has its own
/// tests), and the client holds the office cookie.
pub fn office_client(
    app: &Router,
    state: &AppState,
    email: &str,
    role: issuer::domain::office::Role,
) -> Client {
    let token = issuer::ids::new_token();
    let hash = issuer::ids::hash_token(&token);
    let csrf = issuer::ids::new_token();
    let expires = state.clock.unix() + 3600;
    let now = state.clock.rfc3339();
    state
        .db
        .with(|conn| {
            let id = issuer::store::office::insert_officer(conn, email, role, &hash, 0, &now)?
                .expect("a new officer");
            issuer::store::office::insert_session(conn, &hash, id, &csrf, expires)
        })
        .expect("officer session");
    let mut client = Client::new(app);
    client
        .cookies
        .push((state.office_cookie_name().to_owned(), token));
    client
}

/// Verifies the inviting party with this BIN/IIN as the operator would (`issuer inviter verify`).
pub fn verify_inviter(state: &AppState, bin: &str) {
    let tax_id = issuer::domain::taxid::TaxId::parse(bin).expect("a BIN/IIN");
    let decided = state
        .db
        .with(|conn| {
            issuer::service::inviter::decide(
                conn,
                &state.clock,
                &issuer::domain::audit::Actor::Operator,
                &tax_id,
                issuer::domain::inviter::Decision::Verify,
                None,
                None,
            )
        })
        .expect("a decision");
    assert!(
        matches!(decided, issuer::service::inviter::Decided::Done { .. }),
        "{decided:?}"
    );
}

/// A real SMTP server (aiosmtpd, through `scripts/mail-server`) on a free loopback port, writing
/// each message it receives to a folder as JSON (decoded parts) and `.eml`. Killed when dropped.
pub struct MailServer {
    pub dir: tempfile::TempDir,
    child: std::process::Child,
}

impl MailServer {
    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("a folder for the mail");
        let child = std::process::Command::new(repo().join("scripts/mail-server"))
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("scripts/mail-server starts (scripts/install-deps installs aiosmtpd)");
        let server = Self { dir, child };
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the mail server did not start on port {port}");
    }

    /// Every message received so far, in order of arrival.
    pub fn received(&self) -> Vec<serde_json::Value> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .expect("the mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
            })
            .collect()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes a quoted-printable body (soft line breaks and `=XX` escapes).
pub fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=')
            .then(|| joined.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 text")
}

/// The decoded part of a MIME message with this content type (`text/plain`, `text/html`).
pub fn mime_part(eml: &str, content_type: &str) -> Option<String> {
    let at = eml.find(&format!("Content-Type: {content_type}"))?;
    let rest = &eml[at..];
    let body_at = rest.find("\r\n\r\n")? + 4;
    let body = &rest[body_at..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    Some(quoted_printable(&body[..end]))
}
