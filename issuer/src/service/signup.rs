//! Signing up without telling anyone which addresses have accounts, and confirming an address.
//!
//! Sign-up always costs one Argon2id hash and one transaction, and its caller shows the same page
//! whatever happened: a new address gets an account and a confirmation link; an address that has
//! an account gets nothing new, and its holder a mail saying someone tried to register it. The
//! mails are queued in the transaction (store/outbox.rs); the mailer delivers them.

use crate::store::{Connection, TransactionBehavior};
use anyhow::{Result, anyhow};

use crate::clock::Clock;
use crate::domain::account::NewAccount;
use crate::domain::mail::{
    Letter, SIGNUP_ATTEMPT_QUIET_SECONDS, TokenPurpose, VERIFY_LINK_SECONDS, VERIFY_RESEND_SECONDS,
};
use crate::ids::{hash_token, new_token};
use crate::service::account::Credentials;
use crate::service::hasher::HashError;
use crate::service::throttle::{Action, Client, Subject, Throttled};
use crate::store::{self, Db};

/// What a sign-up did. Pages and the API answer the same for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// A new account, whose address waits for confirmation.
    Created(i64),
    /// The address has an account (this one); its holder is told (at most hourly).
    Existing(i64),
    /// Too many sign-ups from this client or for this address: try again later.
    Throttled(Throttled),
    /// Every hashing thread is busy: try again in a second.
    Busy,
}

/// What "send the link again" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    /// A new link is on its way.
    Sent,
    /// A link went out less than a minute ago; none was added.
    TooSoon,
    /// The address is confirmed already.
    AlreadyConfirmed,
}

/// Signs up: asks the throttle (per client address and per e-mail address), hashes the password
/// in the pool, then in one transaction creates the account (its mail in `lang`, a code of
/// `i18n::Lang`) with a confirmation link, or tells the holder of an existing account that
/// someone tried to register it.
pub async fn sign_up(
    credentials: Credentials<'_>,
    clock: &Clock,
    account: NewAccount,
    lang: &'static str,
    client: &Client,
) -> Result<SignUp> {
    let NewAccount {
        email,
        full_name,
        password,
    } = account;
    let subject = Subject::email(email.as_str());
    let attempt = match credentials
        .throttle
        .begin(Action::SignUp, Some(&subject), client)
    {
        Ok(attempt) => attempt,
        Err(throttled) => return Ok(SignUp::Throttled(throttled)),
    };
    // Hashed whether or not the address is taken, so both answers cost the same.
    let hash = match credentials.hasher.hash(password.expose()).await {
        Ok(hash) => hash,
        Err(HashError::Busy) => return Ok(SignUp::Busy),
        Err(HashError::Failed(cause)) => return Err(anyhow!(cause)),
    };
    attempt.succeeded();
    let (now, created_at) = (clock.unix(), clock.rfc3339());
    let outcome = credentials
        .db
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted =
                store::account::insert_user(&tx, email.as_str(), &full_name, &hash, &created_at)?;
            let outcome = match inserted {
                Some(id) => {
                    store::token::set_lang(&tx, id, lang)?;
                    send_confirmation(&tx, id, now)?;
                    SignUp::Created(id)
                }
                None => {
                    let id = store::token::user_by_email(&tx, email.as_str())?
                        .ok_or_else(|| anyhow!("a taken address has no account"))?;
                    let since = now - SIGNUP_ATTEMPT_QUIET_SECONDS;
                    let told = store::outbox::count_since(&tx, id, "signup_attempt", since)?;
                    if told == 0 {
                        store::outbox::enqueue(&tx, id, &Letter::SignupAttempt, now)?;
                    }
                    SignUp::Existing(id)
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
        .await?;
    match outcome {
        SignUp::Created(user_id) => {
            tracing::info!(
                user_id,
                "an account was created; its address waits for confirmation"
            )
        }
        SignUp::Existing(user_id) => {
            tracing::info!(user_id, "a sign-up named an address that has an account")
        }
        SignUp::Throttled(_) | SignUp::Busy => {}
    }
    Ok(outcome)
}

/// "Send the link again": a new confirmation link, at most once a minute.
pub async fn resend_confirmation(db: &Db, clock: &Clock, user_id: i64) -> Result<Resent> {
    let now = clock.unix();
    let outcome = db
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if store::token::is_verified(&tx, user_id)? {
                return Ok(Resent::AlreadyConfirmed);
            }
            let since = now - VERIFY_RESEND_SECONDS;
            if store::outbox::count_since(&tx, user_id, "verify_address", since)? > 0 {
                return Ok(Resent::TooSoon);
            }
            send_confirmation(&tx, user_id, now)?;
            tx.commit()?;
            Ok(Resent::Sent)
        })
        .await?;
    if outcome == Resent::Sent {
        tracing::info!(user_id, "a new confirmation link was sent");
    }
    Ok(outcome)
}

/// Uses a confirmation link: the account whose address is now confirmed, or `None` for a link
/// that is unknown, used or expired.
pub async fn confirm_address(db: &Db, clock: &Clock, token: String) -> Result<Option<i64>> {
    let now = clock.unix();
    let confirmed = db
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let user = store::token::consume(&tx, &hash_token(&token), TokenPurpose::Verify, now)?;
            if let Some(user) = user {
                store::token::mark_verified(&tx, user, now)?;
            }
            tx.commit()?;
            Ok(user)
        })
        .await?;
    match confirmed {
        Some(user_id) => tracing::info!(user_id, "an e-mail address was confirmed"),
        None => tracing::info!("a confirmation link was refused (unknown, used or expired)"),
    }
    Ok(confirmed)
}

/// Whether the account's address is confirmed (paying needs it).
pub async fn is_confirmed(db: &Db, user_id: i64) -> Result<bool> {
    db.call(move |conn| store::token::is_verified(conn, user_id))
        .await
}

/// Makes a confirmation token for the account and queues the mail with its link.
fn send_confirmation(conn: &Connection, user_id: i64, now: i64) -> Result<()> {
    let token = new_token();
    let expires = now + VERIFY_LINK_SECONDS;
    store::token::insert(
        conn,
        &hash_token(&token),
        user_id,
        TokenPurpose::Verify,
        now,
        expires,
    )?;
    store::outbox::enqueue(conn, user_id, &Letter::VerifyAddress { token }, now)?;
    Ok(())
}
