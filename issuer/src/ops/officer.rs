//! `issuer officer add|disable`: the operator creates back-office officers (who finish their own
//! set-up through a one-time link: password and second factor) and disables them. Both are in
//! the audit log as the operator's actions.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::exit::EXIT_BAD_INPUT;
use crate::clock::Clock;
use crate::domain::account::Email;
use crate::domain::office::Role;
use crate::domain::officer::SETUP_HOURS;
use crate::ops::trust::DataArgs;
use crate::service::officer;

/// `issuer officer …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum OfficerCommand {
    /// Create an officer and print the one-time set-up link (valid 72 hours) to give them.
    Add(OfficerAddArgs),
    /// Disable an officer: no more log-ins, and open sessions end at once.
    Disable(OfficerDisableArgs),
}

/// Options of `issuer officer add`.
#[derive(Debug, Clone, clap::Args)]
pub struct OfficerAddArgs {
    /// The officer's e-mail address (the log-in name).
    #[arg(long)]
    pub email: String,
    /// officer, supervisor or auditor.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// The portal's address as browsers reach it, for the link; the same setting the portal
    /// uses for its own links.
    #[arg(
        long,
        env = "ISSUER_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub base_url: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer officer disable`.
#[derive(Debug, Clone, clap::Args)]
pub struct OfficerDisableArgs {
    /// The officer's e-mail address.
    pub email: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Runs `issuer officer …`.
pub fn run(command: &OfficerCommand) -> Result<ExitCode> {
    match command {
        OfficerCommand::Add(args) => add(args),
        OfficerCommand::Disable(args) => disable(args),
    }
}

fn add(args: &OfficerAddArgs) -> Result<ExitCode> {
    let Ok(email) = Email::parse(&args.email) else {
        eprintln!("issuer: --email: not an e-mail address: {}", args.email);
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    };
    // The operator may add the first officers before the portal has ever run.
    let dir = &args.data.data_dir;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = crate::store::Db::open_configured(args.data.database_url.as_deref(), dir)?;
    let Some(token) = officer::add(&db, &Clock::system(), &email, args.role)? else {
        eprintln!(
            "issuer: an officer with e-mail {} exists already",
            email.as_str()
        );
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    };
    println!(
        "officer {} ({}) created; give them this one-time set-up link (valid {SETUP_HOURS} hours):",
        email.as_str(),
        args.role.as_str()
    );
    println!(
        "{}/office/setup/{token}",
        args.base_url.trim_end_matches('/')
    );
    Ok(ExitCode::SUCCESS)
}

fn disable(args: &OfficerDisableArgs) -> Result<ExitCode> {
    let Ok(email) = Email::parse(&args.email) else {
        eprintln!("issuer: not an e-mail address: {}", args.email);
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    };
    let db = args.data.open()?;
    match officer::disable(&db, &Clock::system(), &email)? {
        Some(role) => {
            println!(
                "officer {} ({}) disabled; their sessions are ended",
                email.as_str(),
                role.as_str()
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("issuer: no active officer with e-mail {}", email.as_str());
            Ok(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "expected officer, supervisor or auditor".to_owned())
}
