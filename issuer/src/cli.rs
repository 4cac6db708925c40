//! The `issuer` command line: run the portal, and the operator commands for keys and signing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use shared::VisaDraft;

use crate::keyfile;

/// The Kazakhstan e-visa issuer.
#[derive(Debug, Parser)]
#[command(name = "issuer", version, about)]
pub struct Cli {
    /// What to do; without a subcommand the portal starts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate an Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (SPKI PEM).
    Keygen {
        /// Path and base name of the files, e.g. keys/issuer-2026.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the signed QR token text for a visa described in JSON (see docs/visa-token.md).
    Sign {
        /// The private signing key (PKCS#8 PEM).
        #[arg(long)]
        key: PathBuf,
        /// The visa as JSON; `-` reads standard input.
        visa: PathBuf,
    },
}

/// Exit code for input the command cannot use (bad JSON, an invalid visa).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => {
            eprintln!(
                "issuer: the portal is not built yet; see README for the commands that exist"
            );
            Ok(ExitCode::FAILURE)
        }
        Some(Command::Keygen { out }) => keygen(&out),
        Some(Command::Sign { key, visa }) => sign(&key, &visa),
    };
    result.unwrap_or_else(|error| {
        eprintln!("issuer: {error:#}");
        ExitCode::FAILURE
    })
}

fn keygen(out: &std::path::Path) -> Result<ExitCode> {
    let (paths, key) = keyfile::generate(out)?;
    println!(
        "wrote {} (private, mode 0600) and {} (public), key id {}",
        paths.private.display(),
        paths.public.display(),
        key.kid()
    );
    Ok(ExitCode::SUCCESS)
}

fn sign(key: &std::path::Path, visa: &std::path::Path) -> Result<ExitCode> {
    let key = keyfile::load_private(key)?;
    let draft = match read_draft(visa)? {
        Ok(draft) => draft,
        Err(message) => {
            eprintln!("issuer: {message}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    match draft.into_visa() {
        Ok(visa) => {
            println!("{}", shared::sign(&visa, &key));
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("issuer: invalid visa: {error}");
            Ok(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

/// Reads visa JSON from a file or standard input. The outer error is IO; the inner one is a
/// message about the JSON itself.
pub fn read_draft(path: &std::path::Path) -> Result<Result<VisaDraft, String>> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
    };
    Ok(serde_json::from_str(&text).map_err(|e| format!("invalid visa JSON: {e}")))
}
