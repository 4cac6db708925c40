//! The operator's adapter: the `issuer` command line. No subcommand serves the portal; the others
//! are the migration service's commands for invitations, keys, signing and offline trust.

pub mod audit;
mod exit;
pub mod inviter;
pub mod kiosk;
pub mod officer;
pub mod seed;
pub mod stop_list;
pub mod trust;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use shared::VisaDraft;

use crate::clock::Clock;
use crate::domain::invitation::{InvitationForm, InviterForm};
use crate::domain::taxid::TaxId;
use crate::keys::keyfile;
use crate::server::ServeArgs;
use crate::store::{self, Checked};

/// Options of `issuer invite`. The invited person's data must be what their passport shows.
#[derive(Debug, Clone, clap::Args)]
pub struct InviteArgs {
    /// Directory of the issuer's database.
    #[arg(long, env = "ISSUER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://user@host:port/db` (several instances share
    /// it). Without it, the SQLite file in the data directory.
    #[arg(long, env = "ISSUER_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// BIN (organisation) or IIN (individual) of the inviting party.
    #[arg(long = "bin-iin")]
    pub tax_id: String,
    /// Name of the inviting party; registers it if the BIN/IIN is new.
    #[arg(long)]
    pub inviter_name: Option<String>,
    /// Brief description of a new inviting party.
    #[arg(long, default_value = "")]
    pub inviter_description: String,
    /// Surname in Latin letters, as in the passport's MRZ.
    #[arg(long)]
    pub surname: String,
    /// Given names in Latin letters.
    #[arg(long, default_value = "")]
    pub given_names: String,
    /// Passport number.
    #[arg(long)]
    pub passport: String,
    /// Citizenship, ISO 3166-1 alpha-3 (e.g. DEU).
    #[arg(long)]
    pub citizenship: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    pub date_of_birth: String,
    /// business, tourist or treatment.
    #[arg(long)]
    pub category: String,
    /// Purpose of the visit.
    #[arg(long)]
    pub purpose: String,
    /// City of the planned address of stay.
    #[arg(long)]
    pub city: String,
    /// Street of the planned address of stay.
    #[arg(long)]
    pub street: String,
    /// House of the planned address of stay.
    #[arg(long)]
    pub house: String,
    /// First day of the visit, YYYY-MM-DD.
    #[arg(long)]
    pub valid_from: String,
    /// Last day of the visit, YYYY-MM-DD.
    #[arg(long)]
    pub valid_until: String,
    /// Length of stay in days (1–90).
    #[arg(long)]
    pub stay_days: String,
}

/// The Kazakhstan e-visa issuer.
///
/// Without a subcommand it serves the portal (same as `issuer serve`), configured by the options
/// below or their environment variables.
#[derive(Debug, Parser)]
#[command(name = "issuer", version, about, long_about)]
pub struct Cli {
    /// Portal configuration, used when no subcommand is given.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// What to do; without a subcommand the portal starts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve(Box<ServeArgs>),
    /// Register an invitation from an inviting party (BIN or IIN) and print its number.
    Invite(Box<InviteArgs>),
    /// Generate an Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (SPKI PEM).
    Keygen {
        /// Path and base name of the files, e.g. keys/issuer-2026.
        #[arg(long)]
        out: PathBuf,
        /// Make the root (country) key that certifies issuer keys and signs trust bundles.
        #[arg(long)]
        root: bool,
    },
    /// Certify an issuer public key with the root key for a period: writes NAME.cert.
    Certify(crate::ops::trust::CertifyArgs),
    /// Revoke one issued visa; the next trust bundle carries it to the kiosks.
    Revoke(crate::ops::trust::RevokeArgs),
    /// Revoke a signing key (compromise): every visa it signed is refused.
    RevokeKey(crate::ops::trust::RevokeKeyArgs),
    /// Verify or reject an inviting party (its invitations work only once verified).
    #[command(subcommand)]
    Inviter(crate::ops::inviter::InviterCommand),
    /// Add or remove screening stop-list entries (a matching paid application waits for an
    /// officer instead of being signed).
    #[command(subcommand)]
    StopList(crate::ops::stop_list::StopListCommand),
    /// Trust bundles for the kiosks.
    #[command(subcommand)]
    Bundle(crate::ops::trust::BundleCommand),
    /// Register or revoke a border kiosk's own key; the next bundle lists the registered ones.
    #[command(subcommand)]
    Kiosk(crate::ops::kiosk::KioskCommand),
    /// Import a registered kiosk's signed ledger export: entries on single-entry visas go into the
    /// next bundle; a file not signed by a registered, unrevoked kiosk is refused.
    LedgerImport(crate::ops::kiosk::LedgerImportArgs),
    /// Back-office officers: add one (prints a one-time set-up link) or disable one.
    #[command(subcommand)]
    Officer(crate::ops::officer::OfficerCommand),
    /// The audit log of officer actions.
    #[command(subcommand)]
    Audit(crate::ops::audit::AuditCommand),
    /// Print the signed QR token text for a visa described in JSON (see docs/visa-token.md).
    Sign {
        /// The private signing key (PKCS#8 PEM).
        #[arg(long)]
        key: PathBuf,
        /// The visa as JSON; `-` reads standard input.
        visa: PathBuf,
    },
    /// Fill the database with issued visas, for benchmarks at scale (never a real database).
    Seed(crate::ops::seed::SeedArgs),
    /// Render the e-visa PDF printout for a visa described in the same JSON `sign` takes.
    Render {
        /// The private signing key (PKCS#8 PEM) that signs the QR code.
        #[arg(long)]
        key: PathBuf,
        /// The visa as JSON; `-` reads standard input.
        visa: PathBuf,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
        /// The inviting party as printed, e.g. its name and BIN.
        #[arg(long)]
        inviter: Option<String>,
    },
}

