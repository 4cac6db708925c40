//! From token text to a verdict: the one place that turns verification results into what the
//! officer (or a script) is told.

use serde::Serialize;
use shared::bundle::TrustRefusal;
use shared::{EntryRefusal, FailureKind, Port, TrustStore, VerifiedVisa, VerifyError, VisaDraft};
use time::OffsetDateTime;

/// The three verdicts of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Genuine, trusted, and allows entry here and now.
    Valid,
    /// Refused: forged, altered, expired, wrong port…
    Invalid,
    /// Not decidable here: unreadable, unknown key…
    CannotVerify,
}

/// A verdict that is not VALID: the only verdicts a refusal can carry, so a VALID decision can
/// only come from [`Decision::verified`], which needs a verified visa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// INVALID.
    Invalid,
    /// CANNOT VERIFY.
    CannotVerify,
}

/// Why a decision is what it is: one stable machine-readable code per case, written as its
/// `snake_case` name in JSON output and in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A genuine visa allowing this movement.
    Ok,
    /// No text at all.
    Empty,
    /// More text than any e-visa has.
    TooLong,
    /// Text that is not an e-visa code.
    NotAVisa,
    /// An e-visa format this kiosk does not know.
    UnsupportedVersion,
    /// Not valid Base45.
    MalformedText,
    /// The signed envelope is not in its one allowed form.
    MalformedEnvelope,
    /// Signed with another algorithm than EdDSA.
    UnsupportedAlgorithm,
    /// Signed by a key this kiosk does not trust.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// The signed claims are not an e-visa in its one byte form.
    InvalidClaims,
    /// Before the visa's first day.
    NotYetValid,
    /// After the visa's last day.
    Expired,
    /// Not valid at this airport.
    WrongPort,
    /// A single-entry visa already used for entry.
    AlreadyUsed,
    /// The stay went beyond the permitted days (at exit).
    Overstay,
    /// The passport scanned is not the visa holder's.
    PassportMismatch,
    /// The migration service revoked the visa.
    Revoked,
    /// The signing key was revoked.
    RevokedKey,
    /// Issued outside its key's certified period.
    OutsideKeyPeriod,
    /// Valid beyond its key's certificate.
    OutlivesKeyCertificate,
    /// The trust data is too old to decide with.
    TrustTooOld,
    /// The kiosk's clock is behind a moment already recorded.
    ClockSuspicious,
    /// No code could be read from the picture.
    Unreadable,
    /// The passport zone could not be read.
    UnreadablePassport,
    /// The kiosk failed while deciding.
    KioskError,
    /// The decision could not be written to the ledger, so it is not shown as given.
    LedgerUnavailable,
    /// The kiosk is not ready (no trust data or no ledger).
    KioskNotReady,
    /// An entry refusal this kiosk has no own words for (a newer `shared`).
    NotAllowed,
}

/// One field where the passport and the visa disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// `passport_number`, `surname`, `given_names`, `date_of_birth`, `citizenship`, `sex` or
    /// `passport_expiry`.
    pub field: &'static str,
    /// What the visa says.
    pub visa: String,
    /// What the passport says.
    pub passport: String,
}

/// An earlier recorded entry, shown when a visa is refused as used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorUse {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Which kiosk recorded it.
    pub kiosk_id: String,
    /// At which airport.
    pub port: String,
}

/// The stay measured at exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stay {
    /// The Kazakhstan date of the recorded entry, when one is on record.
    pub entered_on: Option<String>,
    /// Days in the country, the day of entry and the day of exit both counted.
    pub days: Option<i64>,
    /// Days the visa permits.
    pub permitted: u16,
}

/// A verdict with its reason, and the visa's data when the signature verified.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The verdict: VALID only with a verified visa and reason `ok`.
    verdict: Verdict,
    /// Why.
    reason: Reason,
    /// The reason in plain words.
    pub message: String,
    /// Fields where the passport scanned disagrees with the visa.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
    /// Whether a passport zone was compared and matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passport_checked: Option<bool>,
    /// The first recorded use, when a visa is refused as already used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_use: Option<PriorUse>,
    /// The stay, at exit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stay: Option<Stay>,
    /// The movement written to the ledger with this decision: `entry` or `exit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<&'static str>,
    /// The verified visa's fields; absent when the signature did not verify.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visa: Option<VisaDraft>,
    /// The signing key's id, when the signature verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip)]
    verified: Option<VerifiedVisa>,
}

