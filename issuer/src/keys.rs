//! Key files and key directories on disk: the issuer's signing keys, their root certificates,
//! and the [`Signer`](crate::service::issuance::Signer) that reads a directory before each
//! signing transaction.

pub mod keyfile;
pub mod keyring;
