//! `/office/inviters`: the queue of inviting parties waiting for verification with what each
//! submitted, and the decisions on them — verify, reject with a reason, suspend a verified party
//! (with a reason), verify a suspended one again. Every decision goes through
//! `service::inviter::decide`, which audits it in the same transaction.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf, page};
use super::{OfficeCtx, OfficePosted};
use crate::domain::audit::Actor;
use crate::domain::inviter::{Decision, InviterState, Review, parse_reason};
use crate::domain::office::Duty;
use crate::domain::problem::Problem;
use crate::domain::taxid::{PartyKind, TaxId};
use crate::i18n::msg::{Invite, Office, OfficeInviters, Verification};
use crate::service::inviter::{Decided, decide};
use crate::store;
use crate::web::layout::notice;
use crate::web::{AppError, AppState};

/// The routes of this section (full paths).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/inviters", get(list))
        .route("/office/inviters/{bin}/{decision}", post(decide_posted))
}

/// What the list page says after a decision.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    /// `verified`, `rejected`, `suspended` or `not_applicable`.
    #[serde(default)]
    pub done: Option<String>,
}

/// The decision form: the reason (required to reject or suspend).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    /// Why.
    pub reason: String,
}

/// A decision form that came back with a problem: which party, which decision, what was typed.
struct Refused<'a> {
    bin: &'a str,
    decision: Decision,
    reason: &'a str,
    problem: Problem,
}

/// The parties in each state, as the page lists them.
struct Lists {
    pending: Vec<Review>,
    verified: Vec<Review>,
    stopped: Vec<Review>,
}

async fn lists(state: &AppState) -> Result<Lists, AppError> {
    Ok(state
        .db
        .call(|conn| {
            let mut stopped = store::inviter::reviews(conn, InviterState::Suspended)?;
            stopped.extend(store::inviter::reviews(conn, InviterState::Rejected)?);
            Ok(Lists {
                pending: store::inviter::reviews(conn, InviterState::Pending)?,
                verified: store::inviter::reviews(conn, InviterState::Verified)?,
                stopped,
            })
        })
        .await?)
}

async fn list(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(done): Query<Done>,
) -> Result<Html<String>, AppError> {
    ctx.require(Duty::Inviters)?;
    let lists = lists(&state).await?;
    let done = match done.done.as_deref() {
        Some("verified") => Some(("success", OfficeInviters::DoneVerified)),
        Some("rejected") => Some(("success", OfficeInviters::DoneRejected)),
        Some("suspended") => Some(("success", OfficeInviters::DoneSuspended)),
        Some("not_applicable") => Some(("error", OfficeInviters::NotApplicable)),
        _ => None,
    };
    Ok(view(&ctx, &lists, done, None))
}

async fn decide_posted(
    State(state): State<AppState>,
    Path((bin, decision)): Path<(String, String)>,
    OfficePosted { ctx, form }: OfficePosted<ReasonForm>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Inviters)?;
    let decision = Decision::parse(&decision).ok_or(AppError::NotFound)?;
    let tax_id = TaxId::parse(&bin).map_err(|_| AppError::NotFound)?;
    let reason = if decision.needs_reason() {
        match parse_reason(&form.reason) {
            Ok(reason) => Some(reason),
            Err(error) => {
                let lists = lists(&state).await?;
                let refused = Refused {
                    bin: &bin,
                    decision,
                    reason: &form.reason,
                    problem: Problem::from(error),
                };
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    view(&ctx, &lists, None, Some(&refused)),
                )
                    .into_response());
            }
        }
    } else {
        None
    };
    let actor = Actor::Officer(ctx.officer.email.clone());
    let (clock, address) = (state.clock.clone(), ctx.address());
    let decided = state
        .db
        .call(move |conn| {
            decide(
                conn,
                &clock,
                &actor,
                &tax_id,
                decision,
                reason.as_deref(),
                address.clone(),
            )
        })
        .await?;
    let done = match decided {
        Decided::Done { to, .. } => to.as_str(),
        Decided::NoSuchParty => return Err(AppError::NotFound),
        Decided::NotFrom(_) | Decided::ReasonRequired => "not_applicable",
    };
    Ok(Redirect::to(&format!("/office/inviters?done={done}")).into_response())
}

