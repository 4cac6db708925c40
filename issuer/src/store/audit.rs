//! The audit log: appended to in the same transaction as the action it records, never updated or
//! deleted (triggers refuse both), each entry chained to the one before by hash.

use crate::store::{Connection, params};
use anyhow::Result;

use crate::domain::audit::{Entry, GENESIS, link};

/// An entry as stored: its number, its fields and its chained hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Its place in the log, from 1.
    pub seq: i64,
    /// The entry.
    pub entry: Entry,
    /// SHA-256 chaining it to the previous entry.
    pub hash: [u8; 32],
}

/// What checking the chain found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every entry links to the one before; carries how many there are.
    Intact(u64),
    /// The first entry whose number or hash does not follow from the entries before it.
    BrokenAt(i64),
}

/// Appends an entry after the last one and returns its number. Call it inside the transaction of
/// the action it records, so both are stored or neither.
pub fn append(conn: &Connection, entry: &Entry) -> Result<i64> {
    let last: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_opt([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (seq, previous) = match last {
        Some((seq, hash)) => (seq + 1, to_hash(&hash)),
        None => (1, GENESIS),
    };
    let hash = link(&previous, seq, entry);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, record, before, after, address, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.record,
        entry.before,
        entry.after,
        entry.address,
        &hash[..],
    ])?;
    Ok(seq)
}

/// Up to `limit` entries, newest first, older than `before` when given (for paging).
pub fn page(conn: &Connection, before: Option<i64>, limit: u32) -> Result<Vec<Stored>> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, at, actor, action, record, before, after, address, hash FROM audit_log
         WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = statement.query_map(params![before.unwrap_or(i64::MAX), limit], read)?;
    rows.collect::<anyhow::Result<_>>()
}

/// Walks the whole log in order and checks every number and hash.
pub fn verify(conn: &Connection) -> Result<ChainCheck> {
    let mut statement = conn.prepare(
        "SELECT seq, at, actor, action, record, before, after, address, hash FROM audit_log
         ORDER BY seq",
    )?;
    let mut rows = statement.query_map([], read)?;
    let mut previous = GENESIS;
    let mut count = 0u64;
    while let Some(stored) = rows.next().transpose()? {
        let expected_seq = i64::try_from(count + 1)?;
        if stored.seq != expected_seq || link(&previous, stored.seq, &stored.entry) != stored.hash {
            return Ok(ChainCheck::BrokenAt(stored.seq));
        }
        previous = stored.hash;
        count += 1;
    }
    Ok(ChainCheck::Intact(count))
}

fn read(r: &crate::store::Row<'_>) -> anyhow::Result<Stored> {
    Ok(Stored {
        seq: r.get(0)?,
        entry: Entry {
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            record: r.get(4)?,
            before: r.get(5)?,
            after: r.get(6)?,
            address: r.get(7)?,
        },
        hash: to_hash(&r.get::<_, Vec<u8>>(8)?),
    })
}

fn to_hash(bytes: &[u8]) -> [u8; 32] {
    let mut hash = [0u8; 32];
    if bytes.len() == 32 {
        hash.copy_from_slice(bytes);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::{Action, Actor};

    fn entry(n: u32) -> Entry {
        Entry::new(
            format!("2026-11-30T10:00:{n:02}Z"),
            &Actor::Operator,
            Action::InviterVerified,
            format!("inviter:{n}"),
        )
    }

    #[test]
    fn the_chain_verifies_and_the_database_refuses_edits_and_deletes() {
        let db = crate::store::Db::in_memory().expect("db");
        db.with(|conn| {
            for n in 1..=3 {
                append(conn, &entry(n))?;
            }
            assert_eq!(verify(conn)?, ChainCheck::Intact(3));
            assert_eq!(
                page(conn, None, 2)?
                    .iter()
                    .map(|s| s.seq)
                    .collect::<Vec<_>>(),
                [3, 2]
            );
            assert_eq!(page(conn, Some(2), 10)?.len(), 1);
            assert!(
                conn.execute("UPDATE audit_log SET record = 'x' WHERE seq = 2", [])
                    .is_err()
            );
            assert!(
                conn.execute("DELETE FROM audit_log WHERE seq = 3", [])
                    .is_err()
            );
            // Someone with the file drops the triggers and edits an entry: verify finds it.
            conn.execute_batch(match conn.backend() {
                crate::store::Backend::Sqlite => {
                    "DROP TRIGGER audit_log_no_update;
                     UPDATE audit_log SET record = 'x' WHERE seq = 2;"
                }
                crate::store::Backend::Postgres => {
                    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
                     UPDATE audit_log SET record = 'x' WHERE seq = 2;"
                }
            })?;
            assert_eq!(verify(conn)?, ChainCheck::BrokenAt(2));
            Ok(())
        })
        .expect("runs");
    }
}
