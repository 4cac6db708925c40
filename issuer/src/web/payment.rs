//! Step 2 "Payment of state duty" and Step 3 "Result": the duty page and "To pay" (to the e-pay
//! gateway), the gateway's signed callback, "Update Status", the electronic check (receipt), and
//! the e-visa PDF for its owner.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;
use shared::labels::Field;

use super::apply::{applicant_table, own_application};
use super::cabinet::{next_step, status_text};
use super::layout::{csrf, notice, page, steps};
use super::recovery::confirm_before_paying;
use super::session::{Ctx, Posted};
use super::{AppError, AppState};
use crate::domain::application::{Application, ApplicationStatus};
use crate::domain::fees::{Fees, format_minor};
use crate::domain::payment::{NoticeOutcome, Payment, PaymentMethod, PaymentNotice, PaymentStatus};
use crate::epay::PaymentOrder;
use crate::i18n::msg::{A11y, Duty, Frame, Screening, Screens};
use crate::i18n::when::astana_time_of;
use crate::pdf::Printout;
use crate::service::issuance::{issue_logged, settle};
use crate::service::signup::is_confirmed;
use crate::service::visa_pdf::after_notice;
pub use crate::service::visa_pdf::inviter_line;
use crate::store;
use crate::store::trust::RevocationNote;
use crate::store::visa::StoredPdf;

/// The payment recipient and budget codes shown on Step 2. They are the sandbox's illustrative
/// values, in the shape of the real ones (the state revenue department and its codes).
pub mod codes {
    /// Code of the tax authority.
    pub const TAX_AUTHORITY: &str = "620301";
    /// Payment purpose code (KNP).
    pub const PURPOSE: &str = "911";
    /// Budget classification code (KBK).
    pub const BUDGET_CLASSIFICATION: &str = "108122";
}

/// The routes of Steps 2 and 3 (the callback is mounted apart, outside the session layer).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applications/{id}/payment", get(payment_page).post(to_pay))
        .route("/applications/{id}/result", get(result_page))
        .route("/applications/{id}/status", post(update_status))
        .route("/applications/{id}/receipt", get(receipt_page))
        .route("/applications/{id}/visa.pdf", get(visa_pdf))
}

/// An empty form (only the CSRF token).
#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

fn recipient(ctx: &Ctx) -> &'static str {
    ctx.msg(Duty::RecipientName)
}

async fn payment_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if app.status != ApplicationStatus::Submitted {
        return Ok(Redirect::to(&next_step(&app)).into_response());
    }
    if let Some(group) = group_of(&state, &app).await? {
        // A person of a group is paid for with the group, once.
        return Ok(Redirect::to(&format!("/groups/{group}/payment")).into_response());
    }
    let app_id = app.id.clone();
    let latest = state
        .db
        .read(move |conn| store::payment::latest_payment(conn, &app_id))
        .await?;
    let confirmed = is_confirmed(&state.db, ctx.user()?.id).await?;
    Ok(payment_view(&ctx, &state, &app, latest.as_ref(), confirmed).into_response())
}

fn payment_view(
    ctx: &Ctx,
    state: &AppState,
    app: &Application,
    latest: Option<&Payment>,
    confirmed: bool,
) -> Html<String> {
    let title = ctx.msg(Frame::PaymentOfStateDuty);
    let amount = state.settings.fees.minor(app.applicant.category);
    let rows: [(&str, String); 7] = [
        (ctx.msg(Duty::Payer), app.applicant.full_name()),
        (
            ctx.msg(Duty::PaymentWillBeReceived),
            recipient(ctx).to_owned(),
        ),
        (
            ctx.msg(Duty::TaxAuthorityCode),
            codes::TAX_AUTHORITY.to_owned(),
        ),
        (ctx.msg(Duty::PaymentPurposeCode), codes::PURPOSE.to_owned()),
        (
            ctx.msg(Duty::BudgetClassificationCode),
            codes::BUDGET_CLASSIFICATION.to_owned(),
        ),
        (ctx.msg(Duty::Currency), Fees::CURRENCY.to_owned()),
        (ctx.msg(Duty::Amount), format_minor(amount)),
    ];
    page(
        ctx,
        title,
        html! {
            section.card {
                (steps(ctx.lang, 2))
                h1 { (ctx.msg(Duty::PayTheStateFee)) }
                @if latest.is_some_and(|p| p.status == PaymentStatus::Declined) {
                    (notice("error", ctx.msg(Duty::PreviousDeclined)))
                }
                table.data.payment {
                    @for (label, value) in rows {
                        tr { th scope="row" { (label) } td { (value) } }
                    }
                }
                p.muted { (ctx.msg(Duty::NonRefundable)) }
                @if !confirmed {
                    (confirm_before_paying(ctx))
                } @else {
                form.pay method="post" action=(format!("/applications/{}/payment", app.id)) {
                    (csrf(ctx))
                    p.actions {
                        span.muted { (ctx.msg(Duty::PaidOnEpay)) }
                        button.primary type="submit" { (ctx.msg(Duty::ToPay)) " ›" }
                    }
                }
                }
            }
        },
    )
}

