//! Step 1 "Personal data": the form, its checks against the invitation, and the confirmation page
//! with the inviting party, the planned address of stay and the "I confirm" box.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;
use shared::labels::Field;

use super::layout::{
    self, Kind, category_name, csrf, error_summary, field, notice, own_field, page, select,
    sex_name, steps,
};
use super::limit::{self, Action, Client};
use super::session::{Ctx, Posted, Sent, with_session_cookie};
use super::{AppError, AppState};
use crate::domain::application::{Application, ApplicationForm, ApplicationStatus};
use crate::domain::invitation::Invitation;
use crate::domain::problem::{Problem, Problems};
use crate::domain::taxid::PartyKind;
use crate::i18n::msg::{Account, Apply, Counted, Frame, Msg, Screens};
use crate::service::account::{LoginOutcome, check_login};
use crate::store::{self, Checked};

/// The routes of this step.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/apply", get(form_page).post(submit))
        .route(
            "/applications/{id}/confirm",
            get(confirm_page).post(confirm),
        )
}

/// Query of the form page: the draft to edit, if any.
#[derive(Debug, Default, Deserialize)]
pub struct FormQuery {
    /// Application id of a draft to edit.
    #[serde(default)]
    pub application: Option<String>,
}

/// The confirmation form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    /// Present when the box is ticked.
    pub confirm: Option<String>,
}

async fn form_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FormQuery>,
) -> Result<Html<String>, AppError> {
    let user = ctx.user()?.id;
    let form = match q.application {
        Some(id) => {
            let app = state
                .db
                .read(move |conn| store::application::application_of(conn, &id, user))
                .await?
                .filter(|a| a.status == ApplicationStatus::Draft)
                .ok_or(AppError::NotFound)?;
            app.applicant.to_form()
        }
        None => ApplicationForm::default(),
    };
    Ok(form_view(&ctx, &form, &Problems::new(), Banner::None))
}

/// Step 1 as posted: the form, and the log-in fields an expired Step 1 shows when the session
/// has ended.
#[derive(Debug, Default, Deserialize)]
pub struct StepOne {
    /// The applicant's data.
    #[serde(flatten)]
    pub form: ApplicationForm,
    /// IIN, BIN or e-mail, when logging in again to send the form.
    #[serde(default)]
    pub identifier: String,
    /// The password, when logging in again to send the form.
    #[serde(default)]
    pub password: String,
}

/// What Step 1 says above the form besides the field errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Banner {
    /// Nothing.
    None,
    /// The token had expired: what was typed is shown again, to be sent again.
    Expired,
    /// The session has ended: log in again inside the form, which then goes on.
    SessionEnded,
    /// The log-in inside the form failed.
    LogInFailed,
    /// The log-in inside the form was throttled: try again in so many seconds.
    Wait(u64),
}

/// The id of Step 1's form, which the language switch posts.
const FORM_ID: &str = "step1";

