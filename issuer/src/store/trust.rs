//! SQL for offline trust: revoking visas and keys, the entries kiosks report, and the sequence of
//! exported trust bundles.

use std::collections::HashMap;

use crate::store::{Connection, params};
use anyhow::{Context, Result, bail};
use shared::bundle::{Revocation, UsedEntry};
use shared::visa::VisaNumber;
use shared::{Kid, Port};
use time::{Date, OffsetDateTime};

use crate::domain::mail::Letter;
use time::format_description::well_known::Rfc3339;

/// What `revoke_visa` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// Newly revoked.
    Now,
    /// It was already revoked, with this reason; nothing changed.
    Already(String),
    /// No visa with this number was issued here: only what this issuer signed can be revoked.
    Unknown,
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

/// Revokes an issued visa, inside the caller's transaction (so the audit entry that records it
/// is stored with it or not at all).
pub fn revoke_visa(
    conn: &Connection,
    number: &VisaNumber,
    reason: &str,
    now: &str,
) -> Result<Revoked> {
    let reason = revocation_reason(reason)?;
    let known: bool = conn
        .query_opt(
            "SELECT 1 FROM visas WHERE number = ?1",
            [number.as_str()],
            |_| Ok(true),
        )?
        .unwrap_or(false);
    if !known {
        return Ok(Revoked::Unknown);
    }
    let existing: Option<String> = conn.query_opt(
        "SELECT reason FROM revocations WHERE visa_number = ?1",
        [number.as_str()],
        |r| r.get(0),
    )?;
    if let Some(reason) = existing {
        return Ok(Revoked::Already(reason));
    }
    conn.execute(
        "INSERT INTO revocations (visa_number, reason, revoked_at) VALUES (?1, ?2, ?3)",
        params![number.as_str(), reason, now],
    )?;
    // The holder is told in the same transaction (store/outbox.rs).
    let application_id: String = conn.query_row(
        "SELECT application_id FROM visas WHERE number = ?1",
        [number.as_str()],
        |r| r.get(0),
    )?;
    let letter = Letter::VisaRevoked {
        application_id: application_id.clone(),
        visa_number: number.as_str().to_owned(),
        reason: reason.to_owned(),
    };
    super::outbox::enqueue_to_applicant(
        conn,
        &application_id,
        &letter,
        super::outbox::unix_of(now)?,
    )?;
    Ok(Revoked::Now)
}

/// Revokes a signing key (compromise), inside the caller's transaction. Answers whether it was
/// newly revoked (`false`: it already was, and nothing changed).
pub fn revoke_key(conn: &Connection, kid: &str, reason: &str, now: &str) -> Result<bool> {
    if kid.len() != 16 || !kid.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("a key id is 16 hex digits, as `issuer keygen` and the kiosk print it");
    }
    let reason = revocation_reason(reason)?;
    let added = conn.execute(
        "INSERT INTO revoked_keys (kid, reason, revoked_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        params![kid.to_ascii_lowercase(), reason, now],
    )?;
    Ok(added == 1)
}

/// A revoked signing key, for the back office's key list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedKey {
    /// The key id, 16 lower-case hex digits.
    pub kid: String,
    /// Why.
    pub reason: String,
    /// When, RFC 3339.
    pub revoked_at: String,
}

/// Every revoked key, by key id.
pub fn revoked_keys(conn: &Connection) -> Result<Vec<RevokedKey>> {
    let mut stmt = conn.prepare("SELECT kid, reason, revoked_at FROM revoked_keys ORDER BY kid")?;
    let rows = stmt.query_map([], |r| {
        Ok(RevokedKey {
            kid: r.get(0)?,
            reason: r.get(1)?,
            revoked_at: r.get(2)?,
        })
    })?;
    rows.collect::<Result<_, _>>()
}

