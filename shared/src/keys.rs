//! Ed25519 keys: the issuer's signing key, the public keys a kiosk trusts, and their key ids.
//!
//! Keys travel as PEM text (PKCS#8 for private keys, SPKI for public ones); reading and writing the
//! files is the binaries' business, so this module only converts text.

use std::fmt;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand_core::CryptoRngCore;
use sha2::{Digest, Sha256};

/// A key id: the first 8 bytes of SHA-256 over the raw 32-byte public key (the EU DCC convention).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kid([u8; 8]);

/// An issuer's private signing key. Its `Debug` shows only the key id.
pub struct IssuerKey {
    signing: SigningKey,
    kid: Kid,
}

/// A public key with its key id.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    verifying: VerifyingKey,
    kid: Kid,
}

/// The public keys a verifier accepts signatures from.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    keys: Vec<PublicKey>,
}

/// Why key text could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a PEM-encoded PKCS#8 Ed25519 private key.
    #[error("not an Ed25519 private key in PKCS#8 PEM form")]
    Private,
    /// Not a PEM-encoded SPKI Ed25519 public key.
    #[error("not an Ed25519 public key in SPKI PEM form")]
    Public,
    /// The public key is a weak (small-order) point that `verify_strict` would refuse anyway.
    #[error("the public key is a weak Ed25519 point")]
    Weak,
}

impl Kid {
    /// The key id of a raw public key.
    pub fn of(public_key: &[u8; 32]) -> Self {
        let digest = Sha256::digest(public_key);
        let mut kid = [0; 8];
        kid.copy_from_slice(&digest[..8]);
        Self(kid)
    }

    /// Makes a key id from exactly 8 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    /// The 8 bytes.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

impl fmt::Display for Kid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Kid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kid({self})")
    }
}

impl IssuerKey {
    /// A fresh key from a cryptographic random source.
    pub fn generate(rng: &mut impl CryptoRngCore) -> Self {
        Self::from_signing(SigningKey::generate(rng))
    }

    /// Reads a PKCS#8 PEM private key (v1 or v2).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(Self::from_signing)
            .map_err(|_| KeyError::Private)
    }

    /// The private key as PKCS#8 v1 PEM. Version 1 (without the embedded public key) is what
    /// OpenSSL 3 also reads; ed25519-dalek's default v2 it refuses.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let keypair = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: self.signing.to_bytes(),
            public_key: None,
        };
        keypair
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|_| KeyError::Private)
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_verifying(self.signing.verifying_key())
    }

    /// The key id.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.signing.sign(message).to_bytes()
    }

    fn from_signing(signing: SigningKey) -> Self {
        let kid = Kid::of(signing.verifying_key().as_bytes());
        Self { signing, kid }
    }
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Reads an SPKI PEM public key, refusing weak points.
    pub fn from_spki_pem(pem: &str) -> Result<Self, KeyError> {
        let verifying = VerifyingKey::from_public_key_pem(pem).map_err(|_| KeyError::Public)?;
        Self::from_verifying_checked(verifying)
    }

    /// Reads a raw 32-byte public key, refusing weak points.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let verifying = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::Public)?;
        Self::from_verifying_checked(verifying)
    }

    /// The public key as SPKI PEM.
    pub fn to_spki_pem(&self) -> Result<String, KeyError> {
        self.verifying
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| KeyError::Public)
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.verifying.as_bytes()
    }

    /// The key id.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    pub(crate) fn verify_strict(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.verifying.verify_strict(message, &signature).is_ok()
    }

    fn from_verifying_checked(verifying: VerifyingKey) -> Result<Self, KeyError> {
        if verifying.is_weak() {
            return Err(KeyError::Weak);
        }
        Ok(Self::from_verifying(verifying))
    }

    fn from_verifying(verifying: VerifyingKey) -> Self {
        let kid = Kid::of(verifying.as_bytes());
        Self { verifying, kid }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.kid)
    }
}

impl TrustStore {
    /// An empty store, which trusts nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store trusting these keys.
    pub fn from_keys(keys: impl IntoIterator<Item = PublicKey>) -> Self {
        let mut store = Self::new();
        keys.into_iter().for_each(|k| store.add(k));
        store
    }

    /// Trusts one more key; adding a key twice changes nothing.
    pub fn add(&mut self, key: PublicKey) {
        if self.get(key.kid).is_none() {
            self.keys.push(key);
        }
    }

    /// The trusted key with this id.
    pub fn get(&self, kid: Kid) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// Every trusted key.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// Whether nothing is trusted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_and_kid_is_the_sha256_prefix() {
        let key = IssuerKey::generate(&mut rand_core::OsRng);
        let pem = key.to_pkcs8_pem().expect("encodes");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let again = IssuerKey::from_pkcs8_pem(&pem).expect("decodes");
        assert_eq!(again.kid(), key.kid());
        let public = PublicKey::from_spki_pem(&key.public_key().to_spki_pem().expect("encodes"))
            .expect("decodes");
        assert_eq!(public.kid(), key.kid());
        let digest = Sha256::digest(public.as_bytes());
        assert_eq!(public.kid().as_bytes(), &digest[..8]);
        assert!(!format!("{key:?}").contains(&pem[30..60]));
    }

    #[test]
    fn garbage_and_weak_keys_are_refused() {
        assert_eq!(
            IssuerKey::from_pkcs8_pem("hello").err(),
            Some(KeyError::Private)
        );
        assert_eq!(PublicKey::from_spki_pem("").err(), Some(KeyError::Public));
        // The identity point (small order) as a public key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_bytes(&identity).err(), Some(KeyError::Weak));
    }
}
