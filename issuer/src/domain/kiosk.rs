//! Why the issuer refuses a kiosk's ledger export, and what an accepted one added. The checks
//! themselves are `shared::ledger::open_export` (signature, signer, records) and the store's chain
//! comparison (`store/kiosk.rs`); `docs/ledger-exchange.md` is the specification.

use shared::ledger::ExchangeError;

/// What an accepted import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChainImport {
    /// Records new to the issuer.
    pub new: usize,
    /// Records it already held.
    pub known: usize,
    /// New entries on single-entry visas, for the next bundle.
    pub entries: usize,
}

/// Why an export was refused. A refused file changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportRefusal {
    /// The signature, signer or records do not hold.
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    /// Signed by a kiosk the migration service revoked.
    #[error(
        "the export is signed by kiosk {id}, revoked on {at} ({reason}); its records are not believed"
    )]
    RevokedKiosk {
        /// The kiosk.
        id: String,
        /// When it was revoked.
        at: String,
        /// Why.
        reason: String,
    },
    /// Another record at a position the issuer already holds: a second history of the kiosk.
    #[error(
        "record {kiosk_id}#{seq} differs from the one already imported (hash {offered} instead of {held}): \
         the chain was forked, evidence of tampering"
    )]
    Fork {
        /// Kiosk.
        kiosk_id: String,
        /// Position.
        seq: i64,
        /// The hash held.
        held: String,
        /// The hash offered.
        offered: String,
    },
    /// The export's first new record does not follow what the issuer holds of the kiosk.
    #[error(
        "record {kiosk_id}#{seq} does not continue the records of that kiosk imported so far; export the kiosk's whole ledger"
    )]
    Discontinuous {
        /// Kiosk.
        kiosk_id: String,
        /// Position.
        seq: i64,
    },
}
