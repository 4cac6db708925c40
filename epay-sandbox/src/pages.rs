//! The applicant's pages, in the order of the instruction (pictures 7–10): choose a method, fill
//! in the card, e-wallet or phone form, wait for the server's answer, get the electronic check.
//! Server-rendered, no script needed (optional static scripts wire the "Print" button and tell the
//! waiting payer that the answer has arrived), and
//! every form is protected by a double-submit CSRF token. This module holds the routes and
//! handlers; the pages themselves are in `pages/` (`forms.rs` before paying, `outcome.rs` after,
//! `layout.rs` the frame), their words in `messages.rs`.
//!
//! Each page is in the payer's language: `?lang=` (the switch on every page, or a merchant's link),
//! then the cookie the switch leaves, then the `lang` the merchant sent with the payment, then
//! Kazakh.

use axum::Form;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use epay_contract::{PaymentMethod, PaymentStatus};
use maud::Markup;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::AppState;
use crate::callback::spawn_settlement;
use crate::messages::{Lang, Msg};
use crate::payment::{CardErrors, CardForm, Operator, Outcome, Payment, Phone, Wallet};

mod forms;
mod layout;
mod outcome;

use forms::{card_page, choose_method, mobile_page, wallet_page};
use layout::{View, message_page};
use outcome::{ASTANA, receipt, waiting};

const CSRF_COOKIE: &str = "epay_csrf";
/// The cookie that marks the browser that paid a payment, `epay_payer_<payment id>` (its path is
/// the payment's address): the gateway's tagged MAC of the payment id, so nothing is stored and
/// nothing else opens it.
const PAYER_COOKIE: &str = "epay_payer_";
/// The tag of [`PAYER_COOKIE`]'s MAC.
const PAYER_TAG: &[u8] = b"payer";
/// The cookie that keeps the language the payer chose with the switch.
const LANG_COOKIE: &str = "epay_lang";
const STYLESHEET: &str = include_str!("../static/epay.css");
const PRINT_SCRIPT: &str = include_str!("../static/print.js");
const WAIT_SCRIPT: &str = include_str!("../static/wait.js");

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/epay.css", get(stylesheet))
        .route("/static/print.js", get(print_script))
        .route("/static/wait.js", get(wait_script))
        .route("/pay/{id}", get(payment_page))
        .route("/pay/{id}/card", get(card_form).post(card_submit))
        .route("/pay/{id}/wallet", get(wallet_form).post(wallet_submit))
        .route("/pay/{id}/mobile", get(mobile_form).post(mobile_submit))
}

/// The e-wallet form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct WalletForm {
    #[serde(default)]
    wallet: String,
    #[serde(default)]
    csrf: String,
}

/// The mobile form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct MobileForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf: String,
}

/// The card form's fields with the CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct CardSubmission {
    #[serde(flatten)]
    card: CardForm,
    #[serde(default)]
    csrf: String,
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

async fn print_script() -> Response {
    script(PRINT_SCRIPT)
}

async fn wait_script() -> Response {
    script(WAIT_SCRIPT)
}

fn script(source: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        source,
    )
        .into_response()
}

/// The payment's one address: the method choice while unpaid, the waiting page while pending,
/// the electronic check once final. Once submitted, the payment (the payer's name, the card's
/// last digits) shows only in the browser that paid ([`PAYER_COOKIE`]) or through a check link
/// the merchant signed, until it expires (`?expires=…&signature=…`, docs/epay-gateway.md).
async fn payment_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let asked = Asked::new(query.as_deref(), &headers);
    let payment = match load(&state, &id, &asked) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    let view = asked.view(&payment, format!("/pay/{id}"));
    let opened = payment.status == PaymentStatus::Created
        || is_payer(&state, &id, &headers)
        || signed_link(&state, &id, query.as_deref());
    if !opened {
        tracing::info!(payment = %id, "the payment was opened outside the paying browser");
        let page = message_page(&view, Msg::CheckPrivate, Msg::CheckPrivateText, None);
        return asked.remember((StatusCode::FORBIDDEN, Html(page.into_string())).into_response());
    }
    let page = match payment.status {
        PaymentStatus::Created => choose_method(&view, &payment),
        PaymentStatus::Pending => waiting(&view, &payment),
        PaymentStatus::Paid | PaymentStatus::Declined => receipt(&view, &payment),
    };
    asked.remember(Html(page.into_string()).into_response())
}

async fn card_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    form_page(
        &state,
        &id,
        PaymentMethod::Card,
        query.as_deref(),
        &headers,
        |view, payment, csrf| {
            card_page(
                view,
                payment,
                csrf,
                &CardForm::default(),
                &CardErrors::default(),
            )
        },
    )
}

