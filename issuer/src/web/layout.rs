//! The frame of every page (heading, language switch, navigation) and the form building blocks:
//! a labelled field with its required mark, its kept value and its error beside it.

use axum::response::Html;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::session::Ctx;
use crate::domain::problem::Problems;
use crate::i18n::msg::{A11y, Frame, Screens};
use crate::i18n::{Lang, label};
use shared::labels::Field;

/// A page in the portal's frame.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Html<String> {
    frame(&Chrome::of(ctx, None), title, body)
}

/// A page whose form the language switch carries: the switch's buttons post the form (id
/// `form_id`) to `?lang=…` of the same address, so the page comes back in the other language
/// with everything typed kept (no personal data goes into an address).
pub fn form_page(ctx: &Ctx, title: &str, form_id: &str, body: Markup) -> Html<String> {
    frame(&Chrome::of(ctx, Some(form_id)), title, body)
}

/// What the frame around a page needs to know.
#[derive(Debug)]
pub struct Chrome<'a> {
    /// The page language.
    pub lang: Lang,
    /// The address the language switch points to.
    pub path: &'a str,
    /// The logged-in user's e-mail and the log-out form's token; `None` shows the log-in links.
    pub user: Option<(&'a str, &'a str)>,
    /// Whether to show the log-in links (or the user) at all: error pages made outside the
    /// session layer know neither.
    pub who: bool,
    /// The id of the form the language switch posts, if the page has one to keep.
    pub carry: Option<&'a str>,
}

impl<'a> Chrome<'a> {
    fn of(ctx: &'a Ctx, carry: Option<&'a str>) -> Self {
        Chrome {
            lang: ctx.lang,
            path: &ctx.path,
            user: ctx
                .session
                .user
                .as_ref()
                .map(|u| (u.email.as_str(), ctx.session.csrf())),
            who: true,
            carry,
        }
    }
}

/// The portal's frame around `body`.
pub fn frame(chrome: &Chrome<'_>, title: &str, body: Markup) -> Html<String> {
    let l = chrome.lang;
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
                                @if let Some(form) = chrome.carry {
                                    // Enter in a field submits through the form's first submit
                                    // button in the page: without this one, that would be a
                                    // language button (they come first), and Enter would switch
                                    // the language instead of sending the form.
                                    button.visually-hidden type="submit" form=(form) tabindex="-1" aria-hidden="true" { "↵" }
                                }
                                @for lang in Lang::ALL {
                                    @if lang == l {
                                        span.current lang=(lang.code()) aria-current="true" { (lang.label()) }
                                    } @else if let Some(form) = chrome.carry {
                                        button.lang type="submit" form=(form) formaction=(format!("{}?lang={}", chrome.path, lang.code()))
                                            formnovalidate name="switch_lang" value=(lang.code()) lang=(lang.code())
                                            title=(Screens::SwitchKeepsForm.text(lang)) { (lang.label()) }
                                    } @else {
                                        a href=(format!("{}?lang={}", chrome.path, lang.code())) lang=(lang.code()) hreflang=(lang.code()) { (lang.label()) }
                                    }
                                }
                            }
                            nav.main aria-label=(A11y::MainMenu.text(l)) {
                                a href="/services" { (Frame::Services.text(l)) }
                                a href="/account/visas" { (Frame::PersonalAccount.text(l)) }
                                a href="/inviter" { (label(l, Field::InvitingParty)) }
                            }
                            @if chrome.who {
                                nav.who aria-label=(A11y::AccountMenu.text(l)) {
                                    @if let Some((email, token)) = chrome.user {
                                        span.user { (email) }
                                        form.inline method="post" action="/logout" {
                                            input type="hidden" name="csrf" value=(token);
                                            button.link type="submit" { (Frame::LogOut.text(l)) }
                                        }
                                    } @else {
                                        a href="/login" { (Frame::LogIn.text(l)) }
                                        a.button.small href="/signup" { (Frame::SignUp.text(l)) }
                                    }
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
    /// The account's current password (never shown again).
    Password,
    /// A password being chosen (never shown again): browsers offer to generate one.
    NewPassword,
    /// The browser's date picker (it shows the date in the reader's format and sends
    /// YYYY-MM-DD), so the page adds no format hint of its own.
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
    let token = autocomplete(name, kind);
    field_with(l, name, label, value, required, kind, hint, problems, token)
}

/// [`field`] for the applicant's own data: the browser may fill it ([`own_autocomplete`]).
#[expect(
    clippy::too_many_arguments,
    reason = "a field is described by all of these"
)]
pub fn own_field(
    l: Lang,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    kind: Kind,
    hint: Option<&str>,
    problems: &Problems,
) -> Markup {
    let token = own_autocomplete(name, kind);
    field_with(l, name, label, value, required, kind, hint, problems, token)
}

#[expect(
    clippy::too_many_arguments,
    reason = "a field is described by all of these"
)]
fn field_with(
    l: Lang,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    kind: Kind,
    hint: Option<&str>,
    problems: &Problems,
    token: &str,
) -> Markup {
    let problem = problems.get(name).map(|p| p.message(l));
    let input_type = match kind {
        Kind::Text => "text",
        Kind::Email => "email",
        Kind::Password | Kind::NewPassword => "password",
        Kind::Date => "date",
        Kind::Number => "number",
    };
    let id = format!("f-{name}");
    let error_id = format!("e-{name}");
    let value = if matches!(kind, Kind::Password | Kind::NewPassword) {
        ""
    } else {
        value
    };
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) @if required { span.req title=(Frame::Required.text(l)) { " *" } } }
            input id=(id) name=(name) type=(input_type) value=(value)
                autocomplete=(token)
                required[required]
                aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|_| error_id.as_str())];
            @if let Some(hint) = hint { small.hint { (hint) } }
            @if let Some(problem) = &problem { span.error id=(error_id) role="alert" { (problem) } }
        }
    }
}

/// The `autocomplete` token of a field of [`field`], from its name: the account's own e-mail,
/// name and passwords; everything else `off`, since on most forms the data is not the person's
/// own (an inviting party types its guest's name, an officer searches the stop-list).
pub fn autocomplete(name: &str, kind: Kind) -> &'static str {
    match (name, kind) {
        (_, Kind::NewPassword) => "new-password",
        (_, Kind::Password) => "current-password",
        (_, Kind::Email) | ("email", _) => "email",
        ("identifier", _) => "username",
        ("full_name", _) => "name",
        _ => "off",
    }
}

/// The `autocomplete` token of a field of [`own_field`]: the applicant's own data in Step 1.
/// Numbers that are not the person's own (invitation, passport) and names in the passport's
/// native script (a saved Latin name there would be printed as the native one) get `off`.
pub fn own_autocomplete(name: &str, kind: Kind) -> &'static str {
    match name {
        "surname" => "family-name",
        "given_names" => "given-name",
        "date_of_birth" => "bday",
        "citizenship" => "country",
        _ => autocomplete(name, kind),
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
            select id=(id) name=(name) autocomplete="off" required aria-invalid=[problem.as_ref().map(|_| "true")]
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