impl Decision {
    /// Verifies token text and, if `port` is given, checks entry there at `at`.
    pub fn of_text(text: &str, trust: &TrustStore, port: Option<Port>, at: OffsetDateTime) -> Self {
        let verified = match shared::verify(text, trust) {
            Ok(verified) => verified,
            Err(error) => {
                let verdict = match error.kind() {
                    FailureKind::Invalid => Refusal::Invalid,
                    FailureKind::CannotVerify => Refusal::CannotVerify,
                };
                return Self::refused(verdict, Reason::from(&error), error.to_string());
            }
        };
        let entry = port.map_or(Ok(()), |port| verified.check_entry(port, at));
        let mut decision = Self::verified(verified);
        if let Err(refusal) = entry {
            decision.refuse(Reason::from(&refusal), refusal.to_string());
        }
        decision
    }

    /// A VALID decision for a verified visa, before the kiosk's own rules are applied.
    pub fn verified(verified: VerifiedVisa) -> Self {
        Self {
            verdict: Verdict::Valid,
            reason: Reason::Ok,
            message: "genuine e-visa".to_owned(),
            mismatches: Vec::new(),
            passport_checked: None,
            first_use: None,
            stay: None,
            recorded: None,
            visa: Some(verified.to_draft()),
            kid: Some(verified.kid().to_string()),
            verified: Some(verified),
        }
    }

    /// A decision without a verified visa: never VALID.
    pub fn refused(verdict: Refusal, reason: Reason, message: String) -> Self {
        Self {
            verdict: match verdict {
                Refusal::Invalid => Verdict::Invalid,
                Refusal::CannotVerify => Verdict::CannotVerify,
            },
            reason,
            message,
            mismatches: Vec::new(),
            passport_checked: None,
            first_use: None,
            stay: None,
            recorded: None,
            visa: None,
            kid: None,
            verified: None,
        }
    }

    /// Turns a VALID decision INVALID for `reason`; an earlier refusal stays the one shown.
    pub fn refuse(&mut self, reason: Reason, message: String) {
        if self.verdict == Verdict::Valid {
            self.verdict = Verdict::Invalid;
            self.reason = reason;
            self.message = message;
        }
    }

    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Why.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The verified visa, when the signature verified (even if entry is refused).
    pub fn verified_visa(&self) -> Option<&VerifiedVisa> {
        self.verified.as_ref()
    }
}

impl Reason {
    /// Every reason.
    pub const ALL: [Self; 29] = [
        Self::Ok,
        Self::Empty,
        Self::TooLong,
        Self::NotAVisa,
        Self::UnsupportedVersion,
        Self::MalformedText,
        Self::MalformedEnvelope,
        Self::UnsupportedAlgorithm,
        Self::UnknownKey,
        Self::BadSignature,
        Self::InvalidClaims,
        Self::NotYetValid,
        Self::Expired,
        Self::WrongPort,
        Self::AlreadyUsed,
        Self::Overstay,
        Self::PassportMismatch,
        Self::Revoked,
        Self::RevokedKey,
        Self::OutsideKeyPeriod,
        Self::OutlivesKeyCertificate,
        Self::TrustTooOld,
        Self::ClockSuspicious,
        Self::Unreadable,
        Self::UnreadablePassport,
        Self::KioskError,
        Self::LedgerUnavailable,
        Self::KioskNotReady,
        Self::NotAllowed,
    ];

