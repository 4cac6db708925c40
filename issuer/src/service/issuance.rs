//! From a paid application to a signed visa, exactly once: the one path every payment
//! confirmation takes (callback, "Update Status", start-up). Recording the payment and signing
//! are each one immediate transaction with guarded state changes, so any number of concurrent or
//! repeated notices give one visa. The signing keys are read before the transaction starts.

use std::sync::Arc;

use crate::store::{Connection, TransactionBehavior};
use anyhow::Result;
use shared::{Kid, Visa};

use crate::clock::{Clock, rfc3339};
use crate::domain::issuance::{IssueOutcome, visa_for};
use crate::domain::mail::Letter;
use crate::domain::payment::{NoticeOutcome, PaymentNotice};
use crate::domain::printout::Anchors;
use crate::domain::screening::{Holder, first_match};
use crate::store::visa::{Issuable, NewVisa};
use crate::store::{self, Db};

/// What signs visas: one key, or a directory of root-certified keys (rotation). Reading the keys
/// may touch the disk, so it happens before a signing transaction, never inside one.
pub trait Signer: Send + Sync + std::fmt::Debug {
    /// The keys that may sign now, read into memory.
    fn load(&self) -> Result<Box<dyn Keys + '_>>;

    /// The keys a kiosk verifies this issuer's visas with: the public keys, or the root-certified
    /// ones (the printout check judges as a kiosk would).
    fn anchors(&self) -> Result<Anchors>;
    /// The same keys, owned, so they can be handed to the database's writer thread and the
    /// reading (disk) happens before, outside the group commit.
    fn load_owned(self: Arc<Self>) -> Result<Box<dyn Keys + Send>>;
}

/// Signing keys in memory: signing is computation only.
pub trait Keys {
    /// Signs the visa with the key that may sign it; gives the token and that key's id.
    fn sign(&self, visa: &Visa) -> Result<(String, Kid)>;

    /// Whether a visa issued at `now` could be signed: a private key is held whose certificate
    /// (if any) covers `now`. Readiness asks it.
    fn ready_at(&self, _now: time::OffsetDateTime) -> Result<()> {
        Ok(())
    }
}

impl Keys for shared::IssuerKey {
    fn sign(&self, visa: &Visa) -> Result<(String, Kid)> {
        Ok((shared::sign(visa, self), self.kid()))
    }
}

impl Signer for shared::IssuerKey {
    fn load(&self) -> Result<Box<dyn Keys + '_>> {
        Ok(Box::new(Borrowed(self)))
    }

    fn anchors(&self) -> Result<Anchors> {
        Ok(Anchors::Keys(shared::TrustStore::from_keys([
            self.public_key()
        ])))
    }

    fn load_owned(self: Arc<Self>) -> Result<Box<dyn Keys + Send>> {
        Ok(Box::new(Shared(self)))
    }
}

/// A key shared with its owner.
struct Shared(Arc<shared::IssuerKey>);

impl Keys for Shared {
    fn sign(&self, visa: &Visa) -> Result<(String, Kid)> {
        self.0.sign(visa)
    }
}

/// A key that signs by reference.
struct Borrowed<'a>(&'a shared::IssuerKey);

impl Keys for Borrowed<'_> {
    fn sign(&self, visa: &Visa) -> Result<(String, Kid)> {
        self.0.sign(visa)
    }
}

/// Records a payment notice and, if it completes a payment, issues the visa. Both are jobs of
/// the database writer's group commits (see [`Db::write`]): many notices arriving together share
/// one durable commit, and each is answered only once it is durable. A crash between the two
/// leaves a paid application without a visa, which [`complete_paid`] issues at start-up.
/// The callers then store the visa's printout ([`super::visa_pdf::after_notice`]).
pub async fn settle(
    db: &Db,
    signer: &Arc<dyn Signer>,
    clock: &Clock,
    notice: PaymentNotice,
    source: &'static str,
) -> Result<NoticeOutcome> {
    let order = notice.order_id.clone();
    let settled = settle_notice(db, signer, clock, notice, source).await;
    if let Err(error) = &settled {
        warn_if_gave_up(error, &order);
    }
    settled
}

/// Logs a write that PostgreSQL aborted too often (see `store::RetriesExhausted`), with the
/// SQLSTATE: the notice is not acknowledged and the gateway sends it again.
fn warn_if_gave_up(error: &anyhow::Error, order: &str) {
    if let Some(gave_up) = store::retries_exhausted(error) {
        tracing::warn!(
            order,
            sqlstate = %gave_up.sqlstate,
            attempts = gave_up.attempts,
            "the database aborted a payment's write too many times (conflicts); the notice is left unanswered for the gateway to send again"
        );
    }
}

