//! Creating accounts and checking log-ins: the throttle first, then Argon2id in the bounded
//! hashing pool ([`Hasher`]), outside the database lock, so a slow hash never holds up other
//! requests and a storm of log-ins cannot take more than one thread per core.

use anyhow::Result;

use super::hasher::{HashError, Hasher};
use super::throttle::{Action, Client, Subject, Throttle, Throttled};
use crate::clock::Clock;
use crate::domain::account::{LoginId, NewAccount};
use crate::store::{self, Db};

/// A hash of a password nobody has (Argon2id, the default parameters): an unknown identifier is
/// checked against it, so the answer takes the same time whether or not the account exists.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$\
    c2FsdC1vZi1ub2JvZHktMDA$qN0v9y1rVQyJ0f1dKPn0k4m2b3cXhZs0t7bJ3m8YgWc";

/// What the services need to check credentials: the database, the hashing pool and the
/// throttle.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// The database.
    pub db: &'a Db,
    /// The Argon2 pool.
    pub hasher: &'a Hasher,
    /// The throttle of credential endpoints.
    pub throttle: &'a Throttle,
}

/// How a log-in ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The password is right: the account's id.
    LoggedIn(i64),
    /// Wrong identifier or password (the same answer for both).
    Refused,
    /// Too many attempts: try again later.
    Throttled(Throttled),
    /// Every hashing thread is busy: try again in a second.
    Busy,
}

/// How a sign-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupOutcome {
    /// A new account.
    Created(i64),
    /// The e-mail address has an account already.
    Taken,
    /// Too many attempts: try again later.
    Throttled(Throttled),
    /// Every hashing thread is busy: try again in a second.
    Busy,
}

/// Checks a log-in of `action` (an applicant's or an officer's): finds the account by its
/// identifier, asks the throttle (keyed by the account, or by the parsed identifier when there
/// is none, and by the client's address), then verifies the password in the pool. An unknown
/// identifier is throttled and hashed like a known one, so neither the answer nor its time tells
/// which accounts exist.
pub async fn check_login(
    credentials: Credentials<'_>,
    action: Action,
    identifier: &str,
    password: String,
    client: &Client,
) -> Result<LoginOutcome> {
    let id = LoginId::parse(identifier);
    let lookup = id.clone();
    let found = credentials
        .db
        .call(move |conn| store::account::find_login_id(conn, &lookup))
        .await?;
    let subject = match &found {
        Some((user_id, _)) => {
            let account = Subject::account(*user_id);
            match &client.device {
                Some(device) if device.user_id == *user_id => account.on_device(device),
                _ => account,
            }
        }
        None => Subject::login(&id),
    };
    let attempt = match credentials.throttle.begin(action, Some(&subject), client) {
        Ok(attempt) => attempt,
        Err(throttled) => return Ok(LoginOutcome::Throttled(throttled)),
    };
    let (user_id, hash) = match &found {
        Some((id, hash)) => (Some(*id), hash.as_str()),
        None => (None, DUMMY_HASH),
    };
    match credentials.hasher.verify(&password, hash).await {
        Ok(true) => match user_id {
            Some(user_id) => {
                attempt.succeeded();
                // The owner proved who they are: other clients' failures on the account go too.
                credentials
                    .throttle
                    .forget(action, &Subject::account(user_id));
                Ok(LoginOutcome::LoggedIn(user_id))
            }
            None => Ok(LoginOutcome::Refused),
        },
        Ok(false) => Ok(LoginOutcome::Refused),
        Err(HashError::Busy) => {
            // Not the client's failure: nothing was checked.
            attempt.succeeded();
            Ok(LoginOutcome::Busy)
        }
        Err(HashError::Failed(cause)) => Err(anyhow::anyhow!(cause)),
    }
}

/// Creates an account after asking the throttle (per client address and per e-mail address),
/// hashing its password in the pool first.
pub async fn create_account(
    credentials: Credentials<'_>,
    clock: &Clock,
    account: NewAccount,
    client: &Client,
) -> Result<SignupOutcome> {
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
        Err(throttled) => return Ok(SignupOutcome::Throttled(throttled)),
    };
    let hash = match credentials.hasher.hash(password.expose()).await {
        Ok(hash) => hash,
        Err(HashError::Busy) => return Ok(SignupOutcome::Busy),
        Err(HashError::Failed(cause)) => return Err(anyhow::anyhow!(cause)),
    };
    attempt.succeeded();
    let now = clock.rfc3339();
    let created = credentials
        .db
        .call(move |conn| {
            store::account::insert_user(conn, email.as_str(), &full_name, &hash, &now)
        })
        .await?;
    Ok(match created {
        Some(id) => SignupOutcome::Created(id),
        None => SignupOutcome::Taken,
    })
}

/// Hashes with Argon2id and a random salt on the calling thread, with the pool's own function
/// ([`super::hasher::hash`]); slow on purpose. For the operator's commands (seeding, demo data),
/// which run outside the server; every request hashes in the pool.
pub fn hash_password(password: &crate::domain::account::Password) -> Result<String> {
    super::hasher::hash(password.expose().as_bytes(), &mut Vec::new()).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_default_argon2id_hash_of_no_password_we_know() {
        let mut memory = Vec::new();
        let params = argon2::password_hash::phc::PasswordHash::new(DUMMY_HASH).expect("PHC");
        assert_eq!(params.algorithm.as_str(), "argon2id");
        assert!(!super::super::hasher::verify(b"", DUMMY_HASH, &mut memory));
        assert!(!super::super::hasher::verify(
            b"not-a-real-password-0",
            DUMMY_HASH,
            &mut memory
        ));
        // It costs what a real one costs: the same parameters as every stored hash.
        let real = super::super::hasher::hash(b"tundra kettle 47", &mut memory).expect("hash");
        assert_eq!(real[..31], DUMMY_HASH[..31]);
    }
}
