//! All of the issuer's SQL, as plain functions over a connection, and the schema migrations
//! (by `PRAGMA user_version`; a database newer than this code is refused).

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use shared::visa::{InvitationNumber, MrzName, PassportNumber, parse_date};
use shared::{Category, Country};
use time::Date;

use crate::account::User;
use crate::application::{Applicant, Application, ApplicationForm, Status};
use crate::epay::PaymentNotice;
use crate::invitation::{Address, Guest, Invitation, Inviter, NewInvitation, NewInviter};
use crate::problem::{Problem, Problems};
use crate::taxid::{PartyKind, TaxId};

pub mod kiosk;
pub mod trust;

/// The shared handle: one connection behind a mutex, used from blocking threads.
#[derive(Debug, Clone)]
pub struct Db(Arc<Mutex<Connection>>);

/// The migrations, in order; `user_version` is how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, sessions, inviting parties, invitations, applications.
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
        user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    CREATE TABLE inviters (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('organisation', 'individual')),
        tax_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        user_id INTEGER UNIQUE REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        inviter_id INTEGER NOT NULL REFERENCES inviters(id),
        surname TEXT NOT NULL,
        given_names TEXT,
        passport_number TEXT NOT NULL,
        citizenship TEXT NOT NULL,
        date_of_birth TEXT NOT NULL,
        category TEXT NOT NULL,
        purpose TEXT NOT NULL,
        city TEXT NOT NULL,
        street TEXT NOT NULL,
        house TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        stay_days INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations(id),
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'paid', 'issued')),
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX applications_user ON applications(user_id);",
    // 2: payments of the state duty, issued visas, the log of every signature, payment events.
    "CREATE TABLE payments (
        order_id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id),
        amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
        currency TEXT NOT NULL,
        gateway_payment_id TEXT UNIQUE,
        pay_url TEXT,
        status TEXT NOT NULL CHECK (status IN ('created', 'pending', 'paid', 'declined')),
        method TEXT,
        receipt_number TEXT,
        payer_hint TEXT,
        paid_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX payments_application ON payments(application_id);
    CREATE TABLE visas (
        number TEXT PRIMARY KEY,
        application_id TEXT NOT NULL UNIQUE REFERENCES applications(id),
        visa TEXT NOT NULL,
        token TEXT NOT NULL,
        kid TEXT NOT NULL,
        signed_at TEXT NOT NULL
    );
    CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        visa_number TEXT NOT NULL,
        application_id TEXT NOT NULL,
        kid TEXT NOT NULL,
        signed_at TEXT NOT NULL
    );
    CREATE TABLE payment_events (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );",
    // 3: offline trust: revoked visas and keys, entries reported by kiosks, exported bundles.
    "CREATE TABLE revocations (
        visa_number TEXT PRIMARY KEY REFERENCES visas(number),
        reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        revoked_at TEXT NOT NULL
    );
    CREATE TABLE revoked_keys (
        kid TEXT PRIMARY KEY CHECK (length(kid) = 16),
        reason TEXT NOT NULL,
        revoked_at TEXT NOT NULL
    );
    CREATE TABLE used_entries (
        visa_number TEXT NOT NULL REFERENCES visas(number),
        at TEXT NOT NULL,
        port TEXT NOT NULL CHECK (port IN ('NQZ', 'ALA')),
        kiosk_id TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (visa_number, kiosk_id, at)
    );
    CREATE TABLE bundle_exports (
        sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
        created_at TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );",
    // 4: registered kiosks and what is known of their ledger chains (db/kiosk.rs).
    "CREATE TABLE kiosks (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        port TEXT NOT NULL CHECK (port IN ('NQZ', 'ALA')),
        public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
        kid TEXT NOT NULL UNIQUE CHECK (length(kid) = 16),
        registered_at TEXT NOT NULL,
        revoked_at TEXT,
        revoke_reason TEXT
    );
    CREATE TABLE kiosk_records (
        kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
        seq INTEGER NOT NULL CHECK (seq > 0),
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, seq)
    );",
];

