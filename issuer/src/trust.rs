//! The migration officer's trust commands: certifying issuer keys with the root key, and (with the
//! database) revoking visas and keys and exporting the kiosks' trust bundle.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::keyring;

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
