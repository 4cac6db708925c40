//! Applicant accounts: the e-mail address, the password policy and the sign-up form. Hashing
//! lives in the account service.

use serde::{Deserialize, Serialize};
use shared::visa::FieldError;

use super::invitation::{MAX_TEXT_CHARS, field, parse_text};
use super::problem::{Problem, Problems};

/// An e-mail address, lower-cased, of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// A password the portal accepts: 12 to 128 characters.
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
    /// The fewest characters a password may have (README promises 12).
    pub const MIN_CHARS: usize = 12;
    /// The most characters a password may have.
    pub const MAX_CHARS: usize = 128;

    /// Accepts 12 to 128 characters.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        let n = text.chars().count();
        if n == 0 {
            return Err(Problem::Field(FieldError::Missing));
        }
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&n) {
            return Err(Problem::PasswordLength);
        }
        Ok(Self(text.to_owned()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
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
    fn passwords_need_twelve_to_128_characters() {
        assert_eq!(
            Password::parse("elevenchars").map(|_| ()),
            Err(Problem::PasswordLength)
        );
        assert!(Password::parse("twelve chars").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)).map(|_| ()),
            Err(Problem::PasswordLength)
        );
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
