//! The PostgreSQL side of [`super::Db`]: a pool of blocking clients (r2d2), every write a
//! serializable transaction on a pooled connection, run again when the server aborts it as a
//! serialization failure or a deadlock (so concurrent instances never need timing to agree), and
//! reads in a read-only snapshot. Group commit is not needed: the server commits concurrent
//! transactions in parallel.
//!
//! The `postgres` client drives its connection on a runtime of its own, so everything here runs
//! on threads outside the async runtime (the database handle moves it to blocking threads).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use postgres::{Client, Config, IsolationLevel, NoTls};
use rand_core::RngCore;

use super::conn::{Connection, Statements, is_retryable};

/// Connections an instance keeps open unless told otherwise (`--database-pool`). More
/// connections than the server has cores to run them only queue inside the server: on this
/// project's 2-core test machine 4 or 8 connections gave more visas per second and a third of
/// the callback's p99 of 24 (docs/performance.md). The sum over all instances should stay well
/// under the server's `max_connections` (100 by default).
pub const DEFAULT_POOL_SIZE: u32 = 8;
/// How often a transaction the server aborted (40001, 40P01) is run again before giving up.
const MAX_ATTEMPTS: u32 = 20;

/// The first pause between two runs of an aborted transaction, in microseconds.
const BACKOFF_START_US: u64 = 1_000;
/// The longest pause between two runs, in microseconds.
const BACKOFF_CAP_US: u64 = 50_000;

/// PostgreSQL aborted a transaction as a serialization failure or a deadlock
/// [`MAX_ATTEMPTS`] times in a row: the write did not happen. The caller answers 500 (a
/// gateway's callback is sent again later) and logs it with the SQLSTATE.
#[derive(Debug, thiserror::Error)]
#[error("the database aborted a transaction {attempts} times (SQLSTATE {sqlstate}): {last}")]
pub struct RetriesExhausted {
    /// How many times it ran.
    pub attempts: u32,
    /// The SQLSTATE of the last abort: 40001 (serialization failure) or 40P01 (deadlock).
    pub sqlstate: String,
    /// The last abort's message.
    last: String,
}

/// The database is unreachable (no connection could be had from the pool): the caller answers
/// 503 and the payment gateway sends its callback again later.
#[derive(Debug, thiserror::Error)]
#[error("the database is unreachable")]
pub struct Unavailable;

/// How long a job waits for a connection before the database counts as unreachable.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool of connections to one PostgreSQL database.
pub struct PgPool {
    /// Always `Some` but while dropped.
    pool: Option<r2d2::Pool<Manager>>,
    /// One permit per connection: a job takes one before it takes a blocking thread, so
    /// requests beyond the pool's size wait as tasks, not as threads parked on the pool.
    slots: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Drop for PgPool {
    /// The blocking client closes its connection on a runtime of its own, which cannot run
    /// inside the async runtime: a pool dropped there is dropped on a thread of its own.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let _ = std::thread::Builder::new()
                .name("db-pool-close".to_owned())
                .spawn(move || drop(pool));
        }
    }
}

impl std::fmt::Debug for PgPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgPool").finish_non_exhaustive()
    }
}

/// One pooled connection: the client and the statements prepared on it, which live and die
/// with it.
struct PgClient {
    client: Client,
    statements: std::cell::RefCell<Statements>,
    /// When it last went back to the pool.
    returned: Instant,
}

/// A connection back in the pool for less than this is handed out again without a test: under
/// load every connection comes back within milliseconds, and testing each one cost a round trip
/// per transaction. One idle for longer (when a server restart or a failover may have closed it
/// unseen) is tested first, so the request after a quiet spell never meets a dead connection.
const TRUSTED_IDLE: Duration = Duration::from_secs(1);

/// Opens the pool's connections and tests the ones idle long enough to have been closed.
struct Manager(Config);

impl r2d2::ManageConnection for Manager {
    type Connection = PgClient;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgClient, postgres::Error> {
        Ok(PgClient {
            client: self.0.connect(NoTls)?,
            statements: std::cell::RefCell::default(),
            returned: Instant::now(),
        })
    }

