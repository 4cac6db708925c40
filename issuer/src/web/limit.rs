//! The throttle (`service::throttle`) and the hashing pool as the web sees them: the client a
//! request comes from ([`Client`], an extractor: its address and known-device cookie), and the
//! `Retry-After` of every 429 and 503.
//!
//! A credential endpoint built later (password reset, officer log-in) throttles with one call:
//! ```ignore
//! let attempt = match state.throttle.begin(Action::PasswordReset, Some(&Subject::email(&form.email)), &client) {
//!     Ok(attempt) => attempt,
//!     Err(throttled) => return Ok(limit::too_many(page, throttled)),
//! };
//! ```
//! and, for a log-in, `attempt.succeeded()` once the password is right (or
//! `service::account::check_login` with `Action::OfficerLogIn`, which does all of it).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
pub use crate::service::throttle::{Action, Client, Subject, Throttled};

/// Seconds a client is told to wait when every hashing thread is busy.
pub const BUSY_RETRY_SECONDS: u64 = 1;

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Client {
            address: address(parts),
            device: state.known_device(&parts.headers),
        })
    }
}

/// The client's address, from the connection (the server runs with connect info).
pub fn address(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// `response` as a 429 with `Retry-After`.
pub fn too_many(response: impl IntoResponse, throttled: Throttled) -> Response {
    with_retry_after(
        StatusCode::TOO_MANY_REQUESTS,
        response,
        throttled.retry_after,
    )
}

/// `response` with `status` and `Retry-After: seconds`.
pub fn with_retry_after(status: StatusCode, response: impl IntoResponse, seconds: u64) -> Response {
    let mut response = response.into_response();
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}
