//! The one error type of the page handlers, and the plain error page users see.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use crate::i18n::Lang;
use crate::i18n::msg::Frame;

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

/// The generic error page: the same message in all three languages, nothing from the request.
pub fn error_page(status: StatusCode, message: Frame) -> Response {
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
                header.top { div.brand { a href="/services" { (Frame::PortalName.text(Lang::En)) } } }
                main.card.error-page {
                    h1 { (status.as_u16()) }
                    @for lang in Lang::ALL { p { (message.text(lang)) } }
                    p { a href="/services" { "← ҚАЗ · РУС · ENG" } }
                }
            }
        }
    };
    (status, axum::response::Html(markup.into_string())).into_response()
}
