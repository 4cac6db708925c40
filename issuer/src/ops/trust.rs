//! The migration officer's trust commands: certifying issuer keys with the root key, and (with the
//! database) revoking visas and keys and exporting the kiosks' trust bundle, which lists the
//! registered kiosks of `ops/kiosk.rs`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use shared::visa::VisaNumber;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::clock::Clock;
use crate::keys::keyfile;
use crate::keys::keyring::{self, Keyring};
use crate::service::trust::{self, By};
use crate::store::Db;
use crate::store::trust::Revoked;

/// Options of `issuer certify`.
#[derive(Debug, Clone, clap::Args)]
pub struct CertifyArgs {
    /// The root private key.
    #[arg(long)]
    pub root: PathBuf,
    /// The issuer public key to certify (NAME.pub).
    #[arg(long)]
    pub key: PathBuf,
    /// Start of the period in which the key may sign (RFC 3339, or YYYY-MM-DD for midnight UTC).
    #[arg(long, value_parser = parse_instant)]
    pub not_before: OffsetDateTime,
    /// End of the period; no visa it signs may stay valid past it.
    #[arg(long, value_parser = parse_instant)]
    pub not_after: OffsetDateTime,
    /// Where to write the certificate; defaults to NAME.cert beside NAME.pub.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `issuer certify`.
pub fn certify(args: &CertifyArgs) -> Result<ExitCode> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.key.with_extension("cert"));
    let certificate =
        keyring::certify(&args.root, &args.key, args.not_before, args.not_after, &out)?;
    println!(
        "wrote {}: key {} may sign visas issued from {} to {}",
        out.display(),
        certificate.key().kid(),
        certificate
            .not_before()
            .format(&Rfc3339)
            .context("formatting")?,
        certificate
            .not_after()
            .format(&Rfc3339)
            .context("formatting")?,
    );
    Ok(ExitCode::SUCCESS)
}

/// Parses an RFC 3339 instant, or a date meaning its midnight UTC.
pub fn parse_instant(text: &str) -> Result<OffsetDateTime, String> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    shared::visa::parse_date(text)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| "write a time like 2027-01-01 or 2027-01-01T00:00:00Z".to_owned())
}

/// Where the issuer's database is, for the commands that use it.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// Directory of the issuer's database.
    #[arg(long, env = "ISSUER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://user@host:port/db` (several instances share
    /// it). Without it, the SQLite file in the data directory.
    #[arg(long, env = "ISSUER_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl DataArgs {
    /// Opens the existing database.
    pub fn open(&self) -> Result<Db> {
        if self.database_url.is_some() {
            return Db::open_configured(self.database_url.as_deref(), &self.data_dir);
        }
        let path = self.data_dir.join("issuer.sqlite3");
        if !path.exists() {
            bail!("no issuer database at {}", path.display());
        }
        Db::open(&path)
    }
}

/// Options of `issuer revoke`.
#[derive(Debug, Clone, clap::Args)]
pub struct RevokeArgs {
    /// The visa number, as printed on the e-visa.
    pub visa_number: String,
    /// Why; shown to the applicant and carried to the kiosks.
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer revoke-key`.
#[derive(Debug, Clone, clap::Args)]
pub struct RevokeKeyArgs {
    /// The key id (16 hex digits).
    pub kid: String,
    /// Why (e.g. "compromised").
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// `issuer bundle …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum BundleCommand {
    /// Export the next signed trust bundle for the kiosks.
    Export(ExportArgs),
}

/// Options of `issuer bundle export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The root private key that signs the bundle.
    #[arg(
        long,
        env = "ISSUER_ROOT_KEY",
        default_value = "keys/root/dev-root.key"
    )]
    pub root: PathBuf,
    /// The key directory whose certificates (NAME.cert) the bundle carries.
    #[arg(long, env = "ISSUER_KEY_DIR", default_value = "keys")]
    pub key_dir: PathBuf,
    /// Where to write the bundle.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

/// `issuer revoke`.
pub fn revoke(args: &RevokeArgs) -> Result<ExitCode> {
    let number = VisaNumber::parse(&args.visa_number.to_ascii_uppercase())
        .map_err(|e| anyhow!("visa number: {e}"))?;
    let db = args.data.open()?;
    let clock = Clock::system();
    let by = By::operator();
    match db.with(|conn| trust::revoke_visa(conn, &clock, &by, &number, &args.reason))? {
        Revoked::Now => println!(
            "revoked {}; kiosks refuse it once they import the next bundle (issuer bundle export)",
            number.as_str()
        ),
        Revoked::Already(reason) => {
            println!("{} was already revoked: {reason}", number.as_str());
        }
        Revoked::Unknown => bail!("no visa {} was issued here", number.as_str()),
    }
    Ok(ExitCode::SUCCESS)
}

/// `issuer revoke-key`.
pub fn revoke_key(args: &RevokeKeyArgs) -> Result<ExitCode> {
    let db = args.data.open()?;
    let clock = Clock::system();
    let by = By::operator();
    let kid = args.kid.to_ascii_lowercase();
    if db.with(|conn| trust::revoke_key(conn, &clock, &by, &kid, &args.reason))? {
        println!(
            "revoked key {kid}; every visa it signed is refused once kiosks import the next bundle"
        );
    } else {
        println!("key {kid} was already revoked");
    }
    Ok(ExitCode::SUCCESS)
}

/// `issuer bundle export`.
pub fn export_bundle(args: &ExportArgs) -> Result<ExitCode> {
    let root = keyfile::load_private(&args.root)?;
    let keyring = Keyring::load(&args.key_dir, &root.public_key())?;
    let db = args.data.open()?;
    let clock = Clock::system();
    let by = By::operator();
    let bundle =
        db.with(|conn| trust::export_bundle(conn, &clock, &by, &root, keyring.certificates()))?;
    write_atomically(&args.out, &bundle.bytes)?;
    println!("wrote {}: {}", args.out.display(), bundle.summary());
    Ok(ExitCode::SUCCESS)
}

/// Writes a file whole or not at all: a temporary file, synced, then renamed over the target.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut file =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}
