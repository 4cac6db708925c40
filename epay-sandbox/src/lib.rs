//! A sandbox of the e-government payment gateway (e-pay) for the e-visa issuer: the payment
//! pages of the instruction (payment card, e-wallet, write-off from a mobile balance), a signed
//! JSON API to create payments and read their status, and signed callbacks to the merchant, all
//! as docs/epay-gateway.md describes. Test cards, wallets and phones decide the outcome.
//!
//! The issuer may start it in-process ([`serve`] on its own listener) or run the `epay-sandbox`
//! binary. What the merchant side shares with it (signatures, JSON bodies, statuses) is the
//! `epay-contract` crate; nothing of this crate is meant for the merchant.
//!
//! Architecture invariant: card numbers never leave the request that carries them; a payment
//! keeps and sends only a masked hint (`**** 1111`).

pub mod api;
pub mod callback;
pub mod messages;
pub mod pages;
pub mod payment;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use epay_contract::{Secrets, SecretsError};

/// The development merchant id, as in docs/epay-gateway.md.
pub const DEV_MERCHANT_ID: &str = "evisa-dev";
/// The development HMAC secret, as in docs/epay-gateway.md.
pub const DEV_SECRET: &str = "dev-epay-secret-not-for-production";
/// The default address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8081";

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the binary listens (ignored by [`serve`], which is given a listener).
    pub addr: SocketAddr,
    /// The base of the `pay_url`s handed to the merchant, like `http://127.0.0.1:8081`; `None`
    /// means `http://` and the listener's address.
    pub public_url: Option<String>,
    /// The SQLite file payments are kept in; `None` keeps them in memory only.
    pub database: Option<PathBuf>,
    /// The one merchant this gateway serves.
    pub merchant_id: String,
    /// Shared HMAC secrets: the first signs, every one is accepted.
    pub secrets: Vec<String>,
    /// How long an ordinary payment "waits for the bank" before it is final.
    pub processing: Duration,
    /// How long the documented pending card stays pending.
    pub pending: Duration,
    /// How callbacks are delivered.
    pub callbacks: CallbackPolicy,
}

/// How callbacks are retried.
#[derive(Debug, Clone, Copy)]
pub struct CallbackPolicy {
    /// Attempts per delivery before giving up (the merchant still has the status API).
    pub attempts: u32,
    /// The wait before the first retry; each later wait doubles, up to [`Self::max_delay`].
    pub first_retry: Duration,
    /// The longest wait between attempts.
    pub max_delay: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Shared>,
}

/// Why the gateway could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The payments' database could not be opened.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The configured secrets are unusable.
    #[error(transparent)]
    Secrets(#[from] SecretsError),
}

#[derive(Debug)]
struct Shared {
    config: Config,
    secrets: Secrets,
    public_url: String,
    store: store::Store,
    http: reqwest::Client,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8081)),
            public_url: None,
            database: None,
            merchant_id: DEV_MERCHANT_ID.to_owned(),
            secrets: vec![DEV_SECRET.to_owned()],
            processing: Duration::from_secs(2),
            pending: Duration::from_secs(20),
            callbacks: CallbackPolicy::default(),
        }
    }
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        Self {
            attempts: 8,
            first_retry: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

impl AppState {
    /// The state for a gateway reachable at `public_url` (no trailing slash), with its payments
    /// in `config.database` (or in memory).
    pub fn new(config: Config, public_url: &str) -> Result<Self, StartError> {
        let secrets = Secrets::new(&config.secrets)?;
        let store = match &config.database {
            Some(path) => store::Store::open(path)?,
            None => store::Store::in_memory()?,
        };
        let http = reqwest::Client::builder()
            .timeout(config.callbacks.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Ok(Self {
            inner: Arc::new(Shared {
                public_url: public_url.trim_end_matches('/').to_owned(),
                config,
                secrets,
                store,
                http,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The shared HMAC secrets: the first signs, every one is accepted.
    pub fn secrets(&self) -> &Secrets {
        &self.inner.secrets
    }

    /// The payments.
    pub fn store(&self) -> &store::Store {
        &self.inner.store
    }

    /// The base URL the browser reaches the gateway at.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The client that sends callbacks.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }
}

/// The gateway's routes: the JSON API, the payment pages and their stylesheet, with security
/// headers on every response.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves the gateway on `listener` until the task is dropped or the listener fails. Callbacks
/// that a previous run on the same database had not delivered are sent again.
pub async fn serve(config: Config, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let state = AppState::new(config, &public_url).map_err(std::io::Error::other)?;
    let due = state
        .store()
        .callbacks_due()
        .map_err(std::io::Error::other)?;
    let now = time::OffsetDateTime::now_utc();
    for (id, settles_at) in due {
        let wait = settles_at.map_or(Duration::ZERO, |at| {
            Duration::try_from(at - now).unwrap_or(Duration::ZERO)
        });
        callback::spawn_settlement(state.clone(), id, wait);
    }
    tracing::info!(%local, %public_url, merchant = %state.config().merchant_id, "e-pay sandbox listening");
    axum::serve(listener, app(state)).await
}

async fn security_headers(request: axum::extract::Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
