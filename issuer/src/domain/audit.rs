//! The audit log's entries and the hash chain that ties each to the one before it, so that an
//! edited, inserted or deleted entry breaks every hash after it (`issuer audit verify`).

use sha2::{Digest, Sha256};

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A back-office officer, by e-mail address.
    Officer(String),
    /// Someone trying to log in to the back office with this identifier (failed log-ins).
    Anonymous(String),
    /// The operator at the server's command line.
    Operator,
}

/// What was done. The name is what the log stores and shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The operator created an officer.
    OfficerAdded,
    /// The operator disabled an officer.
    OfficerDisabled,
    /// An officer finished setting up a password and a second factor.
    OfficerEnrolled,
    /// A supervisor reset an officer's second factor.
    OfficerReset,
    /// A log-in to the back office succeeded.
    LoginSucceeded,
    /// A log-in to the back office failed.
    LoginFailed,
    /// An officer's second factor was locked after too many wrong codes.
    FactorLocked,
    /// An officer logged out.
    LoggedOut,
    /// An inviting party was verified.
    InviterVerified,
    /// An inviting party was rejected.
    InviterRejected,
    /// A verified inviting party was suspended.
    InviterSuspended,
    /// A stop-list entry was added.
    StopListAdded,
    /// A stop-list entry was removed.
    StopListRemoved,
    /// A screened application was approved (and its visa issued).
    ScreeningApproved,
    /// A screened application was refused.
    ScreeningRefused,
    /// A visa was revoked.
    VisaRevoked,
    /// A signing key was revoked.
    KeyRevoked,
    /// A trust bundle was exported.
    BundleExported,
    /// A kiosk's ledger export was imported.
    LedgerImported,
    /// A ledger export was refused (unsigned, unknown or revoked kiosk, altered, forked).
    LedgerRefused,
    /// The audit log was exported.
    AuditExported,
}

impl Action {
    /// The action's name in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::OfficerAdded => "officer.added",
            Action::OfficerDisabled => "officer.disabled",
            Action::OfficerEnrolled => "officer.enrolled",
            Action::OfficerReset => "officer.reset",
            Action::LoginSucceeded => "login.succeeded",
            Action::LoginFailed => "login.failed",
            Action::FactorLocked => "login.factor_locked",
            Action::LoggedOut => "login.logged_out",
            Action::InviterVerified => "inviter.verified",
            Action::InviterRejected => "inviter.rejected",
            Action::InviterSuspended => "inviter.suspended",
            Action::StopListAdded => "stop_list.added",
            Action::StopListRemoved => "stop_list.removed",
            Action::ScreeningApproved => "screening.approved",
            Action::ScreeningRefused => "screening.refused",
            Action::VisaRevoked => "visa.revoked",
            Action::KeyRevoked => "key.revoked",
            Action::BundleExported => "bundle.exported",
            Action::LedgerImported => "ledger.imported",
            Action::LedgerRefused => "ledger.refused",
            Action::AuditExported => "audit.exported",
        }
    }
}

impl Actor {
    /// How the log stores the actor: `officer:<e-mail>`, `anonymous:<identifier>`, `operator`.
    pub fn to_text(&self) -> String {
        match self {
            Actor::Officer(email) => format!("officer:{email}"),
            Actor::Anonymous(identifier) => format!("anonymous:{identifier}"),
            Actor::Operator => "operator".to_owned(),
        }
    }
}

/// An entry as it is appended: everything but its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// Who, as [`Actor::to_text`] wrote it.
    pub actor: String,
    /// What, as [`Action::as_str`] wrote it.
    pub action: String,
    /// On which record (`inviter:180240012342`, `visa:KZ0000012`, `officer:a@b.kz`), or empty.
    pub record: String,
    /// The record's state before, where it applies.
    pub before: Option<String>,
    /// The record's state after, or the reason given, where it applies.
    pub after: Option<String>,
    /// The client's address, when the action came over the web.
    pub address: Option<String>,
}

impl Entry {
    /// A new entry at `at` (RFC 3339) with no before/after and no address.
    pub fn new(at: String, actor: &Actor, action: Action, record: impl Into<String>) -> Self {
        Entry {
            at,
            actor: actor.to_text(),
            action: action.as_str().to_owned(),
            record: record.into(),
            before: None,
            after: None,
            address: None,
        }
    }

    /// Sets the states before and after.
    pub fn change(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// Sets the client's address.
    pub fn from_address(mut self, address: Option<String>) -> Self {
        self.address = address;
        self
    }
}

/// The hash before the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

/// The hash of entry number `seq` chained to the previous entry's hash: SHA-256 over the previous
/// hash, the number and each field length-prefixed (so no two different entries encode alike).
pub fn link(previous: &[u8; 32], seq: i64, entry: &Entry) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"e-visa audit v1");
    hash.update(previous);
    hash.update(seq.to_be_bytes());
    fn optional(value: &Option<String>) -> Option<&[u8]> {
        value.as_deref().map(str::as_bytes)
    }
    for field in [
        Some(entry.at.as_bytes()),
        Some(entry.actor.as_bytes()),
        Some(entry.action.as_bytes()),
        Some(entry.record.as_bytes()),
        optional(&entry.before),
        optional(&entry.after),
        optional(&entry.address),
    ] {
        match field {
            Some(bytes) => {
                hash.update([1]);
                hash.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_be_bytes());
                hash.update(bytes);
            }
            None => hash.update([0]),
        }
    }
    hash.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry::new(
            "2026-11-30T10:00:00Z".into(),
            &Actor::Officer("a@mvd.kz".into()),
            Action::InviterVerified,
            "inviter:180240012342",
        )
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_link() {
        let base = link(&GENESIS, 1, &entry());
        assert_ne!(base, link(&GENESIS, 2, &entry()));
        assert_ne!(base, link(&[1; 32], 1, &entry()));
        let mut other = entry();
        other.record.push('3');
        assert_ne!(base, link(&GENESIS, 1, &other));
        let with_empty = entry().change(Some(String::new()), None);
        assert_ne!(base, link(&GENESIS, 1, &with_empty), "empty is not absent");
        assert_eq!(
            base,
            link(&GENESIS, 1, &entry()),
            "the same entry links alike"
        );
    }
}
