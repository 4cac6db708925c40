//! The service layer: the issuer's transaction boundaries. Each function here is one thing a
//! user or the operator does that must happen completely or not at all (create an account, log
//! in, settle a payment and issue its visa exactly once, seed the demo data); it reads the clock
//! it is given, calls the store inside one transaction, and logs the outcome once.

pub mod account;
pub mod demo;
pub mod hasher;
pub mod inviter;
pub mod issuance;
pub mod kiosk;
pub mod notify;
pub mod officer;
pub mod printout;
pub mod recovery;
pub mod screening;
pub mod signup;
pub mod throttle;
pub mod trust;
pub mod visa_pdf;
