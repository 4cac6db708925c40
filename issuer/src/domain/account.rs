//! Applicant accounts: the e-mail address, the password policy and the sign-up form. Hashing
//! lives in the account service.

use serde::{Deserialize, Serialize};
use shared::visa::FieldError;

use super::invitation::{MAX_TEXT_CHARS, field, parse_text};
use super::problem::{Problem, Problems};
use super::taxid::TaxId;

/// The most common passwords, one a line, lower-case: the first 10,000 of zxcvbn's `passwords`
/// frequency list (see `issuer/assets/README.md` for its source and licence).
const COMMON_PASSWORDS: &str = include_str!("../../assets/common-passwords.txt");

/// An e-mail address, lower-cased, of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// A password the portal accepts: 12 to 128 characters, no control characters, not one of the
/// most common passwords and not easy to guess (zxcvbn score 3 or more).
#[derive(Clone)]
pub struct Password(String);

/// What a log-in names: an inviting party's BIN or IIN (12 digits, spaces dropped) or else an
/// e-mail address (trimmed, lower-cased). The account lookup and the throttle both key on this
/// one form, so `1 80240012342` and `180240012342` are the same account to both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LoginId {
    /// The BIN or IIN of an inviting party.
    TaxId(TaxId),
    /// An e-mail address as typed, trimmed and lower-cased (its shape is not checked: an
    /// address that is no account's is simply not found).
    Email(String),
}

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

impl LoginId {
    /// The form the account lookup uses: 12 digits with a valid check digit (whitespace
    /// anywhere ignored) are a BIN/IIN, anything else an e-mail address.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        match TaxId::parse(text) {
            Ok(tax_id) => Self::TaxId(tax_id),
            Err(_) => Self::Email(text.to_lowercase()),
        }
    }

    /// A stable text of the identity, for keys: `taxid:180240012342`, `email:anna@example.com`.
    pub fn key(&self) -> String {
        match self {
            Self::TaxId(id) => format!("taxid:{}", id.as_str()),
            Self::Email(email) => format!("email:{email}"),
        }
    }
}

impl Password {
    /// The fewest characters a password may have (README promises 12).
    pub const MIN_CHARS: usize = 12;
    /// The most characters a password may have.
    pub const MAX_CHARS: usize = 128;
    /// The lowest zxcvbn score taken (3: "safely unguessable", about 10^8 guesses or more).
    pub const MIN_SCORE: u8 = 3;

    /// Accepts 12 to 128 characters without control characters that are neither one of the
    /// most common passwords nor easy to guess.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        Self::parse_for(text, &[])
    }

    /// Like [`Password::parse`], also refusing a password built from the account's own words
    /// (`context`: the e-mail address, the name), which zxcvbn counts as easy to guess.
    pub fn parse_for(text: &str, context: &[&str]) -> Result<Self, Problem> {
        let n = text.chars().count();
        if n == 0 {
            return Err(Problem::Field(FieldError::Missing));
        }
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&n) {
            return Err(Problem::PasswordLength);
        }
        if text.chars().any(char::is_control) {
            return Err(Problem::PasswordControl);
        }
        if is_common(text) {
            return Err(Problem::PasswordCommon);
        }
        let mut words: Vec<&str> = Vec::new();
        for part in context {
            words.push(part);
            words.extend(
                part.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 3),
            );
        }
        let score = u8::from(zxcvbn::zxcvbn(text, &words).score());
        if score < Self::MIN_SCORE {
            return Err(Problem::PasswordWeak);
        }
        Ok(Self(text.to_owned()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether the password, lower-cased and without whitespace, is on the list of the most common
/// passwords.
fn is_common(text: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).collect());
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    list.contains(folded.as_str())
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
        let password = field(
            &mut p,
            "password",
            Password::parse_for(&self.password, &[&self.email, &self.full_name]),
        );
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
        assert!(Password::parse("tundra kettle 47").is_ok());
        let long: String = "Vq7#kZ2!mX9$pL4&".repeat(8);
        assert!(Password::parse(&long).is_ok());
        assert_eq!(
            Password::parse(&format!("{long}x")).map(|_| ()),
            Err(Problem::PasswordLength)
        );
    }

    #[test]
    fn control_characters_common_and_guessable_passwords_are_refused() {
        let refused = |text: &str| Password::parse(text).map(|_| ()).err();
        assert_eq!(refused(&"\0".repeat(12)), Some(Problem::PasswordControl));
        assert_eq!(refused("tundra kettle\t47"), Some(Problem::PasswordControl));
        assert_eq!(
            refused("tundra kettle\u{7f}47"),
            Some(Problem::PasswordControl)
        );
        // On the list, whatever the case and spaces.
        assert_eq!(refused("qwerty123456"), Some(Problem::PasswordCommon));
        assert_eq!(refused("QAZWSX edc123"), Some(Problem::PasswordCommon));
        for weak in [
            "123456789012",
            "            ",
            "aaaaaaaaaaaa",
            "passwordpassword",
            "Password1234",
            "qwertyuiopasdf",
            "abcdefghijklmn",
            "1234567890qwerty",
        ] {
            assert_eq!(refused(weak), Some(Problem::PasswordWeak), "{weak:?}");
        }
        assert_eq!(
            Password::parse_for(
                "anna eriksson 1974",
                &["anna.eriksson@example.com", "Anna Eriksson"]
            )
            .map(|_| ())
            .err(),
            Some(Problem::PasswordWeak)
        );
        for strong in [
            "tundra kettle 47",
            "long enough password",
            "a long e2e test password",
            "a long test password",
            "another long password",
            "tundra kettle 47 storm",
            "Vq7#kZ2!mX9$",
        ] {
            assert!(Password::parse(strong).is_ok(), "{strong:?}");
        }
    }

    #[test]
    fn a_login_names_a_tax_id_by_its_digits_and_an_e_mail_lower_cased() {
        let bin = LoginId::parse("180240012342");
        for spelling in [
            "1 80240012342",
            " 180 240 012 342 ",
            "180240012342\u{a0}",
            "1802\t40012342",
        ] {
            assert_eq!(LoginId::parse(spelling), bin, "{spelling:?}");
        }
        assert_eq!(bin.key(), "taxid:180240012342");
        assert_eq!(
            LoginId::parse(" Anna@Example.COM ").key(),
            "email:anna@example.com"
        );
        // A wrong check digit is no BIN: it is looked up (and throttled) as the text it is.
        assert_eq!(LoginId::parse("180240012343").key(), "email:180240012343");
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
