//! Whether an inviting party may invite: every new party is pending until an officer has checked
//! its registration documents and verified it (its name as verified is what a visa prints), or
//! rejected it; a verified party can be suspended. Only a verified party's invitations work.

use shared::visa::FieldError;

use super::audit::Action;
use super::invitation::{Inviter, parse_text};

/// The longest reason an officer or the operator may give for a decision.
pub const MAX_REASON_CHARS: usize = 200;

/// Where an inviting party stands with the migration service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviterState {
    /// Registered, not yet checked by an officer: its invitations do not work.
    Pending,
    /// Checked and verified: its invitations work.
    Verified,
    /// Checked and refused, with a reason.
    Rejected,
    /// Was verified, then suspended with a reason: its open invitations stop working.
    Suspended,
}

/// What an officer (or the operator) decides about an inviting party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Verify a pending (or reinstate a suspended) party; its current name is frozen as verified.
    Verify,
    /// Reject a pending party (a reason is required).
    Reject,
    /// Suspend a verified party (a reason is required).
    Suspend,
}

/// An inviting party as the back office reviews it: what was submitted, by whom, and the last
/// decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The party as submitted, with its state.
    pub inviter: Inviter,
    /// The e-mail of the account that registered it, if it came through the portal.
    pub email: Option<String>,
    /// When it was registered (RFC 3339).
    pub submitted_at: String,
    /// The reason of the last rejection or suspension.
    pub reason: Option<String>,
    /// Who made the last decision (as the audit log names actors).
    pub decided_by: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
}

impl InviterState {
    /// Every state, in the order the back office lists them.
    pub const ALL: [InviterState; 4] = [
        InviterState::Pending,
        InviterState::Verified,
        InviterState::Rejected,
        InviterState::Suspended,
    ];

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// Whether the party's invitations can be used.
    pub fn may_invite(self) -> bool {
        self == Self::Verified
    }
}

impl Decision {
    /// The state the decision leads to from `from`, or `None` when it does not apply there
    /// (verifying a verified party, rejecting a verified one, suspending one that is not verified).
    pub fn from(self, from: InviterState) -> Option<InviterState> {
        use InviterState::{Pending, Rejected, Suspended, Verified};
        match (self, from) {
            (Self::Verify, Pending | Suspended) => Some(Verified),
            (Self::Reject, Pending) => Some(Rejected),
            (Self::Suspend, Verified) => Some(Suspended),
            _ => None,
        }
    }

    /// Whether the decision needs a reason.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Self::Verify)
    }

    /// How the audit log names it.
    pub fn action(self) -> Action {
        match self {
            Self::Verify => Action::InviterVerified,
            Self::Reject => Action::InviterRejected,
            Self::Suspend => Action::InviterSuspended,
        }
    }

    /// Parses the name a form or a command line gives.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "verify" => Some(Self::Verify),
            "reject" => Some(Self::Reject),
            "suspend" => Some(Self::Suspend),
            _ => None,
        }
    }
}

/// Parses a decision's reason: one line of plain text, required, at most [`MAX_REASON_CHARS`].
pub fn parse_reason(text: &str) -> Result<String, FieldError> {
    parse_text(text, MAX_REASON_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use InviterState::{Pending, Rejected, Suspended, Verified};

    #[test]
    fn only_a_verified_party_may_invite() {
        let may: Vec<_> = InviterState::ALL
            .into_iter()
            .filter(|s| s.may_invite())
            .collect();
        assert_eq!(may, [Verified]);
    }

    #[test]
    fn decisions_apply_only_where_the_lifecycle_allows_them() {
        let cases = [
            (Decision::Verify, Pending, Some(Verified)),
            (Decision::Verify, Suspended, Some(Verified)),
            (Decision::Verify, Verified, None),
            (Decision::Verify, Rejected, None),
            (Decision::Reject, Pending, Some(Rejected)),
            (Decision::Reject, Verified, None),
            (Decision::Reject, Rejected, None),
            (Decision::Suspend, Verified, Some(Suspended)),
            (Decision::Suspend, Pending, None),
            (Decision::Suspend, Suspended, None),
        ];
        for (decision, from, to) in cases {
            assert_eq!(decision.from(from), to, "{decision:?} from {from:?}");
        }
    }

    #[test]
    fn states_round_trip_through_their_stored_names() {
        for state in InviterState::ALL {
            assert_eq!(InviterState::parse(state.as_str()), Some(state));
        }
        assert_eq!(InviterState::parse("approved"), None);
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(parse_reason("  "), Err(FieldError::Missing));
        assert_eq!(
            parse_reason("documents  do not match"),
            Ok("documents do not match".to_owned())
        );
        assert!(parse_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(Decision::Reject.needs_reason() && !Decision::Verify.needs_reason());
    }
}
