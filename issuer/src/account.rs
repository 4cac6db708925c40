//! Applicant accounts: e-mail and password, hashed with Argon2id off the async threads.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};
use shared::visa::FieldError;

use crate::invitation::{MAX_TEXT_CHARS, field, parse_text};
use crate::problem::{Problem, Problems};

/// An e-mail address, lower-cased, of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// A password the portal accepts: 10 to 128 characters.
#[derive(Clone)]
pub struct Password(String);

/// The sign-up form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    /// E-mail.
    pub email: String,
    /// Full name, as the applicant wants to be addressed.
    pub full_name: String,
    /// Password.
    pub password: String,
    /// Password again.
    pub password_again: String,
}

/// A checked sign-up.
#[derive(Debug)]
pub struct NewAccount {
    /// E-mail.
    pub email: Email,
    /// Full name.
    pub full_name: String,
    /// Password.
    pub password: Password,
}

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Full name.
    pub full_name: String,
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

impl Email {
    /// Parses `local@domain.tld`, at most 254 characters, no spaces.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let text = text.trim().to_lowercase();
        if text.is_empty() {
            return Err(Problem::Field(FieldError::Missing));
        }
        let ok = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && text.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if ok {
            Ok(Self(text))
        } else {
            Err(Problem::Email)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Password {
    /// Accepts 10 to 128 characters.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let n = text.chars().count();
        if n == 0 {
            return Err(Problem::Field(FieldError::Missing));
        }
        if !(10..=128).contains(&n) {
            return Err(Problem::PasswordLength);
        }
        Ok(Self(text.to_owned()))
    }

    /// Hashes with Argon2id and a random salt; slow on purpose, so call it on a blocking thread.
    pub fn hash(&self) -> anyhow::Result<String> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    }
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
/// thread, outside the database lock so a slow hash never holds up other requests. An unknown
/// identifier is checked against [`dummy_hash`], so it costs the same time as a known one.
pub async fn check_login(
    db: &crate::db::Db,
    identifier: String,
    password: String,
) -> anyhow::Result<Option<i64>> {
    let found = db
        .call(move |conn| crate::db::find_login(conn, &identifier))
        .await?;
    tokio::task::spawn_blocking(move || {
        let (id, hash) = match &found {
            Some((id, hash)) => (Some(*id), hash.as_str()),
            None => (None, dummy_hash()),
        };
        verify_password(&password, hash).then_some(id).flatten()
    })
    .await
    .map_err(|e| anyhow::anyhow!("the password check failed: {e}"))
}

/// Creates an account, hashing its password on a blocking thread first; `None` when the e-mail
/// is taken.
pub async fn create_account(
    db: &crate::db::Db,
    account: NewAccount,
) -> anyhow::Result<Option<i64>> {
    let NewAccount {
        email,
        full_name,
        password,
    } = account;
    let hash = tokio::task::spawn_blocking(move || password.hash())
        .await
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))??;
    let now = crate::now_rfc3339();
    db.call(move |conn| crate::db::insert_user(conn, email.as_str(), &full_name, &hash, &now))
        .await
}

/// A hash of a password nobody has, to spend the same time on an unknown login as on a known
/// one, so the answer's timing does not tell which e-mails have accounts.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        Password("not-a-real-password-0".to_owned())
            .hash()
            .unwrap_or_default()
    })
}

impl SignupForm {
    /// Checks the form.
    pub fn parse(&self) -> Result<NewAccount, Problems> {
        let mut p = Problems::new();
        let email = field(&mut p, "email", Email::parse(&self.email));
        let full_name = field(
            &mut p,
            "full_name",
            parse_text(&self.full_name, MAX_TEXT_CHARS),
        );
        let password = field(&mut p, "password", Password::parse(&self.password));
        if password.is_some() && self.password != self.password_again {
            p.insert("password_again", Problem::PasswordsDiffer);
        }
        match (email, full_name, password) {
            (Some(email), Some(full_name), Some(password)) if p.is_empty() => Ok(NewAccount {
                email,
                full_name,
                password,
            }),
            _ => Err(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let password = Password::parse("correct horse battery").expect("long enough");
        let hash = password.hash().expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn e_mail_addresses_are_lower_cased_and_checked_for_shape() {
        assert_eq!(
            Email::parse(" Anna@Example.COM ").map(|e| e.0),
            Ok("anna@example.com".into())
        );
        for bad in [
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "a@b@c.d",
        ] {
            assert_eq!(Email::parse(bad), Err(Problem::Email), "{bad}");
        }
    }
}