fn form_view(ctx: &Ctx, form: &ApplicationForm, p: &Problems, banner: Banner) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(Frame::PersonalData);
    let sexes = [
        ("F", sex_name(l, shared::Sex::Female)),
        ("M", sex_name(l, shared::Sex::Male)),
        ("X", sex_name(l, shared::Sex::Unspecified)),
    ];
    let children_problem = p.get("with_children").map(|p| p.message(l));
    let relogin = !matches!(banner, Banner::None | Banner::Expired);
    let none = Problems::new();
    layout::form_page(
        ctx,
        title,
        FORM_ID,
        html! {
            section.card {
                (steps(l, 1))
                h1 { (title) }
                (notice("info", ctx.msg(Apply::StepOneNotice)))
                @match banner {
                    Banner::None => {},
                    Banner::Expired => (notice("warning", ctx.msg(Screens::FormExpiredKept))),
                    Banner::SessionEnded => (notice("warning", ctx.msg(Screens::SessionEndedKept))),
                    Banner::LogInFailed => (notice("error", ctx.msg(Screens::LogInFailed))),
                    Banner::Wait(seconds) => (notice("error", &ctx.counted(Counted::RetryAfter(seconds)))),
                }
                @if !p.is_empty() {
                    (error_summary(l, ctx.msg(Apply::CheckTheFields), p, &[
                        ("invitation_number", ctx.label(Field::InvitationNumber)),
                        ("category", ctx.label(Field::Category)),
                        ("surname", ctx.msg(Frame::SurnameLatin)),
                        ("given_names", ctx.msg(Frame::GivenNamesLatin)),
                        ("surname_native", ctx.msg(Apply::SurnameNative)),
                        ("given_names_native", ctx.msg(Apply::GivenNamesNative)),
                        ("sex", ctx.label(Field::Sex)),
                        ("date_of_birth", ctx.label(Field::DateOfBirth)),
                        ("citizenship", ctx.label(Field::Citizenship)),
                        ("passport_number", ctx.label(Field::PassportNumber)),
                        ("passport_expiry", ctx.msg(Apply::PassportValidUntil)),
                        ("with_children", ctx.msg(Apply::WithChildren)),
                    ]))
                }
                form id=(FORM_ID) method="post" action="/apply" novalidate {
                    (csrf(ctx))
                    @if relogin {
                        fieldset.relogin {
                            legend { (ctx.msg(Screens::LogInAgain)) }
                            (field(l, "identifier", ctx.msg(Account::Identifier), "", true, Kind::Text, None, &none))
                            (field(l, "password", ctx.msg(Account::Password), "", true, Kind::Password, None, &none))
                        }
                    }
                    fieldset {
                        legend { (ctx.msg(Frame::Invitation)) }
                        (field(l, "invitation_number", ctx.label(Field::InvitationNumber), &form.invitation_number, true, Kind::Text,
                            Some(ctx.msg(Apply::InvitationNumberHint)), p))
                        (select(l, "category", ctx.label(Field::Category), &form.category, &layout::category_options(l), p))
                    }
                    fieldset {
                        legend { (ctx.msg(Apply::PassportData)) }
                        (own_field(l, "surname", ctx.msg(Frame::SurnameLatin), &form.surname, true, Kind::Text,
                            Some(ctx.msg(Apply::AsInTheMrz)), p))
                        (own_field(l, "given_names", ctx.msg(Frame::GivenNamesLatin), &form.given_names, false, Kind::Text, None, p))
                        (field(l, "surname_native", ctx.msg(Apply::SurnameNative), &form.surname_native, false, Kind::Text,
                            Some(ctx.msg(Apply::IfThePassportShowsIt)), p))
                        (field(l, "given_names_native", ctx.msg(Apply::GivenNamesNative), &form.given_names_native, false, Kind::Text, None, p))
                        (select(l, "sex", ctx.label(Field::Sex), &form.sex, &sexes, p))
                        (own_field(l, "date_of_birth", ctx.label(Field::DateOfBirth), &form.date_of_birth, true, Kind::Date, None, p))
                        (own_field(l, "citizenship", ctx.label(Field::Citizenship), &form.citizenship, true, Kind::Text,
                            Some(ctx.msg(Apply::CitizenshipHint)), p))
                        (field(l, "passport_number", ctx.label(Field::PassportNumber), &form.passport_number, true, Kind::Text, None, p))
                        (field(l, "passport_expiry", ctx.msg(Apply::PassportValidUntil), &form.passport_expiry, true, Kind::Date, None, p))
                    }
                    fieldset class=(if children_problem.is_some() { "field invalid" } else { "field" }) {
                        legend { (ctx.msg(Apply::WithChildren)) span.req { " *" } }
                        // The first radio carries the field's id, so the error summary's link lands on it.
                        label.radio { input id="f-with_children" type="radio" name="with_children" value="no" checked[form.with_children == "no"]
                            aria-invalid=[children_problem.as_ref().map(|_| "true")]
                            aria-describedby=[children_problem.as_ref().map(|_| "e-with_children")]; " " (ctx.msg(Frame::No)) }
                        label.radio { input type="radio" name="with_children" value="yes" checked[form.with_children == "yes"]
                            aria-invalid=[children_problem.as_ref().map(|_| "true")]
                            aria-describedby=[children_problem.as_ref().map(|_| "e-with_children")]; " " (ctx.msg(Frame::Yes)) }
                        @if let Some(problem) = &children_problem { span.error id="e-with_children" role="alert" { (problem) } }
                    }
                    p.actions {
                        button.primary type="submit" {
                            (ctx.msg(if relogin { Msg::from(Screens::LogInAndSend) } else { Msg::from(Frame::Next) }))
                        }
                    }
                }
            }
        },
    )
}

