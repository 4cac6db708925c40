//! The one error type of the page handlers, and the plain error page users see.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

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
                let target = format!("/login?next={}", super::session::encode_next(next));
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
