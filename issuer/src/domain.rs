//! The issuer's domain: typed values and the rules between them (accounts, inviting parties and
//! invitations, applications, tax ids, fees, payment states, the visa a paid application gets,
//! the problems a form can have, why a kiosk's ledger export is refused). Parsed once at the boundary, used everywhere as types.
//!
//! Architecture Invariant: no IO, no axum, no SQL, no tracing and no clock reads here; "now" is
//! always a parameter (the layering test in `tests/issuer/layers.rs` keeps it so).

pub mod account;
pub mod application;
pub mod audit;
pub mod fees;
pub mod group;
pub mod invitation;
pub mod inviter;
pub mod issuance;
pub mod kiosk;
pub mod mail;
pub mod office;
pub mod officer;
pub mod payment;
pub mod printout;
pub mod problem;
pub mod screening;
pub mod script;
pub mod statistics;
pub mod taxid;
pub mod totp;