async fn settle_notice(
    db: &Db,
    signer: &Arc<dyn Signer>,
    clock: &Clock,
    notice: PaymentNotice,
    source: &'static str,
) -> Result<NoticeOutcome> {
    let order = notice.order_id.clone();
    let now = clock.rfc3339();
    let outcome = db
        .write(move |conn| store::payment::apply_notice(conn, &notice, source, &now))
        .await?;
    match &outcome {
        NoticeOutcome::Paid(application) => {
            issue_paid(db, signer, clock, application).await?;
        }
        NoticeOutcome::Unchanged => {
            // A notice sent again (the gateway retries until it is answered 2xx) for a payment
            // already recorded as paid: if the issuance after the first one did not finish (it
            // failed, or on PostgreSQL gave up after too many conflicts with another instance),
            // this is where it finishes. Only applications still waiting for their visa are
            // issued, so an ordinary duplicate costs one read, no key loading and no write.
            let unfinished = db
                .read(move |conn| {
                    let Some(payment) = store::payment::payment(conn, &order)? else {
                        return Ok(Vec::new());
                    };
                    if payment.status != crate::domain::payment::PaymentStatus::Paid {
                        return Ok(Vec::new());
                    }
                    let mut waiting = Vec::new();
                    for id in store::group::settled_together(conn, &payment.application_id)? {
                        if matches!(store::visa::issuable(conn, &id)?, Issuable::Ready(_)) {
                            waiting.push(id);
                        }
                    }
                    Ok(waiting)
                })
                .await?;
            for application in &unfinished {
                issue_grouped(db, signer, clock, application).await?;
            }
        }
        NoticeOutcome::PaidAgain(application) => {
            tracing::warn!(order = %order, application, "a second payment for a paid application: refund due");
        }
        NoticeOutcome::Refused(reason) => {
            tracing::warn!(order = %order, source, reason, "a payment notice was refused");
        }
        NoticeOutcome::UnknownOrder | NoticeOutcome::Declined => {}
    }
    Ok(outcome)
}

/// Issues the visa of each application one payment paid for (every person of a group), each
/// once: an application that has its visa already keeps it.
async fn issue_paid(
    db: &Db,
    signer: &Arc<dyn Signer>,
    clock: &Clock,
    application: &str,
) -> Result<()> {
    let id = application.to_owned();
    let together = db
        .read(move |conn| store::group::settled_together(conn, &id))
        .await?;
    for member in &together {
        issue_grouped(db, signer, clock, member).await?;
    }
    Ok(())
}

/// Issues the visa of a paid application if it has none, in the writer's next group commit,
/// logging the outcome once. The keys are read first, on a blocking thread.
pub async fn issue_grouped(
    db: &Db,
    signer: &Arc<dyn Signer>,
    clock: &Clock,
    application: &str,
) -> Result<IssueOutcome> {
    let signer = signer.clone();
    let keys = tokio::task::spawn_blocking(move || signer.load_owned())
        .await
        .map_err(|e| anyhow::anyhow!("reading the signing keys failed: {e}"))?;
    let outcome = match keys {
        Ok(keys) => {
            let (id, now) = (application.to_owned(), clock.now());
            db.write(move |conn| issue_in(conn, &id, keys.as_ref(), now))
                .await?
        }
        Err(error) => IssueOutcome::Refused(format!("no key could sign: {error:#}")),
    };
    log_issue(application, &outcome);
    Ok(outcome)
}

/// Issues the visa of a paid application if it has none, logging the outcome once.
pub fn issue_logged(
    conn: &mut Connection,
    application: &str,
    signer: &dyn Signer,
    clock: &Clock,
) -> Result<IssueOutcome> {
    let outcome = match signer.load() {
        Ok(keys) => issue(conn, application, keys.as_ref(), clock.now())?,
        Err(error) => IssueOutcome::Refused(format!("no key could sign: {error:#}")),
    };
    log_issue(application, &outcome);
    Ok(outcome)
}

fn log_issue(application: &str, outcome: &IssueOutcome) {
    match outcome {
        IssueOutcome::Issued(number) => {
            tracing::info!(visa = %number, application, "a visa was signed")
        }
        IssueOutcome::AlreadyIssued => {}
        // The one place an application becomes "Under review" (the notification hooks in here).
        IssueOutcome::Held(entry) => {
            tracing::warn!(
                application,
                entry,
                "a paid application matches the stop-list and waits for an officer"
            );
        }
        IssueOutcome::Refused(reason) => {
            tracing::error!(application, reason, "a paid application was not issued");
        }
    }
}

