//! Pages for inviting parties: register as an organisation (BIN) or individual (IIN), then
//! register invitations and see which are used.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::html;

use super::layout::{self, Kind, category_name, csrf, field, notice, page, select};
use super::session::{Ctx, Posted};
use super::{AppError, AppState};
use crate::domain::invitation::{InvitationForm, Inviter, InviterForm};
use crate::domain::problem::Problems;
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
        .call(move |conn| store::invitation::inviter_of_user(conn, user))
        .await?)
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    match inviter_of(&state, &ctx).await? {
        None => Ok(register_view(
            &ctx,
            &InviterForm::default(),
            &Problems::new(),
        )),
        Some(inviter) => {
            let id = inviter.id;
            let list = state
                .db
                .call(move |conn| store::invitation::invitations_of(conn, id))
                .await?;
            let l = ctx.lang;
            let title = ctx.t("Шақырулар", "Приглашения", "Invitations");
            Ok(page(
                &ctx,
                title,
                html! {
                    section.card {
                        p.crumbs { (inviter.name) " · " (inviter.tax_id) }
                        h1 { (title) }
                        p.actions { a.button.primary href="/inviter/invitations/new" { (ctx.t("Жаңа шақыру", "Новое приглашение", "New invitation")) } }
                        @if list.is_empty() {
                            p { (ctx.t("Әзірге шақырулар жоқ.", "Приглашений пока нет.", "No invitations yet.")) }
                        } @else {
                            table.list {
                                thead { tr {
                                    th { (ctx.t("Нөмірі", "Номер", "Number")) }
                                    th { (ctx.t("Шақырылушы", "Приглашённый", "Guest")) }
                                    th { (ctx.t("Санат", "Категория", "Category")) }
                                    th { (ctx.t("Мерзімі", "Срок", "Period")) }
                                    th { (ctx.t("Пайдаланылды", "Использовано", "Used")) }
                                } }
                                tbody {
                                    @for (inv, used) in &list {
                                        tr {
                                            td { code { (inv.number.as_str()) } }
                                            td { (inv.guest.full_name()) }
                                            td { (category_name(l, inv.guest.category)) }
                                            td { (inv.valid_from) " — " (inv.valid_until) }
                                            td { @if *used { (ctx.t("Иә", "Да", "Yes")) } @else { (ctx.t("Жоқ", "Нет", "No")) } }
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

fn register_view(ctx: &Ctx, form: &InviterForm, p: &Problems) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.t(
        "Шақырушы тарапты тіркеу",
        "Регистрация приглашающей стороны",
        "Register as an inviting party",
    );
    let kinds = [
        (
            "organisation",
            ctx.t("Ұйым (БСН)", "Организация (БИН)", "Organisation (BIN)"),
        ),
        (
            "individual",
            ctx.t(
                "Жеке тұлға (ЖСН)",
                "Физическое лицо (ИИН)",
                "Individual (IIN)",
            ),
        ),
    ];
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                p.muted { (ctx.t(
                    "Шетел азаматын шақыратын Қазақстан ұйымдары мен жеке тұлғаларына арналған. Тіркелгеннен кейін БСН/ЖСН арқылы да кіре аласыз.",
                    "Для казахстанских организаций и физических лиц, приглашающих иностранца. После регистрации можно входить также по БИН/ИИН.",
                    "For Kazakh organisations and individuals who invite a foreigner. Once registered you can also log in with the BIN/IIN.")) }
                form method="post" action="/inviter" novalidate {
                    (csrf(ctx))
                    (select(l, "kind", ctx.t("Тұлға түрі", "Вид лица", "Kind of party"), &form.kind, &kinds, p))
                    (field(l, "tax_id", ctx.t("БСН / ЖСН", "БИН / ИИН", "BIN / IIN"), &form.tax_id, true, Kind::Text, Some(ctx.t("12 цифр", "12 цифр", "12 digits")), p))
                    (field(l, "name", ctx.t("Атауы немесе аты-жөні", "Наименование или ФИО", "Name"), &form.name, true, Kind::Text, None, p))
                    (field(l, "description", ctx.t("Қысқаша сипаттама", "Краткое описание", "Brief description"), &form.description, true, Kind::Text,
                        Some(ctx.t("Өтініш берушіге көрсетіледі", "Показывается заявителю", "Shown to the applicant")), p))
                    button.primary type="submit" { (ctx.t("Тіркеу", "Зарегистрировать", "Register")) }
                }
            }
        },
    )
}

async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(form): Posted<InviterForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let new = match form.parse() {
        Ok(new) => new,
        Err(p) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                register_view(&ctx, &form, &p),
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
            register_view(&ctx, &form, &p),
        )
            .into_response()),
    }
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if inviter_of(&state, &ctx).await?.is_none() {
        return Ok(Redirect::to("/inviter").into_response());
    }
    Ok(invitation_view(&ctx, &InvitationForm::default(), &Problems::new(), None).into_response())
}

fn invitation_view(
    ctx: &Ctx,
    form: &InvitationForm,
    p: &Problems,
    created: Option<&str>,
) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.t("Жаңа шақыру", "Новое приглашение", "New invitation");
    page(
        ctx,
        title,
        html! {
            section.card {
                h1 { (title) }
                @if let Some(number) = created {
                    div.notice.success role="status" {
                        (ctx.t("Шақыру тіркелді. Нөмірі:", "Приглашение зарегистрировано. Номер:", "The invitation is registered. Its number:"))
                        " " strong { code { (number) } }
                    }
                }
                form method="post" action="/inviter/invitations" novalidate {
                    (csrf(ctx))
                    fieldset {
                        legend { (ctx.t("Шақырылатын адам", "Приглашаемое лицо", "The invited person")) }
                        (field(l, "surname", ctx.t("Тегі (латынша)", "Фамилия (латиницей)", "Surname (Latin letters)"), &form.surname, true, Kind::Text, None, p))
                        (field(l, "given_names", ctx.t("Аты (латынша)", "Имя (латиницей)", "Given names (Latin letters)"), &form.given_names, false, Kind::Text, None, p))
                        (field(l, "passport_number", ctx.t("Паспорт нөмірі", "Номер паспорта", "Passport number"), &form.passport_number, true, Kind::Text, None, p))
                        (field(l, "citizenship", ctx.t("Азаматтығы", "Гражданство", "Citizenship"), &form.citizenship, true, Kind::Text, Some("ISO 3166-1 alpha-3"), p))
                        (field(l, "date_of_birth", ctx.t("Туған күні", "Дата рождения", "Date of birth"), &form.date_of_birth, true, Kind::Date, None, p))
                        (select(l, "category", ctx.t("Виза санаты", "Категория визы", "Visa category"), &form.category, &layout::category_options(l), p))
                        (field(l, "purpose", ctx.t("Сапар мақсаты", "Цель поездки", "Purpose of the visit"), &form.purpose, true, Kind::Text, None, p))
                    }
                    fieldset {
                        legend { (ctx.t("Болудың жоспарланған мекенжайы", "Планируемый адрес пребывания", "Planned address of stay")) }
                        (field(l, "city", ctx.t("Қала", "Город", "City"), &form.city, true, Kind::Text, None, p))
                        (field(l, "street", ctx.t("Көше", "Улица", "Street"), &form.street, true, Kind::Text, None, p))
                        (field(l, "house", ctx.t("Үй", "Дом", "House"), &form.house, true, Kind::Text, None, p))
                    }
                    fieldset {
                        legend { (ctx.t("Мерзімі", "Срок", "Period")) }
                        (field(l, "valid_from", ctx.t("Басталуы", "С", "From"), &form.valid_from, true, Kind::Date, None, p))
                        (field(l, "valid_until", ctx.t("Аяқталуы", "По", "Until"), &form.valid_until, true, Kind::Date, None, p))
                        (field(l, "stay_days", ctx.t("Болу ұзақтығы, күн", "Срок пребывания, дней", "Length of stay, days"), &form.stay_days, true, Kind::Number, Some("1–90"), p))
                    }
                    p.actions { button.primary type="submit" { (ctx.t("Тіркеу", "Зарегистрировать", "Register")) } }
                }
                @if created.is_none() && !p.is_empty() {
                    (notice("error", ctx.t("Форманы тексеріңіз.", "Проверьте форму.", "Please check the form.")))
                }
            }
        },
    )
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(form): Posted<InvitationForm>,
) -> Result<Response, AppError> {
    let Some(inviter) = inviter_of(&state, &ctx).await? else {
        return Ok(Redirect::to("/inviter").into_response());
    };
    let today = state.clock.today();
    let new = match form.parse(today) {
        Ok(new) => new,
        Err(p) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                invitation_view(&ctx, &form, &p, None),
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
            Some(number.as_str()),
        ),
    )
        .into_response())
}
