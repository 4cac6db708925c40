//! The e-visa issuer: the applicant portal, its JSON API, payment, the PDF printout, and the
//! operator commands (keys, signing). `main.rs` only parses the command line and calls [`cli::run`].

pub mod cli;
pub mod keyfile;