/// The revocations of a user's applications, by application id.
pub fn revocations_of_user(
    conn: &Connection,
    user_id: i64,
) -> Result<HashMap<String, RevocationNote>> {
    let mut stmt = conn.prepare_cached(
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
    rows.collect::<Result<_, _>>()
}

/// The revocation of one application's visa, if any.
pub fn revocation_of_application(
    conn: &Connection,
    application_id: &str,
) -> Result<Option<RevocationNote>> {
    conn.prepare_cached(
        "SELECT r.visa_number, r.reason, r.revoked_at FROM revocations r JOIN
             visas v ON v.number = r.visa_number WHERE v.application_id = ?1",
    )?
    .query_opt([application_id], |r| {
        Ok(RevocationNote {
            visa_number: r.get(0)?,
            reason: r.get(1)?,
            revoked_at: r.get(2)?,
        })
    })
}

/// Records entries reported by a kiosk ledger export, inside the caller's transaction; only
/// entries on single-entry visas this issuer signed are kept (others are of no use to a kiosk).
/// Returns how many were new.
pub fn record_used_entries(conn: &Connection, entries: &[UsedEntry], now: &str) -> Result<usize> {
    let mut added = 0;
    for e in entries {
        let single: Option<String> = conn
            .prepare_cached("SELECT json_extract(visa, '$.entries') FROM visas WHERE number = ?1")?
            .query_opt([e.visa_number.as_str()], |r| r.get(0))?;
        if single.as_deref() != Some("single") {
            continue;
        }
        added += conn
            .prepare_cached(
                "INSERT INTO used_entries (visa_number, at, port, kiosk_id,
             imported_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
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

/// What a bundle lists from the database.
#[derive(Debug, Clone, Default)]
pub struct TrustContent {
    /// Revoked visas valid until the first listed day or later.
    pub revoked_visas: Vec<Revocation>,
    /// Revoked keys.
    pub revoked_keys: Vec<Kid>,
    /// The first entry on each used single-entry visa valid until the first listed day or later.
    pub used_entries: Vec<UsedEntry>,
}

/// Reads what the next bundle lists: the revocations and first uses of the visas valid until
/// `first_listed_day` or later (`shared::bundle::first_listed_day`; a visa that ended before is
/// refused as expired anyway; a revocation whose visa row is missing is kept, since nothing says
/// when it ends), and every revoked key. Both lists are read through the index of
/// the visas' last day, so the work follows the visas still valid, not the years of history.
pub fn trust_content(conn: &Connection, first_listed_day: Date) -> Result<TrustContent> {
    let time = |text: String| {
        OffsetDateTime::parse(&text, &Rfc3339).with_context(|| format!("stored time {text}"))
    };
    let number = |text: String| {
        VisaNumber::parse(&text).map_err(|e| anyhow::anyhow!("stored visa number {text}: {e}"))
    };
    let day = first_listed_day.to_string();
    let mut content = TrustContent::default();
    let mut stmt = conn.prepare(
        "SELECT r.visa_number, r.reason, r.revoked_at FROM revocations r
         LEFT JOIN visas v ON v.number = r.visa_number
         WHERE v.number IS NULL OR json_extract(v.visa, '$.valid_until') >= ?1
         ORDER BY r.visa_number",
    )?;
    let rows = stmt.query_map([&day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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
    // The earliest entry per visa is the one that used it up (at the same instant, the first
    // kiosk id: one row per visa, in SQL both engines take).
    let mut stmt = conn.prepare(
        "SELECT u.visa_number, u.at, u.port, u.kiosk_id FROM visas v
         JOIN used_entries u ON u.visa_number = v.number
         WHERE json_extract(v.visa, '$.valid_until') >= ?1
         AND NOT EXISTS (SELECT 1 FROM used_entries e WHERE e.visa_number = u.visa_number
             AND (e.at < u.at OR (e.at = u.at AND e.kiosk_id < u.kiosk_id)))
         ORDER BY u.visa_number",
    )?;
    let rows = stmt.query_map([&day], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
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

/// The number the next bundle gets: one more than the last exported. Read it in the immediate
/// transaction that records the export, so two exports never share a number.
pub fn next_bundle_sequence(conn: &Connection) -> Result<u64> {
    let last: Option<i64> =
        conn.query_row("SELECT max(sequence) FROM bundle_exports", [], |r| r.get(0))?;
    Ok(u64::try_from(last.unwrap_or(0))? + 1)
}

/// Records an exported bundle, inside the transaction that read [`next_bundle_sequence`]; a
/// second export with the same number fails on the primary key.
pub fn record_bundle_export(
    conn: &Connection,
    sequence: u64,
    created_at: OffsetDateTime,
    sha256: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO bundle_exports (sequence, created_at, sha256) VALUES (?1, ?2, ?3)",
        params![
            i64::try_from(sequence)?,
            created_at.format(&Rfc3339)?,
            sha256
        ],
    )?;
    Ok(())
}

/// The last exported bundle: its number, time (RFC 3339) and SHA-256, if any was exported.
pub fn last_bundle_export(conn: &Connection) -> Result<Option<(u64, String, String)>> {
    let row: Option<(i64, String, String)> = conn.query_opt(
        "SELECT sequence, created_at, sha256 FROM bundle_exports ORDER BY sequence DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    row.map(|(sequence, at, sha)| Ok((u64::try_from(sequence)?, at, sha)))
        .transpose()
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