/// Step 1 posted: saved and on to the confirmation when the token is fresh; shown again with
/// everything typed when the language switch posted it, when the token had expired, or when the
/// session has ended (then with log-in fields: logging in there sends the form on).
async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    client: Client,
    sent: Sent<StepOne>,
) -> Result<Response, AppError> {
    let Sent {
        form: step,
        fresh,
        switch_lang,
    } = sent;
    let form = step.form;
    let logged_in = ctx.session.user.is_some();
    if switch_lang || !fresh || (!logged_in && step.identifier.is_empty()) {
        let banner = match (switch_lang, logged_in) {
            (_, false) => Banner::SessionEnded,
            (true, true) => Banner::None,
            (false, true) => Banner::Expired,
        };
        return Ok(form_view(&ctx, &form, &Problems::new(), banner).into_response());
    }
    if logged_in {
        return save(&state, &ctx, form).await;
    }
    let outcome = check_login(
        state.credentials(),
        Action::LogIn,
        &step.identifier,
        step.password,
        &client,
    )
    .await?;
    match outcome {
        LoginOutcome::LoggedIn(user_id) => {
            let (ctx, cookies) = state.log_in_here(&ctx, user_id).await?;
            let [session, device] = cookies;
            let mut response = with_session_cookie(save(&state, &ctx, form).await?, session);
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, device);
            Ok(response)
        }
        LoginOutcome::Refused => {
            tracing::info!("a login to send Step 1 failed");
            let view = form_view(&ctx, &form, &Problems::new(), Banner::LogInFailed);
            Ok((StatusCode::UNAUTHORIZED, view).into_response())
        }
        LoginOutcome::Throttled(throttled) => {
            let banner = Banner::Wait(throttled.retry_after);
            let view = form_view(&ctx, &form, &Problems::new(), banner);
            Ok(limit::too_many(view, throttled))
        }
        LoginOutcome::Busy => Err(AppError::Busy),
    }
}

/// Checks Step 1 and saves the draft for the logged-in user of `ctx`.
async fn save(state: &AppState, ctx: &Ctx, form: ApplicationForm) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let today = state.clock.today();
    let applicant = match form.parse(today) {
        Ok(applicant) => applicant,
        Err(problems) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_view(ctx, &form, &problems, Banner::None),
            )
                .into_response());
        }
    };
    let now = state.clock.rfc3339();
    let saved = state
        .db
        .call(move |conn| store::application::save_draft(conn, user, &applicant, today, &now))
        .await?;
    match saved {
        Checked::Stored(id) => {
            Ok(Redirect::to(&format!("/applications/{id}/confirm")).into_response())
        }
        Checked::Refused(problems) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            form_view(ctx, &form, &problems, Banner::None),
        )
            .into_response()),
    }
}

/// The applicant's own application, or 404 (also for someone else's).
pub async fn own_application(
    state: &AppState,
    ctx: &Ctx,
    id: String,
) -> Result<Application, AppError> {
    let user = ctx.user()?.id;
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    state
        .db
        .read(move |conn| store::application::application_of(conn, &id, user))
        .await?
        .ok_or(AppError::NotFound)
}

/// The applicant's data as a table.
pub fn applicant_table(ctx: &Ctx, app: &Application) -> Markup {
    let l = ctx.lang;
    let a = &app.applicant;
    let rows: Vec<(&str, String)> = vec![
        (
            ctx.label(Field::InvitationNumber),
            a.invitation_number.as_str().to_owned(),
        ),
        (
            ctx.label(Field::Category),
            category_name(l, a.category).to_owned(),
        ),
        (ctx.msg(Apply::NameLatin), a.full_name()),
        (
            ctx.msg(Apply::NameNative),
            a.full_name_native().unwrap_or_default(),
        ),
        (ctx.label(Field::Sex), sex_name(l, a.sex).to_owned()),
        (ctx.label(Field::DateOfBirth), a.date_of_birth.to_string()),
        (ctx.label(Field::Citizenship), a.citizenship.to_string()),
        (
            ctx.label(Field::PassportNumber),
            a.passport_number.as_str().to_owned(),
        ),
        (
            ctx.msg(Apply::PassportValidUntil),
            a.passport_expiry.to_string(),
        ),
    ];
    html! {
        table.data {
            @for (label, value) in rows {
                tr { th scope="row" { (label) } td { @if value.is_empty() { (layout::dash()) } @else { (value) } } }
            }
        }
    }
}

