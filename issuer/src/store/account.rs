//! Accounts and sessions: users with their password hashes, and server-side sessions kept under
//! the hash of their token.

use crate::store::{Connection, params};
use anyhow::Result;

use crate::domain::account::{LoginId, User};

/// A session as found by its token.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The session's CSRF token.
    pub csrf: String,
}

/// Creates an account; `None` when the e-mail is taken.
pub fn insert_user(
    conn: &Connection,
    email: &str,
    full_name: &str,
    password_hash: &str,
    now: &str,
) -> Result<Option<i64>> {
    conn.prepare_cached(
        "INSERT INTO users (email, full_name, password_hash, created_at) VALUES
             (?1, ?2, ?3, ?4) ON CONFLICT (email) DO NOTHING RETURNING id",
    )?
    .query_opt(params![email, full_name, password_hash, now], |r| r.get(0))
}

/// The user id and password hash for a login identifier: an e-mail, or the BIN/IIN of an inviting
/// party that has an account.
pub fn find_login(conn: &Connection, identifier: &str) -> Result<Option<(i64, String)>> {
    find_login_id(conn, &LoginId::parse(identifier))
}

/// The user id and password hash of the account a parsed identifier names.
pub fn find_login_id(conn: &Connection, id: &LoginId) -> Result<Option<(i64, String)>> {
    let row = match id {
        LoginId::TaxId(tax_id) => conn.query_opt(
            "SELECT u.id, u.password_hash FROM users u JOIN inviters i ON i.user_id = u.id
                 WHERE i.tax_id = ?1",
            [tax_id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        LoginId::Email(email) => conn.query_opt(
            "SELECT id, password_hash FROM users WHERE email = ?1",
            [email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
    };
    Ok(row)
}

/// Stores a session under the hash of its token.
pub fn insert_session(
    conn: &Connection,
    token_hash: &[u8],
    kind: &str,
    user_id: Option<i64>,
    csrf: &str,
    expires_at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, kind, user_id, csrf, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![token_hash, kind, user_id, csrf, expires_at])?;
    Ok(())
}

/// The live session with this token hash.
pub fn find_session(
    conn: &Connection,
    token_hash: &[u8],
    kind: &str,
    now: i64,
) -> Result<Option<SessionRow>> {
    conn.prepare_cached(
        "SELECT s.csrf, u.id, u.email, u.full_name FROM sessions s LEFT JOIN
             users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.kind = ?2
             AND s.expires_at > ?3",
    )?
    .query_opt(params![token_hash, kind, now], |r| {
        let user = match r.get::<_, Option<i64>>(1)? {
            Some(id) => Some(User {
                id,
                email: r.get(2)?,
                full_name: r.get(3)?,
            }),
            None => None,
        };
        Ok(SessionRow {
            user,
            csrf: r.get(0)?,
        })
    })
}

/// Ends a session.
pub fn delete_session(conn: &Connection, token_hash: &[u8]) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}

/// Forgets expired sessions.
pub fn purge_sessions(conn: &Connection, now: i64) -> Result<usize> {
    conn.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
        .execute([now])
}
