//! Sign up, log in (with the "Digital signature" tab of the official portal) and log out.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Kind, csrf, field, form_page, notice, page};
use super::limit::{self, Action, Client};
use super::recovery::check_mail_page;
use super::session::{Ctx, Posted, Sent, safe_next, with_session_cookie};
use super::{AppError, AppState};
use crate::domain::account::{Password, SignupForm};
use crate::domain::problem::Problems;
use crate::i18n::msg::{Account, Counted, Frame, Recovery, Screens};
use crate::service::account::{LoginOutcome, check_login};
use crate::service::signup::{SignUp, sign_up};
use crate::store;

/// The routes of this step.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// Query of the login page.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    /// `eds` for the digital-signature tab.
    #[serde(default)]
    pub tab: Option<String>,
    /// Where to go after logging in.
    #[serde(default)]
    pub next: Option<String>,
}

/// The login form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    /// IIN, BIN or e-mail.
    pub identifier: String,
    /// Password.
    pub password: String,
    /// Where to go after logging in.
    pub next: String,
}

/// What the login page shows above the form.
enum LoginNotice {
    None,
    Failed,
    /// The form's token had expired: sent again from this page.
    Expired,
    /// Throttled: try again in so many seconds.
    Wait(u64),
}

async fn login_page(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if q.tab.as_deref() == Some("eds") {
        return eds_page(&ctx, &next).into_response();
    }
    login_view(&ctx, "", &next, LoginNotice::None).into_response()
}

fn tabs(ctx: &Ctx, next: &str, eds: bool) -> Markup {
    let q = super::session::encode_next(next);
    html! {
        nav.tabs {
            a class=(if eds { "tab" } else { "tab current" }) href=(format!("/login?next={q}")) {
                (ctx.msg(Account::LoginPassword))
            }
            a class=(if eds { "tab current" } else { "tab" }) href=(format!("/login?tab=eds&next={q}")) {
                (ctx.msg(Account::DigitalSignature))
            }
        }
    }
}

fn eds_page(ctx: &Ctx, next: &str) -> axum::response::Html<String> {
    let title = ctx.msg(Account::LogInTitle);
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (tabs(ctx, next, true))
                (notice("info", ctx.msg(Account::DigitalSignatureNotice)))
            }
        },
    )
}

fn login_view(
    ctx: &Ctx,
    identifier: &str,
    next: &str,
    state: LoginNotice,
) -> axum::response::Html<String> {
    let title = ctx.msg(Account::LogInTitle);
    let none = Problems::new();
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (tabs(ctx, next, false))
                p.muted { (ctx.msg(Account::UseYourEmail)) }
                @match state {
                    LoginNotice::None => {},
                    LoginNotice::Failed => (notice("error", ctx.msg(Account::WrongCredentials))),
                    LoginNotice::Expired => (notice("warning", ctx.msg(Screens::FormExpiredKept))),
                    LoginNotice::Wait(seconds) => (notice("error", &ctx.counted(Counted::RetryAfter(seconds)))),
                }
                form method="post" action="/login" {
                    (csrf(ctx))
                    input type="hidden" name="next" value=(next);
                    (field(ctx.lang, "identifier", ctx.msg(Account::Identifier), identifier, true, Kind::Text, None, &none))
                    (field(ctx.lang, "password", ctx.msg(Account::Password), "", true, Kind::Password, None, &none))
                    button.primary type="submit" { (ctx.msg(Frame::LogIn)) }
                }
                p.links {
                    a href="/password/forgot" { (ctx.msg(Recovery::ForgotPassword)) }
                }
                p.links {
                    (ctx.msg(Account::NoAccountYet)) " "
                    a href=(format!("/signup?next={}", super::session::encode_next(next))) { (ctx.msg(Frame::SignUp)) }
                }
            }
        },
    )
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    client: Client,
    sent: Sent<LoginForm>,
) -> Result<Response, AppError> {
    let form = sent.form;
    let next = safe_next(Some(form.next.as_str()));
    if !sent.fresh {
        let view = login_view(&ctx, &form.identifier, &next, LoginNotice::Expired);
        return Ok(view.into_response());
    }
    let outcome = check_login(
        state.credentials(),
        Action::LogIn,
        &form.identifier,
        form.password,
        &client,
    )
    .await?;
    match outcome {
        LoginOutcome::LoggedIn(user_id) => log_in(&state, &ctx, user_id, &next).await,
        LoginOutcome::Refused => {
            tracing::info!("a login failed");
            let view = login_view(&ctx, &form.identifier, &next, LoginNotice::Failed);
            Ok((StatusCode::UNAUTHORIZED, view).into_response())
        }
        LoginOutcome::Throttled(throttled) => {
            tracing::info!(retry_after = throttled.retry_after, "a login was throttled");
            let notice = LoginNotice::Wait(throttled.retry_after);
            let view = login_view(&ctx, &form.identifier, &next, notice);
            Ok(limit::too_many(view, throttled))
        }
        LoginOutcome::Busy => Err(AppError::Busy),
    }
}

