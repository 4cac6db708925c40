//! The migration service's officers: the three roles and what each may do. Every `/office` route
//! and every operator action asks [`Role::may`] on the server; nothing is hidden only in a menu.

/// An officer's role, given by the operator when the officer is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Verifies inviting parties, works the screening queue, revokes visas, uploads kiosk ledgers.
    Officer,
    /// An officer who also manages the signing keys and the trust bundle and resets officers.
    Supervisor,
    /// Reads the audit log and the statistics; changes nothing.
    Auditor,
}

/// One thing an officer can do in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Duty {
    /// Verify, reject or suspend inviting parties.
    Inviters,
    /// Approve or refuse screened applications; manage the stop-list.
    Screening,
    /// Revoke an issued visa.
    RevokeVisa,
    /// Upload a kiosk's signed ledger export; see the registered kiosks.
    Ledgers,
    /// See the signing keys and their certificate periods.
    Keys,
    /// Revoke a signing key.
    RevokeKey,
    /// Export the next trust bundle.
    ExportBundle,
    /// Reset another officer's second factor.
    ResetOfficers,
    /// Page through and export the audit log.
    ReadAudit,
    /// See the statistics.
    ReadStatistics,
}

impl Role {
    /// Every role, in the order the pages list them.
    pub const ALL: [Role; 3] = [Role::Officer, Role::Supervisor, Role::Auditor];

    /// The role's name in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Auditor => "auditor",
        }
    }

    /// Reads a role's name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether an officer with this role may do `duty`.
    ///
    /// Auditors read only; the audit log is read by auditors alone, so the people it records do
    /// not also review it.
    pub fn may(self, duty: Duty) -> bool {
        use Duty::*;
        match self {
            Role::Officer => matches!(duty, Inviters | Screening | RevokeVisa | Ledgers),
            Role::Supervisor => !matches!(duty, ReadAudit),
            Role::Auditor => matches!(duty, ReadAudit | ReadStatistics),
        }
    }
}

/// An officer who holds a live back-office session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    /// The officer's row id.
    pub id: i64,
    /// The officer's e-mail address, which is also the log-in name.
    pub email: String,
    /// The officer's role.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_the_matrix_holds() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Officer.may(Duty::Inviters));
        assert!(!Role::Officer.may(Duty::RevokeKey));
        assert!(!Role::Officer.may(Duty::ReadAudit));
        assert!(Role::Supervisor.may(Duty::RevokeKey));
        assert!(Role::Supervisor.may(Duty::Screening));
        assert!(!Role::Supervisor.may(Duty::ReadAudit));
        assert!(Role::Auditor.may(Duty::ReadAudit));
        assert!(!Role::Auditor.may(Duty::RevokeVisa));
        assert!(!Role::Auditor.may(Duty::Inviters));
    }
}
