//! Where payments live: SQLite, in a file (WAL, full synchronous commits) or in memory. Every
//! state change is a read-modify-write inside one `BEGIN IMMEDIATE` transaction under the
//! connection's mutex, so two requests never both submit or settle one payment, and a gateway
//! restarted on the same file still knows every payment and its receipt.
//!
//! All SQL of the crate is in this file.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use time::OffsetDateTime;

use epay_contract::{Lang, PaymentStatus};

use crate::payment::{DeclineReason, Operator, Outcome, Payment};

/// The schema version this code writes; a newer database is refused.
const SCHEMA_VERSION: i64 = 2;

/// All payments.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

/// What [`Store::create`] did.
#[derive(Debug)]
pub enum Created {
    /// A new payment.
    New(Payment),
    /// The order id was known and the details match: the existing payment.
    Existing(Payment),
    /// The order id was known with other details.
    Conflict,
}

/// A database failure (logged where it happens).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite refused.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The database was written by a newer version of the sandbox.
    #[error("the database has schema version {0}, newer than this program's {SCHEMA_VERSION}")]
    TooNew(i64),
    /// A stored value this code cannot read.
    #[error("a stored payment has an unreadable {0}")]
    Corrupt(&'static str),
}

impl Store {
    /// A store that forgets everything when dropped.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    /// A store in the SQLite file at `path`, created if missing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::init(conn)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew(version));
        }
        if version < 1 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS payment (
                     id TEXT PRIMARY KEY,
                     order_id TEXT NOT NULL UNIQUE,
                     amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
                     currency TEXT NOT NULL,
                     description TEXT NOT NULL,
                     payer TEXT NOT NULL,
                     return_url TEXT NOT NULL,
                     callback_url TEXT NOT NULL,
                     status TEXT NOT NULL
                         CHECK (status IN ('created', 'pending', 'paid', 'declined')),
                     method TEXT,
                     payer_hint TEXT,
                     operator TEXT,
                     decline_reason TEXT,
                     created_at INTEGER NOT NULL,
                     submitted_at INTEGER,
                     settles_at INTEGER,
                     outcome TEXT,
                     callback_due INTEGER NOT NULL DEFAULT 0,
                     paid_at INTEGER,
                     receipt_number TEXT UNIQUE
                 );
                 CREATE TABLE IF NOT EXISTS counter (
                     name TEXT PRIMARY KEY,
                     value INTEGER NOT NULL
                 );
                 INSERT OR IGNORE INTO counter (name, value) VALUES ('receipt', 0);
                 PRAGMA user_version = 1;
                 COMMIT;",
            )?;
        }
        if version < 2 {
            // The language the merchant asked the pages to open in (`kk`, `ru`, `en`).
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE payment ADD COLUMN lang TEXT;
                 PRAGMA user_version = 2;
                 COMMIT;",
            )?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Creates the payment, or returns the one with the same order id.
    pub fn create(&self, payment: Payment) -> Result<Created, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM payment WHERE order_id = ?1"),
                [&payment.order_id],
                from_row,
            )
            .optional()?
            .transpose()?;
        let created = match existing {
            Some(existing) => {
                let same = existing.amount_minor == payment.amount_minor
                    && existing.currency == payment.currency
                    && existing.callback_url == payment.callback_url
                    && existing.return_url == payment.return_url;
                if same {
                    Created::Existing(existing)
                } else {
                    Created::Conflict
                }
            }
            None => {
                tx.execute(
                    "INSERT INTO payment (id, order_id, amount_minor, currency, description, payer,
                         return_url, callback_url, status, created_at, callback_due, lang)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11)",
                    params![
                        payment.id,
                        payment.order_id,
                        payment.amount_minor,
                        payment.currency,
                        payment.description,
                        payment.payer,
                        payment.return_url,
                        payment.callback_url,
                        payment.status,
                        millis(payment.created_at),
                        payment.lang.map(Lang::code),
                    ],
                )?;
                Created::New(payment)
            }
        };
        tx.commit()?;
        Ok(created)
    }

    /// The payment with this id, settled first if its pending time is over.
    pub fn get(&self, id: &str, now: OffsetDateTime) -> Result<Option<Payment>, StoreError> {
        let settled = self.update(id, |payment, receipts| {
            if payment.status == PaymentStatus::Pending
                && payment.settles_at.is_some_and(|at| at <= now)
            {
                settle(payment, receipts);
            }
            payment.clone()
        })?;
        Ok(settled)
    }

    /// Applies `change` to the payment in one immediate transaction and returns its result, or
    /// `None` if there is no such payment. The `u64` is the receipt counter.
    pub fn update<T>(
        &self,
        id: &str,
        change: impl FnOnce(&mut Payment, &mut u64) -> T,
    ) -> Result<Option<T>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(mut payment) = tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM payment WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?
            .transpose()?
        else {
            return Ok(None);
        };
        let before = payment.clone();
        let counter: i64 = tx.query_row(
            "SELECT value FROM counter WHERE name = 'receipt'",
            [],
            |r| r.get(0),
        )?;
        let mut receipts = u64::try_from(counter).map_err(|_| StoreError::Corrupt("counter"))?;
        let result = change(&mut payment, &mut receipts);
        if !same_state(&before, &payment) {
            save(&tx, &payment)?;
        }
        if i64::try_from(receipts).ok() != Some(counter) {
            tx.execute(
                "UPDATE counter SET value = ?1 WHERE name = 'receipt'",
                [i64::try_from(receipts).map_err(|_| StoreError::Corrupt("counter"))?],
            )?;
        }
        tx.commit()?;
        Ok(Some(result))
    }

    /// The ids of submitted payments whose callbacks are still to be sent (after a restart).
    pub fn callbacks_due(&self) -> Result<Vec<(String, Option<OffsetDateTime>)>, StoreError> {
        let conn = self.lock();
        let mut statement =
            conn.prepare("SELECT id, settles_at FROM payment WHERE callback_due = 1")?;
        let rows = statement.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (id, at) = row?;
            due.push((id, at.and_then(from_millis)));
        }
        Ok(due)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half-applied (SQLite rolls
        // an unfinished one back), so the connection is still good to use.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Makes a pending payment final according to the outcome decided when it was submitted.
/// Returns whether it changed.
pub fn settle(payment: &mut Payment, receipts: &mut u64) -> bool {
    if payment.status != PaymentStatus::Pending {
        return false;
    }
    let at = payment.settles_at.unwrap_or_else(OffsetDateTime::now_utc);
    match payment.outcome {
        Some(Outcome::Declined(reason)) => {
            payment.status = PaymentStatus::Declined;
            payment.decline_reason = Some(reason);
        }
        _ => {
            *receipts += 1;
            payment.status = PaymentStatus::Paid;
            payment.paid_at = Some(at);
            payment.receipt_number = Some(format!("EP-{}-{:06}", at.year(), *receipts));
        }
    }
    true
}

const COLUMNS: &str = "id, order_id, amount_minor, currency, description, payer, return_url, \
     callback_url, status, method, payer_hint, operator, decline_reason, created_at, \
     submitted_at, settles_at, outcome, callback_due, paid_at, receipt_number, lang";

fn same_state(a: &Payment, b: &Payment) -> bool {
    a.status == b.status
        && a.method == b.method
        && a.payer_hint == b.payer_hint
        && a.operator == b.operator
        && a.decline_reason == b.decline_reason
        && a.submitted_at == b.submitted_at
        && a.settles_at == b.settles_at
        && a.outcome == b.outcome
        && a.callback_due == b.callback_due
        && a.paid_at == b.paid_at
        && a.receipt_number == b.receipt_number
}

fn save(tx: &rusqlite::Transaction<'_>, p: &Payment) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE payment SET status = ?2, method = ?3, payer_hint = ?4, operator = ?5,
             decline_reason = ?6, submitted_at = ?7, settles_at = ?8, outcome = ?9,
             callback_due = ?10, paid_at = ?11, receipt_number = ?12
         WHERE id = ?1",
        params![
            p.id,
            p.status,
            p.method,
            p.payer_hint,
            p.operator.map(Operator::name),
            p.decline_reason.map(DeclineReason::code),
            p.submitted_at.map(millis),
            p.settles_at.map(millis),
            p.outcome.map(Outcome::code),
            p.callback_due,
            p.paid_at.map(millis),
            p.receipt_number,
        ],
    )?;
    Ok(())
}

