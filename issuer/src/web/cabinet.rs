//! The personal account and its "Visas" section: every application of the applicant with its
//! status and what to do next.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use maud::html;

use super::layout::{category_name, page};
use super::session::Ctx;
use super::{AppError, AppState};
use crate::domain::application::{Application, ApplicationStatus};
use crate::i18n::Lang;
use crate::store;

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
        ApplicationStatus::Paid | ApplicationStatus::Issued => {
            format!("/applications/{}/result", app.id)
        }
    }
}

/// The status in the instruction's words.
pub fn status_text(l: Lang, status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Draft => l.t(
            "Жоба: деректер расталмаған",
            "Черновик: данные не подтверждены",
            "Draft: data not confirmed",
        ),
        ApplicationStatus::Submitted => l.t(
            "Төлем жасалмады",
            "Оплата не произведена",
            "Payment not done",
        ),
        ApplicationStatus::Paid => l.t(
            "Төлем алынды, виза ресімделуде",
            "Оплата получена, виза оформляется",
            "Payment received, the visa is being issued",
        ),
        ApplicationStatus::Issued => l.t(
            "Мақұлданды. Төлем жасалды",
            "Одобрено. Оплата произведена",
            "Approved. Payment completed",
        ),
    }
}

async fn visas(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let user = ctx.user()?.id;
    let (apps, revoked) = state
        .db
        .call(move |conn| {
            Ok((
                store::application::applications_of(conn, user)?,
                store::trust::revocations_of_user(conn, user)?,
            ))
        })
        .await?;
    let l = ctx.lang;
    let title = ctx.t("Визалар", "Визы", "Visas");
    Ok(page(
        &ctx,
        title,
        html! {
            section.card {
                p.crumbs { (ctx.t("Жеке кабинет", "Личный кабинет", "Personal account")) }
                h1 { (title) }
                @if apps.is_empty() {
                    p { (ctx.t("Әзірге өтініштер жоқ.", "Заявлений пока нет.", "No applications yet.")) " "
                        a href="/services/e-visa" { (ctx.t("Виза алу", "Получить визу", "Get a visa")) } }
                } @else {
                    table.list {
                        thead { tr {
                            th { (ctx.t("Өтініш берілген күн", "Дата заявления", "Applied")) }
                            th { (ctx.t("Шақыру", "Приглашение", "Invitation")) }
                            th { (ctx.t("Өтініш беруші", "Заявитель", "Applicant")) }
                            th { (ctx.t("Санат", "Категория", "Category")) }
                            th { (ctx.t("Мәртебесі", "Статус", "Status")) }
                            th { }
                        } }
                        tbody {
                            @for app in &apps {
                                tr {
                                    td { (app.created_at.get(..10).unwrap_or(&app.created_at)) }
                                    td { (app.applicant.invitation_number.as_str()) }
                                    td { (app.applicant.full_name()) }
                                    td { (category_name(l, app.applicant.category)) }
                                    td {
                                        @if let Some(r) = revoked.get(&app.id) {
                                            span.status.revoked { (ctx.t("Виза жойылды", "Виза аннулирована", "Visa revoked")) }
                                            br; small { (r.reason) }
                                        } @else {
                                            span class=(format!("status {}", app.status.as_str())) { (status_text(l, app.status)) }
                                        }
                                    }
                                    td.links {
                                        a href=(next_step(app)) { (ctx.t("Ашу", "Открыть", "Open")) }
                                        @if matches!(app.status, ApplicationStatus::Paid | ApplicationStatus::Issued) {
                                            " · " a href=(format!("/applications/{}/receipt", app.id)) { (ctx.t("Чек", "Чек", "Receipt")) }
                                        }
                                        @if app.status == ApplicationStatus::Issued && !revoked.contains_key(&app.id) {
                                            " · " a href=(format!("/applications/{}/visa.pdf", app.id)) { (ctx.t("Электрондық виза (PDF)", "Электронная виза (PDF)", "E-visa (PDF)")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
