//! `/office/setup/{token}`: the officer's one-time set-up link. The page shows the new second
//! factor as a QR code of its `otpauth://` URI (an inline SVG drawn here, so the CSP needs
//! nothing more than it allows) and as a base32 key, and takes a password and the first code.
//! The link stops working once the set-up is finished.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use qrcode::{Color, EcLevel, QrCode};

use super::access::{Input, PreSessionForm, public_page};
use crate::domain::officer::{SetupErrors, SetupForm};
use crate::i18n::Lang;
use crate::i18n::msg::{Account, Counted, OfficeAccess};
use crate::service::officer::{self, SetupOutcome, SetupPage};
use crate::web::{AppError, AppState};

/// What authenticator apps show as the account's issuer.
pub const TOTP_ISSUER: &str = "KZ e-visa office";

/// The set-up routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/office/setup/{token}", get(setup_page).post(finish))
}

async fn setup_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, AppError> {
    let l = crate::web::lang::of_request(uri.query(), &headers);
    if !well_formed(&token) {
        return Ok(gone(l, uri.path()));
    }
    match officer::open_setup(&state.db, &state.clock, &token).await? {
        Some(page) => Ok(view(
            &state,
            l,
            uri.path(),
            &page,
            &SetupErrors::default(),
            None,
        )),
        None => Ok(gone(l, uri.path())),
    }
}

async fn finish(
    State(state): State<AppState>,
    Path(token): Path<String>,
    uri: Uri,
    posted: PreSessionForm<SetupForm>,
) -> Result<Response, AppError> {
    let l = posted.lang;
    let path = uri.path().to_owned();
    if !well_formed(&token) {
        return Ok(gone(l, &path));
    }
    let address = posted.client.map(|ip| ip.to_string());
    let setup = match posted.form.parse() {
        Ok(setup) => setup,
        Err(errors) => {
            return match officer::open_setup(&state.db, &state.clock, &token).await? {
                Some(page) => Ok(with_status(
                    view(&state, l, &path, &page, &errors, None),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )),
                None => Ok(gone(l, &path)),
            };
        }
    };
    match officer::complete_setup(
        &state.db,
        &state.hasher,
        &state.clock,
        &token,
        setup,
        address,
    )
    .await?
    {
        SetupOutcome::Done => {
            tracing::info!("an officer finished setting up");
            Ok(Redirect::to(&format!("/office/login?ready=1&lang={}", l.code())).into_response())
        }
        SetupOutcome::WrongCode(page) => Ok(with_status(
            view(
                &state,
                l,
                &path,
                &page,
                &SetupErrors::default(),
                Some(OfficeAccess::WrongCode.text(l)),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        SetupOutcome::Gone => Ok(gone(l, &path)),
        SetupOutcome::Busy => Err(AppError::Busy),
    }
}

/// A set-up token as `issuer officer add` makes them: 64 hex digits.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

fn gone(l: Lang, path: &str) -> Response {
    let title = OfficeAccess::SetupTitle.text(l);
    let body = html! {
        section.card.narrow {
            h1 { (title) }
            div.notice.error role="alert" { (OfficeAccess::LinkGone.text(l)) }
        }
    };
    (StatusCode::NOT_FOUND, public_page(l, path, title, body)).into_response()
}

fn view(
    state: &AppState,
    l: Lang,
    path: &str,
    page: &SetupPage,
    errors: &SetupErrors,
    code_error: Option<&str>,
) -> Response {
    let (token, cookie) = state.form_token();
    let title = OfficeAccess::SetupTitle.text(l);
    let uri = page.secret.otpauth_uri(TOTP_ISSUER, &page.email);
    let password_error = errors.problems.get("password").map(|p| p.message(l));
    let again_error = errors.problems.get("password_again").map(|p| p.message(l));
    let code_error = code_error.or(errors
        .code_malformed
        .then(|| OfficeAccess::CodeFormat.text(l)));
    let min = Counted::AtLeastChars(crate::domain::account::Password::MIN_CHARS).text(l);
    let body = html! {
        section.card.setup {
            h1 { (title) }
            p.lead { (page.email) }
            p.muted { (OfficeAccess::SetupIntro.text(l)) }
            div.enrol {
                figure.qr {
                    figcaption { (OfficeAccess::ScanQr.text(l)) }
                    (qr_svg(&uri))
                }
                div.key {
                    p { strong { (OfficeAccess::TypeKey.text(l)) } }
                    p { code.secret { (page.secret.base32_grouped()) } }
                    p.hint { "SHA-1 · 6 · 30 s" }
                    p.muted { (OfficeAccess::KeyShownOnce.text(l)) }
                }
            }
            form method="post" action=(path) novalidate {
                input type="hidden" name="csrf" value=(token);
                (Input { name: "password", label: Account::Password.text(l), kind: "password", autocomplete: "new-password", value: "", hint: Some(&min), error: password_error.as_deref() }.render(l))
                (Input { name: "password_again", label: Account::RepeatPassword.text(l), kind: "password", autocomplete: "new-password", value: "", hint: None, error: again_error.as_deref() }.render(l))
                (Input { name: "code", label: OfficeAccess::Code.text(l), kind: "text", autocomplete: "one-time-code", value: "", hint: Some(OfficeAccess::CodeHint.text(l)), error: code_error }.render(l))
                button.primary type="submit" { (OfficeAccess::FinishSetup.text(l)) }
            }
        }
    };
    let mut response = public_page(l, path, title, body).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    // The page carries a secret: no cache may keep it, and it is not sent on as a referrer.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// The QR code of `text` as an inline SVG: one path of unit squares with a 4-module quiet zone,
/// no styles (the CSP forbids inline ones), sized by the stylesheet.
pub fn qr_svg(text: &str) -> Markup {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return html! {};
    };
    let width = code.width();
    let size = width + 8;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let svg = format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         role=\"img\" aria-label=\"otpauth QR\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    );
    html! { (PreEscaped(svg)) }
}
