//! The stop-list and the applications it holds: entries added and removed (kept, marked removed,
//! so a held application still shows what it matched), the hold the issuance transaction places,
//! the officer's queue, and the guarded decision on a held application.

use crate::store::{Connection, Row, params};
use anyhow::{Result, anyhow};
use shared::Country;
use shared::visa::parse_date;

use super::application::ApplicationRow;
use crate::domain::application::Application;
use crate::domain::screening::{NewStopEntry, StopEntry, Subject};

/// A held application with the entry it matched, as the officer's queue shows it.
#[derive(Debug, Clone)]
pub struct Held {
    /// The application (status `under_review`).
    pub application: Application,
    /// The entry it matched (possibly removed since).
    pub entry: StopEntry,
    /// When it was held (RFC 3339).
    pub held_at: String,
}

/// What an officer decides about a held application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Sign the visa.
    Approved,
    /// Refuse it, with a reason.
    Refused,
}

const ENTRY_COLUMNS: &str =
    "s.id, s.passport_number, s.citizenship, s.surname, s.born, s.note, s.added_by, s.added_at";

/// A stop-list row as stored.
#[derive(Debug)]
struct EntryRow {
    id: i64,
    passport_number: Option<String>,
    citizenship: Option<String>,
    surname: Option<String>,
    born: Option<String>,
    note: String,
    added_by: String,
    added_at: String,
}

impl EntryRow {
    fn read(r: &Row<'_>, at: usize) -> anyhow::Result<Self> {
        Ok(Self {
            id: r.get(at)?,
            passport_number: r.get(at + 1)?,
            citizenship: r.get(at + 2)?,
            surname: r.get(at + 3)?,
            born: r.get(at + 4)?,
            note: r.get(at + 5)?,
            added_by: r.get(at + 6)?,
            added_at: r.get(at + 7)?,
        })
    }
}

impl TryFrom<EntryRow> for StopEntry {
    type Error = anyhow::Error;

    fn try_from(row: EntryRow) -> Result<Self> {
        let id = row.id;
        let corrupt = || anyhow!("the stored stop-list entry {id} is neither kind");
        let subject = match (row.passport_number, row.citizenship, row.surname, row.born) {
            (Some(number), Some(citizenship), None, None) => Subject::Passport {
                number,
                citizenship: Country::parse(&citizenship).map_err(|_| corrupt())?,
            },
            (None, None, Some(surname), Some(born)) => Subject::Person {
                surname,
                born: parse_date(&born).map_err(|_| corrupt())?,
            },
            _ => return Err(corrupt()),
        };
        Ok(StopEntry {
            id,
            subject,
            note: row.note,
            added_by: row.added_by,
            added_at: row.added_at,
        })
    }
}

/// Adds an entry; gives its id.
pub fn add_entry(conn: &Connection, entry: &NewStopEntry, by: &str, now: &str) -> Result<i64> {
    let (number, citizenship, surname, born) = match &entry.subject {
        Subject::Passport {
            number,
            citizenship,
        } => (
            Some(number.clone()),
            Some(citizenship.to_string()),
            None,
            None,
        ),
        Subject::Person { surname, born } => {
            (None, None, Some(surname.clone()), Some(born.to_string()))
        }
    };
    conn.query_row(
        "INSERT INTO stop_list (passport_number, citizenship, surname, born, note, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![number, citizenship, surname, born, entry.note, by, now],
        |r| r.get(0),
    )
}

/// Removes an entry from screening (it stays on record); gives it, or `None` if there is no such
/// entry in force.
pub fn remove_entry(conn: &Connection, id: i64, by: &str, now: &str) -> Result<Option<StopEntry>> {
    let Some(entry) = entry_in_force(conn, id)? else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE stop_list SET removed_by = ?1, removed_at = ?2 WHERE id = ?3 AND removed_at IS NULL",
        params![by, now, id],
    )?;
    Ok(Some(entry))
}