    /// The stable code, as in JSON output and the ledger.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Empty => "empty",
            Self::TooLong => "too_long",
            Self::NotAVisa => "not_a_visa",
            Self::UnsupportedVersion => "unsupported_version",
            Self::MalformedText => "malformed_text",
            Self::MalformedEnvelope => "malformed_envelope",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::InvalidClaims => "invalid_claims",
            Self::NotYetValid => "not_yet_valid",
            Self::Expired => "expired",
            Self::WrongPort => "wrong_port",
            Self::AlreadyUsed => "already_used",
            Self::Overstay => "overstay",
            Self::PassportMismatch => "passport_mismatch",
            Self::Revoked => "revoked",
            Self::RevokedKey => "revoked_key",
            Self::OutsideKeyPeriod => "outside_key_period",
            Self::OutlivesKeyCertificate => "outlives_key_certificate",
            Self::TrustTooOld => "trust_too_old",
            Self::ClockSuspicious => "clock_suspicious",
            Self::Unreadable => "unreadable",
            Self::UnreadablePassport => "unreadable_passport",
            Self::KioskError => "kiosk_error",
            Self::LedgerUnavailable => "ledger_unavailable",
            Self::KioskNotReady => "kiosk_not_ready",
            Self::NotAllowed => "not_allowed",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl From<&VerifyError> for Reason {
    fn from(error: &VerifyError) -> Self {
        match error {
            VerifyError::Empty => Self::Empty,
            VerifyError::TooLong { .. } => Self::TooLong,
            VerifyError::NotAVisa => Self::NotAVisa,
            VerifyError::UnsupportedVersion(_) => Self::UnsupportedVersion,
            VerifyError::Base45(_) => Self::MalformedText,
            VerifyError::Envelope(_) | VerifyError::Cbor(_) => Self::MalformedEnvelope,
            VerifyError::UnsupportedAlgorithm(_) => Self::UnsupportedAlgorithm,
            VerifyError::UnknownKey(_) => Self::UnknownKey,
            VerifyError::BadSignature => Self::BadSignature,
            // `VerifyError` may grow; whatever else fails after the envelope is the claims'.
            _ => Self::InvalidClaims,
        }
    }
}

impl From<&EntryRefusal> for Reason {
    fn from(refusal: &EntryRefusal) -> Self {
        match refusal {
            EntryRefusal::NotYetValid { .. } => Self::NotYetValid,
            EntryRefusal::Expired { .. } => Self::Expired,
            EntryRefusal::WrongPort { .. } => Self::WrongPort,
            _ => Self::NotAllowed,
        }
    }
}

impl From<&TrustRefusal> for Reason {
    fn from(refusal: &TrustRefusal) -> Self {
        match refusal {
            TrustRefusal::RevokedVisa { .. } => Self::Revoked,
            TrustRefusal::RevokedKey(_) => Self::RevokedKey,
            TrustRefusal::NotCertified(_) => Self::UnknownKey,
            TrustRefusal::IssuedOutsideKeyPeriod(_) => Self::OutsideKeyPeriod,
            TrustRefusal::OutlivesCertificate(_) => Self::OutlivesKeyCertificate,
            // `TrustRefusal` may grow; a refusal by the root-signed data is a revocation.
            _ => Self::Revoked,
        }
    }
}

/// The process exit code for a set of decisions: 0 all valid, 1 any invalid, 2 any that cannot
/// be verified (and none invalid).
pub fn exit_code(decisions: &[Decision]) -> u8 {
    if decisions.iter().any(|d| d.verdict == Verdict::Invalid) {
        1
    } else if decisions.iter().any(|d| d.verdict == Verdict::CannotVerify) {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_own_code_and_serialises_as_it() {
        let codes: std::collections::BTreeSet<&str> =
            Reason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Reason::ALL.len(), "two reasons share a code");
        for reason in Reason::ALL {
            assert_eq!(
                serde_json::to_value(reason).expect("serialises"),
                serde_json::Value::String(reason.code().to_owned())
            );
        }
    }

    #[test]
    fn one_scanner_line_end_is_accepted_and_nothing_else_is_trimmed() {
        let key = shared::IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key"))
            .expect("the dev key reads");
        let json = include_str!("../../shared/tests/vectors/visa.json");
        let draft: VisaDraft = serde_json::from_str(json).expect("JSON");
        let token = shared::sign(&draft.into_visa().expect("a visa"), &key);
        let trust = TrustStore::from_keys([key.public_key()]);
        let at = time::macros::datetime!(2026-12-05 08:00 UTC);
        let reason = |text: &str| Decision::of_text(text, &trust, None, at).reason().code();
        for one_line_end in ["", "\n", "\r", "\r\n"] {
            assert_eq!(reason(&format!("{token}{one_line_end}")), "ok");
        }
        assert_eq!(reason(&format!(" {token}")), "not_a_visa");
        assert_eq!(reason(&format!("{token}\n\n")), "malformed_text");
        assert_eq!(reason(&format!("{token}\r\n\r\n")), "malformed_text");
    }
}
