//! The message signature of the e-pay contract (docs/epay-gateway.md, "Signing"), in both
//! directions: `X-Epay-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, with the
//! Unix timestamp in `X-Epay-Timestamp` and the merchant id in `X-Epay-Merchant`.
//!
//! Every header is untrusted text, so it is read strictly and within bounds before any MAC is
//! computed: a timestamp is 1 to 12 ASCII digits with no sign and no leading zero, the skew is
//! computed without overflow, the signature header is at most 1024 bytes and 8 entries, and every
//! `v1=` entry is exactly 64 lowercase hex digits or the whole header is refused.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The header naming the merchant.
pub const MERCHANT_HEADER: &str = "x-epay-merchant";
/// The header with the signing time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-epay-timestamp";
/// The header with the signature entries.
pub const SIGNATURE_HEADER: &str = "x-epay-signature";

/// How far, in seconds, a message's timestamp may be from the receiver's clock, either way.
pub const MAX_SKEW_SECONDS: u64 = 300;
/// The most digits a timestamp may have: Unix seconds stay within 12 digits until the year 33658.
pub const MAX_TIMESTAMP_DIGITS: usize = 12;
/// The most entries a signature header may list (one per secret during a rotation, and room for
/// entries of a later scheme beside `v1`).
pub const MAX_ENTRIES: usize = 8;
/// The longest signature header read, in bytes, so a hostile header costs no more than a few MACs.
pub const MAX_SIGNATURE_HEADER: usize = 1024;

/// The shared HMAC secrets: the first signs, every one is accepted when verifying. Never empty;
/// `Debug` shows only how many there are.
#[derive(Clone)]
pub struct Secrets(Vec<Vec<u8>>);

/// Why a list of secrets was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretsError {
    /// No non-empty secret was given.
    #[error("at least one e-pay secret is needed")]
    Empty,
}

/// Why a message's signature headers were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A signing header is absent (or not text).
    #[error("the {header} header is missing")]
    Missing {
        /// The header's name.
        header: &'static str,
    },
    /// The timestamp is not 1 to 12 digits without sign or leading zero.
    #[error("the timestamp is not 1 to {MAX_TIMESTAMP_DIGITS} digits of Unix seconds")]
    BadTimestamp,
    /// The timestamp is too far from the receiver's clock (a replay, or a wrong clock).
    #[error("the timestamp is {skew} s from the receiver's clock (at most {MAX_SKEW_SECONDS} s)")]
    Stale {
        /// Seconds between the timestamp and the receiver's clock.
        skew: u64,
    },
    /// The signature header is longer than any honest sender writes.
    #[error("the signature header has {length} bytes (at most {MAX_SIGNATURE_HEADER})")]
    TooLong {
        /// Its length in bytes.
        length: usize,
    },
    /// The signature header lists more entries than any honest sender writes.
    #[error("the signature header has {count} entries (at most {MAX_ENTRIES})")]
    TooManyEntries {
        /// How many entries it lists.
        count: usize,
    },
    /// An entry is neither `v1=` and 64 lowercase hex digits nor an entry of another version.
    #[error("entry {entry} of the signature header is malformed")]
    Malformed {
        /// The entry's position, from 0.
        entry: usize,
    },
    /// The header has no `v1=` entry.
    #[error("the signature header has no v1 entry")]
    NoEntry,
    /// No entry matches any of the receiver's secrets.
    #[error("the signature does not match")]
    Mismatch,
    /// The merchant id is not the expected one.
    #[error("unknown merchant")]
    WrongMerchant,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} hidden)", self.0.len())
    }
}

impl Secrets {
    /// The secrets in order (the first signs); empty ones are dropped, at least one must remain.
    pub fn new<S: AsRef<[u8]>>(secrets: impl IntoIterator<Item = S>) -> Result<Self, SecretsError> {
        let secrets: Vec<Vec<u8>> = secrets
            .into_iter()
            .map(|secret| secret.as_ref().to_vec())
            .filter(|secret| !secret.is_empty())
            .collect();
        if secrets.is_empty() {
            Err(SecretsError::Empty)
        } else {
            Ok(Self(secrets))
        }
    }

