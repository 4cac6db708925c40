//! The store layer: all of the issuer's SQL, as plain functions over a connection or a
//! transaction, one module per part of the schema. Functions take the time as a parameter and
//! never log; they return rows read into domain types or an outcome the caller acts on.
//!
//! Architecture Invariant: nothing here names axum, the web layer, tracing or the clock (the
//! layering test in `tests/issuer/layers.rs` keeps it so).

pub mod account;
pub mod application;
pub mod invitation;
pub mod kiosk;
pub mod outbox;
pub mod payment;
mod schema;
mod sql;
pub mod token;
pub mod trust;
pub mod visa;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, TransactionBehavior};

use crate::domain::problem::Problems;

/// The shared handle: one connection behind a mutex, used from blocking threads.
#[derive(Debug, Clone)]
pub struct Db(Arc<Mutex<Connection>>);

/// What a write guarded by the domain's rules did: stored, or refused (by default with the form
/// problems to show) with nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked<T, R = Problems> {
    /// Stored; carries what was made (an id, a count).
    Stored(T),
    /// Refused by a rule; nothing changed.
    Refused(R),
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
    let known = i64::try_from(schema::MIGRATIONS.len())?;
    if version > known {
        bail!(
            "the database has schema version {version}, newer than this issuer knows ({known}); \
             use a newer issuer"
        );
    }
    for (index, sql) in schema::MIGRATIONS
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
