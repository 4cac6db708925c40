//! The heart of the e-visa system, shared by the issuer and the border kiosk: what a visa is
//! ([`visa`]), how it is signed into the QR text and verified offline ([`token`]), the keys that
//! sign and verify ([`keys`]), the machine-readable zones ([`mrz`]), the words that label a
//! visa's fields in Kazakh, Russian and English ([`labels`]), the root-signed trust data
//! ([`bundle`]), the registered kiosks ([`kiosk`]) and their signed ledger exports ([`ledger`]).
//!
//! Architecture invariant: this crate is pure. It reads no clock (time is a parameter), no file,
//! no network, and no input makes it panic.

pub mod base45;
pub mod bundle;
pub mod cbor;
pub mod cose;
pub mod country;
pub mod keys;
pub mod kiosk;
pub mod labels;
pub mod ledger;
pub mod mrz;
pub mod token;
pub mod visa;

pub use country::Country;
pub use keys::{IssuerKey, KeyError, Kid, PublicKey, TrustStore};
pub use mrz::{MrzError, PassportMrz, VisaMrz};
pub use token::{EntryRefusal, FailureKind, VerifiedVisa, VerifyError, sign, verify};
pub use visa::{
    Category, Entries, Port, Ports, Sex, Visa, VisaDraft, VisaError, VisaFields, kazakhstan_date,
};
