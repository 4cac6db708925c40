//! Payments of the state duty: a payment as the issuer keeps it, and what recording a gateway
//! notice did. The states and the notice itself are the e-pay contract's (`epay-contract`).

/// The states, methods and notices of the e-pay contract, the same types the gateway compiles.
pub use epay_contract::{PaymentMethod, PaymentNotice, PaymentStatus};

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
    pub method: Option<PaymentMethod>,
    /// Receipt number.
    pub receipt_number: Option<String>,
    /// Masked payer hint.
    pub payer_hint: Option<String>,
    /// When paid.
    pub paid_at: Option<String>,
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

impl Payment {
    /// Whether the money arrived.
    pub fn is_paid(&self) -> bool {
        self.status == PaymentStatus::Paid
    }
}
