//! The pages after "Pay" (picture 10 of the instruction): the wait for the
//! server's answer, then the electronic check with "Print", or the decline.

use epay_contract::{PaymentMethod, PaymentStatus};
use maud::{Markup, html};
use time::UtcOffset;

use super::layout::{View, amount, date_time, description_lang, layout};
use crate::messages::Msg;
use crate::payment::Payment;

/// Kazakhstan's offset, for the times printed on the check.
pub const ASTANA: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The page shown while the payment is pending. It never reloads itself (a timed reload takes
/// the reader back to the top, WCAG 2.2.1): `wait.js` asks for the page every two seconds, and
/// when the answer has arrived says so in a polite live region and turns the link into "See the
/// answer", leaving the focus where it was. Without script the link reloads the page by hand.
/// `data-waiting` marks the page for the script (and tests): the answer's page lacks it.
pub fn waiting(view: &View, payment: &Payment) -> Markup {
    layout(
        view,
        Msg::WaitingTitle,
        html! {
            section.waiting data-waiting {
                div.spinner aria-hidden="true" {}
                h1 { (view.t(Msg::WaitForAnswer)) }
                p { (view.t(Msg::Processing)) }
                p.mono { (amount(payment)) " · " (payment.payer_hint.as_deref().unwrap_or("")) }
                p id="wait-status" role="status" aria-live="polite"
                    data-arrived=(view.t(Msg::AnswerArrived)) data-see=(view.t(Msg::SeeAnswer)) {}
                p { a.primary id="wait-next" href=(view.here) { (view.t(Msg::CheckAnswer)) } }
                p.back { a href=(payment.return_url) { (view.t(Msg::ReturnAndUpdate)) } }
            }
            script src="/static/wait.js" {}
        },
    )
}

/// The electronic check of a paid payment, or the decline.
pub fn receipt(view: &View, payment: &Payment) -> Markup {
    let paid = payment.status == PaymentStatus::Paid;
    let method = match (payment.method, payment.operator) {
        (Some(PaymentMethod::Card), _) => view.t(Msg::Card).to_owned(),
        (Some(PaymentMethod::Wallet), _) => view.t(Msg::Wallet).to_owned(),
        (Some(PaymentMethod::Mobile), Some(operator)) => {
            format!("{} ({})", view.t(Msg::MobileShort), operator.name())
        }
        (Some(PaymentMethod::Mobile), None) => view.t(Msg::MobileShort).to_owned(),
        (None, _) => String::new(),
    };
    let when = payment
        .paid_at
        .or(payment.submitted_at)
        .map(|t| date_time(view.lang, t))
        .unwrap_or_default();
    let hint = payment.payer_hint.as_deref().unwrap_or("");
    let title = if paid {
        Msg::ElectronicCheck
    } else {
        Msg::PaymentDeclined
    };
    layout(
        view,
        title,
        html! {
            @if paid {
                article.receipt aria-labelledby="receipt-title" {
                    header {
                        span.logo { "e" span.dot { "·" } "pay" }
                        h1 id="receipt-title" { (view.t(Msg::ElectronicCheck)) }
                        p.ok { "✓ " (view.t(Msg::PaymentCompleted)) }
                    }
                    dl {
                        div { dt { (view.t(Msg::ReceiptNumber)) } dd.mono { (payment.receipt_number.as_deref().unwrap_or("")) } }
                        div { dt { (view.t(Msg::DateTime)) } dd { (when) } }
                        div { dt { (view.t(Msg::Recipient)) } dd { (view.t(Msg::RecipientName)) } }
                        div { dt { (view.t(Msg::Purpose)) } dd lang=[description_lang(view, payment)] { (payment.description) } }
                        div { dt { (view.t(Msg::Payer)) } dd { (payment.payer) } }
                        div { dt { (view.t(Msg::PaidWith)) } dd { (method) " " span.mono { (hint) } } }
                        div { dt { (view.t(Msg::Order)) } dd.mono { (payment.order_id) } }
                        div { dt { (view.t(Msg::Transaction)) } dd.mono { (payment.id) } }
                        div.amount { dt { (view.t(Msg::Amount)) } dd { (amount(payment)) } }
                    }
                    p.stamp { "e-pay · " (view.t(Msg::PaidStamp)) }
                }
                div.actions.no-print {
                    button.secondary id="print" type="button" { (view.t(Msg::Print)) }
                    a.primary href=(payment.return_url) { (view.t(Msg::ReturnToPortal)) }
                }
                p.hint.no-print { (view.t(Msg::PrintHint)) }
                script src="/static/print.js" {}
            } @else {
                section.declined role="alert" {
                    h1 { (view.t(Msg::PaymentDeclined)) }
                    @if let Some(reason) = payment.decline_reason {
                        p { (view.t(Msg::from(reason))) }
                    }
                    dl {
                        div { dt { (view.t(Msg::DateTime)) } dd { (when) } }
                        div { dt { (view.t(Msg::PaidWith)) } dd { (method) " " span.mono { (hint) } } }
                        div { dt { (view.t(Msg::Order)) } dd.mono { (payment.order_id) } }
                        div.amount { dt { (view.t(Msg::Amount)) } dd { (amount(payment)) } }
                    }
                    p { (view.t(Msg::NothingCharged)) }
                    div.actions { a.primary href=(payment.return_url) { (view.t(Msg::ReturnToPortal)) } }
                }
            }
        },
    )
}