async fn wallet_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    form_page(
        &state,
        &id,
        PaymentMethod::Wallet,
        query.as_deref(),
        &headers,
        |view, payment, csrf| wallet_page(view, payment, csrf, "", None),
    )
}

async fn mobile_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    form_page(
        &state,
        &id,
        PaymentMethod::Mobile,
        query.as_deref(),
        &headers,
        |view, payment, csrf| mobile_page(view, payment, csrf, "", None),
    )
}

async fn card_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CardSubmission>,
) -> Response {
    let (view, payment) = match submittable(&state, &id, PaymentMethod::Card, &headers, &form.csrf)
    {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let now = OffsetDateTime::now_utc().to_offset(ASTANA);
    match form.card.parse((now.year(), u8::from(now.month()))) {
        Ok(card) => submit(
            &state,
            &id,
            PaymentMethod::Card,
            card.hint(),
            None,
            card.outcome(),
        ),
        Err(errors) => {
            // The form comes back with what was typed, except the CVV, which is never echoed.
            let kept = CardForm {
                cvv: String::new(),
                ..form.card
            };
            let page = card_page(&view, &payment, &form.csrf, &kept, &errors);
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

async fn wallet_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<WalletForm>,
) -> Response {
    let (view, payment) =
        match submittable(&state, &id, PaymentMethod::Wallet, &headers, &form.csrf) {
            Ok(found) => found,
            Err(response) => return *response,
        };
    match Wallet::parse(&form.wallet) {
        Ok(wallet) => submit(
            &state,
            &id,
            PaymentMethod::Wallet,
            wallet.hint(),
            None,
            wallet.outcome(),
        ),
        Err(error) => {
            let page = wallet_page(&view, &payment, &form.csrf, &form.wallet, Some(error));
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

async fn mobile_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<MobileForm>,
) -> Response {
    let (view, payment) =
        match submittable(&state, &id, PaymentMethod::Mobile, &headers, &form.csrf) {
            Ok(found) => found,
            Err(response) => return *response,
        };
    match Phone::parse(&form.phone) {
        Ok(phone) => submit(
            &state,
            &id,
            PaymentMethod::Mobile,
            phone.hint(),
            Some(phone.operator()),
            phone.outcome(),
        ),
        Err(error) => {
            let page = mobile_page(&view, &payment, &form.csrf, &form.phone, Some(error));
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

/// Which language the request asks for: `?lang=` first, then the cookie the switch left.
#[derive(Debug, Clone, Copy)]
struct Asked {
    query: Option<Lang>,
    cookie: Option<Lang>,
}

impl Asked {
    fn new(query: Option<&str>, headers: &HeaderMap) -> Self {
        let query = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter_map(|pair| pair.strip_prefix("lang="))
            .find_map(|code| code.parse().ok());
        let cookie = cookies(headers)
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| value.parse().ok());
        Self { query, cookie }
    }

    /// The language asked for, or else the payment's, or else Kazakh.
    fn lang(&self, payment: Option<&Payment>) -> Lang {
        self.query
            .or(self.cookie)
            .or(payment.and_then(|p| p.lang))
            .unwrap_or(Lang::Kk)
    }

    fn view(&self, payment: &Payment, here: String) -> View {
        View {
            lang: self.lang(Some(payment)),
            here,
        }
    }

    /// Keeps a language chosen with `?lang=` in a cookie, for the pages after this one.
    fn remember(&self, mut response: Response) -> Response {
        if let Some(lang) = self.query {
            let cookie = format!("{LANG_COOKIE}={lang}; Path=/pay; HttpOnly; SameSite=Lax");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

/// Shows a form for a payment that can still be paid, with the CSRF cookie set.
fn form_page(
    state: &AppState,
    id: &str,
    method: PaymentMethod,
    query: Option<&str>,
    headers: &HeaderMap,
    render: impl FnOnce(&View, &Payment, &str) -> Markup,
) -> Response {
    let asked = Asked::new(query, headers);
    let payment = match load(state, id, &asked) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    if payment.status != PaymentStatus::Created {
        return Redirect::to(&format!("/pay/{id}")).into_response();
    }
    let (token, fresh) = match csrf_cookie(headers) {
        Some(token) => (token, false),
        None => (hex::encode(rand::random::<[u8; 32]>()), true),
    };
    let view = asked.view(&payment, format!("/pay/{id}/{method}"));
    let mut response = Html(render(&view, &payment, &token).into_string()).into_response();
    if fresh {
        let cookie = format!("{CSRF_COOKIE}={token}; Path=/pay; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    asked.remember(response)
}

/// The page's view and the payment, if the form's CSRF token matches the cookie and the payment
/// is still unpaid.
fn submittable(
    state: &AppState,
    id: &str,
    method: PaymentMethod,
    headers: &HeaderMap,
    token: &str,
) -> Result<(View, Payment), Box<Response>> {
    let asked = Asked::new(None, headers);
    let payment = load(state, id, &asked)?;
    let view = asked.view(&payment, format!("/pay/{id}/{method}"));
    let matches = csrf_cookie(headers)
        .is_some_and(|cookie| bool::from(cookie.as_bytes().ct_eq(token.as_bytes())));
    if !matches {
        tracing::warn!(payment = %id, "form refused: CSRF token missing or wrong");
        let page = message_page(
            &view,
            Msg::SessionExpired,
            Msg::SessionExpiredText,
            Some(&format!("/pay/{id}")),
        );
        return Err(Box::new(
            (StatusCode::FORBIDDEN, Html(page.into_string())).into_response(),
        ));
    }
    if payment.status != PaymentStatus::Created {
        return Err(Box::new(
            Redirect::to(&format!("/pay/{id}")).into_response(),
        ));
    }
    Ok((view, payment))
}

/// Records the submission (once: a second one finds the payment no longer `created`) and sends
/// the browser to wait for the answer.
fn submit(
    state: &AppState,
    id: &str,
    method: PaymentMethod,
    hint: String,
    operator: Option<Operator>,
    outcome: Outcome,
) -> Response {
    let config = state.config();
    let delay = match outcome {
        Outcome::PendingWithoutCallback => config.pending,
        _ => config.processing,
    };
    let now = OffsetDateTime::now_utc();
    let submitted = state.store().update(id, |payment, _| {
        if payment.status != PaymentStatus::Created {
            return false;
        }
        payment.status = PaymentStatus::Pending;
        payment.method = Some(method);
        payment.payer_hint = Some(hint);
        payment.operator = operator;
        payment.submitted_at = Some(now);
        payment.settles_at = Some(now + delay);
        payment.outcome = Some(outcome);
        payment.callback_due = outcome != Outcome::PendingWithoutCallback;
        true
    });
    let submitted = submitted.unwrap_or_else(|error| {
        tracing::error!(payment = %id, %error, "recording a submission failed");
        None
    });
    let mut response = Redirect::to(&format!("/pay/{id}")).into_response();
    if submitted == Some(true) {
        tracing::info!(payment = %id, method = method.as_str(), ?outcome, "payment submitted");
        if outcome != Outcome::PendingWithoutCallback {
            spawn_settlement(state.clone(), id.to_owned(), delay);
        }
        // This browser paid: it may see the waiting page and the check.
        let mac = state.secrets().sign_tagged(PAYER_TAG, id);
        let cookie = format!("{PAYER_COOKIE}{id}={mac}; Path=/pay/{id}; HttpOnly; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Whether the request comes from the browser that paid payment `id`.
fn is_payer(state: &AppState, id: &str, headers: &HeaderMap) -> bool {
    cookies(headers)
        .filter(|(name, _)| name.strip_prefix(PAYER_COOKIE) == Some(id))
        .any(|(_, value)| state.secrets().holds(PAYER_TAG, id, value))
}

/// Whether the query carries an unexpired check link the merchant signed for payment `id`.
fn signed_link(state: &AppState, id: &str, query: Option<&str>) -> bool {
    let mut expires = None;
    let mut signature = None;
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        match pair.split_once('=') {
            Some(("expires", value)) => expires = value.parse::<i64>().ok(),
            Some(("signature", value)) => signature = Some(value),
            _ => {}
        }
    }
    let now = OffsetDateTime::now_utc().unix_timestamp();
    match (expires, signature) {
        (Some(expires), Some(signature)) => state
            .secrets()
            .check_link_holds(id, expires, signature, now),
        _ => false,
    }
}

/// The payment, or the page to show instead (not found, or a database failure), in the
/// language asked for.
fn load(state: &AppState, id: &str, asked: &Asked) -> Result<Payment, Box<Response>> {
    let view = View {
        lang: asked.lang(None),
        here: format!("/pay/{id}"),
    };
    match state.store().get(id, OffsetDateTime::now_utc()) {
        Ok(Some(payment)) => Ok(payment),
        Ok(None) => {
            let page = message_page(&view, Msg::NotFound, Msg::NotFoundText, None);
            Err(Box::new(
                (StatusCode::NOT_FOUND, Html(page.into_string())).into_response(),
            ))
        }
        Err(error) => {
            tracing::error!(payment = %id, %error, "reading a payment failed");
            let page = message_page(
                &view,
                Msg::TemporaryFailure,
                Msg::TemporaryFailureText,
                None,
            );
            Err(Box::new(
                (StatusCode::INTERNAL_SERVER_ERROR, Html(page.into_string())).into_response(),
            ))
        }
    }
}

/// The request's cookies as (name, value) pairs.
fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    cookies(headers)
        .find(|(name, value)| {
            *name == CSRF_COOKIE
                && value.len() == 64
                && value.bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|(_, value)| value.to_owned())
}
