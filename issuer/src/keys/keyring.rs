//! The issuer's signing keys and their root certificates, read from one directory, so a new key
//! can be put in place while the issuer runs (rotation without downtime).
//!
//! A key directory holds `NAME.cert` (root-signed certificate) for every key ever used, and
//! `NAME.key` for the keys that may still sign. Old keys keep their certificate so the trust bundle
//! goes on carrying it and the visas they signed keep verifying until they expire.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use shared::bundle::KeyCertificate;
use shared::{IssuerKey, Kid, PublicKey, Visa};
use time::OffsetDateTime;

use super::keyfile;
use crate::domain::printout::Anchors;
use crate::service::issuance::{Keys, Signer};

/// A certified key, with its private half when this issuer still holds it.
#[derive(Debug)]
pub struct CertifiedKey {
    /// The file name without extension.
    pub name: String,
    /// The root's certificate.
    pub certificate: KeyCertificate,
    /// The private key, if `NAME.key` is present.
    pub signing: Option<IssuerKey>,
}

/// Every certified key of a directory.
#[derive(Debug)]
pub struct Keyring {
    keys: Vec<CertifiedKey>,
}

impl Keyring {
    /// Reads every `*.cert` of `dir`, verified against the root, with its `.key` if present. A
    /// certificate that does not verify, or a private key that does not match its certificate,
    /// is an error: the operator must know the directory is not what they think.
    pub fn load(dir: &Path, root: &PublicKey) -> Result<Self> {
        let mut certs: Vec<PathBuf> = fs::read_dir(dir)
            .with_context(|| format!("reading the key directory {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "cert"))
            .collect();
        certs.sort();
        let mut keys = Vec::new();
        for path in certs {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let certificate = KeyCertificate::verify(&bytes, root)
                .with_context(|| format!("checking {}", path.display()))?;
            let key_path = path.with_extension("key");
            let signing = if key_path.exists() {
                let key = keyfile::load_private(&key_path)?;
                if key.kid() != certificate.key().kid() {
                    bail!(
                        "{} does not hold the key certified by {}",
                        key_path.display(),
                        path.display()
                    );
                }
                Some(key)
            } else {
                None
            };
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            keys.push(CertifiedKey {
                name,
                certificate,
                signing,
            });
        }
        if keys.is_empty() {
            bail!(
                "the key directory {} holds no certified key (NAME.cert)",
                dir.display()
            );
        }
        Ok(Self { keys })
    }

    /// The key to sign this visa with: among the keys held whose certificate covers the visa's
    /// issuing time and whole validity, the most recently certified one.
    pub fn signing_key_for(&self, visa: &Visa) -> Result<&IssuerKey> {
        let valid_to = shared::token::end_of_validity(visa);
        self.keys
            .iter()
            .filter(|k| k.certificate.covers(visa.issued_at(), valid_to).is_ok())
            .filter_map(|k| k.signing.as_ref().map(|s| (k.certificate.not_before(), s)))
            .max_by_key(|(not_before, _)| *not_before)
            .map(|(_, key)| key)
            .with_context(|| {
                format!(
                    "no signing key is certified for a visa issued at {} and valid until {}",
                    visa.issued_at(),
                    visa.valid_until()
                )
            })
    }

    /// Every certificate, for the trust bundle.
    pub fn certificates(&self) -> Vec<KeyCertificate> {
        self.keys.iter().map(|k| k.certificate.clone()).collect()
    }

    /// The certified keys.
    pub fn keys(&self) -> &[CertifiedKey] {
        &self.keys
    }

    /// The key with this id.
    pub fn get(&self, kid: Kid) -> Option<&CertifiedKey> {
        self.keys.iter().find(|k| k.certificate.key().kid() == kid)
    }
}

/// A key directory read afresh before every signing transaction, so a new certified key put
/// beside the old ones signs from the next visa on, without a restart.
#[derive(Debug, Clone)]
pub struct KeyDirectory {
    /// The directory of `NAME.cert` and `NAME.key` files.
    pub dir: PathBuf,
    /// The root public key the certificates must verify against.
    pub root: PublicKey,
}

impl Signer for KeyDirectory {
    fn load(&self) -> Result<Box<dyn Keys + '_>> {
        let keyring = Keyring::load(&self.dir, &self.root)
            .with_context(|| format!("reading the key directory {}", self.dir.display()))?;
        Ok(Box::new(keyring))
    }

    fn anchors(&self) -> Result<Anchors> {
        let keyring = Keyring::load(&self.dir, &self.root)
            .with_context(|| format!("reading the key directory {}", self.dir.display()))?;
        Ok(Anchors::Certified(keyring.certificates()))
    }

    fn load_owned(self: std::sync::Arc<Self>) -> Result<Box<dyn Keys + Send>> {
        let keyring = Keyring::load(&self.dir, &self.root)
            .with_context(|| format!("reading the key directory {}", self.dir.display()))?;
        Ok(Box::new(keyring))
    }
}

impl Keys for Keyring {
    fn sign(&self, visa: &Visa) -> Result<(String, Kid)> {
        let key = self.signing_key_for(visa)?;
        Ok((shared::sign(visa, key), key.kid()))
    }

