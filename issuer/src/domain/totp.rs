//! The officers' second factor: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP)
//! with HMAC-SHA-1, six digits and 30-second steps, which is what phone authenticator apps
//! accept from an `otpauth://` QR code. Pure: the instant is a parameter.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps of clock difference accepted either way (a phone a little fast or slow).
pub const SKEW_STEPS: i64 = 1;
/// Bytes of a secret: 160 bits, the size RFC 4226 recommends for HMAC-SHA-1.
pub const SECRET_BYTES: usize = 20;

/// A shared secret. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

/// A code as typed: exactly six digits (spaces ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(u32);

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// It matches no step within the accepted skew.
    Wrong,
    /// It matches a step that was already used (or one before it): a replay.
    Replayed,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// A secret from its bytes; `None` unless there are 16 to 64 of them.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        (16..=64)
            .contains(&bytes.len())
            .then(|| Self(bytes.to_vec()))
    }

    /// The bytes, for the database.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret in base32 without padding (RFC 4648), as apps take it typed by hand.
    pub fn base32(&self) -> String {
        base32(&self.0)
    }

    /// The secret in groups of four characters, easier to type.
    pub fn base32_grouped(&self) -> String {
        let text = self.base32();
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://totp/…` URI a phone app reads from the QR code (Key Uri Format).
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            account = percent_encode(account),
            secret = self.base32(),
        )
    }

    /// The code of a step (HOTP of the step counter, RFC 4226 dynamic truncation).
    pub fn code_at_step(&self, step: i64) -> Code {
        Code(hotp(&self.0, step, DIGITS))
    }

    /// The code at Unix time `unix`.
    pub fn code_at(&self, unix: i64) -> Code {
        self.code_at_step(step_of(unix))
    }

    /// Checks a code at Unix time `unix`: it must be the code of the current step or one step
    /// either side, and that step must come after `last_used` (each code works once). Returns
    /// the step it matched, which the caller stores as the new `last_used`.
    pub fn check(&self, code: Code, unix: i64, last_used: Option<i64>) -> Result<i64, CodeRefusal> {
        let now = step_of(unix);
        let matched = (now - SKEW_STEPS..=now + SKEW_STEPS)
            .find(|step| constant_time_eq(self.code_at_step(*step).0, code.0));
        match matched {
            None => Err(CodeRefusal::Wrong),
            Some(step) if last_used.is_some_and(|last| step <= last) => Err(CodeRefusal::Replayed),
            Some(step) => Ok(step),
        }
    }
}

impl Code {
    /// Reads six digits; spaces anywhere are ignored (apps show `123 456`).
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(Self)
    }

    /// The code as six digits with leading zeros.
    pub fn digits(self) -> String {
        format!("{:06}", self.0)
    }
}

/// The step of a Unix time.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// HOTP (RFC 4226): HMAC-SHA-1 of the big-endian counter, dynamically truncated to `digits`.
fn hotp(key: &[u8], counter: i64, digits: u32) -> u32 {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

fn constant_time_eq(a: u32, b: u32) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(&b))
}

/// Base32 (RFC 4648 alphabet) without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986) and `@`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 rows, key "12345678901234567890", eight digits.
    const RFC6238_SHA1: [(i64, u32); 6] = [
        (59, 94287082),
        (1111111109, 7081804),
        (1111111111, 14050471),
        (1234567890, 89005924),
        (2000000000, 69279037),
        (20000000000, 65353130),
    ];

    #[test]
    fn the_rfc_6238_sha1_vectors_come_out() {
        let key = b"12345678901234567890";
        for (unix, expected) in RFC6238_SHA1 {
            assert_eq!(hotp(key, step_of(unix), 8), expected, "T = {unix}");
            let six = Secret::from_bytes(key).expect("20 bytes").code_at(unix);
            assert_eq!(six, Code(expected % 1_000_000), "six digits at T = {unix}");
        }
    }

    #[test]
    fn the_rfc_4226_hotp_vectors_come_out() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.into_iter().enumerate() {
            let counter = i64::try_from(counter).expect("small");
            assert_eq!(hotp(b"12345678901234567890", counter, 6), code);
        }
    }

    #[test]
    fn base32_matches_rfc_4648_without_padding() {
        for (input, output) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(input.as_bytes()), output, "{input}");
        }
        let secret = Secret::from_bytes(b"12345678901234567890").expect("secret");
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(secret.base32_grouped().split(' ').count(), 8);
    }

    #[test]
    fn a_code_works_within_one_step_of_skew_and_only_once() {
        let secret = Secret::from_bytes(&[7; 20]).expect("secret");
        let now = 1_800_000_015;
        let current = secret.code_at(now);
        let step = step_of(now);
        assert_eq!(secret.check(current, now, None), Ok(step));
        assert_eq!(
            secret.check(current, now + 30, None),
            Ok(step),
            "phone 30 s slow"
        );
        assert_eq!(
            secret.check(current, now - 30, None),
            Ok(step),
            "phone 30 s fast"
        );
        assert_eq!(
            secret.check(current, now + 60, None),
            Err(CodeRefusal::Wrong)
        );
        assert_eq!(
            secret.check(current, now, Some(step)),
            Err(CodeRefusal::Replayed)
        );
        let next = secret.code_at(now + 30);
        assert_eq!(secret.check(next, now + 30, Some(step)), Ok(step + 1));
        let wrong = Code((current.0 + 1) % 1_000_000);
        assert_eq!(secret.check(wrong, now, None), Err(CodeRefusal::Wrong));
    }

    #[test]
    fn codes_are_six_digits_and_spaces_are_ignored() {
        assert_eq!(Code::parse("012 345"), Some(Code(12345)));
        assert_eq!(
            Code::parse("012345").map(Code::digits).as_deref(),
            Some("012345")
        );
        for bad in ["", "12345", "1234567", "12a456", "-12345", "+12345"] {
            assert_eq!(Code::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_otpauth_uri_names_the_issuer_and_account_and_carries_the_secret() {
        let secret = Secret::from_bytes(b"12345678901234567890").expect("secret");
        assert_eq!(
            secret.otpauth_uri("KZ e-visa office", "a.b@migration.kz"),
            "otpauth://totp/KZ%20e-visa%20office:a.b@migration.kz?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=KZ%20e-visa%20office&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(format!("{secret:?}"), "Secret(..)");
    }
}
