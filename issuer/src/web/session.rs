//! Server-side sessions in SQLite behind a `__Host-` cookie, made only when a user logs in; the
//! CSRF token of every form (the session's, or for an anonymous visitor one signed from a random
//! cookie, so that looking at pages writes nothing); the request context every page gets
//! ([`Ctx`]); posted forms checked for that token ([`Posted`]); and the known-device cookie a
//! browser gets at log-in (the throttle does not slow it for other people's failures).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
use crate::service::throttle::KnownDevice;
use crate::store;

/// How long a session lives, in seconds.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// How long the anonymous CSRF cookie lives, in seconds.
pub const CSRF_COOKIE_SECONDS: i64 = 12 * 60 * 60;
/// How long a browser stays a known device of an account after logging in, in seconds.
pub const DEVICE_SECONDS: i64 = 180 * 24 * 60 * 60;

/// The session of the current request, put there by [`sessions`].
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the session token (the token itself is only in the cookie); `None` for an
    /// anonymous visitor, who has no row.
    pub token_hash: Option<Vec<u8>>,
    /// The logged-in user, if any.
    pub user: Option<User>,
    csrf: String,
    /// Whether a page of this request showed the CSRF token (then an anonymous visitor gets
    /// the cookie it is signed from).
    shown: Arc<AtomicBool>,
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

impl Session {
    /// The CSRF token every form of this session carries.
    pub fn csrf(&self) -> &str {
        self.shown.store(true, Ordering::Relaxed);
        &self.csrf
    }
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

    /// The anonymous CSRF cookie's name.
    pub fn csrf_cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-csrf"
        } else {
            "csrf"
        }
    }

    /// The known-device cookie's name.
    pub fn device_cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-device"
        } else {
            "device"
        }
    }

    /// A `Set-Cookie` value for the session token (`None` clears the cookie).
    pub fn session_cookie(&self, token: Option<&str>) -> HeaderValue {
        let value = token.unwrap_or("");
        let age = if token.is_some() { SESSION_SECONDS } else { 0 };
        self.set_cookie(self.session_cookie_name(), value, age)
    }

    /// A `Set-Cookie` value: host-only, `HttpOnly`, `SameSite=Lax`, `Secure` when configured.
    pub fn set_cookie(&self, name: &str, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let text =
            format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"))
    }

    /// Starts a session for a user and returns its token; expired sessions are purged in the
    /// same transaction, so the table holds live sessions only.
    pub async fn start_session(&self, user_id: i64) -> Result<String, AppError> {
        let token = new_token();
        let hash = hash_token(&token);
        let csrf = new_token();
        let now = self.clock.unix();
        self.db
            .call(move |conn| {
                let tx = conn.transaction()?;
                store::account::purge_sessions(&tx, now)?;
                store::account::insert_session(
                    &tx,
                    &hash,
                    "web",
                    Some(user_id),
                    &csrf,
                    now + SESSION_SECONDS,
                )?;
                tx.commit()?;
                Ok(())
            })
            .await?;
        Ok(token)
    }

    /// A `Set-Cookie` value marking this browser as a known device of `user_id`.
    pub fn device_cookie(&self, user_id: i64) -> HeaderValue {
        let expires = self.clock.unix() + DEVICE_SECONDS;
        let value = format!("{user_id}.{}.{expires}", &new_token()[..32]);
        let signed = self.settings.cookie_key.sign("device", &value);
        self.set_cookie(self.device_cookie_name(), &signed, DEVICE_SECONDS)
    }

    /// The account this browser has logged in to before, from its signed, unexpired
    /// known-device cookie.
    pub fn known_device(&self, headers: &axum::http::HeaderMap) -> Option<KnownDevice> {
        let signed = cookie(headers, self.device_cookie_name())?;
        let value = self.settings.cookie_key.open("device", signed)?;
        let mut parts = value.split('.');
        let user_id = parts.next()?.parse().ok()?;
        let id = parts.next()?.to_owned();
        let expires: i64 = parts.next()?.parse().ok()?;
        (expires > self.clock.unix()).then_some(KnownDevice { user_id, id })
    }
}

