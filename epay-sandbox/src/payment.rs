//! Payments and the three ways to pay: what the applicant types on each form becomes a checked
//! value here ([`CardDetails`], [`Wallet`], [`Phone`]), and each value decides the sandbox
//! outcome from the documented test data (docs/epay-gateway.md, "Sandbox test data").

use epay_contract::{Lang, PaymentMethod, PaymentStatus};
use time::OffsetDateTime;

/// What the sandbox does with a submitted payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Paid after the usual processing; one callback.
    Paid,
    /// Paid, and the callback is delivered three times.
    PaidWithDuplicateCallbacks,
    /// Declined, for the reason given; one callback.
    Declined(DeclineReason),
    /// Pending for the configured long delay, then paid, with no callback at all.
    PendingWithoutCallback,
}

/// Why a payment was declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    /// The card issuer declined.
    CardDeclined,
    /// Not enough money in the e-wallet.
    InsufficientFunds,
    /// Not enough money on the phone balance.
    InsufficientBalance,
}

/// The mobile operators whose subscribers can pay from their balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// Kcell: +7 701, +7 702.
    Kcell,
    /// Activ: +7 775, +7 778.
    Activ,
    /// Beeline: +7 705, +7 771, +7 776, +7 777.
    Beeline,
}

/// Card details that passed the form's checks. The number lives only as long as the request;
/// what is kept is [`CardDetails::hint`].
#[derive(Debug)]
pub struct CardDetails {
    number: String,
}

/// An e-wallet number, `WAL-` and six digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet(String);

/// A Kazakh mobile number of a supported operator: the ten national digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    digits: String,
    operator: Operator,
}

/// The card form's fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CardForm {
    /// Card number, spaces allowed.
    #[serde(default)]
    pub number: String,
    /// Expiry, `MM/YY`.
    #[serde(default)]
    pub expiry: String,
    /// The three-digit code on the back.
    #[serde(default)]
    pub cvv: String,
    /// The holder's name as on the card.
    #[serde(default)]
    pub holder: String,
}

/// The errors of the card form, one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardErrors {
    /// About the number.
    pub number: Option<FieldError>,
    /// About the expiry.
    pub expiry: Option<FieldError>,
    /// About the CVV.
    pub cvv: Option<FieldError>,
    /// About the holder's name.
    pub holder: Option<FieldError>,
}

/// Why a field was refused; the pages say it in the payer's language (`messages.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    /// The field is empty.
    Required,
    /// A card number is not 12 to 19 digits.
    CardLength,
    /// A card number fails the Luhn check.
    CardCheckDigit,
    /// An expiry is not `MM/YY`.
    ExpiryFormat,
    /// An expiry is in the past.
    Expired,
    /// A CVV is not 3 digits.
    CvvDigits,
    /// A holder's name is too long or has control characters.
    HolderName,
    /// A wallet number is not `WAL-` and six digits.
    WalletFormat,
    /// A phone number is not a Kazakh mobile number.
    PhoneFormat,
    /// A phone number of an operator the gateway does not serve.
    OperatorNotSupported,
}

/// A payment as the gateway keeps it. Card numbers are never part of it.
#[derive(Debug, Clone)]
pub struct Payment {
    /// The gateway's id, unguessable.
    pub id: String,
    /// The merchant's order id.
    pub order_id: String,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// What is paid for.
    pub description: String,
    /// Who pays, as the merchant named them.
    pub payer: String,
    /// Where the applicant returns to.
    pub return_url: String,
    /// Where callbacks go.
    pub callback_url: String,
    /// Where the payment is in its life.
    pub status: PaymentStatus,
    /// How it was paid, once submitted.
    pub method: Option<PaymentMethod>,
    /// A masked hint of the card, wallet or phone, once submitted.
    pub payer_hint: Option<String>,
    /// The operator, for mobile payments.
    pub operator: Option<Operator>,
    /// Why it was declined.
    pub decline_reason: Option<DeclineReason>,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it was submitted.
    pub submitted_at: Option<OffsetDateTime>,
    /// When the pending state ends by itself (for submitted payments).
    pub settles_at: Option<OffsetDateTime>,
    /// The outcome decided when it was submitted.
    pub outcome: Option<Outcome>,
    /// Whether the callback(s) for the final state are still to be sent.
    pub callback_due: bool,
    /// When it was paid.
    pub paid_at: Option<OffsetDateTime>,
    /// The electronic check's number, once paid.
    pub receipt_number: Option<String>,
    /// The language the merchant asked the pages to open in.
    pub lang: Option<Lang>,
}