fn entry_in_force(conn: &Connection, id: i64) -> Result<Option<StopEntry>> {
    conn.query_opt(
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM stop_list s WHERE s.id = ?1 AND s.removed_at IS NULL"
        ),
        [id],
        |r| EntryRow::read(r, 0),
    )?
    .map(StopEntry::try_from)
    .transpose()
}

/// The entries in force, oldest first.
pub fn entries(conn: &Connection) -> Result<Vec<StopEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM stop_list s WHERE s.removed_at IS NULL ORDER BY s.id"
    ))?;
    let rows = stmt
        .query_map([], |r| EntryRow::read(r, 0))?
        .collect::<anyhow::Result<Vec<_>>>()?;
    rows.into_iter().map(StopEntry::try_from).collect()
}

/// Holds a paid application for review because it matched `entry_id`: the status goes from
/// `paid` to `under_review` (guarded) and the hold is recorded. Call inside the issuance
/// transaction; fails if the application changed meanwhile.
pub fn hold(conn: &Connection, application_id: &str, entry_id: i64, now: &str) -> Result<()> {
    let changed = conn.execute(
        "UPDATE applications SET status = 'under_review', updated_at = ?1
         WHERE id = ?2 AND status = 'paid'",
        params![now, application_id],
    )?;
    if changed != 1 {
        return Err(anyhow!(
            "application {application_id} changed while it was screened"
        ));
    }
    conn.execute(
        "INSERT INTO screenings (application_id, entry_id, held_at) VALUES (?1, ?2, ?3)",
        params![application_id, entry_id, now],
    )?;
    Ok(())
}

/// Whether an officer approved this application's hold (so issuance need not screen it again).
pub fn approved(conn: &Connection, application_id: &str) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM screenings WHERE application_id = ?1 AND decision = 'approved')",
        [application_id],
        |r| r.get(0),
    )
}

/// The applications waiting for an officer, oldest first, each with the entry it matched.
pub fn queue(conn: &Connection) -> Result<Vec<Held>> {
    // The application's columns first, in [`ApplicationRow::read`]'s order, then the hold's.
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.status, a.data, a.created_at, v.number, h.held_at, {ENTRY_COLUMNS}
         FROM applications a JOIN invitations v ON v.id = a.invitation_id
         JOIN screenings h ON h.application_id = a.id
         JOIN stop_list s ON s.id = h.entry_id
         WHERE h.decision IS NULL AND a.status = 'under_review' ORDER BY h.held_at, a.id"
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                ApplicationRow::read(r)?,
                r.get::<_, String>(5)?,
                EntryRow::read(r, 6)?,
            ))
        })?
        .collect::<anyhow::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(row, held_at, entry)| {
            Ok(Held {
                application: row.into_application(conn)?,
                entry: StopEntry::try_from(entry)?,
                held_at,
            })
        })
        .collect()
}

/// The held application with this id, if it is waiting for an officer.
pub fn held(conn: &Connection, application_id: &str) -> Result<Option<Held>> {
    Ok(queue(conn)?
        .into_iter()
        .find(|h| h.application.id == application_id))
}

/// Records an officer's verdict on a held application, guarded: the hold must be undecided and
/// the application under review. Approval puts the application back to `paid` (the caller signs
/// it in the same transaction); refusal makes it `refused`. `false` if it was decided meanwhile.
pub fn decide(
    conn: &Connection,
    application_id: &str,
    verdict: Verdict,
    reason: Option<&str>,
    by: &str,
    now: &str,
) -> Result<bool> {
    let (decision, status) = match verdict {
        Verdict::Approved => ("approved", "paid"),
        Verdict::Refused => ("refused", "refused"),
    };
    let decided = conn.execute(
        "UPDATE screenings SET decision = ?1, reason = ?2, decided_by = ?3, decided_at = ?4
         WHERE application_id = ?5 AND decision IS NULL",
        params![decision, reason, by, now, application_id],
    )?;
    if decided != 1 {
        return Ok(false);
    }
    let changed = conn.execute(
        "UPDATE applications SET status = ?1, updated_at = ?2 WHERE id = ?3 AND status = 'under_review'",
        params![status, now, application_id],
    )?;
    Ok(changed == 1)
}
