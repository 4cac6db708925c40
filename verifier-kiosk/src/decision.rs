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

/// A verdict with its reason, and the visa's data when the signature verified.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The verdict.
    pub verdict: Verdict,
    /// A stable machine-readable reason (`ok` when valid).
    pub reason: &'static str,
    /// The reason in plain words.
    pub message: String,
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
        let (verdict, reason, message) = match entry {
            Ok(()) => (Verdict::Valid, "ok", "genuine e-visa".to_owned()),
            Err(refusal) => (Verdict::Invalid, refusal.code(), refusal.to_string()),
        };
        Self {
            verdict,
            reason,
            message,
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
            visa: None,
            kid: None,
            verified: None,
        }
    }

    /// The verified visa, when the signature verified (even if entry is refused).
    pub fn verified(&self) -> Option<&VerifiedVisa> {
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
