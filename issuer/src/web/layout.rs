//! The frame of every page (heading, language switch, navigation) and the form building blocks:
//! a labelled field with its required mark, its kept value and its error beside it.

use axum::response::Html;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::session::Ctx;
use crate::domain::problem::Problems;
use crate::i18n::Lang;

/// A page in the portal's frame.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Html<String> {
    let l = ctx.lang;
    let user = ctx.session.user.as_ref();
    let markup = html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (l.t("Виза-көші-қон порталы", "Визово-миграционный портал", "Visa-migration portal")) }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                div.topbar {
                    div.wrap {
                        nav.langs aria-label=(l.t("Тіл", "Язык", "Language")) {
                            @for lang in Lang::ALL {
                                @if lang == l {
                                    span.current lang=(lang.code()) { (lang.label()) }
                                } @else {
                                    a href=(format!("{}?lang={}", ctx.path, lang.code())) lang=(lang.code()) hreflang=(lang.code()) { (lang.label()) }
                                }
                            }
                        }
                        nav.main {
                            a href="/services" { (l.t("Қызметтер", "Услуги", "Services")) }
                            a href="/account/visas" { (l.t("Жеке кабинет", "Личный кабинет", "Personal account")) }
                            a href="/inviter" { (l.t("Шақырушы тарап", "Приглашающая сторона", "Inviting party")) }
                        }
                        div.who {
                            @if let Some(user) = user {
                                span.user { (user.email) }
                                form.inline method="post" action="/logout" {
                                    input type="hidden" name="csrf" value=(ctx.session.csrf);
                                    button.link type="submit" { (l.t("Шығу", "Выйти", "Log out")) }
                                }
                            } @else {
                                a href="/login" { (l.t("Кіру", "Войти", "Log in")) }
                                a.button.small href="/signup" { (l.t("Тіркелу", "Регистрация", "Sign Up")) }
                            }
                        }
                    }
                }
                header.masthead {
                    div.wrap {
                        div.emblem aria-hidden="true" { "KZ" }
                        div {
                            div.portal-name { (l.t(
                                "Қазақстан Республикасының виза-көші-қон порталы",
                                "Визово-миграционный портал Республики Казахстан",
                                "Visa-migration portal of the Republic of Kazakhstan")) }
                            div.portal-sub { (l.t(
                                "Шетел азаматтарына арналған электрондық қызметтер",
                                "Электронные услуги для иностранных граждан",
                                "Electronic services for foreign citizens")) }
                        }
                    }
                }
                main.wrap {
                    (body)
                }
                footer.wrap {
                    p { (l.t(
                        "Бұл — оқу жобасы: нақты визалар берілмейді.",
                        "Это учебный проект: настоящие визы не выдаются.",
                        "This is a demonstration project: no real visas are issued.")) }
                }
            }
        }
    };
    Html(markup.into_string())
}

/// The hidden CSRF field every form carries.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.session.csrf); }
}

/// The three steps of the e-visa service, with the current one marked.
pub fn steps(l: Lang, current: u8) -> Markup {
    let items = [
        (1, l.t("Жеке деректер", "Личные данные", "Personal data")),
        (
            2,
            l.t(
                "Мемлекеттік бажды төлеу",
                "Оплата госпошлины",
                "Payment of state duty",
            ),
        ),
        (3, l.t("Нәтиже", "Результат", "Result")),
    ];
    html! {
        h2.process { (l.t("Шақыру арқылы электрондық визаны ресімдеу", "Оформление электронной визы по приглашению", "E-visa processing through invitation")) }
        ol.steps {
            @for (n, name) in items {
                li class=(if n == current { "step current" } else if n < current { "step done" } else { "step" }) {
                    span.step-no { (l.t("ҚАДАМ", "ШАГ", "STEP")) " " (n) }
                    span.step-name { (name) }
                }
            }
        }
    }
}

/// How a form field is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A one-line text.
    Text,
    /// An e-mail address.
    Email,
    /// A password (never shown again).
    Password,
    /// A date picker giving YYYY-MM-DD.
    Date,
    /// A number.
    Number,
}

/// A labelled input with the required mark, its value and its error.
#[expect(
    clippy::too_many_arguments,
    reason = "a field is described by all of these"
)]
pub fn field(
    l: Lang,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    kind: Kind,
    hint: Option<&str>,
    problems: &Problems,
) -> Markup {
    let problem = problems.get(name).map(|p| p.message(l));
    let input_type = match kind {
        Kind::Text => "text",
        Kind::Email => "email",
        Kind::Password => "password",
        Kind::Date => "date",
        Kind::Number => "number",
    };
    let id = format!("f-{name}");
    let error_id = format!("e-{name}");
    let value = if matches!(kind, Kind::Password) {
        ""
    } else {
        value
    };
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) @if required { span.req title="required" { " *" } } }
            input id=(id) name=(name) type=(input_type) value=(value)
                required[required]
                aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|_| error_id.as_str())];
            @if let Some(hint) = hint { small.hint { (hint) } }
            @if let Some(problem) = &problem { span.error id=(error_id) role="alert" { (problem) } }
        }
    }
}

/// A labelled select with its options `(value, label)`.
pub fn select(
    l: Lang,
    name: &str,
    label: &str,
    value: &str,
    options: &[(&str, &str)],
    problems: &Problems,
) -> Markup {
    let problem = problems.get(name).map(|p| p.message(l));
    let id = format!("f-{name}");
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) span.req { " *" } }
            select id=(id) name=(name) required aria-invalid=[problem.as_ref().map(|_| "true")] {
                option value="" { "—" }
                @for (v, text) in options {
                    option value=(v) selected[*v == value] { (text) }
                }
            }
            @if let Some(problem) = &problem { span.error id=(format!("e-{name}")) role="alert" { (problem) } }
        }
    }
}

/// A notice box shown above a form.
pub fn notice(kind: &str, text: &str) -> Markup {
    html! { div class=(format!("notice {kind}")) role="status" { (text) } }
}

/// A line break-free non-breaking space, for empty table cells.
pub fn dash() -> Markup {
    html! { (PreEscaped("&mdash;")) }
}

/// The translated name of a visa category.
pub fn category_name(l: Lang, category: shared::Category) -> &'static str {
    match category {
        shared::Category::Business => l.t(
            "Бір реттік іскерлік виза",
            "Однократная деловая виза",
            "Single-entry business visa",
        ),
        shared::Category::Tourist => l.t("Туристік виза", "Туристическая виза", "Tourist visa"),
        shared::Category::Treatment => l.t(
            "Емделуге арналған виза",
            "Виза на лечение",
            "Treatment visa",
        ),
    }
}

/// The category options of a select.
pub fn category_options(l: Lang) -> Vec<(&'static str, &'static str)> {
    shared::Category::ALL
        .iter()
        .map(|c| (c.as_str(), category_name(l, *c)))
        .collect()
}

/// The translated sex.
pub fn sex_name(l: Lang, sex: shared::Sex) -> &'static str {
    match sex {
        shared::Sex::Female => l.t("Әйел", "Женский", "Female"),
        shared::Sex::Male => l.t("Ер", "Мужской", "Male"),
        shared::Sex::Unspecified => l.t("Көрсетілмеген (X)", "Не указан (X)", "Unspecified (X)"),
    }
}