    /// Parses a comma-separated list (`EPAY_SECRETS`); blanks around entries are dropped.
    pub fn parse(list: &str) -> Result<Self, SecretsError> {
        Self::new(list.split(',').map(str::trim))
    }

    /// The signature header value for `body` signed at `timestamp` (Unix seconds) with the first
    /// secret: `v1=<64 hex digits>`.
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let first = self.0.first().map(Vec::as_slice).unwrap_or_default();
        format!(
            "v1={}",
            hex::encode(mac(first, timestamp.to_string().as_bytes(), body))
        )
    }

    /// The three headers of a message signed at `timestamp` by `merchant`, as (name, value) pairs.
    pub fn headers(
        &self,
        merchant: &str,
        timestamp: i64,
        body: &[u8],
    ) -> [(&'static str, String); 3] {
        [
            (MERCHANT_HEADER, merchant.to_owned()),
            (TIMESTAMP_HEADER, timestamp.to_string()),
            (SIGNATURE_HEADER, self.sign(timestamp, body)),
        ]
    }

    /// Checks a message's timestamp and signature headers: the timestamp within
    /// [`MAX_SKEW_SECONDS`] of `now` (Unix seconds), and at least one `v1=` entry matching `body`
    /// under any of the secrets, compared in constant time.
    pub fn verify(
        &self,
        timestamp: &str,
        body: &[u8],
        signature: &str,
        now: i64,
    ) -> Result<(), SignatureError> {
        let seconds = parse_timestamp(timestamp)?;
        // `abs_diff` of two i64 always fits a u64, so no clock value or timestamp overflows it.
        let skew = now.abs_diff(seconds);
        if skew > MAX_SKEW_SECONDS {
            return Err(SignatureError::Stale { skew });
        }
        let candidates = parse_entries(signature)?;
        let mut matched = subtle::Choice::from(0);
        for secret in &self.0 {
            let expected = mac(secret, timestamp.as_bytes(), body);
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

    /// The signature of a link to payment `payment_id`'s electronic check that opens it until
    /// `expires` (Unix seconds), with the first secret: 64 hex digits. The portal puts it in the
    /// owner's personal account as `{gateway}/pay/{id}?expires={expires}&signature={this}`
    /// (docs/epay-gateway.md); the gateway opens the check with it in any browser until then.
    pub fn sign_check_link(&self, payment_id: &str, expires: i64) -> String {
        self.sign_tagged(b"check-link", &format!("{payment_id}.{expires}"))
    }

    /// Whether `signature` is [`Self::sign_check_link`]'s for `payment_id` and `expires` under
    /// any of the secrets, and `expires` is still ahead of `now`.
    pub fn check_link_holds(
        &self,
        payment_id: &str,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> bool {
        now < expires && self.holds(b"check-link", &format!("{payment_id}.{expires}"), signature)
    }

    /// A tagged MAC of `text` with the first secret, hex: values the gateway hands to browsers
    /// (the check link above, the payer's cookie). The tag is letters, so no tagged MAC is ever
    /// the signature of a message (whose "timestamp" is digits).
    pub fn sign_tagged(&self, tag: &[u8], text: &str) -> String {
        let first = self.0.first().map(Vec::as_slice).unwrap_or_default();
        hex::encode(mac(first, tag, text.as_bytes()))
    }

    /// Whether `signature` (hex) is [`Self::sign_tagged`]'s for `tag` and `text` under any of the
    /// secrets, compared in constant time.
    pub fn holds(&self, tag: &[u8], text: &str, signature: &str) -> bool {
        let Ok(given) = hex::decode(signature) else {
            return false;
        };
        let mut matched = subtle::Choice::from(0);
        for secret in &self.0 {
            matched |= mac(secret, tag, text.as_bytes()).ct_eq(given.as_slice());
        }
        bool::from(matched)
    }

    /// Checks a whole message: the merchant header against `merchant` (in constant time), then
    /// [`Self::verify`]. `header` looks a header up by its lowercase name.
    pub fn authenticate<'a>(
        &self,
        merchant: &str,
        header: impl Fn(&'static str) -> Option<&'a str>,
        body: &[u8],
        now: i64,
    ) -> Result<(), SignatureError> {
        let get = |name: &'static str| header(name).ok_or(SignatureError::Missing { header: name });
        check_merchant(merchant, get(MERCHANT_HEADER)?)?;
        self.verify(get(TIMESTAMP_HEADER)?, body, get(SIGNATURE_HEADER)?, now)
    }
}

/// Checks the merchant header against the expected id in constant time: both are hashed first, so
/// not even their lengths are compared directly.
pub fn check_merchant(expected: &str, given: &str) -> Result<(), SignatureError> {
    let expected = Sha256::digest(expected.as_bytes());
    let given = Sha256::digest(given.as_bytes());
    if bool::from(expected.as_slice().ct_eq(given.as_slice())) {
        Ok(())
    } else {
        Err(SignatureError::WrongMerchant)
    }
}

/// Reads a timestamp header: 1 to [`MAX_TIMESTAMP_DIGITS`] ASCII digits, no sign, no blanks and
/// no leading zero (so each instant has one spelling, the one the MAC covers).
pub fn parse_timestamp(text: &str) -> Result<i64, SignatureError> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let canonical = text == "0" || !text.starts_with('0');
    if !digits_only || !canonical || text.len() > MAX_TIMESTAMP_DIGITS {
        return Err(SignatureError::BadTimestamp);
    }
    text.parse().map_err(|_| SignatureError::BadTimestamp)
}

/// The MACs listed in a signature header, all well formed, or why not.
fn parse_entries(signature: &str) -> Result<Vec<[u8; 32]>, SignatureError> {
    if signature.len() > MAX_SIGNATURE_HEADER {
        return Err(SignatureError::TooLong {
            length: signature.len(),
        });
    }
    let count = signature.split(',').count();
    if count > MAX_ENTRIES {
        return Err(SignatureError::TooManyEntries { count });
    }
    let mut candidates = Vec::new();
    for (entry, text) in signature.split(',').enumerate() {
        let text = text.trim_matches(' ');
        if let Some(hex_mac) = text.strip_prefix("v1=") {
            candidates.push(decode_mac(hex_mac).ok_or(SignatureError::Malformed { entry })?);
        } else if !is_other_version(text) {
            return Err(SignatureError::Malformed { entry });
        }
    }
    if candidates.is_empty() {
        return Err(SignatureError::NoEntry);
    }
    Ok(candidates)
}

/// 64 lowercase hex digits as 32 bytes.
fn decode_mac(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).ok()?;
    Some(bytes)
}

/// An entry of a later scheme, `v<digits>=<value>`, skipped so one can be added beside `v1`.
fn is_other_version(text: &str) -> bool {
    let Some((version, value)) = text.split_once('=') else {
        return false;
    };
    let Some(number) = version.strip_prefix('v') else {
        return false;
    };
    !number.is_empty()
        && number.len() <= 3
        && number.bytes().all(|b| b.is_ascii_digit())
        && number != "1"
        && !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_graphic())
}

