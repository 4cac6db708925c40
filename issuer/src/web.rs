//! The portal's web layer: the router and the security headers. Routes follow the applicant's
//! flow, one module per step; the JSON API sits beside the pages and shares their state.

pub mod account;
pub mod api;
pub mod apply;
pub mod cabinet;
mod cookie;
mod error;
pub mod group;
pub mod health;
pub mod inviter;
pub mod lang;
pub mod layout;
pub mod limit;
pub mod office;
pub mod payment;
pub mod printout;
pub mod recovery;
pub mod services;
pub mod session;
mod state;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The longest a request may take before the portal answers 503 itself.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub use cookie::CookieKey;
pub use error::{AppError, error_page};
pub use state::{AppState, BODY_LIMIT, Inner, Settings, TrustFiles};

/// The whole portal: pages, static files and the JSON API, with the security layers.
pub fn app(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to("/services") }))
        .merge(account::router())
        .merge(services::router())
        .merge(apply::router())
        .merge(cabinet::router())
        .merge(payment::router())
        .merge(group::router())
        .merge(inviter::router())
        .merge(recovery::router())
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::sessions,
        ));
    let forms = Router::new()
        .route("/static/style.css", get(style))
        .route("/static/print.js", get(print_script))
        // The load balancer's probes: no session, no cookie, no throttle.
        .merge(health::router())
        .nest("/api/v1", api::router())
        .route("/epay/callback", axum::routing::post(payment::callback))
        .merge(office::router())
        .merge(pages)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    // The printout check reads pictures: its own, larger body limit, and nothing else's.
    let uploads = Router::new()
        .route("/api/v1/check", axum::routing::post(api::check::check))
        .merge(printout::router().layer(middleware::from_fn_with_state(
            state.clone(),
            session::sessions,
        )))
        .layer(DefaultBodyLimit::max(printout::UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(printout::UPLOAD_LIMIT));
    Router::new()
        .merge(uploads)
        .merge(forms)
        // A kiosk's ledger export is larger than a form: its upload has its own limit.
        .merge(office::kiosks::upload_router())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        // Every page error, also those the layers above answer (413, 503), in the portal's
        // frame and the request's language.
        .layer(middleware::from_fn(error::frame_errors))
        // Outermost, so that what the layers above answer themselves (413 from the body limit,
        // 503 from the timeout) carries the headers too.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
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

/// The receipt's one script: it wires the "Print" button (the page works without it).
async fn print_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/print.js"),
    )
        .into_response()
}

/// Adds the security headers to every response: a CSP without inline scripts or styles (the one script is a static file), no
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
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action {form_action}; \
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
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