pub use exit::EXIT_BAD_INPUT;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(*args),
        Some(Command::Invite(args)) => invite(&args),
        Some(Command::Keygen { out, root }) => keygen(&out, root),
        Some(Command::Certify(args)) => crate::ops::trust::certify(&args),
        Some(Command::Revoke(args)) => crate::ops::trust::revoke(&args),
        Some(Command::RevokeKey(args)) => crate::ops::trust::revoke_key(&args),
        Some(Command::Bundle(crate::ops::trust::BundleCommand::Export(args))) => {
            crate::ops::trust::export_bundle(&args)
        }
        Some(Command::Kiosk(crate::ops::kiosk::KioskCommand::Add(args))) => {
            crate::ops::kiosk::add(&args)
        }
        Some(Command::Kiosk(crate::ops::kiosk::KioskCommand::Revoke(args))) => {
            crate::ops::kiosk::revoke(&args)
        }
        Some(Command::Inviter(command)) => crate::ops::inviter::run(&command),
        Some(Command::StopList(command)) => crate::ops::stop_list::run(&command),
        Some(Command::LedgerImport(args)) => crate::ops::kiosk::ledger_import(&args),
        Some(Command::Officer(command)) => crate::ops::officer::run(&command),
        Some(Command::Audit(command)) => crate::ops::audit::run(&command),
        Some(Command::Seed(args)) => crate::ops::seed::seed(&args),
        Some(Command::Sign { key, visa }) => sign(&key, &visa),
        Some(Command::Render {
            key,
            visa,
            out,
            inviter,
        }) => render(&key, &visa, &out, inviter.as_deref()),
    };
    result.unwrap_or_else(|error| {
        eprintln!("issuer: {error:#}");
        ExitCode::FAILURE
    })
}

fn serve(args: ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let served = runtime.block_on(crate::server::serve(args));
    // Background tasks (the mailer, the purge) stop here; a mail being sent stays in the outbox
    // and goes at the next start.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    served?;
    Ok(ExitCode::SUCCESS)
}

