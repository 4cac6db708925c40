//! `issuer inviter verify|reject`: the operator's way to decide about an inviting party from a
//! script, audited as the operator. The back office does the same through `service::inviter`.

use std::process::ExitCode;

use anyhow::Result;

use super::exit::EXIT_BAD_INPUT;
use crate::clock::Clock;
use crate::domain::audit::Actor;
use crate::domain::inviter::{Decision, parse_reason};
use crate::domain::taxid::TaxId;
use crate::ops::trust::DataArgs;
use crate::service::inviter::{Decided, decide};

/// Exit code: no inviting party has the BIN/IIN (or no stop-list entry the id).
pub const EXIT_NOT_FOUND: u8 = 3;
/// Exit code: the decision does not apply to the party's current state.
pub const EXIT_WRONG_STATE: u8 = 4;

/// `issuer inviter …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum InviterCommand {
    /// Verify a pending (or suspended) inviting party: its invitations work from now on, and its
    /// current name is the one e-visas print.
    Verify(VerifyArgs),
    /// Reject a pending inviting party, with a reason.
    Reject(RejectArgs),
}

/// Options of `issuer inviter verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct VerifyArgs {
    /// The party's BIN (organisation) or IIN (individual).
    pub bin: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer inviter reject`.
#[derive(Debug, Clone, clap::Args)]
pub struct RejectArgs {
    /// The party's BIN or IIN.
    pub bin: String,
    /// Why (kept with the party and shown on its own page).
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Runs `issuer inviter …`.
pub fn run(command: &InviterCommand) -> Result<ExitCode> {
    let (bin, data, decision, reason) = match command {
        InviterCommand::Verify(args) => (&args.bin, &args.data, Decision::Verify, None),
        InviterCommand::Reject(args) => (
            &args.bin,
            &args.data,
            Decision::Reject,
            Some(args.reason.as_str()),
        ),
    };
    let tax_id = match TaxId::parse(bin) {
        Ok(tax_id) => tax_id,
        Err(error) => {
            eprintln!("issuer: BIN/IIN {bin:?}: {error}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    let reason = match reason.map(parse_reason).transpose() {
        Ok(reason) => reason,
        Err(error) => {
            eprintln!("issuer: --reason: {error}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    let db = data.open()?;
    let clock = Clock::system();
    let decided = db.with(|conn| {
        decide(
            conn,
            &clock,
            &Actor::Operator,
            &tax_id,
            decision,
            reason.as_deref(),
            None,
        )
    })?;
    Ok(match decided {
        Decided::Done { inviter, to } => {
            println!(
                "{} {} ({}): {} → {}",
                inviter.kind.as_str(),
                inviter.tax_id,
                inviter.name,
                inviter.state.as_str(),
                to.as_str()
            );
            ExitCode::SUCCESS
        }
        Decided::NoSuchParty => {
            eprintln!("issuer: no inviting party has BIN/IIN {tax_id}");
            ExitCode::from(EXIT_NOT_FOUND)
        }
        Decided::NotFrom(state) => {
            eprintln!(
                "issuer: the inviting party {tax_id} is {}; this decision does not apply",
                state.as_str()
            );
            ExitCode::from(EXIT_WRONG_STATE)
        }
        Decided::ReasonRequired => {
            eprintln!("issuer: --reason is required");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    })
}
