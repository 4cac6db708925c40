//! Helpers for the end-to-end tests in `e2e/`: they start the real `issuer`, `epay-sandbox` and
//! `verifier-kiosk` binaries and drive them the way an applicant's browser, a migration officer's
//! shell and a border kiosk would. Everything here fails with a message that says which step of
//! the user's flow broke, never with a bare panic.
//!
//! - [`binaries`]: where the three programs are, built once per test run if needed;
//! - [`portal`]: the issuer and its sandbox gateway as child processes on loopback ports, and the
//!   operator's `issuer` commands against the same data directory;
//! - [`browser`]: an HTTP client with cookies, CSRF tokens and visible redirects;
//! - [`applicant`]: the applicant's steps on the portal and the gateway pages;
//! - [`printout`]: the PDF rasterised with `pdftoppm`, then photographed badly;
//! - [`kiosk`]: the headless kiosk commands and their JSON verdicts;
//! - [`passport`]: the traveller's passport zone, as a passport reader types it;
//! - [`mail`]: the applicant's mailbox (a real SMTP server, or the issuer's outbox folder).

pub mod applicant;
pub mod balancer;
pub mod binaries;
pub mod browser;
pub mod kiosk;
pub mod mail;
pub mod passport;
pub mod portal;
pub mod postgres;
pub mod printout;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Polls `probe` until it returns `Some`, at most for `limit`, a short pause between tries; the
/// error names `what` was awaited. Tests wait for observable states, never for fixed times.
pub fn wait_for<T>(
    what: &str,
    limit: Duration,
    mut probe: impl FnMut() -> Result<Option<T>>,
) -> Result<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe()? {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            bail!("gave up after {limit:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A fresh temporary directory named `PREFIX…`, removed when dropped unless `E2E_KEEP` is set
/// (then its path is printed, to look at the pages, pictures and logs of a failed run).
pub fn scratch_dir(prefix: &str) -> Result<tempfile::TempDir> {
    let mut dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .context("making a temporary directory")?;
    if std::env::var_os("E2E_KEEP").is_some() {
        dir.disable_cleanup(true);
        println!("E2E_KEEP: keeping {}", dir.path().display());
    }
    Ok(dir)
}

/// Today's date in Kazakhstan (UTC+5), the portal's calendar.
pub fn kazakhstan_today() -> time::Date {
    time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+5))
        .date()
}

/// An instant as RFC 3339 in UTC, as the command lines take it.
pub fn rfc3339(at: time::OffsetDateTime) -> Result<String> {
    Ok(at
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)?
        .format(&time::format_description::well_known::Rfc3339)?)
}
