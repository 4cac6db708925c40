//! Payments of the state duty: the states a payment goes through, a payment as the issuer keeps
//! it, and what a gateway notice (callback or status answer) says about one.

use serde::{Deserialize, Serialize};

/// Where a payment stands. The gateway reports the same four states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// The order exists; the applicant has not paid yet.
    Created,
    /// The gateway is waiting for the payment to complete.
    Pending,
    /// The money arrived.
    Paid,
    /// The payment was declined.
    Declined,
}

/// A payment attempt of an application, as the issuer keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Our order id.
    pub order_id: String,
    /// The application paid for.
    pub application_id: String,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// The gateway's id, once it answered.
    pub gateway_payment_id: Option<String>,
    /// Where the applicant pays.
    pub pay_url: Option<String>,
    /// Where it stands.
    pub status: PaymentStatus,
    /// Payment method.
    pub method: Option<String>,
    /// Receipt number.
    pub receipt_number: Option<String>,
    /// Masked payer hint.
    pub payer_hint: Option<String>,
    /// When paid.
    pub paid_at: Option<String>,
}

/// A payment's state as a callback or the status API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotice {
    /// The gateway's id.
    pub payment_id: String,
    /// Our order id.
    pub order_id: String,
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Payment method (`card`, `wallet`, `mobile`).
    #[serde(default)]
    pub method: Option<String>,
    /// When it was paid (RFC 3339).
    #[serde(default)]
    pub paid_at: Option<String>,
    /// The receipt (electronic check) number.
    #[serde(default)]
    pub receipt_number: Option<String>,
    /// A masked hint of the payer's card, wallet or phone.
    #[serde(default)]
    pub payer_hint: Option<String>,
}

/// Where the payment path leads after a notice is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    /// No payment has this order id.
    UnknownOrder,
    /// The notice contradicts the order (amount, currency, payment id, status); nothing changed.
    Refused(String),
    /// The payment is now paid; the application (this id) is ready for issuance.
    Paid(String),
    /// A second order of an application that was paid already was paid: the money is due back
    /// and nothing more is issued.
    PaidAgain(String),
    /// The payment is declined.
    Declined,
    /// Nothing new: a duplicate, or a state we had already.
    Unchanged,
}

impl PaymentStatus {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Created, Self::Pending, Self::Paid, Self::Declined];

    /// Parses the stored or reported name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The stored and reported name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Declined => "declined",
        }
    }

    /// Whether the payment can still change (it is neither paid nor declined).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Created | Self::Pending)
    }
}

impl Payment {
    /// Whether the money arrived.
    pub fn is_paid(&self) -> bool {
        self.status == PaymentStatus::Paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payment_state_reads_back_from_its_name_and_nothing_else_does() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(PaymentStatus::parse("PAID"), None);
        assert_eq!(PaymentStatus::parse("refunded"), None);
        assert!(PaymentStatus::Pending.is_open() && !PaymentStatus::Paid.is_open());
    }

    #[test]
    fn a_notice_with_an_unknown_state_does_not_parse() {
        let body = r#"{"payment_id":"p","order_id":"o","status":"refunded","amount_minor":1,"currency":"USD"}"#;
        assert!(serde_json::from_str::<PaymentNotice>(body).is_err());
    }
}