async fn to_pay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if app.status != ApplicationStatus::Submitted {
        return Ok(Redirect::to(&next_step(&app)).into_response());
    }
    if let Some(group) = group_of(&state, &app).await? {
        return Ok(Redirect::to(&format!("/groups/{group}/payment")).into_response());
    }
    let user = ctx.user()?.id;
    if !is_confirmed(&state.db, user).await? {
        // The payment step says why and offers a new link.
        return Ok(Redirect::to(&format!("/applications/{}/payment", app.id)).into_response());
    }
    let amount = state.settings.fees.minor(app.applicant.category);
    let app_id = app.id.clone();
    let now = state.clock.rfc3339();
    let Some(payment) = state
        .db
        .call(move |conn| {
            store::payment::open_payment(conn, &app_id, user, amount, Fees::CURRENCY, &now)
        })
        .await?
    else {
        return Ok(Redirect::to(&next_step(&app)).into_response());
    };
    if let (Some(_), Some(url)) = (&payment.gateway_payment_id, &payment.pay_url) {
        return Ok(Redirect::to(url).into_response());
    }
    let base = state.settings.public_url.trim_end_matches('/');
    let order = PaymentOrder {
        order_id: payment.order_id.clone(),
        amount_minor: payment.amount_minor,
        currency: payment.currency.clone(),
        description: format!(
            "{} {}",
            ctx.msg(A11y::DutyPurpose),
            app.applicant.invitation_number.as_str()
        ),
        payer: app.applicant.full_name(),
        return_url: format!("{base}/applications/{}/result", app.id),
        callback_url: format!("{base}/epay/callback"),
        lang: Some(ctx.lang.into()),
    };
    to_gateway(&state, &order).await
}

/// Registers `order` with the gateway, keeps the gateway's payment id and page with the payment,
/// and sends the payer there (a single application's payment and a group's).
pub(super) async fn to_gateway(
    state: &AppState,
    order: &PaymentOrder,
) -> Result<Response, AppError> {
    let created = state
        .gateway
        .create(order)
        .await
        .map_err(AppError::Gateway)?;
    let expected = format!("{}/", state.gateway.origin());
    if !created.pay_url.starts_with(&expected) {
        return Err(AppError::Gateway(anyhow::anyhow!(
            "the gateway's pay_url is not on the gateway: {}",
            created.pay_url
        )));
    }
    let (order_id, payment_id, url) = (
        order.order_id.clone(),
        created.payment_id,
        created.pay_url.clone(),
    );
    let now = state.clock.rfc3339();
    state
        .db
        .write(move |conn| {
            store::payment::set_gateway_payment(conn, &order_id, &payment_id, &url, &now)
        })
        .await?;
    Ok(Redirect::to(&created.pay_url).into_response())
}

async fn result_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if matches!(app.status, ApplicationStatus::Draft) {
        return Ok(Redirect::to(&next_step(&app)).into_response());
    }
    let app_id = app.id.clone();
    let (latest, revocation) = state
        .db
        .read(move |conn| {
            Ok((
                store::payment::latest_payment(conn, &app_id)?,
                store::trust::revocation_of_application(conn, &app_id)?,
            ))
        })
        .await?;
    if let Some(revocation) = revocation {
        return Ok(revoked_view(&ctx, &app, &revocation).into_response());
    }
    Ok(result_view(&ctx, &app, latest.as_ref(), None).into_response())
}

