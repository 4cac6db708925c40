//! A throw-away PostgreSQL cluster for the end-to-end tests: Debian's server started by
//! `scripts/pg-test-server` as the `postgres` user in a temporary directory on a free port,
//! asked with `psql`, stopped and deleted when dropped.

use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

use crate::binaries::workspace_root;

/// A running test cluster; `url` is `postgres://evisa@127.0.0.1:PORT/evisa`.
#[derive(Debug)]
pub struct Postgres {
    pub url: String,
}

impl Postgres {
    pub fn start() -> Result<Self> {
        let url = server(&[])?;
        Ok(Self { url })
    }

    /// Stops the server (a clean shutdown; its files stay): the database becomes unreachable.
    pub fn pause(&self) -> Result<()> {
        server(&["--pause", &self.url]).map(drop)
    }

    /// Starts the paused server again on the same port.
    pub fn resume(&self) -> Result<()> {
        server(&["--resume", &self.url]).map(drop)
    }

    /// One value (or rows joined by newlines) of a query, as psql prints it.
    pub fn query(&self, sql: &str) -> Result<String> {
        let out = Command::new("psql")
            .args([self.url.as_str(), "-XAtc", sql])
            .output()
            .context("running psql")?;
        ensure!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?.trim().to_owned())
    }

    pub fn count(&self, sql: &str) -> Result<usize> {
        let text = self.query(sql)?;
        text.parse()
            .with_context(|| format!("{sql} gave {text:?}, not a count"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = server(&["--stop", &self.url]);
    }
}

/// Runs `scripts/pg-test-server` with `args`: its standard output, trimmed.
fn server(args: &[&str]) -> Result<String> {
    let out = Command::new(workspace_root().join("scripts/pg-test-server"))
        .args(args)
        .output()
        .context("running scripts/pg-test-server")?;
    if !out.status.success() {
        bail!(
            "scripts/pg-test-server {args:?} failed (is Debian's postgresql installed? scripts/install-deps):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}