/// A session as found by its token.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The session's CSRF token.
    pub csrf: String,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        Self::setup(conn)
    }

    /// A private in-memory database, for tests and benchmarks.
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL with full synchronous commits: a confirmed payment or an issued visa survives a
        // crash or power loss once the transaction has returned.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(Self(Arc::new(Mutex::new(conn))))
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db
                .lock()
                .map_err(|_| anyhow!("the database lock is poisoned"))?;
            f(&mut conn)
        })
        .await
        .context("a database task failed")?
    }

    /// Runs `f` with the connection on the current thread (CLI and start-up).
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = self
            .0
            .lock()
            .map_err(|_| anyhow!("the database lock is poisoned"))?;
        f(&mut conn)
    }
}

/// Brings the schema to the newest version, refusing a database made by newer code.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = i64::try_from(MIGRATIONS.len())?;
    if version > known {
        bail!(
            "the database has schema version {version}, newer than this issuer knows ({known}); \
             use a newer issuer"
        );
    }
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version)?)
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .with_context(|| format!("schema migration {}", index + 1))?;
        tx.pragma_update(None, "user_version", i64::try_from(index + 1)?)?;
        tx.commit()?;
    }
    Ok(())
}

/// A random id of 128 bits, hex-encoded: application ids, tokens.
pub fn random_id() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

// ---------------------------------------------------------------- users and sessions

/// Creates an account; `None` when the e-mail is taken.
pub fn insert_user(
    conn: &Connection,
    email: &str,
    full_name: &str,
    password_hash: &str,
    now: &str,
) -> Result<Option<i64>> {
    let inserted = conn.execute(
        "INSERT INTO users (email, full_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (email) DO NOTHING",
        params![email, full_name, password_hash, now],
    )?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

/// The user id and password hash for a login identifier: an e-mail, or the BIN/IIN of an inviting
/// party that has an account.
pub fn find_login(conn: &Connection, identifier: &str) -> Result<Option<(i64, String)>> {
    let id = identifier.trim();
    let by_tax_id = TaxId::parse(id).ok();
    let row = match by_tax_id {
        Some(tax_id) => conn
            .query_row(
                "SELECT u.id, u.password_hash FROM users u JOIN inviters i ON i.user_id = u.id
                 WHERE i.tax_id = ?1",
                [tax_id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        None => conn
            .query_row(
                "SELECT id, password_hash FROM users WHERE email = ?1",
                [id.to_lowercase()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    Ok(row)
}

/// Stores a session under the hash of its token.
pub fn insert_session(
    conn: &Connection,
    token_hash: &[u8],
    kind: &str,
    user_id: Option<i64>,
    csrf: &str,
    expires_at: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, kind, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, kind, user_id, csrf, expires_at],
    )?;
    Ok(())
}

/// The live session with this token hash.
pub fn find_session(
    conn: &Connection,
    token_hash: &[u8],
    kind: &str,
    now: i64,
) -> Result<Option<SessionRow>> {
    conn.query_row(
        "SELECT s.csrf, u.id, u.email, u.full_name FROM sessions s LEFT JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.kind = ?2 AND s.expires_at > ?3",
        params![token_hash, kind, now],
        |r| {
            let user = match r.get::<_, Option<i64>>(1)? {
                Some(id) => Some(User {
                    id,
                    email: r.get(2)?,
                    full_name: r.get(3)?,
                }),
                None => None,
            };
            Ok(SessionRow {
                user,
                csrf: r.get(0)?,
            })
        },
    )
    .optional()
    .map_err(Into::into)
}

/// Ends a session.
pub fn delete_session(conn: &Connection, token_hash: &[u8]) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Forgets expired sessions.
pub fn purge_sessions(conn: &Connection, now: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?)
}

// ---------------------------------------------------------------- inviting parties

/// Registers an inviting party, optionally owned by an account.
pub fn insert_inviter(
    conn: &Connection,
    user_id: Option<i64>,
    inviter: &NewInviter,
    now: &str,
) -> Result<Result<i64, Problems>> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM inviters WHERE tax_id = ?1)",
        [inviter.tax_id.as_str()],
        |r| r.get(0),
    )?;
    if taken {
        return Ok(Err(Problems::from([("tax_id", Problem::TaxIdTaken)])));
    }
    conn.execute(
        "INSERT INTO inviters (kind, tax_id, name, description, user_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            inviter.kind.as_str(),
            inviter.tax_id.as_str(),
            inviter.name,
            inviter.description,
            user_id,
            now
        ],
    )?;
    Ok(Ok(conn.last_insert_rowid()))
}

