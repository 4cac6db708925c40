//! The e-visa issuer: the applicant portal, its JSON API, payment, the PDF printout, and the
//! operator commands (keys, signing, trust). `main.rs` only parses the command line and calls
//! [`ops::run`].
//!
//! The crate is layered (ARCHITECTURE.md): [`domain`] (typed values and rules) ← [`store`] (SQL)
//! ← [`service`] (transaction boundaries) ← adapters ([`web`], [`ops`], [`epay`], [`pdf`],
//! [`keys`], [`mail`]), with [`server`] wiring them together. [`clock`], [`ids`] and [`i18n`] are leaves
//! every layer above the domain may use.

pub mod clock;
pub mod domain;
pub mod epay;
pub mod i18n;
pub mod ids;
pub mod keys;
pub mod mail;
pub mod ops;
pub mod pdf;
pub mod server;
pub mod service;
pub mod store;
pub mod web;
