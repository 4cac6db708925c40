//! The back office's officers and their sessions (a separate table from the applicants', behind
//! a separate cookie).

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::office::{Officer, Role};

/// Creates an officer who has not set a password or a second factor yet, reachable through the
/// one-time set-up token whose hash is given. Returns the officer's id, or `None` when the e-mail
/// address is taken.
pub fn insert_officer(
    conn: &Connection,
    email: &str,
    role: Role,
    setup_token_hash: &[u8],
    setup_expires_at: i64,
    now: &str,
) -> Result<Option<i64>> {
    let inserted = conn.execute(
        "INSERT INTO officers (email, role, setup_token_hash, setup_expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (email) DO NOTHING",
        params![
            email,
            role.as_str(),
            setup_token_hash,
            setup_expires_at,
            now
        ],
    )?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

/// Stores a back-office session under the hash of its token.
pub fn insert_session(
    conn: &Connection,
    token_hash: &[u8],
    officer_id: i64,
    csrf: &str,
    expires_at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO office_sessions (token_hash, officer_id, csrf, expires_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![token_hash, officer_id, csrf, expires_at])?;
    Ok(())
}

/// The officer of a live session and the session's CSRF token; `None` when the session is
/// unknown or expired or the officer is disabled.
pub fn find_session(
    conn: &Connection,
    token_hash: &[u8],
    now: i64,
) -> Result<Option<(Officer, String)>> {
    let row: Option<(i64, String, String, String)> = conn
        .prepare_cached(
            "SELECT o.id, o.email, o.role, s.csrf FROM office_sessions s
             JOIN officers o ON o.id = s.officer_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND o.disabled_at IS NULL",
        )?
        .query_row(params![token_hash, now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    Ok(row.and_then(|(id, email, role, csrf)| {
        Role::parse(&role).map(|role| (Officer { id, email, role }, csrf))
    }))
}

/// Ends a back-office session.
pub fn delete_session(conn: &Connection, token_hash: &[u8]) -> Result<()> {
    conn.execute(
        "DELETE FROM office_sessions WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}