impl CardErrors {
    /// Whether any field was refused.
    pub fn any(&self) -> bool {
        self.number.is_some()
            || self.expiry.is_some()
            || self.cvv.is_some()
            || self.holder.is_some()
    }
}

impl CardForm {
    /// Checks every field (all errors at once, so the form shows each beside its field), given
    /// the current month as (year, month).
    pub fn parse(&self, today: (i32, u8)) -> Result<CardDetails, Box<CardErrors>> {
        let mut errors = CardErrors::default();
        let digits: String = self
            .number
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if digits.is_empty() {
            errors.number = Some(FieldError::Required);
        } else if !digits.bytes().all(|b| b.is_ascii_digit()) || !(12..=19).contains(&digits.len())
        {
            errors.number = Some(FieldError::CardLength);
        } else if !luhn(&digits) {
            errors.number = Some(FieldError::CardCheckDigit);
        }
        errors.expiry = check_expiry(&self.expiry, today).err();
        let cvv = self.cvv.trim();
        if cvv.is_empty() {
            errors.cvv = Some(FieldError::Required);
        } else if cvv.len() != 3 || !cvv.bytes().all(|b| b.is_ascii_digit()) {
            errors.cvv = Some(FieldError::CvvDigits);
        }
        let holder = self.holder.trim();
        if holder.is_empty() {
            errors.holder = Some(FieldError::Required);
        } else if holder.chars().count() > 60 || holder.chars().any(char::is_control) {
            errors.holder = Some(FieldError::HolderName);
        }
        if errors.any() {
            Err(Box::new(errors))
        } else {
            Ok(CardDetails { number: digits })
        }
    }
}

fn check_expiry(text: &str, (year, month): (i32, u8)) -> Result<(), FieldError> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    let format = FieldError::ExpiryFormat;
    let (mm, yy) = text.split_once('/').ok_or(format)?;
    if mm.len() != 2 || yy.len() != 2 || !(mm.bytes().chain(yy.bytes())).all(|b| b.is_ascii_digit())
    {
        return Err(format);
    }
    let mm: u8 = mm.parse().map_err(|_| format)?;
    let yy: i32 = yy.parse().map_err(|_| format)?;
    if !(1..=12).contains(&mm) {
        return Err(format);
    }
    let card_year = 2000 + yy;
    if (card_year, mm) < (year, month) {
        return Err(FieldError::Expired);
    }
    Ok(())
}

/// The Luhn check of a string of ASCII digits.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

impl CardDetails {
    /// The sandbox outcome of this card.
    pub fn outcome(&self) -> Outcome {
        match self.number.as_str() {
            "4000000000000002" => Outcome::Declined(DeclineReason::CardDeclined),
            "4000000000000044" => Outcome::PendingWithoutCallback,
            "4000000000000069" => Outcome::PaidWithDuplicateCallbacks,
            _ => Outcome::Paid,
        }
    }

    /// What may be kept and shown: `**** 1111`.
    pub fn hint(&self) -> String {
        let last4 = &self.number[self.number.len().saturating_sub(4)..];
        format!("**** {last4}")
    }
}

impl Wallet {
    /// Parses `WAL-` and six digits (lowercase and surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim().to_ascii_uppercase();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        match text.strip_prefix("WAL-") {
            Some(digits) if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Self(text))
            }
            _ => Err(FieldError::WalletFormat),
        }
    }

    /// The sandbox outcome of this wallet.
    pub fn outcome(&self) -> Outcome {
        match self.0.as_str() {
            "WAL-100002" => Outcome::Declined(DeclineReason::InsufficientFunds),
            _ => Outcome::Paid,
        }
    }

    /// What may be kept and shown: `WAL-****01`.
    pub fn hint(&self) -> String {
        format!("WAL-****{}", &self.0[self.0.len() - 2..])
    }
}

