//! The border kiosk: reads e-visa codes, verifies them offline against trusted keys, checks the
//! passport, decides and records. `main.rs` only parses the command line; the window (`app`) and
//! the headless commands (`cli`) live here over the same core (`kiosk`, `scan`, `ledger`).

pub mod app;
pub mod camera;
pub mod cli;
pub mod config;
pub mod decision;
pub mod i18n;
pub mod identity;
pub mod kiosk;
pub mod ledger;
pub mod passport;
pub mod trust;
pub mod worker;

/// The picture pipeline (image → QR texts), shared with the issuer's printout check: the kiosk
/// reads it as `verifier_kiosk::scan` as before.
pub use ::scan;