/// Replaces the request's session with a new one for the user (a new id at every login, so a
/// session id planted before login is worth nothing) and goes on to `next`.
pub(super) async fn log_in(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    next: &str,
) -> Result<Response, AppError> {
    if let Some(old) = ctx.session.token_hash.clone() {
        state
            .db
            .call(move |conn| store::account::delete_session(conn, &old))
            .await?;
    }
    let token = state.start_session(user_id).await?;
    tracing::info!(user_id, "a user logged in");
    let mut response = with_session_cookie(
        Redirect::to(next).into_response(),
        state.session_cookie(Some(&token)),
    );
    response
        .headers_mut()
        .append(axum::http::header::SET_COOKIE, state.device_cookie(user_id));
    Ok(response)
}

async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(_): Posted<LoginQuery>,
) -> Result<Response, AppError> {
    if let Some(old) = ctx.session.token_hash.clone() {
        state
            .db
            .call(move |conn| store::account::delete_session(conn, &old))
            .await?;
    }
    Ok(with_session_cookie(
        Redirect::to("/login").into_response(),
        state.session_cookie(None),
    ))
}

async fn signup_page(ctx: Ctx, Query(q): Query<LoginQuery>) -> axum::response::Html<String> {
    signup_view(
        &ctx,
        &SignupForm::default(),
        &Problems::new(),
        &safe_next(q.next.as_deref()),
        None,
    )
}

/// What a form page says above the form: a notice's kind and text.
type Banner = Option<(&'static str, String)>;

fn signup_view(
    ctx: &Ctx,
    form: &SignupForm,
    problems: &Problems,
    next: &str,
    banner: Banner,
) -> axum::response::Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(Frame::SignUp);
    form_page(
        ctx,
        title,
        "signup",
        html! {
            section.card.narrow {
                h1 { (title) }
                p.muted { (ctx.msg(Account::FieldsMarkedRequired)) }
                @if let Some((kind, text)) = &banner {
                    (notice(kind, text))
                }
                form id="signup" method="post" action="/signup" novalidate {
                    (csrf(ctx))
                    input type="hidden" name="next" value=(next);
                    (field(l, "email", "E-mail", &form.email, true, Kind::Email, None, problems))
                    (field(l, "full_name", ctx.msg(Account::FullName), &form.full_name, true, Kind::Text, None, problems))
                    (field(l, "password", ctx.msg(Account::Password), "", true, Kind::NewPassword,
                        Some(&ctx.counted(Counted::AtLeastChars(Password::MIN_CHARS))), problems))
                    (field(l, "password_again", ctx.msg(Account::RepeatPassword), "", true, Kind::NewPassword, None, problems))
                    button.primary type="submit" { (ctx.msg(Account::SignUpButton)) }
                }
                p.links {
                    (ctx.msg(Account::AlreadyRegistered)) " "
                    a href="/login" { (ctx.msg(Frame::LogIn)) }
                }
            }
        },
    )
}

/// The sign-up form with where to go next.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupPost {
    /// The account fields.
    #[serde(flatten)]
    pub form: SignupForm,
    /// Where to go after signing up.
    pub next: String,
}

async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    client: Client,
    sent: Sent<SignupPost>,
) -> Result<Response, AppError> {
    let post = sent.form;
    let next = safe_next(Some(post.next.as_str()));
    // The language switch, or a token that expired: the form again, with what was typed.
    if sent.switch_lang || !sent.fresh {
        let banner =
            (!sent.switch_lang).then(|| ("warning", ctx.msg(Screens::FormExpiredKept).to_owned()));
        return Ok(signup_view(&ctx, &post.form, &Problems::new(), &next, banner).into_response());
    }
    let account = match post.form.parse() {
        Ok(account) => account,
        Err(problems) => {
            let view = signup_view(&ctx, &post.form, &problems, &next, None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    // The same page whether the address was new or had an account (no enumeration); the
    // holder of an existing one is told by mail instead (service/signup.rs).
    let email = account.email.as_str().to_owned();
    match sign_up(
        state.credentials(),
        &state.clock,
        account,
        ctx.lang.code(),
        &client,
    )
    .await?
    {
        SignUp::Created(_) | SignUp::Existing(_) => {}
        SignUp::Throttled(throttled) => {
            let view = signup_view(
                &ctx,
                &post.form,
                &Problems::new(),
                &next,
                Some((
                    "error",
                    ctx.counted(Counted::RetryAfter(throttled.retry_after)),
                )),
            );
            return Ok(limit::too_many(view, throttled));
        }
        SignUp::Busy => return Err(AppError::Busy),
    }
    state.mail_bell.notify_one();
    Ok(check_mail_page(&ctx, &email).into_response())
}
