//! The signed QR token: a visa's claims in CBOR, signed as COSE_Sign1 with Ed25519, written as
//! Base45 behind the prefix `KZV1:`. `docs/visa-token.md` is the specification.
//!
//! Verification reads untrusted text in this order and stops at the first failure: size, prefix,
//! Base45, the COSE envelope (exact structure, no trailing bytes), the protected header (`alg` must
//! be EdDSA, `kid` must be trusted), the signature (`verify_strict` over the bytes received), and
//! only then the claims, which must re-encode to exactly the signed bytes. The result is a
//! [`VerifiedVisa`], which nothing else can construct.

use std::ops::Deref;

use time::{Date, Duration, OffsetDateTime, Time};

use crate::base45::{self, Base45Error};
use crate::cbor::{CborError, Reader, Writer};
use crate::cose::{self, CoseError};
use crate::country::Country;
use crate::keys::{IssuerKey, Kid, TrustStore};
use crate::visa::{
    Category, Entries, InvitationNumber, MrzName, NativeName, PassportNumber, Port, Ports, Sex,
    Visa, VisaFields, VisaNumber, kazakhstan_date,
};

/// The text every version-1 token starts with.
pub const PREFIX: &str = "KZV1:";
/// The longest token text accepted, in bytes, trailing CR/LF excluded. Real tokens are under 400.
pub const MAX_TOKEN_LEN: usize = 1024;

/// Claim keys, in the order the map must list them.
mod claim {
    pub const ISSUER: u64 = 1;
    pub const ISSUED_AT: u64 = 2;
    pub const NUMBER: u64 = 3;
    pub const CATEGORY: u64 = 4;
    pub const ENTRIES: u64 = 5;
    pub const VALID_FROM: u64 = 6;
    pub const VALID_UNTIL: u64 = 7;
    pub const STAY_DAYS: u64 = 8;
    pub const PORTS: u64 = 9;
    pub const SURNAME: u64 = 10;
    pub const GIVEN_NAMES: u64 = 11;
    pub const SURNAME_NATIVE: u64 = 12;
    pub const GIVEN_NAMES_NATIVE: u64 = 13;
    pub const PASSPORT: u64 = 14;
    pub const CITIZENSHIP: u64 = 15;
    pub const BIRTH_DATE: u64 = 16;
    pub const SEX: u64 = 17;
    pub const INVITATION: u64 = 18;
}

/// A visa whose signature was checked against a trusted key. Only [`verify`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedVisa {
    visa: Visa,
    kid: Kid,
}

/// Why a token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No text at all.
    #[error("the code is empty")]
    Empty,
    /// More text than any e-visa produces.
    #[error("the code is {len} characters long, more than the {MAX_TOKEN_LEN} an e-visa can have")]
    TooLong {
        /// Length received.
        len: usize,
    },
    /// The text does not start with `KZV` and a version.
    #[error("this is not a Kazakhstan e-visa code")]
    NotAVisa,
    /// A `KZV` prefix of a version this verifier does not know.
    #[error("the code has format version {0}, which this verifier does not know")]
    UnsupportedVersion(String),
    /// The text after the prefix is not Base45.
    #[error("the code is damaged: {0}")]
    Base45(#[from] Base45Error),
    /// The bytes are not the COSE_Sign1 structure the format prescribes.
    #[error("the code is damaged: {0}")]
    Envelope(&'static str),
    /// CBOR-level damage inside the envelope.
    #[error("the code is damaged: {0}")]
    Cbor(#[from] CborError),
    /// A signature algorithm other than EdDSA.
    #[error("the code is signed with algorithm {0}, not EdDSA")]
    UnsupportedAlgorithm(i64),
    /// The key id is not among the trusted keys.
    #[error("the code is signed with key {0}, which this verifier does not trust")]
    UnknownKey(Kid),
    /// The signature does not match the content: a forgery or an altered code.
    #[error("the signature does not match: the code was altered or forged")]
    BadSignature,
    /// Signed, but the claims are not a valid visa (an issuer fault).
    #[error("the signed visa data is invalid: {0}")]
    Claims(String),
}

/// How a failed verification should be presented: refused outright, or not decidable here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The code is not a genuine, intact e-visa.
    Invalid,
    /// The code may be genuine but this verifier cannot decide (unknown key, newer format).
    CannotVerify,
}

/// Why a verified visa does not allow entry at this port and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryRefusal {
    /// Before the first day of validity.
    #[error("the visa is not valid yet: valid from {valid_from}")]
    NotYetValid {
        /// First day of validity.
        valid_from: Date,
    },
    /// After the end of the last day of validity.
    #[error("the visa expired: valid until {valid_until}")]
    Expired {
        /// Last day of validity.
        valid_until: Date,
    },
    /// Not valid for this airport.
    #[error("the visa is not valid at {port}")]
    WrongPort {
        /// Where the holder presented it.
        port: Port,
    },
}