const INVITER_COLUMNS: &str = "id, kind, tax_id, name, description";

fn inviter_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Result<Inviter>> {
    let kind: String = r.get(at + 1)?;
    let tax_id: String = r.get(at + 2)?;
    let id = r.get(at)?;
    let name = r.get(at + 3)?;
    let description = r.get(at + 4)?;
    Ok((|| {
        Ok(Inviter {
            id,
            kind: PartyKind::parse(&kind).ok_or_else(|| anyhow!("stored party kind {kind}"))?,
            tax_id: TaxId::parse(&tax_id).map_err(|e| anyhow!("stored BIN/IIN: {e}"))?,
            name,
            description,
        })
    })())
}

/// The inviting party an account registered, if any.
pub fn inviter_of_user(conn: &Connection, user_id: i64) -> Result<Option<Inviter>> {
    conn.query_row(
        &format!("SELECT {INVITER_COLUMNS} FROM inviters WHERE user_id = ?1"),
        [user_id],
        |r| inviter_row(r, 0),
    )
    .optional()?
    .transpose()
}

/// The inviting party with this BIN/IIN.
pub fn inviter_by_tax_id(conn: &Connection, tax_id: &TaxId) -> Result<Option<Inviter>> {
    conn.query_row(
        &format!("SELECT {INVITER_COLUMNS} FROM inviters WHERE tax_id = ?1"),
        [tax_id.as_str()],
        |r| inviter_row(r, 0),
    )
    .optional()?
    .transpose()
}

// ---------------------------------------------------------------- invitations

/// Stores an invitation under a number; `false` when the number is taken.
pub fn insert_invitation(
    conn: &Connection,
    inviter_id: i64,
    number: &InvitationNumber,
    inv: &NewInvitation,
    now: &str,
) -> Result<bool> {
    let g = &inv.guest;
    let inserted = conn.execute(
        "INSERT INTO invitations (number, inviter_id, surname, given_names, passport_number,
            citizenship, date_of_birth, category, purpose, city, street, house, valid_from,
            valid_until, stay_days, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (number) DO NOTHING",
        params![
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
        ],
    )?;
    Ok(inserted == 1)
}

const INVITATION_COLUMNS: &str = "v.id, v.number, v.surname, v.given_names, v.passport_number,
        v.citizenship, v.date_of_birth, v.category, v.purpose, v.city, v.street, v.house,
        v.valid_from, v.valid_until, v.stay_days,
        i.id, i.kind, i.tax_id, i.name, i.description";
const INVITATION_FROM: &str = "FROM invitations v JOIN inviters i ON i.id = v.inviter_id";

