//! How the portal words a [`Problem`] beside its field: the problem's message of the catalogue.

use shared::visa::{FieldError, FormatError};

use super::Lang;
use super::msg::{Check, Counted, Screens, Script};
use crate::domain::account::Password;
use crate::domain::problem::Problem;
use crate::domain::taxid::TaxIdError;

impl Problem {
    /// The message shown beside the field.
    pub fn message(&self, l: Lang) -> String {
        let check = match self {
            Self::Field(FieldError::TooLong { max }) => {
                return Counted::AtMostChars(*max).text(l);
            }
            Self::Field(FieldError::Range { min, max }) => {
                return Counted::Between {
                    min: *min,
                    max: *max,
                }
                .text(l);
            }
            Self::PasswordLength => {
                return Counted::PasswordChars {
                    min: Password::MIN_CHARS,
                    max: Password::MAX_CHARS,
                }
                .text(l);
            }
            Self::Field(FieldError::Missing) => Check::Required,
            Self::Field(FieldError::Country(_)) => Check::Country,
            Self::Field(FieldError::Format(error)) => format_check(*error),
            Self::Field(_) => Check::Invalid,
            Self::TaxId(TaxIdError::Format) => Check::TaxIdFormat,
            Self::TaxId(TaxIdError::CheckDigit) => Check::TaxIdCheckDigit,
            Self::TaxId(TaxIdError::Kind) => Check::TaxIdKind,
            Self::Email => Check::Email,
            Self::EmailTaken => Check::EmailTaken,
            Self::PasswordsDiffer => Check::PasswordsDiffer,
            Self::PasswordControl => Check::PasswordControl,
            Self::PasswordCommon => Check::PasswordCommon,
            Self::PasswordWeak => Check::PasswordWeak,
            Self::TaxIdTaken => Check::TaxIdTaken,
            Self::NoSuchInvitation => Check::NoSuchInvitation,
            Self::InvitationExpired => Check::InvitationExpired,
            Self::InvitationUsed => Check::InvitationUsed,
            Self::InviterNotVerified => Check::InviterNotVerified,
            Self::Mismatch => Check::Mismatch,
            Self::PassportExpiresTooSoon => Check::PassportExpiresTooSoon,
            Self::PassportExpired => Check::PassportExpired,
            Self::WithChildren => Check::WithChildren,
            Self::NotConfirmed => Check::NotConfirmed,
            Self::Period => Check::Period,
            Self::DateInPast => Check::DateInPast,
            Self::OneKindOfEntry => Check::OneKindOfEntry,
            Self::UnprintableScript => return Script::Unsupported.text(l).to_owned(),
            Self::BirthInFuture => return Screens::BirthInFuture.text(l).to_owned(),
        };
        check.text(l).to_owned()
    }
}

/// The words for each way a field's text can have the wrong shape. The match has no wildcard, so
/// a new `FormatError` does not build until it has a message in the catalogue.
fn format_check(error: FormatError) -> Check {
    match error {
        FormatError::MrzLetters => Check::MrzLetters,
        FormatError::NativeLetters => Check::NativeLetters,
        FormatError::CapitalsAndDigits => Check::CapitalsAndDigits,
        FormatError::InvitationNumber => Check::InvitationNumber,
        FormatError::PlainText => Check::PlainText,
        FormatError::DateShape => Check::DateShape,
        FormatError::NoSuchDate => Check::NoSuchDate,
        FormatError::TimeShape => Check::TimeShape,
        FormatError::Sex => Check::Sex,
        FormatError::Category => Check::Category,
        FormatError::Entries => Check::Entries,
        FormatError::Port => Check::Port,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::visa::parse_date;

    /// Every way a field can have the wrong shape reads differently in Kazakh, Russian and
    /// English, so no ҚАЗ or РУС user is shown an English sentence.
    #[test]
    fn every_format_error_of_the_shared_parsers_has_kazakh_and_russian_words() {
        for error in FormatError::ALL {
            let [kk, ru, en] = format_check(error).words();
            assert!(
                kk != en && ru != en && kk != ru,
                "{error:?}: {kk:?} {ru:?} {en:?}"
            );
        }
    }

    #[test]
    fn a_field_error_from_a_parser_shows_the_words_of_its_kind() {
        let error = parse_date("1974-02-30").map(drop).map_err(Problem::from);
        assert_eq!(
            error.map_err(|p| p.message(Lang::Ru)),
            Err("Такой даты нет".to_owned())
        );
    }
}
