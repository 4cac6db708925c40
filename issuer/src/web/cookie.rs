//! Cookies: reading one from a request's headers, and values the portal signs so that a browser
//! can keep them without a database row (the CSRF token of an anonymous form, the known-device
//! mark of a browser that has logged in before).

use std::path::Path;

use anyhow::{Context, Result};
use axum::http::{HeaderMap, header};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The key the portal signs cookie values with (HMAC-SHA-256). Kept in the data directory
/// (`cookie.key`, 0600), so signed cookies outlive a restart; a new key only costs visitors a
/// reloaded form and a browser's known-device mark.
#[derive(Clone)]
pub struct CookieKey([u8; 32]);

impl std::fmt::Debug for CookieKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieKey(..)")
    }
}

impl CookieKey {
    /// A fresh random key (tests, or a portal without a data directory).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut key);
        Self(key)
    }

    /// The key in `path`, made (random, mode 0600) when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let key: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .ok()
                    .with_context(|| format!("{} is not a 32-byte key", path.display()))?;
                Ok(Self(key))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options
                    .open(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                std::io::Write::write_all(&mut file, &key.0)?;
                file.sync_all()?;
                Ok(key)
            }
            Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// The MAC of `value` for `purpose`, hex: a value signed for one purpose is worth nothing
    /// for another.
    pub fn mac(&self, purpose: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// `value.mac`, to be read back with [`CookieKey::open`].
    pub fn sign(&self, purpose: &str, value: &str) -> String {
        format!("{value}.{}", self.mac(purpose, value))
    }

    /// The value of a `value.mac` made by [`CookieKey::sign`] for `purpose`, if the MAC holds.
    pub fn open<'a>(&self, purpose: &str, signed: &'a str) -> Option<&'a str> {
        let (value, mac) = signed.rsplit_once('.')?;
        let expected = self.mac(purpose, value);
        bool::from(expected.as_bytes().ct_eq(mac.as_bytes())).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_value_opens_only_for_its_purpose_and_key() {
        let key = CookieKey::random();
        let signed = key.sign("device", "7.abc.1800000000");
        assert_eq!(key.open("device", &signed), Some("7.abc.1800000000"));
        assert_eq!(key.open("csrf", &signed), None);
        assert_eq!(CookieKey::random().open("device", &signed), None);
        let forged = signed.replacen('7', "8", 1);
        assert_eq!(key.open("device", &forged), None);
        assert_eq!(key.open("device", "no-mac"), None);
    }

    #[test]
    fn the_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("cookie.key");
        let made = CookieKey::load_or_create(&path).expect("made");
        let read = CookieKey::load_or_create(&path).expect("read");
        assert_eq!(made.0, read.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").expect("write");
        assert!(CookieKey::load_or_create(&path).is_err());
    }
}