impl From<CoseError> for VerifyError {
    fn from(error: CoseError) -> Self {
        match error {
            CoseError::Cbor(e) => Self::Cbor(e),
            CoseError::Structure(what) => Self::Envelope(what),
            CoseError::UnsupportedAlgorithm(alg) => Self::UnsupportedAlgorithm(alg),
        }
    }
}

impl VerifyError {
    /// Whether this failure means "invalid" or "cannot verify".
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::UnknownKey(_) | Self::UnsupportedVersion(_) => FailureKind::CannotVerify,
            _ => FailureKind::Invalid,
        }
    }

    /// A stable machine-readable reason, for JSON output and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLong { .. } => "too_long",
            Self::NotAVisa => "not_a_visa",
            Self::UnsupportedVersion(_) => "unsupported_version",
            Self::Base45(_) => "malformed_text",
            Self::Envelope(_) | Self::Cbor(_) => "malformed_envelope",
            Self::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Self::UnknownKey(_) => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::Claims(_) => "invalid_claims",
        }
    }
}

impl EntryRefusal {
    /// A stable machine-readable reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Expired { .. } => "expired",
            Self::WrongPort { .. } => "wrong_port",
        }
    }
}

impl VerifiedVisa {
    /// The key that signed it.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// The visa.
    pub fn visa(&self) -> &Visa {
        &self.visa
    }

    /// Checks the visa's own rules for entering at `port` at instant `at`: the port is allowed and
    /// `at` falls between the start of `valid_from` and the end of `valid_until` in Kazakhstan.
    pub fn check_entry(&self, port: Port, at: OffsetDateTime) -> Result<(), EntryRefusal> {
        if !self.visa.ports().contains(port) {
            return Err(EntryRefusal::WrongPort { port });
        }
        let today = kazakhstan_date(at);
        if today < self.visa.valid_from() {
            return Err(EntryRefusal::NotYetValid {
                valid_from: self.visa.valid_from(),
            });
        }
        if today > self.visa.valid_until() {
            return Err(EntryRefusal::Expired {
                valid_until: self.visa.valid_until(),
            });
        }
        Ok(())
    }
}

impl Deref for VerifiedVisa {
    type Target = Visa;

    fn deref(&self) -> &Visa {
        &self.visa
    }
}

/// Signs a visa into token text.
pub fn sign(visa: &Visa, key: &IssuerKey) -> String {
    let envelope = cose::sign1(key, &encode_claims(visa));
    format!("{PREFIX}{}", base45::encode(&envelope))
}

/// Verifies token text against the trusted keys.
///
/// A trailing CR, LF or CRLF (a keyboard-wedge scanner's Enter) is ignored; nothing else is.
pub fn verify(text: &str, trust: &TrustStore) -> Result<VerifiedVisa, VerifyError> {
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .or_else(|| text.strip_suffix('\r'))
        .unwrap_or(text);
    if text.is_empty() {
        return Err(VerifyError::Empty);
    }
    if text.len() > MAX_TOKEN_LEN {
        return Err(VerifyError::TooLong { len: text.len() });
    }
    let body = match text.strip_prefix(PREFIX) {
        Some(body) => body,
        None => return Err(version_error(text)),
    };
    let bytes = base45::decode(body)?;
    let envelope = cose::Sign1::parse(&bytes)?;
    let key = trust
        .get(envelope.kid())
        .ok_or(VerifyError::UnknownKey(envelope.kid()))?;
    let payload = envelope
        .verified_payload(key)
        .ok_or(VerifyError::BadSignature)?;
    let visa = decode_claims(payload)?;
    // One byte form per visa: the claims must be exactly what signing this visa writes. This
    // refuses every spelling the field parsers would normalise (lower case, fillers, spaces,
    // ports out of order or repeated), so a verifier written from the specification and this
    // one never disagree about a signed token.
    if encode_claims(&visa) != payload {
        return Err(VerifyError::Claims(
            "the claims are not in their one canonical form".to_owned(),
        ));
    }
    Ok(VerifiedVisa {
        visa,
        kid: envelope.kid(),
    })
}

fn version_error(text: &str) -> VerifyError {
    let version: String = text
        .strip_prefix("KZV")
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    let has_colon = text
        .get(3 + version.len()..)
        .is_some_and(|r| r.starts_with(':'));
    if !version.is_empty() && has_colon {
        VerifyError::UnsupportedVersion(version)
    } else {
        VerifyError::NotAVisa
    }
}

