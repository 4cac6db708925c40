//! The one connection type the store and the services use, whichever database is behind it:
//! SQLite (the embedded default, through rusqlite) or PostgreSQL (several instances, through the
//! blocking `postgres` client). The store writes its SQL once, in the dialect both understand
//! (`?1` placeholders, `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, integers for booleans,
//! times as RFC 3339 text); for PostgreSQL the placeholders become `$1`. Values cross as
//! [`Value`]s, so a Rust `i64` binds to a `BIGINT` or an `INTEGER`, a `bool` to an integer, and a
//! row reads back the same whatever the engine's column type.
//!
//! The calls mirror rusqlite's (`prepare_cached`, `query_row`, `optional`, `params!`), so store
//! functions read as before and take `&Connection`.

use std::cell::RefCell;
use std::collections::HashMap;

use anyhow::{Context, Result, anyhow, bail};
use postgres::types::ToSql;

use super::value::{LiteParam, lite_value, pg_params, pg_value, refs};

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How a transaction begins. On SQLite `Immediate` takes the write lock at once; on PostgreSQL
/// every transaction that may write is `SERIALIZABLE` (the database's caller retries one that
/// the server aborts as a serialization failure or a deadlock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionBehavior {
    /// Takes locks as statements need them.
    Deferred,
    /// Takes the write lock first (SQLite); serializable (PostgreSQL).
    Immediate,
}

/// A connection, or a transaction on one, to either engine.
pub enum Connection<'c> {
    /// A borrowed SQLite connection (a group commit's savepoint, a reader's read transaction).
    Lite(&'c rusqlite::Connection),
    /// An SQLite connection its holder may open transactions on.
    LiteOwned(&'c mut rusqlite::Connection),
    /// An SQLite transaction, committed by [`Connection::commit`], rolled back if dropped.
    LiteTx(rusqlite::Transaction<'c>),
    /// A PostgreSQL client in autocommit mode, which may open transactions, and the statements
    /// prepared on it.
    Pg(RefCell<&'c mut postgres::Client>, &'c RefCell<Statements>),
    /// A PostgreSQL transaction, committed by [`Connection::commit`], rolled back if dropped,
    /// and the statements prepared on its connection.
    PgTx(RefCell<postgres::Transaction<'c>>, &'c RefCell<Statements>),
}

/// The statements prepared on one PostgreSQL connection, by the store's SQL. A statement the
/// store runs twice is parsed and planned once per connection, and running it is one round trip
/// (bind and execute) instead of two (parse, then bind and execute). Prepared statements belong
/// to the server's session, not to a transaction, so one prepared in a transaction that rolls
/// back stays usable.
#[derive(Default)]
pub struct Statements {
    prepared: HashMap<String, postgres::Statement>,
    /// Statements handed out since [`Statements::count_from_zero`]: how a one-statement read
    /// proves it ran one.
    handed_out: u32,
}

impl std::fmt::Debug for Statements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statements")
            .field("prepared", &self.prepared.len())
            .finish_non_exhaustive()
    }
}

impl Statements {
    /// More than the store has: statements built at run time cannot grow a connection without
    /// bound (past it the cache starts again).
    const MAX: usize = 512;

    /// The statement for the store's `sql`, prepared on `client` the first time.
    fn get(
        &mut self,
        client: &mut dyn PgQuery,
        sql: &str,
    ) -> Result<postgres::Statement, postgres::Error> {
        self.handed_out = self.handed_out.saturating_add(1);
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(&postgres_sql(sql))?;
        if self.prepared.len() >= Self::MAX {
            self.prepared.clear();
        }
        self.prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// Starts counting the statements handed out from zero.
    pub fn count_from_zero(&mut self) {
        self.handed_out = 0;
    }

    /// How many statements were handed out since [`Statements::count_from_zero`].
    pub fn handed_out(&self) -> u32 {
        self.handed_out
    }
}

impl std::fmt::Debug for Connection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Connection").field(&self.backend()).finish()
    }
}

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// SQL NULL.
    Null,
    /// An integer (booleans are 0 and 1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

/// What can be bound to a statement's placeholder.
pub trait Param {
    /// The value to bind.
    fn value(&self) -> Value<'_>;
}

/// What a column can be read into.
pub trait Column: Sized {
    /// Reads the column's value.
    fn column(value: Value<'_>) -> Result<Self>;
}

/// The parameters of one statement: `params![…]`, an array of one type, or `[]`.
pub trait Params {
    /// The values in placeholder order.
    fn values(&self) -> Vec<Value<'_>>;
}

/// A column index.
pub trait RowIndex {
    /// The zero-based index.
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// The error of a query that returned no row where it needed one.
#[derive(Debug, thiserror::Error)]
#[error("the query returned no row")]
pub struct NoRow;

/// `optional()` on a one-row query: no row is `None`, as in rusqlite.
pub trait OptionalExtension<T> {
    /// `Ok(None)` instead of [`NoRow`].
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.downcast_ref::<NoRow>().is_some() => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// Parameters of mixed types, in placeholder order: `params![id, name, now]`.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::Param]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::store::Param),+] as &[&dyn $crate::store::Param]
    };
}

pub(crate) use params;

impl Params for &[&dyn Param] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.value()).collect()
    }
}

