//! Getting into the back office: `/office/login` (e-mail, password and the current code, one
//! answer for whatever was wrong), `/office/logout`, and the frame and form protection of the
//! pages an officer sees before having a session (log-in and set-up).
//!
//! Before log-in there is no office session to hold a CSRF token, so these forms use a
//! double-submit token: a random value in a `SameSite=Strict`, `HttpOnly` cookie and the same
//! value in the form. Another site can neither read the cookie nor make the browser send it.

use std::net::IpAddr;

use axum::Router;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::layout::languages;
use super::{OFFICE_SESSION_SECONDS, OfficePosted};
use crate::domain::officer::LoginForm;
use crate::i18n::Lang;
use crate::i18n::msg::{A11y, Account, Counted, Frame, Office, OfficeAccess};
use crate::ids::new_token;
use crate::service::officer::{self, LoginOutcome};
use crate::web::cookie::cookie;
use crate::web::limit::{self, Client};
use crate::web::session::{checked_form, with_session_cookie};
use crate::web::{AppError, AppState};

/// The log-in and log-out routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/login", get(login_page).post(login))
        .route("/office/logout", post(logout))
}

/// A form posted before log-in whose token matched the pre-session cookie.
#[derive(Debug)]
pub struct PreSessionForm<T> {
    /// The page language.
    pub lang: Lang,
    /// The client's address.
    pub client: Option<IpAddr>,
    /// The form.
    pub form: T,
}

/// What the log-in page says above the form.
#[derive(Debug, Clone, Copy)]
enum Notice {
    None,
    Failed,
    Locked,
    /// Throttled: try again in so many seconds.
    Throttled(u64),
    SetupDone,
}

/// Query of the log-in page.
#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    /// `1` after a finished set-up.
    #[serde(default)]
    ready: Option<String>,
}

impl AppState {
    /// The name of the pre-session form cookie.
    fn form_cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-office-form"
        } else {
            "office-form"
        }
    }

    /// A fresh pre-session form token and the cookie that carries it.
    pub(super) fn form_token(&self) -> (String, HeaderValue) {
        let token = new_token();
        let secure = if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let text = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600{secure}",
            self.form_cookie_name()
        );
        let value = HeaderValue::from_str(&text)
            .unwrap_or_else(|_| HeaderValue::from_static("x=; Max-Age=0"));
        (token, value)
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PreSessionForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let expected = cookie(req.headers(), state.form_cookie_name())
            .unwrap_or("")
            .to_owned();
        if expected.len() != 64 {
            return Err(AppError::Csrf);
        }
        let lang = crate::web::lang::of_request(req.uri().query(), req.headers());
        let client = client_of(&req);
        let form = checked_form(req, state, &expected).await?;
        Ok(PreSessionForm { lang, client, form })
    }
}

/// The client's address of a request, when the server knows it.
fn client_of(req: &Request) -> Option<IpAddr> {
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

/// A page in the back office's frame for visitors without a session: the masthead and the
/// language switch, no navigation.
pub(super) fn public_page(l: Lang, path: &str, title: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (Office::BackOffice.text(l)) }
                link rel="stylesheet" href="/static/style.css";
            }
            body.office {
                a.skip-link href="#main" { (A11y::SkipToContent.text(l)) }
                header.site {
                    div.topbar { div.wrap { (languages(l, path)) } }
                    div.masthead {
                        div.wrap {
                            div.emblem aria-hidden="true" { "KZ" }
                            div { div.portal-name { (Office::BackOffice.text(l)) } }
                        }
                    }
                }
                main.wrap id="main" tabindex="-1" { (body) }
            }
        }
    };
    Html(markup.into_string())
}

/// A labelled input of the back office's forms, with its hint and its error beside it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Input<'a> {
    /// The field's name (and, as `f-<name>`, its id).
    pub name: &'a str,
    /// The label.
    pub label: &'a str,
    /// The input type: `email`, `password`, `text`.
    pub kind: &'a str,
    /// What the browser may fill in (`username`, `current-password`, `one-time-code`…).
    pub autocomplete: &'a str,
    /// The value to show again (never a password).
    pub value: &'a str,
    /// A hint under the input.
    pub hint: Option<&'a str>,
    /// What is wrong with it.
    pub error: Option<&'a str>,
}

