//! SQL for offline trust: revoking visas and keys, the entries kiosks report, and the sequence of
//! exported trust bundles.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use shared::bundle::{Revocation, UsedEntry};
use shared::visa::VisaNumber;
use shared::{Kid, Port};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// What `revoke_visa` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// Newly revoked.
    Now,
    /// It was already revoked, with this reason; nothing changed.
    Already(String),
}

/// A revocation as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationNote {
    /// The visa number.
    pub visa_number: String,
    /// The officer's reason.
    pub reason: String,
    /// When, RFC 3339.
    pub revoked_at: String,
}

/// Revokes an issued visa. Unknown numbers are an error: only what this issuer signed can be
/// revoked here.
pub fn revoke_visa(
    conn: &mut Connection,
    number: &VisaNumber,
    reason: &str,
    now: &str,
) -> Result<Revoked> {
    let reason = revocation_reason(reason)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: bool = tx
        .prepare_cached("SELECT 1 FROM visas WHERE number = ?1")?
        .query_row([number.as_str()], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if !known {
        bail!("no visa {} was issued here", number.as_str());
    }
    let existing: Option<String> = tx
        .prepare_cached("SELECT reason FROM revocations WHERE visa_number = ?1")?
        .query_row([number.as_str()], |r| r.get(0))
        .optional()?;
    if let Some(reason) = existing {
        return Ok(Revoked::Already(reason));
    }
    tx.prepare_cached(
        "INSERT INTO revocations (visa_number, reason, revoked_at) VALUES (?1,
             ?2, ?3)",
    )?
    .execute(params![number.as_str(), reason, now])?;
    tx.commit()?;
    Ok(Revoked::Now)
}

/// Revokes a signing key (compromise). Idempotent.
pub fn revoke_key(conn: &Connection, kid: &str, reason: &str, now: &str) -> Result<()> {
    if kid.len() != 16 || !kid.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("a key id is 16 hex digits, as `issuer keygen` and the kiosk print it");
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO revoked_keys (kid, reason, revoked_at) VALUES
             (?1, ?2, ?3)",
    )?
    .execute(params![kid.to_ascii_lowercase(), reason.trim(), now])?;
    Ok(())
}

/// The revocations of a user's applications, by application id.
pub fn revocations_of_user(
    conn: &Connection,
    user_id: i64,
) -> Result<HashMap<String, RevocationNote>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, r.visa_number, r.reason, r.revoked_at
         FROM revocations r JOIN visas v ON v.number = r.visa_number
         JOIN applications a ON a.id = v.application_id
         WHERE a.user_id = ?1",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            RevocationNote {
                visa_number: r.get(1)?,
                reason: r.get(2)?,
                revoked_at: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The revocation of one application's visa, if any.
pub fn revocation_of_application(
    conn: &Connection,
    application_id: &str,
) -> Result<Option<RevocationNote>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.visa_number, r.reason, r.revoked_at FROM revocations r JOIN
             visas v ON v.number = r.visa_number WHERE v.application_id = ?1",
        )?
        .query_row([application_id], |r| {
            Ok(RevocationNote {
                visa_number: r.get(0)?,
                reason: r.get(1)?,
                revoked_at: r.get(2)?,
            })
        })
        .optional()?)
}

/// Records entries reported by a kiosk ledger export, inside the caller's transaction; only
/// entries on single-entry visas this issuer signed are kept (others are of no use to a kiosk).
/// Returns how many were new.
pub fn record_used_entries(conn: &Connection, entries: &[UsedEntry], now: &str) -> Result<usize> {
    let mut added = 0;
    for e in entries {
        let single: Option<String> = conn
            .prepare_cached("SELECT json_extract(visa, '$.entries') FROM visas WHERE number = ?1")?
            .query_row([e.visa_number.as_str()], |r| r.get(0))
            .optional()?;
        if single.as_deref() != Some("single") {
            continue;
        }
        added += conn
            .prepare_cached(
                "INSERT OR IGNORE INTO used_entries (visa_number, at, port, kiosk_id,
             imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                e.visa_number.as_str(),
                e.at.format(&Rfc3339)?,
                e.port.code(),
                e.kiosk_id,
                now
            ])?;
    }
    Ok(added)
}

