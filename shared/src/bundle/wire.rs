//! The strict CBOR reading and writing shared by certificates and bundles: the root's envelope
//! opened first, then every field in its one allowed form.

use time::OffsetDateTime;

use super::{
    BUNDLE_TYPE, BUNDLE_TYPE_V1, BundleError, CERTIFICATE_TYPE, KeyCertificate, MAX_BUNDLE_BYTES,
};
use crate::cbor::{CborError, Reader, Writer};
use crate::cose;
use crate::keys::PublicKey;
use crate::visa::{Port, VisaNumber};

/// Checks size, structure, the root's key id and signature; returns the signed payload.
pub(super) fn open<'a>(bytes: &'a [u8], root: &PublicKey) -> Result<&'a [u8], BundleError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge);
    }
    let envelope = cose::Sign1::parse(bytes)?;
    if envelope.kid() != root.kid() {
        return Err(BundleError::WrongRoot);
    }
    envelope
        .verified_payload(root)
        .ok_or(BundleError::BadSignature)
}

pub(super) fn content(e: CborError) -> BundleError {
    BundleError::Content(e.to_string())
}

pub(super) fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.unix_timestamp()).unwrap_or(t)
}

pub(super) fn expect_map_type(
    r: &mut Reader<'_>,
    len: u64,
    wanted: &'static str,
    what: &'static str,
) -> Result<(), BundleError> {
    let found_len = r.map().map_err(content)?;
    expect_key(r, 0)?;
    let found = r.text().map_err(content)?;
    if found != wanted {
        let found = match found {
            CERTIFICATE_TYPE => "key certificate".to_owned(),
            BUNDLE_TYPE | BUNDLE_TYPE_V1 => "trust bundle".to_owned(),
            _ => "document of unknown type".to_owned(),
        };
        return Err(BundleError::WrongType {
            expected: what,
            found,
        });
    }
    if found_len != len {
        return Err(BundleError::Content(format!("a {what} has {len} fields")));
    }
    Ok(())
}

/// Reads the bundle's map header and type string: version 1 (seven fields) or 2 (eight).
pub(super) fn expect_bundle_type(r: &mut Reader<'_>) -> Result<u8, BundleError> {
    let len = r.map().map_err(content)?;
    expect_key(r, 0)?;
    let (version, fields) = match r.text().map_err(content)? {
        BUNDLE_TYPE => (2, 8),
        BUNDLE_TYPE_V1 => (1, 7),
        CERTIFICATE_TYPE => {
            return Err(BundleError::WrongType {
                expected: "trust bundle",
                found: "key certificate".to_owned(),
            });
        }
        _ => {
            return Err(BundleError::WrongType {
                expected: "trust bundle",
                found: "document of unknown type".to_owned(),
            });
        }
    };
    if len != fields {
        return Err(BundleError::Content(format!(
            "a trust bundle of version {version} has {fields} fields"
        )));
    }
    Ok(version)
}

/// Reads an airport code in its one spelling, `NQZ` or `ALA`.
pub(super) fn read_port(r: &mut Reader<'_>) -> Result<Port, BundleError> {
    match r.text().map_err(content)? {
        "NQZ" => Ok(Port::Nqz),
        "ALA" => Ok(Port::Ala),
        other => Err(BundleError::Content(format!("{other:?} is not NQZ or ALA"))),
    }
}

pub(super) fn read_public_key(r: &mut Reader<'_>) -> Result<PublicKey, BundleError> {
    let raw: &[u8; 32] = r
        .bytes()
        .map_err(content)?
        .try_into()
        .map_err(|_| BundleError::Content("an Ed25519 public key has 32 bytes".into()))?;
    PublicKey::from_bytes(raw).map_err(|e| BundleError::Content(e.to_string()))
}

pub(super) fn expect_key(r: &mut Reader<'_>, key: u64) -> Result<(), BundleError> {
    match r.uint().map_err(content)? {
        k if k == key => Ok(()),
        k => Err(BundleError::Content(format!(
            "field {k} where field {key} belongs"
        ))),
    }
}

pub(super) fn expect_array(r: &mut Reader<'_>, len: u64) -> Result<(), BundleError> {
    if r.array().map_err(content)? != len {
        return Err(BundleError::Content(format!("expected {len} items")));
    }
    Ok(())
}

/// Reads an array, never reserving more than the input could hold (every item takes a byte).
pub(super) fn read_array<T>(
    r: &mut Reader<'_>,
    mut item: impl FnMut(&mut Reader<'_>) -> Result<T, BundleError>,
) -> Result<Vec<T>, BundleError> {
    let len = r.array().map_err(content)?;
    let len = usize::try_from(len)
        .ok()
        .filter(|&n| n <= MAX_BUNDLE_BYTES)
        .ok_or_else(|| BundleError::Content("an impossible number of items".into()))?;
    let mut items = Vec::with_capacity(len.min(4096));
    for _ in 0..len {
        items.push(item(r)?);
    }
    Ok(items)
}

pub(super) fn read_time(r: &mut Reader<'_>) -> Result<OffsetDateTime, BundleError> {
    let seconds = r.int().map_err(content)?;
    OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|_| BundleError::Content("a time out of range".into()))
}

pub(super) fn read_visa_number(r: &mut Reader<'_>) -> Result<VisaNumber, BundleError> {
    VisaNumber::parse(r.text().map_err(content)?)
        .map_err(|e| BundleError::Content(format!("visa number: {e}")))
}

pub(super) fn write_certificate_body(w: &mut Writer, c: &KeyCertificate) {
    w.array(3)
        .bytes(c.key.as_bytes())
        .int(c.not_before.unix_timestamp())
        .int(c.not_after.unix_timestamp());
}

pub(super) fn read_certificate_body(r: &mut Reader<'_>) -> Result<KeyCertificate, BundleError> {
    expect_array(r, 3)?;
    let key = read_public_key(r)?;
    let not_before = read_time(r)?;
    let not_after = read_time(r)?;
    KeyCertificate::new(key, not_before, not_after)
}
