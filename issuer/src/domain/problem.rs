//! What can be wrong with a form field, as a value: pages translate it (`crate::i18n`) and the
//! API reports its code.

use std::collections::BTreeMap;

use shared::visa::FieldError;

use super::taxid::TaxIdError;

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The text is not a value of the field (from the `shared` parsers).
    Field(FieldError),
    /// A BIN or IIN that is not one.
    TaxId(TaxIdError),
    /// Not an e-mail address.
    Email,
    /// The e-mail address has an account already.
    EmailTaken,
    /// The password is too short or too long.
    PasswordLength,
    /// The password has a control character (a NUL, a tab, a line break…).
    PasswordControl,
    /// The password is one of the most common passwords.
    PasswordCommon,
    /// The password is easy to guess (zxcvbn scores it under 3): a pattern, a repetition, a
    /// dictionary word with digits, the account's own name or address.
    PasswordWeak,
    /// The two passwords differ.
    PasswordsDiffer,
    /// The BIN or IIN is registered to another party.
    TaxIdTaken,
    /// No invitation has this number.
    NoSuchInvitation,
    /// The invitation's validity period has ended.
    InvitationExpired,
    /// The invitation belongs to another application.
    InvitationUsed,
    /// The invitation's inviting party is not verified by the migration service (pending,
    /// rejected or suspended).
    InviterNotVerified,
    /// The value differs from the one in the invitation.
    Mismatch,
    /// The passport expires before the planned stay ends.
    PassportExpiresTooSoon,
    /// The passport has expired already.
    PassportExpired,
    /// E-visas are not issued to foreigners travelling with children.
    WithChildren,
    /// The confirmation box was not ticked.
    NotConfirmed,
    /// The end of a period comes before its start, or the period is too long.
    Period,
    /// A date in the past where a future one is needed.
    DateInPast,
    /// A stop-list entry names a passport or a person, not both and not neither.
    OneKindOfEntry,
    /// A native-script name in a script the printout cannot show (see `domain::script`).
    UnprintableScript,
    /// A date of birth that is today or later.
    BirthInFuture,
}

/// The problems of a form, by field name.
pub type Problems = BTreeMap<&'static str, Problem>;

impl Problem {
    /// A stable machine-readable code, for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Field(FieldError::Missing) => "required",
            Self::Field(FieldError::TooLong { .. }) => "too_long",
            Self::Field(FieldError::Country(_)) => "unknown_country",
            Self::Field(FieldError::Range { .. }) => "out_of_range",
            Self::Field(_) => "format",
            Self::TaxId(_) => "invalid_bin_iin",
            Self::Email => "invalid_email",
            Self::EmailTaken => "email_taken",
            Self::PasswordLength => "password_length",
            Self::PasswordControl => "password_control_characters",
            Self::PasswordCommon => "password_common",
            Self::PasswordWeak => "password_weak",
            Self::PasswordsDiffer => "passwords_differ",
            Self::TaxIdTaken => "bin_iin_taken",
            Self::NoSuchInvitation => "no_such_invitation",
            Self::InvitationExpired => "invitation_expired",
            Self::InvitationUsed => "invitation_used",
            Self::InviterNotVerified => "inviter_not_verified",
            Self::Mismatch => "differs_from_invitation",
            Self::PassportExpiresTooSoon => "passport_expires_too_soon",
            Self::PassportExpired => "passport_expired",
            Self::WithChildren => "travelling_with_children",
            Self::NotConfirmed => "not_confirmed",
            Self::Period => "invalid_period",
            Self::DateInPast => "date_in_past",
            Self::OneKindOfEntry => "one_kind_of_entry",
            Self::UnprintableScript => "unsupported_script",
            Self::BirthInFuture => "date_of_birth_in_future",
        }
    }
}

impl From<FieldError> for Problem {
    fn from(error: FieldError) -> Self {
        Self::Field(error)
    }
}
