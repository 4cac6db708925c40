//! Issued visas and the log of every signature: what the issuance service reads and writes inside
//! its one transaction, and what the portal shows of a visa afterwards.

use crate::store::{Backend, Connection, params};
use anyhow::{Result, anyhow};

use super::application::{APPLICATION_SELECT, ApplicationRow};
use crate::domain::application::{Application, ApplicationStatus};
use crate::domain::issuance::{visa_number, visa_serial};

/// An issued visa as stored.
#[derive(Debug, Clone)]
pub struct IssuedVisa {
    /// Visa number.
    pub number: String,
    /// The visa.
    pub visa: shared::Visa,
    /// The signed token the QR code carries.
    pub token: String,
}

/// Whether an application can be signed, as the issuance transaction finds it.
#[derive(Debug)]
pub enum Issuable {
    /// No application has this id.
    Missing,
    /// It has its visa already.
    HasVisa,
    /// It is not paid (its status, or paid without a paid payment).
    NotPaid(ApplicationStatus),
    /// Paid, with a paid payment and no visa: ready to sign.
    Ready(Box<Application>),
}

/// A new visa to record, with its signature.
#[derive(Debug)]
pub struct NewVisa<'a> {
    /// The visa number.
    pub number: &'a str,
    /// The application it was issued for.
    pub application_id: &'a str,
    /// The visa.
    pub visa: &'a shared::Visa,
    /// The signed token.
    pub token: &'a str,
    /// The id of the key that signed.
    pub kid: &'a str,
    /// When, RFC 3339.
    pub signed_at: &'a str,
}

/// Reads an application for issuance: call inside the issuance transaction. A person of a group
/// is paid by the group's payment.
pub fn issuable(conn: &Connection, application_id: &str) -> Result<Issuable> {
    let row: Option<ApplicationRow> = conn
        .prepare_cached(&format!("{APPLICATION_SELECT} WHERE a.id = ?1"))?
        .query_opt([application_id], ApplicationRow::read)?;
    let Some(row) = row else {
        return Ok(Issuable::Missing);
    };
    // An application is `issued` exactly when its visa is stored: both change in the one
    // issuing transaction ([`insert`]), and `visas.application_id` is unique besides. So the
    // status answers "has it a visa?" without reading the visas' index, which every concurrent
    // issuance writes to (on PostgreSQL that read would make each two of them conflict).
    if row.status == ApplicationStatus::Issued {
        return Ok(Issuable::HasVisa);
    }
    let paid: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM payments WHERE application_id = ?1 AND
             status = 'paid') OR EXISTS (SELECT 1 FROM group_members m JOIN payments p
             ON p.group_id = m.group_id WHERE m.application_id = ?1 AND p.status = 'paid')",
        )?
        .query_row([&row.id], |r| r.get(0))?;
    if row.status != ApplicationStatus::Paid || !paid {
        return Ok(Issuable::NotPaid(row.status));
    }
    Ok(Issuable::Ready(Box::new(row.into_application(conn)?)))
}

/// A visa's printout as stored: the PDF and its SHA-256 (hex), which is also its ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPdf {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
}

/// The number the next visa gets; call inside the issuing transaction.
///
/// On SQLite (one writer at a time) the one after the highest so far, read from the primary
/// key's index (numbers sort as text in the order they were given, see
/// [`crate::domain::issuance::visa_number`]): no number is ever skipped.
///
/// On PostgreSQL (several instances) the next value of the sequence `visa_serials`: unique and
/// increasing in the order numbers are taken, never given twice, and no reading of the visas
/// that would make every two concurrent issuances conflict. A number taken by a transaction that
/// then stores no visa (run again after a conflict, refused at its last step, cut off by a crash
/// or a lost connection) is not given again: such gaps are documented in `docs/visa-token.md`.
pub fn next_number(conn: &Connection) -> Result<String> {
    let serial = match conn.backend() {
        Backend::Postgres => {
            let serial: i64 = conn
                .prepare_cached("SELECT nextval('visa_serials')")?
                .query_row([], |r| r.get(0))?;
            u64::try_from(serial)?
        }
        Backend::Sqlite => {
            let last: Option<String> = conn
                .prepare_cached("SELECT MAX(number) FROM visas")?
                .query_row([], |r| r.get(0))?;
            let highest = match last {
                Some(text) => visa_serial(&text).ok_or_else(|| {
                    anyhow!("a stored visa number {text:?} is not one this issuer gives")
                })?,
                None => 0,
            };
            highest + 1
        }
    };
    visa_number(serial).ok_or_else(|| anyhow!("the visa numbers are used up"))
}

