//! The mail adapter: delivers what the outbox holds. Handlers and services never send mail
//! themselves; they queue a letter in the transaction of the event it tells of
//! (`store::outbox`), and the [`Mailer`], a background task, words it in the account's language
//! ([`compose`]), builds the MIME message (plain text + HTML alternative, no attachment) and
//! hands it to the [`Transport`]: an SMTP server or the outbox folder. A failed delivery is
//! retried later with a growing pause; a request never waits for mail.
//!
//! Delivery is at least once: a crash between the server's "250 OK" and marking the row sent
//! sends that one mail again on restart, with the same Message-ID (made from the outbox row), so
//! mail programs can tell it is the same message. Nothing is queued twice: the payment, the visa
//! and their mails commit together or not at all.

mod compose;
mod transport;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use tokio::sync::Notify;

pub use compose::{Composed, compose};
pub use transport::{SendError, Transport};

use crate::clock::Clock;
use crate::i18n::Lang;
use crate::store::outbox::Pending;
use crate::store::{self, Db};

/// The sender the mails come from unless `--mail-from` says otherwise.
pub const DEFAULT_FROM: &str = "e-Visa Kazakhstan <no-reply@evisa.localhost>";
/// After this many failed deliveries a mail is given up (about 14 hours of retries).
pub const MAX_ATTEMPTS: i64 = 12;
/// The longest pause between two attempts.
const MAX_PAUSE_SECONDS: i64 = 3 * 60 * 60;
/// How many mails one round delivers at most.
const BATCH: i64 = 50;
/// How often the outbox is looked at when nobody rings (mail queued by another process, such as
/// `issuer revoke`, and retries that came due).
const POLL: Duration = Duration::from_secs(2);

/// What one round of deliveries did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Delivered.
    pub sent: usize,
    /// Failed for now, to be tried again.
    pub retried: usize,
    /// Given up.
    pub failed: usize,
}

/// Delivers the outbox: one per server process.
#[derive(Debug, Clone)]
pub struct Mailer {
    db: Db,
    clock: Clock,
    transport: Transport,
    from: Mailbox,
    public_url: String,
    domain: String,
}

impl Mailer {
    /// A mailer that writes as `from` (like `e-Visa <no-reply@example.kz>`) with links to
    /// `public_url`.
    pub fn new(
        db: Db,
        clock: Clock,
        transport: Transport,
        from: &str,
        public_url: &str,
    ) -> Result<Self> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("the sender address {from:?} is not a mailbox"))?;
        let domain = from.email.domain().to_owned();
        Ok(Self {
            db,
            clock,
            transport,
            from,
            public_url: public_url.to_owned(),
            domain,
        })
    }

    /// Where the mail goes, for the start-up log.
    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// Delivers every mail that is due now, one after another.
    pub async fn deliver_due(&self) -> Result<Round> {
        let now = self.clock.unix();
        let due = self
            .db
            .call(move |conn| store::outbox::due(conn, now, BATCH))
            .await?;
        let mut round = Round::default();
        for pending in due {
            match self.deliver(&pending).await {
                Ok(()) => round.sent += 1,
                Err(SendError::Transient(error)) if pending.attempts + 1 < MAX_ATTEMPTS => {
                    let pause = (60_i64 << pending.attempts.clamp(0, 16)).min(MAX_PAUSE_SECONDS);
                    let retry_at = self.clock.unix() + pause;
                    tracing::warn!(mail = pending.id, attempt = pending.attempts + 1, pause, %error, "a mail was not delivered; it will be tried again");
                    let id = pending.id;
                    self.db
                        .call(move |conn| store::outbox::mark_retry(conn, id, retry_at, &error))
                        .await?;
                    round.retried += 1;
                }
                Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                    tracing::error!(mail = pending.id, attempts = pending.attempts + 1, %error, "a mail was given up");
                    let (id, at) = (pending.id, self.clock.unix());
                    self.db
                        .call(move |conn| store::outbox::mark_failed(conn, id, at, &error))
                        .await?;
                    round.failed += 1;
                }
            }
        }
        Ok(round)
    }

    /// Delivers the outbox until the process ends: at once when `bell` rings (something was
    /// queued), and every two seconds besides.
    pub async fn run(self, bell: Arc<Notify>) {
        loop {
            match self.deliver_due().await {
                Ok(round) if round.sent + round.retried + round.failed > 0 => {
                    tracing::debug!(?round, "mail round");
                    // More may be waiting beyond the batch.
                    if round.sent == usize::try_from(BATCH).unwrap_or(usize::MAX) {
                        continue;
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "reading the outbox failed")
                }
            }
            tokio::select! {
                () = bell.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Builds and sends one mail, and marks it sent.
    async fn deliver(&self, pending: &Pending) -> Result<(), SendError> {
        let Some(letter) = &pending.letter else {
            return Err(SendError::Permanent(
                "the stored letter does not parse".to_owned(),
            ));
        };
        let lang = Lang::parse(&pending.lang).unwrap_or(Lang::En);
        let composed = compose(letter, lang, &pending.name, &self.public_url);
        let message = self
            .message(pending, &composed)
            .map_err(|e| SendError::Permanent(format!("{e:#}")))?;
        let name = format!("{:08}-{}.eml", pending.id, letter.kind());
        self.transport.send(&name, message).await?;
        let (id, now) = (pending.id, self.clock.unix());
        self.db
            .call(move |conn| store::outbox::mark_sent(conn, id, now))
            .await
            .map_err(|e| SendError::Transient(format!("{e:#}")))?;
        tracing::info!(
            mail = pending.id,
            kind = letter.kind(),
            "a mail was delivered"
        );
        Ok(())
    }

    /// The MIME message: plain text and HTML as alternatives, each quoted-printable (safe through
    /// any relay), a Message-ID fixed by the outbox row, dated when it was queued.
    fn message(&self, pending: &Pending, composed: &Composed) -> Result<Message> {
        let to = Mailbox::new(
            (!pending.name.trim().is_empty()).then(|| pending.name.trim().to_owned()),
            pending
                .recipient
                .parse()
                .with_context(|| format!("outbox row {}: not an address", pending.id))?,
        );
        let queued_at = SystemTime::UNIX_EPOCH
            + Duration::from_secs(u64::try_from(pending.created_at).unwrap_or(0));
        let part = |kind: ContentType, body: &str| {
            SinglePart::builder()
                .header(kind)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(body.to_owned())
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject.clone())
            .date(queued_at)
            .message_id(Some(format!(
                "<outbox-{}.{}@{}>",
                pending.id, pending.created_at, self.domain
            )))
            .multipart(
                MultiPart::alternative()
                    .singlepart(part(ContentType::TEXT_PLAIN, &composed.text))
                    .singlepart(part(ContentType::TEXT_HTML, &composed.html)),
            )
            .context("building a mail")
    }
}
