//! Where mail goes: an SMTP server (lettre over tokio, STARTTLS or implicit TLS with rustls and
//! the Mozilla roots, credentials from the URL), or, without one, `.eml` files in a folder that
//! any mail program opens, so the demo works offline.
//!
//! The SMTP URL is lettre's: `smtp://host:25` (plain, for a relay on the same host),
//! `smtp://user:pass@host:587?tls=required` (STARTTLS; `tls=starttls` is taken as the same),
//! `smtps://user:pass@host:465` (TLS from the first byte). Percent-encode special characters of
//! the user and password. Credentials are refused over a plain connection to another host.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP conversation may take before it counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    /// An SMTP server; `shown` is its URL without the credentials, for the log.
    Smtp {
        /// The client.
        client: AsyncSmtpTransport<Tokio1Executor>,
        /// Scheme, host and port, and whether TLS and credentials are used.
        shown: String,
    },
    /// A folder that receives one `.eml` file per mail.
    Folder(PathBuf),
}

/// Why a delivery failed.
#[derive(Debug)]
pub enum SendError {
    /// Worth trying again later (the server is down, busy, or said 4xx).
    Transient(String),
    /// Trying again will not help (the server said 5xx, e.g. no such mailbox).
    Permanent(String),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Transport {
    /// An SMTP transport from a URL (see the module's documentation).
    pub fn smtp(url: &str) -> Result<Self> {
        let parsed = SmtpUrl::parse(url)?;
        let client = AsyncSmtpTransport::<Tokio1Executor>::from_url(&parsed.for_lettre)
            .with_context(|| format!("the SMTP URL {} is not usable", parsed.shown))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self::Smtp {
            client,
            shown: parsed.shown,
        })
    }

    /// A folder transport; the folder is made now, so a bad path fails at start.
    pub fn folder(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the mail folder {}", dir.display()))?;
        Ok(Self::Folder(dir.to_path_buf()))
    }

    /// What the start-up log says about it (never the credentials).
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { shown, .. } => format!("SMTP {shown}"),
            Self::Folder(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Delivers one message; `name` is the file name a folder gives it (stable per outbox row, so
    /// a retried write replaces rather than doubles it).
    pub async fn send(&self, name: &str, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp { client, .. } => match client.send(message).await {
                Ok(_) => Ok(()),
                Err(error) if error.is_permanent() => Err(SendError::Permanent(error.to_string())),
                Err(error) => Err(SendError::Transient(error.to_string())),
            },
            Self::Folder(dir) => {
                let (dir, name) = (dir.clone(), name.to_owned());
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_file(&dir, &name, &bytes))
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))?
                    .map_err(|e| SendError::Transient(format!("{e:#}")))
            }
        }
    }
}

/// Writes a file whole or not at all: to a temporary name, synced, then renamed.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let target = dir.join(name);
    let partial = dir.join(format!(".{name}.partial"));
    let mut file = std::fs::File::create(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, &target).with_context(|| format!("writing {}", target.display()))?;
    Ok(())
}

/// An SMTP URL checked before lettre reads it.
#[derive(Debug, PartialEq, Eq)]
struct SmtpUrl {
    /// The URL in lettre's words (`tls=starttls` → `tls=required`).
    for_lettre: String,
    /// The URL without credentials, with what it means.
    shown: String,
}

impl SmtpUrl {
    fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            bail!("an SMTP URL looks like smtp://host:port or smtps://user:pass@host:465");
        };
        if scheme != "smtp" && scheme != "smtps" {
            bail!("an SMTP URL starts with smtp:// or smtps://, not {scheme}://");
        }
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => (Some(userinfo), host),
            None => (None, authority),
        };
        if host_port.is_empty() {
            bail!("the SMTP URL names no host");
        }
        let query = tail.split_once('?').map_or("", |(_, q)| q);
        let tls_param = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("tls="))
            .unwrap_or("");
        let starttls = matches!(tls_param, "required" | "starttls");
        let tls = match (scheme, tls_param) {
            ("smtps", _) => "TLS",
            (_, "required" | "starttls") => "STARTTLS",
            (_, "opportunistic") => "STARTTLS if offered",
            (_, "") => "no TLS",
            (_, other) => bail!(
                "the SMTP URL's tls= is required (STARTTLS) or opportunistic, not {other:?}; \
                 use smtps:// for TLS from the start"
            ),
        };
        let has_password = userinfo.is_some_and(|u| u.contains(':'));
        let host = host_port
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host_port, |(host, _)| host);
        let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
        if has_password && scheme == "smtp" && !starttls && !loopback {
            bail!(
                "the SMTP URL gives credentials but no TLS: add ?tls=required (STARTTLS) or use \
                 smtps://, so the password does not cross the network in the clear"
            );
        }
        let for_lettre = url.replace("tls=starttls", "tls=required");
        let user = if has_password {
            ", with credentials"
        } else {
            ""
        };
        Ok(Self {
            for_lettre,
            shown: format!("{scheme}://{host_port} ({tls}{user})"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_shown_without_their_password_and_starttls_has_two_spellings() {
        let url = SmtpUrl::parse("smtp://mailer:s3cr%40t@mail.example.kz:587?tls=starttls")
            .expect("valid");
        assert_eq!(
            url.shown,
            "smtp://mail.example.kz:587 (STARTTLS, with credentials)"
        );
        assert_eq!(
            url.for_lettre,
            "smtp://mailer:s3cr%40t@mail.example.kz:587?tls=required"
        );
        assert!(!url.shown.contains("s3cr"));
        let plain = SmtpUrl::parse("smtp://127.0.0.1:2525").expect("valid");
        assert_eq!(plain.shown, "smtp://127.0.0.1:2525 (no TLS)");
        let wrapped = SmtpUrl::parse("smtps://u:p@mail.example.kz").expect("valid");
        assert_eq!(
            wrapped.shown,
            "smtps://mail.example.kz (TLS, with credentials)"
        );
    }

    #[test]
    fn a_password_over_a_plain_connection_to_another_host_is_refused() {
        for bad in [
            "smtp://u:p@mail.example.kz:25",
            "smtp://u:p@mail.example.kz:587?tls=opportunistic",
            "http://mail.example.kz",
            "mail.example.kz:25",
            "smtp://",
            "smtp://mail.example.kz?tls=maybe",
        ] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(SmtpUrl::parse("smtp://u:p@localhost:2525").is_ok());
    }

    #[test]
    fn every_accepted_url_is_one_lettre_builds_a_client_from() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://u:p@mail.example.kz:587?tls=starttls",
            "smtps://u:p@mail.example.kz",
        ] {
            assert!(Transport::smtp(url).is_ok(), "{url}");
        }
    }
}
