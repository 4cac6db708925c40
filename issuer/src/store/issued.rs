//! Issued visas as the back office sees them: one by its number, or the latest, paged by number,
//! each with its holder and whether it was revoked.

use crate::store::{Connection, Row, params};
use anyhow::Result;

/// An issued visa's row for the back office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedRow {
    /// The visa number.
    pub number: String,
    /// The holder's surname and given names, in Latin letters.
    pub holder: String,
    /// The holder's citizenship (ISO alpha-3).
    pub citizenship: String,
    /// The holder's passport number.
    pub passport_number: String,
    /// business, tourist or treatment.
    pub category: String,
    /// single or double.
    pub entries: String,
    /// First day of validity.
    pub valid_from: String,
    /// Last day of validity.
    pub valid_until: String,
    /// When it was signed, RFC 3339.
    pub signed_at: String,
    /// The key that signed it.
    pub kid: String,
    /// When and why it was revoked, if it was.
    pub revoked: Option<(String, String)>,
}

const SELECT: &str = "SELECT v.number,
        trim(json_extract(v.visa, '$.surname') || ' ' || coalesce(json_extract(v.visa, '$.given_names'), '')),
        json_extract(v.visa, '$.citizenship'), json_extract(v.visa, '$.passport_number'),
        json_extract(v.visa, '$.category'), json_extract(v.visa, '$.entries'),
        json_extract(v.visa, '$.valid_from'), json_extract(v.visa, '$.valid_until'),
        v.signed_at, v.kid, r.revoked_at, r.reason
    FROM visas v LEFT JOIN revocations r ON r.visa_number = v.number";

/// The visa with this number, if this issuer signed it.
pub fn by_number(conn: &Connection, number: &str) -> Result<Option<IssuedRow>> {
    conn.prepare_cached(&format!("{SELECT} WHERE v.number = ?1"))?
        .query_opt([number], read)
}

/// Up to `limit` visas, the highest numbers (the latest) first, below `before` when given.
pub fn latest(conn: &Connection, before: Option<&str>, limit: u32) -> Result<Vec<IssuedRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE v.number < ?1 ORDER BY v.number DESC LIMIT ?2"
    ))?;
    // Visa numbers are "KZ" and digits; every one sorts below "L".
    let rows = stmt.query_map(params![before.unwrap_or("L"), limit], read)?;
    rows.collect::<anyhow::Result<_>>()
}

fn read(r: &Row<'_>) -> anyhow::Result<IssuedRow> {
    let text = |i: usize| -> anyhow::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    let revoked = match (
        r.get::<_, Option<String>>(10)?,
        r.get::<_, Option<String>>(11)?,
    ) {
        (Some(at), Some(reason)) => Some((at, reason)),
        _ => None,
    };
    Ok(IssuedRow {
        number: r.get(0)?,
        holder: text(1)?,
        citizenship: text(2)?,
        passport_number: text(3)?,
        category: text(4)?,
        entries: text(5)?,
        valid_from: text(6)?,
        valid_until: text(7)?,
        signed_at: r.get(8)?,
        kid: r.get(9)?,
        revoked,
    })
}
