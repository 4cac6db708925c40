//! Border kiosks as the trust chain knows them: a kiosk id, the airport it stands at and its own
//! Ed25519 public key. The migration service registers kiosks; the root-signed trust bundle
//! carries the registered, unrevoked ones, so a kiosk can tell which ledger exports to believe.

use std::fmt;

use crate::keys::{Kid, PublicKey};
use crate::visa::Port;

/// The longest kiosk id, in bytes.
pub const MAX_KIOSK_ID_BYTES: usize = 64;

/// A kiosk's id, like `NQZ-01`: 1–64 of `A-Z 0-9 -`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KioskId(String);

/// A kiosk the migration service registered: who it is, where it stands, which key it signs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredKiosk {
    /// The kiosk's id.
    pub id: KioskId,
    /// Its airport.
    pub port: Port,
    /// The public half of the key the kiosk made for itself.
    pub key: PublicKey,
}

/// Why text is not a kiosk id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KioskIdError {
    /// Nothing given.
    #[error("a kiosk id is required")]
    Empty,
    /// Longer than [`MAX_KIOSK_ID_BYTES`].
    #[error("a kiosk id has at most {MAX_KIOSK_ID_BYTES} characters")]
    TooLong,
    /// A character other than `A-Z 0-9 -`, or a leading hyphen.
    #[error("a kiosk id has capital Latin letters, digits and hyphens, like NQZ-01")]
    Format,
}

impl KioskId {
    /// Parses an id exactly as given: nothing is trimmed or raised to upper case, because the id is
    /// part of signed records and has one spelling only.
    pub fn parse(text: &str) -> Result<Self, KioskIdError> {
        if text.is_empty() {
            return Err(KioskIdError::Empty);
        }
        if text.len() > MAX_KIOSK_ID_BYTES {
            return Err(KioskIdError::TooLong);
        }
        let allowed = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-';
        if !text.bytes().all(allowed) || text.starts_with('-') {
            return Err(KioskIdError::Format);
        }
        Ok(Self(text.to_owned()))
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KioskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl RegisteredKiosk {
    /// The key id of the kiosk's key.
    pub fn kid(&self) -> Kid {
        self.key.kid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosk_ids_have_one_spelling() {
        assert_eq!(
            KioskId::parse("NQZ-01").map(|k| k.to_string()),
            Ok("NQZ-01".to_owned())
        );
        assert_eq!(KioskId::parse(""), Err(KioskIdError::Empty));
        assert_eq!(KioskId::parse("nqz-01"), Err(KioskIdError::Format));
        assert_eq!(KioskId::parse(" NQZ-01"), Err(KioskIdError::Format));
        assert_eq!(KioskId::parse("-NQZ"), Err(KioskIdError::Format));
        assert_eq!(KioskId::parse("NOT A KIOSK"), Err(KioskIdError::Format));
        assert_eq!(KioskId::parse(&"A".repeat(65)), Err(KioskIdError::TooLong));
    }
}