    fn is_valid(&self, conn: &mut PgClient) -> Result<(), postgres::Error> {
        if conn.returned.elapsed() < TRUSTED_IDLE {
            return Ok(());
        }
        conn.client.simple_query("").map(|_| ())
    }

    /// Asked of every connection coming back: one whose socket closed is dropped.
    fn has_broken(&self, conn: &mut PgClient) -> bool {
        conn.returned = Instant::now();
        conn.client.is_closed()
    }
}

impl PgPool {
    /// Connects to `url` (`postgres://user@host:port/db`) with at most `size` connections and
    /// brings the schema up to date.
    pub fn connect(url: &str, size: u32) -> Result<Self> {
        Self::with_config(parse(url)?, size)
    }

    /// A new, empty database on the server `url` names (for tests): created with a fresh name,
    /// then connected to and migrated.
    pub fn fresh(url: &str) -> Result<Self> {
        let mut config = parse(url)?;
        let name = format!("test_{}", crate::ids::random_id().to_lowercase());
        let mut admin = config
            .connect(NoTls)
            .context("connecting to the test server")?;
        admin.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
        config.dbname(&name);
        Self::with_config(config, DEFAULT_POOL_SIZE)
    }

    fn with_config(config: Config, size: u32) -> Result<Self> {
        let size = size.max(1);
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(CONNECTION_TIMEOUT)
            .build_unchecked(Manager(config));
        let this = Self {
            pool: Some(pool),
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(usize::try_from(size)?)),
        };
        let mut conn = this.get()?;
        super::migrate_pg(&mut conn.client)?;
        Ok(this)
    }

    /// Waits (as a task) until one of the pool's connections is free, at most as long as the
    /// pool waits for one; [`Unavailable`] after that.
    pub async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        match tokio::time::timeout(CONNECTION_TIMEOUT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(anyhow!("the database pool is closed")),
            Err(_) => Err(anyhow::Error::new(Unavailable)
                .context("no database connection was free within the timeout")),
        }
    }

    fn get(&self) -> Result<r2d2::PooledConnection<Manager>> {
        self.pool
            .as_ref()
            .ok_or_else(|| anyhow!("the database pool is closed"))?
            .get()
            .map_err(|e| anyhow::Error::new(Unavailable).context(e.to_string()))
    }

    /// Runs `f` in one serializable transaction and commits it; runs it again (from the
    /// start, in a new transaction) when the server aborts it as a serialization failure or a
    /// deadlock.
    pub fn transaction<T>(&self, mut f: impl FnMut(&Connection) -> Result<T>) -> Result<T> {
        self.retrying(
            |PgClient {
                 client, statements, ..
             }| {
                let tx = client
                    .build_transaction()
                    .isolation_level(IsolationLevel::Serializable)
                    .start()?;
                let conn = Connection::PgTx(std::cell::RefCell::new(tx), statements);
                let value = f(&conn)?;
                conn.commit()?;
                Ok(value)
            },
        )
    }

    /// Runs `f` on a client in autocommit mode (it may open its own transactions), again when
    /// a transaction it ran was aborted as a serialization failure or a deadlock.
    pub fn client<T>(&self, mut f: impl FnMut(&mut Connection) -> Result<T>) -> Result<T> {
        self.retrying(
            |PgClient {
                 client, statements, ..
             }| {
                let mut conn = Connection::Pg(std::cell::RefCell::new(client), statements);
                f(&mut conn)
            },
        )
    }

    /// Runs `f` in a read-only snapshot (repeatable read: every query of `f` sees the same
    /// committed state; a read-only transaction is never aborted for serialization).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut pooled = self.get()?;
        let PgClient {
            client, statements, ..
        } = &mut *pooled;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let conn = Connection::PgTx(std::cell::RefCell::new(tx), statements);
        let value = f(&conn)?;
        conn.commit()?;
        Ok(value)
    }

    /// Runs `f`, which runs one statement, outside a transaction: the statement is its own
    /// snapshot, and the look-up costs one round trip instead of three (begin, statement,
    /// commit). An `f` that ran more than one statement gets an error instead of its answer (its
    /// statements would not have seen one snapshot): it must use [`PgPool::read`].
    pub fn read_one<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut pooled = self.get()?;
        let PgClient {
            client, statements, ..
        } = &mut *pooled;
        statements.borrow_mut().count_from_zero();
        let conn = Connection::Pg(std::cell::RefCell::new(client), statements);
        let value = f(&conn)?;
        match statements.borrow().handed_out() {
            0 | 1 => Ok(value),
            n => Err(anyhow!("a one-statement read ran {n} statements")),
        }
    }

    fn retrying<T>(&self, mut run: impl FnMut(&mut PgClient) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut client = self.get()?;
            match run(&mut client) {
                Err(error) if is_retryable(&error) && attempt < MAX_ATTEMPTS => {
                    // The connection goes back to the pool while this one waits.
                    drop(client);
                    std::thread::sleep(backoff(attempt, rand_core::OsRng.next_u64()));
                }
                Err(error) if is_retryable(&error) => {
                    return Err(anyhow::Error::new(RetriesExhausted {
                        attempts: attempt,
                        sqlstate: sqlstate(&error).unwrap_or_default(),
                        last: format!("{error:#}"),
                    }));
                }
                result => return result,
            }
        }
    }
}