/// Signs the visa of a paid application, once: in one immediate transaction the application
/// must be paid, have a paid payment and no visa, and still coincide with its invitation; the
/// visa, the signature record and the status change commit together.
/// A holder on the stop-list is not signed: the application is held for an officer instead
/// ([`IssueOutcome::Held`], status `under_review`), in the same transaction.
pub fn issue(
    conn: &mut Connection,
    application_id: &str,
    keys: &dyn Keys,
    now: time::OffsetDateTime,
) -> Result<IssueOutcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = issue_in(&tx, application_id, keys, now)?;
    if matches!(outcome, IssueOutcome::Issued(_) | IssueOutcome::Held(_)) {
        tx.commit()?;
    }
    Ok(outcome)
}

/// The body of [`issue`], inside the caller's write transaction (or a group commit's savepoint),
/// which must hold the write lock; the caller commits only if a visa was issued or the
/// application held. An application an officer approved after screening is not screened again.
pub fn issue_in(
    tx: &Connection,
    application_id: &str,
    keys: &dyn Keys,
    now: time::OffsetDateTime,
) -> Result<IssueOutcome> {
    let app = match store::visa::issuable(tx, application_id)? {
        Issuable::Missing => return Ok(IssueOutcome::Refused("no such application".to_owned())),
        Issuable::HasVisa => return Ok(IssueOutcome::AlreadyIssued),
        Issuable::NotPaid(status) => {
            return Ok(IssueOutcome::Refused(format!(
                "the application is {}, not paid",
                status.as_str()
            )));
        }
        Issuable::Ready(app) => app,
    };
    let today = shared::kazakhstan_date(now);
    let mut problems = app
        .applicant
        .check_invitation(&app.invitation, false, today);
    // An invitation that ended after payment still gets its visa refused below by the dates.
    problems.remove("invitation_number");
    if !problems.is_empty() {
        return Ok(IssueOutcome::Refused(format!(
            "the application no longer coincides with its invitation: {problems:?}"
        )));
    }
    if !store::screening::approved(tx, &app.id)? {
        let a = &app.applicant;
        let holder = Holder {
            surname: &a.surname,
            passport_number: &a.passport_number,
            citizenship: a.citizenship,
            born: a.date_of_birth,
        };
        let entries = store::screening::entries(tx)?;
        if let Some(entry) = first_match(&entries, &holder) {
            store::screening::hold(tx, &app.id, entry.id, &rfc3339(now))?;
            super::notify::under_review(tx, &app.id, now.unix_timestamp())?;
            return Ok(IssueOutcome::Held(entry.id));
        }
    }
    let number = store::visa::next_number(tx)?;
    let visa = match visa_for(&app, &number, now) {
        Ok(visa) => visa,
        Err(error) => {
            return Ok(IssueOutcome::Refused(format!(
                "the visa cannot be made: {error}"
            )));
        }
    };
    let (token, kid) = match keys.sign(&visa) {
        Ok(signed) => signed,
        Err(error) => {
            return Ok(IssueOutcome::Refused(format!(
                "no key could sign: {error:#}"
            )));
        }
    };
    store::visa::insert(
        tx,
        &NewVisa {
            number: &number,
            application_id: &app.id,
            visa: &visa,
            token: &token,
            kid: &kid.to_string(),
            signed_at: &rfc3339(now),
        },
    )?;
    // The applicant learns it by mail, queued in the signing transaction (store/outbox.rs).
    let letter = Letter::VisaIssued {
        application_id: app.id.clone(),
        visa_number: number.clone(),
    };
    store::outbox::enqueue_to_applicant(tx, &app.id, &letter, now.unix_timestamp())?;
    Ok(IssueOutcome::Issued(number))
}

/// On start: issues every paid application that has no visa yet (a crash between recording the
/// payment and signing). Returns how many were issued.
pub fn complete_paid(db: &Db, signer: &dyn Signer, clock: &Clock) -> Result<usize> {
    db.with(|conn| {
        let mut issued = 0;
        for id in store::visa::paid_unissued(conn)? {
            if matches!(
                issue_logged(conn, &id, signer, clock)?,
                IssueOutcome::Issued(_)
            ) {
                issued += 1;
            }
        }
        Ok(issued)
    })
}

#[cfg(test)]
mod tests;
