//! Rows written straight in their final state, for `issuer seed` (benchmarks at scale only): an
//! application already paid and its paid payment. Everything else a seeded visa needs goes
//! through the ordinary store functions (`account::insert_user`, `invitation::insert_invitation`,
//! `visa::insert`).

use crate::store::{Connection, params};
use anyhow::Result;

/// A paid application on an invitation, with its applicant's form as JSON.
pub fn insert_paid_application(
    conn: &Connection,
    id: &str,
    user_id: i64,
    invitation_id: i64,
    data: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO applications (id, user_id, invitation_id, status, data, created_at,
         updated_at) VALUES (?1, ?2, ?3, 'paid', ?4, ?5, ?5)",
    )?
    .execute(params![id, user_id, invitation_id, data, now])?;
    Ok(())
}

/// A payment of the duty, paid by card at `now`.
pub fn insert_paid_payment(
    conn: &Connection,
    order_id: &str,
    application_id: &str,
    amount_minor: i64,
    currency: &str,
    receipt: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO payments (order_id, application_id, amount_minor, currency,
         gateway_payment_id, status, method, receipt_number, paid_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?1, 'paid', 'card', ?5, ?6, ?6, ?6)",
    )?
    .execute(params![
        order_id,
        application_id,
        amount_minor,
        currency,
        receipt,
        now
    ])?;
    Ok(())
}

/// An entry on a visa, as an imported kiosk ledger records it (`trust::record_used_entries`).
pub fn insert_used_entry(
    conn: &Connection,
    visa_number: &str,
    at: &str,
    port: &str,
    kiosk_id: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO used_entries (visa_number, at, port, kiosk_id, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![visa_number, at, port, kiosk_id, now])?;
    Ok(())
}

/// Switches the write connection between a rollback journal (`fast`, for one large load with
/// nobody reading: no copy of every new page in the WAL) and WAL again, with a larger page cache
/// meanwhile. PostgreSQL has nothing to switch.
pub fn bulk_mode(conn: &Connection, fast: bool) -> Result<()> {
    let Some(conn) = conn.sqlite() else {
        return Ok(());
    };
    let (journal, cache): (&str, i64) = if fast {
        ("DELETE", -262_144)
    } else {
        ("WAL", -2_000)
    };
    conn.pragma_update(None, "cache_size", cache)?;
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", journal, |r| r.get(0))?;
    Ok(())
}
