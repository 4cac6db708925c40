//! The e-pay gateway contract (docs/epay-gateway.md) as one crate both sides compile against: the
//! merchant (the issuer) and the gateway (the sandbox). It holds the HMAC signature scheme
//! ([`signature`]), the JSON bodies on the wire ([`wire`]) and the payment's life
//! ([`PaymentStatus`], [`PaymentMethod`]) and the payer's language ([`Lang`]), so the two sides
//! cannot drift apart again.
//!
//! Pure: no IO, no clock (the receiver's `now` is a parameter), no panic on any input. With the
//! `rusqlite` feature the status and method can be stored in SQLite as their wire names.

pub mod lang;
pub mod signature;
pub mod status;
pub mod wire;

pub use lang::Lang;
pub use signature::{Secrets, SecretsError, SignatureError};
pub use status::{PaymentMethod, PaymentStatus, UnknownName};
pub use wire::{ApiError, CreatePayment, PaymentCreated, PaymentNotice};
