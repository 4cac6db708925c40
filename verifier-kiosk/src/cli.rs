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

use crate::config::KioskArgs;
use crate::decision::{self, Decision, Reason, Refusal};
use crate::identity::Identity;
use crate::kiosk::{Direction, Kiosk};
use crate::ledger::Ledger;
use crate::scan;
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
    /// The window's settings.
    #[command(flatten)]
    pub kiosk: KioskArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make this kiosk's own Ed25519 key (kiosk.key, kiosk.pub) in the trust directory if it is
    /// missing, and print its id, port and key id as JSON for registration (`issuer kiosk add`).
    Identity(IdentityArgs),
    /// Verify e-visa codes offline and print one JSON verdict per input.
    Verify(VerifyArgs),
    /// Judge a code presented for entry or exit here, record it in the ledger, print JSON.
    Record(RecordArgs),
    /// Install a root-signed trust bundle (docs/trust-bundle.md) into the trust directory.
    Bundle {
        /// What to do with the bundle.
        #[command(subcommand)]
        action: BundleAction,
    },
    /// Move ledger records between kiosks and check their hash chains.
    Ledger {
        /// What to do with the ledger.
        #[command(subcommand)]
        action: LedgerAction,
    },
}

/// Arguments of `identity`.
#[derive(Debug, clap::Args)]
pub struct IdentityArgs {
    /// The trust directory the identity is kept in.
    #[arg(long, env = "KIOSK_TRUST")]
    pub trust: PathBuf,
    /// This kiosk's id, like NQZ-01 (capital letters, digits, hyphens).
    #[arg(long, value_parser = parse_kiosk_id)]
    pub kiosk_id: shared::kiosk::KioskId,
    /// This kiosk's airport: NQZ or ALA.
    #[arg(long, value_parser = parse_port)]
    pub port: Port,
}

/// Arguments of `record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The trust directory: issuer keys or root key and bundle, and the kiosk's identity.
    #[arg(long, env = "KIOSK_TRUST")]
    pub trust: PathBuf,
    /// This kiosk's airport: NQZ or ALA; taken from the identity when there is one.
    #[arg(long, value_parser = parse_port)]
    pub port: Option<Port>,
    /// The ledger database (created if missing).
    #[arg(long, env = "KIOSK_LEDGER")]
    pub ledger: PathBuf,
    /// Entry or exit.
    #[arg(long, value_enum)]
    pub direction: Direction,
    /// The time of the crossing (RFC 3339); defaults to now.
    #[arg(long, value_parser = parse_time)]
    pub at: Option<OffsetDateTime>,
    /// This kiosk's id in the ledger; taken from the identity when there is one, otherwise it
    /// defaults to the port and `-01`.
    #[arg(long, env = "KIOSK_ID")]
    pub kiosk_id: Option<String>,
    /// The passport's machine-readable zone (two lines, or 88 characters), to cross-check.
    #[arg(long)]
    pub mrz: Option<String>,
    /// CPU seconds one picture may take to read before it is CANNOT VERIFY "unreadable" (wall
    /// time is capped at four times this, so a busy machine does not change the verdict).
    #[arg(long, env = "KIOSK_SCAN_BUDGET", default_value_t = 4.0, value_parser = parse_budget)]
    pub scan_budget: f64,
    /// Token text, as a keyboard-wedge scanner types it.
    #[arg(long, conflicts_with = "image")]
    pub text: Option<String>,
    /// An image file of the printout.
    #[arg(required_unless_present = "text")]
    pub image: Option<PathBuf>,
}

/// The `bundle` actions.
#[derive(Debug, Subcommand)]
pub enum BundleAction {
    /// Verify FILE against the root key and install it, unless it is not newer than the installed
    /// bundle.
    Import {
        /// The trust directory (holding root.pub or root/*.pub).
        #[arg(long, env = "KIOSK_TRUST")]
        trust: PathBuf,
        /// The `.kztrust` file.
        file: PathBuf,
    },
}

