//! The one error type of the page handlers, and the error page users see: the portal's frame in
//! the request's language, also for the errors layers answer themselves ([`frame_errors`]).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;

use super::layout::{Chrome, frame};
use crate::i18n::Lang;
use crate::i18n::msg::{Frame, Msg, Screens};

/// The one error type of the page handlers. Users see the framed error page; the cause
/// of a server error is logged once, here, and never shown.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page, or not yours.
    #[error("not found")]
    NotFound,
    /// The page needs a logged-in user; carries the path to come back to.
    #[error("login required")]
    LoginRequired(String),
    /// The back-office page needs a logged-in officer.
    #[error("office login required")]
    OfficeLoginRequired,
    /// The officer's role may not do this.
    #[error("forbidden for this role")]
    Forbidden,
    /// The form's CSRF token is missing or wrong.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The request cannot be understood.
    #[error("bad request")]
    BadRequest,
    /// The body is larger than [`BODY_LIMIT`].
    #[error("request body too large")]
    TooLarge,
    /// Every password hashing thread is busy and the queue is full: 503 with `Retry-After`.
    #[error("every password check is busy")]
    Busy,
    /// The payment gateway could not be reached or refused the payment.
    #[error("payment gateway: {0:#}")]
    Gateway(anyhow::Error),
    /// Something failed on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::NotFound => (StatusCode::NOT_FOUND, Frame::PageNotFound),
            AppError::LoginRequired(next) => {
                let target = format!("/login?next={}", super::session::encode_next(next));
                return Redirect::to(&target).into_response();
            }
            AppError::OfficeLoginRequired => {
                return Redirect::to("/office/login").into_response();
            }
            AppError::Forbidden => (StatusCode::FORBIDDEN, Frame::Forbidden),
            AppError::Csrf => (StatusCode::FORBIDDEN, Frame::FormExpired),
            AppError::BadRequest => (StatusCode::BAD_REQUEST, Frame::BadRequest),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, Frame::TooLarge),
            AppError::Busy => {
                return super::limit::with_retry_after(
                    StatusCode::SERVICE_UNAVAILABLE,
                    error_page(StatusCode::SERVICE_UNAVAILABLE, Frame::Busy),
                    super::limit::BUSY_RETRY_SECONDS,
                );
            }
            AppError::Gateway(cause) => {
                tracing::error!(error = format!("{cause:#}"), "the payment gateway failed");
                (StatusCode::BAD_GATEWAY, Frame::GatewayUnavailable)
            }
            AppError::Internal(cause) if crate::store::is_unavailable(cause) => {
                // PostgreSQL unreachable: nothing was changed; the user may try again shortly.
                tracing::error!(error = format!("{cause:#}"), "the database is unreachable");
                return super::limit::with_retry_after(
                    StatusCode::SERVICE_UNAVAILABLE,
                    error_page(StatusCode::SERVICE_UNAVAILABLE, Frame::ServiceUnavailable),
                    super::limit::BUSY_RETRY_SECONDS,
                );
            }
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, Frame::ServiceUnavailable)
            }
        };
        error_page(status, message)
    }
}

/// Marks an error response with the message its page shows; [`frame_errors`] draws the page in
/// the request's language.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage(pub Msg);

/// An error response: the status and the message, drawn by [`frame_errors`] in the portal's
/// frame and the request's language (the body here is only its English text, for a client the
/// middleware does not serve).
pub fn error_page(status: StatusCode, message: impl Into<Msg>) -> Response {
    let message = message.into();
    let mut response = (status, message.text(Lang::En)).into_response();
    response.extensions_mut().insert(ErrorPage(message));
    response
}

/// The message of an error answered without a page: by a layer (the body-size limit's 413, the
/// timeout's 503), by the router (405) or by an extractor's rejection (400, 415, 422).
fn message_of(status: StatusCode) -> Msg {
    match status {
        StatusCode::NOT_FOUND => Frame::PageNotFound.into(),
        StatusCode::FORBIDDEN => Frame::Forbidden.into(),
        StatusCode::PAYLOAD_TOO_LARGE => Frame::TooLarge.into(),
        StatusCode::TOO_MANY_REQUESTS => Screens::TooManyRequests.into(),
        StatusCode::BAD_GATEWAY => Frame::GatewayUnavailable.into(),
        s if s.is_server_error() => Frame::ServiceUnavailable.into(),
        _ => Frame::BadRequest.into(),
    }
}

/// Middleware: every error of a page (not of the JSON API, the gateway's callback or a static
/// file) is shown in the portal's frame, in the language the request asks for (`?lang=`, the
/// cookie, the browser's), with a way back: the page the visitor came from (a same-site
/// `Referer`) and the portal's services. Pages the handlers drew themselves (a form shown again
/// with its errors, 401, the throttle's 429) pass unchanged; the status and headers (such as
/// `Retry-After`) are kept.
pub async fn frame_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // The JSON API, static files, the gateway's callback and the load balancer's probes answer
    // for machines: their bodies stay as they are.
    let for_machines = path.starts_with("/api/")
        || path.starts_with("/static/")
        || matches!(path.as_str(), "/epay/callback" | "/healthz" | "/readyz");
    if for_machines {
        return next.run(req).await;
    }
    let lang = super::lang::of_request(req.uri().query(), req.headers());
    let back = came_from(req.headers());
    let response = next.run(req).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let message = match response.extensions().get::<ErrorPage>() {
        Some(ErrorPage(message)) => *message,
        None if !is_html => message_of(status),
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    // A page that does not exist is not named again, not even in the language switch.
    let switch = if status == StatusCode::NOT_FOUND {
        "/services"
    } else {
        &path
    };
    let page = framed(lang, switch, status, message, back.as_deref());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(page.0))
}

/// The error page in the portal's frame.
pub fn framed(
    lang: Lang,
    path: &str,
    status: StatusCode,
    message: Msg,
    back: Option<&str>,
) -> Html<String> {
    let text = message.text(lang);
    let chrome = Chrome {
        lang,
        path,
        user: None,
        who: false,
        carry: None,
    };
    frame(
        &chrome,
        text,
        html! {
            section.card.error-page {
                p.status-code { (Screens::Error.text(lang)) " " (status.as_u16()) }
                h1 { (text) }
                p.actions {
                    @if let Some(back) = back {
                        a.button href=(back) { "← " (Screens::BackToPrevious.text(lang)) }
                    }
                    a.button.primary href="/services" { (Screens::ToServices.text(lang)) }
                }
            }
        },
    )
}

/// The page of this site the request came from (its `Referer`, when it names this host), as a
/// local path to link back to.
fn came_from(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let local = rest.strip_prefix(host)?;
    let local = if local.is_empty() { "/" } else { local };
    (local.starts_with('/')).then(|| super::session::safe_next(Some(local)))
}
