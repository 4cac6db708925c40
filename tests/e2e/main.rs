//! The end-to-end test binary: the real `issuer`, `epay-sandbox` and `verifier-kiosk` programs,
//! started on loopback ports with fresh data and driven as their users would drive them.
//!
//! - `payment`: an applicant signs up, applies with an invitation, pays (card, e-wallet, mobile
//!   balance, a declined card, a pending card), downloads the PDF, and the printout, photographed
//!   badly, is checked and recorded at the border once;
//! - `mail`: the issuer with a real SMTP server: the address confirmed, a password reset, the
//!   applicant told of the payment, the visa and its revocation in Russian;
//! - `trust`: the migration officer rotates the signing key, revokes a visa, exports trust
//!   bundles and imports kiosk ledgers; kiosks enforce all of it offline.
//!
//! - `shutdown`: the load balancer's probes and a graceful shutdown on SIGTERM;
//! - `instances`: two issuers on one PostgreSQL, one killed and restarted mid-storm;
//! - `outage`: the PostgreSQL server stopped and started again under a paying applicant.
//!
//! Run with `cargo test -p tests` (needs `pdftoppm` from poppler-utils).

mod instances;
mod mail;
mod outage;
mod payment;
mod shutdown;
mod trust;
