//! Where the programs under test are. Cargo only tells an integration test where its own package's
//! binaries are (`CARGO_BIN_EXE_*`), and the issuer, the gateway and the kiosk live in other
//! packages, so the test finds them beside itself in the target directory.
//!
//! The choice: the first test that needs a binary runs `cargo build --workspace --bins --tests`
//! once for the whole test process, with the test's own target directory and profile. Cargo's own
//! freshness check is exact (sources, features, lock file), so a stale binary is never tested.
//! `--workspace --tests` selects what `cargo test --workspace` builds, so the features are unified
//! the same way and the binaries are the very files it has just built: the call is a no-op there
//! (well under a second), and nothing is rebuilt back and forth between the two. (Building only
//! `-p issuer -p verifier-kiosk -p epay-sandbox` would resolve other features, for example
//! `reqwest` without the `blocking` this package adds, and relink every binary.) After
//! `cargo test -p tests` on a fresh checkout it builds the other packages' tests too, once.
//! `E2E_BIN_DIR=/path/to/dir` skips the build and uses the binaries found there (for example a
//! release build).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow, bail};

/// The `issuer` binary.
pub fn issuer() -> Result<PathBuf> {
    binary("issuer")
}

/// The `epay-sandbox` binary.
pub fn epay_sandbox() -> Result<PathBuf> {
    binary("epay-sandbox")
}

/// The `verifier-kiosk` binary.
pub fn verifier_kiosk() -> Result<PathBuf> {
    binary("verifier-kiosk")
}

/// A command for one of the programs, with an environment that cannot change what the test
/// asked for: the programs read most options from `ISSUER_*`, `EPAY_*` and `KIOSK_*` variables,
/// and the servers must reach each other on loopback without a proxy.
pub fn command(program: &Path) -> Command {
    let mut command = Command::new(program);
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        let ours = ["ISSUER_", "EPAY_", "KIOSK_"]
            .iter()
            .any(|prefix| text.starts_with(prefix));
        if ours
            || text.eq_ignore_ascii_case("http_proxy")
            || text.eq_ignore_ascii_case("https_proxy")
            || text.eq_ignore_ascii_case("all_proxy")
        {
            command.env_remove(&name);
        }
    }
    // Plain logs, readable in a failure message.
    command.env("NO_COLOR", "1");
    command
}

/// The repository's root directory (the workspace).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn binary(name: &str) -> Result<PathBuf> {
    let dir = bin_dir().as_ref().map_err(|e| anyhow!("{e}"))?;
    let path = dir.join(name);
    if !path.is_file() {
        bail!("{} is missing after the build", path.display());
    }
    Ok(path)
}

/// The directory of the binaries, built (once per process) unless `E2E_BIN_DIR` names it.
fn bin_dir() -> &'static Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| locate_and_build().map_err(|e| format!("{e:#}")))
}

fn locate_and_build() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("E2E_BIN_DIR") {
        return Ok(PathBuf::from(dir));
    }
    // The test runs as TARGET/PROFILE/deps/e2e-HASH; the binaries are in TARGET/PROFILE.
    let exe = std::env::current_exe().context("finding the test executable")?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("the test executable is not in a target directory")?
        .to_path_buf();
    let target_dir = profile_dir
        .parent()
        .context("the profile directory has no parent")?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev".to_owned(),
        Some(other) => other.to_owned(),
        None => bail!("no profile directory name in {}", profile_dir.display()),
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(workspace_root())
        .args(["build", "--quiet", "--workspace", "--bins", "--tests"])
        .args(["--profile", &profile])
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .with_context(|| format!("running {}", Path::new(&cargo).display()))?;
    if !status.success() {
        bail!("building the workspace binaries failed ({status})");
    }
    Ok(profile_dir)
}