fn invitation_row(r: &Row<'_>) -> rusqlite::Result<Result<Invitation>> {
    let text = |i: usize| r.get::<_, String>(i);
    let number = text(1)?;
    let surname = text(2)?;
    let given: Option<String> = r.get(3)?;
    let passport = text(4)?;
    let citizenship = text(5)?;
    let dob = text(6)?;
    let category = text(7)?;
    let (purpose, city, street, house) = (text(8)?, text(9)?, text(10)?, text(11)?);
    let (from, until) = (text(12)?, text(13)?);
    let stay_days: u16 = r.get(14)?;
    let id = r.get(0)?;
    let inviter = inviter_row(r, 15)?;
    let corrupt = |what: &str| anyhow!("the stored invitation {number} has a bad {what}");
    Ok((|| {
        let date = |t: &str, what: &str| parse_date(t).map_err(|_| corrupt(what));
        Ok(Invitation {
            id,
            number: InvitationNumber::parse(&number).map_err(|_| corrupt("number"))?,
            inviter: inviter?,
            guest: Guest {
                surname: MrzName::parse(&surname).map_err(|_| corrupt("surname"))?,
                given_names: given
                    .map(|g| MrzName::parse(&g))
                    .transpose()
                    .map_err(|_| corrupt("given names"))?,
                passport_number: PassportNumber::parse(&passport)
                    .map_err(|_| corrupt("passport number"))?,
                citizenship: Country::parse(&citizenship).map_err(|_| corrupt("citizenship"))?,
                date_of_birth: date(&dob, "date of birth")?,
                category: Category::parse(&category).map_err(|_| corrupt("category"))?,
            },
            purpose,
            address: Address {
                city,
                street,
                house,
            },
            valid_from: date(&from, "start")?,
            valid_until: date(&until, "end")?,
            stay_days,
        })
    })())
}

/// The invitation with this number.
pub fn invitation_by_number(conn: &Connection, number: &str) -> Result<Option<Invitation>> {
    conn.query_row(
        &format!("SELECT {INVITATION_COLUMNS} {INVITATION_FROM} WHERE v.number = ?1"),
        [number],
        invitation_row,
    )
    .optional()?
    .transpose()
}

