//! The migration service's kiosk registry: `issuer kiosk add` and `issuer kiosk revoke`, and
//! `issuer ledger-import`, which believes a ledger export only when a registered, unrevoked kiosk
//! signed it and its records continue what the issuer already holds of that kiosk's chain (the
//! checks are `service/kiosk.rs`, which the back office's upload calls too).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use shared::Port;
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::ledger::ExchangeError;

use crate::clock::Clock;
use crate::keys::keyfile;
use crate::ops::trust::DataArgs;
use crate::service::kiosk::import_ledger;
use crate::service::trust::By;
use crate::store::Checked;
use crate::store::kiosk::{self as store, Added, KioskRevoked};

/// `issuer kiosk …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum KioskCommand {
    /// Register a kiosk's own public key (made by `verifier-kiosk identity`): the next trust bundle
    /// lists it, and its signed ledger exports are believed.
    Add(KioskAddArgs),
    /// Revoke a kiosk: the next bundle leaves it out, and its exports are refused.
    Revoke(KioskRevokeArgs),
}

/// Options of `issuer kiosk add`.
#[derive(Debug, Clone, clap::Args)]
pub struct KioskAddArgs {
    /// The kiosk's id, as its identity says (like NQZ-01).
    #[arg(long, value_parser = parse_kiosk_id)]
    pub id: KioskId,
    /// The kiosk's airport: NQZ or ALA.
    #[arg(long, value_parser = parse_port)]
    pub port: Port,
    /// The kiosk's public key file (kiosk.pub from its trust directory).
    #[arg(long)]
    pub key: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer kiosk revoke`.
#[derive(Debug, Clone, clap::Args)]
pub struct KioskRevokeArgs {
    /// The kiosk's id.
    #[arg(value_parser = parse_kiosk_id)]
    pub id: KioskId,
    /// Why (e.g. "stolen", "clock tampered").
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer ledger-import`.
#[derive(Debug, Clone, clap::Args)]
pub struct LedgerImportArgs {
    /// A signed kiosk ledger export (`verifier-kiosk ledger export`).
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

/// `issuer kiosk add`.
pub fn add(args: &KioskAddArgs) -> Result<ExitCode> {
    let key = keyfile::load_public(&args.key)?;
    let kiosk = RegisteredKiosk {
        id: args.id.clone(),
        port: args.port,
        key,
    };
    let db = args.data.open()?;
    let now = Clock::system().rfc3339();
    match db.with(|conn| store::add_kiosk(conn, &kiosk, &now))? {
        Added::Now => println!(
            "registered kiosk {} at {} with key {}; the next trust bundle (issuer bundle export) lists it",
            kiosk.id,
            kiosk.port.code(),
            kiosk.kid()
        ),
        Added::Already => println!(
            "kiosk {} at {} with key {} was already registered",
            kiosk.id,
            kiosk.port.code(),
            kiosk.kid()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// `issuer kiosk revoke`.
pub fn revoke(args: &KioskRevokeArgs) -> Result<ExitCode> {
    let db = args.data.open()?;
    let now = Clock::system().rfc3339();
    match db.with(|conn| store::revoke_kiosk(conn, &args.id, &args.reason, &now))? {
        KioskRevoked::Now => println!(
            "revoked kiosk {}; its exports are refused from now on, and kiosks stop believing it once they import the next bundle",
            args.id
        ),
        KioskRevoked::Already(reason) => {
            println!("kiosk {} was already revoked: {reason}", args.id)
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `issuer ledger-import`: checks the export against the registry and the chains held, then keeps
/// the entries on single-entry visas, so the next bundle tells every kiosk they are used. The
/// import (or its refusal) is in the audit log as the operator's.
pub fn ledger_import(args: &LedgerImportArgs) -> Result<ExitCode> {
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?
        .len();
    if size > shared::ledger::MAX_EXPORT_BYTES as u64 {
        eprintln!(
            "issuer: refused {}: {}",
            args.file.display(),
            ExchangeError::TooLarge
        );
        return Ok(ExitCode::FAILURE);
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let db = args.data.open()?;
    let clock = Clock::system();
    match db.with(|conn| import_ledger(conn, &clock, &By::operator(), &bytes))? {
        Checked::Stored((export, done)) => {
            println!(
                "read {} records of kiosk {} signed at {}: {} new, {} already imported; recorded {} new entries on single-entry visas",
                export.records().len(),
                export.kiosk().id,
                shared::ledger::rfc3339_utc(export.signed_at()),
                done.new,
                done.known,
                done.entries
            );
            Ok(ExitCode::SUCCESS)
        }
        Checked::Refused(refusal) => {
            eprintln!(
                "issuer: refused {}: {refusal}; nothing was imported",
                args.file.display()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn parse_kiosk_id(text: &str) -> Result<KioskId, String> {
    KioskId::parse(text).map_err(|e| e.to_string())
}

fn parse_port(text: &str) -> Result<Port, String> {
    Port::parse(text).map_err(|e| e.to_string())
}
