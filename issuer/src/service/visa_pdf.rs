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
use crate::domain::payment::NoticeOutcome;
use crate::domain::taxid::PartyKind;
use crate::store::visa::{IssuedVisa, StoredPdf};
use crate::store::{self, Db};

/// What draws a visa's printout (the PDF adapter, `pdf::Printout`): computation only, the same
/// inputs always giving the same bytes.
pub trait Printer: Send + Sync + std::fmt::Debug {
    /// The printout of `visa`, whose signed QR text is `token`, with the inviting party as
    /// printed (name and BIN/IIN).
    fn print(&self, visa: &shared::Visa, token: &str, inviter: &str) -> Result<Vec<u8>>;
}

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
pub fn render(printer: &dyn Printer, issued: &IssuedVisa, inviter: &str) -> Result<StoredPdf> {
    let bytes = printer
        .print(&issued.visa, &issued.token, inviter)
        .with_context(|| format!("rendering the printout of {}", issued.number))?;
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
async fn render_off_thread(
    printer: &'static dyn Printer,
    issued: IssuedVisa,
    inviter: String,
) -> Result<StoredPdf> {
    let _permit = renders()
        .acquire()
        .await
        .map_err(|_| anyhow!("the render pool is closed"))?;
    tokio::task::spawn_blocking(move || render(printer, &issued, &inviter))
        .await
        .map_err(|e| anyhow!("the printout task failed: {e}"))?
}

/// Renders an issued visa's printout and stores it in the writer's next group commit; gives the
/// stored printout (the one stored first, if two were made at once).
pub async fn make(
    db: &Db,
    clock: &Clock,
    printer: &'static dyn Printer,
    app: &Application,
    issued: IssuedVisa,
) -> Result<StoredPdf> {
    let number = issued.number.clone();
    let pdf = render_off_thread(printer, issued, inviter_line(app)).await?;
    let now = clock.rfc3339();
    db.write(move |conn| store::visa::store_pdf(conn, &number, &pdf, &now))
        .await
}

/// Right after an application's visa was issued: makes and stores its printout, so that the
/// first download is read from storage. Gives the visa number, or `None` if the application has
/// no visa (held for an officer, refused).
pub async fn after_issue(
    db: &Db,
    clock: &Clock,
    printer: &'static dyn Printer,
    application_id: &str,
) -> Result<Option<String>> {
    let id = application_id.to_owned();
    let found = db
        .read(move |conn| {
            let Some(user) = store::application::owner_of(conn, &id)? else {
                return Ok(None);
            };
            let app = store::application::application_of(conn, &id, user)?;
            let issued = store::visa::visa_of(conn, &id, user)?;
            Ok(app.zip(issued))
        })
        .await?;
    let Some((app, issued)) = found else {
        return Ok(None);
    };
    let number = issued.number.clone();
    make(db, clock, printer, &app, issued).await?;
    Ok(Some(number))
}

/// After a payment notice was settled ([`super::issuance::settle`]): if it paid an application,
/// makes and stores its visa's printout before the notice is answered. Never fails: the visa is
/// durable already, and a printout that could not be stored is made on its first download.
pub async fn after_notice(
    db: &Db,
    clock: &Clock,
    printer: &'static dyn Printer,
    outcome: &NoticeOutcome,
) {
    let NoticeOutcome::Paid(application) = outcome else {
        return;
    };
    // One payment may pay for a group: each person's visa gets its printout.
    let id = application.clone();
    let together = match db
        .read(move |conn| store::group::settled_together(conn, &id))
        .await
    {
        Ok(together) => together,
        Err(_) => vec![application.clone()],
    };
    for application in &together {
        if let Err(error) = after_issue(db, clock, printer, application).await {
            tracing::warn!(
                application,
                error = format!("{error:#}"),
                "the printout was not stored at issuance; the first download makes it"
            );
        }
    }
}
