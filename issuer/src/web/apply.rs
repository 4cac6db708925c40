//! Step 1 "Personal data": the form, its checks against the invitation, and the confirmation page
//! with the inviting party, the planned address of stay and the "I confirm" box.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{
    self, Kind, category_name, csrf, field, notice, page, select, sex_name, steps,
};
use super::session::{Ctx, Posted};
use super::{AppError, AppState};
use crate::domain::application::{Application, ApplicationForm, ApplicationStatus};
use crate::domain::invitation::Invitation;
use crate::domain::problem::{Problem, Problems};
use crate::domain::taxid::PartyKind;
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
                .call(move |conn| store::application::application_of(conn, &id, user))
                .await?
                .filter(|a| a.status == ApplicationStatus::Draft)
                .ok_or(AppError::NotFound)?;
            app.applicant.to_form()
        }
        None => ApplicationForm::default(),
    };
    Ok(form_view(&ctx, &form, &Problems::new()))
}

fn form_view(ctx: &Ctx, form: &ApplicationForm, p: &Problems) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.t("Жеке деректер", "Личные данные", "Personal data");
    let sexes = [
        ("F", sex_name(l, shared::Sex::Female)),
        ("M", sex_name(l, shared::Sex::Male)),
        ("X", sex_name(l, shared::Sex::Unspecified)),
    ];
    let children_problem = p.get("with_children").map(|p| p.message(l));
    page(
        ctx,
        title,
        html! {
            section.card {
                (steps(l, 1))
                h1 { (title) }
                (notice("info", ctx.t(
                    "Маңызды! Деректер шетел азаматының жарамды құжатымен және шақырудағы деректермен сәйкес келуі тиіс. * белгісімен белгіленген өрістер міндетті.",
                    "Важно! Данные должны совпадать с действующим документом иностранного гражданина и с данными приглашения. Поля, отмеченные *, обязательны.",
                    "Important! The data must coincide with the current document of the foreign citizen and with the invitation. Fields marked * are required.")))
                @if !p.is_empty() {
                    (notice("error", ctx.t(
                        "Форманы тексеріңіз: қателер өрістердің жанында көрсетілген.",
                        "Проверьте форму: ошибки указаны рядом с полями.",
                        "Please check the form: the errors are shown beside the fields.")))
                }
                form method="post" action="/apply" novalidate {
                    (csrf(ctx))
                    fieldset {
                        legend { (ctx.t("Шақыру", "Приглашение", "Invitation")) }
                        (field(l, "invitation_number", ctx.t("Шақыру нөмірі", "Номер приглашения", "Invitation number"), &form.invitation_number, true, Kind::Text,
                            Some(ctx.t("Шақырушы тараптан алынған нөмір", "Номер, полученный от приглашающей стороны", "The number you received from the inviting party")), p))
                        (select(l, "category", ctx.t("Виза санаты", "Категория визы", "Visa category"), &form.category, &layout::category_options(l), p))
                    }
                    fieldset {
                        legend { (ctx.t("Паспорт деректері", "Паспортные данные", "Passport data")) }
                        (field(l, "surname", ctx.t("Тегі (латынша)", "Фамилия (латиницей)", "Surname (Latin letters)"), &form.surname, true, Kind::Text,
                            Some(ctx.t("Паспорттың машинамен оқылатын аймағындағыдай", "Как в машиносчитываемой зоне паспорта", "As in the passport's machine-readable zone")), p))
                        (field(l, "given_names", ctx.t("Аты (латынша)", "Имя (латиницей)", "Given names (Latin letters)"), &form.given_names, false, Kind::Text, None, p))
                        (field(l, "surname_native", ctx.t("Тегі (ана тілінде)", "Фамилия (на родном языке)", "Surname (native script)"), &form.surname_native, false, Kind::Text,
                            Some(ctx.t("Паспортта көрсетілсе", "Если указана в паспорте", "If the passport shows it")), p))
                        (field(l, "given_names_native", ctx.t("Аты (ана тілінде)", "Имя (на родном языке)", "Given names (native script)"), &form.given_names_native, false, Kind::Text, None, p))
                        (select(l, "sex", ctx.t("Жынысы", "Пол", "Sex"), &form.sex, &sexes, p))
                        (field(l, "date_of_birth", ctx.t("Туған күні", "Дата рождения", "Date of birth"), &form.date_of_birth, true, Kind::Date, Some("YYYY-MM-DD"), p))
                        (field(l, "citizenship", ctx.t("Азаматтығы", "Гражданство", "Citizenship"), &form.citizenship, true, Kind::Text,
                            Some(ctx.t("Үш әріпті код, мысалы DEU, SWE, USA", "Трёхбуквенный код, например DEU, SWE, USA", "Three-letter code, e.g. DEU, SWE, USA")), p))
                        (field(l, "passport_number", ctx.t("Паспорт нөмірі", "Номер паспорта", "Passport number"), &form.passport_number, true, Kind::Text, None, p))
                        (field(l, "passport_expiry", ctx.t("Паспорттың қолданылу мерзімі", "Срок действия паспорта", "Passport valid until"), &form.passport_expiry, true, Kind::Date, Some("YYYY-MM-DD"), p))
                    }
                    fieldset class=(if children_problem.is_some() { "field invalid" } else { "field" }) {
                        legend { (ctx.t("Балаларыңызбен бірге жүресіз бе?", "Следуете ли вы вместе с детьми?", "Are you travelling together with children?")) span.req { " *" } }
                        label.radio { input type="radio" name="with_children" value="no" checked[form.with_children == "no"]; " " (ctx.t("Жоқ", "Нет", "No")) }
                        label.radio { input type="radio" name="with_children" value="yes" checked[form.with_children == "yes"]; " " (ctx.t("Иә", "Да", "Yes")) }
                        @if let Some(problem) = &children_problem { span.error id="e-with_children" role="alert" { (problem) } }
                    }
                    p.actions { button.primary type="submit" { (ctx.t("Келесі", "Далее", "Next")) } }
                }
            }
        },
    )
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(form): Posted<ApplicationForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.id;
    let today = state.clock.today();
    let applicant = match form.parse(today) {
        Ok(applicant) => applicant,
        Err(problems) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_view(&ctx, &form, &problems),
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
            form_view(&ctx, &form, &problems),
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
        .call(move |conn| store::application::application_of(conn, &id, user))
        .await?
        .ok_or(AppError::NotFound)
}

