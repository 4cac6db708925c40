//! The frame of every page (heading, language switch, navigation) and the form building blocks:
//! a labelled field with its required mark, its kept value and its error beside it.

use axum::response::Html;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::session::Ctx;
use crate::domain::problem::Problems;
use crate::i18n::msg::{A11y, Frame};
use crate::i18n::{Lang, label};
use shared::labels::Field;

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
                title { (title) " · " (Frame::PortalShortName.text(l)) }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                a.skip-link href="#main" { (A11y::SkipToContent.text(l)) }
                header.site {
                    div.topbar {
                        div.wrap {
                            nav.langs aria-label=(Frame::Language.text(l)) {
                                @for lang in Lang::ALL {
                                    @if lang == l {
                                        span.current lang=(lang.code()) aria-current="true" { (lang.label()) }
                                    } @else {
                                        a href=(format!("{}?lang={}", ctx.path, lang.code())) lang=(lang.code()) hreflang=(lang.code()) { (lang.label()) }
                                    }
                                }
                            }
                            nav.main aria-label=(A11y::MainMenu.text(l)) {
                                a href="/services" { (Frame::Services.text(l)) }
                                a href="/account/visas" { (Frame::PersonalAccount.text(l)) }
                                a href="/inviter" { (label(l, Field::InvitingParty)) }
                            }
                            nav.who aria-label=(A11y::AccountMenu.text(l)) {
                                @if let Some(user) = user {
                                    span.user { (user.email) }
                                    form.inline method="post" action="/logout" {
                                        input type="hidden" name="csrf" value=(ctx.session.csrf());
                                        button.link type="submit" { (Frame::LogOut.text(l)) }
                                    }
                                } @else {
                                    a href="/login" { (Frame::LogIn.text(l)) }
                                    a.button.small href="/signup" { (Frame::SignUp.text(l)) }
                                }
                            }
                        }
                    }
                    div.masthead {
                        div.wrap {
                            div.emblem aria-hidden="true" { "KZ" }
                            div {
                                div.portal-name { (Frame::PortalName.text(l)) }
                                div.portal-sub { (Frame::PortalSubtitle.text(l)) }
                            }
                        }
                    }
                }
                main.wrap id="main" tabindex="-1" {
                    (body)
                }
                footer.wrap {
                    p { (Frame::Footer.text(l)) }
                }
            }
        }
    };
    Html(markup.into_string())
}

/// The hidden CSRF field every form carries.
pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.session.csrf()); }
}

/// The three steps of the e-visa service, with the current one marked.
pub fn steps(l: Lang, current: u8) -> Markup {
    let items = [
        (1, Frame::PersonalData),
        (2, Frame::PaymentOfStateDuty),
        (3, Frame::Result),
    ];
    html! {
        h2.process { (Frame::Process.text(l)) }
        ol.steps {
            @for (n, name) in items {
                li class=(if n == current { "step current" } else if n < current { "step done" } else { "step" }) {
                    span.step-no { (Frame::Step.text(l)) " " (n) }
                    span.step-name { (name.text(l)) }
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
            label for=(id) { (label) @if required { span.req title=(Frame::Required.text(l)) { " *" } } }
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
    let error_id = format!("e-{name}");
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) span.req { " *" } }
            select id=(id) name=(name) required aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|_| error_id.as_str())] {
                option value="" { "—" }
                @for (v, text) in options {
                    option value=(v) selected[*v == value] { (text) }
                }
            }
            @if let Some(problem) = &problem { span.error id=(error_id) role="alert" { (problem) } }
        }
    }
}

/// The summary above a refused form: a heading and, in the form's order, a link to each field
/// with a problem (`#f-<name>`) saying what is wrong. It takes the focus when the page loads
/// (`autofocus` on a `tabindex="-1"` box: the portal runs no script), so a keyboard or screen
/// reader user lands on it instead of the top of the page. `fields` lists `(name, label)`.
pub fn error_summary(l: Lang, intro: &str, problems: &Problems, fields: &[(&str, &str)]) -> Markup {
    html! {
        div.notice.error.error-summary tabindex="-1" autofocus aria-labelledby="error-summary-title" {
            h2 id="error-summary-title" { (A11y::ErrorSummary.text(l)) }
            p { (intro) }
            ul {
                @for (name, label) in fields {
                    @if let Some(problem) = problems.get(name) {
                        li { a href=(format!("#f-{name}")) { (label) " — " (problem.message(l)) } }
                    }
                }
            }
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
        shared::Category::Business => Frame::BusinessVisa,
        shared::Category::Tourist => Frame::TouristVisa,
        shared::Category::Treatment => Frame::TreatmentVisa,
    }
    .text(l)
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
        shared::Sex::Female => Frame::Female,
        shared::Sex::Male => Frame::Male,
        shared::Sex::Unspecified => Frame::SexUnspecified,
    }
    .text(l)
}
