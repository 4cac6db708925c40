//! The decision's reason codes and the passport check's field keys (strings today) and the
//! passport zone's refusals, turned into messages of the catalogue.

use std::borrow::Cow;

use shared::labels::Field;
use shared::{Category, Entries, MrzError};

use super::{Language, Msg, ZoneProblem, tr};

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

/// The plain words for a decision's reason code. When the decision's reason becomes an enum
/// (issue 10, item 6) this becomes an exhaustive `match` over it; until then a test lists every
/// code the kiosk gives, and an unknown one shows its code rather than vanishing.
pub fn reason(code: &str) -> Msg {
    match code {
        "ok" => Msg::Genuine,
        "bad_signature" => Msg::BadSignature,
        "expired" => Msg::Expired,
        "not_yet_valid" => Msg::NotYetValid,
        "wrong_port" => Msg::WrongPort,
        "already_used" => Msg::AlreadyUsed,
        "overstay" => Msg::Overstay,
        "passport_mismatch" => Msg::PassportMismatch,
        "revoked" => Msg::Revoked,
        "revoked_key" => Msg::RevokedKey,
        "outside_key_period" | "outlives_key_certificate" => Msg::OutsideKeyPeriod,
        "trust_too_old" => Msg::TrustTooOld,
        "clock_suspicious" => Msg::ClockSuspicious,
        "not_a_visa" | "malformed_text" | "malformed_envelope" | "empty" | "too_long" => {
            Msg::NotAVisa
        }
        "invalid_claims" | "unsupported_algorithm" => Msg::InvalidData,
        "unreadable" | "unreadable_passport" => Msg::Unreadable,
        "unknown_key" => Msg::UnknownKey,
        "unsupported_version" => Msg::UnsupportedVersion,
        "kiosk_error" => Msg::KioskFailed,
        "ledger_unavailable" | "kiosk_not_ready" => Msg::NotRecorded,
        other => Msg::OtherReason {
            code: other.to_owned(),
        },
    }
}

/// What the officer should do after a CANNOT VERIFY with this reason code.
pub fn next_step(code: &str) -> Msg {
    match code {
        "unreadable" => Msg::StepRescan,
        "trust_too_old" => Msg::StepNewBundle,
        "clock_suspicious" => Msg::StepFixClock,
        "kiosk_error" => Msg::StepScanAgain,
        "kiosk_not_ready" => Msg::StepCheckSettings,
        "unreadable_passport" => Msg::StepPassportAgain,
        "unknown_key" => Msg::StepUpdateTrust,
        "unsupported_version" => Msg::StepUpdateSoftware,
        "ledger_unavailable" => Msg::StepCheckLedger,
        _ => Msg::StepCallSupervisor,
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
    fn every_reason_code_the_kiosk_gives_has_its_own_words() {
        // `shared::VerifyError::code`, `EntryRefusal::code`, `TrustRefusal::code`, and the
        // kiosk's own (`kiosk.rs`, `worker.rs`, `cli.rs`).
        let codes = [
            "ok",
            "empty",
            "too_long",
            "not_a_visa",
            "unsupported_version",
            "malformed_text",
            "malformed_envelope",
            "unsupported_algorithm",
            "unknown_key",
            "bad_signature",
            "invalid_claims",
            "not_yet_valid",
            "expired",
            "wrong_port",
            "revoked",
            "revoked_key",
            "outside_key_period",
            "outlives_key_certificate",
            "already_used",
            "overstay",
            "passport_mismatch",
            "trust_too_old",
            "clock_suspicious",
            "unreadable",
            "unreadable_passport",
            "ledger_unavailable",
            "kiosk_error",
            "kiosk_not_ready",
        ];
        for code in codes {
            assert!(
                !matches!(reason(code), Msg::OtherReason { .. }),
                "{code} has no words"
            );
        }
        assert_eq!(
            tr(Language::En, reason("from_the_future")),
            "Decision: from_the_future"
        );
    }

    #[test]
    fn every_cannot_verify_reason_has_its_own_next_step() {
        for code in [
            "unknown_key",
            "unsupported_version",
            "trust_too_old",
            "clock_suspicious",
            "unreadable",
            "unreadable_passport",
            "ledger_unavailable",
            "kiosk_error",
            "kiosk_not_ready",
        ] {
            assert_ne!(next_step(code), Msg::StepCallSupervisor, "{code}");
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
