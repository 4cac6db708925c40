//! `/office/officers`: supervisors see every officer with role and state, and reset an officer's
//! second factor (after a lock or a lost phone). The reset ends the officer's sessions and
//! makes a new one-time set-up link, which this page shows once.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;

use super::layout::{csrf, page, role_name};
use super::{OfficeCtx, OfficePosted};
use crate::domain::office::Duty;
use crate::domain::officer::OfficerState;
use crate::i18n::Lang;
use crate::i18n::msg::{A11y, Office, OfficeAccess, OfficeAudit};
use crate::service::officer;
use crate::service::throttle::{Action, Subject};
use crate::store;
use crate::web::{AppError, AppState};

/// The officers' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/officers", get(list))
        .route("/office/officers/{id}/reset", post(reset))
}

/// The reset form: only the CSRF token.
#[derive(Debug, Default, Deserialize)]
struct Empty {}

/// The name of a state in the page's language.
pub fn state_name(l: Lang, state: OfficerState) -> &'static str {
    match state {
        OfficerState::AwaitingSetup => OfficeAccess::AwaitingSetup,
        OfficerState::Active => OfficeAccess::Active,
        OfficerState::Locked => OfficeAccess::Locked,
        OfficerState::Disabled => OfficeAccess::Disabled,
    }
    .text(l)
}

async fn list(State(state): State<AppState>, ctx: OfficeCtx) -> Result<Html<String>, AppError> {
    ctx.require(Duty::ResetOfficers)?;
    view(&state, &ctx, None).await
}

async fn view(
    state: &AppState,
    ctx: &OfficeCtx,
    reset: Option<(String, String)>,
) -> Result<Html<String>, AppError> {
    let l = ctx.lang;
    let officers = state.db.call(|conn| store::office::list(conn)).await?;
    let body = html! {
        h1 { (Office::Officers.text(l)) }
        @if let Some((email, link)) = &reset {
            div.notice.success role="status" {
                p { strong { (email) } }
                p { (OfficeAccess::ResetDone.text(l)) }
                p { code.link { (link) } }
            }
        }
        div.table-scroll {
            table.list.officers.cards {
                thead { tr {
                    th { (OfficeAccess::Email.text(l)) }
                    th { (OfficeAccess::Role.text(l)) }
                    th { (OfficeAccess::State.text(l)) }
                    th { (OfficeAccess::Created.text(l)) }
                    th { span.visually-hidden { (A11y::Actions.text(l)) } }
                } }
                tbody {
                    @for officer in &officers {
                        tr {
                            td data-label=(OfficeAccess::Email.text(l)) { (officer.email) }
                            td data-label=(OfficeAccess::Role.text(l)) { (role_name(l, officer.role)) }
                            td data-label=(OfficeAccess::State.text(l)) { span class=(format!("state {}", officer.state.as_str())) { (state_name(l, officer.state)) } }
                            td data-label=(OfficeAccess::Created.text(l)) { (officer.created_at.replace('T', " ").trim_end_matches('Z')) }
                            td data-label="" {
                                @if officer.state != OfficerState::Disabled {
                                    form.inline method="post" action=(format!("/office/officers/{}/reset", officer.id)) {
                                        (csrf(ctx))
                                        button.button.small type="submit" { (OfficeAccess::ResetFactor.text(l)) }
                                    }
                                }
                            }
                        }
                    }
                    @if officers.is_empty() {
                        tr { td colspan="5" { (OfficeAudit::Empty.text(l)) } }
                    }
                }
            }
        }
    };
    Ok(page(ctx, Office::Officers.text(l), body))
}

async fn reset(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    OfficePosted { ctx, .. }: OfficePosted<Empty>,
) -> Result<Response, AppError> {
    ctx.require(Duty::ResetOfficers)?;
    let Some((email, token)) =
        officer::reset_factor(&state.db, &state.clock, &ctx.officer, id, ctx.address()).await?
    else {
        return Err(AppError::NotFound);
    };
    // The supervisor vouched for the officer: the failed log-ins on the address are forgotten.
    state
        .throttle
        .forget(Action::OfficerLogIn, &Subject::email(&email));
    tracing::info!(
        by = ctx.officer.id,
        officer = id,
        "a second factor was reset"
    );
    let link = format!(
        "{}/office/setup/{token}",
        state.settings.public_url.trim_end_matches('/')
    );
    Ok(view(&state, &ctx, Some((email, link)))
        .await?
        .into_response())
}