/// Everything a bundle lists from the database.
#[derive(Debug, Clone, Default)]
pub struct TrustContent {
    /// Revoked visas.
    pub revoked_visas: Vec<Revocation>,
    /// Revoked keys.
    pub revoked_keys: Vec<Kid>,
    /// The first entry on each used single-entry visa.
    pub used_entries: Vec<UsedEntry>,
}

/// Reads what the next bundle lists.
pub fn trust_content(conn: &Connection) -> Result<TrustContent> {
    let time = |text: String| {
        OffsetDateTime::parse(&text, &Rfc3339).with_context(|| format!("stored time {text}"))
    };
    let number = |text: String| {
        VisaNumber::parse(&text).map_err(|e| anyhow::anyhow!("stored visa number {text}: {e}"))
    };
    let mut content = TrustContent::default();
    let mut stmt = conn
        .prepare("SELECT visa_number, reason, revoked_at FROM revocations ORDER BY visa_number")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (visa_number, reason, at): (String, String, String) = row?;
        content.revoked_visas.push(Revocation {
            visa_number: number(visa_number)?,
            reason,
            revoked_at: time(at)?,
        });
    }
    let mut stmt = conn.prepare("SELECT kid FROM revoked_keys ORDER BY kid")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for kid in rows {
        let kid = kid?;
        let bytes = hex::decode(&kid).with_context(|| format!("stored key id {kid}"))?;
        content
            .revoked_keys
            .push(Kid::from_slice(&bytes).with_context(|| format!("stored key id {kid}"))?);
    }
    // The earliest entry per visa is the one that used it up.
    let mut stmt = conn.prepare(
        "SELECT visa_number, at, port, kiosk_id FROM used_entries u
         WHERE at = (SELECT min(at) FROM used_entries WHERE visa_number = u.visa_number)
         GROUP BY visa_number ORDER BY visa_number",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    for row in rows {
        let (visa_number, at, port, kiosk_id): (String, String, String, String) = row?;
        content.used_entries.push(UsedEntry {
            visa_number: number(visa_number)?,
            at: time(at)?,
            port: Port::parse(&port).map_err(|e| anyhow::anyhow!("stored port {port}: {e}"))?,
            kiosk_id,
        });
    }
    Ok(content)
}

/// Reserves the next bundle sequence number and records the export, in one transaction, so two
/// exports never share a number.
pub fn record_bundle_export(
    conn: &mut Connection,
    created_at: OffsetDateTime,
    sha256_of: impl FnOnce(u64) -> Result<String>,
) -> Result<u64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let last: Option<i64> = tx
        .prepare_cached("SELECT max(sequence) FROM bundle_exports")?
        .query_row([], |r| r.get(0))?;
    let sequence = u64::try_from(last.unwrap_or(0))? + 1;
    let digest = sha256_of(sequence)?;
    tx.prepare_cached(
        "INSERT INTO bundle_exports (sequence, created_at, sha256) VALUES (?1,
             ?2, ?3)",
    )?
    .execute(params![
        i64::try_from(sequence)?,
        created_at.format(&Rfc3339)?,
        digest
    ])?;
    tx.commit()?;
    Ok(sequence)
}

/// A revocation's reason, trimmed: 1 to [`shared::bundle::MAX_REASON_BYTES`] bytes, as the bundle
/// carries it.
pub fn revocation_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > shared::bundle::MAX_REASON_BYTES {
        bail!(
            "a revocation needs a reason of 1 to {} bytes",
            shared::bundle::MAX_REASON_BYTES
        );
    }
    Ok(reason)
}