/// An inviting party's invitations, newest first, each with whether an application uses it.
pub fn invitations_of(conn: &Connection, inviter_id: i64) -> Result<Vec<(Invitation, bool)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {INVITATION_COLUMNS},
            EXISTS (SELECT 1 FROM applications a WHERE a.invitation_id = v.id)
         {INVITATION_FROM} WHERE v.inviter_id = ?1 ORDER BY v.id DESC"
    ))?;
    let rows = stmt.query_map([inviter_id], |r| {
        Ok((invitation_row(r)?, r.get::<_, bool>(20)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (invitation, used) = row?;
        out.push((invitation?, used));
    }
    Ok(out)
}

// ---------------------------------------------------------------- applications

/// Saves Step 1 as a draft, in one immediate transaction with the invitation rules, so two
/// applicants racing for one invitation cannot both get it. The same applicant sending Step 1
/// again for the same invitation updates their draft. Returns the application id, or the problems.
pub fn save_draft(
    conn: &mut Connection,
    user_id: i64,
    applicant: &Applicant,
    today: Date,
    now: &str,
) -> Result<Result<String, Problems>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(invitation) = invitation_by_number(&tx, applicant.invitation_number.as_str())? else {
        return Ok(Err(Problems::from([(
            "invitation_number",
            Problem::NoSuchInvitation,
        )])));
    };
    let holder: Option<(String, i64, String)> = tx
        .query_row(
            "SELECT id, user_id, status FROM applications WHERE invitation_id = ?1",
            [invitation.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let own_draft = holder
        .as_ref()
        .filter(|(_, owner, status)| *owner == user_id && status == "draft")
        .map(|(id, _, _)| id.clone());
    let problems =
        applicant.check_invitation(&invitation, holder.is_some() && own_draft.is_none(), today);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let data = serde_json::to_string(&applicant.to_form())?;
    let id = match own_draft {
        Some(id) => {
            tx.execute(
                "UPDATE applications SET data = ?1, updated_at = ?2 WHERE id = ?3 AND status = 'draft'",
                params![data, now, id],
            )?;
            id
        }
        None => {
            let id = random_id();
            tx.execute(
                "INSERT INTO applications (id, user_id, invitation_id, status, data, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?5)",
                params![id, user_id, invitation.id, data, now],
            )?;
            id
        }
    };
    tx.commit()?;
    Ok(Ok(id))
}

const APPLICATION_SELECT: &str =
    "SELECT a.id, a.status, a.data, a.created_at, v.number FROM applications a
     JOIN invitations v ON v.id = a.invitation_id";

fn application_from(
    conn: &Connection,
    r: (String, String, String, String, String),
) -> Result<Application> {
    let (id, status, data, created_at, number) = r;
    let form: ApplicationForm =
        serde_json::from_str(&data).with_context(|| format!("reading stored application {id}"))?;
    // The stored form was normalised from a parsed one, so its fields parse again.
    let applicant = form
        .parse_fields()
        .map_err(|p| anyhow!("stored application {id} no longer parses: {p:?}"))?;
    let invitation = invitation_by_number(conn, &number)?
        .ok_or_else(|| anyhow!("application {id} lost its invitation"))?;
    Ok(Application {
        status: Status::parse(&status).ok_or_else(|| anyhow!("stored status {status}"))?,
        id,
        applicant,
        invitation,
        created_at,
    })
}

/// The application with this id, only if this user owns it.
pub fn application_of(conn: &Connection, id: &str, user_id: i64) -> Result<Option<Application>> {
    let row = conn
        .query_row(
            &format!("{APPLICATION_SELECT} WHERE a.id = ?1 AND a.user_id = ?2"),
            params![id, user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    row.map(|r| application_from(conn, r)).transpose()
}

/// A user's applications, newest first.
pub fn applications_of(conn: &Connection, user_id: i64) -> Result<Vec<Application>> {
    let mut stmt = conn.prepare(&format!(
        "{APPLICATION_SELECT} WHERE a.user_id = ?1 ORDER BY a.created_at DESC, a.rowid DESC"
    ))?;
    let rows = stmt
        .query_map([user_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|r| application_from(conn, r))
        .collect()
}

/// Confirms a draft (the applicant ticked the box). `false` if it is not this user's draft.
pub fn confirm(conn: &Connection, id: &str, user_id: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE applications SET status = 'submitted', updated_at = ?1
         WHERE id = ?2 AND user_id = ?3 AND status = 'draft'",
        params![now, id, user_id],
    )?;
    Ok(changed == 1)
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
        let number = crate::invitation::new_number(year)
            .map_err(|e| anyhow!("making an invitation number: {e}"))?;
        if insert_invitation(conn, inviter_id, &number, inv, now)? {
            return Ok(number);
        }
    }
    bail!("could not find a free invitation number")
}

// ---------------------------------------------------------------- payments and visas

/// A payment attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    /// Our order id.
    pub order_id: String,
    /// The application paid for.
    pub application_id: String,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// The gateway's id, once it answered.
    pub gateway_payment_id: Option<String>,
    /// Where the applicant pays.
    pub pay_url: Option<String>,
    /// `created`, `pending`, `paid` or `declined`.
    pub status: String,
    /// Payment method.
    pub method: Option<String>,
    /// Receipt number.
    pub receipt_number: Option<String>,
    /// Masked payer hint.
    pub payer_hint: Option<String>,
    /// When paid.
    pub paid_at: Option<String>,
}

/// What a payment notice (callback or status answer) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    /// No payment has this order id.
    UnknownOrder,
    /// The notice contradicts the order (amount, currency, payment id, status); nothing changed.
    Refused(String),
    /// The payment is now paid; the application is ready for issuance.
    Paid(String),
    /// The payment is declined.
    Declined,
    /// Nothing new: a duplicate, or a state we had already.
    Unchanged,
}

/// What an issuance attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// A visa was signed now, with this number.
    Issued(String),
    /// The application has its visa already.
    AlreadyIssued,
    /// The application may not be signed (not paid, or its data no longer fits); logged.
    Refused(String),
}

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

const PAYMENT_COLUMNS: &str =
    "order_id, application_id, amount_minor, currency, gateway_payment_id,
    pay_url, status, method, receipt_number, payer_hint, paid_at";

fn payment_row(r: &Row<'_>) -> rusqlite::Result<PaymentRow> {
    Ok(PaymentRow {
        order_id: r.get(0)?,
        application_id: r.get(1)?,
        amount_minor: r.get(2)?,
        currency: r.get(3)?,
        gateway_payment_id: r.get(4)?,
        pay_url: r.get(5)?,
        status: r.get(6)?,
        method: r.get(7)?,
        receipt_number: r.get(8)?,
        payer_hint: r.get(9)?,
        paid_at: r.get(10)?,
    })
}

/// Records an event of the payment flow worth keeping (refusals, duplicates).
pub fn log_event(
    conn: &Connection,
    order_id: &str,
    source: &str,
    outcome: &str,
    detail: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO payment_events (order_id, source, outcome, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![order_id, source, outcome, detail, now],
    )?;
    Ok(())
}

/// The newest payment attempt of an application.
pub fn latest_payment(conn: &Connection, application_id: &str) -> Result<Option<PaymentRow>> {
    conn.query_row(
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE application_id = ?1
             ORDER BY (status = 'paid') DESC, created_at DESC, rowid DESC LIMIT 1"
        ),
        [application_id],
        payment_row,
    )
    .optional()
    .map_err(Into::into)
}