pub(crate) fn encode_claims(visa: &Visa) -> Vec<u8> {
    let optional = [
        visa.given_names().is_some(),
        visa.surname_native().is_some(),
        visa.given_names_native().is_some(),
    ];
    let count = 15 + optional.iter().filter(|present| **present).count();
    let mut w = Writer::new();
    w.map(count);
    w.uint(claim::ISSUER).text(Country::KAZ.as_str());
    w.uint(claim::ISSUED_AT)
        .int(visa.issued_at().unix_timestamp());
    w.uint(claim::NUMBER).text(visa.number().as_str());
    w.uint(claim::CATEGORY).uint(visa.category().code());
    w.uint(claim::ENTRIES).uint(visa.entries().count());
    w.uint(claim::VALID_FROM).int(epoch_days(visa.valid_from()));
    w.uint(claim::VALID_UNTIL)
        .int(epoch_days(visa.valid_until()));
    w.uint(claim::STAY_DAYS).uint(visa.stay_days().into());
    let ports: Vec<Port> = visa.ports().iter().collect();
    w.uint(claim::PORTS).array(ports.len());
    for port in ports {
        w.text(port.code());
    }
    w.uint(claim::SURNAME).text(visa.surname().as_str());
    if let Some(given) = visa.given_names() {
        w.uint(claim::GIVEN_NAMES).text(given.as_str());
    }
    if let Some(surname) = visa.surname_native() {
        w.uint(claim::SURNAME_NATIVE).text(surname.as_str());
    }
    if let Some(given) = visa.given_names_native() {
        w.uint(claim::GIVEN_NAMES_NATIVE).text(given.as_str());
    }
    w.uint(claim::PASSPORT)
        .text(visa.passport_number().as_str());
    w.uint(claim::CITIZENSHIP).text(visa.citizenship().as_str());
    w.uint(claim::BIRTH_DATE)
        .int(epoch_days(visa.date_of_birth()));
    w.uint(claim::SEX).text(visa.sex().as_str());
    w.uint(claim::INVITATION)
        .text(visa.invitation_number().as_str());
    w.into_bytes()
}

/// Reads the claims map. Keys must appear in ascending order, each at most once, none unknown;
/// every value is parsed by the same constructors the issuer used.
fn decode_claims(payload: &[u8]) -> Result<Visa, VerifyError> {
    let bad = |what: &str| VerifyError::Claims(what.to_owned());
    let mut r = Reader::new(payload);
    let count = r.map()?;
    if count > 18 {
        return Err(bad("too many claims"));
    }
    let mut last_key = 0;
    let mut c = Claims::default();
    for _ in 0..count {
        let key = r.uint()?;
        if key <= last_key {
            return Err(bad("claim keys out of order or repeated"));
        }
        last_key = key;
        match key {
            claim::ISSUER => {
                if r.text()? != Country::KAZ.as_str() {
                    return Err(bad("the issuer is not KAZ"));
                }
                c.issuer = true;
            }
            claim::ISSUED_AT => c.issued_at = Some(r.int()?),
            claim::NUMBER => c.number = Some(r.text()?),
            claim::CATEGORY => c.category = Some(r.uint()?),
            claim::ENTRIES => c.entries = Some(r.uint()?),
            claim::VALID_FROM => c.valid_from = Some(r.int()?),
            claim::VALID_UNTIL => c.valid_until = Some(r.int()?),
            claim::STAY_DAYS => c.stay_days = Some(r.uint()?),
            claim::PORTS => {
                let len = r.array()?;
                if !(1..=2).contains(&len) {
                    return Err(bad("one or two ports"));
                }
                let mut ports = Vec::new();
                for _ in 0..len {
                    ports.push(Port::parse(r.text()?).map_err(|e| bad(&format!("ports: {e}")))?);
                }
                c.ports = Some(ports);
            }
            claim::SURNAME => c.surname = Some(r.text()?),
            claim::GIVEN_NAMES => c.given_names = Some(r.text()?),
            claim::SURNAME_NATIVE => c.surname_native = Some(r.text()?),
            claim::GIVEN_NAMES_NATIVE => c.given_names_native = Some(r.text()?),
            claim::PASSPORT => c.passport = Some(r.text()?),
            claim::CITIZENSHIP => c.citizenship = Some(r.text()?),
            claim::BIRTH_DATE => c.birth_date = Some(r.int()?),
            claim::SEX => c.sex = Some(r.text()?),
            claim::INVITATION => c.invitation = Some(r.text()?),
            _ => return Err(bad("unknown claim")),
        }
    }
    r.finish()?;
    c.into_visa()
}

