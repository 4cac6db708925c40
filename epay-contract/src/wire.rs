//! The JSON bodies of the contract (docs/epay-gateway.md, sections 1, 3 and 4), one struct each,
//! serialized by the sender and parsed by the receiver from the same definition. Amounts are
//! integer minor units as `i64` on both sides (SQLite's `INTEGER`); the gateway refuses any
//! amount outside 1–100000000.

use serde::{Deserialize, Serialize};

use crate::{Lang, PaymentMethod, PaymentStatus};

/// `POST /api/v1/payments`: the merchant asks for a payment. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    /// The merchant's unguessable id for this payment: 1–128 of `A–Z a–z 0–9 - _ . :`.
    pub order_id: String,
    /// The amount in minor units (cents), 1–100000000.
    pub amount_minor: i64,
    /// ISO 4217 code: `USD` or `KZT`.
    pub currency: String,
    /// What is paid for, at most 500 characters.
    pub description: String,
    /// Who pays, at most 200 characters.
    pub payer: String,
    /// Where the payer's browser returns to (http or https).
    pub return_url: String,
    /// Where the gateway posts the signed result (http or https).
    pub callback_url: String,
    /// The language the payer reads the merchant's site in, so the payment pages open in it
    /// (`kk`, `ru` or `en`); without it they open in Kazakh. Not part of the payment's identity:
    /// an order posted again in another language is the same payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// The answer to a created (`201`) or found again (`200`) payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCreated {
    /// The gateway's id.
    pub payment_id: String,
    /// Where to send the payer's browser.
    pub pay_url: String,
}

/// A payment as the status API answers and the callbacks carry it. Fields not yet known are
/// `null`; absent optional fields read as `null` too, and unknown fields are ignored, so the
/// gateway can add fields without breaking a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotice {
    /// The gateway's id.
    pub payment_id: String,
    /// The merchant's order id.
    pub order_id: String,
    /// Where the payment is in its life.
    pub status: PaymentStatus,
    /// The amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// How it was paid, once submitted.
    #[serde(default)]
    pub method: Option<PaymentMethod>,
    /// When it was paid: RFC 3339 in UTC.
    #[serde(default)]
    pub paid_at: Option<String>,
    /// The electronic check's number, once paid.
    #[serde(default)]
    pub receipt_number: Option<String>,
    /// A masked hint of what paid: `**** 1111`, `WAL-****01`, `+7 701 *** **01`.
    #[serde(default)]
    pub payer_hint: Option<String>,
}

/// Every refusal of the gateway's API: `{"error": "<what was wrong>"}`, signed like any answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What was wrong, in English, for the merchant's log.
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_body_of_the_documentation_reads_as_a_typed_notice() {
        let notice: PaymentNotice = serde_json::from_str(
            r#"{"payment_id": "pay_1", "order_id": "ord-1", "status": "paid", "amount_minor": 8000,
                "currency": "USD", "method": "card", "paid_at": "2026-11-25T10:00:00Z",
                "receipt_number": "EP-2026-000123", "payer_hint": "**** 1111"}"#,
        )
        .expect("notice");
        assert_eq!(notice.status, PaymentStatus::Paid);
        assert_eq!(notice.method, Some(PaymentMethod::Card));
        assert_eq!(notice.amount_minor, 8000);
        let created: PaymentNotice = serde_json::from_str(
            r#"{"payment_id": "p", "order_id": "o", "status": "created", "amount_minor": 1,
                "currency": "KZT", "method": null}"#,
        )
        .expect("notice");
        assert_eq!((created.method, created.paid_at), (None, None));
    }

    #[test]
    fn a_create_request_with_an_unknown_field_or_a_fractional_amount_is_refused() {
        let good = r#"{"order_id": "o", "amount_minor": 8000, "currency": "USD",
            "description": "d", "payer": "p", "return_url": "http://a", "callback_url": "http://b"}"#;
        assert!(serde_json::from_str::<CreatePayment>(good).is_ok());
        let unknown = good.replace("\"payer\"", "\"admin\": true, \"payer\"");
        assert!(serde_json::from_str::<CreatePayment>(&unknown).is_err());
        let fraction = good.replace("8000", "80.00");
        assert!(serde_json::from_str::<CreatePayment>(&fraction).is_err());
        let huge = good.replace("8000", "18446744073709551616");
        assert!(serde_json::from_str::<CreatePayment>(&huge).is_err());
        let russian = good.replace("\"payer\"", "\"lang\": \"ru\", \"payer\"");
        let russian: CreatePayment = serde_json::from_str(&russian).expect("with lang");
        assert_eq!(russian.lang, Some(Lang::Ru));
        let german = good.replace("\"payer\"", "\"lang\": \"de\", \"payer\"");
        assert!(serde_json::from_str::<CreatePayment>(&german).is_err());
    }
}
