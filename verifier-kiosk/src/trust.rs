//! The kiosk's trust anchors: every `*.pub` file (SPKI PEM) of one directory.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use shared::{PublicKey, TrustStore};

/// Reads every `*.pub` file of `dir` into a trust store. A file that is not a valid public key is
/// an error rather than skipped, so a damaged trust directory is noticed, not silently narrowed.
pub fn load_dir(dir: &Path) -> Result<TrustStore> {
    let entries = fs::read_dir(dir)
        .with_context(|| format!("reading the trust directory {}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "pub"))
        .collect();
    paths.sort();
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