/// The result page of a visa the migration service revoked: no PDF, the reason instead.
fn revoked_view(ctx: &Ctx, app: &Application, revocation: &RevocationNote) -> Html<String> {
    let title = ctx.msg(Frame::Result);
    page(
        ctx,
        title,
        html! {
            section.card {
                (steps(ctx.lang, 3))
                h1 { (title) }
                div class="result revoked" {
                    p.result-status { (ctx.msg(Frame::VisaRevoked)) }
                    p { (ctx.label(Field::VisaNumber)) ": " strong { (revocation.visa_number) } }
                    p { (ctx.msg(Duty::Reason)) ": " (revocation.reason) }
                    p.muted { (revocation.revoked_at.get(..10).unwrap_or(&revocation.revoked_at)) }
                    p.muted { (ctx.msg(Duty::RevokedVisaUnusable)) }
                }
                details {
                    summary { (ctx.msg(Duty::ApplicationData)) }
                    (applicant_table(ctx, app))
                }
            }
        },
    )
}

fn result_view(
    ctx: &Ctx,
    app: &Application,
    latest: Option<&Payment>,
    warning: Option<&str>,
) -> Html<String> {
    let title = ctx.msg(Frame::Result);
    let issued = app.status == ApplicationStatus::Issued;
    let declined = !issued && latest.is_some_and(|p| p.status == PaymentStatus::Declined);
    page(
        ctx,
        title,
        html! {
            section.card {
                (steps(ctx.lang, 3))
                h1 { (title) }
                @if let Some(warning) = warning { (notice("error", warning)) }
                div class=(result_class(app.status)) {
                    p.result-status { (status_text(ctx.lang, app.status)) }
                    @if issued {
                        p { a.button.primary href=(format!("/applications/{}/visa.pdf", app.id)) {
                            (ctx.msg(Duty::CopyThePdf)) } }
                        p { a href=(format!("/applications/{}/receipt", app.id)) { (ctx.msg(Duty::ElectronicCheckLink)) } }
                        p.muted { (ctx.msg(Duty::PrintAndPresent)) }
                    } @else if app.status == ApplicationStatus::UnderReview {
                        p.muted { (ctx.msg(Screening::UnderReviewHint)) }
                        p { a href=(format!("/applications/{}/receipt", app.id)) { (ctx.msg(Duty::ElectronicCheckLink)) } }
                    } @else if app.status == ApplicationStatus::Refused {
                        p { (ctx.msg(Screening::RefusedHint)) }
                        p { a href=(format!("/applications/{}/receipt", app.id)) { (ctx.msg(Duty::ElectronicCheckLink)) } }
                    } @else {
                        @if declined {
                            p { (ctx.msg(Duty::PaymentDeclined)) " "
                                a href=(format!("/applications/{}/payment", app.id)) { (ctx.msg(Duty::PayAgain)) } }
                        } @else {
                            p.muted { (ctx.msg(Duty::UpdateStatusHint)) }
                        }
                        form method="post" action=(format!("/applications/{}/status", app.id)) {
                            (csrf(ctx))
                            p.actions {
                                button.primary type="submit" { (ctx.msg(Duty::UpdateStatus)) }
                                @if app.status == ApplicationStatus::Submitted && latest.is_none() {
                                    a.button href=(format!("/applications/{}/payment", app.id)) { (ctx.msg(Duty::ToPay)) }
                                }
                            }
                        }
                    }
                }
                details {
                    summary { (ctx.msg(Duty::ApplicationData)) }
                    (applicant_table(ctx, app))
                }
            }
        },
    )
}

/// The result box's class: approved, refused, under review (amber: nothing is wrong that the
/// applicant must fix), or still waiting for the payment (red, as on the official portal).
fn result_class(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Issued => "result approved",
        ApplicationStatus::Refused => "result refused",
        ApplicationStatus::UnderReview => "result review",
        _ => "result waiting",
    }
}

