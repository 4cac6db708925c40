//! The store layer: all of the issuer's SQL, as plain functions over a connection or a
//! transaction, one module per part of the schema. Functions take the time as a parameter and
//! never log; they return rows read into domain types or an outcome the caller acts on.
//!
//! Architecture Invariant: nothing here names axum, the web layer, tracing or the clock (the
//! layering test in `tests/issuer/layers.rs` keeps it so).

pub mod account;
pub mod application;
mod db;
pub mod invitation;
pub mod kiosk;
pub mod payment;
mod schema;
pub mod seed;
mod sql;
pub mod trust;
pub mod visa;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, TransactionBehavior};

pub use db::Db;

use crate::domain::problem::Problems;

/// What a write guarded by the domain's rules did: stored, or refused (by default with the form
/// problems to show) with nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked<T, R = Problems> {
    /// Stored; carries what was made (an id, a count).
    Stored(T),
    /// Refused by a rule; nothing changed.
    Refused(R),
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
