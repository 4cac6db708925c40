//! The applicant's mailbox, as the tests read it: a real SMTP server (aiosmtpd, started through
//! `scripts/mail-server` on a free loopback port, which keeps each message as JSON with its
//! decoded parts), or, when the issuer runs without `--smtp-url`, the `.eml` files it writes to
//! `<data-dir>/outbox/`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use crate::binaries;

/// A mail as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The envelope's (or the `To:` header's) recipient address.
    pub to: String,
    /// The subject, decoded (for `.eml` files: as written, so only plain ASCII reads well).
    pub subject: String,
    /// The MIME types of the message and its parts, in order.
    pub content_types: Vec<String>,
    /// The plain-text part, decoded.
    pub text: String,
    /// The HTML part, decoded.
    pub html: String,
}

/// A real SMTP server on loopback; stopped when dropped.
#[derive(Debug)]
pub struct MailServer {
    /// `smtp://127.0.0.1:PORT`, for `--smtp-url`.
    pub url: String,
    dir: TempDir,
    child: Child,
}

/// Where a portal's mail goes.
#[derive(Debug)]
pub enum Mailbox {
    /// An SMTP server the test started.
    Smtp(MailServer),
    /// The issuer's outbox folder (no `--smtp-url`).
    Folder(PathBuf),
}

impl MailServer {
    /// Starts `scripts/mail-server` on a free port and waits until it accepts connections.
    pub fn start() -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let dir = crate::scratch_dir("e2e-mail-")?;
        let script = binaries::workspace_root().join("scripts/mail-server");
        let mut child = Command::new(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", script.display()))?;
        let ready = crate::wait_for("the mail server", Duration::from_secs(60), || {
            if let Some(status) = child.try_wait()? {
                bail!("scripts/mail-server exited ({status}); run scripts/install-deps");
            }
            Ok(std::net::TcpStream::connect(("127.0.0.1", port))
                .ok()
                .map(|_| ()))
        });
        if let Err(error) = ready {
            let _ = child.kill();
            let _ = child.wait();
            return Err(error);
        }
        Ok(Self {
            url: format!("smtp://127.0.0.1:{port}"),
            dir,
            child,
        })
    }

    fn received(&self) -> Result<Vec<Mail>> {
        let mut files = json_files(self.dir.path())?;
        files.sort();
        files
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)?;
                let json: serde_json::Value = serde_json::from_str(&text)
                    .with_context(|| format!("reading {}", path.display()))?;
                let field = |name: &str| json[name].as_str().unwrap_or_default().to_owned();
                if !json["attachments"].as_array().is_none_or(Vec::is_empty) {
                    bail!("a mail came with attachments: {json}");
                }
                Ok(Mail {
                    to: json["rcpt_tos"][0].as_str().unwrap_or_default().to_owned(),
                    subject: field("subject"),
                    content_types: json["content_types"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    text: field("text"),
                    html: field("html"),
                })
            })
            .collect()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mailbox {
    /// Every mail delivered to `address` so far, oldest first.
    pub fn mails_to(&self, address: &str) -> Result<Vec<Mail>> {
        let all = match self {
            Self::Smtp(server) => server.received()?,
            Self::Folder(dir) => outbox_mails(dir)?,
        };
        Ok(all.into_iter().filter(|m| m.to == address).collect())
    }

    /// Waits for a mail to `address` whose text contains `needle`, and returns the newest such.
    pub fn wait_for(&self, address: &str, needle: &str) -> Result<Mail> {
        crate::wait_for(
            &format!("a mail to {address} saying {needle:?}"),
            Duration::from_secs(30),
            || {
                Ok(self
                    .mails_to(address)?
                    .into_iter()
                    .rev()
                    .find(|m| m.text.contains(needle)))
            },
        )
    }
}

impl Mail {
    /// The first address in the plain text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Result<String> {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with(prefix))
            .map(str::to_owned)
            .with_context(|| format!("no link starting {prefix} in the mail:\n{}", self.text))
    }
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect())
}

/// The `.eml` files of an issuer's outbox folder, read as mails.
fn outbox_mails(dir: &Path) -> Result<Vec<Mail>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let eml = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let header = |name: &str| {
                eml.lines()
                    .find_map(|line| line.strip_prefix(name))
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            };
            let to = header("To:");
            let to = to
                .rsplit_once('<')
                .map_or(to.as_str(), |(_, rest)| rest.trim_end_matches('>'))
                .to_owned();
            Ok(Mail {
                to,
                subject: header("Subject:"),
                content_types: ["multipart/alternative", "text/plain", "text/html"]
                    .into_iter()
                    .filter(|t| eml.contains(&format!("Content-Type: {t}")))
                    .map(str::to_owned)
                    .collect(),
                text: mime_part(&eml, "text/plain").unwrap_or_default(),
                html: mime_part(&eml, "text/html").unwrap_or_default(),
            })
        })
        .collect()
}

/// The decoded (quoted-printable) part of a MIME message with this content type.
fn mime_part(eml: &str, content_type: &str) -> Option<String> {
    let at = eml.find(&format!("Content-Type: {content_type}"))?;
    let rest = &eml[at..];
    let body = &rest[rest.find("\r\n\r\n")? + 4..];
    let end = body.find("\r\n--").unwrap_or(body.len());
    Some(quoted_printable(&body[..end]))
}

/// Decodes quoted-printable text: soft line breaks and `=XX` escapes.
pub fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=')
            .then(|| joined.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_text_decodes_its_soft_breaks_and_escapes() {
        assert_eq!(
            quoted_printable("=D0=9F=D1=80=D0=B8=\r\n=D0=B2=D0=B5=D1=82 a=3Db"),
            "Привет a=b"
        );
    }
}
