//! The border kiosk's headless commands (`verifier-kiosk identity`, `verify`, `record`,
//! `bundle import`, `ledger export`, `ledger import`) and what they answer: one JSON object per line and an exit code (0 valid,
//! 1 invalid or refused, 2 cannot verify).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::binaries;

/// Seconds one picture may take to read (`--scan-budget`).
pub const SCAN_BUDGET_SECONDS: &str = "300";

/// One kiosk: its trust directory, ledger, airport and id.
#[derive(Debug, Clone)]
pub struct Kiosk {
    /// The trust directory (`--trust`).
    pub trust: PathBuf,
    /// The ledger database (`--ledger`).
    pub ledger: PathBuf,
    /// NQZ or ALA.
    pub port: &'static str,
    /// The kiosk id written into the ledger.
    pub id: &'static str,
}

/// What a command printed and how it exited.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The exit code.
    pub code: i32,
    /// The first JSON line printed.
    pub json: Value,
    /// Everything printed, for messages.
    pub output: String,
}

/// What is shown to the kiosk: a picture of the printout or the scanned text.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    /// An image file.
    Image(&'a Path),
    /// Token text from a keyboard-wedge scanner.
    Text(&'a str),
}

impl Kiosk {
    /// `verifier-kiosk verify --trust … --port …` at `at` (RFC 3339) or now.
    pub fn verify(&self, shown: Shown<'_>, at: Option<&str>) -> Result<Answer> {
        let mut command = self.command("verify")?;
        command.args(["--port", self.port]);
        if let Some(at) = at {
            command.args(["--at", at]);
        }
        shown.add_to(&mut command);
        run(command, "verifier-kiosk verify")
    }

    /// `verifier-kiosk record … --direction DIRECTION` at `at` or now.
    pub fn record(&self, shown: Shown<'_>, direction: &str, at: Option<&str>) -> Result<Answer> {
        self.record_with(shown, direction, at, None)
    }

    /// `record` with the passport's machine-readable zone (`--mrz`) to cross-check, now.
    pub fn record_with_passport(
        &self,
        shown: Shown<'_>,
        direction: &str,
        mrz: &str,
    ) -> Result<Answer> {
        self.record_with(shown, direction, None, Some(mrz))
    }

    fn record_with(
        &self,
        shown: Shown<'_>,
        direction: &str,
        at: Option<&str>,
        mrz: Option<&str>,
    ) -> Result<Answer> {
        let mut command = self.command("record")?;
        if let Some(mrz) = mrz {
            command.args(["--mrz", mrz]);
        }
        command
            .args([
                "--port",
                self.port,
                "--kiosk-id",
                self.id,
                "--direction",
                direction,
            ])
            .arg("--ledger")
            .arg(&self.ledger);
        if let Some(at) = at {
            command.args(["--at", at]);
        }
        shown.add_to(&mut command);
        run(command, "verifier-kiosk record")
    }

    /// `verifier-kiosk bundle import --trust … FILE`.
    pub fn import_bundle(&self, file: &Path) -> Result<Answer> {
        let mut command = binaries::command(&binaries::verifier_kiosk()?);
        command
            .args(["bundle", "import", "--trust"])
            .arg(&self.trust)
            .arg(file);
        run(command, "verifier-kiosk bundle import")
    }

    /// `verifier-kiosk identity --trust … --kiosk-id … --port …`: the kiosk's own key, made in its
    /// trust directory (the answer's `kid` is what the migration service registers).
    pub fn identity(&self) -> Result<Answer> {
        let mut command = binaries::command(&binaries::verifier_kiosk()?);
        command
            .args(["identity", "--trust"])
            .arg(&self.trust)
            .args(["--kiosk-id", self.id, "--port", self.port]);
        run(command, "verifier-kiosk identity")
    }

    /// The kiosk's public key file, for `issuer kiosk add --key`.
    pub fn public_key(&self) -> PathBuf {
        self.trust.join("kiosk.pub")
    }

    /// `verifier-kiosk ledger export --ledger … --trust … --out FILE`, signed at `at` or now.
    pub fn export_ledger(&self, file: &Path, at: Option<&str>) -> Result<Answer> {
        let mut command = binaries::command(&binaries::verifier_kiosk()?);
        command
            .args(["ledger", "export", "--ledger"])
            .arg(&self.ledger)
            .arg("--trust")
            .arg(&self.trust)
            .arg("--out")
            .arg(file);
        if let Some(at) = at {
            command.args(["--at", at]);
        }
        run(command, "verifier-kiosk ledger export")
    }

    /// `verifier-kiosk ledger import --ledger … --trust … FILE`.
    pub fn import_ledger(&self, file: &Path) -> Result<Answer> {
        let mut command = binaries::command(&binaries::verifier_kiosk()?);
        command
            .args(["ledger", "import", "--ledger"])
            .arg(&self.ledger)
            .arg("--trust")
            .arg(&self.trust)
            .arg(file);
        run(command, "verifier-kiosk ledger import")
    }

    fn command(&self, subcommand: &str) -> Result<Command> {
        let mut command = binaries::command(&binaries::verifier_kiosk()?);
        command.arg(subcommand).arg("--trust").arg(&self.trust);
        // The tests judge what the kiosk reads, not how fast: a debug build on a busy CI machine
        // may need more than the kiosk's 4 s per picture (the timings of the release build are
        // in docs/performance.md).
        command.args(["--scan-budget", SCAN_BUDGET_SECONDS]);
        Ok(command)
    }
}

impl Shown<'_> {
    fn add_to(self, command: &mut Command) {
        match self {
            Shown::Image(path) => command.arg(path),
            Shown::Text(text) => command.args(["--text", text]),
        };
    }
}

impl Answer {
    /// The verdict: `valid`, `invalid` or `cannot_verify`.
    pub fn verdict(&self) -> &str {
        self.json["verdict"].as_str().unwrap_or("")
    }

    /// The machine-readable reason (`ok` when valid).
    pub fn reason(&self) -> &str {
        self.json["reason"].as_str().unwrap_or("")
    }

    /// Fails unless the verdict, reason and exit code are the expected ones.
    pub fn expect(&self, verdict: &str, reason: &str, code: i32) -> Result<&Self> {
        if self.verdict() != verdict || self.reason() != reason || self.code != code {
            bail!(
                "expected {verdict} ({reason}, exit {code}), the kiosk answered exit {}:\n{}",
                self.code,
                self.output
            );
        }
        Ok(self)
    }

    /// A string field of the JSON, by JSON pointer (`/visa/visa_number`).
    pub fn field(&self, pointer: &str) -> &str {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

fn run(mut command: Command, what: &str) -> Result<Answer> {
    let out = command
        .output()
        .with_context(|| format!("running {what}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let output = format!("{stdout}{stderr}");
    let code = out.status.code().unwrap_or(-1);
    let first = stdout.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let json = serde_json::from_str(first)
        .with_context(|| format!("{what} (exit {code}) printed no JSON:\n{output}"))?;
    Ok(Answer { code, json, output })
}
