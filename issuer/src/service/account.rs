//! Creating accounts and checking log-ins: Argon2id hashing on blocking threads, outside the
//! database lock, so a slow hash never holds up other requests.

use anyhow::{Result, anyhow};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::clock::Clock;
use crate::domain::account::{NewAccount, Password};
use crate::store::{self, Db};

/// Hashes with Argon2id and a random salt; slow on purpose, so call it on a blocking thread.
pub fn hash_password(password: &Password) -> Result<String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hashing a password: {e}"))
}

/// Whether a password matches a stored hash; slow on purpose, so call it on a blocking thread.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).ok().is_some_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Checks a login: finds the account by its identifier, then verifies the password on a blocking
/// thread. An unknown identifier is checked against [`dummy_hash`], so it costs the same time as
/// a known one.
pub async fn check_login(db: &Db, identifier: String, password: String) -> Result<Option<i64>> {
    let found = db
        .read(move |conn| store::account::find_login(conn, &identifier))
        .await?;
    tokio::task::spawn_blocking(move || {
        let (id, hash) = match &found {
            Some((id, hash)) => (Some(*id), hash.as_str()),
            None => (None, dummy_hash()),
        };
        verify_password(&password, hash).then_some(id).flatten()
    })
    .await
    .map_err(|e| anyhow!("the password check failed: {e}"))
}

/// Creates an account, hashing its password on a blocking thread first; `None` when the e-mail
/// is taken.
pub async fn create_account(db: &Db, clock: &Clock, account: NewAccount) -> Result<Option<i64>> {
    let NewAccount {
        email,
        full_name,
        password,
    } = account;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| anyhow!("hashing failed: {e}"))??;
    let now = clock.rfc3339();
    db.write(move |conn| store::account::insert_user(conn, email.as_str(), &full_name, &hash, &now))
        .await
}

/// A hash of a password nobody has, to spend the same time on an unknown login as on a known
/// one, so the answer's timing does not tell which e-mails have accounts.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        Password::parse("not-a-real-password-0")
            .ok()
            .and_then(|p| hash_password(&p).ok())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let password = Password::parse("correct horse battery").expect("long enough");
        let hash = hash_password(&password).expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