impl Phone {
    /// Parses a Kazakh mobile number (`+7 701 555 0101`, `8 701 5550101`, `7015550101`…) of a
    /// supported operator.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        let format = FieldError::PhoneFormat;
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
        {
            return Err(format);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            10 => digits,
            11 if digits.starts_with('7') || digits.starts_with('8') => digits[1..].to_owned(),
            _ => return Err(format),
        };
        let operator = match &national[..3] {
            "701" | "702" => Operator::Kcell,
            "775" | "778" => Operator::Activ,
            "705" | "771" | "776" | "777" => Operator::Beeline,
            _ => {
                return Err(FieldError::OperatorNotSupported);
            }
        };
        Ok(Self {
            digits: national,
            operator,
        })
    }

    /// The operator the prefix belongs to.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The sandbox outcome of this number.
    pub fn outcome(&self) -> Outcome {
        match self.digits.as_str() {
            "7010000000" => Outcome::Declined(DeclineReason::InsufficientBalance),
            _ => Outcome::Paid,
        }
    }

    /// What may be kept and shown: `+7 701 *** **01`.
    pub fn hint(&self) -> String {
        format!("+7 {} *** **{}", &self.digits[..3], &self.digits[8..])
    }
}

impl Operator {
    /// The operator's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Kcell => "Kcell",
            Self::Activ => "Activ",
            Self::Beeline => "Beeline",
        }
    }

    /// The operator with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Kcell, Self::Activ, Self::Beeline]
            .into_iter()
            .find(|o| o.name() == name)
    }
}

impl Outcome {
    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::PaidWithDuplicateCallbacks => "paid-duplicate-callbacks",
            Self::Declined(DeclineReason::CardDeclined) => "declined-card",
            Self::Declined(DeclineReason::InsufficientFunds) => "declined-funds",
            Self::Declined(DeclineReason::InsufficientBalance) => "declined-balance",
            Self::PendingWithoutCallback => "pending-no-callback",
        }
    }

    /// The outcome with this stored name.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Paid,
            Self::PaidWithDuplicateCallbacks,
            Self::Declined(DeclineReason::CardDeclined),
            Self::Declined(DeclineReason::InsufficientFunds),
            Self::Declined(DeclineReason::InsufficientBalance),
            Self::PendingWithoutCallback,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

impl DeclineReason {
    /// The stored name.
    pub fn code(self) -> &'static str {
        match self {
            Self::CardDeclined => "card-declined",
            Self::InsufficientFunds => "insufficient-funds",
            Self::InsufficientBalance => "insufficient-balance",
        }
    }

    /// The reason with this stored name.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::CardDeclined,
            Self::InsufficientFunds,
            Self::InsufficientBalance,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_the_documented_cards_and_refuses_a_changed_digit() {
        for number in [
            "4111111111111111",
            "5555555555554444",
            "4000000000000002",
            "4000000000000044",
            "4000000000000069",
        ] {
            assert!(luhn(number), "{number}");
        }
        assert!(!luhn("4111111111111112"));
        assert!(!luhn("41111111111a1111"));
    }

    #[test]
    fn expiry_is_checked_against_the_current_month() {
        let now = (2026, 11);
        assert_eq!(check_expiry("11/26", now), Ok(()));
        assert_eq!(check_expiry(" 12 / 30 ", now), Ok(()));
        assert!(check_expiry("10/26", now).is_err());
        assert!(check_expiry("13/27", now).is_err());
        assert!(check_expiry("1/27", now).is_err());
        assert!(check_expiry("1227", now).is_err());
        assert!(check_expiry("", now).is_err());
    }

    #[test]
    fn phone_numbers_are_recognised_by_prefix_in_any_common_writing() {
        for (text, operator) in [
            ("+7 701 555 0101", Operator::Kcell),
            ("87025550101", Operator::Kcell),
            ("+7 (775) 555-01-01", Operator::Activ),
            ("7785550101", Operator::Activ),
            ("+77055550101", Operator::Beeline),
            ("+7 777 555 0101", Operator::Beeline),
        ] {
            assert_eq!(
                Phone::parse(text).map(|p| p.operator()),
                Ok(operator),
                "{text}"
            );
        }
        assert!(Phone::parse("+7 707 555 0101").is_err());
        assert!(Phone::parse("+7 701 555 01").is_err());
        assert!(Phone::parse("+7 701 555 0101 ext").is_err());
        assert_eq!(
            Phone::parse("+7 701 555 0101").map(|p| p.hint()),
            Ok("+7 701 *** **01".to_owned())
        );
    }

    #[test]
    fn hints_never_hold_the_full_number() {
        let card = CardForm {
            number: "4111 1111 1111 1111".into(),
            expiry: "12/30".into(),
            cvv: "123".into(),
            holder: "ANNA ERIKSSON".into(),
        }
        .parse((2026, 11))
        .expect("valid");
        assert_eq!(card.hint(), "**** 1111");
        assert_eq!(
            Wallet::parse("wal-100001").map(|w| w.hint()),
            Ok("WAL-****01".into())
        );
    }
}
