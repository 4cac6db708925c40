//! The decision's reasons, the passport check's field keys and the passport zone's refusals,
//! turned into messages of the catalogue.

use std::borrow::Cow;

use shared::labels::Field;
use shared::{Category, Entries, MrzError};

use super::{Language, Msg, ZoneProblem, tr};
use crate::decision::Reason;

impl From<&MrzError> for ZoneProblem {
    fn from(error: &MrzError) -> Self {
        match error {
            MrzError::Shape => Self::Shape,
            MrzError::Character => Self::Character,
            MrzError::NotAPassport => Self::NotAPassport,
            MrzError::CheckDigit(_) => Self::CheckDigit,
            MrzError::Date(_) => Self::Date,
            MrzError::Sex => Self::Sex,
            // `MrzError` may grow; a new refusal still gets words, if general ones.
            _ => Self::Other,
        }
    }
}

/// A visa's category (`business`…) as the printout names it; other text as is.
pub fn category(lang: Language, value: &str) -> Cow<'static, str> {
    Category::parse(value).map_or_else(
        |_| Cow::Owned(value.to_owned()),
        |c| tr(lang, Msg::Category(c)),
    )
}

/// A visa's number of entries (`single`, `double`) as the printout names it; other text as is.
pub fn entries(lang: Language, value: &str) -> Cow<'static, str> {
    Entries::parse(value).map_or_else(
        |_| Cow::Owned(value.to_owned()),
        |e| tr(lang, Msg::Entries(e)),
    )
}

/// The plain words for a decision's reason: an exhaustive `match`, so a new reason does not build
/// until it has words.
pub fn reason(reason: Reason) -> Msg {
    match reason {
        Reason::Ok => Msg::Genuine,
        Reason::BadSignature => Msg::BadSignature,
        Reason::Expired => Msg::Expired,
        Reason::NotYetValid => Msg::NotYetValid,
        Reason::WrongPort => Msg::WrongPort,
        Reason::AlreadyUsed => Msg::AlreadyUsed,
        Reason::Overstay => Msg::Overstay,
        Reason::PassportMismatch => Msg::PassportMismatch,
        Reason::Revoked => Msg::Revoked,
        Reason::RevokedKey => Msg::RevokedKey,
        Reason::OutsideKeyPeriod | Reason::OutlivesKeyCertificate => Msg::OutsideKeyPeriod,
        Reason::TrustTooOld => Msg::TrustTooOld,
        Reason::ClockSuspicious => Msg::ClockSuspicious,
        Reason::NotAVisa
        | Reason::MalformedText
        | Reason::MalformedEnvelope
        | Reason::Empty
        | Reason::TooLong => Msg::NotAVisa,
        Reason::InvalidClaims | Reason::UnsupportedAlgorithm | Reason::NotAllowed => {
            Msg::InvalidData
        }
        Reason::Unreadable | Reason::UnreadablePassport => Msg::Unreadable,
        Reason::UnknownKey => Msg::UnknownKey,
        Reason::UnsupportedVersion => Msg::UnsupportedVersion,
        Reason::KioskError => Msg::KioskFailed,
        Reason::LedgerUnavailable | Reason::KioskNotReady => Msg::NotRecorded,
    }
}

/// What the officer should do after a CANNOT VERIFY with this reason code.
pub fn next_step(reason: Reason) -> Msg {
    match reason {
        Reason::Unreadable => Msg::StepRescan,
        Reason::TrustTooOld => Msg::StepNewBundle,
        Reason::ClockSuspicious => Msg::StepFixClock,
        Reason::KioskError => Msg::StepScanAgain,
        Reason::KioskNotReady => Msg::StepCheckSettings,
        Reason::UnreadablePassport => Msg::StepPassportAgain,
        Reason::UnknownKey => Msg::StepUpdateTrust,
        Reason::UnsupportedVersion => Msg::StepUpdateSoftware,
        Reason::LedgerUnavailable => Msg::StepCheckLedger,
        Reason::Ok
        | Reason::Empty
        | Reason::TooLong
        | Reason::NotAVisa
        | Reason::MalformedText
        | Reason::MalformedEnvelope
        | Reason::UnsupportedAlgorithm
        | Reason::BadSignature
        | Reason::InvalidClaims
        | Reason::NotYetValid
        | Reason::Expired
        | Reason::WrongPort
        | Reason::AlreadyUsed
        | Reason::Overstay
        | Reason::PassportMismatch
        | Reason::Revoked
        | Reason::RevokedKey
        | Reason::OutsideKeyPeriod
        | Reason::OutlivesKeyCertificate
        | Reason::NotAllowed => Msg::StepCallSupervisor,
    }
}

/// A field the passport check names by its JSON key: a visa field in the printout's words, the
/// passport's own expiry in the window's; an unknown key as itself.
pub fn mismatch_field(lang: Language, key: &str) -> Cow<'static, str> {
    match (Field::from_key(key), key) {
        (Some(field), _) => tr(lang, Msg::Field(field)),
        (None, "passport_expiry") => tr(lang, Msg::PassportExpiry),
        (None, other) => Cow::Owned(other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cannot_verify_reason_has_its_own_next_step() {
        for reason in [
            Reason::UnknownKey,
            Reason::UnsupportedVersion,
            Reason::TrustTooOld,
            Reason::ClockSuspicious,
            Reason::Unreadable,
            Reason::UnreadablePassport,
            Reason::LedgerUnavailable,
            Reason::KioskError,
            Reason::KioskNotReady,
        ] {
            assert_ne!(next_step(reason), Msg::StepCallSupervisor, "{reason}");
        }
    }

    #[test]
    fn every_field_the_passport_check_names_has_a_label() {
        for key in [
            "passport_number",
            "surname",
            "given_names",
            "date_of_birth",
            "citizenship",
            "sex",
            "passport_expiry",
        ] {
            for lang in Language::ALL {
                assert_ne!(mismatch_field(lang, key), key, "{key} in {lang:?}");
            }
        }
        assert_eq!(
            mismatch_field(Language::Ru, "passport_expiry"),
            "Срок действия паспорта"
        );
    }

    #[test]
    fn a_refused_passport_zone_is_explained_by_its_kind() {
        let problem = ZoneProblem::from(&MrzError::CheckDigit("date of birth"));
        assert_eq!(problem, ZoneProblem::CheckDigit);
        assert!(tr(Language::Kk, Msg::Zone(problem)).contains("бақылау саны"));
    }
}
