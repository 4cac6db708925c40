//! The kiosk's settings: flags, then environment, then a JSON config file, then defaults. Parsed
//! once into [`Settings`], which the window shows on its status panel.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use shared::Port;

use crate::i18n::Language;
use crate::identity::Identity;

/// The config file's shape (JSON); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileConfig {
    /// The kiosk's id, as it appears in ledger records.
    pub kiosk_id: Option<String>,
    /// NQZ or ALA.
    pub port: Option<String>,
    /// The trust directory of `*.pub` issuer keys.
    pub trust: Option<PathBuf>,
    /// The SQLite ledger file.
    pub ledger: Option<PathBuf>,
    /// The folder the document scanner saves into.
    pub scanner_dir: Option<PathBuf>,
    /// `kk`, `ru` or `en`.
    pub language: Option<String>,
    /// Seconds one picture may take to read.
    pub scan_budget: Option<f64>,
    /// A V4L2 camera device to read codes from (needs the `camera` build feature).
    pub camera: Option<PathBuf>,
}

/// The kiosk's settings, fully resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The kiosk's id.
    pub kiosk_id: String,
    /// The airport.
    pub port: Port,
    /// The trust directory.
    pub trust_dir: PathBuf,
    /// The ledger file.
    pub ledger_path: PathBuf,
    /// The watched scanner folder, if any.
    pub scanner_dir: Option<PathBuf>,
    /// The interface language at start.
    pub language: Language,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    /// How long one picture may take to read.
    pub scan_budget: Duration,
    /// The camera device, if one is configured.
    pub camera: Option<PathBuf>,
    /// The key id of the kiosk's own identity (`verifier-kiosk identity`), if it has one.
    pub kiosk_kid: Option<String>,
}

/// What flags and environment gave (clap fills it).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KioskArgs {
    /// A JSON config file (fields: kiosk_id, port, trust, ledger, scanner_dir, language,
    /// scan_budget).
    #[arg(long, env = "KIOSK_CONFIG")]
    pub config: Option<PathBuf>,
    /// The kiosk's id in ledger records.
    #[arg(long, env = "KIOSK_ID")]
    pub kiosk_id: Option<String>,
    /// The airport: NQZ or ALA.
    #[arg(long = "kiosk-port", env = "KIOSK_PORT")]
    pub port: Option<String>,
    /// The trust directory: issuer keys (*.pub) or root key and bundle, and the kiosk's identity.
    #[arg(long = "kiosk-trust", env = "KIOSK_TRUST")]
    pub trust: Option<PathBuf>,
    /// The SQLite ledger file.
    #[arg(long = "kiosk-ledger", env = "KIOSK_LEDGER")]
    pub ledger: Option<PathBuf>,
    /// The folder the document scanner saves PNG/JPEG files into.
    #[arg(long, env = "KIOSK_SCANNER_DIR")]
    pub scanner_dir: Option<PathBuf>,
    /// Interface language: kk, ru or en.
    #[arg(long, env = "KIOSK_LANG")]
    pub lang: Option<String>,
    /// Seconds one picture may take to read.
    #[arg(long = "kiosk-scan-budget", env = "KIOSK_SCAN_BUDGET", value_parser = crate::cli::parse_budget)]
    pub scan_budget: Option<f64>,
    /// A V4L2 camera to read codes from, like /dev/video0 (needs the `camera` build feature).
    #[arg(long, env = "KIOSK_CAMERA")]
    pub camera: Option<PathBuf>,
}

impl Settings {
    /// Resolves flags and environment over the config file over defaults.
    pub fn resolve(args: &KioskArgs) -> Result<Self> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let given_port = match args.port.clone().or(file.port) {
            Some(text) => Some(Port::parse(&text).with_context(|| format!("the port {text:?}"))?),
            None => None,
        };
        let trust_dir = args
            .trust
            .clone()
            .or(file.trust)
            .unwrap_or_else(|| "keys/dev-trust".into());
        // The kiosk's identity, when it has one, says who and where it is; settings may only agree.
        let identity = Identity::load(&trust_dir)?;
        let given_id = args.kiosk_id.clone().or(file.kiosk_id);
        let (kiosk_id, port) =
            Identity::resolve(identity.as_ref(), given_id.as_deref(), given_port)?;
        let port = port.unwrap_or(Port::Nqz);
        let lang_text = args
            .lang
            .clone()
            .or(file.language)
            .unwrap_or_else(|| "en".to_owned());
        let language = Language::parse(&lang_text)
            .with_context(|| format!("the language {lang_text:?} is not kk, ru or en"))?;
        Ok(Self {
            kiosk_id: if kiosk_id.is_empty() {
                format!("{}-01", port.code())
            } else {
                kiosk_id
            },
            port,
            trust_dir,
            ledger_path: args
                .ledger
                .clone()
                .or(file.ledger)
                .unwrap_or_else(|| "kiosk-ledger.db".into()),
            scanner_dir: args.scanner_dir.clone().or(file.scanner_dir),
            language,
            config_file: args.config.clone(),
            camera: args.camera.clone().or(file.camera),
            kiosk_kid: identity.as_ref().map(|i| i.kid().to_string()),
            scan_budget: Duration::from_secs_f64(
                args.scan_budget
                    .or(file.scan_budget)
                    .filter(|s| *s > 0.0 && *s <= 3600.0)
                    .unwrap_or(4.0),
            ),
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the config file {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("reading the config file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kiosk.json");
        std::fs::write(
            &path,
            r#"{"kiosk_id": "ALA-07", "port": "ALA", "language": "kk"}"#,
        )
        .expect("write");
        let args = KioskArgs {
            config: Some(path),
            lang: Some("ru".to_owned()),
            ..KioskArgs::default()
        };
        let settings = Settings::resolve(&args).expect("resolves");
        assert_eq!(settings.kiosk_id, "ALA-07");
        assert_eq!(settings.port, Port::Ala);
        assert_eq!(settings.language, Language::Ru);
        assert_eq!(settings.ledger_path, PathBuf::from("kiosk-ledger.db"));
    }

    #[test]
    fn the_identity_names_the_kiosk_and_a_contradicting_setting_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let id = shared::kiosk::KioskId::parse("ALA-02").expect("id");
        Identity::create(dir.path(), &id, Port::Ala).expect("identity");
        let args = KioskArgs {
            trust: Some(dir.path().to_owned()),
            ..KioskArgs::default()
        };
        let settings = Settings::resolve(&args).expect("resolves");
        assert_eq!(
            (settings.kiosk_id.as_str(), settings.port),
            ("ALA-02", Port::Ala)
        );
        let contradicting = KioskArgs {
            port: Some("NQZ".to_owned()),
            ..args
        };
        let error = Settings::resolve(&contradicting).expect_err("refused");
        assert!(format!("{error:#}").contains("contradicts"), "{error:#}");
    }

    #[test]
    fn an_unknown_field_in_the_file_is_an_error_not_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kiosk.json");
        std::fs::write(&path, r#"{"kiosk": "typo"}"#).expect("write");
        let args = KioskArgs {
            config: Some(path),
            ..KioskArgs::default()
        };
        assert!(Settings::resolve(&args).is_err());
    }
}