fn invite(args: &InviteArgs) -> Result<ExitCode> {
    let clock = Clock::system();
    let today = clock.today();
    let form = InvitationForm {
        surname: args.surname.clone(),
        given_names: args.given_names.clone(),
        passport_number: args.passport.clone(),
        citizenship: args.citizenship.clone(),
        date_of_birth: args.date_of_birth.clone(),
        category: args.category.clone(),
        purpose: args.purpose.clone(),
        city: args.city.clone(),
        street: args.street.clone(),
        house: args.house.clone(),
        valid_from: args.valid_from.clone(),
        valid_until: args.valid_until.clone(),
        stay_days: args.stay_days.clone(),
    };
    let bad = |problems: crate::domain::problem::Problems| {
        for (field, problem) in problems {
            eprintln!(
                "issuer: {field}: {}",
                problem.message(crate::i18n::Lang::En)
            );
        }
        Ok(ExitCode::from(EXIT_BAD_INPUT))
    };
    let invitation = match form.parse(today) {
        Ok(invitation) => invitation,
        Err(problems) => return bad(problems),
    };
    let tax_id = match TaxId::parse(&args.tax_id) {
        Ok(tax_id) => tax_id,
        Err(error) => {
            eprintln!("issuer: bin-iin: {error}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let db = crate::store::Db::open_configured(args.database_url.as_deref(), &args.data_dir)?;
    let now = clock.rfc3339();
    let inviter_id = match db.with(|conn| store::invitation::inviter_by_tax_id(conn, &tax_id))? {
        Some(inviter) => {
            if !inviter.state.may_invite() {
                eprintln!(
                    "issuer: the inviting party {tax_id} is {}: this invitation works only once an \
                     officer verifies the party",
                    inviter.state.as_str()
                );
            }
            inviter.id
        }
        None => {
            let Some(name) = &args.inviter_name else {
                eprintln!(
                    "issuer: no inviting party has BIN/IIN {tax_id}; give --inviter-name to register it"
                );
                return Ok(ExitCode::from(EXIT_BAD_INPUT));
            };
            // A BIN has the entity type 4–6 in its fifth digit; an IIN never does.
            let kind = if matches!(tax_id.as_str().as_bytes()[4], b'4'..=b'6') {
                "organisation"
            } else {
                "individual"
            };
            let description = if args.inviter_description.is_empty() {
                name.clone()
            } else {
                args.inviter_description.clone()
            };
            let new = match (InviterForm {
                kind: kind.into(),
                tax_id: tax_id.to_string(),
                name: name.clone(),
                description,
            })
            .parse()
            {
                Ok(new) => new,
                Err(problems) => return bad(problems),
            };
            match db.with(|conn| store::invitation::insert_inviter(conn, None, &new, &now))? {
                Checked::Stored(id) => {
                    eprintln!(
                        "issuer: registered the inviting party {tax_id}; it is pending: its invitations \
                         work once an officer verifies it (issuer inviter verify {tax_id})"
                    );
                    id
                }
                Checked::Refused(problems) => return bad(problems),
            }
        }
    };
    let number = db.with(|conn| {
        store::invitation::create_invitation(conn, inviter_id, &invitation, today.year(), &now)
    })?;
    println!("{}", number.as_str());
    Ok(ExitCode::SUCCESS)
}

fn keygen(out: &std::path::Path, root: bool) -> Result<ExitCode> {
    let (paths, key) = keyfile::generate(out)?;
    println!(
        "wrote {} (private, mode 0600) and {} (public), key id {}",
        paths.private.display(),
        paths.public.display(),
        key.kid()
    );
    if root {
        println!(
            "this is a root key: keep {} offline; kiosks ship with {} only; certify issuer keys with `issuer certify`",
            paths.private.display(),
            paths.public.display()
        );
    } else {
        println!(
            "certify it before it signs: issuer certify --root ROOT.key --key {} --not-before … --not-after …",
            paths.public.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn sign(key: &std::path::Path, visa: &std::path::Path) -> Result<ExitCode> {
    let key = keyfile::load_private(key)?;
    let visa = match read_visa(visa)? {
        VisaInput::Visa(visa) => *visa,
        VisaInput::Invalid(message) => return Ok(bad_input(&message)),
    };
    println!("{}", shared::sign(&visa, &key));
    Ok(ExitCode::SUCCESS)
}

fn render(
    key: &std::path::Path,
    visa: &std::path::Path,
    out: &std::path::Path,
    inviter: Option<&str>,
) -> Result<ExitCode> {
    let key = keyfile::load_private(key)?;
    let visa = match read_visa(visa)? {
        VisaInput::Visa(visa) => *visa,
        VisaInput::Invalid(message) => return Ok(bad_input(&message)),
    };
    let token = shared::sign(&visa, &key);
    let pdf = crate::pdf::render(&visa, &token, inviter).context("rendering the PDF")?;
    std::fs::write(out, &pdf).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), pdf.len());
    Ok(ExitCode::SUCCESS)
}

/// A visa read from the operator's JSON, or what is wrong with it.
#[derive(Debug)]
pub enum VisaInput {
    /// A valid visa.
    Visa(Box<shared::Visa>),
    /// What is wrong with the JSON or the visa, for the operator.
    Invalid(String),
}

/// Reads a visa described in JSON from a file or standard input (`-`). The error is IO; what is
/// wrong with the JSON or the visa is a [`VisaInput::Invalid`].
pub fn read_visa(path: &std::path::Path) -> Result<VisaInput> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
    };
    let draft = match serde_json::from_str::<VisaDraft>(&text) {
        Ok(draft) => draft,
        Err(e) => return Ok(VisaInput::Invalid(format!("invalid visa JSON: {e}"))),
    };
    Ok(match draft.into_visa() {
        Ok(visa) => VisaInput::Visa(Box::new(visa)),
        Err(e) => VisaInput::Invalid(format!("invalid visa: {e}")),
    })
}

/// Says what is wrong with the input and gives its exit code.
fn bad_input(message: &str) -> ExitCode {
    eprintln!("issuer: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}
