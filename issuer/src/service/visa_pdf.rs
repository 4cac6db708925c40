//! The visa's printout, made once: rendered right after the issuing commit (or, if that did not
//! happen, on the first download), stored with its SHA-256 and served from storage afterwards.
//!
//! Rendering is CPU work of a few milliseconds, so it never runs on the database's writer thread
//! nor on the runtime's workers: it runs on blocking threads, at most one per core at a time
//! (more would only make the renders that are already running slower and hold more memory).
//! Storing it is a grouped write ([`Db::write`]): many printouts share one durable commit.
//!
//! Why this keeps the guarantees: the visa itself is committed first, by the issuance; the
//! printout is derived from what was committed. A crash between the two leaves an issued visa
//! without a stored printout, which the first download renders and stores (the same visa renders
//! to the same bytes). Once stored, a printout is never replaced: the first one stored wins.

use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::domain::application::Application;
use crate::domain::taxid::PartyKind;
use crate::store::visa::{IssuedVisa, StoredPdf};
use crate::store::{self, Db};

/// The inviting party as printed on the visa.
pub fn inviter_line(app: &Application) -> String {
    let inviter = &app.invitation.inviter;
    let kind = match inviter.kind {
        PartyKind::Organisation => "BIN",
        PartyKind::Individual => "IIN",
    };
    format!("{}, {kind} {}", inviter.shown_name(), inviter.tax_id)
}

/// Renders a visa's printout and its SHA-256 (CPU only; call it off the runtime's workers).
pub fn render(issued: &IssuedVisa, inviter: &str) -> Result<StoredPdf> {
    let bytes = crate::pdf::render(&issued.visa, &issued.token, Some(inviter))
        .map_err(|e| anyhow!("rendering the printout of {}: {e}", issued.number))?;
    Ok(StoredPdf {
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
    })
}

/// The renders that may run at once: one per core.
fn renders() -> &'static Semaphore {
    static RENDERS: OnceLock<Semaphore> = OnceLock::new();
    RENDERS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    })
}

/// Renders on a blocking thread, waiting (without holding a thread) for a free core first.
async fn render_off_thread(issued: IssuedVisa, inviter: String) -> Result<StoredPdf> {
    let _permit = renders()
        .acquire()
        .await
        .map_err(|_| anyhow!("the render pool is closed"))?;
    tokio::task::spawn_blocking(move || render(&issued, &inviter))
        .await
        .map_err(|e| anyhow!("the printout task failed: {e}"))?
}

/// Renders an issued visa's printout and stores it in the writer's next group commit; gives the
/// stored printout (the one stored first, if two were made at once).
pub async fn make(
    db: &Db,
    clock: &Clock,
    app: &Application,
    issued: IssuedVisa,
) -> Result<StoredPdf> {
    let number = issued.number.clone();
    let pdf = render_off_thread(issued, inviter_line(app)).await?;
    let now = clock.rfc3339();
    db.write(move |conn| store::visa::store_pdf(conn, &number, &pdf, &now))
        .await
}

/// Right after an application's visa was issued: makes and stores its printout, so that the
/// first download is read from storage. Gives the visa number and whether it was stored.
pub async fn after_issue(db: &Db, clock: &Clock, application_id: &str) -> Result<String> {
    let id = application_id.to_owned();
    let (app, issued) = db
        .read(move |conn| {
            let Some(user) = store::application::owner_of(conn, &id)? else {
                return Ok(None);
            };
            let app = store::application::application_of(conn, &id, user)?;
            let issued = store::visa::visa_of(conn, &id, user)?;
            Ok(app.zip(issued))
        })
        .await?
        .with_context(|| format!("the issued visa of application {application_id}"))?;
    let number = issued.number.clone();
    make(db, clock, &app, issued).await?;
    Ok(number)
}