fn view(
    ctx: &OfficeCtx,
    lists: &Lists,
    done: Option<(&str, OfficeInviters)>,
    refused: Option<&Refused<'_>>,
) -> Html<String> {
    let l = ctx.lang;
    let title = Office::Inviters.text(l);
    let body = html! {
        h1 { (title) }
        @if let Some((kind, msg)) = done { (notice(kind, msg.text(l))) }
        @if refused.is_some() { (notice("error", OfficeInviters::ReasonNeeded.text(l))) }
        section.card {
            h2 { (OfficeInviters::Queue.text(l)) }
            p.muted { (OfficeInviters::WhatToCheck.text(l)) }
            @if lists.pending.is_empty() {
                p { (OfficeInviters::NoPending.text(l)) }
            } @else {
                @for review in &lists.pending {
                    (party(ctx, review, &[Decision::Verify, Decision::Reject], refused))
                }
            }
        }
        section.card {
            h2 { (OfficeInviters::VerifiedParties.text(l)) }
            @if lists.verified.is_empty() { p { (OfficeInviters::NoneYet.text(l)) } }
            @for review in &lists.verified {
                (party(ctx, review, &[Decision::Suspend], refused))
            }
        }
        section.card {
            h2 { (OfficeInviters::StoppedParties.text(l)) }
            @if lists.stopped.is_empty() { p { (OfficeInviters::NoneYet.text(l)) } }
            @for review in &lists.stopped {
                @if review.inviter.state == InviterState::Suspended {
                    (party(ctx, review, &[Decision::Verify], refused))
                } @else {
                    (party(ctx, review, &[], refused))
                }
            }
        }
    };
    page(ctx, title, body)
}

/// One party: what it submitted, its state and last decision, and the decisions open to it.
fn party(
    ctx: &OfficeCtx,
    review: &Review,
    decisions: &[Decision],
    refused: Option<&Refused<'_>>,
) -> Markup {
    let l = ctx.lang;
    let inviter = &review.inviter;
    let bin = inviter.tax_id.as_str();
    let kind = match inviter.kind {
        PartyKind::Organisation => Invite::Organisation.text(l),
        PartyKind::Individual => Invite::Individual.text(l),
    };
    html! {
        article.party id=(format!("party-{bin}")) {
            table.data {
                tr { th scope="row" { (OfficeInviters::SubmittedName.text(l)) } td { (inviter.name) } }
                @if let Some(verified) = &inviter.verified_name {
                    tr { th scope="row" { (Verification::VerifiedName.text(l)) } td { (verified) } }
                }
                tr { th scope="row" { (Invite::TaxId.text(l)) } td { code { (bin) } } }
                tr { th scope="row" { (OfficeInviters::Kind.text(l)) } td { (kind) } }
                tr { th scope="row" { (Invite::BriefDescription.text(l)) } td { (inviter.description) } }
                tr { th scope="row" { (OfficeInviters::AccountEmail.text(l)) } td {
                    @match &review.email {
                        Some(email) => (email),
                        None => (OfficeInviters::ByOperator.text(l)),
                    }
                } }
                tr { th scope="row" { (OfficeInviters::Submitted.text(l)) } td { (review.submitted_at) } }
                tr { th scope="row" { (Verification::State.text(l)) } td { (state_name(l, inviter.state)) } }
                @if let (Some(by), Some(at)) = (&review.decided_by, &review.decided_at) {
                    tr { th scope="row" { (OfficeInviters::Decision.text(l)) } td {
                        (by) " · " (at)
                        @if let Some(reason) = &review.reason { br; (reason) }
                    } }
                }
            }
            @for decision in decisions {
                (decision_form(ctx, bin, inviter.state, *decision, refused))
            }
        }
    }
}

fn decision_form(
    ctx: &OfficeCtx,
    bin: &str,
    state: InviterState,
    decision: Decision,
    refused: Option<&Refused<'_>>,
) -> Markup {
    let l = ctx.lang;
    let (slug, label) = match decision {
        Decision::Verify if state == InviterState::Suspended => {
            ("verify", OfficeInviters::Reinstate)
        }
        Decision::Verify => ("verify", OfficeInviters::Verify),
        Decision::Reject => ("reject", OfficeInviters::Reject),
        Decision::Suspend => ("suspend", OfficeInviters::Suspend),
    };
    let mine = refused.filter(|r| r.bin == bin && r.decision == decision);
    let id = format!("reason-{bin}-{slug}");
    html! {
        form.decision method="post" action=(format!("/office/inviters/{bin}/{slug}")) {
            (csrf(ctx))
            @if decision.needs_reason() {
                div class=(if mine.is_some() { "field invalid" } else { "field" }) {
                    label for=(id) { (OfficeInviters::Reason.text(l)) }
                    input id=(id) name="reason" type="text" required maxlength="200"
                        value=(mine.map_or("", |r| r.reason))
                        aria-invalid=[mine.map(|_| "true")];
                    @if let Some(r) = mine { span.error role="alert" { (r.problem.message(l)) } }
                }
            }
            button class=(if decision == Decision::Verify { "primary" } else { "danger" }) type="submit" { (label.text(l)) }
        }
    }
}

/// A state's name in the page's language.
pub fn state_name(l: crate::i18n::Lang, state: InviterState) -> &'static str {
    match state {
        InviterState::Pending => Verification::Pending.text(l),
        InviterState::Verified => Verification::Verified.text(l),
        InviterState::Rejected => Verification::Rejected.text(l),
        InviterState::Suspended => Verification::Suspended.text(l),
    }
}
