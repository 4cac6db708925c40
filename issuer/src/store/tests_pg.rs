//! The two engines' schemas agree: every table and column the SQLite migrations build exists on
//! PostgreSQL after its migrations, and nothing more (bar PostgreSQL's own `schema_version`), and
//! the same named indexes exist. Runs where the store's tests run on PostgreSQL (`scripts/test`
//! sets `ISSUER_TEST_DATABASE_URL`); without a server it has nothing to compare with.

use std::collections::BTreeSet;

use anyhow::Result;

use super::{Backend, Db};

/// `table.column` for every column of every table of the SQLite schema.
fn sqlite_columns() -> Result<BTreeSet<String>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    super::migrate(&mut conn)?;
    let mut stmt = conn.prepare(
        "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The SQLite schema's own indexes (not those SQLite makes for UNIQUE and PRIMARY KEY).
fn sqlite_indexes() -> Result<BTreeSet<String>> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    super::migrate(&mut conn)?;
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn postgres(sql: &'static str) -> Result<Option<BTreeSet<String>>> {
    let db = Db::in_memory()?;
    if db.backend() != Backend::Postgres {
        eprintln!("ISSUER_TEST_DATABASE_URL is not set: no PostgreSQL schema to compare");
        return Ok(None);
    }
    let names = db.with(|conn| {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<Vec<_>>>()
    })?;
    Ok(Some(names.into_iter().collect()))
}

#[test]
fn both_engines_have_the_same_tables_and_columns() -> Result<()> {
    let Some(mut pg) = postgres(
        "SELECT table_name || '.' || column_name FROM information_schema.columns
         WHERE table_schema = current_schema()",
    )?
    else {
        return Ok(());
    };
    pg.remove("schema_version.version");
    let lite = sqlite_columns()?;
    // SQLite gives every ordinary table an implicit `rowid`; PostgreSQL spells it out where the
    // store orders by it (`applications`, `payments`).
    pg.retain(|column| match column.strip_suffix(".rowid") {
        Some(table) => !lite.iter().any(|c| c.starts_with(&format!("{table}."))),
        None => true,
    });
    assert_same(&lite, &pg);
    Ok(())
}

#[test]
fn both_engines_have_the_same_named_indexes() -> Result<()> {
    // PostgreSQL names the indexes behind PRIMARY KEY and UNIQUE `<table>_pkey`/`<table>_<col>_key`:
    // those are SQLite's automatic indexes, which the SQLite side leaves out too.
    let Some(pg) = postgres(
        "SELECT i.indexname FROM pg_indexes i
         WHERE i.schemaname = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )?
    else {
        return Ok(());
    };
    let lite = sqlite_indexes()?;
    assert_same(&lite, &pg);
    Ok(())
}

/// Fails with what each engine has that the other lacks.
fn assert_same(lite: &BTreeSet<String>, pg: &BTreeSet<String>) {
    let only_lite: Vec<_> = lite.difference(pg).collect();
    let only_pg: Vec<_> = pg.difference(lite).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "only on SQLite: {only_lite:?}; only on PostgreSQL: {only_pg:?}"
    );
}
