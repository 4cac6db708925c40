//! Applications: Step 1 drafts saved under the invitation rules, confirmation, and reading them
//! back for their owner.

use crate::store::{Connection, Row, TransactionBehavior, params};
use anyhow::{Context, Result, anyhow};
use time::Date;

use super::Checked;
use super::invitation::invitation_by_number;
use crate::domain::application::{Applicant, Application, ApplicationForm, ApplicationStatus};
use crate::domain::problem::{Problem, Problems};

/// The columns every application read starts with, in [`ApplicationRow::read`]'s order.
pub(super) const APPLICATION_SELECT: &str =
    "SELECT a.id, a.status, a.data, a.created_at, v.number FROM applications a
     JOIN invitations v ON v.id = a.invitation_id";

/// An application row as stored, before its data is parsed.
#[derive(Debug)]
pub(super) struct ApplicationRow {
    pub(super) id: String,
    pub(super) status: ApplicationStatus,
    data: String,
    created_at: String,
    invitation_number: String,
}

impl ApplicationRow {
    /// Reads the columns of [`APPLICATION_SELECT`].
    pub(super) fn read(r: &Row<'_>) -> anyhow::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            status: r.get(1)?,
            data: r.get(2)?,
            created_at: r.get(3)?,
            invitation_number: r.get(4)?,
        })
    }

    /// The application with its applicant parsed and its invitation read.
    pub(super) fn into_application(self, conn: &Connection) -> Result<Application> {
        let Self {
            id,
            status,
            data,
            created_at,
            invitation_number,
        } = self;
        let form: ApplicationForm = serde_json::from_str(&data)
            .with_context(|| format!("reading stored application {id}"))?;
        // The stored form was normalised from a parsed one, so its fields parse again.
        let applicant = form
            .parse_fields()
            .map_err(|p| anyhow!("stored application {id} no longer parses: {p:?}"))?;
        let invitation = invitation_by_number(conn, &invitation_number)?
            .ok_or_else(|| anyhow!("application {id} lost its invitation"))?;
        Ok(Application {
            id,
            status,
            applicant,
            invitation,
            created_at,
        })
    }
}

/// Saves Step 1 as a draft, in one immediate transaction with the invitation rules, so two
/// applicants racing for one invitation cannot both get it. The same applicant sending Step 1
/// again for the same invitation updates their draft. Gives the application id, or the problems.
pub fn save_draft(
    conn: &mut Connection,
    user_id: i64,
    applicant: &Applicant,
    today: Date,
    now: &str,
) -> Result<Checked<String>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let saved = save_draft_in(&tx, user_id, applicant, today, now)?;
    if matches!(saved, Checked::Stored(_)) {
        tx.commit()?;
    }
    Ok(saved)
}

/// [`save_draft`] inside the caller's write transaction (a group saves all its persons in one);
/// the caller commits only if every draft was stored.
pub fn save_draft_in(
    tx: &Connection,
    user_id: i64,
    applicant: &Applicant,
    today: Date,
    now: &str,
) -> Result<Checked<String>> {
    let Some(invitation) = invitation_by_number(tx, applicant.invitation_number.as_str())? else {
        return Ok(Checked::Refused(Problems::from([(
            "invitation_number",
            Problem::NoSuchInvitation,
        )])));
    };
    let holder: Option<(String, i64, ApplicationStatus)> = tx
        .prepare_cached("SELECT id, user_id, status FROM applications WHERE invitation_id = ?1")?
        .query_opt([invitation.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let own_draft = holder
        .as_ref()
        .filter(|(_, owner, status)| *owner == user_id && *status == ApplicationStatus::Draft)
        .map(|(id, _, _)| id.clone());
    let problems =
        applicant.check_invitation(&invitation, holder.is_some() && own_draft.is_none(), today);
    if !problems.is_empty() {
        return Ok(Checked::Refused(problems));
    }
    let data = serde_json::to_string(&applicant.to_form())?;
    let id = match own_draft {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE applications SET data = ?1, updated_at = ?2 WHERE id = ?3 AND
             status = 'draft'",
            )?
            .execute(params![data, now, id])?;
            id
        }
        None => {
            let id = crate::ids::random_id();
            tx.prepare_cached(
                "INSERT INTO applications (id, user_id, invitation_id, status, data,
             created_at, updated_at) VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?5)",
            )?
            .execute(params![id, user_id, invitation.id, data, now])?;
            id
        }
    };
    Ok(Checked::Stored(id))
}

/// The application with this id, only if this user owns it.
pub fn application_of(conn: &Connection, id: &str, user_id: i64) -> Result<Option<Application>> {
    let row = conn
        .prepare_cached(&format!(
            "{APPLICATION_SELECT} WHERE a.id = ?1 AND a.user_id = ?2"
        ))?
        .query_opt(params![id, user_id], ApplicationRow::read)?;
    row.map(|r| r.into_application(conn)).transpose()
}

/// The account that owns an application, if it exists.
pub fn owner_of(conn: &Connection, id: &str) -> Result<Option<i64>> {
    conn.prepare_cached("SELECT user_id FROM applications WHERE id = ?1")?
        .query_opt([id], |r| r.get(0))
}

/// A user's applications, newest first.
pub fn applications_of(conn: &Connection, user_id: i64) -> Result<Vec<Application>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{APPLICATION_SELECT} WHERE a.user_id = ?1 ORDER BY a.created_at DESC, a.rowid DESC"
    ))?;
    let rows = stmt
        .query_map([user_id], ApplicationRow::read)?
        .collect::<anyhow::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| r.into_application(conn)).collect()
}

/// Confirms a draft (the applicant ticked the box). `false` if it is not this user's draft, or
/// its inviting party is no longer verified.
pub fn confirm(conn: &Connection, id: &str, user_id: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE applications SET status = 'submitted', updated_at = ?1
         WHERE id = ?2 AND user_id = ?3 AND status = 'draft'
         AND EXISTS (SELECT 1 FROM invitations v JOIN inviters i ON i.id = v.inviter_id
                     WHERE v.id = applications.invitation_id AND i.state = 'verified')",
        params![now, id, user_id],
    )?;
    Ok(changed == 1)
}
