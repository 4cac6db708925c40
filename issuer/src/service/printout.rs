//! The printout check's transaction-free service: reads what the next trust bundle would carry
//! (revocations, used single-entry visas) and the keys a kiosk trusts, then judges the code as a
//! kiosk would today. Nothing is written and nothing of the code is logged.

use std::sync::Arc;

use anyhow::{Context, Result};

use crate::clock::Clock;
use crate::domain::printout::{Judgement, Known, judge};
use crate::service::issuance::Signer;
use crate::store::{self, Db};

/// Judges a code's text with this issuer's trust data at the clock's now.
pub async fn check_code(
    db: &Db,
    signer: &Arc<dyn Signer>,
    clock: &Clock,
    text: String,
) -> Result<Judgement> {
    let signer = Arc::clone(signer);
    // Reading a key directory touches the disk: a blocking thread, outside the database lock.
    let anchors = tokio::task::spawn_blocking(move || signer.anchors())
        .await
        .context("the key task failed")??;
    let day = shared::bundle::first_listed_day(clock.now());
    let content = db
        .read(move |conn| store::trust::trust_content(conn, day))
        .await?;
    let known = Known {
        revoked_visas: content.revoked_visas,
        revoked_keys: content.revoked_keys,
        used_entries: content.used_entries,
    };
    Ok(judge(&text, &anchors, &known, clock.now()))
}
