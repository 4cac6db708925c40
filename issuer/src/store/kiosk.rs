//! SQL for registered kiosks (their ids, airports and public keys, and revocations) and for what
//! the issuer knows of each kiosk's ledger chain: the hash at every position imported so far, so
//! that a second history of a kiosk (a fork) is recognised as tampering.

use crate::store::{Connection, TransactionBehavior, params};
use anyhow::{Context, Result, bail};
use shared::bundle::UsedEntry;
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::ledger::{GENESIS, LedgerRecord, RecordKind};
use shared::{Port, PublicKey};

use super::Checked;
use crate::domain::kiosk::{ChainImport, ImportRefusal};

/// A kiosk as stored, revoked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRow {
    /// The kiosk.
    pub kiosk: RegisteredKiosk,
    /// When and why it was revoked, if it was.
    pub revoked: Option<(String, String)>,
}

/// What `add_kiosk` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Newly registered.
    Now,
    /// Already registered with this id, port and key; nothing changed.
    Already,
}

/// What `revoke_kiosk` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KioskRevoked {
    /// Newly revoked.
    Now,
    /// Already revoked, with this reason; nothing changed.
    Already(String),
}

/// Registers a kiosk. An id or a key may belong to one kiosk only, and a revoked kiosk's id is
/// never given a new key: its replacement is registered under a new id.
pub fn add_kiosk(conn: &mut Connection, kiosk: &RegisteredKiosk, now: &str) -> Result<Added> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let key_hex = hex::encode(kiosk.key.as_bytes());
    let by_id: Option<(String, String, Option<String>)> = tx.query_opt(
        "SELECT port, public_key, revoked_at FROM kiosks WHERE id = ?1",
        [kiosk.id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if let Some((port, key, revoked_at)) = by_id {
        if let Some(at) = revoked_at {
            bail!(
                "kiosk {} was revoked on {at}; register its replacement under a new id",
                kiosk.id
            );
        }
        if port == kiosk.port.code() && key == key_hex {
            return Ok(Added::Already);
        }
        bail!(
            "kiosk {} is already registered at {port} with key {}; revoke it and register the replacement under a new id",
            kiosk.id,
            kid_of_hex(&key)
        );
    }
    let by_key: Option<String> = tx.query_opt(
        "SELECT id FROM kiosks WHERE public_key = ?1",
        [&key_hex],
        |r| r.get(0),
    )?;
    if let Some(other) = by_key {
        bail!(
            "this key is already registered for kiosk {other}; every kiosk makes its own key with `verifier-kiosk identity`"
        );
    }
    tx.execute(
        "INSERT INTO kiosks (id, port, public_key, kid, registered_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            kiosk.id.as_str(),
            kiosk.port.code(),
            key_hex,
            kiosk.kid().to_string(),
            now
        ],
    )?;
    tx.commit()?;
    Ok(Added::Now)
}

/// Revokes a kiosk: the next bundle leaves it out, and its exports are refused from now on.
pub fn revoke_kiosk(
    conn: &mut Connection,
    id: &KioskId,
    reason: &str,
    now: &str,
) -> Result<KioskRevoked> {
    let reason = super::trust::revocation_reason(reason)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing: Option<Option<String>> = tx.query_opt(
        "SELECT revoke_reason FROM kiosks WHERE id = ?1",
        [id.as_str()],
        |r| r.get(0),
    )?;
    match existing {
        None => bail!("no kiosk {id} is registered"),
        Some(Some(reason)) => return Ok(KioskRevoked::Already(reason)),
        Some(None) => {}
    }
    tx.execute(
        "UPDATE kiosks SET revoked_at = ?2, revoke_reason = ?3 WHERE id = ?1",
        params![id.as_str(), now, reason],
    )?;
    tx.commit()?;
    Ok(KioskRevoked::Now)
}

/// Every registered kiosk, revoked ones too, by id.
pub fn kiosks(conn: &Connection) -> Result<Vec<KioskRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, port, public_key, revoked_at, revoke_reason FROM kiosks ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut kiosks = Vec::new();
    for row in rows {
        let (id, port, key, revoked_at, reason) = row?;
        let raw: [u8; 32] = hex::decode(&key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("stored key of kiosk {id}"))?;
        kiosks.push(KioskRow {
            kiosk: RegisteredKiosk {
                id: KioskId::parse(&id).with_context(|| format!("stored kiosk id {id}"))?,
                port: Port::parse(&port)
                    .map_err(|e| anyhow::anyhow!("stored port of kiosk {id}: {e}"))?,
                key: PublicKey::from_bytes(&raw)
                    .with_context(|| format!("stored key of kiosk {id}"))?,
            },
            revoked: revoked_at.map(|at| (at, reason.unwrap_or_default())),
        });
    }
    Ok(kiosks)
}

