//! The group application's steps (issue 14): Step 1 for up to ten persons on one form, one
//! confirmation listing everyone, one payment of the duty × persons through the e-pay gateway,
//! and the result with each person's own e-visa. Each person is an ordinary application, so the
//! callback, the issuance (exactly once per person), the PDF (owner only) and the "Visas"
//! section work as for one applicant.

mod view;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::apply::ConfirmForm;
use super::payment::Empty;
use super::recovery::confirm_before_paying;
use super::session::{Ctx, Posted};
use super::{AppError, AppState};
use crate::domain::application::{ApplicationForm, ApplicationStatus};
use crate::domain::fees::Fees;
use crate::domain::group::{
    Group, GroupForm, GroupProblems, MAX_PERSONS, START_PERSONS, total_minor,
};
use crate::domain::payment::Payment;
use crate::epay::PaymentOrder;
use crate::i18n::msg::Duty;
use crate::service::issuance::{issue_grouped, settle};
use crate::service::signup::is_confirmed;
use crate::store::{self, Checked};

/// The routes of the group application.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups/new", get(form_page).post(submit))
        .route("/groups/{id}", get(next))
        .route("/groups/{id}/confirm", get(confirm_page).post(confirm))
        .route("/groups/{id}/payment", get(payment_page).post(to_pay))
        .route("/groups/{id}/result", get(result_page))
        .route("/groups/{id}/status", post(update_status))
        .route("/groups/{id}/receipt", get(receipt_page))
}

/// Query of the form page: the group of drafts to edit, if any.
#[derive(Debug, Default, Deserialize)]
pub struct FormQuery {
    /// The group's id.
    #[serde(default)]
    pub group: Option<String>,
}

/// Where a group goes next from where it stands.
pub fn next_step(group: &Group) -> String {
    match group.status() {
        ApplicationStatus::Draft => format!("/groups/{}/confirm", group.id),
        ApplicationStatus::Submitted => format!("/groups/{}/payment", group.id),
        _ => format!("/groups/{}/result", group.id),
    }
}

/// The user's own group, or 404 (also for someone else's).
async fn own_group(state: &AppState, ctx: &Ctx, id: String) -> Result<Group, AppError> {
    let user = ctx.user()?.id;
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    state
        .db
        .read(move |conn| store::group::group_of(conn, &id, user))
        .await?
        .filter(|g| !g.members.is_empty())
        .ok_or(AppError::NotFound)
}

/// Each person's duty, and the total.
fn fees_of(state: &AppState, group: &Group) -> Result<(Vec<i64>, i64), AppError> {
    let fees: Vec<i64> = group
        .members
        .iter()
        .map(|m| state.settings.fees.minor(m.applicant.category))
        .collect();
    let total = total_minor(fees.iter().copied())
        .ok_or_else(|| anyhow::anyhow!("a group's duty overflows"))?;
    Ok((fees, total))
}

