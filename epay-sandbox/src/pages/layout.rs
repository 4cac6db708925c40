//! The frame every payment page shares (logo, language switch, footer, `lang` attribute) and the
//! building blocks the steps use: the payment summary, a form field, a message page, and how
//! amounts and times are written.

use maud::{DOCTYPE, Markup, html};
use time::OffsetDateTime;

use crate::messages::{Lang, Msg, label};
use crate::payment::{FieldError, Payment};

/// What a page needs besides its content: the payer's language, and the page's own address for
/// the language switch.
#[derive(Debug, Clone)]
pub struct View {
    /// The language the page is written in.
    pub lang: Lang,
    /// The page's path, without a query.
    pub here: String,
}

/// The attributes of a form field's input.
#[derive(Debug, Clone, Copy)]
pub struct FieldAttrs<'a> {
    /// The input's type.
    pub kind: &'a str,
    /// Its `autocomplete` token.
    pub autocomplete: &'a str,
    /// Its `inputmode`, if any.
    pub inputmode: Option<&'a str>,
    /// Its placeholder, if any.
    pub placeholder: Option<&'a str>,
    /// Its maximum length.
    pub maxlength: u32,
}

impl View {
    /// The message in the page's language.
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }
}

/// The page frame: `<html lang>`, the head, the header with the language switch, the footer.
pub fn layout(view: &View, title: Msg, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(view.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (view.t(title)) " · e-pay" }
                link rel="stylesheet" href="/static/epay.css";
            }
            body {
                header.top {
                    div.brand {
                        span.logo { "e" span.dot { "·" } "pay" }
                        span.tagline { (view.t(Msg::Tagline)) }
                    }
                    div.corner {
                        nav.langs aria-label=(view.t(Msg::Language)) {
                            @for lang in Lang::ALL {
                                @if lang == view.lang {
                                    span.current lang=(lang.code()) aria-current="true" { (label(lang)) }
                                } @else {
                                    a lang=(lang.code()) hreflang=(lang.code())
                                        href={ (view.here) "?lang=" (lang.code()) } { (label(lang)) }
                                }
                            }
                        }
                        span.sandbox { (view.t(Msg::Sandbox)) }
                    }
                }
                main id="main" { (body) }
                footer.bottom {
                    p { (view.t(Msg::Footer)) }
                }
            }
        }
    }
}

/// The payment's recipient, purpose, payer, order and amount.
pub fn summary(view: &View, payment: &Payment) -> Markup {
    html! {
        section.summary aria-label=(view.t(Msg::PaymentSummary)) {
            dl {
                div { dt { (view.t(Msg::Recipient)) } dd { (view.t(Msg::RecipientName)) } }
                div { dt { (view.t(Msg::Purpose)) } dd lang=[description_lang(view, payment)] { (payment.description) } }
                div { dt { (view.t(Msg::Payer)) } dd { (payment.payer) } }
                div { dt { (view.t(Msg::Order)) } dd.mono { (payment.order_id) } }
                div.amount { dt { (view.t(Msg::Amount)) } dd { (amount(payment)) } }
            }
        }
    }
}

/// A labelled input with its error, if any, tied to it for screen readers.
pub fn field(
    view: &View,
    name: &str,
    label: Msg,
    value: &str,
    error: Option<FieldError>,
    attrs: FieldAttrs<'_>,
) -> Markup {
    let error_id = format!("{name}-error");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(name) { (view.t(label)) }
            input id=(name) name=(name) type=(attrs.kind) value=(value)
                autocomplete=(attrs.autocomplete) inputmode=[attrs.inputmode]
                placeholder=[attrs.placeholder] maxlength=(attrs.maxlength)
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(error) = error {
                p.error id=(error_id) role="alert" { (view.t(Msg::from(error))) }
            }
        }
    }
}

/// A page that only says something: not found, session expired, a failure.
pub fn message_page(view: &View, title: Msg, text: Msg, link: Option<&str>) -> Markup {
    layout(
        view,
        title,
        html! {
            section.message role="alert" {
                h1 { (view.t(title)) }
                p { (view.t(text)) }
                @if let Some(link) = link {
                    p { a.primary href=(link) { (view.t(Msg::OpenPaymentPage)) } }
                }
            }
        },
    )
}

/// The `lang` of the payment's purpose, when it differs from the page's: the merchant writes the
/// purpose in the language it opened the payment in, and the payer may have switched since.
pub fn description_lang(view: &View, payment: &Payment) -> Option<&'static str> {
    payment
        .lang
        .filter(|lang| *lang != view.lang)
        .map(|lang| lang.code())
}

/// `80.00 USD`.
pub fn amount(payment: &Payment) -> String {
    format!(
        "{}.{:02} {}",
        payment.amount_minor / 100,
        payment.amount_minor % 100,
        payment.currency
    )
}

/// A moment on the check, in Astana time (UTC+5) as a reader of `lang` writes it:
/// `25 November 2026, 15:30:00 (Astana time, UTC+5)`, `25 ноября 2026 г., 15:30:00 (время
/// Астаны, UTC+5)`, `2026 ж. 25 қараша, 15:30:00 (Астана уақыты, UTC+5)`.
pub fn date_time(lang: Lang, t: OffsetDateTime) -> String {
    const KK: [&str; 12] = [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ];
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let t = t.to_offset(super::outcome::ASTANA);
    let month = usize::from(u8::from(t.month())) - 1;
    let (day, year) = (t.day(), t.year());
    let clock = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    let date = match lang {
        Lang::Kk => format!("{year} ж. {day} {}", KK[month]),
        Lang::Ru => format!("{day} {} {year} г.", RU[month]),
        Lang::En => format!("{day} {} {year}", EN[month]),
    };
    format!("{date}, {clock} ({}, UTC+5)", Msg::AstanaTime.text(lang))
}
