//! The kiosk's trust anchors, in one directory. Two layouts:
//!
//! - development and small sites: every `*.pub` file (SPKI PEM) is a trusted issuer key;
//! - production (`docs/trust-bundle.md`): the root (country) public key in `root.pub` or
//!   `root/*.pub`, and the installed root-signed trust bundle `bundle.kztrust`, which certifies the
//!   issuer keys and lists revoked visas and keys and single-entry visas already used.
//!
//! When `bundle.kztrust` is present the bundle is the only source of issuer keys, so a stray
//! `*.pub` file cannot widen what the kiosk trusts; a root key without a bundle trusts nothing.
//! The kiosk's own identity (`kiosk.key`, `kiosk.pub`, `kiosk.json`, see [`crate::identity`])
//! lives here too, and `kiosk.pub` is never read as an issuer key.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use shared::bundle::{MAX_BUNDLE_BYTES, TrustBundle};
use shared::{PublicKey, TrustStore};

/// The installed bundle's file name inside the trust directory.
pub const BUNDLE_FILE: &str = "bundle.kztrust";

/// What a trust directory holds, read and checked.
#[derive(Debug, Clone)]
pub struct Trust {
    /// The issuer keys signatures are checked with.
    pub store: TrustStore,
    /// The installed bundle, in the production layout.
    pub bundle: Option<TrustBundle>,
}

/// Reads a trust directory in either layout; a bundle is verified against the root key.
pub fn load(dir: &Path) -> Result<Trust> {
    let bundle_path = dir.join(BUNDLE_FILE);
    if bundle_path.exists() {
        let root = root_key(dir)?;
        let bytes = read_bundle(&bundle_path)?;
        let bundle = TrustBundle::verify(&bytes, &root)
            .with_context(|| format!("the installed trust bundle {}", bundle_path.display()))?;
        return Ok(Trust {
            store: bundle.trust_store(),
            bundle: Some(bundle),
        });
    }
    // A root key is never an issuer key: a production directory (root.pub or root/) without its
    // bundle trusts nothing rather than falling back to loose keys that nothing certified, with no
    // revocation and no freshness checks.
    if dir.join("root.pub").exists() || dir.join("root").is_dir() {
        bail!(
            "no trust bundle is installed in {}: import one on the settings screen (F10) or with `verifier-kiosk bundle import`",
            dir.display()
        );
    }
    Ok(Trust {
        store: load_dir(dir)?,
        bundle: None,
    })
}

/// Verifies a bundle file against the directory's root key, refuses it unless it is newer than
/// the installed one, and installs it (written beside, then renamed over, so a crash leaves the
/// old bundle or the new one, never half of one).
pub fn install_bundle(dir: &Path, file: &Path) -> Result<TrustBundle> {
    let root = root_key(dir)?;
    let bytes = read_bundle(file)?;
    let offered = TrustBundle::verify(&bytes, &root)
        .with_context(|| format!("the trust bundle {}", file.display()))?;
    let installed_path = dir.join(BUNDLE_FILE);
    if installed_path.exists() {
        let installed = TrustBundle::verify(&read_bundle(&installed_path)?, &root)
            .with_context(|| format!("the installed trust bundle {}", installed_path.display()))?;
        offered.check_newer_than(&installed)?;
    }
    let temporary = dir.join(format!("{BUNDLE_FILE}.new"));
    write_synced(&temporary, &bytes)?;
    fs::rename(&temporary, &installed_path)
        .with_context(|| format!("installing {}", installed_path.display()))?;
    Ok(offered)
}

/// The root public key: `root.pub`, or the one `*.pub` file in `root/`.
pub fn root_key(dir: &Path) -> Result<PublicKey> {
    let direct = dir.join("root.pub");
    let path = if direct.exists() {
        direct
    } else {
        let mut found = pub_files(&dir.join("root"))?;
        if found.len() != 1 {
            bail!(
                "the trust directory {} needs the root key as root.pub or one root/*.pub",
                dir.display()
            );
        }
        found.remove(0)
    };
    let pem = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    PublicKey::from_spki_pem(&pem).with_context(|| format!("reading {}", path.display()))
}

/// Reads every `*.pub` file of `dir` into a trust store. A file that is not a valid public key is
/// an error rather than skipped, so a damaged trust directory is noticed, not silently narrowed.
pub fn load_dir(dir: &Path) -> Result<TrustStore> {
    let paths = pub_files(dir)?;
    let mut store = TrustStore::new();
    for path in paths {
        let pem =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let key = PublicKey::from_spki_pem(&pem)
            .with_context(|| format!("reading {}", path.display()))?;
        store.add(key);
    }
    if store.is_empty() {
        bail!("the trust directory {} holds no *.pub key", dir.display());
    }
    Ok(store)
}

fn pub_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir)
        .with_context(|| format!("reading the trust directory {}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "pub"))
        // The root key certifies, the kiosk's own key signs ledgers: neither ever signs a visa.
        .filter(|p| {
            p.file_name()
                .is_some_and(|name| name != "root.pub" && name != crate::identity::PUB_FILE)
        })
        .collect();
    paths.sort();
    Ok(paths)
}

fn read_bundle(path: &Path) -> Result<Vec<u8>> {
    let size = fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    if size > MAX_BUNDLE_BYTES as u64 {
        bail!("{} is larger than a trust bundle can be", path.display());
    }
    fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Writes a file and syncs it to the disk before returning.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}
