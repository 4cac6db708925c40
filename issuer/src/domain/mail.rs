//! What the portal writes to an applicant, as data: each [`Letter`] names why it is sent and
//! carries the values its text needs, never the text itself (the mail adapter words it in the
//! account's language when it delivers it). Also how long an e-mailed link stays good.

use serde::{Deserialize, Serialize};

use super::account::Password;
use super::problem::{Problem, Problems};

/// How long the link that confirms an e-mail address stays good, in seconds (two days).
pub const VERIFY_LINK_SECONDS: i64 = 48 * 60 * 60;
/// How long a password-reset link stays good, in seconds (30 minutes, as the issue asks).
pub const RESET_LINK_SECONDS: i64 = 30 * 60;
/// At most this many password-reset mails go to one account in [`RESET_WINDOW_SECONDS`], so the
/// form cannot be used to flood someone's mailbox.
pub const RESETS_PER_WINDOW: i64 = 3;
/// The window of [`RESETS_PER_WINDOW`].
pub const RESET_WINDOW_SECONDS: i64 = 15 * 60;
/// At most one "someone tried to register your address" mail per account in this many seconds.
pub const SIGNUP_ATTEMPT_QUIET_SECONDS: i64 = 60 * 60;
/// A new confirmation link is sent at most this often (the "send the link again" button).
pub const VERIFY_RESEND_SECONDS: i64 = 60;

/// Why a single-use e-mailed token exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Confirms that the account's holder receives mail at its address.
    Verify,
    /// Sets a new password.
    Reset,
}

/// A mail to an account holder. The JSON form (tagged by `kind`) is what the outbox keeps until
/// the mail is delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Letter {
    /// Confirm the address given at sign-up: a link with a single-use token.
    VerifyAddress {
        /// The token of the link (only its hash is kept with the account).
        token: String,
    },
    /// Someone tried to sign up with an address that already has an account.
    SignupAttempt,
    /// "Forgot password?": a link with a single-use token, good for 30 minutes.
    PasswordReset {
        /// The token of the link (only its hash is kept with the account).
        token: String,
    },
    /// The password was changed through a reset link, and every session was ended.
    PasswordChanged,
    /// The state duty of an application was paid.
    PaymentConfirmed {
        /// The application.
        application_id: String,
        /// The amount, in cents.
        amount_minor: i64,
        /// The currency, like `USD`.
        currency: String,
        /// The gateway's receipt number, when it gave one.
        receipt_number: Option<String>,
    },
    /// The e-visa was issued: a link to the personal account (never the PDF itself).
    VisaIssued {
        /// The application.
        application_id: String,
        /// The visa's number.
        visa_number: String,
    },
    /// The application went to an officer for review.
    UnderReview {
        /// The application.
        application_id: String,
    },
    /// The application was refused. The officer's reason stays in the back office: it may name
    /// what the screening found, which the applicant is not told.
    Refused {
        /// The application.
        application_id: String,
    },
    /// The e-visa was revoked by the migration service.
    VisaRevoked {
        /// The application.
        application_id: String,
        /// The visa's number.
        visa_number: String,
        /// The officer's reason.
        reason: String,
    },
}

/// The form of the page a reset link opens: the new password, twice.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewPasswordForm {
    /// The new password.
    pub password: String,
    /// The same again.
    pub password_again: String,
}

impl NewPasswordForm {
    /// Checks the form under the same password policy as sign-up.
    pub fn parse(&self) -> Result<Password, Problems> {
        let mut problems = Problems::new();
        match Password::parse(&self.password) {
            Ok(password) if self.password == self.password_again => return Ok(password),
            Ok(_) => {
                problems.insert("password_again", Problem::PasswordsDiffer);
            }
            Err(problem) => {
                problems.insert("password", problem);
            }
        }
        Err(problems)
    }
}

impl TokenPurpose {
    /// The word the database keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
        }
    }
}

impl Letter {
    /// The kind, as the outbox's `kind` column keeps it (for counting and for the log).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::VerifyAddress { .. } => "verify_address",
            Self::SignupAttempt => "signup_attempt",
            Self::PasswordReset { .. } => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::PaymentConfirmed { .. } => "payment_confirmed",
            Self::VisaIssued { .. } => "visa_issued",
            Self::UnderReview { .. } => "under_review",
            Self::Refused { .. } => "refused",
            Self::VisaRevoked { .. } => "visa_revoked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_keeps_its_kind_through_its_json() {
        let letter = Letter::VisaIssued {
            application_id: "a1".to_owned(),
            visa_number: "KZ0000001".to_owned(),
        };
        let json = serde_json::to_string(&letter).expect("serialises");
        assert!(json.contains("\"kind\":\"visa_issued\""), "{json}");
        assert_eq!(
            serde_json::from_str::<Letter>(&json).expect("parses"),
            letter
        );
        assert_eq!(letter.kind(), "visa_issued");
    }
}
