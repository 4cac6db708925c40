//! Kiosk ledger records and the signed ledger export that carries them between kiosks and to the
//! migration service. `docs/ledger-exchange.md` is the specification.
//!
//! A record is hash-chained to the previous record of the same kiosk; that makes a ledger
//! tamper-evident but not authentic, since anyone can recompute plain hashes. Authenticity comes
//! from the export: a COSE_Sign1 by the kiosk's own Ed25519 key, which the migration service
//! registered and the root-signed trust bundle lists. [`open_export`] checks the signature against
//! the registered kiosks first, then every record: its hash, its kiosk and airport (the signer's),
//! its time (RFC 3339, not after the signing time plus [`SIGNING_TOLERANCE`]) and its link to the
//! record before it. Whether the chain continues what the reader already holds is the reader's
//! check, since only it knows its store.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::cbor::{CborError, Reader, Writer};
use crate::cose::{self, CoseError};
use crate::keys::{IssuerKey, Kid};
use crate::kiosk::{KioskId, RegisteredKiosk};
use crate::visa::Port;

/// The `prev_hash` of a kiosk's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The largest export file read.
pub const MAX_EXPORT_BYTES: usize = 32 * 1024 * 1024;
/// How far a record's time may lie after the export's signing time (clock skew while exporting).
pub const SIGNING_TOLERANCE: Duration = Duration::minutes(10);

const EXPORT_TYPE: &str = "kz-evisa-ledger-export-v1";

/// What a record stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A decision shown to the officer.
    Check,
    /// An entry the officer recorded.
    Entry,
    /// An exit the officer recorded.
    Exit,
}

/// One ledger record, as stored and as carried in an export (one JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerRecord {
    /// The kiosk that wrote it.
    pub kiosk_id: String,
    /// Its position in that kiosk's chain, from 1.
    pub seq: i64,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// The airport, NQZ or ALA.
    pub port: String,
    /// Decision, entry or exit.
    pub kind: RecordKind,
    /// Which way the traveller was crossing: `entry` or `exit` (absent when unknown).
    pub direction: Option<String>,
    /// The visa number, when the code verified.
    pub visa_number: Option<String>,
    /// The passport number on the visa, when the code verified.
    pub passport_number: Option<String>,
    /// `valid`, `invalid` or `cannot_verify`.
    pub verdict: String,
    /// The machine-readable reason.
    pub reason: String,
    /// The reason in words and any details.
    pub detail: String,
    /// The hash of the kiosk's previous record ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// SHA-256 over all the fields above.
    pub hash: String,
}

/// A ledger export whose signature, signer and records were checked by [`open_export`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedExport {
    kiosk: RegisteredKiosk,
    signed_at: OffsetDateTime,
    records: Vec<LedgerRecord>,
}

/// Why a ledger export was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// Larger than [`MAX_EXPORT_BYTES`].
    #[error("the file is larger than a ledger export can be")]
    TooLarge,
    /// JSON lines of the old, unsigned format.
    #[error(
        "this is an unsigned ledger export of the old format, which proves nothing; re-export it on \
         the kiosk with `verifier-kiosk ledger export --ledger LEDGER --trust DIR --out FILE` \
         (the kiosk needs its identity, registered with `issuer kiosk add`)"
    )]
    Unsigned,
    /// Not the COSE_Sign1 structure.
    #[error("the file is not a signed ledger export: {0}")]
    Envelope(#[from] CoseError),
    /// Signed by a key that no registered, unrevoked kiosk holds.
    #[error(
        "the export is signed by key {0}, which is not the key of a registered kiosk (unknown or revoked)"
    )]
    UnknownKiosk(Kid),
    /// The signature does not match: the file was altered.
    #[error("the signature does not match: the export was altered")]
    BadSignature,
    /// Signed, but not a ledger export of this format.
    #[error("the signed content is malformed: {0}")]
    Content(String),
    /// The export names another kiosk or airport than the signing key is registered for.
    #[error("the export says kiosk {claimed}, but its key is registered to {registered}")]
    WrongKiosk {
        /// The kiosk id and port the key is registered for.
        registered: String,
        /// What the export says.
        claimed: String,
    },
    /// One record is not acceptable.
    #[error("record {seq}: {problem}")]
    Record {
        /// The record's position in its kiosk's chain.
        seq: i64,
        /// What is wrong.
        problem: String,
    },
}

impl LedgerRecord {
    /// The record's time, when it is RFC 3339 in the ledger's one spelling (UTC, whole seconds).
    pub fn time(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.at, &Rfc3339)
            .ok()
            .filter(|t| rfc3339_utc(*t) == self.at)
    }
}

impl SignedExport {
    /// The kiosk that signed it, as registered.
    pub fn kiosk(&self) -> &RegisteredKiosk {
        &self.kiosk
    }
    /// When the kiosk signed it, by the kiosk's clock.
    pub fn signed_at(&self) -> OffsetDateTime {
        self.signed_at
    }
    /// The records, in chain order, all of the signing kiosk.
    pub fn records(&self) -> &[LedgerRecord] {
        &self.records
    }
}

/// The SHA-256 (hex) of a record's content and its link, in a fixed JSON form.
pub fn record_hash(r: &LedgerRecord) -> String {
    let content = serde_json::json!([
        r.kiosk_id,
        r.seq,
        r.at,
        r.port,
        r.kind,
        r.direction,
        r.visa_number,
        r.passport_number,
        r.verdict,
        r.reason,
        r.detail,
        r.prev_hash,
    ]);
    hex_lower(&Sha256::digest(content.to_string().as_bytes()))
}

