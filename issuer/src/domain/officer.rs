//! An officer's account from creation to log-in: the one-time set-up link, the set-up form
//! (password and the first code of the new second factor), the log-in form, and the states an
//! account goes through. The rules; the SQL is `store/office.rs`, the flow `service/officer.rs`.

use serde::Deserialize;

use super::account::{Email, Password};
use super::problem::{Problem, Problems};
use super::totp::Code;

/// How long a set-up link works, in hours.
pub const SETUP_HOURS: i64 = 72;
/// Wrong codes in a row after which the second factor locks until a supervisor resets it.
pub const MAX_CODE_FAILURES: u32 = 5;

/// Where an officer's account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficerState {
    /// Created or reset: waiting for the officer to open the set-up link.
    AwaitingSetup,
    /// Password and second factor set: may log in.
    Active,
    /// Too many wrong codes: no log-in until a supervisor resets the factor.
    Locked,
    /// Disabled by the operator: no log-in, sessions ended.
    Disabled,
}

/// An officer as the supervisors' list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerSummary {
    /// Row id.
    pub id: i64,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: super::office::Role,
    /// State.
    pub state: OfficerState,
    /// When the operator created the account (RFC 3339).
    pub created_at: String,
}

/// The set-up form: a new password twice and the current code of the newly enrolled factor.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    /// The new password.
    pub password: String,
    /// The same again.
    pub password_again: String,
    /// The code the phone app shows now.
    pub code: String,
}

/// A checked set-up form.
#[derive(Debug)]
pub struct Setup {
    /// The password to hash.
    pub password: Password,
    /// The code to check against the new secret.
    pub code: Code,
}

/// What is wrong with a set-up form: the password fields' problems, and whether the code is not
/// six digits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupErrors {
    /// Problems of `password` and `password_again`.
    pub problems: Problems,
    /// The code is missing or not six digits.
    pub code_malformed: bool,
}

/// The log-in form: all three are checked before anything is said.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// The current code of the second factor.
    pub code: String,
}

impl OfficerState {
    /// The state as stored and shown in English in the CSV (`active`, `locked`…).
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerState::AwaitingSetup => "awaiting_setup",
            OfficerState::Active => "active",
            OfficerState::Locked => "locked",
            OfficerState::Disabled => "disabled",
        }
    }

    /// The state of an account from its columns.
    pub fn of(disabled: bool, awaiting_setup: bool, failures: u32) -> Self {
        if disabled {
            OfficerState::Disabled
        } else if awaiting_setup {
            OfficerState::AwaitingSetup
        } else if failures >= MAX_CODE_FAILURES {
            OfficerState::Locked
        } else {
            OfficerState::Active
        }
    }
}

impl SetupForm {
    /// Checks the form: the password policy of the portal's accounts, the two passwords alike,
    /// six digits of code.
    pub fn parse(&self) -> Result<Setup, SetupErrors> {
        let mut errors = SetupErrors::default();
        let password = match Password::parse(&self.password) {
            Ok(password) => Some(password),
            Err(problem) => {
                errors.problems.insert("password", problem);
                None
            }
        };
        if password.is_some() && self.password != self.password_again {
            errors
                .problems
                .insert("password_again", Problem::PasswordsDiffer);
        }
        let code = Code::parse(&self.code);
        errors.code_malformed = code.is_none();
        match (password, code) {
            (Some(password), Some(code)) if errors.problems.is_empty() => {
                Ok(Setup { password, code })
            }
            _ => Err(errors),
        }
    }
}

impl LoginForm {
    /// The e-mail as looked up (trimmed, lower-cased), or `None` when it cannot be an address.
    pub fn email(&self) -> Option<Email> {
        Email::parse(&self.email).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(password: &str, again: &str, code: &str) -> SetupForm {
        SetupForm {
            password: password.into(),
            password_again: again.into(),
            code: code.into(),
        }
    }

    #[test]
    fn the_setup_form_needs_the_password_policy_twice_and_six_digits() {
        assert!(
            form("a long password", "a long password", "123 456")
                .parse()
                .is_ok()
        );
        let short = form("short", "short", "123456").parse().expect_err("short");
        assert_eq!(
            short.problems.get("password"),
            Some(&Problem::PasswordLength)
        );
        let differ = form("a long password", "a long passw0rd", "123456")
            .parse()
            .expect_err("differ");
        assert_eq!(
            differ.problems.get("password_again"),
            Some(&Problem::PasswordsDiffer)
        );
        let code = form("a long password", "a long password", "12345")
            .parse()
            .expect_err("code");
        assert!(code.code_malformed && code.problems.is_empty());
    }

    #[test]
    fn the_state_follows_disabled_then_setup_then_failures() {
        assert_eq!(OfficerState::of(true, false, 0), OfficerState::Disabled);
        assert_eq!(
            OfficerState::of(false, true, 9),
            OfficerState::AwaitingSetup
        );
        assert_eq!(OfficerState::of(false, false, 4), OfficerState::Active);
        assert_eq!(OfficerState::of(false, false, 5), OfficerState::Locked);
    }
}
