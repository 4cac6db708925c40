//! The pages before paying (pictures 7–9 of the instruction): the choice of method, and the card,
//! e-wallet and mobile-balance forms with their field errors and the folded test data.

use epay_contract::PaymentMethod;
use maud::{Markup, html};

use super::layout::{FieldAttrs, View, amount, field, layout, summary};
use crate::messages::Msg;
use crate::payment::{CardErrors, CardForm, FieldError, Payment};

/// The method choice: card, e-wallet, mobile balance.
pub fn choose_method(view: &View, payment: &Payment) -> Markup {
    let id = &payment.id;
    layout(
        view,
        Msg::MethodTitle,
        html! {
            h1 { (view.t(Msg::ChooseMethod)) }
            (summary(view, payment))
            nav.methods aria-label=(view.t(Msg::Methods)) {
                a.method href={ "/pay/" (id) "/card" } {
                    span.icon.card aria-hidden="true" {}
                    strong { (view.t(Msg::Card)) }
                    span.note { "Visa, Mastercard" }
                }
                a.method href={ "/pay/" (id) "/wallet" } {
                    span.icon.wallet aria-hidden="true" {}
                    strong { (view.t(Msg::Wallet)) }
                    span.note { "WAL-xxxxxx" }
                }
                a.method href={ "/pay/" (id) "/mobile" } {
                    span.icon.mobile aria-hidden="true" {}
                    strong { (view.t(Msg::Mobile)) }
                    span.note { "Activ · Kcell · Beeline" }
                }
            }
            p.back { a href=(payment.return_url) { "← " (view.t(Msg::ReturnToPortal)) } }
        },
    )
}

/// The card form, with what was typed (never the CVV) and the errors beside their fields.
pub fn card_page(
    view: &View,
    payment: &Payment,
    csrf: &str,
    form: &CardForm,
    errors: &CardErrors,
) -> Markup {
    let text = FieldAttrs {
        kind: "text",
        autocomplete: "off",
        inputmode: None,
        placeholder: None,
        maxlength: 64,
    };
    layout(
        view,
        Msg::Card,
        html! {
            h1 { (view.t(Msg::CardDetails)) }
            (summary(view, payment))
            @if errors.any() {
                p.alert role="alert" { (view.t(Msg::CorrectFields)) }
            }
            form.pay method="post" action={ "/pay/" (payment.id) "/card" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (field(view, "number", Msg::CardNumber, &form.number, errors.number,
                    FieldAttrs { inputmode: Some("numeric"), placeholder: Some("4111 1111 1111 1111"), autocomplete: "cc-number", maxlength: 23, ..text }))
                div.row {
                    (field(view, "expiry", Msg::Expiry, &form.expiry, errors.expiry,
                        FieldAttrs { inputmode: Some("numeric"), placeholder: Some(view.t(Msg::ExpiryPlaceholder)), autocomplete: "cc-exp", maxlength: 7, ..text }))
                    (field(view, "cvv", Msg::Cvv, "", errors.cvv,
                        FieldAttrs { kind: "password", inputmode: Some("numeric"), placeholder: Some("123"), autocomplete: "cc-csc", maxlength: 3 }))
                }
                (field(view, "holder", Msg::Holder, &form.holder, errors.holder,
                    FieldAttrs { placeholder: Some("ANNA ERIKSSON"), autocomplete: "cc-name", maxlength: 60, ..text }))
                (pay_button(view, payment))
            }
            (test_data(view, PaymentMethod::Card))
            (other_method(view, payment))
        },
    )
}

/// The e-wallet form.
pub fn wallet_page(
    view: &View,
    payment: &Payment,
    csrf: &str,
    value: &str,
    error: Option<FieldError>,
) -> Markup {
    one_field_page(view, payment, csrf, value, error, PaymentMethod::Wallet)
}

/// The mobile-balance form.
pub fn mobile_page(
    view: &View,
    payment: &Payment,
    csrf: &str,
    value: &str,
    error: Option<FieldError>,
) -> Markup {
    one_field_page(view, payment, csrf, value, error, PaymentMethod::Mobile)
}

/// The e-wallet and mobile-balance forms: one field each, the rest as on the card form.
fn one_field_page(
    view: &View,
    payment: &Payment,
    csrf: &str,
    value: &str,
    error: Option<FieldError>,
    method: PaymentMethod,
) -> Markup {
    let (title, heading, name, label, attrs, hint) = if method == PaymentMethod::Mobile {
        (
            Msg::MobileShort,
            Msg::Mobile,
            "phone",
            Msg::PhoneNumber,
            FieldAttrs {
                kind: "tel",
                autocomplete: "tel",
                inputmode: Some("tel"),
                placeholder: Some("+7 701 555 0101"),
                maxlength: 20,
            },
            Some("Kcell +7 701, 702 · Activ +7 775, 778 · Beeline +7 705, 771, 776, 777"),
        )
    } else {
        (
            Msg::Wallet,
            Msg::Wallet,
            "wallet",
            Msg::WalletNumber,
            FieldAttrs {
                kind: "text",
                autocomplete: "off",
                inputmode: None,
                placeholder: Some("WAL-100001"),
                maxlength: 20,
            },
            None,
        )
    };
    layout(
        view,
        title,
        html! {
            h1 { (view.t(heading)) }
            (summary(view, payment))
            form.pay method="post" action={ "/pay/" (payment.id) "/" (method.as_str()) } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (field(view, name, label, value, error, attrs))
                @if let Some(hint) = hint {
                    p.hint { (hint) }
                }
                (pay_button(view, payment))
            }
            (test_data(view, method))
            (other_method(view, payment))
        },
    )
}

/// The documented test values, folded away, so a newcomer need not look them up.
fn test_data(view: &View, method: PaymentMethod) -> Markup {
    let rows: &[(&str, Msg)] = match method {
        PaymentMethod::Card => &[
            ("4111 1111 1111 1111, 5555 5555 5555 4444", Msg::OutcomePaid),
            ("4000 0000 0000 0002", Msg::OutcomeDeclined),
            ("4000 0000 0000 0044", Msg::OutcomePending),
            ("4000 0000 0000 0069", Msg::OutcomeTripled),
        ],
        PaymentMethod::Wallet => &[
            ("WAL-100001", Msg::OutcomePaid),
            ("WAL-100002", Msg::OutcomeNoFunds),
        ],
        PaymentMethod::Mobile => &[
            ("+7 701 555 0101", Msg::OutcomePaid),
            ("+7 701 000 0000", Msg::OutcomeNoBalance),
            ("+7 707 555 0101", Msg::OutcomeNoOperator),
        ],
    };
    html! {
        details.testdata {
            summary { (view.t(Msg::TestData)) }
            ul {
                @for (value, outcome) in rows {
                    li { span.mono { (value) } " — " (view.t(*outcome)) }
                }
            }
            @if method == PaymentMethod::Card {
                p { (view.t(Msg::AnyCardData)) }
            }
        }
    }
}

fn pay_button(view: &View, payment: &Payment) -> Markup {
    html! {
        button.primary type="submit" { (view.t(Msg::Pay)) " " (amount(payment)) }
        p.hint { (view.t(Msg::PayHint)) }
    }
}

fn other_method(view: &View, payment: &Payment) -> Markup {
    html! {
        p.back { a href={ "/pay/" (payment.id) } { "← " (view.t(Msg::OtherMethod)) } }
    }
}