async fn form_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FormQuery>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let (editing, persons) = match q.group {
        Some(id) => {
            let group = own_group(&state, &ctx, id).await?;
            if group.status() != ApplicationStatus::Draft {
                return Ok(Redirect::to(&next_step(&group)).into_response());
            }
            let persons = group
                .members
                .iter()
                .map(|m| m.applicant.to_form())
                .collect();
            (Some(group.id), persons)
        }
        None => (None, vec![ApplicationForm::default(); START_PERSONS]),
    };
    let problems = GroupProblems::none(persons.len());
    Ok(view::form_view(&ctx, editing.as_deref(), &persons, &problems).into_response())
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let editing =
        field("group").filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    let action = field("action").unwrap_or_default();
    let form = GroupForm::from_pairs(&pairs);
    let shown = |mut persons: Vec<ApplicationForm>| {
        if persons.is_empty() {
            persons.push(ApplicationForm::default());
        }
        persons
    };
    // "Add a person" and "Remove the last person" show the form again with everything kept.
    if action == "add" || action == "remove" {
        let mut persons = form.persons;
        // Blank rows were dropped when reading; the count comes from the highest block sent.
        let sent = pairs
            .iter()
            .filter_map(|(k, _)| {
                k.strip_prefix('p')?
                    .split_once('.')?
                    .0
                    .parse::<usize>()
                    .ok()
            })
            .filter(|&n| (1..=MAX_PERSONS).contains(&n))
            .max()
            .unwrap_or(0);
        let count = if action == "add" {
            (sent + 1).min(MAX_PERSONS)
        } else {
            sent.saturating_sub(1).max(1)
        };
        persons = regather(&pairs, count).unwrap_or(persons);
        let problems = GroupProblems::none(persons.len());
        return Ok(
            view::form_view(&ctx, editing.as_deref(), &shown(persons), &problems).into_response(),
        );
    }
    let today = state.clock.today();
    let applicants = match form.parse(today) {
        Ok(applicants) => applicants,
        Err(problems) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                view::form_view(&ctx, editing.as_deref(), &shown(form.persons), &problems),
            )
                .into_response());
        }
    };
    let now = state.clock.rfc3339();
    let edit = editing.clone();
    let saved = state
        .db
        .call(move |conn| {
            store::group::save_group(conn, user, edit.as_deref(), &applicants, today, &now)
        })
        .await?;
    match saved {
        Checked::Stored(id) => {
            tracing::info!(group = %id, persons = form.persons.len(), "a group application was saved");
            Ok(Redirect::to(&format!("/groups/{id}/confirm")).into_response())
        }
        Checked::Refused(problems) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            view::form_view(&ctx, editing.as_deref(), &form.persons, &problems),
        )
            .into_response()),
    }
}

/// The first `count` persons' blocks as sent, blank ones included (for "Add" and "Remove").
fn regather(pairs: &[(String, String)], count: usize) -> Option<Vec<ApplicationForm>> {
    let mut persons = vec![ApplicationForm::default(); count];
    for (i, person) in persons.iter_mut().enumerate() {
        let prefix = format!("p{}.", i + 1);
        let only: Vec<(String, String)> = pairs
            .iter()
            .filter_map(|(k, v)| Some((format!("p1.{}", k.strip_prefix(&prefix)?), v.clone())))
            .collect();
        if let Some(read) = GroupForm::from_pairs(&only).persons.pop() {
            *person = read;
        }
    }
    Some(persons)
}

async fn next(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    Ok(Redirect::to(&next_step(&group)))
}

async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    if group.status() != ApplicationStatus::Draft {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    }
    Ok(view::confirm_view(&ctx, &group, None).into_response())
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    if group.status() != ApplicationStatus::Draft {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    }
    let refuse = |problem: crate::domain::problem::Problem| {
        let text = problem.message(ctx.lang);
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::confirm_view(&ctx, &group, Some(&text)),
        )
            .into_response()
    };
    if form.confirm.as_deref() != Some("yes") {
        return Ok(refuse(crate::domain::problem::Problem::NotConfirmed));
    }
    let user = ctx.user()?.id;
    let now = state.clock.rfc3339();
    let group_id = group.id.clone();
    let confirmed = state
        .db
        .call(move |conn| store::group::confirm_group(conn, &group_id, user, &now))
        .await?;
    if !confirmed {
        // A party suspended since Step 1: its open invitations no longer work.
        return Ok(refuse(crate::domain::problem::Problem::InviterNotVerified));
    }
    tracing::info!(group = %group.id, "a group application was confirmed");
    Ok(Redirect::to(&format!("/groups/{}/payment", group.id)).into_response())
}

async fn payment_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    if group.status() != ApplicationStatus::Submitted {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    }
    let (fees, total) = fees_of(&state, &group)?;
    let group_id = group.id.clone();
    let latest = state
        .db
        .read(move |conn| store::group::latest_group_payment(conn, &group_id))
        .await?;
    let confirmed = is_confirmed(&state.db, ctx.user()?.id).await?;
    let first = confirm_before_paying(&ctx);
    Ok(view::payment_view(
        &ctx,
        &group,
        &fees,
        total,
        latest.as_ref(),
        confirmed,
        first,
    )
    .into_response())
}

