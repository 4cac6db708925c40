//! `/office/visas`: find an issued visa by its number or page through the latest, see its holder
//! and state, and revoke it with a reason (the same effect as `issuer revoke`, audited with the
//! state before and after). Every route asks for [`Duty::RevokeVisa`].

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use shared::labels::Field;
use shared::visa::VisaNumber;

use super::layout::{self, csrf};
use super::{OfficeCtx, OfficePosted};
use crate::domain::office::Duty;
use crate::i18n::msg::{Office, OfficeAccess, OfficeOps};
use crate::i18n::{Lang, label};
use crate::service::trust::{self, By};
use crate::store::issued::{self, IssuedRow};
use crate::store::trust::{Revoked, revocation_reason};
use crate::web::{AppError, AppState};

/// How many visas a page of the list shows.
const PAGE: u32 = 25;

/// The routes of `/office/visas`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/visas", get(list))
        .route("/office/visas/{number}", get(show))
        .route("/office/visas/{number}/revoke", post(revoke))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    /// A visa number to find.
    number: Option<String>,
    /// Show visas numbered below this one (the next page).
    before: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ShowQuery {
    /// Set after a revocation: `revoked`.
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

async fn list(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    ctx.require(Duty::RevokeVisa)?;
    let l = ctx.lang;
    let wanted = query
        .number
        .as_deref()
        .map(|n| n.trim().to_ascii_uppercase())
        .filter(|n| !n.is_empty());
    if let Some(number) = &wanted {
        let lookup = number.clone();
        let found = state
            .db
            .call(move |conn| issued::by_number(conn, &lookup))
            .await?;
        if let Some(row) = found {
            return Ok(Redirect::to(&format!("/office/visas/{}", row.number)).into_response());
        }
    }
    let before = query
        .before
        .as_deref()
        .filter(|b| VisaNumber::parse(b).is_ok())
        .map(str::to_owned);
    let after = before.clone();
    let rows = state
        .db
        .call(move |conn| issued::latest(conn, after.as_deref(), PAGE))
        .await?;
    let body = html! {
        h1 { (Office::Visas.text(l)) }
        (search_form(l, wanted.as_deref().unwrap_or("")))
        @if wanted.is_some() {
            div.notice.error role="alert" { (OfficeOps::NoSuchVisa.text(l)) }
        }
        h2 { (OfficeOps::LatestVisas.text(l)) }
        @if rows.is_empty() {
            p.muted { (OfficeOps::NoVisasYet.text(l)) }
        } @else {
            (table(l, &rows))
            @if rows.len() == PAGE as usize {
                @if let Some(last) = rows.last() {
                    p.links { a href=(format!("/office/visas?before={}", last.number)) { (OfficeOps::OlderVisas.text(l)) } }
                }
            }
        }
    };
    let status = if wanted.is_some() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    Ok((status, layout::page(&ctx, Office::Visas.text(l), body)).into_response())
}

async fn show(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Path(number): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.require(Duty::RevokeVisa)?;
    let row = find(&state, &number).await?;
    let notice = (query.done.as_deref() == Some("revoked") && row.revoked.is_some())
        .then_some(OfficeOps::VisaRevoked);
    Ok(detail(&ctx, &row, notice, None, "").into_response())
}

async fn revoke(
    State(state): State<AppState>,
    Path(number): Path<String>,
    OfficePosted { ctx, form }: OfficePosted<RevokeForm>,
) -> Result<Response, AppError> {
    ctx.require(Duty::RevokeVisa)?;
    let row = find(&state, &number).await?;
    if revocation_reason(&form.reason).is_err() {
        let page = detail(
            &ctx,
            &row,
            None,
            Some(OfficeOps::ReasonRequired),
            &form.reason,
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let number = VisaNumber::parse(&row.number).map_err(|_| AppError::NotFound)?;
    let by = By::officer(&ctx.officer.email, ctx.address());
    let clock = state.clock.clone();
    let reason = form.reason.clone();
    let outcome = state
        .db
        .call(move |conn| trust::revoke_visa(conn, &clock, &by, &number, &reason))
        .await?;
    match outcome {
        Revoked::Now | Revoked::Already(_) => {
            Ok(Redirect::to(&format!("/office/visas/{}?done=revoked", row.number)).into_response())
        }
        Revoked::Unknown => Err(AppError::NotFound),
    }
}

/// A stored time (RFC 3339 in UTC, whole seconds) as the back office shows it:
/// `2026-11-30 18:00 UTC`. Anything else is shown as stored.
pub fn when(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16), rfc3339.get(16..)) {
        (Some(day), Some(minute), Some(":00Z")) if rfc3339.as_bytes().get(10) == Some(&b'T') => {
            format!("{day} {minute} UTC")
        }
        (Some(day), Some(minute), Some(rest))
            if rfc3339.as_bytes().get(10) == Some(&b'T') && rest.ends_with('Z') =>
        {
            format!("{day} {minute}{} UTC", &rest[..rest.len() - 1])
        }
        _ => rfc3339.to_owned(),
    }
}

/// The visa with this number, or the 404 page.
async fn find(state: &AppState, number: &str) -> Result<IssuedRow, AppError> {
    let number = number.to_ascii_uppercase();
    if VisaNumber::parse(&number).is_err() {
        return Err(AppError::NotFound);
    }
    state
        .db
        .call(move |conn| issued::by_number(conn, &number))
        .await?
        .ok_or(AppError::NotFound)
}

fn search_form(l: Lang, value: &str) -> Markup {
    html! {
        form.search method="get" action="/office/visas" {
            div.field {
                label for="f-number" { (OfficeOps::FindByNumber.text(l)) }
                input id="f-number" name="number" type="text" value=(value) placeholder="KZ0000001" autocomplete="off";
            }
            button.primary type="submit" { (OfficeOps::Find.text(l)) }
        }
    }
}

fn state_badge(l: Lang, row: &IssuedRow) -> Markup {
    html! {
        @if row.revoked.is_some() {
            span.status.revoked { (OfficeOps::StateRevoked.text(l)) }
        } @else {
            span.status.issued { (OfficeOps::StateIssued.text(l)) }
        }
    }
}

fn table(l: Lang, rows: &[IssuedRow]) -> Markup {
    html! {
        table.list {
            thead { tr {
                th { (label(l, Field::VisaNumber)) }
                th { (OfficeOps::Holder.text(l)) }
                th { (label(l, Field::Citizenship)) }
                th { (label(l, Field::PassportNumber)) }
                th { (label(l, Field::ValidUntil)) }
                th { (OfficeOps::SignedAt.text(l)) }
                th { (OfficeAccess::State.text(l)) }
            } }
            tbody {
                @for row in rows {
                    tr {
                        td { a href=(format!("/office/visas/{}", row.number)) { (row.number) } }
                        td { (row.holder) }
                        td { (row.citizenship) }
                        td { (row.passport_number) }
                        td { (row.valid_until) }
                        td.nowrap { (when(&row.signed_at)) }
                        td { (state_badge(l, row)) }
                    }
                }
            }
        }
    }
}

/// The visa's page: its fields, its state, and the revocation form while it stands.
fn detail(
    ctx: &OfficeCtx,
    row: &IssuedRow,
    notice: Option<OfficeOps>,
    problem: Option<OfficeOps>,
    reason: &str,
) -> axum::response::Html<String> {
    let l = ctx.lang;
    let body = html! {
        p.crumbs { a href="/office/visas" { (Office::Visas.text(l)) } " / " (row.number) }
        h1 { (row.number) " " (state_badge(l, row)) }
        @if let Some(notice) = notice {
            (crate::web::layout::notice("success", notice.text(l)))
        }
        table.data {
            tr { th { (OfficeOps::Holder.text(l)) } td { (row.holder) } }
            tr { th { (label(l, Field::Citizenship)) } td { (row.citizenship) } }
            tr { th { (label(l, Field::PassportNumber)) } td { (row.passport_number) } }
            tr { th { (label(l, Field::Category)) } td {
                @match shared::Category::parse(&row.category) {
                    Ok(category) => (crate::web::layout::category_name(l, category)),
                    Err(_) => (row.category),
                }
            } }
            tr { th { (label(l, Field::Entries)) } td {
                @match shared::visa::Entries::parse(&row.entries) {
                    Ok(entries) => (shared::labels::entries(entries).get(l.into())),
                    Err(_) => (row.entries),
                }
            } }
            tr { th { (label(l, Field::ValidFrom)) } td { (row.valid_from) } }
            tr { th { (label(l, Field::ValidUntil)) } td { (row.valid_until) } }
            tr { th { (OfficeOps::SignedAt.text(l)) } td { (when(&row.signed_at)) } }
            tr { th { (OfficeOps::KeyId.text(l)) } td { code { (row.kid) } } }
            @if let Some((at, why)) = &row.revoked {
                tr { th { (OfficeOps::RevokedOn.text(l)) } td { (when(at)) } }
                tr { th { (OfficeOps::RevocationReason.text(l)) } td { (why) } }
            }
        }
        @if row.revoked.is_none() {
            h2 { (OfficeOps::RevokeVisa.text(l)) }
            form method="post" action=(format!("/office/visas/{}/revoke", row.number)) {
                (csrf(ctx))
                div class=(if problem.is_some() { "field invalid" } else { "field" }) {
                    label for="f-reason" { (OfficeOps::RevocationReason.text(l)) span.req { " *" } }
                    input id="f-reason" name="reason" type="text" value=(reason) required maxlength="200"
                        aria-invalid=[problem.map(|_| "true")]
                        aria-describedby=[problem.map(|_| "e-reason")];
                    small.hint { (OfficeOps::VisaReasonHint.text(l)) }
                    @if let Some(problem) = problem {
                        span.error id="e-reason" role="alert" { (problem.text(l)) }
                    }
                }
                div.actions { button.primary type="submit" { (OfficeOps::RevokeVisaButton.text(l)) } }
            }
        }
    };
    layout::page(ctx, &row.number, body)
}
