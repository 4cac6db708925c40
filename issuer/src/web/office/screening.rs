//! `/office/screening`: the paid applications the stop-list holds, each with the entry it matched,
//! to approve (the visa is signed at once, in the same transaction) or refuse with a reason; and
//! the stop-list itself, to add and remove entries. Every action is audited by
//! `service::screening` in the transaction that makes it.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use shared::labels::Field;

use super::layout::{csrf, page};
use super::{OfficeCtx, OfficePosted};
use crate::domain::audit::Actor;
use crate::domain::inviter::parse_reason;
use crate::domain::office::Duty;
use crate::domain::problem::{Problem, Problems};
use crate::domain::screening::{StopEntry, StopEntryForm};
use crate::i18n::msg::{A11y, Office, OfficeScreening};
use crate::service::screening::{self, Reviewed};
use crate::store;
use crate::store::screening::Held;
use crate::web::layout::{Kind, field, notice};
use crate::web::{AppError, AppState};

/// The routes of this section (full paths).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/screening", get(list))
        .route("/office/screening/stop-list", post(add))
        .route("/office/screening/stop-list/{id}/remove", post(remove))
        .route("/office/screening/{application}/approve", post(approve))
        .route("/office/screening/{application}/refuse", post(refuse))
}

/// What the page says after an action.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    /// `approved`, `refused`, `added`, `removed`, `not_waiting`, `not_signed`, `no_such_entry`.
    #[serde(default)]
    pub done: Option<String>,
    /// The visa number, after an approval.
    #[serde(default)]
    pub visa: Option<String>,
}

/// The refusal form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RefuseForm {
    /// Why.
    pub reason: String,
}

/// A form without fields (the CSRF token only).
#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

/// A form that came back with problems.
enum Bad<'a> {
    /// The add form.
    Entry(&'a StopEntryForm, Problems),
    /// A refusal of this application without a usable reason.
    Refusal(&'a str, &'a str, Problem),
}

async fn data(state: &AppState) -> Result<(Vec<Held>, Vec<StopEntry>), AppError> {
    Ok(state
        .db
        .call(|conn| {
            Ok((
                store::screening::queue(conn)?,
                store::screening::entries(conn)?,
            ))
        })
        .await?)
}

async fn list(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(done): Query<Done>,
) -> Result<Html<String>, AppError> {
    ctx.require(Duty::Screening)?;
    let (queue, entries) = data(&state).await?;
    Ok(view(&ctx, &queue, &entries, &done, None))
}

async fn add(
    State(state): State<AppState>,
    OfficePosted { ctx, form }: OfficePosted<StopEntryForm>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Screening)?;
    let entry = match form.parse() {
        Ok(entry) => entry,
        Err(problems) => {
            let (queue, entries) = data(&state).await?;
            let bad = Bad::Entry(&form, problems);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                view(&ctx, &queue, &entries, &Done::default(), Some(&bad)),
            )
                .into_response());
        }
    };
    let actor = Actor::Officer(ctx.officer.email.clone());
    let (clock, address) = (state.clock.clone(), ctx.address());
    state
        .db
        .call(move |conn| screening::add_entry(conn, &clock, &actor, &entry, address.clone()))
        .await?;
    Ok(Redirect::to("/office/screening?done=added").into_response())
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    OfficePosted { ctx, form: _ }: OfficePosted<Empty>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Screening)?;
    let actor = Actor::Officer(ctx.officer.email.clone());
    let (clock, address) = (state.clock.clone(), ctx.address());
    let removed = state
        .db
        .call(move |conn| screening::remove_entry(conn, &clock, &actor, id, address.clone()))
        .await?;
    let done = if removed.is_some() {
        "removed"
    } else {
        "no_such_entry"
    };
    Ok(Redirect::to(&format!("/office/screening?done={done}")).into_response())
}