fn mac(secret: &[u8], timestamp: &[u8], body: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; an all-zero result would
    // only ever be a mismatch.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return [0; 32];
    };
    mac.update(timestamp);
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000;

    fn secrets(list: &str) -> Secrets {
        Secrets::parse(list).expect("secrets")
    }

    #[test]
    fn a_check_link_opens_its_payment_until_it_expires_under_any_secret() {
        let old = secrets("old-secret");
        let both = secrets("new-secret, old-secret");
        let signature = old.sign_check_link("pay-1", NOW + 600);
        assert_eq!(signature.len(), 64);
        assert!(both.check_link_holds("pay-1", NOW + 600, &signature, NOW));
        assert!(!both.check_link_holds("pay-1", NOW + 600, &signature, NOW + 600));
        assert!(!both.check_link_holds("pay-2", NOW + 600, &signature, NOW));
        assert!(!both.check_link_holds("pay-1", NOW + 6000, &signature, NOW));
        assert!(!both.check_link_holds("pay-1", NOW + 600, "zz", NOW));
        // A tagged value is never a message signature, nor one of another tag.
        assert!(!both.holds(b"payer", "pay-1.1795000600", &signature));
        assert!(
            old.verify(
                &NOW.to_string(),
                b"pay-1.1795000600",
                &format!("v1={signature}"),
                NOW
            )
            .is_err()
        );
    }

    /// Verifies a message signed with `k` at `NOW` whose timestamp header reads `timestamp`.
    fn check_timestamp(timestamp: &str, expect: Result<(), SignatureError>) {
        let signature = format!("v1={}", hex::encode(mac(b"k", timestamp.as_bytes(), b"{}")));
        assert_eq!(
            secrets("k").verify(timestamp, b"{}", &signature, NOW),
            expect,
            "timestamp {timestamp:?}"
        );
    }

    #[test]
    fn a_signature_verifies_with_the_same_secret_and_not_with_another_or_another_body() {
        let header = secrets("one").sign(NOW, b"{}");
        let t = NOW.to_string();
        assert_eq!(secrets("one").verify(&t, b"{}", &header, NOW), Ok(()));
        assert_eq!(
            secrets("two").verify(&t, b"{}", &header, NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            secrets("one").verify(&t, b"{ }", &header, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn any_listed_entry_matching_any_secret_is_accepted_during_rotation() {
        let old = secrets("old").sign(NOW, b"body");
        let new = secrets("new").sign(NOW, b"body");
        let both = format!("{new}, {old}");
        let t = NOW.to_string();
        assert_eq!(secrets("old").verify(&t, b"body", &both, NOW), Ok(()));
        assert_eq!(secrets("new,old").verify(&t, b"body", &old, NOW), Ok(()));
        assert_eq!(
            secrets("other").verify(&t, b"body", &both, NOW),
            Err(SignatureError::Mismatch)
        );
        let later = format!("v2=c29tZXRoaW5n,{old}");
        assert_eq!(secrets("old").verify(&t, b"body", &later, NOW), Ok(()));
    }

    #[test]
    fn timestamps_up_to_five_minutes_away_either_way_are_accepted_and_no_further() {
        check_timestamp(&(NOW - 300).to_string(), Ok(()));
        check_timestamp(&(NOW + 300).to_string(), Ok(()));
        check_timestamp(
            &(NOW - 301).to_string(),
            Err(SignatureError::Stale { skew: 301 }),
        );
        check_timestamp(
            &(NOW + 301).to_string(),
            Err(SignatureError::Stale { skew: 301 }),
        );
        check_timestamp(
            "0",
            Err(SignatureError::Stale {
                skew: NOW.unsigned_abs(),
            }),
        );
    }

    #[test]
    fn only_plain_digits_of_bounded_length_are_a_timestamp() {
        let too_long = "1".repeat(40);
        for text in [
            "",
            " ",
            "-5",
            "+5",
            "-0",
            "+0",
            " 1795000000",
            "1795000000 ",
            "1795000000\n",
            "01795000000",
            "00",
            "1e9",
            "1795000000.0",
            "0x6afc",
            "١٧٩٥٠٠٠٠٠٠",
            "-9223372036854775808",
            "9223372036854775807",
            "9223372036854775808",
            "1000000000000",
            too_long.as_str(),
        ] {
            check_timestamp(text, Err(SignatureError::BadTimestamp));
        }
        assert_eq!(parse_timestamp("999999999999"), Ok(999_999_999_999));
    }

    #[test]
    fn the_skew_saturates_instead_of_overflowing_at_the_ends_of_the_clock() {
        let header = secrets("k").sign(999_999_999_999, b"");
        for now in [i64::MIN, i64::MIN + 1, -1, i64::MAX] {
            assert!(
                matches!(
                    secrets("k").verify("999999999999", b"", &header, now),
                    Err(SignatureError::Stale { .. })
                ),
                "now {now}"
            );
        }
    }

    #[test]
    fn malformed_or_oversized_signature_headers_are_refused_before_any_mac() {
        let t = NOW.to_string();
        let good = secrets("k").sign(NOW, b"");
        let cases = [
            (String::new(), SignatureError::Malformed { entry: 0 }),
            ("v1=".to_owned(), SignatureError::Malformed { entry: 0 }),
            ("v1=zz".to_owned(), SignatureError::Malformed { entry: 0 }),
            (
                "deadbeef".to_owned(),
                SignatureError::Malformed { entry: 0 },
            ),
            ("v2=abc".to_owned(), SignatureError::NoEntry),
            (
                format!("v1=00ff,{good}"),
                SignatureError::Malformed { entry: 0 },
            ),
            (format!("{good},"), SignatureError::Malformed { entry: 1 }),
            (
                format!("{good},v1={}", "A".repeat(64)),
                SignatureError::Malformed { entry: 1 },
            ),
            (
                format!("v1={}", "0".repeat(2000)),
                SignatureError::TooLong { length: 2003 },
            ),
            (
                ["v2=x"; 9].join(","),
                SignatureError::TooManyEntries { count: 9 },
            ),
        ];
        for (header, expect) in cases {
            assert_eq!(
                secrets("k").verify(&t, b"", &header, NOW),
                Err(expect),
                "{header}"
            );
        }
        let ten_thousand = vec![good.as_str(); 10_000].join(",");
        assert!(matches!(
            secrets("k").verify(&t, b"", &ten_thousand, NOW),
            Err(SignatureError::TooLong { .. })
        ));
    }

    /// The headers of a message as a lookup, with `merchant` in the merchant header and `skip`
    /// left out.
    fn lookup<'a>(
        headers: &'a [(&'static str, String); 3],
        skip: Option<&'static str>,
        merchant: &'a str,
    ) -> impl Fn(&'static str) -> Option<&'a str> {
        move |name| {
            if Some(name) == skip {
                None
            } else if name == MERCHANT_HEADER {
                Some(merchant)
            } else {
                headers
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.as_str())
            }
        }
    }

    #[test]
    fn a_whole_message_needs_the_merchant_and_all_three_headers() {
        let keys = secrets("k");
        let headers = keys.headers("evisa-dev", NOW, b"{}");
        assert_eq!(
            keys.authenticate("evisa-dev", lookup(&headers, None, "evisa-dev"), b"{}", NOW),
            Ok(())
        );
        assert_eq!(
            keys.authenticate("evisa-dev", lookup(&headers, None, "evisa-de"), b"{}", NOW),
            Err(SignatureError::WrongMerchant)
        );
        for header in [MERCHANT_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER] {
            assert_eq!(
                keys.authenticate(
                    "evisa-dev",
                    lookup(&headers, Some(header), "evisa-dev"),
                    b"{}",
                    NOW
                ),
                Err(SignatureError::Missing { header })
            );
        }
    }

    #[test]
    fn secrets_need_one_non_empty_entry_and_never_show_in_debug_output() {
        assert_eq!(Secrets::parse(" , ,").err(), Some(SecretsError::Empty));
        let keys = secrets("new-secret, old-secret");
        assert_eq!(format!("{keys:?}"), "Secrets(2 hidden)");
        assert_eq!(keys.sign(NOW, b""), secrets("new-secret").sign(NOW, b""));
    }
}
