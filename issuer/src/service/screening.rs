//! Screening's transactions: stop-list entries added and removed, and an officer's verdict on a
//! held application — approval signs its visa in the same transaction (the keys read before it,
//! as in [`super::issuance`]); refusal ends the application with no visa and no refund. Each is
//! audited in its own transaction.

use crate::store::{Connection, TransactionBehavior};
use anyhow::Result;

use super::issuance::{Signer, issue_in};
use crate::clock::Clock;
use crate::domain::audit::{Action, Actor, Entry};
use crate::domain::issuance::IssueOutcome;
use crate::domain::screening::{NewStopEntry, StopEntry};
use crate::store;
use crate::store::screening::Verdict;

/// What an officer's verdict on a held application did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    /// Approved, and the visa with this number was signed.
    Issued(String),
    /// Refused; the applicant sees "Refused".
    Refused,
    /// The application is not waiting for an officer (decided already, or no such application).
    NotWaiting,
    /// Approval could not sign (no key, or the data no longer fits): nothing changed.
    NotSigned(String),
}

/// Adds a stop-list entry, audited; gives its id.
pub fn add_entry(
    conn: &mut Connection,
    clock: &Clock,
    actor: &Actor,
    entry: &NewStopEntry,
    address: Option<String>,
) -> Result<i64> {
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = store::screening::add_entry(&tx, entry, &actor.to_text(), &now)?;
    let after = describe(&entry.subject.describe(), &entry.note);
    let audit = Entry::new(now, actor, Action::StopListAdded, format!("stop_list:{id}"))
        .change(None, Some(after))
        .from_address(address);
    store::audit::append(&tx, &audit)?;
    tx.commit()?;
    tracing::info!(
        entry = id,
        by = actor.to_text(),
        "a stop-list entry was added"
    );
    Ok(id)
}

/// Removes a stop-list entry, audited; gives it, or `None` if no such entry is in force.
pub fn remove_entry(
    conn: &mut Connection,
    clock: &Clock,
    actor: &Actor,
    id: i64,
    address: Option<String>,
) -> Result<Option<StopEntry>> {
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(entry) = store::screening::remove_entry(&tx, id, &actor.to_text(), &now)? else {
        return Ok(None);
    };
    let before = describe(&entry.subject.describe(), &entry.note);
    let audit = Entry::new(
        now,
        actor,
        Action::StopListRemoved,
        format!("stop_list:{id}"),
    )
    .change(Some(before), Some("removed".to_owned()))
    .from_address(address);
    store::audit::append(&tx, &audit)?;
    tx.commit()?;
    tracing::info!(
        entry = id,
        by = actor.to_text(),
        "a stop-list entry was removed"
    );
    Ok(Some(entry))
}

/// Approves a held application and signs its visa, exactly once: the keys are read first, then
/// in one immediate transaction the hold is decided, the application goes back to `paid`, the
/// visa is signed and recorded and the approval audited — or, if it cannot be signed, nothing.
pub fn approve(
    conn: &mut Connection,
    signer: &dyn Signer,
    clock: &Clock,
    actor: &Actor,
    application_id: &str,
    address: Option<String>,
) -> Result<Reviewed> {
    let keys = match signer.load() {
        Ok(keys) => keys,
        Err(error) => {
            let reason = format!("no key could sign: {error:#}");
            tracing::error!(
                application_id,
                reason,
                "an approved application was not signed"
            );
            return Ok(Reviewed::NotSigned(reason));
        }
    };
    let now = clock.now();
    let at = crate::clock::rfc3339(now);
    let by = actor.to_text();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !store::screening::decide(&tx, application_id, Verdict::Approved, None, &by, &at)? {
        return Ok(Reviewed::NotWaiting);
    }
    let number = match issue_in(&tx, application_id, keys.as_ref(), now)? {
        IssueOutcome::Issued(number) => number,
        other => {
            let reason = format!("{other:?}");
            tracing::error!(
                application_id,
                reason,
                "an approved application was not signed"
            );
            return Ok(Reviewed::NotSigned(reason));
        }
    };
    let audit = Entry::new(
        at,
        actor,
        Action::ScreeningApproved,
        format!("application:{application_id}"),
    )
    .change(
        Some("under_review".to_owned()),
        Some(format!("issued; visa: {number}")),
    )
    .from_address(address);
    store::audit::append(&tx, &audit)?;
    tx.commit()?;
    tracing::info!(visa = %number, application_id, by, "a screened application was approved and signed");
    Ok(Reviewed::Issued(number))
}

/// Refuses a held application with a reason (already checked): the applicant sees "Refused"; the
/// state duty is not refunded and the receipt stays available. The one place an application
/// becomes "Refused" (the notification hooks in here).
pub fn refuse(
    conn: &mut Connection,
    clock: &Clock,
    actor: &Actor,
    application_id: &str,
    reason: &str,
    address: Option<String>,
) -> Result<Reviewed> {
    let at = clock.rfc3339();
    let by = actor.to_text();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !store::screening::decide(
        &tx,
        application_id,
        Verdict::Refused,
        Some(reason),
        &by,
        &at,
    )? {
        return Ok(Reviewed::NotWaiting);
    }
    let audit = Entry::new(
        at,
        actor,
        Action::ScreeningRefused,
        format!("application:{application_id}"),
    )
    .change(
        Some("under_review".to_owned()),
        Some(format!("refused; reason: {reason}")),
    )
    .from_address(address);
    store::audit::append(&tx, &audit)?;
    super::notify::refused(&tx, application_id, clock.unix())?;
    tx.commit()?;
    tracing::info!(application_id, by, "a screened application was refused");
    Ok(Reviewed::Refused)
}

fn describe(subject: &str, note: &str) -> String {
    if note.is_empty() {
        subject.to_owned()
    } else {
        format!("{subject}; note: {note}")
    }
}
