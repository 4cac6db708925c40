//! The message signature both sides of the e-pay contract use (docs/epay-gateway.md, "Signing"):
//! `X-Epay-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, with the timestamp in
//! `X-Epay-Timestamp` and the merchant id in `X-Epay-Merchant`.
//!
//! This module is the one part of the sandbox the merchant side (the issuer) may use: it has no
//! state and reads no clock (`now` is a parameter), so it means the same on both sides.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The header naming the merchant.
pub const MERCHANT_HEADER: &str = "x-epay-merchant";
/// The header with the signing time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-epay-timestamp";
/// The header with the signature(s).
pub const SIGNATURE_HEADER: &str = "x-epay-signature";

/// How far, in seconds, a message's timestamp may be from the receiver's clock.
pub const MAX_SKEW_SECONDS: i64 = 300;

/// The longest signature header accepted (a handful of `v1=` entries), so a hostile header
/// cannot make the receiver compute many MACs.
const MAX_SIGNATURE_HEADER: usize = 1024;

/// Why a message's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A signing header is absent.
    #[error("the {0} header is missing")]
    Missing(&'static str),
    /// The timestamp is not a whole number of seconds.
    #[error("the timestamp is not a number of seconds")]
    BadTimestamp,
    /// The timestamp is too far from the receiver's clock (a replay, or a wrong clock).
    #[error("the timestamp is {skew} s from the receiver's clock (at most {MAX_SKEW_SECONDS} s)")]
    Stale {
        /// Seconds between the timestamp and the receiver's clock.
        skew: i64,
    },
    /// The header is not a list of `v1=<64 hex digits>` entries.
    #[error("the signature header is malformed")]
    Malformed,
    /// No entry matches any of the receiver's secrets.
    #[error("the signature does not match")]
    Mismatch,
    /// The merchant id is not the expected one.
    #[error("unknown merchant")]
    WrongMerchant,
}

/// The signature header value for `body` signed at `timestamp` with `secret`: `v1=<hex>`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!("v1={}", hex::encode(mac(secret, timestamp, body)))
}

/// The three headers of a signed message, signed with the first secret, as (name, value) pairs.
/// With no secret the signature entry is empty (and will be refused).
pub fn headers(
    merchant: &str,
    secrets: &[impl AsRef<[u8]>],
    timestamp: i64,
    body: &[u8],
) -> [(&'static str, String); 3] {
    let signature = secrets
        .first()
        .map(|secret| sign(secret.as_ref(), timestamp, body))
        .unwrap_or_default();
    [
        (MERCHANT_HEADER, merchant.to_owned()),
        (TIMESTAMP_HEADER, timestamp.to_string()),
        (SIGNATURE_HEADER, signature),
    ]
}

/// Checks a message: its timestamp header within [`MAX_SKEW_SECONDS`] of `now` (Unix seconds),
/// and at least one `v1=` entry of its signature header matching `body` under any of
/// `secrets`, compared in constant time.
pub fn verify(
    secrets: &[impl AsRef<[u8]>],
    timestamp: &str,
    body: &[u8],
    signature: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let timestamp = parse_timestamp(timestamp)?;
    let skew = now.saturating_sub(timestamp).saturating_abs();
    if skew > MAX_SKEW_SECONDS {
        return Err(SignatureError::Stale { skew });
    }
    if signature.len() > MAX_SIGNATURE_HEADER {
        return Err(SignatureError::Malformed);
    }
    let mut candidates = Vec::new();
    for entry in signature.split(',') {
        let entry = entry.trim();
        let Some(hex_mac) = entry.strip_prefix("v1=") else {
            // Entries of other versions are skipped, so a later scheme can be added beside v1.
            if entry.contains('=') {
                continue;
            }
            return Err(SignatureError::Malformed);
        };
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_mac, &mut bytes).map_err(|_| SignatureError::Malformed)?;
        candidates.push(bytes);
    }
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let mut matched = subtle::Choice::from(0);
    for secret in secrets {
        let expected = mac(secret.as_ref(), timestamp, body);
        for candidate in &candidates {
            matched |= expected.ct_eq(candidate);
        }
    }
    if bool::from(matched) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Checks the merchant header against the expected id, in constant time.
pub fn check_merchant(expected: &str, given: &str) -> Result<(), SignatureError> {
    if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(SignatureError::WrongMerchant)
    }
}

fn parse_timestamp(text: &str) -> Result<i64, SignatureError> {
    let text = text.trim();
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::BadTimestamp);
    }
    text.parse().map_err(|_| SignatureError::BadTimestamp)
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return [0; 32];
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000;

    #[test]
    fn a_signature_verifies_with_the_same_secret_and_not_with_another() {
        let header = sign(b"one", NOW, b"{}");
        assert_eq!(
            verify(&["one"], &NOW.to_string(), b"{}", &header, NOW),
            Ok(())
        );
        assert_eq!(
            verify(&["two"], &NOW.to_string(), b"{}", &header, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&["one"], &NOW.to_string(), b"{ }", &header, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn the_mac_matches_an_independent_hmac_sha256() {
        let header = sign(b"Jefe", 0, b"what do ya want for nothing?");
        // HMAC-SHA256("Jefe", "0.what do ya want for nothing?"), computed with Python's hmac.
        assert_eq!(
            header,
            "v1=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc"
        );
    }

    #[test]
    fn any_listed_entry_matching_any_secret_is_accepted_during_rotation() {
        let old = sign(b"old", NOW, b"body");
        let new = sign(b"new", NOW, b"body");
        let both = format!("{new},{old}");
        assert_eq!(
            verify(&["old"], &NOW.to_string(), b"body", &both, NOW),
            Ok(())
        );
        assert_eq!(
            verify(&["new", "old"], &NOW.to_string(), b"body", &old, NOW),
            Ok(())
        );
        assert_eq!(
            verify(&["other"], &NOW.to_string(), b"body", &both, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn timestamps_more_than_five_minutes_away_are_refused_either_way() {
        let at = NOW - 301;
        let header = sign(b"k", at, b"");
        assert_eq!(
            verify(&["k"], &at.to_string(), b"", &header, NOW),
            Err(SignatureError::Stale { skew: 301 })
        );
        let at = NOW + 301;
        let header = sign(b"k", at, b"");
        assert!(verify(&["k"], &at.to_string(), b"", &header, NOW).is_err());
        let at = NOW - 300;
        let header = sign(b"k", at, b"");
        assert_eq!(verify(&["k"], &at.to_string(), b"", &header, NOW), Ok(()));
    }

    #[test]
    fn malformed_headers_are_refused_without_panicking() {
        let t = NOW.to_string();
        for (timestamp, header) in [
            (t.as_str(), ""),
            (t.as_str(), "v1="),
            (t.as_str(), "v1=zz"),
            (t.as_str(), "deadbeef"),
            (t.as_str(), "v2=abc"),
            ("", "v1=00"),
            ("-5", "v1=00"),
            ("1e9", "v1=00"),
            ("99999999999999999999", "v1=00"),
        ] {
            assert!(
                verify(&["k"], timestamp, b"", header, NOW).is_err(),
                "{timestamp} {header}"
            );
        }
        let long = "v1=".to_owned() + &"0".repeat(2000);
        assert_eq!(
            verify(&["k"], &t, b"", &long, NOW),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn the_merchant_must_match_exactly() {
        assert_eq!(check_merchant("evisa-dev", "evisa-dev"), Ok(()));
        assert_eq!(
            check_merchant("evisa-dev", "evisa-de"),
            Err(SignatureError::WrongMerchant)
        );
    }
}
