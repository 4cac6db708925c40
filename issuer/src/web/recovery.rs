//! The pages around e-mail: "check your e-mail" after signing up, confirming the address from
//! the mailed link, "send the link again" on the payment step, "Forgot password?" and the page a
//! reset link opens. A link's page only shows a button or a form; the token is used when that is
//! posted, so a mail scanner that opens links does not use them up.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Kind, csrf, field, notice, page};
use super::limit::{self, Action, Client, Subject};
use super::session::{Ctx, Posted, Sent, safe_next};
use super::{AppError, AppState};
use crate::domain::account::{LoginId, Password};
use crate::domain::mail::NewPasswordForm;
use crate::domain::problem::Problems;
use crate::i18n::msg::{Account, Counted, Frame, Recovery, Screens};
use crate::service::hasher::HashError;
use crate::service::recovery::{ask_reset, reset_link_is_good, reset_password};
use crate::service::signup::{Resent, confirm_address, resend_confirmation};

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/confirm/resend", post(resend))
        .route("/account/confirm/{token}", get(confirm_page).post(confirm))
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset/{token}", get(reset_page).post(reset))
        .route("/password/changed", get(changed_page))
}

/// "Send the link again", with where to come back to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResendForm {
    /// The page the button was on.
    pub next: String,
}

/// "Forgot password?": the account's e-mail address or IIN/BIN.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    /// E-mail, IIN or BIN.
    pub identifier: String,
}

/// What the sign-up form answers, whether or not the address had an account.
pub fn check_mail_page(ctx: &Ctx, email: &str) -> Html<String> {
    let title = ctx.msg(Recovery::CheckMailTitle);
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                p { strong { (email) } }
                (notice("info", ctx.msg(Recovery::CheckMailBody)))
                p.links {
                    a.button href="/login" { (ctx.msg(Frame::LogIn)) }
                }
            }
        },
    )
}

/// What the payment step shows an account whose address is not confirmed: why it cannot pay,
/// and the button that mails a new link.
pub fn confirm_before_paying(ctx: &Ctx) -> Markup {
    html! {
        (notice("error", ctx.msg(Recovery::ConfirmBeforePaying)))
        form method="post" action="/account/confirm/resend" {
            (csrf(ctx))
            input type="hidden" name="next" value=(ctx.path);
            button.primary type="submit" { (ctx.msg(Recovery::SendLinkAgain)) }
        }
    }
}

/// Whether a path segment can be one of our tokens (64 hex digits), before any lookup.
fn token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The page of a link that is unknown, used or expired.
fn link_invalid(ctx: &Ctx, title: &str, retry: (&str, &str)) -> Response {
    let view = page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (notice("error", ctx.msg(Recovery::LinkInvalid)))
                p.links { a href=(retry.0) { (retry.1) } }
            }
        },
    );
    (StatusCode::GONE, view).into_response()
}

async fn confirm_page(ctx: Ctx, Path(token): Path<String>) -> Response {
    let title = ctx.msg(Recovery::ConfirmTitle);
    if !token_shaped(&token) {
        return link_invalid(&ctx, title, ("/login", ctx.msg(Frame::LogIn)));
    }
    page(
        &ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                p { (ctx.msg(Recovery::ConfirmIntro)) }
                form method="post" action=(format!("/account/confirm/{token}")) {
                    (csrf(&ctx))
                    button.primary type="submit" { (ctx.msg(Recovery::ConfirmButton)) }
                }
            }
        },
    )
    .into_response()
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Posted(_): Posted<ResendForm>,
) -> Result<Response, AppError> {
    let title = ctx.msg(Recovery::ConfirmTitle);
    let confirmed = if token_shaped(&token) {
        confirm_address(&state.db, &state.clock, token).await?
    } else {
        None
    };
    if confirmed.is_none() {
        return Ok(link_invalid(&ctx, title, ("/login", ctx.msg(Frame::LogIn))));
    }
    Ok(page(
        &ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (notice("info", ctx.msg(Recovery::Confirmed)))
                p.links { a.button href="/account/visas" { (ctx.msg(Recovery::Continue)) } }
            }
        },
    )
    .into_response())
}

async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(form): Posted<ResendForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let next = safe_next(Some(form.next.as_str()));
    let outcome = resend_confirmation(&state.db, &state.clock, user).await?;
    state.mail_bell.notify_one();
    let said = match outcome {
        Resent::Sent => ctx.msg(Recovery::LinkSent),
        Resent::TooSoon => ctx.msg(Recovery::LinkSentRecently),
        Resent::AlreadyConfirmed => ctx.msg(Recovery::Confirmed),
    };
    let title = ctx.msg(Recovery::ConfirmTitle);
    Ok(page(
        &ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (notice("info", said))
                p.links { a.button href=(next) { (ctx.msg(Recovery::Continue)) } }
            }
        },
    )
    .into_response())
}

/// What the "Forgot password?" page says above its form.
enum ForgotNotice {
    /// The introduction.
    Intro,
    /// "If the account exists, a link is on its way."
    Sent,
    /// Too many requests for this account or from this address: wait this many seconds.
    Wait(u64),
    /// The form's token had expired: what was typed, to be sent again.
    Expired,
}