async fn update_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    let target = format!("/applications/{}/result", app.id);
    if matches!(
        app.status,
        ApplicationStatus::Issued | ApplicationStatus::UnderReview | ApplicationStatus::Refused
    ) {
        return Ok(Redirect::to(&target).into_response());
    }
    let app_id = app.id.clone();
    let latest = state
        .db
        .read(move |conn| store::payment::latest_payment(conn, &app_id))
        .await?;
    if app.status == ApplicationStatus::Paid {
        // Paid but not yet issued (an issuance that failed earlier): try again.
        let (id, key, clock) = (app.id.clone(), state.key.clone(), state.clock.clone());
        state
            .db
            .call(move |conn| issue_logged(conn, &id, key.as_ref(), &clock))
            .await?;
        state.mail_bell.notify_one();
        return Ok(Redirect::to(&target).into_response());
    }
    let Some(payment_id) = latest.as_ref().and_then(|p| p.gateway_payment_id.clone()) else {
        return Ok(Redirect::to(&target).into_response());
    };
    let notice = match state.gateway.status(&payment_id).await {
        Ok(notice) => notice,
        Err(error) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "the gateway's status could not be read"
            );
            let warning = ctx.msg(Duty::GatewayDidNotAnswer);
            return Ok((
                StatusCode::BAD_GATEWAY,
                result_view(&ctx, &app, latest.as_ref(), Some(warning)),
            )
                .into_response());
        }
    };
    if latest
        .as_ref()
        .is_some_and(|p| p.order_id != notice.order_id)
    {
        tracing::warn!(payment = %payment_id, "the gateway's status names another order");
        return Ok(Redirect::to(&target).into_response());
    }
    let outcome = settle(&state.db, &state.key, &state.clock, notice, "status").await?;
    after_notice(&state.db, &state.clock, &Printout, &outcome).await;
    state.mail_bell.notify_one();
    Ok(Redirect::to(&target).into_response())
}

