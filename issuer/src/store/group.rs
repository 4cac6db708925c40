//! Group applications: every person's Step 1 saved in one immediate transaction (all or none,
//! each person's refusal kept beside that person), the confirmation of all at once, the one
//! payment order of the group, and reading a group back for its owner.

use crate::store::{Connection, TransactionBehavior, params};
use anyhow::{Result, anyhow};
use time::Date;

use super::Checked;
use super::application::{APPLICATION_SELECT, ApplicationRow, save_draft_in};
use crate::domain::application::{Applicant, ApplicationStatus};
use crate::domain::group::{Group, GroupProblems};
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::problem::Problem;

/// Saves every person of a group as a draft on their invitation, and the group tying them, in
/// one immediate transaction: if any person is refused, nothing is stored and each refusal is
/// given beside its person. `editing` names the user's own group of drafts to replace (Step 1
/// sent again after "Back"); its persons left out stay as single drafts.
pub fn save_group(
    conn: &mut Connection,
    user_id: i64,
    editing: Option<&str>,
    applicants: &[Applicant],
    today: Date,
    now: &str,
) -> Result<Checked<String, GroupProblems>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let editing = match editing {
        Some(id) => {
            let owned = group_of(&tx, id, user_id)?.filter(|g| {
                g.members
                    .iter()
                    .all(|m| m.status == ApplicationStatus::Draft)
            });
            owned.map(|g| g.id)
        }
        None => None,
    };
    let mut problems = GroupProblems::none(applicants.len());
    let mut ids = Vec::with_capacity(applicants.len());
    for (i, applicant) in applicants.iter().enumerate() {
        match save_draft_in(&tx, user_id, applicant, today, now)? {
            Checked::Stored(id) => {
                // A draft of this user already in another group is that group's person.
                let other = group_id_of(&tx, &id)?.filter(|g| Some(g) != editing.as_ref());
                if other.is_some() {
                    problems.persons[i].insert("invitation_number", Problem::InvitationUsed);
                }
                ids.push(id);
            }
            Checked::Refused(p) => problems.persons[i] = p,
        }
    }
    if !problems.is_empty() {
        return Ok(Checked::Refused(problems));
    }
    let group_id = match editing {
        Some(id) => {
            tx.prepare_cached("DELETE FROM group_members WHERE group_id = ?1")?
                .execute([&id])?;
            id
        }
        None => {
            let id = crate::ids::random_id();
            tx.prepare_cached(
                "INSERT INTO application_groups (id, user_id, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, user_id, now])?;
            id
        }
    };
    for (position, id) in (1i64..).zip(&ids) {
        tx.prepare_cached(
            "INSERT INTO group_members (application_id, group_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, group_id, position])?;
    }
    tx.commit()?;
    Ok(Checked::Stored(group_id))
}

/// The group with this id, only if this user owns it, with its persons in the form's order.
pub fn group_of(conn: &Connection, id: &str, user_id: i64) -> Result<Option<Group>> {
    let created_at: Option<String> = conn
        .prepare_cached("SELECT created_at FROM application_groups WHERE id = ?1 AND user_id = ?2")?
        .query_opt(params![id, user_id], |r| r.get(0))?;
    let Some(created_at) = created_at else {
        return Ok(None);
    };
    let rows = conn
        .prepare_cached(&format!(
            "{APPLICATION_SELECT} JOIN group_members m ON m.application_id = a.id
             WHERE m.group_id = ?1 ORDER BY m.position"
        ))?
        .query_map([id], ApplicationRow::read)?
        .collect::<Result<Vec<_>>>()?;
    let members = rows
        .into_iter()
        .map(|r| r.into_application(conn))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Group {
        id: id.to_owned(),
        created_at,
        members,
    }))
}

