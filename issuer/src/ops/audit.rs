//! `issuer audit verify`: walks the audit log's hash chain from the first entry and says whether
//! every entry still follows from the ones before it (nothing edited, inserted or deleted).

use std::process::ExitCode;

use anyhow::Result;

use crate::ops::trust::DataArgs;
use crate::store::audit::{ChainCheck, verify};

/// Exit code of `issuer audit verify` when the chain is broken.
pub const EXIT_CHAIN_BROKEN: u8 = 3;

/// `issuer audit …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain: exit 0 and the entry count when intact; exit 3 naming
    /// the first entry that does not follow from those before it.
    Verify(DataArgs),
}

/// Runs `issuer audit …`.
pub fn run(command: &AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Verify(data) => {
            let db = data.open()?;
            match db.with(|conn| verify(conn))? {
                ChainCheck::Intact(count) => {
                    println!("audit log intact: {count} entries");
                    Ok(ExitCode::SUCCESS)
                }
                ChainCheck::BrokenAt(seq) => {
                    eprintln!(
                        "issuer: audit log broken at entry {seq}: it does not follow from the entries before it (edited, inserted or deleted)"
                    );
                    Ok(ExitCode::from(EXIT_CHAIN_BROKEN))
                }
            }
        }
    }
}