/// Middleware: finds the request's session; for a visitor without one, signs the CSRF token
/// from a random cookie instead (set only when the page shows a form), so anonymous requests
/// write nothing. Also remembers a language chosen with `?lang=` in a cookie.
pub async fn sessions(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let token = cookie(req.headers(), state.session_cookie_name())
        .filter(|t| is_token(t))
        .map(str::to_owned);
    let stale = token.is_some();
    let found = match token {
        Some(token) => {
            let hash = hash_token(&token);
            let lookup = hash.clone();
            let now = state.clock.unix();
            state
                .db
                .read_one(move |conn| store::account::find_session(conn, &lookup, "web", now))
                .await?
                .map(|row| (hash, row))
        }
        None => None,
    };
    let shown = Arc::new(AtomicBool::new(false));
    let (session, new_nonce, stale) = match found {
        Some((hash, row)) => (
            Session {
                token_hash: Some(hash),
                user: row.user,
                csrf: row.csrf,
                shown: shown.clone(),
            },
            None,
            false,
        ),
        None => {
            let kept = cookie(req.headers(), state.csrf_cookie_name())
                .filter(|n| is_token(n))
                .map(str::to_owned);
            let (nonce, fresh) = match kept {
                Some(nonce) => (nonce, false),
                None => (new_token(), true),
            };
            let csrf = state.settings.cookie_key.mac("csrf", &nonce);
            (
                Session {
                    token_hash: None,
                    user: None,
                    csrf,
                    shown: shown.clone(),
                },
                fresh.then_some(nonce),
                stale,
            )
        }
    };
    let chosen_lang = req.uri().query().and_then(query_lang);
    req.extensions_mut().insert(session);
    let mut response = next.run(req).await;
    let set_by_handler = response.extensions().get::<SessionCookieSet>().is_some();
    if !set_by_handler {
        if let Some(nonce) = new_nonce.filter(|_| shown.load(Ordering::Relaxed)) {
            let value = state.set_cookie(state.csrf_cookie_name(), &nonce, CSRF_COOKIE_SECONDS);
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        if stale {
            // The session ended or expired: the browser forgets its cookie.
            let value = state.session_cookie(None);
            response.headers_mut().append(header::SET_COOKIE, value);
        }
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

impl AppState {
    /// Logs a user in in the middle of a request (a form posted after the session ended, with
    /// the log-in fields filled in): replaces the request's session with a new one and returns
    /// the context the rest of the request runs in (the new session's token for the page) and
    /// the cookies the response must set.
    pub(super) async fn log_in_here(
        &self,
        ctx: &Ctx,
        user_id: i64,
    ) -> Result<(Ctx, [HeaderValue; 2]), AppError> {
        if let Some(old) = ctx.session.token_hash.clone() {
            self.db
                .call(move |conn| store::account::delete_session(conn, &old))
                .await?;
        }
        let token = self.start_session(user_id).await?;
        let hash = hash_token(&token);
        let lookup = hash.clone();
        let now = self.clock.unix();
        let row = self
            .db
            .read_one(move |conn| store::account::find_session(conn, &lookup, "web", now))
            .await?
            .ok_or_else(|| anyhow::anyhow!("a session just started is not found"))?;
        tracing::info!(user_id, "a user logged in again to send a form");
        let session = Session {
            token_hash: Some(hash),
            user: row.user,
            csrf: row.csrf,
            shown: Arc::new(AtomicBool::new(false)),
        };
        let cookies = [
            self.session_cookie(Some(&token)),
            self.device_cookie(user_id),
        ];
        Ok((
            Ctx {
                session,
                ..ctx.clone()
            },
            cookies,
        ))
    }
}

/// 64 hexadecimal digits: the shape of every token the portal makes.
fn is_token(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
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
    let sent = read_form(req, state, expected).await?;
    if sent.fresh {
        Ok(sent.form)
    } else {
        Err(AppError::Csrf)
    }
}

/// A posted form read whether or not its token still matches, for the pages that can show
/// the form again: when the token expired (the session ended, the page stayed open too long)
/// they show what was typed with a fresh token instead of losing it; they act only on a fresh
/// one. Also tells whether the language switch posted it (a `switch_lang` field).
#[derive(Debug, Clone)]
pub struct Sent<T> {
    /// The form's fields.
    pub form: T,
    /// Whether the form's CSRF token matched the session's.
    pub fresh: bool,
    /// Whether the language switch posted the form (show it again, act on nothing).
    pub switch_lang: bool,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Sent<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let expected = req
            .extensions()
            .get::<Session>()
            .map(|s| s.csrf.clone())
            .ok_or_else(|| anyhow::anyhow!("a form route runs without the session layer"))?;
        read_form(req, state, &expected).await
    }
}

async fn read_form<T: DeserializeOwned, S: Send + Sync>(
    req: Request,
    state: &S,
    expected: &str,
) -> Result<Sent<T>, AppError> {
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
    let fresh = !sent.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()));
    let switch_lang = pairs.iter().any(|(key, _)| key == "switch_lang");
    let form = serde_urlencoded::from_bytes(&body).map_err(|_| {
        if fresh {
            AppError::BadRequest
        } else {
            AppError::Csrf
        }
    })?;
    Ok(Sent {
        form,
        fresh,
        switch_lang,
    })
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