impl Params for [&dyn Param; 0] {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)+) => {$(
        impl<T: Param> Params for [T; $n] {
            fn values(&self) -> Vec<Value<'_>> {
                self.iter().map(Param::value).collect()
            }
        }
    )+};
}
array_params!(1 2 3 4 5 6 7 8);

/// One row of a result.
#[derive(Debug)]
pub enum Row<'r> {
    /// From SQLite.
    Lite(&'r rusqlite::Row<'r>),
    /// From PostgreSQL.
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `idx` as a `T`.
    pub fn get<I: RowIndex, T: Column>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        let value = match self {
            Row::Lite(row) => lite_value(row.get_ref(idx)?),
            Row::Pg(row) => pg_value(row, idx)?,
        };
        T::column(value).with_context(|| format!("reading column {idx}"))
    }
}

/// A statement ready to run with parameters (SQLite's is prepared and cached per connection;
/// PostgreSQL's is sent with its parameters).
pub struct Statement<'s, 'c> {
    inner: StatementKind<'s, 'c>,
}

enum StatementKind<'s, 'c> {
    Lite(rusqlite::CachedStatement<'s>),
    Pg {
        conn: &'s Connection<'c>,
        statement: postgres::Statement,
    },
}

impl std::fmt::Debug for Statement<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Statement").finish_non_exhaustive()
    }
}

impl Statement<'_, '_> {
    /// Runs a statement; gives how many rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        let values = params.values();
        match &mut self.inner {
            StatementKind::Lite(stmt) => {
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter().map(LiteParam)))?)
            }
            StatementKind::Pg { conn, statement } => {
                let changed =
                    conn.pg(|client| client.execute(statement, &refs(&pg_params(&values))))?;
                Ok(usize::try_from(changed)?)
            }
        }
    }

    /// The first row through `f`; [`NoRow`] if there is none.
    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(params, f)?.ok_or_else(|| anyhow!(NoRow))
    }

    /// The first row through `f`, or `None` if there is none: what `query_row(..).optional()`
    /// gives, without making an error for "no row". (An `anyhow::Error` captures a backtrace when
    /// `RUST_BACKTRACE` is set, and a look-up that finds nothing is an ordinary answer on a page.)
    pub fn query_opt<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let values = params.values();
        match &mut self.inner {
            StatementKind::Lite(stmt) => {
                let mut rows =
                    stmt.query(rusqlite::params_from_iter(values.iter().map(LiteParam)))?;
                rows.next()?.map(|row| f(&Row::Lite(row))).transpose()
            }
            StatementKind::Pg { conn, statement } => {
                let rows = conn.pg(|client| client.query(statement, &refs(&pg_params(&values))))?;
                rows.first().map(|row| f(&Row::Pg(row))).transpose()
            }
        }
    }

    /// Every row through `f`, read eagerly.
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let values = params.values();
        let mut out = Vec::new();
        match &mut self.inner {
            StatementKind::Lite(stmt) => {
                let mut rows =
                    stmt.query(rusqlite::params_from_iter(values.iter().map(LiteParam)))?;
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::Lite(row)));
                }
            }
            StatementKind::Pg { conn, statement } => {
                let rows = conn.pg(|client| client.query(statement, &refs(&pg_params(&values))))?;
                out.extend(rows.iter().map(|row| f(&Row::Pg(row))));
            }
        }
        Ok(out.into_iter())
    }

    /// Whether the query returns at least one row.
    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        Ok(self.query_opt(params, |_| Ok(()))?.is_some())
    }
}

/// A PostgreSQL client or transaction, whichever the connection holds.
enum PgRef<'a, 'c> {
    Client(std::cell::RefMut<'a, &'c mut postgres::Client>),
    Tx(std::cell::RefMut<'a, postgres::Transaction<'c>>),
}