async fn approve(
    State(state): State<AppState>,
    Path(application): Path<String>,
    OfficePosted { ctx, form: _ }: OfficePosted<Empty>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Screening)?;
    let actor = Actor::Officer(ctx.officer.email.clone());
    let (clock, address, signer) = (state.clock.clone(), ctx.address(), state.key.clone());
    let reviewed = state
        .db
        .call(move |conn| {
            screening::approve(
                conn,
                signer.as_ref(),
                &clock,
                &actor,
                &application,
                address.clone(),
            )
        })
        .await?;
    Ok(Redirect::to(&match reviewed {
        Reviewed::Issued(number) => format!("/office/screening?done=approved&visa={number}"),
        Reviewed::NotSigned(_) => "/office/screening?done=not_signed".to_owned(),
        Reviewed::NotWaiting | Reviewed::Refused => "/office/screening?done=not_waiting".to_owned(),
    })
    .into_response())
}

async fn refuse(
    State(state): State<AppState>,
    Path(application): Path<String>,
    OfficePosted { ctx, form }: OfficePosted<RefuseForm>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Screening)?;
    let reason = match parse_reason(&form.reason) {
        Ok(reason) => reason,
        Err(error) => {
            let (queue, entries) = data(&state).await?;
            let bad = Bad::Refusal(&application, &form.reason, Problem::from(error));
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                view(&ctx, &queue, &entries, &Done::default(), Some(&bad)),
            )
                .into_response());
        }
    };
    let actor = Actor::Officer(ctx.officer.email.clone());
    let (clock, address) = (state.clock.clone(), ctx.address());
    let reviewed = state
        .db
        .call(move |conn| {
            screening::refuse(conn, &clock, &actor, &application, &reason, address.clone())
        })
        .await?;
    let done = match reviewed {
        Reviewed::Refused => "refused",
        _ => "not_waiting",
    };
    Ok(Redirect::to(&format!("/office/screening?done={done}")).into_response())
}

