//! The migration service's back office under `/office`: officers only, behind their own session
//! cookie (`__Host-office`), never reachable with an applicant's session. Every handler takes an
//! [`OfficeCtx`] and asks [`OfficeCtx::require`] for the duty it performs, on the server.

pub mod access;
pub mod audit;
mod chart;
pub mod inviters;
pub mod keys;
pub mod kiosks;
pub mod layout;
pub mod officers;
pub mod screening;
pub mod setup;
pub mod statistics;
pub mod visas;

use std::net::IpAddr;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderValue;
use axum::http::request::Parts;
use axum::response::Html;
use axum::routing::get;
use maud::html;
use serde::de::DeserializeOwned;

use super::cookie::cookie;
use super::session::checked_form;
use super::{AppError, AppState};
use crate::domain::office::{Duty, Officer};
use crate::i18n::Lang;
use crate::i18n::msg::Office;
use crate::ids::hash_token;
use crate::store;

/// How long a back-office session lives, in seconds: one working shift.
pub const OFFICE_SESSION_SECONDS: i64 = 8 * 60 * 60;

/// What every back-office handler gets: the language, the logged-in officer and the session.
#[derive(Debug, Clone)]
pub struct OfficeCtx {
    /// The page language.
    pub lang: Lang,
    /// The officer.
    pub officer: Officer,
    /// The CSRF token every back-office form carries.
    pub csrf: String,
    /// SHA-256 of the session token (the token itself is only in the cookie).
    pub token_hash: Vec<u8>,
    /// The client's address, for the audit log.
    pub client: Option<IpAddr>,
    /// The request path.
    pub path: String,
}

/// A posted back-office form whose CSRF token matched the officer's session.
#[derive(Debug, Clone)]
pub struct OfficePosted<T> {
    /// The officer who posted it.
    pub ctx: OfficeCtx,
    /// The form.
    pub form: T,
}

/// The back office's routes (full paths under `/office/`); each feature merges its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office", get(home))
        .merge(inviters::router())
        .merge(screening::router())
        .merge(visas::router())
        .merge(keys::router())
        .merge(kiosks::router())
        .merge(statistics::router())
        .merge(access::router())
        .merge(setup::router())
        .merge(officers::router())
        .merge(audit::router())
        .layer(axum::middleware::from_fn(remember_language))
}

/// Remembers a language chosen with `?lang=` on a back-office page in the portal's language
/// cookie (the office routes sit outside the applicant session layer that does it elsewhere).
async fn remember_language(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    let chosen = req.uri().query().and_then(super::lang::query_lang);
    let mut response = next.run(req).await;
    if let Some(lang) = chosen {
        // Not a secret, so not `Secure`: the choice also holds on a plain-HTTP portal.
        let text = format!(
            "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            super::lang::LANG_COOKIE,
            lang.code(),
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, value);
        }
    }
    response
}

/// The first page after log-in: the sections this officer's role opens.
async fn home(ctx: OfficeCtx) -> Html<String> {
    let l = ctx.lang;
    let body = html! {
        h1 { (Office::BackOffice.text(l)) }
        ul.sections {
            @for (path, name, duty) in layout::SECTIONS {
                @if ctx.officer.role.may(duty) {
                    li { a href=(path) { (name.text(l)) } }
                }
            }
        }
    };
    layout::page(&ctx, Office::Home.text(l), body)
}

impl AppState {
    /// The back-office cookie's name: `__Host-office` when cookies are `Secure`.
    pub fn office_cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-office"
        } else {
            "office"
        }
    }

    /// A `Set-Cookie` value for the back-office token (`None` clears the cookie). `Strict`: no
    /// other site can make a browser send it.
    pub fn office_cookie(&self, token: Option<&str>) -> HeaderValue {
        let secure = if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let (value, age) = match token {
            Some(token) => (token, OFFICE_SESSION_SECONDS),
            None => ("", 0),
        };
        let text = format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}",
            self.office_cookie_name()
        );
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
    }
}

impl OfficeCtx {
    /// Passes when the officer's role may do `duty`; a 403 page otherwise.
    pub fn require(&self, duty: Duty) -> Result<(), AppError> {
        if self.officer.role.may(duty) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The client's address as the audit log records it.
    pub fn address(&self) -> Option<String> {
        self.client.map(|ip| ip.to_string())
    }
}

impl FromRequestParts<AppState> for OfficeCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = cookie(&parts.headers, state.office_cookie_name())
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or(AppError::OfficeLoginRequired)?;
        let token_hash = hash_token(token);
        let lookup = token_hash.clone();
        let now = state.clock.unix();
        let (officer, csrf) = state
            .db
            .read_one(move |conn| store::office::find_session(conn, &lookup, now))
            .await?
            .ok_or(AppError::OfficeLoginRequired)?;
        Ok(OfficeCtx {
            lang: super::lang::of_request(parts.uri.query(), &parts.headers),
            officer,
            csrf,
            token_hash,
            client: parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
            path: parts.uri.path().to_owned(),
        })
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for OfficePosted<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let ctx = OfficeCtx::from_request_parts(&mut parts, state).await?;
        let form = checked_form(Request::from_parts(parts, body), state, &ctx.csrf).await?;
        Ok(OfficePosted { ctx, form })
    }
}