/// The claims as read, before they are checked.
#[derive(Default)]
struct Claims<'a> {
    issuer: bool,
    issued_at: Option<i64>,
    number: Option<&'a str>,
    category: Option<u64>,
    entries: Option<u64>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    stay_days: Option<u64>,
    ports: Option<Vec<Port>>,
    surname: Option<&'a str>,
    given_names: Option<&'a str>,
    surname_native: Option<&'a str>,
    given_names_native: Option<&'a str>,
    passport: Option<&'a str>,
    citizenship: Option<&'a str>,
    birth_date: Option<i64>,
    sex: Option<&'a str>,
    invitation: Option<&'a str>,
}

impl Claims<'_> {
    fn into_visa(self) -> Result<Visa, VerifyError> {
        fn need<T>(value: Option<T>, name: &str) -> Result<T, VerifyError> {
            value.ok_or_else(|| VerifyError::Claims(format!("{name} is missing")))
        }
        fn check<T, E: std::fmt::Display>(r: Result<T, E>, name: &str) -> Result<T, VerifyError> {
            r.map_err(|e| VerifyError::Claims(format!("{name}: {e}")))
        }
        fn date(days: Option<i64>, name: &str) -> Result<Date, VerifyError> {
            let days = need(days, name)?;
            from_epoch_days(days)
                .ok_or_else(|| VerifyError::Claims(format!("{name} is out of range")))
        }
        if !self.issuer {
            return Err(VerifyError::Claims("issuer is missing".into()));
        }
        let issued_at = OffsetDateTime::from_unix_timestamp(need(self.issued_at, "issued_at")?)
            .map_err(|_| VerifyError::Claims("issued_at is out of range".into()))?;
        let ports = need(self.ports, "ports")?;
        let fields = VisaFields {
            number: check(
                VisaNumber::parse(need(self.number, "visa_number")?),
                "visa_number",
            )?,
            category: Category::from_code(need(self.category, "category")?)
                .ok_or_else(|| VerifyError::Claims("unknown category".into()))?,
            entries: Entries::from_count(need(self.entries, "entries")?)
                .ok_or_else(|| VerifyError::Claims("unknown number of entries".into()))?,
            valid_from: date(self.valid_from, "valid_from")?,
            valid_until: date(self.valid_until, "valid_until")?,
            stay_days: u16::try_from(need(self.stay_days, "duration_of_stay")?)
                .map_err(|_| VerifyError::Claims("duration_of_stay is out of range".into()))?,
            ports: Ports::new(ports).ok_or_else(|| VerifyError::Claims("no ports".into()))?,
            surname: check(MrzName::parse(need(self.surname, "surname")?), "surname")?,
            given_names: self
                .given_names
                .map(|n| check(MrzName::parse(n), "given_names"))
                .transpose()?,
            surname_native: self
                .surname_native
                .map(|n| check(NativeName::parse(n), "surname_native"))
                .transpose()?,
            given_names_native: self
                .given_names_native
                .map(|n| check(NativeName::parse(n), "given_names_native"))
                .transpose()?,
            passport_number: check(
                PassportNumber::parse(need(self.passport, "passport_number")?),
                "passport_number",
            )?,
            citizenship: check(
                Country::parse(need(self.citizenship, "citizenship")?),
                "citizenship",
            )?,
            date_of_birth: date(self.birth_date, "date_of_birth")?,
            sex: check(Sex::parse(need(self.sex, "sex")?), "sex")?,
            invitation_number: check(
                InvitationNumber::parse(need(self.invitation, "invitation_number")?),
                "invitation_number",
            )?,
            issued_at,
        };
        Visa::new(fields).map_err(|e| VerifyError::Claims(e.to_string()))
    }
}

fn epoch() -> Date {
    // 1970-01-01 is a valid date; the fallback is never taken.
    Date::from_julian_day(2_440_588).unwrap_or(Date::MIN)
}

/// Days since 1970-01-01.
fn epoch_days(date: Date) -> i64 {
    (date - epoch()).whole_days()
}

fn from_epoch_days(days: i64) -> Option<Date> {
    if days.unsigned_abs() > 200 * 366 {
        return None;
    }
    epoch().checked_add(Duration::days(days))
}

/// The instant a visa stops being valid: midnight after `valid_until`, Kazakhstan time.
pub fn end_of_validity(visa: &Visa) -> OffsetDateTime {
    visa.valid_until()
        .next_day()
        .unwrap_or(visa.valid_until())
        .with_time(Time::MIDNIGHT)
        .assume_offset(crate::visa::KAZAKHSTAN_OFFSET)
}

#[cfg(test)]
pub(crate) mod tests;