/// An instant as RFC 3339 in UTC, whole seconds: the ledger's one time format (sorts as text).
pub fn rfc3339_utc(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Signs `records` (this kiosk's own chain, in order) as an export file.
pub fn sign_export(
    key: &IssuerKey,
    kiosk_id: &KioskId,
    port: Port,
    signed_at: OffsetDateTime,
    records: &[LedgerRecord],
) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(5).uint(0).text(EXPORT_TYPE);
    w.uint(1).text(kiosk_id.as_str());
    w.uint(2).text(port.code());
    w.uint(3).int(signed_at.unix_timestamp());
    w.uint(4).array(records.len());
    for record in records {
        // Serialising plain strings and numbers cannot fail; an empty object would be refused by
        // every reader, so nothing is lost silently.
        w.text(&serde_json::to_string(record).unwrap_or_default());
    }
    cose::sign1(key, &w.into_bytes())
}

/// Opens an export signed by one of `kiosks` and checks every record in it.
pub fn open_export(
    bytes: &[u8],
    kiosks: &[RegisteredKiosk],
) -> Result<SignedExport, ExchangeError> {
    if bytes.len() > MAX_EXPORT_BYTES {
        return Err(ExchangeError::TooLarge);
    }
    if bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
    {
        return Err(ExchangeError::Unsigned);
    }
    let envelope = cose::Sign1::parse(bytes)?;
    let kiosk = kiosks
        .iter()
        .find(|k| k.kid() == envelope.kid())
        .ok_or(ExchangeError::UnknownKiosk(envelope.kid()))?;
    let payload = envelope
        .verified_payload(&kiosk.key)
        .ok_or(ExchangeError::BadSignature)?;
    let content = |e: CborError| ExchangeError::Content(e.to_string());
    let mut r = Reader::new(payload);
    if r.map().map_err(content)? != 5 || r.uint().map_err(content)? != 0 {
        return Err(ExchangeError::Content("not a ledger export".into()));
    }
    if r.text().map_err(content)? != EXPORT_TYPE {
        return Err(ExchangeError::Content("not a ledger export".into()));
    }
    expect_field(&mut r, 1)?;
    let kiosk_id = r.text().map_err(content)?;
    expect_field(&mut r, 2)?;
    let port = r.text().map_err(content)?;
    if kiosk_id != kiosk.id.as_str() || port != kiosk.port.code() {
        return Err(ExchangeError::WrongKiosk {
            registered: format!("{} at {}", kiosk.id, kiosk.port.code()),
            claimed: format!("{kiosk_id} at {port}"),
        });
    }
    expect_field(&mut r, 3)?;
    let signed_at = OffsetDateTime::from_unix_timestamp(r.int().map_err(content)?)
        .map_err(|_| ExchangeError::Content("the signing time is out of range".into()))?;
    expect_field(&mut r, 4)?;
    let count = usize::try_from(r.array().map_err(content)?)
        .ok()
        .filter(|n| *n <= MAX_EXPORT_BYTES)
        .ok_or_else(|| ExchangeError::Content("an impossible number of records".into()))?;
    let mut records: Vec<LedgerRecord> = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        let line = r.text().map_err(content)?;
        let record: LedgerRecord = serde_json::from_str(line)
            .map_err(|e| ExchangeError::Content(format!("a record is not valid: {e}")))?;
        check_record(&record, kiosk, signed_at, records.last())?;
        records.push(record);
    }
    r.finish().map_err(content)?;
    Ok(SignedExport {
        kiosk: kiosk.clone(),
        signed_at,
        records,
    })
}

/// One record of an export: the signer's, intact, in time, and linked to the record before it.
fn check_record(
    record: &LedgerRecord,
    kiosk: &RegisteredKiosk,
    signed_at: OffsetDateTime,
    previous: Option<&LedgerRecord>,
) -> Result<(), ExchangeError> {
    let refuse = |problem: String| ExchangeError::Record {
        seq: record.seq,
        problem,
    };
    if record.kiosk_id != kiosk.id.as_str() || record.port != kiosk.port.code() {
        return Err(refuse(format!(
            "it names kiosk {} at {}, but the export is signed by {} at {}",
            record.kiosk_id,
            record.port,
            kiosk.id,
            kiosk.port.code()
        )));
    }
    if record_hash(record) != record.hash {
        return Err(refuse("its hash does not match its content".into()));
    }
    let Some(at) = record.time() else {
        return Err(refuse(format!(
            "its time {:?} is not RFC 3339 in UTC like 2026-12-05T05:00:00Z",
            record.at
        )));
    };
    if at > signed_at + SIGNING_TOLERANCE {
        return Err(refuse(format!(
            "it is dated {}, after the export was signed ({})",
            record.at,
            rfc3339_utc(signed_at)
        )));
    }
    match previous {
        Some(p) if record.seq != p.seq + 1 || record.prev_hash != p.hash => Err(refuse(
            "it does not follow the record before it in the export".into(),
        )),
        None if record.seq < 1 => Err(refuse("positions start at 1".into())),
        None if record.seq == 1 && record.prev_hash != GENESIS => Err(refuse(
            "the first record of a chain must follow the genesis hash".into(),
        )),
        _ => Ok(()),
    }
}

fn expect_field(r: &mut Reader<'_>, key: u64) -> Result<(), ExchangeError> {
    match r.uint() {
        Ok(k) if k == key => Ok(()),
        Ok(k) => Err(ExchangeError::Content(format!(
            "field {k} where field {key} belongs"
        ))),
        Err(e) => Err(ExchangeError::Content(e.to_string())),
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