/// The registered kiosks that are not revoked: what the next bundle lists and whose exports the
/// issuer imports.
pub fn active_kiosks(conn: &Connection) -> Result<Vec<RegisteredKiosk>> {
    Ok(kiosks(conn)?
        .into_iter()
        .filter(|row| row.revoked.is_none())
        .map(|row| row.kiosk)
        .collect())
}

/// Stores a checked export's records inside the caller's transaction (roll it back on a refusal):
/// each must be new (or identical to the one held at its position) and continue the chain the
/// issuer holds of its kiosk. Each new entry or exit is also kept as a crossing (port, direction,
/// time, visa, overstay) for the statistics. Then keeps the `entries` on single-entry visas this
/// issuer signed, for the next bundle.
pub fn import_chain(
    tx: &Connection,
    records: &[LedgerRecord],
    entries: &[UsedEntry],
    now: &str,
) -> Result<Checked<ChainImport, ImportRefusal>> {
    let held = |seq: i64, kiosk_id: &str| -> anyhow::Result<Option<String>> {
        tx.query_opt(
            "SELECT hash FROM kiosk_records WHERE kiosk_id = ?1 AND seq = ?2",
            params![kiosk_id, seq],
            |r| r.get(0),
        )
    };
    let mut result = ChainImport::default();
    for record in records {
        match held(record.seq, &record.kiosk_id)? {
            Some(hash) if hash == record.hash => {
                result.known += 1;
                continue;
            }
            Some(hash) => {
                return Ok(Checked::Refused(ImportRefusal::Fork {
                    kiosk_id: record.kiosk_id.clone(),
                    seq: record.seq,
                    held: hash,
                    offered: record.hash.clone(),
                }));
            }
            None => {}
        }
        let previous = if record.seq == 1 {
            Some(GENESIS.to_owned())
        } else {
            held(record.seq - 1, &record.kiosk_id)?
        };
        if previous.as_deref() != Some(record.prev_hash.as_str()) {
            return Ok(Checked::Refused(ImportRefusal::Discontinuous {
                kiosk_id: record.kiosk_id.clone(),
                seq: record.seq,
            }));
        }
        tx.prepare_cached(
            "INSERT INTO kiosk_records (kiosk_id, seq, hash, at, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            record.kiosk_id,
            record.seq,
            record.hash,
            record.at,
            now
        ])?;
        let direction = match record.kind {
            RecordKind::Entry => Some("entry"),
            RecordKind::Exit => Some("exit"),
            RecordKind::Check => None,
        };
        if let Some(direction) = direction {
            tx.prepare_cached(
                "INSERT INTO crossings (kiosk_id, seq, at, port, direction, visa_number, overstay)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                record.kiosk_id,
                record.seq,
                record.at,
                record.port,
                direction,
                record.visa_number,
                record.reason == "overstay"
            ])?;
        }
        result.new += 1;
    }
    result.entries = super::trust::record_used_entries(tx, entries, now)?;
    Ok(Checked::Stored(result))
}

/// What the issuer holds of a kiosk's ledger: the last record's position and when the last
/// upload that added records was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastUpload {
    /// The kiosk.
    pub kiosk_id: String,
    /// The highest record position held.
    pub last_seq: i64,
    /// When the newest record was imported, RFC 3339.
    pub imported_at: String,
}

/// The last upload of every kiosk that has uploaded, by kiosk id.
pub fn last_uploads(conn: &Connection) -> Result<Vec<LastUpload>> {
    let mut stmt = conn.prepare(
        "SELECT kiosk_id, max(seq), max(imported_at) FROM kiosk_records
         GROUP BY kiosk_id ORDER BY kiosk_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(LastUpload {
            kiosk_id: r.get(0)?,
            last_seq: r.get(1)?,
            imported_at: r.get(2)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

fn kid_of_hex(key_hex: &str) -> String {
    hex::decode(key_hex)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(|raw| shared::Kid::of(&raw).to_string())
        .unwrap_or_else(|| "?".to_owned())
}
