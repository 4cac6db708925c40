//! Inviting parties and their invitations.

use crate::store::{Connection, Row, params};
use anyhow::{Result, anyhow, bail};
use shared::visa::{InvitationNumber, MrzName, PassportNumber, parse_date};
use shared::{Category, Country};

use super::Checked;
use crate::domain::invitation::{Address, Guest, Invitation, Inviter, NewInvitation, NewInviter};
use crate::domain::inviter::InviterState;
use crate::domain::problem::{Problem, Problems};
use crate::domain::taxid::{PartyKind, TaxId};

/// Registers an inviting party, optionally owned by an account.
pub fn insert_inviter(
    conn: &Connection,
    user_id: Option<i64>,
    inviter: &NewInviter,
    now: &str,
) -> Result<Checked<i64>> {
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM inviters WHERE tax_id = ?1)")?
        .query_row([inviter.tax_id.as_str()], |r| r.get(0))?;
    if taken {
        return Ok(Checked::Refused(Problems::from([(
            "tax_id",
            Problem::TaxIdTaken,
        )])));
    }
    let id = conn
        .prepare_cached(
            "INSERT INTO inviters (kind, tax_id, name, description, user_id,
             created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )?
        .query_row(
            params![
                inviter.kind.as_str(),
                inviter.tax_id.as_str(),
                inviter.name,
                inviter.description,
                user_id,
                now
            ],
            |r| r.get(0),
        )?;
    Ok(Checked::Stored(id))
}

pub(super) const INVITER_COLUMNS: &str =
    "id, kind, tax_id, name, description, state, verified_name";

/// An inviting party's row as stored.
#[derive(Debug)]
pub(super) struct InviterRow {
    id: i64,
    kind: String,
    tax_id: String,
    name: String,
    description: String,
    state: String,
    verified_name: Option<String>,
}

impl InviterRow {
    /// Reads the [`INVITER_COLUMNS`] starting at column `at`.
    pub(super) fn read(r: &Row<'_>, at: usize) -> anyhow::Result<Self> {
        Ok(Self {
            id: r.get(at)?,
            kind: r.get(at + 1)?,
            tax_id: r.get(at + 2)?,
            name: r.get(at + 3)?,
            description: r.get(at + 4)?,
            state: r.get(at + 5)?,
            verified_name: r.get(at + 6)?,
        })
    }
}

impl TryFrom<InviterRow> for Inviter {
    type Error = anyhow::Error;

    fn try_from(row: InviterRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            kind: PartyKind::parse(&row.kind)
                .ok_or_else(|| anyhow!("stored party kind {}", row.kind))?,
            tax_id: TaxId::parse(&row.tax_id).map_err(|e| anyhow!("stored BIN/IIN: {e}"))?,
            name: row.name,
            description: row.description,
            state: InviterState::parse(&row.state)
                .ok_or_else(|| anyhow!("stored inviter state {}", row.state))?,
            verified_name: row.verified_name,
        })
    }
}

/// The inviting party an account registered, if any.
pub fn inviter_of_user(conn: &Connection, user_id: i64) -> Result<Option<Inviter>> {
    conn.prepare_cached(&format!(
        "SELECT {INVITER_COLUMNS} FROM inviters WHERE user_id = ?1"
    ))?
    .query_opt([user_id], |r| InviterRow::read(r, 0))?
    .map(Inviter::try_from)
    .transpose()
}

/// The inviting party with this BIN/IIN.
pub fn inviter_by_tax_id(conn: &Connection, tax_id: &TaxId) -> Result<Option<Inviter>> {
    conn.prepare_cached(&format!(
        "SELECT {INVITER_COLUMNS} FROM inviters WHERE tax_id = ?1"
    ))?
    .query_opt([tax_id.as_str()], |r| InviterRow::read(r, 0))?
    .map(Inviter::try_from)
    .transpose()
}

/// Stores an invitation under a number; `false` when the number is taken.
pub fn insert_invitation(
    conn: &Connection,
    inviter_id: i64,
    number: &InvitationNumber,
    inv: &NewInvitation,
    now: &str,
) -> Result<bool> {
    let g = &inv.guest;
    let inserted = conn
        .prepare_cached(
            "INSERT INTO invitations (number, inviter_id, surname, given_names,
             passport_number, citizenship, date_of_birth, category, purpose, city,
             street, house, valid_from, valid_until, stay_days, created_at) VALUES
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             ?16) ON CONFLICT (number) DO NOTHING",
        )?
        .execute(params![
            number.as_str(),
            inviter_id,
            g.surname.as_str(),
            g.given_names.as_ref().map(MrzName::as_str),
            g.passport_number.as_str(),
            g.citizenship.as_str(),
            g.date_of_birth.to_string(),
            g.category.as_str(),
            inv.purpose,
            inv.address.city,
            inv.address.street,
            inv.address.house,
            inv.valid_from.to_string(),
            inv.valid_until.to_string(),
            inv.stay_days,
            now
        ])?;
    Ok(inserted == 1)
}

