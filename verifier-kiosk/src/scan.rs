//! From an image file to a verdict. The QR reading pipeline arrives with the kiosk issue; until
//! then an image is decoded with rqrr alone.

use std::path::Path;

use shared::{Port, TrustStore};
use time::OffsetDateTime;

use crate::decision::{Decision, Verdict};

/// Reads the QR code in an image file and verifies it.
pub fn decide_image(
    path: &Path,
    trust: &TrustStore,
    port: Option<Port>,
    at: OffsetDateTime,
) -> Decision {
    Decision::refused(
        Verdict::CannotVerify,
        "unreadable",
        format!(
            "{}: image scanning is not built yet; use --text",
            path.display()
        ),
    )
}