/// The stored printout of a visa, if it was rendered already.
pub fn pdf_of(conn: &Connection, number: &str) -> Result<Option<StoredPdf>> {
    conn.prepare_cached("SELECT pdf, sha256 FROM visa_pdfs WHERE visa_number = ?1")?
        .query_opt([number], |r| {
            Ok(StoredPdf {
                bytes: r.get(0)?,
                sha256: r.get(1)?,
            })
        })
}

/// Keeps a visa's printout; if two downloads rendered it at once, the first one stored wins and
/// both are given the stored one.
pub fn store_pdf(conn: &Connection, number: &str, pdf: &StoredPdf, now: &str) -> Result<StoredPdf> {
    conn.prepare_cached(
        "INSERT INTO visa_pdfs (visa_number, pdf, sha256, rendered_at) VALUES
             (?1, ?2, ?3, ?4) ON CONFLICT (visa_number) DO NOTHING",
    )?
    .execute(params![number, pdf.bytes, pdf.sha256, now])?;
    pdf_of(conn, number)?.ok_or_else(|| anyhow!("the printout of {number} vanished"))
}

/// Records a signed visa, its signature, and the application's new status. Fails (and the
/// caller's transaction rolls back) if the application changed meanwhile.
pub fn insert(conn: &Connection, new: &NewVisa<'_>) -> Result<()> {
    let json = serde_json::to_string(&new.visa.to_draft())?;
    // The application's row first: on PostgreSQL two transactions issuing the same application
    // meet on this row's lock, and the later one is aborted as a serialization failure (run
    // again, it finds the application issued). Inserting the visa first, they would meet on the
    // unique index instead, as a duplicate key error, which is not retried.
    let changed = conn
        .prepare_cached(
            "UPDATE applications SET status = 'issued', updated_at = ?1 WHERE id =
             ?2 AND status = 'paid'",
        )?
        .execute(params![new.signed_at, new.application_id])?;
    if changed != 1 {
        return Err(anyhow!(
            "application {} changed while its visa was issued",
            new.application_id
        ));
    }
    conn.prepare_cached(
        "INSERT INTO visas (number, application_id, visa, token, kid,
             signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        new.number,
        new.application_id,
        json,
        new.token,
        new.kid,
        new.signed_at
    ])?;
    conn.prepare_cached(
        "INSERT INTO signatures (visa_number, application_id, kid, signed_at)
             VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        new.number,
        new.application_id,
        new.kid,
        new.signed_at
    ])?;
    Ok(())
}

/// Applications that are paid but have no visa yet (after a crash between payment and issuance).
pub fn paid_unissued(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT a.id FROM applications a WHERE a.status = 'paid'
         AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id)",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<anyhow::Result<Vec<String>>>()?;
    Ok(ids)
}

/// The visa of an application, only for its owner.
pub fn visa_of(
    conn: &Connection,
    application_id: &str,
    user_id: i64,
) -> Result<Option<IssuedVisa>> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT v.number, v.visa, v.token FROM visas v JOIN applications a ON
             a.id = v.application_id WHERE v.application_id = ?1 AND a.user_id = ?2",
        )?
        .query_opt(params![application_id, user_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let Some((number, json, token)) = row else {
        return Ok(None);
    };
    let draft: shared::VisaDraft = serde_json::from_str(&json)?;
    let visa = draft
        .into_visa()
        .map_err(|e| anyhow!("stored visa {number}: {e}"))?;
    Ok(Some(IssuedVisa {
        number,
        visa,
        token,
    }))
}

/// The number of the visa issued for an application, if any.
pub fn visa_number_of(conn: &Connection, application_id: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT number FROM visas WHERE application_id = ?1")?
        .query_opt([application_id], |r| r.get(0))
}

/// How many visas and signature records there are (for tests and the operator).
pub fn visa_counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok((
        conn.prepare_cached("SELECT COUNT(*) FROM visas")?
            .query_row([], |r| r.get(0))?,
        conn.prepare_cached("SELECT COUNT(*) FROM signatures")?
            .query_row([], |r| r.get(0))?,
    ))
}
