//! The outbox: every mail the portal owes someone, written in the same transaction as the event
//! it tells of (a sign-up, a confirmed payment, an issued or revoked visa), so a mail is never
//! lost when the event happened and never queued when it did not. The mailer reads what is due,
//! delivers it and marks it sent or schedules a retry. A delivered row keeps its kind, recipient
//! and times but forgets the letter, which may hold a single-use link.

use crate::store::{Connection, params};
use anyhow::{Result, anyhow};

use crate::domain::mail::Letter;

/// A mail waiting for delivery.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The outbox row (also the stable part of the mail's Message-ID).
    pub id: i64,
    /// The address it goes to.
    pub recipient: String,
    /// The name the account holder gave, to greet them by (empty if the account is gone).
    pub name: String,
    /// The account's language code (`kk`, `ru`, `en`).
    pub lang: String,
    /// What the mail says; `None` if the stored letter no longer parses (it is then given up).
    pub letter: Option<Letter>,
    /// Failed deliveries so far.
    pub attempts: i64,
    /// When it was queued, Unix seconds.
    pub created_at: i64,
}

/// Queues a letter to an account, at the account's current address and in its language.
/// Returns the outbox row's id.
pub fn enqueue(conn: &Connection, user_id: i64, letter: &Letter, now: i64) -> Result<i64> {
    let json = serde_json::to_string(letter)?;
    conn.query_opt(
        "INSERT INTO outbox (user_id, recipient, lang, kind, letter, created_at, next_attempt_at)
         SELECT id, email, lang, ?2, ?3, ?4, ?4 FROM users WHERE id = ?1 RETURNING id",
        params![user_id, letter.kind(), json, now],
        |r| r.get(0),
    )?
    .ok_or_else(|| anyhow!("no account {user_id} to write to"))
}

/// Queues a letter to the applicant who owns an application; `None` if there is no such
/// application.
pub fn enqueue_to_applicant(
    conn: &Connection,
    application_id: &str,
    letter: &Letter,
    now: i64,
) -> Result<Option<i64>> {
    let user: Option<i64> = conn.query_opt(
        "SELECT user_id FROM applications WHERE id = ?1",
        [application_id],
        |r| r.get(0),
    )?;
    user.map(|user| enqueue(conn, user, letter, now))
        .transpose()
}

/// How many letters of `kind` were queued for an account since `since` (Unix seconds).
pub fn count_since(conn: &Connection, user_id: i64, kind: &str, since: i64) -> Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM outbox WHERE user_id = ?1 AND kind = ?2 AND created_at >= ?3",
        params![user_id, kind, since],
        |r| r.get(0),
    )
}

/// Mails due for delivery at `now`, oldest first, at most `limit`.
pub fn due(conn: &Connection, now: i64, limit: i64) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.recipient, coalesce(u.full_name, ''), o.lang, o.letter, o.attempts,
                o.created_at
         FROM outbox o LEFT JOIN users u ON u.id = o.user_id
         WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= ?1
         ORDER BY o.next_attempt_at, o.id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now, limit], |r| {
            let letter: Option<String> = r.get(4)?;
            Ok(Pending {
                id: r.get(0)?,
                recipient: r.get(1)?,
                name: r.get(2)?,
                lang: r.get(3)?,
                letter: letter.and_then(|json| serde_json::from_str(&json).ok()),
                attempts: r.get(5)?,
                created_at: r.get(6)?,
            })
        })?
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records a delivery; the letter (which may hold a single-use link) is forgotten.
pub fn mark_sent(conn: &Connection, id: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET sent_at = ?2, letter = NULL, last_error = NULL
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, now],
    )?;
    Ok(())
}

/// Records a failed delivery to be tried again at `retry_at` (Unix seconds).
pub fn mark_retry(conn: &Connection, id: i64, retry_at: i64, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, retry_at, error],
    )?;
    Ok(())
}

/// Gives a mail up (a permanent refusal, or too many attempts); the letter is forgotten.
pub fn mark_failed(conn: &Connection, id: i64, now: i64, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, failed_at = ?2, letter = NULL, last_error = ?3
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, now, error],
    )?;
    Ok(())
}

/// Unix seconds of an RFC 3339 instant (the form most of the schema keeps its times in).
pub fn unix_of(rfc3339: &str) -> Result<i64> {
    let at = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map_err(|e| anyhow!("not an RFC 3339 time {rfc3339:?}: {e}"))?;
    Ok(at.unix_timestamp())
}

/// How many mails wait for delivery (due or scheduled for a retry).
pub fn waiting(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        [],
        |r| r.get(0),
    )
}
