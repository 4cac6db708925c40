//! The kiosk's integration tests, one binary: the reading pipeline on rendered printouts and
//! photos, hostile pictures, the headless CLI end to end, kiosk identities and signed ledger
//! exchange, and the window driven by its labels.

mod bundle;
mod cli;
mod exchange;
mod hostile;
mod pipeline;
mod render;
mod sweep;
mod ui;

use shared::{IssuerKey, VisaDraft};

/// The development issuer key the sample vectors are signed with.
pub fn issuer() -> IssuerKey {
    IssuerKey::from_pkcs8_pem(include_str!("../../../keys/dev-issuer.key")).expect("dev key")
}

/// A token for the sample visa (valid 2026-12-01 to 2027-01-29 at NQZ and ALA, single entry,
/// 30 days), after `edit`.
pub fn token(edit: impl FnOnce(&mut VisaDraft)) -> String {
    let json = include_str!("../../../shared/tests/vectors/visa.json");
    let mut draft: VisaDraft = serde_json::from_str(json).expect("JSON");
    edit(&mut draft);
    shared::sign(&draft.into_visa().expect("a visa"), &issuer())
}

/// The repository's `keys/dev-trust/` folder (the development issuer key only), the kiosk's trust
/// directory in tests.
pub fn trust_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../keys/dev-trust")
}

/// A day inside the sample visa's validity.
pub const DURING: &str = "2026-12-05T10:00:00+05:00";