/// Reads a row; the inner result says whether its values make sense.
fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<Payment, StoreError>> {
    let text = |i: usize| r.get::<_, Option<String>>(i);
    let time = |i: usize| -> rusqlite::Result<Option<OffsetDateTime>> {
        Ok(r.get::<_, Option<i64>>(i)?.and_then(from_millis))
    };
    let operator = text(11)?;
    let decline = text(12)?;
    let outcome = text(16)?;
    let lang = text(20)?;
    let parsed = (|| {
        Ok(Payment {
            id: r.get(0)?,
            order_id: r.get(1)?,
            amount_minor: r.get(2)?,
            currency: r.get(3)?,
            description: r.get(4)?,
            payer: r.get(5)?,
            return_url: r.get(6)?,
            callback_url: r.get(7)?,
            status: r.get(8)?,
            method: r.get(9)?,
            payer_hint: text(10)?,
            operator: opt(operator.as_deref(), Operator::from_name, "operator")?,
            decline_reason: opt(
                decline.as_deref(),
                DeclineReason::from_code,
                "decline reason",
            )?,
            created_at: time(13)?.ok_or(StoreError::Corrupt("created_at"))?,
            submitted_at: time(14)?,
            settles_at: time(15)?,
            outcome: opt(outcome.as_deref(), Outcome::from_code, "outcome")?,
            callback_due: r.get(17)?,
            paid_at: time(18)?,
            receipt_number: text(19)?,
            lang: opt(lang.as_deref(), |code| code.parse().ok(), "lang")?,
        })
    })();
    match parsed {
        Ok(payment) => Ok(Ok(payment)),
        Err(StoreError::Sql(error)) => Err(error),
        Err(other) => Ok(Err(other)),
    }
}

