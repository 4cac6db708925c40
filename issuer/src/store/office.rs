//! The back office's officers and their sessions (a separate table from the applicants', behind
//! a separate cookie).

use crate::store::{Connection, params};
use anyhow::Result;

use crate::domain::office::{Officer, Role};
use crate::domain::officer::{OfficerState, OfficerSummary};

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
    conn.query_opt(
        "INSERT INTO officers (email, role, setup_token_hash, setup_expires_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (email) DO NOTHING RETURNING id",
        params![
            email,
            role.as_str(),
            setup_token_hash,
            setup_expires_at,
            now
        ],
        |r| r.get(0),
    )
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
        .query_opt(params![token_hash, now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
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

/// An officer who holds a valid set-up link, with the secret being enrolled if one was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupRow {
    /// Row id.
    pub id: i64,
    /// E-mail address.
    pub email: String,
    /// The second-factor secret shown on the set-up page, once it was made.
    pub pending_secret: Option<Vec<u8>>,
}

/// What a log-in needs of an officer who finished setting up and is not disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRow {
    /// The officer.
    pub officer: Officer,
    /// Argon2id hash of the password.
    pub password_hash: String,
    /// The second factor's secret.
    pub secret: Vec<u8>,
    /// Wrong codes in a row.
    pub failures: u32,
    /// The step of the last code accepted (no code works twice).
    pub last_step: Option<i64>,
}

/// The officer whose unexpired set-up link has this token hash, unless disabled.
pub fn find_setup(conn: &Connection, token_hash: &[u8], now: i64) -> Result<Option<SetupRow>> {
    conn.prepare_cached(
        "SELECT id, email, totp_secret FROM officers
             WHERE setup_token_hash = ?1 AND setup_expires_at > ?2 AND disabled_at IS NULL",
    )?
    .query_opt(params![token_hash, now], |r| {
        Ok(SetupRow {
            id: r.get(0)?,
            email: r.get(1)?,
            pending_secret: r.get(2)?,
        })
    })
}

/// Keeps the secret the set-up page shows until the officer confirms a code of it; only when no
/// secret is pending yet (returns whether it was stored).
pub fn set_pending_secret(
    conn: &Connection,
    id: i64,
    token_hash: &[u8],
    secret: &[u8],
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE officers SET totp_secret = ?3
         WHERE id = ?1 AND setup_token_hash = ?2 AND totp_secret IS NULL",
        params![id, token_hash, secret],
    )?;
    Ok(changed == 1)
}

/// Finishes a set-up: the password, the confirmed code's step; the link stops working. Guarded
/// by the link and the secret, so of two submissions only one finishes.
pub fn complete_setup(
    conn: &Connection,
    id: i64,
    token_hash: &[u8],
    password_hash: &str,
    step: i64,
) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE officers SET password_hash = ?3, totp_last_step = ?4, totp_failures = 0,
                setup_token_hash = NULL, setup_expires_at = NULL
         WHERE id = ?1 AND setup_token_hash = ?2 AND totp_secret IS NOT NULL
           AND disabled_at IS NULL",
        params![id, token_hash, password_hash, step],
    )?;
    Ok(changed == 1)
}

/// The log-in data of an officer by e-mail, when the set-up is finished and the officer is not
/// disabled.
pub fn find_login(conn: &Connection, email: &str) -> Result<Option<LoginRow>> {
    let row = conn
        .prepare_cached(
            "SELECT id, email, role, password_hash, totp_secret, totp_failures, totp_last_step
             FROM officers
             WHERE email = ?1 AND disabled_at IS NULL AND setup_token_hash IS NULL
               AND password_hash IS NOT NULL AND totp_secret IS NOT NULL",
        )?
        .query_opt([email], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?;
    Ok(row.and_then(
        |(id, email, role, password_hash, secret, failures, last_step)| {
            Role::parse(&role).map(|role| LoginRow {
                officer: Officer { id, email, role },
                password_hash,
                secret,
                failures,
                last_step,
            })
        },
    ))
}

/// Counts a wrong code and returns how many there are now in a row.
pub fn count_code_failure(conn: &Connection, id: i64) -> Result<u32> {
    conn.prepare_cached(
        "UPDATE officers SET totp_failures = totp_failures + 1 WHERE id = ?1
             RETURNING totp_failures",
    )?
    .query_row([id], |r| r.get(0))
}

/// Accepts a code of `step`: only when that step is later than the last one used and the factor
/// is not locked (`max_failures`), so a code replayed at the same moment is refused by the
/// database. Clears the failure count.
pub fn accept_code(conn: &Connection, id: i64, step: i64, max_failures: u32) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE officers SET totp_last_step = ?2, totp_failures = 0
         WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)
           AND totp_failures < ?3",
        params![id, step, max_failures],
    )?;
    Ok(changed == 1)
}

/// Disables an officer and ends the officer's sessions. Returns the role before, or `None` when
/// there is no such officer or it was already disabled.
pub fn disable(conn: &Connection, email: &str, now: &str) -> Result<Option<Role>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "UPDATE officers SET disabled_at = ?2 WHERE email = ?1 AND disabled_at IS NULL
             RETURNING id, role",
        )?
        .query_opt(params![email, now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let Some((id, role)) = row else {
        return Ok(None);
    };
    delete_sessions_of(conn, id)?;
    Ok(Role::parse(&role))
}

/// Resets an officer's second factor: the secret, the failures and the last step are gone, a new
/// set-up link (by its hash) is valid until `expires_at`, and the officer's sessions end. Returns
/// the e-mail, or `None` for an unknown or disabled officer.
pub fn reset_factor(
    conn: &Connection,
    id: i64,
    token_hash: &[u8],
    expires_at: i64,
) -> Result<Option<String>> {
    let email: Option<String> = conn
        .prepare_cached(
            "UPDATE officers SET totp_secret = NULL, totp_failures = 0, totp_last_step = NULL,
                    setup_token_hash = ?2, setup_expires_at = ?3
             WHERE id = ?1 AND disabled_at IS NULL RETURNING email",
        )?
        .query_opt(params![id, token_hash, expires_at], |r| r.get(0))?;
    if email.is_some() {
        delete_sessions_of(conn, id)?;
    }
    Ok(email)
}

/// Every officer, for the supervisors' list, by e-mail.
pub fn list(conn: &Connection) -> Result<Vec<OfficerSummary>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, email, role, disabled_at IS NOT NULL,
                setup_token_hash IS NOT NULL OR password_hash IS NULL, totp_failures, created_at
         FROM officers ORDER BY email",
    )?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, bool>(4)?,
            r.get::<_, u32>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, email, role, disabled, awaiting, failures, created_at) = row?;
        if let Some(role) = Role::parse(&role) {
            out.push(OfficerSummary {
                id,
                email,
                role,
                state: OfficerState::of(disabled, awaiting, failures),
                created_at,
            });
        }
    }
    Ok(out)
}

/// Ends every session of an officer.
pub fn delete_sessions_of(conn: &Connection, officer_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM office_sessions WHERE officer_id = ?1",
        [officer_id],
    )?;
    Ok(())
}

/// Forgets expired back-office sessions; returns how many.
pub fn purge_sessions(conn: &Connection, now: i64) -> Result<usize> {
    conn.execute("DELETE FROM office_sessions WHERE expires_at <= ?1", [now])
}
