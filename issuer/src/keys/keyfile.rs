//! Key files on disk: `NAME.key` (PKCS#8 PEM, mode 0600) and `NAME.pub` (SPKI PEM).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use shared::{IssuerKey, PublicKey};

/// The two files a key pair is written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPaths {
    /// The private key, `NAME.key`.
    pub private: PathBuf,
    /// The public key, `NAME.pub`.
    pub public: PathBuf,
}

impl KeyPaths {
    /// `NAME.key` and `NAME.pub` beside each other, from the path `NAME`.
    pub fn for_name(name: &Path) -> Self {
        let with = |ext: &str| {
            let mut os = name.as_os_str().to_owned();
            os.push(ext);
            PathBuf::from(os)
        };
        Self {
            private: with(".key"),
            public: with(".pub"),
        }
    }
}

/// Generates a key pair and writes it, refusing to overwrite either file.
pub fn generate(name: &Path) -> Result<(KeyPaths, IssuerKey)> {
    let paths = KeyPaths::for_name(name);
    for path in [&paths.private, &paths.public] {
        if path.exists() {
            bail!(
                "{} already exists; keys are never overwritten",
                path.display()
            );
        }
    }
    if let Some(dir) = name.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let key = IssuerKey::generate(&mut rand_core::OsRng);
    let private_pem = key.to_pkcs8_pem()?;
    let public_pem = key.public_key().to_spki_pem()?;
    write_new(&paths.private, private_pem.as_bytes(), 0o600)?;
    write_new(&paths.public, public_pem.as_bytes(), 0o644)?;
    Ok((paths, key))
}

/// Reads a private key file.
pub fn load_private(path: &Path) -> Result<IssuerKey> {
    let pem = fs::read_to_string(path)
        .with_context(|| format!("reading the signing key {}", path.display()))?;
    IssuerKey::from_pkcs8_pem(&pem).with_context(|| format!("reading {}", path.display()))
}

/// Reads a public key file.
pub fn load_public(path: &Path) -> Result<PublicKey> {
    let pem = fs::read_to_string(path)
        .with_context(|| format!("reading the public key {}", path.display()))?;
    PublicKey::from_spki_pem(&pem).with_context(|| format!("reading {}", path.display()))
}

/// Creates a file that must not exist yet, with the given permissions from the start.
pub fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keygen_writes_a_private_key_only_the_owner_can_read_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("tempdir");
        let name = dir.path().join("sub").join("test-issuer");
        let (paths, key) = generate(&name).expect("generates");
        assert_eq!(
            load_private(&paths.private).expect("loads").kid(),
            key.kid()
        );
        assert_eq!(load_public(&paths.public).expect("loads").kid(), key.kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&paths.private)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = generate(&name).expect_err("refuses");
        assert!(again.to_string().contains("already exists"), "{again}");
    }
}