impl<'c> Connection<'c> {
    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Lite(_) | Self::LiteOwned(_) | Self::LiteTx(_) => Backend::Sqlite,
            Self::Pg(..) | Self::PgTx(..) => Backend::Postgres,
        }
    }

    fn lite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Self::Lite(conn) => Some(conn),
            Self::LiteOwned(conn) => Some(conn),
            Self::LiteTx(tx) => Some(tx),
            Self::Pg(..) | Self::PgTx(..) => None,
        }
    }

    /// Runs `f` on the PostgreSQL client or transaction.
    fn pg<T>(&self, f: impl FnOnce(&mut dyn PgQuery) -> Result<T, postgres::Error>) -> Result<T> {
        let mut handle = match self {
            Self::Pg(cell, _) => PgRef::Client(
                cell.try_borrow_mut()
                    .map_err(|_| anyhow!("a PostgreSQL connection used re-entrantly"))?,
            ),
            Self::PgTx(cell, _) => PgRef::Tx(
                cell.try_borrow_mut()
                    .map_err(|_| anyhow!("a PostgreSQL transaction used re-entrantly"))?,
            ),
            _ => bail!("not a PostgreSQL connection"),
        };
        let result = match &mut handle {
            PgRef::Client(client) => f(&mut ***client),
            PgRef::Tx(tx) => f(&mut **tx),
        };
        Ok(result?)
    }

    /// A statement to run, prepared once per connection and kept.
    pub fn prepare_cached<'s>(&'s self, sql: &str) -> Result<Statement<'s, 'c>> {
        let inner = match self {
            Self::Pg(_, statements) | Self::PgTx(_, statements) => {
                let mut statements = statements
                    .try_borrow_mut()
                    .map_err(|_| anyhow!("a PostgreSQL connection used re-entrantly"))?;
                StatementKind::Pg {
                    conn: self,
                    statement: self.pg(|client| statements.get(client, sql))?,
                }
            }
            Self::Lite(conn) => StatementKind::Lite(conn.prepare_cached(sql)?),
            Self::LiteOwned(conn) => StatementKind::Lite(conn.prepare_cached(sql)?),
            Self::LiteTx(tx) => StatementKind::Lite(tx.prepare_cached(sql)?),
        };
        Ok(Statement { inner })
    }

    /// The same as [`Connection::prepare_cached`] (kept for statements built at run time).
    pub fn prepare<'s>(&'s self, sql: &str) -> Result<Statement<'s, 'c>> {
        self.prepare_cached(sql)
    }

    /// Runs one statement; gives how many rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// The first row of a query through `f`; [`NoRow`] if there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// The first row of a query through `f`, or `None` if there is none.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.prepare_cached(sql)?.query_opt(params, f)
    }

    /// Runs several statements without parameters (schema scripts).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.lite() {
            Some(conn) => Ok(conn.execute_batch(sql)?),
            None => self.pg(|client| client.batch(sql)),
        }
    }

    /// Opens a transaction on a connection its holder owns.
    pub fn transaction_with_behavior(
        &mut self,
        behavior: TransactionBehavior,
    ) -> Result<Connection<'_>> {
        match self {
            Self::LiteOwned(conn) => Ok(Connection::LiteTx(conn.transaction_with_behavior(
                match behavior {
                    TransactionBehavior::Deferred => rusqlite::TransactionBehavior::Deferred,
                    TransactionBehavior::Immediate => rusqlite::TransactionBehavior::Immediate,
                },
            )?)),
            Self::Pg(cell, statements) => {
                let statements: &RefCell<Statements> = statements;
                let client: &mut postgres::Client = cell.get_mut();
                let tx = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::Serializable)
                    .start()?;
                Ok(Connection::PgTx(RefCell::new(tx), statements))
            }
            Self::Lite(_) | Self::LiteTx(_) | Self::PgTx(..) => {
                bail!("a transaction cannot be opened here: one is open already")
            }
        }
    }

    /// Opens a transaction (deferred on SQLite, serializable on PostgreSQL).
    pub fn transaction(&mut self) -> Result<Connection<'_>> {
        self.transaction_with_behavior(TransactionBehavior::Deferred)
    }

    /// Commits a transaction; on a connection that is not one, does nothing.
    pub fn commit(self) -> Result<()> {
        match self {
            Self::LiteTx(tx) => Ok(tx.commit()?),
            Self::PgTx(tx, _) => Ok(tx.into_inner().commit()?),
            Self::Lite(_) | Self::LiteOwned(_) | Self::Pg(..) => Ok(()),
        }
    }

    /// The SQLite connection underneath, for what only SQLite has (pragmas, file maintenance).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        self.lite()
    }

    /// The SQLite connection underneath, when its holder owns it (benchmarks' bulk loads).
    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Self::LiteOwned(conn) => Some(conn),
            _ => None,
        }
    }
}

/// What the store sends to PostgreSQL, on a client or a transaction alike.
trait PgQuery {
    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement, postgres::Error>;
    fn execute(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error>;
    fn query(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, postgres::Error>;
    fn batch(&mut self, sql: &str) -> Result<(), postgres::Error>;
}

impl PgQuery for postgres::Client {
    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement, postgres::Error> {
        postgres::Client::prepare(self, sql)
    }
    fn execute(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        postgres::Client::execute(self, statement, params)
    }
    fn query(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, postgres::Error> {
        postgres::Client::query(self, statement, params)
    }
    fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.batch_execute(sql)
    }
}

impl PgQuery for postgres::Transaction<'_> {
    fn prepare(&mut self, sql: &str) -> Result<postgres::Statement, postgres::Error> {
        postgres::Transaction::prepare(self, sql)
    }
    fn execute(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        postgres::Transaction::execute(self, statement, params)
    }
    fn query(
        &mut self,
        statement: &postgres::Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, postgres::Error> {
        postgres::Transaction::query(self, statement, params)
    }
    fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.batch_execute(sql)
    }
}

/// The store's SQL for PostgreSQL: `?N` placeholders become `$N` (outside quoted text).
pub fn postgres_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

/// Whether an error is PostgreSQL aborting a transaction that may succeed if run again: a
/// serialization failure (40001) or a deadlock (40P01).
pub fn is_retryable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<postgres::Error>()
            .and_then(postgres::Error::code)
            .is_some_and(|code| {
                *code == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                    || *code == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            })
    })
}