    fn ready_at(&self, now: time::OffsetDateTime) -> Result<()> {
        let held = self.keys.iter().any(|k| {
            k.signing.is_some()
                && k.certificate.not_before() <= now
                && now < k.certificate.not_after()
        });
        if !held {
            bail!("no private key in the key directory is certified for now");
        }
        Ok(())
    }
}

/// Certifies the public key in `public` with the root private key, writing `out` (never
/// overwriting).
pub fn certify(
    root: &Path,
    public: &Path,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    out: &Path,
) -> Result<KeyCertificate> {
    let root = keyfile::load_private(root)?;
    let key = keyfile::load_public(public)?;
    let certificate = KeyCertificate::new(key, not_before, not_after)?;
    keyfile::write_new(out, &certificate.sign(&root), 0o644)?;
    Ok(certificate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn visa(issued_at: &str, until: &str) -> Visa {
        let mut draft: shared::VisaDraft =
            serde_json::from_str(include_str!("../../../shared/tests/vectors/visa.json"))
                .expect("vector");
        draft.issued_at = issued_at.into();
        draft.valid_from = issued_at[..10].into();
        draft.valid_until = until.into();
        draft.into_visa().expect("valid visa")
    }

    #[test]
    fn the_newest_covering_key_signs_and_an_old_key_keeps_its_certificate() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let (root_paths, root) = keyfile::generate(&d.join("root")).expect("root");
        let keys = d.join("keys");
        let (old, old_key) = keyfile::generate(&keys.join("issuer-2026")).expect("key");
        let (new, new_key) = keyfile::generate(&keys.join("issuer-2027")).expect("key");
        let cert = |paths: &keyfile::KeyPaths, from, to| {
            certify(
                &root_paths.private,
                &paths.public,
                from,
                to,
                &paths.public.with_extension("cert"),
            )
            .expect("certifies")
        };
        cert(
            &old,
            datetime!(2026-01-01 0:00 UTC),
            datetime!(2027-06-30 0:00 UTC),
        );
        let ring = Keyring::load(&keys, &root.public_key()).expect("loads");
        let chosen = ring
            .signing_key_for(&visa("2026-12-01T10:00:00Z", "2027-01-29"))
            .expect("a key");
        assert_eq!(chosen.kid(), old_key.kid());

        // Rotation: the new key appears while the issuer runs; the next load picks it up.
        cert(
            &new,
            datetime!(2026-11-01 0:00 UTC),
            datetime!(2028-06-30 0:00 UTC),
        );
        let ring = Keyring::load(&keys, &root.public_key()).expect("loads");
        let chosen = ring
            .signing_key_for(&visa("2026-12-01T10:00:00Z", "2027-01-29"))
            .expect("a key");
        assert_eq!(chosen.kid(), new_key.kid());

        // The old private key is retired; its certificate stays for the bundle.
        fs::remove_file(&old.private).expect("removes");
        let ring = Keyring::load(&keys, &root.public_key()).expect("loads");
        assert_eq!(ring.certificates().len(), 2);
        assert!(ring.get(old_key.kid()).is_some_and(|k| k.signing.is_none()));

        // No key may sign a visa that outlives every certificate.
        let error = ring
            .signing_key_for(&visa("2028-06-01T10:00:00Z", "2028-07-15"))
            .expect_err("refused");
        assert!(
            error.to_string().contains("no signing key is certified"),
            "{error}"
        );
    }

    #[test]
    fn a_certificate_from_another_root_or_a_mismatched_key_stops_loading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let (root_paths, root) = keyfile::generate(&d.join("root")).expect("root");
        let (other_root_paths, _) = keyfile::generate(&d.join("other-root")).expect("root");
        let keys = d.join("keys");
        let (a, _) = keyfile::generate(&keys.join("a")).expect("key");
        let from = datetime!(2026-01-01 0:00 UTC);
        let to = datetime!(2027-01-01 0:00 UTC);
        certify(
            &other_root_paths.private,
            &a.public,
            from,
            to,
            &keys.join("a.cert"),
        )
        .expect("certifies");
        let error = Keyring::load(&keys, &root.public_key()).expect_err("refused");
        assert!(
            format!("{error:#}").contains("not signed by the trusted root key"),
            "{error:#}"
        );

        fs::remove_file(keys.join("a.cert")).expect("removes");
        let (b, _) = keyfile::generate(&d.join("b")).expect("key");
        certify(
            &root_paths.private,
            &b.public,
            from,
            to,
            &keys.join("a.cert"),
        )
        .expect("certifies");
        let error = Keyring::load(&keys, &root.public_key()).expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("does not hold the key certified"),
            "{error}"
        );
    }
}
