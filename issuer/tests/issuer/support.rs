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
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.addr));
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
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
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