/// `POST /epay/callback`: the gateway's signed notice of a final payment state.
pub async fn callback(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(error) = state.gateway.verify(&headers, &body, state.clock.unix()) {
        tracing::warn!(%error, "a payment callback was refused");
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": error.to_string()})),
        )
            .into_response();
    }
    let notice: PaymentNotice = match serde_json::from_slice(&body) {
        Ok(notice) => notice,
        Err(_) => {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(serde_json::json!({"error": "bad JSON"})),
            )
                .into_response();
        }
    };
    let settled = settle(&state.db, &state.key, &state.clock, notice, "callback").await;
    if let Ok(outcome) = &settled {
        // Answered once the visa's printout is stored too (it is made off the writer thread).
        after_notice(&state.db, &state.clock, &Printout, outcome).await;
    }
    state.mail_bell.notify_one();
    match settled {
        Ok(NoticeOutcome::UnknownOrder) => (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": "unknown order"})),
        )
            .into_response(),
        Ok(NoticeOutcome::Refused(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(serde_json::json!({"error": "the notice does not match the order"})),
        )
            .into_response(),
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "a payment callback failed");
            // Not acknowledged, so the gateway sends it again; 503 when the database is
            // unreachable (nothing was recorded), 500 otherwise.
            if crate::store::is_unavailable(&error) {
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            } else {
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

async fn receipt_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if let Some(group) = group_of(&state, &app).await? {
        // A group's one payment has one receipt, listing every person.
        return Ok(Redirect::to(&format!("/groups/{group}/receipt")).into_response());
    }
    let app_id = app.id.clone();
    let payment = state
        .db
        .read(move |conn| store::payment::latest_payment(conn, &app_id))
        .await?
        .filter(Payment::is_paid)
        .ok_or(AppError::NotFound)?;
    let title = ctx.msg(Duty::ElectronicCheck);
    let gateway_check = match (&payment.pay_url, &payment.gateway_payment_id) {
        (Some(url), Some(id)) => Some(state.gateway.check_link(url, id)),
        _ => None,
    };
    let dash = String::from("—");
    let method = match payment.method {
        Some(PaymentMethod::Card) => ctx.msg(Duty::PaymentCard),
        Some(PaymentMethod::Wallet) => ctx.msg(Duty::EWallet),
        Some(PaymentMethod::Mobile) => ctx.msg(Duty::MobileBalance),
        None => "—",
    };
    let rows: [(&str, String); 9] = [
        (
            ctx.msg(Duty::ReceiptNumber),
            payment
                .receipt_number
                .clone()
                .unwrap_or_else(|| dash.clone()),
        ),
        (
            ctx.msg(Duty::PaidAt),
            payment
                .paid_at
                .as_deref()
                .map(|at| astana_time_of(ctx.lang, at))
                .unwrap_or_else(|| dash.clone()),
        ),
        (ctx.msg(Duty::Payer), app.applicant.full_name()),
        (ctx.msg(Duty::Recipient), recipient(&ctx).to_owned()),
        (
            ctx.msg(Duty::BudgetClassificationCode),
            codes::BUDGET_CLASSIFICATION.to_owned(),
        ),
        (ctx.msg(Duty::Method), method.to_owned()),
        (
            ctx.msg(Duty::PaidWith),
            payment.payer_hint.clone().unwrap_or_else(|| dash.clone()),
        ),
        (
            ctx.msg(Duty::Amount),
            format!(
                "{} {}",
                format_minor(payment.amount_minor),
                payment.currency
            ),
        ),
        (ctx.msg(Duty::Order), payment.order_id.clone()),
    ];
    Ok(page(
        &ctx,
        title,
        html! {
            section.card.narrow.receipt {
                h1 { (title) }
                table.data.receipt-rows { @for (label, value) in rows { tr { th scope="row" { (label) } td { (value) } } } }
                @if let Some(link) = gateway_check {
                    p.no-print { a href=(link) rel="noreferrer" { (ctx.msg(Duty::GatewayCheckLink)) } }
                }
                p.actions.no-print {
                    button.primary id="print" type="button" hidden { (ctx.msg(Screens::Print)) }
                    a.button href=(format!("/applications/{}/result", app.id)) { "← " (ctx.msg(Frame::Result)) }
                }
                script src="/static/print.js" {}
            }
        },
    )
    .into_response())
}

/// The group an application is a person of, if any.
async fn group_of(state: &AppState, app: &Application) -> Result<Option<String>, AppError> {
    let id = app.id.clone();
    Ok(state
        .db
        .read(move |conn| store::group::group_id_of(conn, &id))
        .await?)
}

async fn visa_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    let user = ctx.user()?.id;
    let app_id = app.id.clone();
    // One read answers the usual download: the visa's number, whether it is revoked, and its
    // stored printout; the visa itself is read and rendered only on the first download.
    let (number, revocation, stored) = state
        .db
        .read(move |conn| {
            let number = store::visa::visa_number_of(conn, &app_id)?;
            let stored = match &number {
                Some(number) => store::visa::pdf_of(conn, number)?,
                None => None,
            };
            Ok((
                number,
                store::trust::revocation_of_application(conn, &app_id)?,
                stored,
            ))
        })
        .await?;
    let number = number.ok_or(AppError::NotFound)?;
    if revocation.is_some() {
        // A revoked visa is not printed again; the result page says why.
        return Ok(Redirect::to(&format!("/applications/{}/result", app.id)).into_response());
    }
    let filename = format!(
        "e-visa-{number}-{}.pdf",
        app.applicant.surname.as_str().replace(' ', "-")
    );
    let pdf = match stored {
        Some(pdf) => pdf,
        None => printout(&state, &app, user).await?,
    };
    let etag = format!("\"{}\"", pdf.sha256);
    let cached = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag);
    let etag = HeaderValue::from_str(&etag).map_err(|e| anyhow::anyhow!("an ETag header: {e}"))?;
    // The owner's browser may keep the printout but must ask again each time (the visa can be
    // revoked); an unchanged printout is then answered without its body.
    let cache = HeaderValue::from_static("private, no-cache");
    if cached {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| anyhow::anyhow!("a file name header: {e}"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        pdf.bytes,
    )
        .into_response())
}

/// The visa's printout on its first download when it was not stored at issuance (a crash in
/// between, or a visa issued by an officer or at start-up): rendered off the runtime's threads,
/// then kept for every later one; two first downloads at once both get the copy stored first
/// (the same visa renders to the same bytes anyway).
async fn printout(state: &AppState, app: &Application, user: i64) -> Result<StoredPdf, AppError> {
    let app_id = app.id.clone();
    let issued = state
        .db
        .read(move |conn| store::visa::visa_of(conn, &app_id, user))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::service::visa_pdf::make(&state.db, &state.clock, &Printout, app, issued).await?)
}
