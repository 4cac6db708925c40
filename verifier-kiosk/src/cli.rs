//! The headless `verifier-kiosk` commands, for scripts, tests and operators. JSON out, one object
//! per input, and exit codes scripts can branch on.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use shared::Port;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::decision::{self, Decision};
use crate::trust;

/// Exit code for a usage error (BSD's EX_USAGE).
pub const EXIT_USAGE: u8 = 64;

/// The Kazakhstan e-visa border kiosk.
#[derive(Debug, Parser)]
#[command(name = "verifier-kiosk", version, about)]
pub struct Cli {
    /// What to do; without a subcommand the kiosk window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify e-visa codes offline and print one JSON verdict per input.
    Verify(VerifyArgs),
}

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Directory whose *.pub files are the trusted issuer keys.
    #[arg(long, env = "KIOSK_TRUST")]
    pub trust: PathBuf,
    /// Check entry at this airport too: NQZ or ALA.
    #[arg(long, value_parser = parse_port)]
    pub port: Option<Port>,
    /// The time of the check (RFC 3339); defaults to now.
    #[arg(long, value_parser = parse_time)]
    pub at: Option<OffsetDateTime>,
    /// Token text to verify; `-` reads one token per line from standard input.
    #[arg(long, conflicts_with = "images")]
    pub text: Option<String>,
    /// Image files of printouts to scan and verify.
    #[arg(required_unless_present = "text")]
    pub images: Vec<PathBuf>,
}

/// Parses the process arguments; a usage error exits with [`EXIT_USAGE`].
pub fn parse() -> Cli {
    Cli::try_parse().unwrap_or_else(|error| {
        let code = if error.use_stderr() {
            i32::from(EXIT_USAGE)
        } else {
            0
        };
        let _ = error.print();
        std::process::exit(code)
    })
}

/// Runs a headless command.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Verify(args) => verify(args),
    };
    result.unwrap_or_else(|error| {
        eprintln!("verifier-kiosk: {error:#}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn verify(args: VerifyArgs) -> Result<ExitCode> {
    let trust = trust::load_dir(&args.trust)?;
    let at = args.at.unwrap_or_else(OffsetDateTime::now_utc);
    let mut decisions = Vec::new();
    match args.text.as_deref() {
        Some("-") => {
            let input =
                std::io::read_to_string(std::io::stdin()).context("reading standard input")?;
            for line in input.lines().filter(|l| !l.trim().is_empty()) {
                decisions.push(Decision::of_text(line, &trust, args.port, at));
            }
        }
        Some(text) => decisions.push(Decision::of_text(text, &trust, args.port, at)),
        None => {
            for path in &args.images {
                decisions.push(crate::scan::decide_image(path, &trust, args.port, at));
            }
        }
    }
    print_json_lines(&decisions)?;
    Ok(ExitCode::from(decision::exit_code(&decisions)))
}

fn print_json_lines(decisions: &[Decision]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for d in decisions {
        serde_json::to_writer(&mut out, d)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Parses NQZ or ALA.
pub fn parse_port(text: &str) -> Result<Port, String> {
    Port::parse(text).map_err(|e| e.to_string())
}

/// Parses an RFC 3339 time.
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| "a time is written like 2026-12-05T10:00:00+05:00".to_owned())
}
