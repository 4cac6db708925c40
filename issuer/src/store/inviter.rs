//! The review of inviting parties: the back office's lists by state, and the guarded state change
//! a decision makes (the service appends its audit entry in the same transaction).

use crate::store::{Connection, Row, params};
use anyhow::Result;

use super::invitation::{INVITER_COLUMNS, InviterRow};
use crate::domain::invitation::Inviter;
use crate::domain::inviter::{InviterState, Review};

/// The parties in one state with what they submitted: oldest first (the queue's order).
pub fn reviews(conn: &Connection, state: InviterState) -> Result<Vec<Review>> {
    let columns = INVITER_COLUMNS
        .split(", ")
        .map(|c| format!("i.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT {columns}, u.email, i.created_at, i.decision_reason, i.decided_by, i.decided_at
         FROM inviters i LEFT JOIN users u ON u.id = i.user_id
         WHERE i.state = ?1 ORDER BY i.created_at, i.id"
    ))?;
    let rows = stmt
        .query_map([state.as_str()], |r: &Row<'_>| {
            Ok((
                InviterRow::read(r, 0)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })?
        .collect::<anyhow::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(row, email, submitted_at, reason, decided_by, decided_at)| {
                Ok(Review {
                    inviter: Inviter::try_from(row)?,
                    email,
                    submitted_at,
                    reason,
                    decided_by,
                    decided_at,
                })
            },
        )
        .collect()
}

/// Moves a party from `from` to `to` if it is still in `from`; `false` if it changed meanwhile.
/// Verifying freezes the party's current name as its verified name; rejecting or suspending
/// records the reason. Who decided and when are kept either way.
pub fn set_state(
    conn: &Connection,
    id: i64,
    from: InviterState,
    to: InviterState,
    reason: Option<&str>,
    by: &str,
    now: &str,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE inviters SET state = ?1, decision_reason = ?2, decided_by = ?3, decided_at = ?4,
            verified_name = CASE WHEN ?1 = 'verified' THEN name ELSE verified_name END
         WHERE id = ?5 AND state = ?6",
        params![to.as_str(), reason, by, now, id, from.as_str()],
    )?;
    Ok(changed == 1)
}

/// The id of the party with this BIN/IIN if it is pending and no one has ever decided about it.
pub fn never_reviewed(conn: &Connection, tax_id: &str) -> Result<Option<i64>> {
    conn.query_opt(
        "SELECT id FROM inviters WHERE tax_id = ?1 AND state = 'pending' AND decided_at IS NULL",
        [tax_id],
        |r| r.get(0),
    )
}

/// The reason of a party's last rejection or suspension, if it has one.
pub fn reason_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    conn.query_row(
        "SELECT decision_reason FROM inviters WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
}
