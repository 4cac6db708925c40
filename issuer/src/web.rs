//! The portal's web layer: the router, the shared state, security headers, and the one error
//! type every page handler returns. Routes follow the applicant's flow, one module per step.

pub mod account;
pub mod apply;
pub mod cabinet;
pub mod inviter;
pub mod layout;
pub mod payment;
pub mod services;
pub mod session;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::html;
use tower_http::limit::RequestBodyLimitLayer;

use crate::db::Db;
use crate::epay::Gateway;
use crate::issuance::Fees;
use crate::issuance::Signer;
use session::LoginLimiter;

/// The largest request body the portal reads, in bytes. Forms are a few hundred bytes.
pub const BODY_LIMIT: usize = 32 * 1024;

/// Everything the handlers share.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`].
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: Db,
    /// Settings fixed at start.
    pub settings: Settings,
    /// Failed-login counters.
    pub limiter: LoginLimiter,
    /// The payment gateway.
    pub gateway: Gateway,
    /// What signs visas.
    pub key: Arc<dyn Signer>,
}

/// Settings the web layer needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` and name the session cookie with the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Origins besides our own that forms may lead to (the payment gateway), for the CSP.
    pub form_targets: Vec<String>,
    /// The state duty per category.
    pub fees: Fees,
    /// The portal's own address as the gateway and the browser reach it, like
    /// `http://127.0.0.1:8080`, for the return and callback addresses.
    pub public_url: String,
}

/// The one error type of the page handlers. Users see a plain page in three languages; the cause
/// of a server error is logged once, here, and never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page, or not yours.
    #[error("not found")]
    NotFound,
    /// The page needs a logged-in user; carries the path to come back to.
    #[error("login required")]
    LoginRequired(String),
    /// The form's CSRF token is missing or wrong.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The request cannot be understood.
    #[error("bad request")]
    BadRequest,
    /// The body is larger than [`BODY_LIMIT`].
    #[error("request body too large")]
    TooLarge,
    /// The payment gateway could not be reached or refused the payment.
    #[error("payment gateway: {0:#}")]
    Gateway(anyhow::Error),
    /// Something failed on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppState {
    /// Bundles the state.
    pub fn new(db: Db, settings: Settings, gateway: Gateway, key: Arc<dyn Signer>) -> Self {
        let mut settings = settings;
        if !settings.form_targets.iter().any(|t| t == gateway.origin()) {
            settings.form_targets.push(gateway.origin().to_owned());
        }
        Self(Arc::new(Inner {
            db,
            settings,
            limiter: LoginLimiter::default(),
            gateway,
            key,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The whole portal: pages, static files and the JSON API, with the security layers.
pub fn app(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to("/services") }))
        .merge(account::router())
        .merge(services::router())
        .merge(apply::router())
        .merge(cabinet::router())
        .merge(payment::router())
        .merge(inviter::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::sessions,
        ));
    Router::new()
        .route("/static/style.css", get(style))
        .nest("/api/v1", crate::api::router())
        .route("/epay/callback", axum::routing::post(payment::callback))
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state)
}

/// The portal's stylesheet, compiled in.
async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

/// Adds the security headers to every response: a CSP without inline scripts or styles, no
/// framing, no MIME sniffing, no referrer leaking application ids, no caching of personal pages.
async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut response = next.run(req).await;
    let mut form_action = String::from("'self'");
    for target in &state.settings.form_targets {
        form_action.push(' ');
        form_action.push_str(target);
    }
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, kk, ru, en) = match &self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Бет табылмады",
                "Страница не найдена",
                "Page not found",
            ),
            AppError::LoginRequired(next) => {
                let target = format!("/login?next={}", session::encode_next(next));
                return Redirect::to(&target).into_response();
            }
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Форманың мерзімі өтіп кетті. Бетті жаңартып, қайталап көріңіз",
                "Срок действия формы истёк. Обновите страницу и повторите",
                "The form has expired. Reload the page and try again",
            ),
            AppError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Сұрау қате",
                "Неверный запрос",
                "The request could not be understood",
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Жіберілген деректер тым үлкен",
                "Отправленные данные слишком велики",
                "The data sent is too large",
            ),
            AppError::Gateway(cause) => {
                tracing::error!(error = format!("{cause:#}"), "the payment gateway failed");
                (
                    StatusCode::BAD_GATEWAY,
                    "Төлем шлюзі қолжетімсіз. Бірнеше минуттан кейін қайталап көріңіз",
                    "Платёжный шлюз недоступен. Повторите через несколько минут",
                    "The payment gateway is not available. Please try again in a few minutes",
                )
            }
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Қызмет уақытша қолжетімсіз. Кейінірек қайталап көріңіз",
                    "Сервис временно недоступен. Повторите позже",
                    "The service is temporarily unavailable. Please try again later",
                )
            }
        };
        error_page(status, [kk, ru, en])
    }
}

/// The generic error page: the same message in all three languages, nothing from the request.
pub fn error_page(status: StatusCode, texts: [&str; 3]) -> Response {
    let markup = html! {
        (maud::DOCTYPE)
        html lang="kk" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (status.as_u16()) " · e-visa" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                header.top { div.brand { a href="/services" { "Visa-migration portal of the Republic of Kazakhstan" } } }
                main.card.error-page {
                    h1 { (status.as_u16()) }
                    @for text in texts { p { (text) } }
                    p { a href="/services" { "← ҚАЗ · РУС · ENG" } }
                }
            }
        }
    };
    (status, axum::response::Html(markup.into_string())).into_response()
}
