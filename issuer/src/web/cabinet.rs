//! The personal account and its "Visas" section: every application of the applicant with its
//! status and what to do next.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use maud::{Markup, html};

use super::layout::{category_name, page};
use super::session::Ctx;
use super::{AppError, AppState};
use crate::domain::application::{Application, ApplicationStatus};
use crate::domain::group::Group;
use crate::i18n::Lang;
use crate::i18n::msg::{A11y, Apply, Frame, Group as GroupMsg, PrintoutCheck, Screening};
use crate::store;
use shared::labels::Field;

/// The routes of this section.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/account",
            get(|| async { axum::response::Redirect::to("/account/visas") }),
        )
        .route("/account/visas", get(visas))
}

/// Where an application goes next from its status.
pub fn next_step(app: &Application) -> String {
    match app.status {
        ApplicationStatus::Draft => format!("/applications/{}/confirm", app.id),
        ApplicationStatus::Submitted => format!("/applications/{}/payment", app.id),
        ApplicationStatus::Paid
        | ApplicationStatus::UnderReview
        | ApplicationStatus::Refused
        | ApplicationStatus::Issued => {
            format!("/applications/{}/result", app.id)
        }
    }
}

/// The status in the instruction's words.
pub fn status_text(l: Lang, status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Draft => Apply::StatusDraft.text(l),
        ApplicationStatus::Submitted => Apply::StatusPaymentNotDone.text(l),
        ApplicationStatus::Paid => Apply::StatusPaid.text(l),
        ApplicationStatus::UnderReview => Screening::StatusUnderReview.text(l),
        ApplicationStatus::Refused => Screening::StatusRefused.text(l),
        ApplicationStatus::Issued => Apply::StatusApproved.text(l),
    }
}

async fn visas(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let user = ctx.user()?.id;
    let (apps, revoked, groups) = state
        .db
        .read(move |conn| {
            Ok((
                store::application::applications_of(conn, user)?,
                store::trust::revocations_of_user(conn, user)?,
                store::group::groups_of(conn, user)?,
            ))
        })
        .await?;
    let l = ctx.lang;
    let title = ctx.msg(Apply::Visas);
    Ok(page(
        &ctx,
        title,
        html! {
            section.card {
                p.crumbs { (ctx.msg(Frame::PersonalAccount)) }
                h1 { (title) }
                @if apps.is_empty() {
                    p { (ctx.msg(Apply::NoApplicationsYet)) " "
                        a href="/services/e-visa" { (ctx.msg(Frame::GetAVisa)) } }
                } @else {
                    table.list.stacked {
                        thead { tr {
                            th { (ctx.msg(Apply::Applied)) }
                            th { (ctx.label(Field::InvitationNumber)) }
                            th { (ctx.msg(Apply::Applicant)) }
                            th { (ctx.label(Field::Category)) }
                            th { (ctx.msg(Apply::Status)) }
                            th { span.visually-hidden { (ctx.msg(A11y::Documents)) } }
                        } }
                        tbody {
                            @for app in &apps {
                                tr {
                                    td data-label=(ctx.msg(Apply::Applied)) { (app.created_at.get(..10).unwrap_or(&app.created_at)) }
                                    td data-label=(ctx.label(Field::InvitationNumber)) { (app.applicant.invitation_number.as_str()) }
                                    td data-label=(ctx.msg(Apply::Applicant)) { (app.applicant.full_name()) }
                                    td data-label=(ctx.label(Field::Category)) { (category_name(l, app.applicant.category)) }
                                    td data-label=(ctx.msg(Apply::Status)) {
                                        @if let Some(r) = revoked.get(&app.id) {
                                            span.status.revoked { (ctx.msg(Frame::VisaRevoked)) }
                                            br; small { (r.reason) }
                                        } @else {
                                            span class=(format!("status {}", app.status.as_str())) { (status_text(l, app.status)) }
                                        }
                                    }
                                    td.links {
                                        a href=(next_step(app)) { (ctx.msg(Apply::Open)) }
                                        @if app.status.is_paid() {
                                            " · " a href=(format!("/applications/{}/receipt", app.id)) { (ctx.msg(Apply::Receipt)) }
                                        }
                                        @if app.status == ApplicationStatus::Issued && !revoked.contains_key(&app.id) {
                                            " · " a href=(format!("/applications/{}/visa.pdf", app.id)) { (ctx.msg(Apply::EVisaPdf)) }
                                            " · " a href="/check" { (ctx.msg(PrintoutCheck::CheckAfterDownload)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (groups_list(&ctx, &groups))
        },
    ))
}

/// The "Visas" section's list of the user's groups.
fn groups_list(ctx: &Ctx, groups: &[Group]) -> Markup {
    html! {
        @if !groups.is_empty() {
            section.card.groups {
                h2 { (ctx.msg(GroupMsg::YourGroups)) }
                ul {
                    @for group in groups {
                        li {
                            (group.created_at.get(..10).unwrap_or(&group.created_at)) " · "
                            (ctx.msg(GroupMsg::NumberOfPersons)) ": " (group.members.len()) " ("
                            (group.members.iter().map(|m| m.applicant.surname.as_str()).collect::<Vec<_>>().join(", "))
                            ") · "
                            span class=(format!("status {}", group.status().as_str())) { (status_text(ctx.lang, group.status())) }
                            " · " a href=(format!("/groups/{}", group.id)) { (ctx.msg(GroupMsg::OpenGroup)) }
                        }
                    }
                }
            }
        }
    }
}
