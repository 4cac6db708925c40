//! Single-use tokens sent by e-mail (address confirmation, password reset), kept only as their
//! SHA-256; and what they change on the account: its confirmed address, its password, its
//! sessions, its language.

use crate::store::{Connection, params};
use anyhow::Result;

use crate::domain::mail::TokenPurpose;

/// Keeps a token's hash for an account until `expires_at` (Unix seconds).
pub fn insert(
    conn: &Connection,
    token_hash: &[u8],
    user_id: i64,
    purpose: TokenPurpose,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, purpose.as_str(), now, expires_at],
    )?;
    Ok(())
}

/// The account of an unused, unexpired token, without using it (to show the reset form).
pub fn peek(
    conn: &Connection,
    token_hash: &[u8],
    purpose: TokenPurpose,
    now: i64,
) -> Result<Option<i64>> {
    conn.query_opt(
        "SELECT user_id FROM account_tokens WHERE token_hash = ?1 AND purpose = ?2
             AND used_at IS NULL AND expires_at > ?3",
        params![token_hash, purpose.as_str(), now],
        |r| r.get(0),
    )
}

/// Uses a token: the account it was for if it was unused and unexpired, and it is used from
/// now on whatever the answer; the guarded update makes a second use find nothing.
pub fn consume(
    conn: &Connection,
    token_hash: &[u8],
    purpose: TokenPurpose,
    now: i64,
) -> Result<Option<i64>> {
    conn.query_opt(
        "UPDATE account_tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2
             AND used_at IS NULL AND expires_at > ?3 RETURNING user_id",
        params![token_hash, purpose.as_str(), now],
        |r| r.get(0),
    )
}

/// Marks every unused token of an account for `purpose` as used (a reset link is good once,
/// and the older ones die with it).
pub fn retire(conn: &Connection, user_id: i64, purpose: TokenPurpose, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE account_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = ?2
         AND used_at IS NULL",
        params![user_id, purpose.as_str(), now],
    )?;
    Ok(())
}

/// The account with this e-mail address (already lower-cased).
pub fn user_by_email(conn: &Connection, email: &str) -> Result<Option<i64>> {
    conn.query_opt("SELECT id FROM users WHERE email = ?1", [email], |r| {
        r.get(0)
    })
}

/// Whether the account's address is confirmed.
pub fn is_verified(conn: &Connection, user_id: i64) -> Result<bool> {
    Ok(conn
        .query_opt(
            "SELECT email_verified_at IS NOT NULL FROM users WHERE id = ?1",
            [user_id],
            |r| r.get(0),
        )?
        .unwrap_or(false))
}

/// Records that the account's holder receives mail at its address (first time only).
pub fn mark_verified(conn: &Connection, user_id: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE users SET email_verified_at = ?2 WHERE id = ?1 AND email_verified_at IS NULL",
        params![user_id, now],
    )?;
    Ok(())
}

/// The language mail to this account is written in (`kk`, `ru` or `en`).
pub fn set_lang(conn: &Connection, user_id: i64, lang: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET lang = ?2 WHERE id = ?1",
        params![user_id, lang],
    )?;
    Ok(())
}

/// Replaces the account's password hash.
pub fn set_password_hash(conn: &Connection, user_id: i64, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, hash],
    )?;
    Ok(())
}

/// Ends every session of the account (web and API); returns how many there were.
pub fn end_sessions(conn: &Connection, user_id: i64) -> Result<usize> {
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
}
