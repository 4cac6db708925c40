//! "Forgot password?": a single-use link, good for 30 minutes, mailed to the account's address;
//! the page it opens sets a new password and ends every session of the account. Asking answers
//! the same whether or not the account exists (the caller shows one page), and an account gets
//! at most a few links per quarter hour, so the form cannot flood a mailbox.

use crate::store::TransactionBehavior;
use anyhow::{Result, anyhow};

use crate::clock::Clock;
use crate::domain::account::Password;
use crate::domain::mail::{
    Letter, RESET_LINK_SECONDS, RESET_WINDOW_SECONDS, RESETS_PER_WINDOW, TokenPurpose,
};
use crate::ids::{hash_token, new_token};
use crate::service::hasher::{HashError, Hasher};
use crate::store::{self, Db};

/// What asking for a reset link did (the page says the same for all three).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetAsked {
    /// A link is on its way to the account's address.
    Sent,
    /// No account has this identifier.
    Unknown,
    /// The account got its share of links in the last quarter hour.
    TooMany,
}

/// A password set through a reset link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordReset {
    /// The account.
    pub user_id: i64,
    /// How many of its sessions were ended.
    pub sessions_ended: usize,
}

/// Queues a reset link for the account with this e-mail address (or an inviting party's
/// IIN/BIN), if there is one.
pub async fn ask_reset(db: &Db, clock: &Clock, identifier: String) -> Result<ResetAsked> {
    let now = clock.unix();
    let outcome = db
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some((user_id, _)) = store::account::find_login(&tx, &identifier)? else {
                return Ok((ResetAsked::Unknown, None));
            };
            let since = now - RESET_WINDOW_SECONDS;
            if store::outbox::count_since(&tx, user_id, "password_reset", since)?
                >= RESETS_PER_WINDOW
            {
                return Ok((ResetAsked::TooMany, Some(user_id)));
            }
            let token = new_token();
            store::token::insert(
                &tx,
                &hash_token(&token),
                user_id,
                TokenPurpose::Reset,
                now,
                now + RESET_LINK_SECONDS,
            )?;
            store::outbox::enqueue(&tx, user_id, &Letter::PasswordReset { token }, now)?;
            tx.commit()?;
            Ok((ResetAsked::Sent, Some(user_id)))
        })
        .await?;
    match outcome {
        (ResetAsked::Sent, Some(user_id)) => {
            tracing::info!(user_id, "a password reset link was sent")
        }
        (ResetAsked::TooMany, Some(user_id)) => {
            tracing::warn!(
                user_id,
                "a password reset was refused: too many links lately"
            )
        }
        _ => tracing::info!("a password reset was asked for an unknown account"),
    }
    Ok(outcome.0)
}

/// Whether a reset link is good now (to show its form), without using it.
pub async fn reset_link_is_good(db: &Db, clock: &Clock, token: String) -> Result<bool> {
    let now = clock.unix();
    db.call(move |conn| {
        Ok(store::token::peek(conn, &hash_token(&token), TokenPurpose::Reset, now)?.is_some())
    })
    .await
}

/// Sets a new password through a reset link: in one transaction the link is used, the hash
/// replaced, every other reset link and every session of the account ended, the address counted
/// as confirmed (the link reached it), and the holder told by mail. `None` if the link is unknown,
/// used or expired.
///
/// The new password is hashed in the bounded pool; when every hashing thread is busy, nothing
/// changes and [`HashError::Busy`] comes back inside the error, for a 503 the holder can retry.
pub async fn reset_password(
    db: &Db,
    hasher: &Hasher,
    clock: &Clock,
    token: String,
    password: Password,
) -> Result<Option<PasswordReset>> {
    // Looked at before hashing, so a dead link costs no hash; used only in the transaction.
    if !reset_link_is_good(db, clock, token.clone()).await? {
        tracing::info!("a password reset link was refused (unknown, used or expired)");
        return Ok(None);
    }
    let hash = match hasher.hash(password.expose()).await {
        Ok(hash) => hash,
        Err(HashError::Busy) => return Err(HashError::Busy.into()),
        Err(HashError::Failed(cause)) => return Err(anyhow!("hashing failed: {cause}")),
    };
    let now = clock.unix();
    let done = db
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(user_id) =
                store::token::consume(&tx, &hash_token(&token), TokenPurpose::Reset, now)?
            else {
                return Ok(None);
            };
            store::token::set_password_hash(&tx, user_id, &hash)?;
            store::token::retire(&tx, user_id, TokenPurpose::Reset, now)?;
            let sessions_ended = store::token::end_sessions(&tx, user_id)?;
            store::token::mark_verified(&tx, user_id, now)?;
            store::outbox::enqueue(&tx, user_id, &Letter::PasswordChanged, now)?;
            tx.commit()?;
            Ok(Some(PasswordReset {
                user_id,
                sessions_ended,
            }))
        })
        .await?;
    match done {
        Some(reset) => tracing::info!(
            user_id = reset.user_id,
            sessions_ended = reset.sessions_ended,
            "a password was reset through an e-mailed link"
        ),
        None => tracing::info!("a password reset link was used twice at once; the second lost"),
    }
    Ok(done)
}
