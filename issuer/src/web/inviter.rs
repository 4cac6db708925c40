//! Pages for inviting parties: register as an organisation (BIN) or individual (IIN), then
//! register invitations and see which are used.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use shared::labels::Field;

use super::layout::{self, Kind, category_name, csrf, field, notice, page, select};
use super::session::{Ctx, Sent};
use super::{AppError, AppState};
use crate::domain::invitation::{InvitationForm, Inviter, InviterForm};
use crate::domain::inviter::InviterState;
use crate::domain::problem::Problems;
use crate::i18n::msg::{Frame, Invite, Screens, Verification};
use crate::store::{self, Checked};

/// The routes of this section.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inviter", get(home).post(register))
        .route(
            "/inviter/invitations",
            get(|| async { Redirect::to("/inviter") }).post(create),
        )
        .route("/inviter/invitations/new", get(new_page))
}

async fn inviter_of(state: &AppState, ctx: &Ctx) -> Result<Option<Inviter>, AppError> {
    let user = ctx.user()?.id;
    Ok(state
        .db
        .read(move |conn| store::invitation::inviter_of_user(conn, user))
        .await?)
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    match inviter_of(&state, &ctx).await? {
        None => Ok(register_view(
            &ctx,
            &InviterForm::default(),
            &Problems::new(),
            false,
        )),
        Some(inviter) => {
            let id = inviter.id;
            let (list, reason) = state
                .db
                .call(move |conn| {
                    Ok((
                        store::invitation::invitations_of(conn, id)?,
                        store::inviter::reason_of(conn, id)?,
                    ))
                })
                .await?;
            let l = ctx.lang;
            let title = ctx.msg(Invite::Invitations);
            Ok(page(
                &ctx,
                title,
                html! {
                    section.card {
                        p.crumbs { (inviter.shown_name()) " · " (inviter.tax_id) }
                        (state_view(&ctx, &inviter, reason.as_deref()))
                        h1 { (title) }
                        p.actions { a.button.primary href="/inviter/invitations/new" { (ctx.msg(Invite::NewInvitation)) } }
                        @if list.is_empty() {
                            p { (ctx.msg(Invite::NoInvitationsYet)) }
                        } @else {
                            table.list.stacked {
                                thead { tr {
                                    th { (ctx.msg(Invite::Number)) }
                                    th { (ctx.msg(Invite::Guest)) }
                                    th { (ctx.label(Field::Category)) }
                                    th { (ctx.msg(Invite::Period)) }
                                    th { (ctx.msg(Invite::Used)) }
                                } }
                                tbody {
                                    @for (inv, used) in &list {
                                        tr {
                                            td data-label=(ctx.msg(Invite::Number)) { code { (inv.number.as_str()) } }
                                            td data-label=(ctx.msg(Invite::Guest)) { (inv.guest.full_name()) }
                                            td data-label=(ctx.label(Field::Category)) { (category_name(l, inv.guest.category)) }
                                            td data-label=(ctx.msg(Invite::Period)) { (inv.valid_from) " — " (inv.valid_until) }
                                            td data-label=(ctx.msg(Invite::Used)) { @if *used { (ctx.msg(Frame::Yes)) } @else { (ctx.msg(Frame::No)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            ))
        }
    }
}

/// Where the party stands with the migration service, and what that means for its invitations.
fn state_view(ctx: &Ctx, inviter: &Inviter, reason: Option<&str>) -> Markup {
    let (name, class) = match inviter.state {
        InviterState::Pending => (Verification::Pending, "notice info"),
        InviterState::Verified => (Verification::Verified, "notice success"),
        InviterState::Rejected => (Verification::Rejected, "notice error"),
        InviterState::Suspended => (Verification::Suspended, "notice error"),
    };
    html! {
        div class=(class) role="status" id="verification" {
            strong { (ctx.msg(Verification::State)) ": " (ctx.msg(name)) }
            @match inviter.state {
                InviterState::Pending => { p { (ctx.msg(Verification::PendingHint)) } }
                InviterState::Verified => {
                    p { (ctx.msg(Verification::VerifiedName)) ": " (inviter.shown_name()) }
                }
                InviterState::Rejected | InviterState::Suspended => {
                    p { (ctx.msg(Verification::StoppedHint)) " " (reason.unwrap_or("—")) }
                }
            }
        }
    }
}

fn register_view(ctx: &Ctx, form: &InviterForm, p: &Problems, expired: bool) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(Invite::RegisterInvitingParty);
    let kinds = [
        ("organisation", ctx.msg(Invite::Organisation)),
        ("individual", ctx.msg(Invite::Individual)),
    ];
    layout::form_page(
        ctx,
        title,
        "inviter",
        html! {
            section.card.narrow {
                h1 { (title) }
                p.muted { (ctx.msg(Invite::WhoRegisters)) }
                @if expired { (notice("warning", ctx.msg(Screens::FormExpiredKept))) }
                form id="inviter" method="post" action="/inviter" novalidate {
                    (csrf(ctx))
                    (select(l, "kind", ctx.msg(Invite::KindOfParty), &form.kind, &kinds, p))
                    (field(l, "tax_id", ctx.msg(Invite::TaxId), &form.tax_id, true, Kind::Text, Some(ctx.msg(Invite::TwelveDigits)), p))
                    (field(l, "name", ctx.msg(Invite::NameOrFullName), &form.name, true, Kind::Text, None, p))
                    (field(l, "description", ctx.msg(Invite::BriefDescription), &form.description, true, Kind::Text,
                        Some(ctx.msg(Invite::ShownToTheApplicant)), p))
                    button.primary type="submit" { (ctx.msg(Invite::Register)) }
                }
            }
        },
    )
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    sent: Sent<InviterForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let form = sent.form;
    if sent.switch_lang || !sent.fresh {
        let view = register_view(
            &ctx,
            &form,
            &Problems::new(),
            !sent.fresh && !sent.switch_lang,
        );
        return Ok(view.into_response());
    }
    let new = match form.parse() {
        Ok(new) => new,
        Err(p) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                register_view(&ctx, &form, &p, false),
            )
                .into_response());
        }
    };
    let now = state.clock.rfc3339();
    let result = state
        .db
        .call(move |conn| {
            if store::invitation::inviter_of_user(conn, user)?.is_some() {
                return Ok(Checked::Stored(0));
            }
            store::invitation::insert_inviter(conn, Some(user), &new, &now)
        })
        .await?;
    match result {
        Checked::Stored(_) => Ok(Redirect::to("/inviter").into_response()),
        Checked::Refused(p) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            register_view(&ctx, &form, &p, false),
        )
            .into_response()),
    }
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if inviter_of(&state, &ctx).await?.is_none() {
        return Ok(Redirect::to("/inviter").into_response());
    }
    let form = InvitationForm::default();
    Ok(invitation_view(&ctx, &form, &Problems::new(), Shown::Blank).into_response())
}

/// Why the invitation form is shown.
enum Shown<'a> {
    /// Empty or with its errors.
    Blank,
    /// After an invitation was registered, with its number.
    Created(&'a str),
    /// Again after its token expired, with what was typed.
    Expired,
}

fn invitation_view(
    ctx: &Ctx,
    form: &InvitationForm,
    p: &Problems,
    shown: Shown<'_>,
) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(Invite::NewInvitation);
    let created = match shown {
        Shown::Created(number) => Some(number),
        _ => None,
    };
    layout::form_page(
        ctx,
        title,
        "invitation",
        html! {
            section.card {
                h1 { (title) }
                @if matches!(shown, Shown::Expired) { (notice("warning", ctx.msg(Screens::FormExpiredKept))) }
                @if let Some(number) = created {
                    div.notice.success role="status" {
                        (ctx.msg(Invite::Registered))
                        " " strong { code { (number) } }
                    }
                }
                form id="invitation" method="post" action="/inviter/invitations" novalidate {
                    (csrf(ctx))
                    fieldset {
                        legend { (ctx.msg(Invite::InvitedPerson)) }
                        (field(l, "surname", ctx.msg(Frame::SurnameLatin), &form.surname, true, Kind::Text, None, p))
                        (field(l, "given_names", ctx.msg(Frame::GivenNamesLatin), &form.given_names, false, Kind::Text, None, p))
                        (field(l, "passport_number", ctx.label(Field::PassportNumber), &form.passport_number, true, Kind::Text, None, p))
                        (field(l, "citizenship", ctx.label(Field::Citizenship), &form.citizenship, true, Kind::Text, Some("ISO 3166-1 alpha-3"), p))
                        (field(l, "date_of_birth", ctx.label(Field::DateOfBirth), &form.date_of_birth, true, Kind::Date, None, p))
                        (select(l, "category", ctx.label(Field::Category), &form.category, &layout::category_options(l), p))
                        (field(l, "purpose", ctx.msg(Frame::PurposeOfVisit), &form.purpose, true, Kind::Text, None, p))
                    }
                    fieldset {
                        legend { (ctx.msg(Invite::PlannedAddress)) }
                        (field(l, "city", ctx.msg(Frame::City), &form.city, true, Kind::Text, None, p))
                        (field(l, "street", ctx.msg(Frame::Street), &form.street, true, Kind::Text, None, p))
                        (field(l, "house", ctx.msg(Frame::House), &form.house, true, Kind::Text, None, p))
                    }
                    fieldset {
                        legend { (ctx.msg(Invite::Period)) }
                        (field(l, "valid_from", ctx.msg(Invite::From), &form.valid_from, true, Kind::Date, None, p))
                        (field(l, "valid_until", ctx.msg(Invite::Until), &form.valid_until, true, Kind::Date, None, p))
                        (field(l, "stay_days", ctx.msg(Invite::LengthOfStay), &form.stay_days, true, Kind::Number, Some("1–90"), p))
                    }
                    p.actions { button.primary type="submit" { (ctx.msg(Invite::Register)) } }
                }
                @if created.is_none() && !p.is_empty() {
                    (notice("error", ctx.msg(Invite::CheckTheForm)))
                }
            }
        },
    )
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    sent: Sent<InvitationForm>,
) -> Result<Response, AppError> {
    let Some(inviter) = inviter_of(&state, &ctx).await? else {
        return Ok(Redirect::to("/inviter").into_response());
    };
    let form = sent.form;
    if sent.switch_lang || !sent.fresh {
        let shown = if sent.switch_lang {
            Shown::Blank
        } else {
            Shown::Expired
        };
        return Ok(invitation_view(&ctx, &form, &Problems::new(), shown).into_response());
    }
    let today = state.clock.today();
    let new = match form.parse(today) {
        Ok(new) => new,
        Err(p) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                invitation_view(&ctx, &form, &p, Shown::Blank),
            )
                .into_response());
        }
    };
    let now = state.clock.rfc3339();
    let number = state
        .db
        .call(move |conn| {
            store::invitation::create_invitation(conn, inviter.id, &new, today.year(), &now)
        })
        .await?;
    tracing::info!(invitation = number.as_str(), "an invitation was registered");
    Ok((
        StatusCode::CREATED,
        invitation_view(
            &ctx,
            &InvitationForm::default(),
            &Problems::new(),
            Shown::Created(number.as_str()),
        ),
    )
        .into_response())
}
