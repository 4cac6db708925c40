//! The e-visa issuer: the applicant portal, its JSON API, payment, the PDF printout, and the
//! operator commands (keys, signing). `main.rs` only parses the command line and calls [`cli::run`].

pub mod account;
pub mod api;
pub mod application;
pub mod cli;
pub mod db;
pub mod demo;
pub mod epay;
pub mod i18n;
pub mod invitation;
pub mod issuance;
pub mod keyfile;
pub mod keyring;
pub mod kiosk_registry;
pub mod pdf;
pub mod problem;
pub mod server;
pub mod taxid;
pub mod trust;
pub mod web;

/// The current time as RFC 3339, whole seconds, UTC.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