fn view(
    ctx: &OfficeCtx,
    queue: &[Held],
    entries: &[StopEntry],
    done: &Done,
    bad: Option<&Bad<'_>>,
) -> Html<String> {
    let l = ctx.lang;
    let title = Office::Screening.text(l);
    let visa = done
        .visa
        .as_deref()
        .filter(|v| v.len() <= 12 && v.bytes().all(|b| b.is_ascii_alphanumeric()));
    let body = html! {
        h1 { (title) }
        @match done.done.as_deref() {
            Some("approved") => { div.notice.success role="status" {
                (OfficeScreening::DoneApproved.text(l)) " " @if let Some(v) = visa { strong { (v) } } } }
            Some("refused") => { (notice("success", OfficeScreening::DoneRefused.text(l))) }
            Some("added") => { (notice("success", OfficeScreening::DoneAdded.text(l))) }
            Some("removed") => { (notice("success", OfficeScreening::DoneRemoved.text(l))) }
            Some("not_waiting") => { (notice("error", OfficeScreening::NotWaiting.text(l))) }
            Some("not_signed") => { (notice("error", OfficeScreening::NotSigned.text(l))) }
            Some("no_such_entry") => { (notice("error", OfficeScreening::NoSuchEntry.text(l))) }
            _ => {}
        }
        @if bad.is_some() { (notice("error", OfficeScreening::CheckTheForm.text(l))) }
        section.card {
            h2 { (OfficeScreening::Queue.text(l)) }
            @if queue.is_empty() {
                p { (OfficeScreening::NoneWaiting.text(l)) }
            } @else {
                @for held in queue { (held_view(ctx, held, bad)) }
            }
        }
        section.card {
            h2 { (OfficeScreening::StopList.text(l)) }
            p.muted { (OfficeScreening::HowItMatches.text(l)) }
            @if entries.is_empty() {
                p { (OfficeScreening::NoEntries.text(l)) }
            } @else {
                table.list {
                    thead { tr {
                        th { "#" }
                        th { (OfficeScreening::Entry.text(l)) }
                        th { (OfficeScreening::Note.text(l)) }
                        th { (OfficeScreening::Added.text(l)) }
                        th { span.visually-hidden { (A11y::Actions.text(l)) } }
                    } }
                    tbody {
                        @for entry in entries {
                            tr id=(format!("entry-{}", entry.id)) {
                                td { (entry.id) }
                                td { (entry.subject.describe()) }
                                td { (entry.note) }
                                td { (entry.added_by) " · " (entry.added_at.get(..10).unwrap_or(&entry.added_at)) }
                                td {
                                    form.inline method="post" action=(format!("/office/screening/stop-list/{}/remove", entry.id)) {
                                        (csrf(ctx))
                                        button.danger type="submit" { (OfficeScreening::Remove.text(l)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (add_form(ctx, bad))
        }
    };
    page(ctx, title, body)
}

fn held_view(ctx: &OfficeCtx, held: &Held, bad: Option<&Bad<'_>>) -> Markup {
    let l = ctx.lang;
    let app = &held.application;
    let a = &app.applicant;
    let label = |f: Field| crate::i18n::label(l, f);
    let refusal = match bad {
        Some(Bad::Refusal(id, reason, problem)) if *id == app.id => Some((*reason, problem)),
        _ => None,
    };
    let reason_id = format!("reason-{}", app.id);
    html! {
        article.held id=(format!("held-{}", app.id)) {
            table.data {
                tr { th scope="row" { (OfficeScreening::Holder.text(l)) } td { (a.full_name()) } }
                tr { th scope="row" { (label(Field::PassportNumber)) } td { (a.passport_number.as_str()) } }
                tr { th scope="row" { (label(Field::Citizenship)) } td { (a.citizenship) } }
                tr { th scope="row" { (label(Field::DateOfBirth)) } td { (a.date_of_birth) } }
                tr { th scope="row" { (label(Field::InvitationNumber)) } td { (a.invitation_number.as_str()) } }
                tr { th scope="row" { (label(Field::InvitingParty)) } td {
                    (app.invitation.inviter.shown_name()) ", " (app.invitation.inviter.tax_id) } }
                tr { th scope="row" { (OfficeScreening::MatchedEntry.text(l)) } td {
                    "#" (held.entry.id) " · " (held.entry.subject.describe())
                    @if !held.entry.note.is_empty() { br; (held.entry.note) }
                } }
                tr { th scope="row" { (OfficeScreening::HeldAt.text(l)) } td { (held.held_at) } }
            }
            form.decision method="post" action=(format!("/office/screening/{}/approve", app.id)) {
                (csrf(ctx))
                button.primary type="submit" { (OfficeScreening::Approve.text(l)) }
            }
            form.decision method="post" action=(format!("/office/screening/{}/refuse", app.id)) {
                (csrf(ctx))
                div class=(if refusal.is_some() { "field invalid" } else { "field" }) {
                    label for=(reason_id) { (OfficeScreening::Reason.text(l)) }
                    input id=(reason_id) name="reason" type="text" required maxlength="200"
                        value=(refusal.map_or("", |r| r.0))
                        aria-invalid=[refusal.map(|_| "true")];
                    @if let Some((_, problem)) = refusal { span.error role="alert" { (problem.message(l)) } }
                }
                button.danger type="submit" { (OfficeScreening::Refuse.text(l)) }
            }
        }
    }
}

fn add_form(ctx: &OfficeCtx, bad: Option<&Bad<'_>>) -> Markup {
    let l = ctx.lang;
    let empty = StopEntryForm::default();
    let none = Problems::new();
    let (form, p) = match bad {
        Some(Bad::Entry(form, problems)) => (*form, problems),
        _ => (&empty, &none),
    };
    let label = |f: Field| crate::i18n::label(l, f);
    html! {
        h3 { (OfficeScreening::AddEntry.text(l)) }
        form method="post" action="/office/screening/stop-list" novalidate {
            (csrf(ctx))
            fieldset {
                legend { (OfficeScreening::ByPassport.text(l)) }
                (field(l, "passport_number", label(Field::PassportNumber), &form.passport_number, false, Kind::Text, None, p))
                (field(l, "citizenship", label(Field::Citizenship), &form.citizenship, false, Kind::Text, Some("ISO 3166-1 alpha-3"), p))
            }
            fieldset {
                legend { (OfficeScreening::ByPerson.text(l)) }
                (field(l, "surname", OfficeScreening::Surname.text(l), &form.surname, false, Kind::Text, None, p))
                (field(l, "born", label(Field::DateOfBirth), &form.born, false, Kind::Date, None, p))
            }
            (field(l, "note", OfficeScreening::Note.text(l), &form.note, false, Kind::Text, None, p))
            button.primary type="submit" { (OfficeScreening::Add.text(l)) }
        }
    }
}