/// The inviting party and the planned address of stay.
pub fn invitation_box(ctx: &Ctx, inv: &Invitation) -> Markup {
    let kind = match inv.inviter.kind {
        PartyKind::Organisation => ctx.msg(Apply::OrganisationBin),
        PartyKind::Individual => ctx.msg(Apply::IndividualIin),
    };
    html! {
        div.columns {
            div {
                h2.minor { (ctx.label(Field::InvitingParty)) }
                table.data {
                    tr { th scope="row" { (ctx.msg(Apply::Name)) } td { (inv.inviter.shown_name()) } }
                    tr { th scope="row" { (kind) } td { (inv.inviter.tax_id) } }
                    tr { th scope="row" { (ctx.msg(Apply::Description)) } td { (inv.inviter.description) } }
                    tr { th scope="row" { (ctx.msg(Frame::PurposeOfVisit)) } td { (inv.purpose) } }
                    tr { th scope="row" { (ctx.msg(Apply::PeriodOfVisit)) }
                         td { (inv.valid_from) " — " (inv.valid_until) ", " (ctx.counted(Counted::Days(u64::from(inv.stay_days)))) } }
                }
            }
            div {
                h2.minor { (ctx.msg(Apply::PlannedAddressOfStay)) }
                table.data {
                    tr { th scope="row" { (ctx.msg(Frame::City)) } td { (inv.address.city) } }
                    tr { th scope="row" { (ctx.msg(Frame::Street)) } td { (inv.address.street) } }
                    tr { th scope="row" { (ctx.msg(Frame::House)) } td { (inv.address.house) } }
                }
            }
        }
    }
}

async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if app.status != ApplicationStatus::Draft {
        return Ok(Redirect::to(&crate::web::cabinet::next_step(&app)).into_response());
    }
    Ok(confirm_view(&ctx, &app, &Problems::new()).into_response())
}

fn confirm_view(ctx: &Ctx, app: &Application, p: &Problems) -> Html<String> {
    let title = ctx.msg(Apply::CheckTheData);
    let problem = p.get("confirm").map(|p| p.message(ctx.lang));
    page(
        ctx,
        title,
        html! {
            section.card {
                (steps(ctx.lang, 1))
                h1 { (title) }
                (applicant_table(ctx, app))
                (invitation_box(ctx, &app.invitation))
                form method="post" action=(format!("/applications/{}/confirm", app.id)) {
                    (csrf(ctx))
                    div class=(if problem.is_some() { "field invalid confirm" } else { "field confirm" }) {
                        label.checkbox {
                            input type="checkbox" name="confirm" value="yes"
                                aria-invalid=[problem.as_ref().map(|_| "true")]
                                aria-describedby=[problem.as_ref().map(|_| "e-confirm")];
                            " "
                            (ctx.msg(Apply::ConfirmAccuracy))
                        }
                        @if let Some(problem) = &problem { span.error id="e-confirm" role="alert" { (problem) } }
                    }
                    p.actions {
                        a.button href=(format!("/apply?application={}", app.id)) { (ctx.msg(Frame::Back)) }
                        button.primary type="submit" { (ctx.msg(Frame::Next)) }
                    }
                }
            }
        },
    )
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(form): Posted<ConfirmForm>,
) -> Result<Response, AppError> {
    let app = own_application(&state, &ctx, id).await?;
    if app.status != ApplicationStatus::Draft {
        return Ok(Redirect::to(&crate::web::cabinet::next_step(&app)).into_response());
    }
    if form.confirm.as_deref() != Some("yes") {
        let problems = Problems::from([("confirm", Problem::NotConfirmed)]);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            confirm_view(&ctx, &app, &problems),
        )
            .into_response());
    }
    // A party suspended since Step 1: its open invitations no longer work.
    if !app.invitation.inviter.state.may_invite() {
        let problems = Problems::from([("confirm", Problem::InviterNotVerified)]);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            confirm_view(&ctx, &app, &problems),
        )
            .into_response());
    }
    let user = ctx.user()?.id;
    let now = state.clock.rfc3339();
    let app_id = app.id.clone();
    state
        .db
        .call(move |conn| store::application::confirm(conn, &app_id, user, &now))
        .await?;
    tracing::info!(application = %app.id, "an application was confirmed");
    let confirmed = Application {
        status: ApplicationStatus::Submitted,
        ..app
    };
    Ok(Redirect::to(&crate::web::cabinet::next_step(&confirmed)).into_response())
}