/// The groups of a user, newest first.
pub fn groups_of(conn: &Connection, user_id: i64) -> Result<Vec<Group>> {
    let ids = conn
        .prepare_cached(
            "SELECT id FROM application_groups WHERE user_id = ?1 ORDER BY created_at DESC",
        )?
        .query_map([user_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>>>()?;
    ids.iter()
        .filter_map(|id| group_of(conn, id, user_id).transpose())
        .collect()
}

/// The group an application belongs to, if any.
pub fn group_id_of(conn: &Connection, application_id: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT group_id FROM group_members WHERE application_id = ?1")?
        .query_opt([application_id], |r| r.get(0))
}

/// The applications one payment settles when it names `application_id`: every person of its
/// group in order, or the application alone.
pub fn settled_together(conn: &Connection, application_id: &str) -> Result<Vec<String>> {
    let Some(group) = group_id_of(conn, application_id)? else {
        return Ok(vec![application_id.to_owned()]);
    };
    let ids = conn
        .prepare_cached(
            "SELECT m.application_id FROM group_members m WHERE m.group_id = ?1 ORDER BY m.position",
        )?
        .query_map([group], |r| r.get(0))?
        .collect::<Result<Vec<String>>>()?;
    Ok(ids)
}

/// Confirms every person of the user's group (the box ticked once for all), in one immediate
/// transaction: `false`, with nothing changed, if any person's draft cannot be confirmed (its
/// inviting party is no longer verified). Persons already confirmed stay so.
pub fn confirm_group(conn: &mut Connection, id: &str, user_id: i64, now: &str) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(group) = group_of(&tx, id, user_id)? else {
        return Ok(false);
    };
    for member in &group.members {
        match member.status {
            ApplicationStatus::Submitted => {}
            ApplicationStatus::Draft => {
                if !super::application::confirm(&tx, &member.id, user_id, now)? {
                    return Ok(false);
                }
            }
            _ => return Ok(false),
        }
    }
    tx.commit()?;
    Ok(true)
}

/// The open (created or pending) payment of the user's group for this amount, or a new one. A
/// declined attempt is left as it is. `None` unless every person is confirmed and unpaid.
pub fn open_group_payment(
    conn: &mut Connection,
    id: &str,
    user_id: i64,
    amount_minor: i64,
    currency: &str,
    now: &str,
) -> Result<Option<Payment>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(group) = group_of(&tx, id, user_id)? else {
        return Ok(None);
    };
    let Some(first) = group.members.first() else {
        return Ok(None);
    };
    if group.status() != ApplicationStatus::Submitted {
        return Ok(None);
    }
    let open: Option<String> = tx
        .prepare_cached(
            "SELECT order_id FROM payments WHERE group_id = ?1
             AND status IN ('created', 'pending') AND amount_minor = ?2 AND currency = ?3
             ORDER BY created_at DESC, rowid DESC LIMIT 1",
        )?
        .query_opt(params![id, amount_minor, currency], |r| r.get(0))?;
    let order_id = match open {
        Some(order_id) => order_id,
        None => {
            let order_id = crate::ids::random_id();
            tx.prepare_cached(
                "INSERT INTO payments (order_id, application_id, group_id, amount_minor,
                 currency, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![
                order_id,
                first.id,
                id,
                amount_minor,
                currency,
                PaymentStatus::Created,
                now
            ])?;
            order_id
        }
    };
    let row = super::payment::payment(&tx, &order_id)?
        .ok_or_else(|| anyhow!("a group's payment vanished"))?;
    tx.commit()?;
    Ok(Some(row))
}

/// The newest payment of a group (a paid one first).
pub fn latest_group_payment(conn: &Connection, id: &str) -> Result<Option<Payment>> {
    let order: Option<String> = conn
        .prepare_cached(
            "SELECT order_id FROM payments WHERE group_id = ?1
             ORDER BY (status = 'paid') DESC, created_at DESC, rowid DESC LIMIT 1",
        )?
        .query_opt([id], |r| r.get(0))?;
    match order {
        Some(order) => super::payment::payment(conn, &order),
        None => Ok(None),
    }
}