fn opt<T>(
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<Option<T>, StoreError> {
    value
        .map(|v| parse(v).ok_or(StoreError::Corrupt(what)))
        .transpose()
}

fn millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use epay_contract::PaymentMethod;

    use super::*;

    fn payment(id: &str, order: &str) -> Payment {
        Payment {
            id: id.into(),
            order_id: order.into(),
            amount_minor: 8000,
            currency: "USD".into(),
            description: "duty".into(),
            payer: "ANNA".into(),
            return_url: "http://r".into(),
            callback_url: "http://c".into(),
            status: PaymentStatus::Created,
            method: None,
            payer_hint: None,
            operator: None,
            decline_reason: None,
            created_at: OffsetDateTime::from_unix_timestamp(1_795_000_000).expect("time"),
            submitted_at: None,
            settles_at: None,
            outcome: None,
            callback_due: false,
            paid_at: None,
            receipt_number: None,
            lang: Some(Lang::Ru),
        }
    }

    #[test]
    fn a_payment_survives_a_restart_with_its_receipt_and_pending_callback() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("epay.sqlite");
        {
            let store = Store::open(&path).expect("open");
            assert!(matches!(
                store.create(payment("p1", "o1")),
                Ok(Created::New(_))
            ));
            let at = OffsetDateTime::from_unix_timestamp(1_795_000_100).expect("time");
            store
                .update("p1", |p, _| {
                    p.status = PaymentStatus::Pending;
                    p.method = Some(PaymentMethod::Mobile);
                    p.operator = Some(Operator::Kcell);
                    p.payer_hint = Some("+7 701 *** **01".into());
                    p.outcome = Some(Outcome::PaidWithDuplicateCallbacks);
                    p.settles_at = Some(at);
                    p.callback_due = true;
                })
                .expect("update");
            let paid = store.get("p1", at).expect("get").expect("found");
            assert_eq!(paid.status, PaymentStatus::Paid);
            assert_eq!(paid.receipt_number.as_deref(), Some("EP-2026-000001"));
        }
        let store = Store::open(&path).expect("reopen");
        let again = store
            .get("p1", OffsetDateTime::now_utc())
            .expect("get")
            .expect("found");
        assert_eq!(again.status, PaymentStatus::Paid);
        assert_eq!(again.operator, Some(Operator::Kcell));
        assert_eq!(again.outcome, Some(Outcome::PaidWithDuplicateCallbacks));
        assert_eq!(again.receipt_number.as_deref(), Some("EP-2026-000001"));
        assert_eq!(again.lang, Some(Lang::Ru));
        assert_eq!(store.callbacks_due().expect("due").len(), 1);
        assert!(
            matches!(store.create(payment("p2", "o1")), Ok(Created::Existing(p)) if p.id == "p1")
        );
        let mut other = payment("p3", "o1");
        other.amount_minor = 1;
        assert!(matches!(store.create(other), Ok(Created::Conflict)));
    }

    #[test]
    fn a_first_version_database_gains_the_language_and_keeps_its_payments() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("epay.sqlite");
        {
            let store = Store::open(&path).expect("open");
            let mut old = payment("p1", "o1");
            old.lang = None;
            assert!(matches!(store.create(old), Ok(Created::New(_))));
        }
        {
            // What a database written before the language existed looks like.
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch("ALTER TABLE payment DROP COLUMN lang; PRAGMA user_version = 1;")
                .expect("downgrade");
        }
        let store = Store::open(&path).expect("reopen");
        let now = OffsetDateTime::now_utc();
        let old = store.get("p1", now).expect("get").expect("found");
        assert_eq!((old.order_id.as_str(), old.lang), ("o1", None));
        assert!(matches!(
            store.create(payment("p2", "o2")),
            Ok(Created::New(_))
        ));
        let new = store.get("p2", now).expect("get").expect("found");
        assert_eq!(new.lang, Some(Lang::Ru));
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("pragma");
        assert!(matches!(Store::init(conn), Err(StoreError::TooNew(99))));
    }
}
