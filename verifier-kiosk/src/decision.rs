//! From token text to a verdict: the one place that turns verification results into what the
//! officer (or a script) is told.

use serde::Serialize;
use shared::{FailureKind, Port, TrustStore, VerifiedVisa, VisaDraft};
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
    /// The verdict.
    pub verdict: Verdict,
    /// A stable machine-readable reason (`ok` when valid).
    pub reason: &'static str,
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
                    FailureKind::Invalid => Verdict::Invalid,
                    FailureKind::CannotVerify => Verdict::CannotVerify,
                };
                return Self::refused(verdict, error.code(), error.to_string());
            }
        };
        let entry = port.map_or(Ok(()), |port| verified.check_entry(port, at));
        let mut decision = Self::verified(verified);
        if let Err(refusal) = entry {
            decision.refuse(refusal.code(), refusal.to_string());
        }
        decision
    }

    /// A VALID decision for a verified visa, before the kiosk's own rules are applied.
    pub fn verified(verified: VerifiedVisa) -> Self {
        Self {
            verdict: Verdict::Valid,
            reason: "ok",
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

    /// A decision without a verified visa.
    pub fn refused(verdict: Verdict, reason: &'static str, message: String) -> Self {
        Self {
            verdict,
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
    pub fn refuse(&mut self, reason: &'static str, message: String) {
        if self.verdict == Verdict::Valid {
            self.verdict = Verdict::Invalid;
            self.reason = reason;
            self.message = message;
        }
    }

    /// The verified visa, when the signature verified (even if entry is refused).
    pub fn verified_visa(&self) -> Option<&VerifiedVisa> {
        self.verified.as_ref()
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
    fn one_scanner_line_end_is_accepted_and_nothing_else_is_trimmed() {
        let key = shared::IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key"))
            .expect("the dev key reads");
        let json = include_str!("../../shared/tests/vectors/visa.json");
        let draft: VisaDraft = serde_json::from_str(json).expect("JSON");
        let token = shared::sign(&draft.into_visa().expect("a visa"), &key);
        let trust = TrustStore::from_keys([key.public_key()]);
        let at = time::macros::datetime!(2026-12-05 08:00 UTC);
        let reason = |text: &str| Decision::of_text(text, &trust, None, at).reason;
        for one_line_end in ["", "\n", "\r", "\r\n"] {
            assert_eq!(reason(&format!("{token}{one_line_end}")), "ok");
        }
        assert_eq!(reason(&format!(" {token}")), "not_a_visa");
        assert_eq!(reason(&format!("{token}\n\n")), "malformed_text");
        assert_eq!(reason(&format!("{token}\r\n\r\n")), "malformed_text");
    }
}