/// The pause before running an aborted transaction again, after `attempt` tries: exponential
/// from 1 ms, at most 50 ms, the upper half of it at random (`random` spreads it), so
/// transactions that conflicted do not meet again in step. Correctness never depends on it: the
/// server decides which transaction stands; the pause only spares it a spin of doomed retries.
fn backoff(attempt: u32, random: u64) -> Duration {
    let ceiling = (BACKOFF_START_US << attempt.saturating_sub(1).min(16)).min(BACKOFF_CAP_US);
    let half = ceiling / 2;
    Duration::from_micros(half + random % (half + 1))
}

/// The SQLSTATE of the database error in an error's chain.
fn sqlstate(error: &anyhow::Error) -> Option<String> {
    error.chain().find_map(|cause| {
        cause
            .downcast_ref::<postgres::Error>()
            .and_then(postgres::Error::code)
            .map(|code| code.code().to_owned())
    })
}

fn parse(url: &str) -> Result<Config> {
    url.parse()
        .map_err(|e| anyhow!("the database URL is not a PostgreSQL URL: {e}"))
}

/// Whether an error is the database being unreachable (the answer is then 503, not 500): no
/// connection to be had, a connection that closed, or the server ending its sessions (a
/// shutdown, a crash, a restart: SQLSTATE 57P01–57P03, or a connection exception, class 08).
pub fn is_unavailable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<Unavailable>().is_some()
            || cause.downcast_ref::<std::io::Error>().is_some()
            || cause.downcast_ref::<postgres::Error>().is_some_and(|e| {
                e.is_closed()
                    || e.code().is_some_and(|code| {
                        let code = code.code();
                        code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
                    })
            })
    })
}

/// The [`RetriesExhausted`] in an error's chain, if the write gave up after too many aborts.
pub fn retries_exhausted(error: &anyhow::Error) -> Option<&RetriesExhausted> {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<RetriesExhausted>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_between_retries_grows_from_about_1_ms_to_at_most_50_ms_and_varies() {
        let ms = |attempt, random| backoff(attempt, random).as_secs_f64() * 1000.0;
        assert!((0.5..=1.0).contains(&ms(1, 0)) && (0.5..=1.0).contains(&ms(1, u64::MAX)));
        assert!((1.0..=2.0).contains(&ms(2, 7)));
        assert!((8.0..=16.0).contains(&ms(5, 12_345)));
        for attempt in [7, 19, 40, u32::MAX] {
            assert!(
                (25.0..=50.0).contains(&ms(attempt, 987_654_321)),
                "{attempt}"
            );
        }
        assert_ne!(backoff(6, 1), backoff(6, 2_000_000), "jitter");
    }
}