impl Input<'_> {
    /// The field's markup.
    pub(super) fn render(self, l: Lang) -> Markup {
        let id = format!("f-{}", self.name);
        let error_id = format!("e-{}", self.name);
        let numeric = self.name == "code";
        let value = if self.kind == "password" {
            ""
        } else {
            self.value
        };
        html! {
            div class=(if self.error.is_some() { "field invalid" } else { "field" }) {
                label for=(id) { (self.label) span.req title=(Frame::Required.text(l)) { " *" } }
                input id=(id) name=(self.name) type=(self.kind) value=(value) required
                    autocomplete=(self.autocomplete)
                    inputmode=[numeric.then_some("numeric")]
                    pattern=[numeric.then_some("[0-9 ]{6,7}")]
                    maxlength=[numeric.then_some("7")]
                    aria-invalid=[self.error.map(|_| "true")]
                    aria-describedby=[self.error.map(|_| error_id.as_str())];
                @if let Some(hint) = self.hint { small.hint { (hint) } }
                @if let Some(error) = self.error { span.error id=(error_id) role="alert" { (error) } }
            }
        }
    }
}

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    let l = crate::web::lang::of_request(uri.query(), &headers);
    let notice = if q.ready.is_some() {
        Notice::SetupDone
    } else {
        Notice::None
    };
    login_view(&state, l, "", notice, StatusCode::OK)
}

fn login_view(
    state: &AppState,
    l: Lang,
    email: &str,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let (token, cookie) = state.form_token();
    let title = OfficeAccess::LogInTitle.text(l);
    let body = html! {
        section.card.narrow {
            h1 { (title) }
            p.muted { (OfficeAccess::StaffOnly.text(l)) }
            @match notice {
                Notice::None => {},
                Notice::Failed => div.notice.error role="alert" { (OfficeAccess::LoginFailed.text(l)) },
                Notice::Locked => div.notice.error role="alert" { (OfficeAccess::FactorLocked.text(l)) },
                Notice::Throttled(seconds) => div.notice.error role="alert" { (Counted::RetryAfter(seconds).text(l)) },
                Notice::SetupDone => div.notice.success role="status" { (OfficeAccess::SetupDone.text(l)) },
            }
            form method="post" action="/office/login" {
                input type="hidden" name="csrf" value=(token);
                (Input { name: "email", label: OfficeAccess::Email.text(l), kind: "email", autocomplete: "username", value: email, hint: None, error: None }.render(l))
                (Input { name: "password", label: Account::Password.text(l), kind: "password", autocomplete: "current-password", value: "", hint: None, error: None }.render(l))
                (Input { name: "code", label: OfficeAccess::Code.text(l), kind: "text", autocomplete: "one-time-code", value: "", hint: None, error: None }.render(l))
                button.primary type="submit" { (Frame::LogIn.text(l)) }
            }
        }
    };
    let page = public_page(l, "/office/login", title, body);
    let mut response = (status, page).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

async fn login(
    State(state): State<AppState>,
    posted: PreSessionForm<LoginForm>,
) -> Result<Response, AppError> {
    let PreSessionForm {
        lang: l,
        client,
        form,
    } = posted;
    let typed = form.email.clone();
    let client = Client::at(client);
    let outcome = officer::log_in(
        state.credentials(),
        &state.clock,
        form,
        &client,
        OFFICE_SESSION_SECONDS,
    )
    .await?;
    match outcome {
        LoginOutcome::LoggedIn { token, officer } => {
            tracing::info!(
                officer = officer.id,
                role = officer.role.as_str(),
                "an officer logged in"
            );
            Ok(with_session_cookie(
                Redirect::to("/office").into_response(),
                state.office_cookie(Some(&token)),
            ))
        }
        LoginOutcome::Refused => {
            tracing::info!(address = ?client.address, "a back-office log-in failed");
            Ok(login_view(
                &state,
                l,
                &typed,
                Notice::Failed,
                StatusCode::UNAUTHORIZED,
            ))
        }
        LoginOutcome::Locked => {
            tracing::warn!(address = ?client.address, "a back-office log-in met a locked second factor");
            Ok(login_view(
                &state,
                l,
                &typed,
                Notice::Locked,
                StatusCode::FORBIDDEN,
            ))
        }
        LoginOutcome::Throttled(throttled) => {
            tracing::warn!(
                address = ?client.address,
                retry_after = throttled.retry_after,
                "a back-office log-in was throttled"
            );
            let notice = Notice::Throttled(throttled.retry_after);
            let view = login_view(&state, l, &typed, notice, StatusCode::TOO_MANY_REQUESTS);
            Ok(limit::too_many(view, throttled))
        }
        LoginOutcome::Busy => Err(AppError::Busy),
    }
}

/// The log-out form: only the CSRF token.
#[derive(Debug, Default, Deserialize)]
struct Empty {}

async fn logout(
    State(state): State<AppState>,
    OfficePosted { ctx, .. }: OfficePosted<Empty>,
) -> Result<Response, AppError> {
    officer::log_out(
        &state.db,
        &state.clock,
        &ctx.officer,
        ctx.token_hash.clone(),
        ctx.address(),
    )
    .await?;
    tracing::info!(officer = ctx.officer.id, "an officer logged out");
    Ok(with_session_cookie(
        Redirect::to("/office/login").into_response(),
        state.office_cookie(None),
    ))
}