/// The payment with this order id.
pub fn payment(conn: &Connection, order_id: &str) -> Result<Option<PaymentRow>> {
    conn.query_row(
        &format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = ?1"),
        [order_id],
        payment_row,
    )
    .optional()
    .map_err(Into::into)
}

/// The open (created or pending) payment of a submitted application, or a new one for the fee.
/// A declined attempt is left as it is and a new order made, so the applicant can pay again.
pub fn open_payment(
    conn: &mut Connection,
    application_id: &str,
    user_id: i64,
    amount_minor: i64,
    currency: &str,
    now: &str,
) -> Result<Option<PaymentRow>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let status: Option<String> = tx
        .query_row(
            "SELECT status FROM applications WHERE id = ?1 AND user_id = ?2",
            params![application_id, user_id],
            |r| r.get(0),
        )
        .optional()?;
    if status.as_deref() != Some("submitted") {
        return Ok(None);
    }
    let open = tx
        .query_row(
            &format!(
                "SELECT {PAYMENT_COLUMNS} FROM payments WHERE application_id = ?1
                 AND status IN ('created', 'pending') AND amount_minor = ?2 AND currency = ?3
                 ORDER BY created_at DESC, rowid DESC LIMIT 1"
            ),
            params![application_id, amount_minor, currency],
            payment_row,
        )
        .optional()?;
    let row = match open {
        Some(row) => row,
        None => {
            let order_id = random_id();
            tx.execute(
                "INSERT INTO payments (order_id, application_id, amount_minor, currency, status,
                    created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'created', ?5, ?5)",
                params![order_id, application_id, amount_minor, currency, now],
            )?;
            payment(&tx, &order_id)?.ok_or_else(|| anyhow!("a new payment vanished"))?
        }
    };
    tx.commit()?;
    Ok(Some(row))
}

/// Remembers the gateway's id and payment address for an order.
pub fn set_gateway_payment(
    conn: &Connection,
    order_id: &str,
    payment_id: &str,
    pay_url: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE payments SET gateway_payment_id = ?1, pay_url = ?2, updated_at = ?3
         WHERE order_id = ?4 AND (gateway_payment_id IS NULL OR gateway_payment_id = ?1)",
        params![payment_id, pay_url, now, order_id],
    )?;
    Ok(())
}

