//! Deciding about an inviting party: verify, reject or suspend it, with the state change and its
//! audit entry in one transaction. The back office and `issuer inviter` both come here.

use crate::store::{Connection, TransactionBehavior};
use anyhow::Result;

use crate::clock::Clock;
use crate::domain::audit::{Actor, Entry};
use crate::domain::invitation::Inviter;
use crate::domain::inviter::{Decision, InviterState};
use crate::domain::taxid::TaxId;
use crate::store;

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// The party moved from one state to the other.
    Done {
        /// The party as it was before.
        inviter: Inviter,
        /// Its new state.
        to: InviterState,
    },
    /// No party has this BIN/IIN.
    NoSuchParty,
    /// The decision does not apply to a party in this state.
    NotFrom(InviterState),
    /// Rejecting and suspending need a reason.
    ReasonRequired,
}

/// Applies `decision` to the party with `tax_id`, audited as `actor` (from `address` when it came
/// over the web), in one immediate transaction. `reason` is an already checked reason.
pub fn decide(
    conn: &mut Connection,
    clock: &Clock,
    actor: &Actor,
    tax_id: &TaxId,
    decision: Decision,
    reason: Option<&str>,
    address: Option<String>,
) -> Result<Decided> {
    if decision.needs_reason() && reason.is_none() {
        return Ok(Decided::ReasonRequired);
    }
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(inviter) = store::invitation::inviter_by_tax_id(&tx, tax_id)? else {
        return Ok(Decided::NoSuchParty);
    };
    let Some(to) = decision.from(inviter.state) else {
        return Ok(Decided::NotFrom(inviter.state));
    };
    let by = actor.to_text();
    if !store::inviter::set_state(&tx, inviter.id, inviter.state, to, reason, &by, &now)? {
        return Ok(Decided::NotFrom(inviter.state));
    }
    let after = match (decision, reason) {
        (Decision::Verify, _) => format!("verified; name: {}", inviter.name),
        (_, Some(reason)) => format!("{}; reason: {reason}", to.as_str()),
        (_, None) => to.as_str().to_owned(),
    };
    let entry = Entry::new(
        now,
        actor,
        decision.action(),
        format!("inviter:{}", inviter.tax_id),
    )
    .change(Some(inviter.state.as_str().to_owned()), Some(after))
    .from_address(address);
    store::audit::append(&tx, &entry)?;
    tx.commit()?;
    tracing::info!(
        inviter = %inviter.tax_id,
        from = inviter.state.as_str(),
        to = to.as_str(),
        by,
        "an inviting party's state changed"
    );
    Ok(Decided::Done { inviter, to })
}