/// The applicant's data as a table.
pub fn applicant_table(ctx: &Ctx, app: &Application) -> Markup {
    let l = ctx.lang;
    let a = &app.applicant;
    let rows: Vec<(&str, String)> = vec![
        (
            ctx.t("Шақыру нөмірі", "Номер приглашения", "Invitation number"),
            a.invitation_number.as_str().to_owned(),
        ),
        (
            ctx.t("Виза санаты", "Категория визы", "Visa category"),
            category_name(l, a.category).to_owned(),
        ),
        (
            ctx.t(
                "Тегі, аты (латынша)",
                "Фамилия, имя (латиницей)",
                "Name (Latin letters)",
            ),
            a.full_name(),
        ),
        (
            ctx.t(
                "Тегі, аты (ана тілінде)",
                "Фамилия, имя (на родном языке)",
                "Name (native script)",
            ),
            a.full_name_native().unwrap_or_default(),
        ),
        (ctx.t("Жынысы", "Пол", "Sex"), sex_name(l, a.sex).to_owned()),
        (
            ctx.t("Туған күні", "Дата рождения", "Date of birth"),
            a.date_of_birth.to_string(),
        ),
        (
            ctx.t("Азаматтығы", "Гражданство", "Citizenship"),
            a.citizenship.to_string(),
        ),
        (
            ctx.t("Паспорт нөмірі", "Номер паспорта", "Passport number"),
            a.passport_number.as_str().to_owned(),
        ),
        (
            ctx.t(
                "Паспорттың қолданылу мерзімі",
                "Срок действия паспорта",
                "Passport valid until",
            ),
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
        PartyKind::Organisation => ctx.t("Ұйым, БСН", "Организация, БИН", "Organisation, BIN"),
        PartyKind::Individual => {
            ctx.t("Жеке тұлға, ЖСН", "Физическое лицо, ИИН", "Individual, IIN")
        }
    };
    html! {
        div.columns {
            div {
                h3 { (ctx.t("Шақырушы тарап", "Приглашающая сторона", "Inviting party")) }
                table.data {
                    tr { th scope="row" { (ctx.t("Атауы", "Наименование", "Name")) } td { (inv.inviter.name) } }
                    tr { th scope="row" { (kind) } td { (inv.inviter.tax_id) } }
                    tr { th scope="row" { (ctx.t("Сипаттамасы", "Описание", "Description")) } td { (inv.inviter.description) } }
                    tr { th scope="row" { (ctx.t("Сапар мақсаты", "Цель поездки", "Purpose of the visit")) } td { (inv.purpose) } }
                    tr { th scope="row" { (ctx.t("Сапар мерзімі", "Сроки поездки", "Period of the visit")) }
                         td { (inv.valid_from) " — " (inv.valid_until) ", " (inv.stay_days) " " (ctx.t("күн", "дн.", "days")) } }
                }
            }
            div {
                h3 { (ctx.t("Қазақстан Республикасында болудың жоспарланған мекенжайы", "Планируемый адрес пребывания в Республике Казахстан", "Planned address of stay in the Republic of Kazakhstan")) }
                table.data {
                    tr { th scope="row" { (ctx.t("Қала", "Город", "City")) } td { (inv.address.city) } }
                    tr { th scope="row" { (ctx.t("Көше", "Улица", "Street")) } td { (inv.address.street) } }
                    tr { th scope="row" { (ctx.t("Үй", "Дом", "House")) } td { (inv.address.house) } }
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
    let title = ctx.t("Деректерді тексеру", "Проверка данных", "Check the data");
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
                            input type="checkbox" name="confirm" value="yes";
                            " "
                            (ctx.t(
                                "Ұсынылған деректердің дұрыстығын растаймын және жалған деректерді ұсыну қызмет нәтижелерінің жарамсыз болуына әкелетіні туралы хабардармын",
                                "Подтверждаю достоверность предоставленных данных и уведомлен(а), что предоставление ложных данных повлечёт недействительность результатов услуги",
                                "I confirm the accuracy of the data provided and I am notified that the provision of false data will cause invalid results of services"))
                        }
                        @if let Some(problem) = &problem { span.error id="e-confirm" role="alert" { (problem) } }
                    }
                    p.actions {
                        a.button href=(format!("/apply?application={}", app.id)) { (ctx.t("Артқа", "Назад", "Back")) }
                        button.primary type="submit" { (ctx.t("Келесі", "Далее", "Next")) }
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