/// Applies a payment notice in one immediate transaction, with guarded state changes, so a
/// notice that arrives twice, or a callback and a status answer at the same moment, record the
/// payment once. Notices that contradict the order are refused and logged.
pub fn record_notice(
    conn: &mut Connection,
    notice: &PaymentNotice,
    source: &str,
    now: &str,
) -> Result<NoticeOutcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(row) = payment(&tx, &notice.order_id)? else {
        log_event(&tx, &notice.order_id, source, "unknown_order", "", now)?;
        tx.commit()?;
        return Ok(NoticeOutcome::UnknownOrder);
    };
    let refuse = |tx: rusqlite::Transaction<'_>, reason: String| -> Result<NoticeOutcome> {
        log_event(&tx, &notice.order_id, source, "refused", &reason, now)?;
        tx.commit()?;
        tracing::warn!(order = %notice.order_id, source, reason, "a payment notice was refused");
        Ok(NoticeOutcome::Refused(reason))
    };
    if row
        .gateway_payment_id
        .as_deref()
        .is_some_and(|id| id != notice.payment_id)
    {
        return refuse(
            tx,
            format!("payment id {} is not the order's", notice.payment_id),
        );
    }
    match notice.status.as_str() {
        "paid" => {
            if notice.amount_minor != row.amount_minor || notice.currency != row.currency {
                return refuse(
                    tx,
                    format!(
                        "amount {} {} differs from the order's {} {}",
                        notice.amount_minor, notice.currency, row.amount_minor, row.currency
                    ),
                );
            }
            match row.status.as_str() {
                "paid" => {
                    tx.commit()?;
                    Ok(NoticeOutcome::Unchanged)
                }
                "declined" => refuse(tx, "paid after declined".to_owned()),
                _ => {
                    let changed = tx.execute(
                        "UPDATE payments SET status = 'paid', method = ?1, receipt_number = ?2,
                            payer_hint = ?3, paid_at = ?4, gateway_payment_id = ?5, updated_at = ?6
                         WHERE order_id = ?7 AND status IN ('created', 'pending')",
                        params![
                            notice.method,
                            notice.receipt_number,
                            notice.payer_hint,
                            notice.paid_at,
                            notice.payment_id,
                            now,
                            notice.order_id
                        ],
                    )?;
                    let advanced = tx.execute(
                        "UPDATE applications SET status = 'paid', updated_at = ?1
                         WHERE id = ?2 AND status = 'submitted'",
                        params![now, row.application_id],
                    )?;
                    if changed == 1 && advanced == 0 {
                        // Money arrived for an application that was paid already (two orders
                        // paid); it is recorded for a refund and issues nothing more.
                        log_event(
                            &tx,
                            &notice.order_id,
                            source,
                            "second_payment",
                            "refund due",
                            now,
                        )?;
                        tracing::warn!(order = %notice.order_id, "a second payment for a paid application");
                    }
                    tx.commit()?;
                    Ok(NoticeOutcome::Paid(row.application_id))
                }
            }
        }
        "declined" => {
            let changed = tx.execute(
                "UPDATE payments SET status = 'declined', method = ?1, gateway_payment_id = ?2,
                    updated_at = ?3 WHERE order_id = ?4 AND status IN ('created', 'pending')",
                params![notice.method, notice.payment_id, now, notice.order_id],
            )?;
            tx.commit()?;
            Ok(if changed == 1 {
                NoticeOutcome::Declined
            } else {
                NoticeOutcome::Unchanged
            })
        }
        "pending" | "created" => {
            if notice.status == "pending" {
                tx.execute(
                    "UPDATE payments SET status = 'pending', updated_at = ?1
                     WHERE order_id = ?2 AND status = 'created'",
                    params![now, notice.order_id],
                )?;
            }
            tx.commit()?;
            Ok(NoticeOutcome::Unchanged)
        }
        other => refuse(tx, format!("unknown status {other}")),
    }
}

/// Applications that are paid but have no visa yet (after a crash between payment and issuance).
pub fn paid_unissued(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT a.id FROM applications a WHERE a.status = 'paid'
         AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id)",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Signs the visa of a paid application, once: in one immediate transaction the application
