//! Sign up, log in (with the "Digital signature" tab of the official portal) and log out.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Kind, csrf, field, notice, page};
use super::session::{
    Ctx, FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS, Posted, safe_next, with_session_cookie,
};
use super::{AppError, AppState};
use crate::domain::account::SignupForm;
use crate::domain::problem::{Problem, Problems};
use crate::service::account::{check_login, create_account};
use crate::store;

/// The routes of this step.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// Query of the login page.
#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    /// `eds` for the digital-signature tab.
    #[serde(default)]
    pub tab: Option<String>,
    /// Where to go after logging in.
    #[serde(default)]
    pub next: Option<String>,
}

/// The login form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    /// IIN, BIN or e-mail.
    pub identifier: String,
    /// Password.
    pub password: String,
    /// Where to go after logging in.
    pub next: String,
}

/// What the login page shows above the form.
enum LoginNotice {
    None,
    Failed,
    Blocked,
}

async fn login_page(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if q.tab.as_deref() == Some("eds") {
        return eds_page(&ctx, &next).into_response();
    }
    login_view(&ctx, "", &next, LoginNotice::None).into_response()
}

fn tabs(ctx: &Ctx, next: &str, eds: bool) -> Markup {
    let q = super::session::encode_next(next);
    html! {
        nav.tabs {
            a class=(if eds { "tab" } else { "tab current" }) href=(format!("/login?next={q}")) {
                (ctx.t("Логин/Құпиясөз", "Логин/Пароль", "Login/Password"))
            }
            a class=(if eds { "tab current" } else { "tab" }) href=(format!("/login?tab=eds&next={q}")) {
                (ctx.t("Электрондық цифрлық қолтаңба", "Электронная цифровая подпись", "Digital signature"))
            }
        }
    }
}

fn eds_page(ctx: &Ctx, next: &str) -> axum::response::Html<String> {
    let title = ctx.t("Кіру", "Вход", "Log In");
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (tabs(ctx, next, true))
                (notice("info", ctx.t(
                    "ЭЦҚ арқылы кіру ҚР ҰКО тіркелген сертификаты бар Қазақстан азаматтары мен ұйымдарына арналған. Шетел азаматтары үшін қолжетімді емес: электрондық пошта мен құпиясөз арқылы кіріңіз.",
                    "Вход по ЭЦП доступен гражданам и организациям Казахстана с сертификатом НУЦ РК. Для иностранных граждан он недоступен: войдите по электронной почте и паролю.",
                    "Login with a digital signature is for citizens and organisations of Kazakhstan holding an NCA RK certificate. It is not available for foreign citizens: please log in with your e-mail and password.")))
            }
        },
    )
}

fn login_view(
    ctx: &Ctx,
    identifier: &str,
    next: &str,
    state: LoginNotice,
) -> axum::response::Html<String> {
    let title = ctx.t("Кіру", "Вход", "Log In");
    let none = Problems::new();
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                (tabs(ctx, next, false))
                p.muted { (ctx.t(
                    "Деректеріңізді порталмен үйлестіру үшін тіркелу кезінде көрсеткен электрондық поштаны пайдаланыңыз.",
                    "Чтобы синхронизировать ваши данные с порталом, используйте адрес электронной почты, указанный при регистрации.",
                    "To synchronise your data with the portal, use the e-mail address you gave when registering.")) }
                @match state {
                    LoginNotice::None => {},
                    LoginNotice::Failed => (notice("error", ctx.t(
                        "ЖСН, БСН, электрондық пошта немесе құпиясөз қате",
                        "Неверный ИИН, БИН, адрес электронной почты или пароль",
                        "Wrong IIN, BIN, e-mail or password"))),
                    LoginNotice::Blocked => (notice("error", ctx.t(
                        "Сәтсіз әрекеттер тым көп. 15 минуттан кейін қайталап көріңіз.",
                        "Слишком много неудачных попыток. Повторите через 15 минут.",
                        "Too many failed attempts. Please try again in 15 minutes."))),
                }
                form method="post" action="/login" {
                    (csrf(ctx))
                    input type="hidden" name="next" value=(next);
                    (field(ctx.lang, "identifier", ctx.t("ЖСН, БСН немесе e-mail", "ИИН, БИН или e-mail", "IIN, BIN or e-mail"), identifier, true, Kind::Text, None, &none))
                    (field(ctx.lang, "password", ctx.t("Құпиясөз", "Пароль", "Password"), "", true, Kind::Password, None, &none))
                    button.primary type="submit" { (ctx.t("Кіру", "Войти", "Log in")) }
                }
                p.links {
                    (ctx.t("Тіркелгіңіз жоқ па?", "Нет учётной записи?", "No account yet?")) " "
                    a href=(format!("/signup?next={}", super::session::encode_next(next))) { (ctx.t("Тіркелу", "Регистрация", "Sign Up")) }
                }
            }
        },
    )
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(form): Posted<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(Some(form.next.as_str()));
    let identifier = form.identifier.trim().to_lowercase();
    let mut keys = vec![(format!("id:{identifier}"), FAILURES_PER_ACCOUNT)];
    if let Some(ip) = ctx.client {
        keys.push((format!("ip:{ip}"), FAILURES_PER_ADDRESS));
    }
    if state.limiter.blocked(&keys, state.clock.unix()) {
        let view = login_view(&ctx, &form.identifier, &next, LoginNotice::Blocked);
        return Ok((StatusCode::TOO_MANY_REQUESTS, view).into_response());
    }
    let user_id = check_login(&state.db, identifier, form.password).await?;
    let Some(user_id) = user_id else {
        state.limiter.fail(&keys, state.clock.unix());
        tracing::info!("a login failed");
        let view = login_view(&ctx, &form.identifier, &next, LoginNotice::Failed);
        return Ok((StatusCode::UNAUTHORIZED, view).into_response());
    };
    state.limiter.clear(&keys[0].0);
    log_in(&state, &ctx, user_id, &next).await
}

