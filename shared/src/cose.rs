//! COSE_Sign1 (RFC 9052) with EdDSA, in exactly one byte form: the envelope of the visa token and
//! of the trust data (key certificates, trust bundles). Parsing refuses anything but
//! `#6.18([bstr .cbor {1: -8, 4: kid}, {}, bstr, bstr(64)])` with nothing after it.

use crate::cbor::{CborError, Reader, Writer};
use crate::keys::{IssuerKey, Kid, PublicKey};

/// COSE algorithm identifier of EdDSA (RFC 9053).
const ALG_EDDSA: i64 = -8;
/// CBOR tag of COSE_Sign1.
const TAG_COSE_SIGN1: u64 = 18;
/// Header labels (RFC 9052).
const HEADER_ALG: u64 = 1;
const HEADER_KID: u64 = 4;

/// Why bytes are not our COSE_Sign1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoseError {
    /// CBOR-level damage.
    #[error(transparent)]
    Cbor(#[from] CborError),
    /// Well-formed CBOR, but not the prescribed structure.
    #[error("{0}")]
    Structure(&'static str),
    /// A signature algorithm other than EdDSA.
    #[error("algorithm {0} is not EdDSA")]
    UnsupportedAlgorithm(i64),
}

/// A parsed, not yet verified COSE_Sign1.
#[derive(Debug)]
pub(crate) struct Sign1<'a> {
    envelope: Envelope<'a>,
    kid: Kid,
}

impl<'a> Sign1<'a> {
    /// Parses the envelope and its protected header.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, CoseError> {
        let envelope = parse_envelope(bytes)?;
        let kid = parse_protected_header(envelope.protected)?;
        Ok(Self { envelope, kid })
    }

    /// The key id of the protected header.
    pub(crate) fn kid(&self) -> Kid {
        self.kid
    }

    /// The payload, if `key` signed exactly these bytes (strict Ed25519 verification).
    pub(crate) fn verified_payload(&self, key: &PublicKey) -> Option<&'a [u8]> {
        let message = sig_structure(self.envelope.protected, self.envelope.payload);
        (key.kid() == self.kid && key.verify_strict(&message, &self.envelope.signature))
            .then_some(self.envelope.payload)
    }
}

/// Signs a payload into COSE_Sign1 bytes. Public so that tests elsewhere can make envelopes around
/// payloads the typed API would never write (respelled claims), and see them refused.
pub fn sign1(key: &IssuerKey, payload: &[u8]) -> Vec<u8> {
    let protected = protected_header(key.kid());
    let signature = key.sign(&sig_structure(&protected, payload));
    envelope(&protected, payload, &signature)
}

#[derive(Debug)]
pub(crate) struct Envelope<'a> {
    pub(crate) protected: &'a [u8],
    pub(crate) payload: &'a [u8],
    pub(crate) signature: [u8; 64],
}

pub(crate) fn protected_header(kid: Kid) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(2)
        .uint(HEADER_ALG)
        .int(ALG_EDDSA)
        .uint(HEADER_KID)
        .bytes(kid.as_bytes());
    w.into_bytes()
}

/// The COSE Sig_structure for COSE_Sign1 with no external data (RFC 9052 §4.4).
pub(crate) fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(4)
        .text("Signature1")
        .bytes(protected)
        .bytes(&[])
        .bytes(payload);
    w.into_bytes()
}

pub(crate) fn envelope(protected: &[u8], payload: &[u8], signature: &[u8; 64]) -> Vec<u8> {
    let mut w = Writer::new();
    w.tag(TAG_COSE_SIGN1)
        .array(4)
        .bytes(protected)
        .map(0)
        .bytes(payload)
        .bytes(signature);
    w.into_bytes()
}

pub(crate) fn parse_envelope(bytes: &[u8]) -> Result<Envelope<'_>, CoseError> {
    let mut r = Reader::new(bytes);
    if r.tag()? != TAG_COSE_SIGN1 {
        return Err(CoseError::Structure("not a COSE_Sign1 structure"));
    }
    if r.array()? != 4 {
        return Err(CoseError::Structure("COSE_Sign1 must have four parts"));
    }
    let protected = r.bytes()?;
    if r.map()? != 0 {
        return Err(CoseError::Structure("the unprotected header must be empty"));
    }
    let payload = r.bytes()?;
    let signature = r
        .bytes()?
        .try_into()
        .map_err(|_| CoseError::Structure("an Ed25519 signature has 64 bytes"))?;
    r.finish()?;
    Ok(Envelope {
        protected,
        payload,
        signature,
    })
}

pub(crate) fn parse_protected_header(bytes: &[u8]) -> Result<Kid, CoseError> {
    let mut r = Reader::new(bytes);
    if r.map()? != 2 || r.uint()? != HEADER_ALG {
        return Err(CoseError::Structure(
            "the protected header must hold alg and kid",
        ));
    }
    let alg = r.int()?;
    if alg != ALG_EDDSA {
        return Err(CoseError::UnsupportedAlgorithm(alg));
    }
    if r.uint()? != HEADER_KID {
        return Err(CoseError::Structure(
            "the protected header must hold alg and kid",
        ));
    }
    let kid = Kid::from_slice(r.bytes()?).ok_or(CoseError::Structure("a key id has 8 bytes"))?;
    r.finish()?;
    Ok(kid)
}