/// The `ledger` actions.
#[derive(Debug, Subcommand)]
pub enum LedgerAction {
    /// Write this kiosk's own records as an export signed with its key (docs/ledger-exchange.md).
    Export {
        /// The ledger database.
        #[arg(long, env = "KIOSK_LEDGER")]
        ledger: PathBuf,
        /// The trust directory holding the kiosk's identity (`verifier-kiosk identity`).
        #[arg(long, env = "KIOSK_TRUST")]
        trust: PathBuf,
        /// The file to write; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The signing time (RFC 3339); defaults to now. No record may be later than it plus 10
        /// minutes.
        #[arg(long, value_parser = parse_time)]
        at: Option<OffsetDateTime>,
    },
    /// Merge signed exports of registered kiosks: no duplicates; visas entered at two kiosks are
    /// flagged; a file not signed by a kiosk of the installed bundle is refused whole.
    Import {
        /// The ledger database.
        #[arg(long, env = "KIOSK_LEDGER")]
        ledger: PathBuf,
        /// The trust directory whose installed bundle lists the registered kiosks.
        #[arg(long, env = "KIOSK_TRUST")]
        trust: PathBuf,
        /// This kiosk's time (RFC 3339), against which future-dated records are flagged;
        /// defaults to now.
        #[arg(long, value_parser = parse_time)]
        at: Option<OffsetDateTime>,
        /// Export files to merge.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check every kiosk's hash chain.
    Verify {
        /// The ledger database.
        #[arg(long, env = "KIOSK_LEDGER")]
        ledger: PathBuf,
    },
}

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The trust directory: issuer keys or root key and bundle, and the kiosk's identity.
    #[arg(long, env = "KIOSK_TRUST")]
    pub trust: PathBuf,
    /// Check entry at this airport too: NQZ or ALA; the identity's airport when there is one.
    #[arg(long, value_parser = parse_port)]
    pub port: Option<Port>,
    /// The time of the check (RFC 3339); defaults to now.
    #[arg(long, value_parser = parse_time)]
    pub at: Option<OffsetDateTime>,
    /// CPU seconds one picture may take to read before it is CANNOT VERIFY "unreadable" (wall
    /// time is capped at four times this, so a busy machine does not change the verdict).
    #[arg(long, env = "KIOSK_SCAN_BUDGET", default_value_t = 4.0, value_parser = parse_budget)]
    pub scan_budget: f64,
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
        Command::Identity(args) => identity(&args),
        Command::Verify(args) => verify(args),
        Command::Record(args) => record(args),
        Command::Ledger { action } => ledger(action),
        Command::Bundle {
            action: BundleAction::Import { trust, file },
        } => import_bundle(&trust, &file),
    };
    result.unwrap_or_else(|error| {
        eprintln!("verifier-kiosk: {error:#}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn identity(args: &IdentityArgs) -> Result<ExitCode> {
    let identity = Identity::create(&args.trust, &args.kiosk_id, args.port)?;
    println!(
        "{}",
        serde_json::json!({
            "kiosk_id": identity.kiosk_id().as_str(),
            "port": identity.port().code(),
            "kid": identity.kid().to_string(),
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(mut args: VerifyArgs) -> Result<ExitCode> {
    let identity = Identity::load(&args.trust)?;
    args.port = Identity::resolve(identity.as_ref(), None, args.port)?.1;
    let loaded = trust::load(&args.trust)?;
    let trust = loaded.store.clone();
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
                decisions.push(decide_image(
                    path,
                    &trust,
                    args.port,
                    at,
                    pipeline(args.scan_budget),
                ));
            }
        }
    }
    // With a bundle, its freshness and revocations apply too (no ledger here: the bundle's own
    // creation time is the clock's high-water mark).
    if let Some(bundle) = &loaded.bundle {
        let policy = shared::bundle::FreshnessPolicy::default();
        for d in &mut decisions {
            if d.reason() == Reason::Unreadable {
                continue;
            }
            if let Some(refused) = crate::kiosk::freshness(&policy, bundle, bundle.created_at(), at)
                .or_else(|| crate::kiosk::bundle_refusal(bundle, d))
                .or_else(|| {
                    d.verified_visa()
                        .and_then(|v| crate::kiosk::beyond_horizon(bundle, v, at))
                })
            {
                *d = refused;
            }
        }
    }
    print_json_lines(&decisions)?;
    Ok(ExitCode::from(decision::exit_code(&decisions)))
}

/// Reads the QR code in an image file and verifies it; an unreadable picture is CANNOT VERIFY.
pub fn decide_image(
    path: &std::path::Path,
    trust: &shared::TrustStore,
    port: Option<Port>,
    at: OffsetDateTime,
    pipeline: scan::Pipeline,
) -> Decision {
    match pipeline.scan_file(path) {
        Ok(found) => {
            let text = found.texts.into_iter().next().unwrap_or_default();
            Decision::of_text(&text, trust, port, at)
        }
        Err(error) => crate::kiosk::unreadable(&error),
    }
}

fn record(args: RecordArgs) -> Result<ExitCode> {
    let identity = Identity::load(&args.trust)?;
    let (kiosk_id, port) =
        Identity::resolve(identity.as_ref(), args.kiosk_id.as_deref(), args.port)?;
    let port = port.context("give --port NQZ or ALA, or make the kiosk's identity first")?;
    let trust = trust::load(&args.trust)?;
    let ledger = Ledger::open(&args.ledger, &kiosk_id)
        .with_context(|| format!("opening the ledger {}", args.ledger.display()))?;
    let mut kiosk = Kiosk::new(port, trust.store, ledger).with_pipeline(pipeline(args.scan_budget));
    if let Some(bundle) = trust.bundle {
        kiosk = kiosk.with_bundle(bundle, shared::bundle::FreshnessPolicy::default());
    }
    let at = args.at.unwrap_or_else(OffsetDateTime::now_utc);
    let passport = match args.mrz.as_deref().map(shared::PassportMrz::parse) {
        Some(Ok(mrz)) => Some(mrz),
        Some(Err(error)) => {
            let d = kiosk.check_failure(
                Decision::refused(
                    Refusal::CannotVerify,
                    Reason::UnreadablePassport,
                    format!("the passport zone could not be read: {error}"),
                ),
                args.direction,
                at,
            );
            print_json_lines(&[d])?;
            return Ok(ExitCode::from(2));
        }
        None => None,
    };
    let text = match (&args.text, &args.image) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => match kiosk.pipeline().scan_file(path) {
            Ok(found) => found.texts.into_iter().next().unwrap_or_default(),
            Err(error) => {
                let d = kiosk.check_failure(crate::kiosk::unreadable(&error), args.direction, at);
                print_json_lines(std::slice::from_ref(&d))?;
                return Ok(ExitCode::from(decision::exit_code(&[d])));
            }
        },
        (None, None) => anyhow::bail!("give --text or an image"),
    };
    let d = kiosk.record_movement(&text, args.direction, passport.as_ref(), at);
    print_json_lines(std::slice::from_ref(&d))?;
    Ok(ExitCode::from(decision::exit_code(&[d])))
}

fn import_bundle(dir: &std::path::Path, file: &std::path::Path) -> Result<ExitCode> {
    let line = match trust::install_bundle(dir, file) {
        Ok(bundle) => serde_json::json!({
            "installed": bundle.sequence(),
            "created_at": crate::ledger::rfc3339_utc(bundle.created_at()),
            "keys": bundle.certificates().len(),
            "revoked_visas": bundle.revoked_visas().len(),
            "revoked_keys": bundle.revoked_keys().len(),
            "used_entries": bundle.used_entries().len(),
            "kiosks": bundle.kiosks().len(),
        }),
        Err(error) => {
            println!("{}", serde_json::json!({ "refused": format!("{error:#}") }));
            return Ok(ExitCode::from(1));
        }
    };
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn ledger(action: LedgerAction) -> Result<ExitCode> {
    let open = |path: &std::path::Path| {
        Ledger::open(path, "").with_context(|| format!("opening the ledger {}", path.display()))
    };
    let mut out = std::io::stdout().lock();
    match action {
        LedgerAction::Export {
            ledger,
            trust,
            out: file,
            at,
        } => {
            let identity = Identity::load(&trust)?.with_context(|| {
                format!(
                    "{} holds no kiosk identity: make one with `verifier-kiosk identity --trust {} --kiosk-id ID --port NQZ|ALA` and have it registered",
                    trust.display(),
                    trust.display()
                )
            })?;
            let ledger = Ledger::open(&ledger, identity.kiosk_id().as_str())
                .with_context(|| format!("opening the ledger {}", ledger.display()))?;
            let (bytes, count) = ledger.export_signed(
                identity.key(),
                identity.kiosk_id(),
                identity.port(),
                at.unwrap_or_else(OffsetDateTime::now_utc),
            )?;
            match file {
                Some(path) => {
                    crate::trust::write_synced(&path, &bytes)?;
                    let line = serde_json::json!({
                        "exported": count,
                        "file": path,
                        "kiosk_id": identity.kiosk_id().as_str(),
                        "kid": identity.kid().to_string(),
                    });
                    writeln!(out, "{line}")?;
                }
                None => out.write_all(&bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Import {
            ledger,
            trust,
            at,
            files,
        } => {
            let now = at.unwrap_or_else(OffsetDateTime::now_utc);
            let loaded = trust::load(&trust)?;
            let bundle = loaded.bundle.with_context(|| {
                format!(
                    "no trust bundle is installed in {}: only the kiosks a root-signed bundle lists may send ledger records",
                    trust.display()
                )
            })?;
            let mut ledger = open(&ledger)?;
            let mut failed = false;
            for path in files {
                let line = match read_export(&path) {
                    Err(error) => {
                        failed = true;
                        serde_json::json!({ "file": path, "error": format!("{error:#}") })
                    }
                    Ok(bytes) => match ledger.import(&bytes, bundle.kiosks(), now) {
                        Ok(report) => {
                            failed |= !report.flagged.is_empty();
                            serde_json::json!({ "file": path, "report": report })
                        }
                        Err(error) => {
                            failed = true;
                            serde_json::json!({ "file": path, "error": error.to_string() })
                        }
                    },
                };
                writeln!(out, "{line}")?;
            }
            Ok(ExitCode::from(u8::from(failed)))
        }
        LedgerAction::Verify { ledger } => {
            let report = open(&ledger)?.verify()?;
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
            Ok(ExitCode::from(u8::from(!report.ok)))
        }
    }
}

fn print_json_lines(decisions: &[Decision]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for d in decisions {
        serde_json::to_writer(&mut out, d)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The default pipeline with a budget of `seconds`.
pub fn pipeline(seconds: f64) -> scan::Pipeline {
    let budget = std::time::Duration::from_secs_f64(seconds);
    scan::Pipeline {
        budget,
        // 1.5 s of the default 4 s: one stuck decoder call leaves time for the others.
        attempt_budget: budget * 3 / 8,
        ..scan::Pipeline::default()
    }
}

/// Parses a positive number of seconds, at most an hour.
pub fn parse_budget(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 3600.0 => Ok(s),
        _ => Err("a budget is a number of seconds between 0 and 3600".to_owned()),
    }
}

/// Reads an export file, refusing one larger than an export can be before reading it.
fn read_export(path: &std::path::Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    if size > shared::ledger::MAX_EXPORT_BYTES as u64 {
        anyhow::bail!("{} is larger than a ledger export can be", path.display());
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Parses a kiosk id in its one spelling.
pub fn parse_kiosk_id(text: &str) -> Result<shared::kiosk::KioskId, String> {
    shared::kiosk::KioskId::parse(text).map_err(|e| e.to_string())
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
