//! Server-side sessions in SQLite behind a `__Host-` cookie, the CSRF token each session carries,
//! the request context every page gets ([`Ctx`]), posted forms checked for that token
//! ([`Posted`]), and the failed-login counter.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use shared::labels::Field;
use subtle::ConstantTimeEq;

use super::cookie::cookie;
use super::lang::{LANG_COOKIE, query_lang};
use super::{AppError, AppState};
use crate::domain::account::User;
use crate::i18n::Lang;
use crate::i18n::msg::{Counted, Msg};
use crate::ids::{hash_token, new_token};
use crate::store;

/// How long a session lives, in seconds.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Failed logins allowed per identifier in [`LIMIT_SECONDS`].
pub const FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed logins allowed per client address in [`LIMIT_SECONDS`].
pub const FAILURES_PER_ADDRESS: u32 = 30;
/// The window of the login limits.
pub const LIMIT_SECONDS: i64 = 15 * 60;

/// The session of the current request, put there by [`sessions`].
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the token; the token itself is only in the cookie.
    pub token_hash: Vec<u8>,
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The CSRF token that every form of this session carries.
    pub csrf: String,
}

/// Marks a response that set the session cookie itself (log in, log out).
#[derive(Debug, Clone, Copy)]
pub struct SessionCookieSet;

/// What every page handler gets: the language, the session, and the path (for the language switch
/// and for coming back after logging in).
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The page language.
    pub lang: Lang,
    /// The session.
    pub session: Session,
    /// The request path.
    pub path: String,
    /// The client's address, when the server knows it.
    pub client: Option<std::net::IpAddr>,
}

/// A posted form whose CSRF token matched the session's.
#[derive(Debug, Clone)]
pub struct Posted<T>(pub T);

/// Counts failed logins per identifier and per client address.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl AppState {
    /// The session cookie's name: with the `__Host-` prefix when cookies are `Secure`, since
    /// browsers refuse that prefix otherwise.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-session"
        } else {
            "session"
        }
    }

    /// A `Set-Cookie` value for the session token (`None` clears the cookie).
    pub fn session_cookie(&self, token: Option<&str>) -> HeaderValue {
        let secure = if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let text = match token {
            Some(token) => format!(
                "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}{secure}",
                self.session_cookie_name()
            ),
            None => format!(
                "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
                self.session_cookie_name()
            ),
        };
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
    }

    /// Starts a session (anonymous or for a user) and returns its token.
    pub async fn start_session(&self, user_id: Option<i64>) -> Result<String, AppError> {
        let token = new_token();
        let hash = hash_token(&token);
        let csrf = new_token();
        let expires = self.clock.unix() + SESSION_SECONDS;
        self.db
            .write(move |conn| {
                store::account::insert_session(conn, &hash, "web", user_id, &csrf, expires)
            })
            .await?;
        Ok(token)
    }
}

/// Middleware: finds the request's session or starts an anonymous one, and remembers a language
/// chosen with `?lang=` in a cookie.
pub async fn sessions(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let token = cookie(req.headers(), state.session_cookie_name())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let found = match token {
        Some(token) => {
            let hash = hash_token(&token);
            let lookup = hash.clone();
            let now = state.clock.unix();
            state
                .db
                .read(move |conn| store::account::find_session(conn, &lookup, "web", now))
                .await?
                .map(|row| Session {
                    token_hash: hash,
                    user: row.user,
                    csrf: row.csrf,
                })
        }
        None => None,
    };
    let (session, new_token) = match found {
        Some(session) => (session, None),
        None => {
            let token = new_token();
            let hash = hash_token(&token);
            let csrf = new_token();
            let expires = state.clock.unix() + SESSION_SECONDS;
            let (h, c) = (hash.clone(), csrf.clone());
            state
                .db
                .write(move |conn| {
                    store::account::insert_session(conn, &h, "web", None, &c, expires)
                })
                .await?;
            (
                Session {
                    token_hash: hash,
                    user: None,
                    csrf,
                },
                Some(token),
            )
        }
    };
    let chosen_lang = req.uri().query().and_then(query_lang);
    req.extensions_mut().insert(session);
    let mut response = next.run(req).await;
    let set_by_handler = response.extensions().get::<SessionCookieSet>().is_some();
    if let (Some(token), false) = (new_token, set_by_handler) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, state.session_cookie(Some(&token)));
    }
    if let Some(lang) = chosen_lang {
        let secure = if state.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let text = format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

impl Ctx {
    /// The logged-in user, or a redirect to the login page that comes back here.
    pub fn user(&self) -> Result<&User, AppError> {
        self.session
            .user
            .as_ref()
            .ok_or_else(|| AppError::LoginRequired(self.path.clone()))
    }

    /// A message of the catalogue, in the request's language.
    pub fn msg(&self, msg: impl Into<Msg>) -> &'static str {
        msg.into().text(self.lang)
    }

    /// A message with a number in it, in the request's language.
    pub fn counted(&self, counted: Counted) -> String {
        counted.text(self.lang)
    }

    /// The name of one of the visa's printed fields, in the printout's words.
    pub fn label(&self, field: Field) -> &'static str {
        crate::i18n::label(self.lang, field)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("a page route runs without the session layer"))?;
        Ok(Ctx {
            lang: super::lang::of_request(parts.uri.query(), &parts.headers),
            session,
            path: parts.uri.path().to_owned(),
            client: parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
        })
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let expected = req
            .extensions()
            .get::<Session>()
            .map(|s| s.csrf.clone())
            .ok_or_else(|| anyhow::anyhow!("a form route runs without the session layer"))?;
        checked_form(req, state, &expected).await.map(Posted)
    }
}

/// Reads a posted form whose `csrf` field matches `expected` (compared in constant time).
pub(super) async fn checked_form<T: DeserializeOwned, S: Send + Sync>(
    req: Request,
    state: &S,
    expected: &str,
) -> Result<T, AppError> {
    let body = Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest
        }
    })?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    let sent = pairs
        .iter()
        .find(|(key, _)| key == "csrf")
        .map(|(_, value)| value.as_str())
        .unwrap_or("");
    if sent.is_empty() || !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(AppError::Csrf);
    }
    serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)
}

impl LoginLimiter {
    /// Whether any of the keys has used up its failures at `now` (Unix seconds).
    pub fn blocked(&self, keys: &[(String, u32)], now: i64) -> bool {
        let Ok(map) = self.failures.lock() else {
            return true;
        };
        keys.iter().any(|(key, limit)| {
            map.get(key)
                .is_some_and(|(count, since)| now - since < LIMIT_SECONDS && count >= limit)
        })
    }

    /// Counts a failure at `now` (Unix seconds) against each key.
    pub fn fail(&self, keys: &[(String, u32)], now: i64) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| now - *since < LIMIT_SECONDS);
        }
        for (key, _) in keys {
            let entry = map.entry(key.clone()).or_insert((0, now));
            if now - entry.1 >= LIMIT_SECONDS {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    /// Forgets the failures of an identifier after a successful login.
    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

/// Percent-encodes a local path for the `next` parameter.
pub fn encode_next(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A `next` target we are willing to redirect to: a local path, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/services".to_owned(),
    }
}

/// Attaches a session cookie chosen by the handler to a response.
pub fn with_session_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response.extensions_mut().insert(SessionCookieSet);
    response
}