/// Replaces the request's session with a new one for the user (a new id at every login, so a
/// session id planted before login is worth nothing) and goes on to `next`.
async fn log_in(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    next: &str,
) -> Result<Response, AppError> {
    let old = ctx.session.token_hash.clone();
    state
        .db
        .call(move |conn| store::account::delete_session(conn, &old))
        .await?;
    let token = state.start_session(Some(user_id)).await?;
    tracing::info!(user_id, "a user logged in");
    Ok(with_session_cookie(
        Redirect::to(next).into_response(),
        state.session_cookie(Some(&token)),
    ))
}

async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(_): Posted<LoginQuery>,
) -> Result<Response, AppError> {
    let old = ctx.session.token_hash.clone();
    state
        .db
        .call(move |conn| store::account::delete_session(conn, &old))
        .await?;
    Ok(with_session_cookie(
        Redirect::to("/login").into_response(),
        state.session_cookie(None),
    ))
}

async fn signup_page(ctx: Ctx, Query(q): Query<LoginQuery>) -> axum::response::Html<String> {
    signup_view(
        &ctx,
        &SignupForm::default(),
        &Problems::new(),
        &safe_next(q.next.as_deref()),
    )
}

fn signup_view(
    ctx: &Ctx,
    form: &SignupForm,
    problems: &Problems,
    next: &str,
) -> axum::response::Html<String> {
    let l = ctx.lang;
    let title = ctx.t("Тіркелу", "Регистрация", "Sign Up");
    page(
        ctx,
        title,
        html! {
            section.card.narrow {
                h1 { (title) }
                p.muted { (ctx.t(
                    "Өрістер * белгісімен толтырылуы міндетті.",
                    "Поля, отмеченные *, обязательны для заполнения.",
                    "Fields marked * are required.")) }
                form method="post" action="/signup" novalidate {
                    (csrf(ctx))
                    input type="hidden" name="next" value=(next);
                    (field(l, "email", "E-mail", &form.email, true, Kind::Email, None, problems))
                    (field(l, "full_name", ctx.t("Аты-жөні", "ФИО", "Full name"), &form.full_name, true, Kind::Text, None, problems))
                    (field(l, "password", ctx.t("Құпиясөз", "Пароль", "Password"), "", true, Kind::Password,
                        Some(ctx.t("Кемінде 10 таңба", "Не менее 10 символов", "At least 10 characters")), problems))
                    (field(l, "password_again", ctx.t("Құпиясөзді қайталаңыз", "Повторите пароль", "Repeat the password"), "", true, Kind::Password, None, problems))
                    button.primary type="submit" { (ctx.t("Тіркелу", "Зарегистрироваться", "Sign up")) }
                }
                p.links {
                    (ctx.t("Тіркелгіңіз бар ма?", "Уже есть учётная запись?", "Already registered?")) " "
                    a href="/login" { (ctx.t("Кіру", "Войти", "Log in")) }
                }
            }
        },
    )
}

/// The sign-up form with where to go next.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupPost {
    /// The account fields.
    #[serde(flatten)]
    pub form: SignupForm,
    /// Where to go after signing up.
    pub next: String,
}

async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Posted(post): Posted<SignupPost>,
) -> Result<Response, AppError> {
    let next = safe_next(Some(post.next.as_str()));
    let account = match post.form.parse() {
        Ok(account) => account,
        Err(problems) => {
            let view = signup_view(&ctx, &post.form, &problems, &next);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    let user_id = create_account(&state.db, &state.clock, account).await?;
    let Some(user_id) = user_id else {
        let problems = Problems::from([("email", Problem::EmailTaken)]);
        let view = signup_view(&ctx, &post.form, &problems, &next);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    };
    tracing::info!(user_id, "an account was created");
    log_in(&state, &ctx, user_id, &next).await
}