async fn to_pay(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    if group.status() != ApplicationStatus::Submitted {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    }
    let user = ctx.user()?;
    let (user_id, payer) = (user.id, user.full_name.clone());
    if !is_confirmed(&state.db, user_id).await? {
        return Ok(Redirect::to(&format!("/groups/{}/payment", group.id)).into_response());
    }
    let (_, total) = fees_of(&state, &group)?;
    let (group_id, now) = (group.id.clone(), state.clock.rfc3339());
    let Some(payment) = state
        .db
        .call(move |conn| {
            store::group::open_group_payment(conn, &group_id, user_id, total, Fees::CURRENCY, &now)
        })
        .await?
    else {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    };
    if let (Some(_), Some(url)) = (&payment.gateway_payment_id, &payment.pay_url) {
        return Ok(Redirect::to(url).into_response());
    }
    let invitations: Vec<&str> = group
        .members
        .iter()
        .map(|m| m.applicant.invitation_number.as_str())
        .collect();
    let base = state.settings.public_url.trim_end_matches('/');
    let order = PaymentOrder {
        order_id: payment.order_id.clone(),
        amount_minor: payment.amount_minor,
        currency: payment.currency.clone(),
        description: format!(
            "State duty for an e-visa group application, {} persons, invitations {}",
            group.members.len(),
            invitations.join(", ")
        ),
        payer,
        return_url: format!("{base}/groups/{}/result", group.id),
        callback_url: format!("{base}/epay/callback"),
        lang: Some(ctx.lang.into()),
    };
    super::payment::to_gateway(&state, &order).await
}

/// The group with each person's visa number and the group's newest payment.
async fn with_visas(
    state: &AppState,
    group: &Group,
) -> Result<(Vec<Option<String>>, Option<Payment>), AppError> {
    let ids: Vec<String> = group.members.iter().map(|m| m.id.clone()).collect();
    let group_id = group.id.clone();
    Ok(state
        .db
        .read(move |conn| {
            let visas = ids
                .iter()
                .map(|id| store::visa::visa_number_of(conn, id))
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok((visas, store::group::latest_group_payment(conn, &group_id)?))
        })
        .await?)
}

async fn result_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    if group.status() == ApplicationStatus::Draft {
        return Ok(Redirect::to(&next_step(&group)).into_response());
    }
    let (visas, latest) = with_visas(&state, &group).await?;
    Ok(view::result_view(&ctx, &group, &visas, latest.as_ref(), None).into_response())
}

async fn update_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    let target = format!("/groups/{}/result", group.id);
    let (_, latest) = with_visas(&state, &group).await?;
    if group.status() == ApplicationStatus::Submitted {
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
                let (visas, _) = with_visas(&state, &group).await?;
                let warning = ctx.msg(Duty::GatewayDidNotAnswer);
                return Ok((
                    StatusCode::BAD_GATEWAY,
                    view::result_view(&ctx, &group, &visas, latest.as_ref(), Some(warning)),
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
        settle(&state.db, &state.key, &state.clock, notice, "status").await?;
    } else {
        // Paid persons without a visa yet (an issuance that failed earlier): try again.
        for member in group
            .members
            .iter()
            .filter(|m| m.status == ApplicationStatus::Paid)
        {
            issue_grouped(&state.db, &state.key, &state.clock, &member.id).await?;
        }
    }
    state.mail_bell.notify_one();
    Ok(Redirect::to(&target).into_response())
}

async fn receipt_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let group = own_group(&state, &ctx, id).await?;
    let (_, latest) = with_visas(&state, &group).await?;
    let payment = latest.filter(Payment::is_paid).ok_or(AppError::NotFound)?;
    let (fees, _) = fees_of(&state, &group)?;
    let gateway_check = match (&payment.pay_url, &payment.gateway_payment_id) {
        (Some(url), Some(id)) => Some(state.gateway.check_link(url, id)),
        _ => None,
    };
    Ok(view::receipt_view(
        &ctx,
        &group,
        &payment,
        &fees,
        gateway_check,
    ))
}

/// The link to the group application, for the service page and the "Visas" section.
pub fn apply_as_group_link(ctx: &Ctx) -> maud::Markup {
    maud::html! {
        a.button href="/groups/new" { (ctx.msg(crate::i18n::msg::Group::ApplyAsGroup)) }
    }
}