const INVITATION_COLUMNS: &str = "v.id, v.number, v.surname, v.given_names, v.passport_number,
        v.citizenship, v.date_of_birth, v.category, v.purpose, v.city, v.street, v.house,
        v.valid_from, v.valid_until, v.stay_days,
        i.id, i.kind, i.tax_id, i.name, i.description, i.state, i.verified_name";
const INVITATION_FROM: &str = "FROM invitations v JOIN inviters i ON i.id = v.inviter_id";

/// An invitation's row as stored, with its inviting party's.
#[derive(Debug)]
struct InvitationRow {
    id: i64,
    number: String,
    surname: String,
    given_names: Option<String>,
    passport_number: String,
    citizenship: String,
    date_of_birth: String,
    category: String,
    purpose: String,
    city: String,
    street: String,
    house: String,
    valid_from: String,
    valid_until: String,
    stay_days: u16,
    inviter: InviterRow,
}

impl InvitationRow {
    /// Reads the [`INVITATION_COLUMNS`].
    fn read(r: &Row<'_>) -> anyhow::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            number: r.get(1)?,
            surname: r.get(2)?,
            given_names: r.get(3)?,
            passport_number: r.get(4)?,
            citizenship: r.get(5)?,
            date_of_birth: r.get(6)?,
            category: r.get(7)?,
            purpose: r.get(8)?,
            city: r.get(9)?,
            street: r.get(10)?,
            house: r.get(11)?,
            valid_from: r.get(12)?,
            valid_until: r.get(13)?,
            stay_days: r.get(14)?,
            inviter: InviterRow::read(r, 15)?,
        })
    }
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = anyhow::Error;

    fn try_from(row: InvitationRow) -> Result<Self> {
        let number = row.number;
        let corrupt = |what: &str| anyhow!("the stored invitation {number} has a bad {what}");
        let date = |t: &str, what: &str| parse_date(t).map_err(|_| corrupt(what));
        Ok(Self {
            id: row.id,
            number: InvitationNumber::parse(&number).map_err(|_| corrupt("number"))?,
            inviter: Inviter::try_from(row.inviter)?,
            guest: Guest {
                surname: MrzName::parse(&row.surname).map_err(|_| corrupt("surname"))?,
                given_names: row
                    .given_names
                    .map(|g| MrzName::parse(&g))
                    .transpose()
                    .map_err(|_| corrupt("given names"))?,
                passport_number: PassportNumber::parse(&row.passport_number)
                    .map_err(|_| corrupt("passport number"))?,
                citizenship: Country::parse(&row.citizenship)
                    .map_err(|_| corrupt("citizenship"))?,
                date_of_birth: date(&row.date_of_birth, "date of birth")?,
                category: Category::parse(&row.category).map_err(|_| corrupt("category"))?,
            },
            purpose: row.purpose,
            address: Address {
                city: row.city,
                street: row.street,
                house: row.house,
            },
            valid_from: date(&row.valid_from, "start")?,
            valid_until: date(&row.valid_until, "end")?,
            stay_days: row.stay_days,
        })
    }
}

/// The invitation with this number.
pub fn invitation_by_number(conn: &Connection, number: &str) -> Result<Option<Invitation>> {
    conn.prepare_cached(&format!(
        "SELECT {INVITATION_COLUMNS} {INVITATION_FROM} WHERE v.number = ?1"
    ))?
    .query_opt([number], InvitationRow::read)?
    .map(Invitation::try_from)
    .transpose()
}

/// An inviting party's invitations, newest first, each with whether an application uses it.
pub fn invitations_of(conn: &Connection, inviter_id: i64) -> Result<Vec<(Invitation, bool)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {INVITATION_COLUMNS},
            EXISTS (SELECT 1 FROM applications a WHERE a.invitation_id = v.id)
         {INVITATION_FROM} WHERE v.inviter_id = ?1 ORDER BY v.id DESC"
    ))?;
    let rows = stmt
        .query_map([inviter_id], |r| {
            Ok((InvitationRow::read(r)?, r.get::<_, bool>(22)?))
        })?
        .collect::<anyhow::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(row, used)| Ok((Invitation::try_from(row)?, used)))
        .collect()
}

/// Stores an invitation under a fresh random number, retrying on the (unlikely) collision.
pub fn create_invitation(
    conn: &Connection,
    inviter_id: i64,
    inv: &NewInvitation,
    year: i32,
    now: &str,
) -> Result<InvitationNumber> {
    for _ in 0..8 {
        let number = crate::ids::invitation_number(year)
            .map_err(|e| anyhow!("making an invitation number: {e}"))?;
        if insert_invitation(conn, inviter_id, &number, inv, now)? {
            return Ok(number);
        }
    }
    bail!("could not find a free invitation number")
}