/// must be `paid`, have a paid payment of the order's amount and no visa, and still coincide with
/// its invitation; the visa, the signature record and the status change commit together.
pub fn issue(
    conn: &mut Connection,
    application_id: &str,
    signer: &dyn crate::issuance::Signer,
    now: time::OffsetDateTime,
) -> Result<IssueOutcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row: Option<(String, String, String, String, String)> = tx
        .query_row(
            &format!("{APPLICATION_SELECT} WHERE a.id = ?1"),
            [application_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, status, data, created_at, number)) = row else {
        return Ok(IssueOutcome::Refused("no such application".to_owned()));
    };
    let has_visa: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM visas WHERE application_id = ?1)",
        [&id],
        |r| r.get(0),
    )?;
    if has_visa {
        return Ok(IssueOutcome::AlreadyIssued);
    }
    let paid: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM payments WHERE application_id = ?1 AND status = 'paid')",
        [&id],
        |r| r.get(0),
    )?;
    if status != "paid" || !paid {
        return Ok(IssueOutcome::Refused(format!(
            "the application is {status}, not paid"
        )));
    }
    let app = application_from(&tx, (id.clone(), status, data, created_at, number))?;
    let today = shared::kazakhstan_date(now);
    let mut problems = app
        .applicant
        .check_invitation(&app.invitation, false, today);
    // An invitation that ended after payment still gets its visa refused below by the dates.
    problems.remove("invitation_number");
    if !problems.is_empty() {
        let reason =
            format!("the application no longer coincides with its invitation: {problems:?}");
        tracing::error!(application = %id, reason, "issuance refused");
        return Ok(IssueOutcome::Refused(reason));
    }
    let count: i64 = tx.query_row("SELECT COUNT(*) FROM visas", [], |r| r.get(0))?;
    let visa_number = format!("KZ{:07}", count + 1);
    let visa = match crate::issuance::visa_for(&app, &visa_number, now) {
        Ok(visa) => visa,
        Err(error) => {
            let reason = format!("the visa cannot be made: {error}");
            tracing::error!(application = %id, reason, "issuance refused");
            return Ok(IssueOutcome::Refused(reason));
        }
    };
    let (token, kid) = match signer.sign(&visa) {
        Ok(signed) => signed,
        Err(error) => {
            let reason = format!("no key could sign: {error:#}");
            tracing::error!(application = %id, reason, "issuance refused");
            return Ok(IssueOutcome::Refused(reason));
        }
    };
    let kid = kid.to_string();
    let signed_at = crate::now_rfc3339();
    let json = serde_json::to_string(&visa.to_draft())?;
    tx.execute(
        "INSERT INTO visas (number, application_id, visa, token, kid, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![visa_number, id, json, token, kid, signed_at],
    )?;
    tx.execute(
        "INSERT INTO signatures (visa_number, application_id, kid, signed_at) VALUES (?1, ?2, ?3, ?4)",
        params![visa_number, id, kid, signed_at],
    )?;
    let changed = tx.execute(
        "UPDATE applications SET status = 'issued', updated_at = ?1 WHERE id = ?2 AND status = 'paid'",
        params![signed_at, id],
    )?;
    if changed != 1 {
        bail!("application {id} changed while its visa was issued");
    }
    tx.commit()?;
    tracing::info!(visa = %visa_number, kid = %kid, "a visa was signed");
    Ok(IssueOutcome::Issued(visa_number))
}

/// The visa of an application, only for its owner.
pub fn visa_of(
    conn: &Connection,
    application_id: &str,
    user_id: i64,
) -> Result<Option<IssuedVisa>> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT v.number, v.visa, v.token FROM visas v JOIN applications a ON a.id = v.application_id
             WHERE v.application_id = ?1 AND a.user_id = ?2",
            params![application_id, user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(number, json, token)| {
        let draft: shared::VisaDraft = serde_json::from_str(&json)?;
        let visa = draft
            .into_visa()
            .map_err(|e| anyhow!("stored visa {number}: {e}"))?;
        Ok(IssuedVisa {
            number,
            visa,
            token,
        })
    })
    .transpose()
}

/// The number of the visa issued for an application, if any.
pub fn visa_number_of(conn: &Connection, application_id: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT number FROM visas WHERE application_id = ?1",
        [application_id],
        |r| r.get(0),
    )
    .optional()
    .map_err(Into::into)
}

/// How many visas and signature records there are (for tests and the operator).
pub fn visa_counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok((
        conn.query_row("SELECT COUNT(*) FROM visas", [], |r| r.get(0))?,
        conn.query_row("SELECT COUNT(*) FROM signatures", [], |r| r.get(0))?,
    ))
}
