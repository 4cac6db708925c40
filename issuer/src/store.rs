//! The store layer: all of the issuer's SQL, as plain functions over a connection or a
//! transaction, one module per part of the schema. Functions take the time as a parameter and
//! never log; they return rows read into domain types or an outcome the caller acts on.
//!
//! Architecture Invariant: nothing here names axum, the web layer, tracing or the clock (the
//! layering test in `tests/issuer/layers.rs` keeps it so).

pub mod account;
pub mod application;
pub mod audit;
mod conn;
mod db;
pub mod group;
pub mod invitation;
pub mod inviter;
pub mod issued;
pub mod kiosk;
pub mod office;
pub mod outbox;
pub mod payment;
mod pg;
mod schema;
mod schema_pg;
pub mod screening;
pub mod seed;
mod sql;
pub mod statistics;
#[cfg(test)]
mod tests_pg;
pub mod token;
pub mod trust;
mod value;
pub mod visa;

use anyhow::{Context, Result, bail};

pub(crate) use conn::params;
pub use conn::{
    Backend, Column, Connection, NoRow, OptionalExtension, Param, Params, Row, Statement,
    TransactionBehavior, Value,
};
pub use db::Db;
pub use pg::{DEFAULT_POOL_SIZE, RetriesExhausted, Unavailable, is_unavailable, retries_exhausted};

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

/// Brings the schema to the newest version, refusing a database made by newer code. Foreign keys
/// are off while migrations run (SQLite's way to rebuild a table others refer to, which is how a
/// CHECK constraint changes); each migration checks every reference before it commits, and the
/// caller turns them on afterwards.
pub fn migrate(conn: &mut rusqlite::Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
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
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .with_context(|| format!("schema migration {}", index + 1))?;
        let dangling: i64 =
            tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling != 0 {
            bail!(
                "schema migration {} leaves {dangling} broken references",
                index + 1
            );
        }
        tx.pragma_update(None, "user_version", i64::try_from(index + 1)?)?;
        tx.commit()?;
    }
    Ok(())
}

/// Brings a PostgreSQL database's schema to the newest version, refusing one made by newer
/// code. Instances starting together take turns: an advisory lock held by the migrating
/// transaction makes the others wait, then find the schema current.
pub fn migrate_pg(client: &mut postgres::Client) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.batch_execute(
        "SELECT pg_advisory_xact_lock(1601600016);
         CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL);",
    )?;
    let version: i64 = match tx.query_opt("SELECT version FROM schema_version", &[])? {
        Some(row) => row.try_get(0)?,
        None => {
            tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
            0
        }
    };
    let known = i64::try_from(schema_pg::PG_MIGRATIONS.len())?;
    if version > known {
        bail!(
            "the database has schema version {version}, newer than this issuer knows ({known}); \
             use a newer issuer"
        );
    }
    for (index, sql) in schema_pg::PG_MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version)?)
    {
        tx.batch_execute(sql)
            .with_context(|| format!("PostgreSQL schema migration {}", index + 1))?;
        tx.execute(
            "UPDATE schema_version SET version = $1",
            &[&i64::try_from(index + 1)?],
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, params};

    use super::*;

    /// A database made before the screening migration (which rebuilds `applications`, referred
    /// to by payments and visas) keeps every row and reference, and the new states fit.
    #[test]
    fn the_application_table_rebuild_keeps_rows_and_references_of_an_older_database() -> Result<()>
    {
        let rebuild = schema::MIGRATIONS
            .iter()
            .position(|sql| sql.contains("applications_next"))
            .ok_or_else(|| anyhow::anyhow!("no rebuild migration"))?;
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        for sql in &schema::MIGRATIONS[..rebuild] {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "user_version", i64::try_from(rebuild)?)?;
        let at = "2026-11-30T00:00:00Z";
        conn.execute_batch(&format!(
            "INSERT INTO users VALUES (1, 'a@b.kz', 'A', 'hash', '{at}');
             INSERT INTO inviters (id, kind, tax_id, name, description, user_id, created_at)
                VALUES (1, 'organisation', '180240012342', 'Demo', 'd', NULL, '{at}');
             INSERT INTO invitations VALUES (1, 'INV-1', 1, 'S', NULL, 'P1', 'SWE', '1974-08-12',
                'tourist', 'p', 'c', 's', 'h', '2026-12-01', '2026-12-31', 10, '{at}');
             INSERT INTO applications VALUES ('app1', 1, 1, 'paid', '{{}}', '{at}', '{at}');
             INSERT INTO payments (order_id, application_id, amount_minor, currency, status,
                created_at, updated_at) VALUES ('o1', 'app1', 8000, 'USD', 'paid', '{at}', '{at}');
             INSERT INTO visas VALUES ('KZ0000001', 'app1', '{{}}', 't', 'k', '{at}');"
        ))?;
        migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let status: String = conn.query_row(
            "SELECT status FROM applications WHERE id = 'app1'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(status, "paid");
        let dangling: i64 =
            conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        assert_eq!(dangling, 0);
        conn.execute(
            "UPDATE applications SET status = 'under_review' WHERE id = ?1",
            params!["app1"],
        )?;
        assert!(
            conn.execute("DELETE FROM applications WHERE id = 'app1'", [])
                .is_err(),
            "the payment and the visa still refer to the rebuilt table"
        );
        assert!(
            conn.execute(
                "UPDATE applications SET status = 'approved' WHERE id = 'app1'",
                []
            )
            .is_err(),
            "the CHECK still lists the states"
        );
        let state: String = conn.query_row("SELECT state FROM inviters", [], |r| r.get(0))?;
        assert_eq!(state, "pending", "an existing party waits for an officer");
        Ok(())
    }
}