fn forgot_view(ctx: &Ctx, identifier: &str, said: ForgotNotice) -> Html<String> {
    let title = ctx.msg(Recovery::ForgotPassword);
    let none = Problems::new();
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                @match said {
                    ForgotNotice::Intro => p.muted { (ctx.msg(Recovery::ForgotIntro)) },
                    ForgotNotice::Sent => (notice("info", ctx.msg(Recovery::ResetSent))),
                    ForgotNotice::Wait(seconds) => {
                        (notice("error", &ctx.counted(Counted::RetryAfter(seconds))))
                    }
                    ForgotNotice::Expired => (notice("warning", ctx.msg(Screens::FormExpiredKept))),
                }
                form method="post" action="/password/forgot" {
                    (csrf(ctx))
                    (field(ctx.lang, "identifier", ctx.msg(Account::Identifier), identifier, true, Kind::Text, None, &none))
                    button.primary type="submit" { (ctx.msg(Recovery::SendResetLink)) }
                }
                p.links { a href="/login" { (ctx.msg(Frame::LogIn)) } }
            }
        },
    )
}

async fn forgot_page(ctx: Ctx) -> Html<String> {
    forgot_view(&ctx, "", ForgotNotice::Intro)
}

async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    client: Client,
    sent: Sent<ForgotForm>,
) -> Result<Response, AppError> {
    let form = sent.form;
    let identifier = form.identifier.trim();
    if !sent.fresh {
        return Ok(forgot_view(&ctx, identifier, ForgotNotice::Expired).into_response());
    }
    // Too long to be an address or a tax id: answered like any other, without a lookup.
    if !identifier.is_empty() && identifier.chars().count() <= 254 {
        // Throttled by the parsed identity whether or not it has an account, and per address.
        let subject = Subject::login(&LoginId::parse(identifier));
        match state
            .throttle
            .begin(Action::PasswordReset, Some(&subject), &client)
        {
            Ok(attempt) => attempt.succeeded(),
            Err(throttled) => {
                let view = forgot_view(&ctx, identifier, ForgotNotice::Wait(throttled.retry_after));
                return Ok(limit::too_many(view, throttled));
            }
        }
        // The same page follows whatever the answer, so it tells nobody who has an account.
        ask_reset(&state.db, &state.clock, identifier.to_owned()).await?;
        state.mail_bell.notify_one();
    }
    Ok(forgot_view(&ctx, "", ForgotNotice::Sent).into_response())
}

fn reset_view(ctx: &Ctx, token: &str, problems: &Problems) -> Html<String> {
    let title = ctx.msg(Recovery::NewPasswordTitle);
    let l = ctx.lang;
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                form method="post" action=(format!("/password/reset/{token}")) novalidate {
                    (csrf(ctx))
                    (field(l, "password", ctx.msg(Account::Password), "", true, Kind::NewPassword,
                        Some(&ctx.counted(Counted::AtLeastChars(Password::MIN_CHARS))), problems))
                    (field(l, "password_again", ctx.msg(Account::RepeatPassword), "", true, Kind::NewPassword, None, problems))
                    button.primary type="submit" { (ctx.msg(Recovery::SavePassword)) }
                }
            }
        },
    )
}

async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let forgot = ("/password/forgot", ctx.msg(Recovery::ForgotPassword));
    if !token_shaped(&token) || !reset_link_is_good(&state.db, &state.clock, token.clone()).await? {
        return Ok(link_invalid(
            &ctx,
            ctx.msg(Recovery::NewPasswordTitle),
            forgot,
        ));
    }
    Ok(reset_view(&ctx, &token, &Problems::new()).into_response())
}

async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Posted(form): Posted<NewPasswordForm>,
) -> Result<Response, AppError> {
    let forgot = ("/password/forgot", ctx.msg(Recovery::ForgotPassword));
    let title = ctx.msg(Recovery::NewPasswordTitle);
    if !token_shaped(&token) {
        return Ok(link_invalid(&ctx, title, forgot));
    }
    let password = match form.parse() {
        Ok(password) => password,
        Err(problems) => {
            let view = reset_view(&ctx, &token, &problems);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    let done = match reset_password(&state.db, &state.hasher, &state.clock, token, password).await {
        Ok(Some(done)) => done,
        Ok(None) => return Ok(link_invalid(&ctx, title, forgot)),
        Err(e) if matches!(e.downcast_ref::<HashError>(), Some(HashError::Busy)) => {
            return Err(AppError::Busy);
        }
        Err(e) => return Err(e.into()),
    };
    state.mail_bell.notify_one();
    // The owner proved who they are: the failed log-ins of the account are forgotten.
    state
        .throttle
        .forget(Action::LogIn, &Subject::account(done.user_id));
    // The browser that set the password is logged in afresh (every other session was ended):
    // the e-mailed link is the owner's way in, whatever the failed log-ins before it.
    super::account::log_in(&state, &ctx, done.user_id, "/password/changed").await
}

async fn changed_page(ctx: Ctx) -> Html<String> {
    let title = ctx.msg(Recovery::NewPasswordTitle);
    page(
        &ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (notice("info", ctx.msg(Recovery::PasswordChanged)))
                p.links { a.button href="/services" { (ctx.msg(Recovery::Continue)) } }
            }
        },
    )
}
