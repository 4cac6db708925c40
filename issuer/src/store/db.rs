//! The database handle: one writer thread that owns the only write connection, and a pool of
//! reader connections for everything that only reads.
//!
//! Why: SQLite lets one writer in at a time and makes each commit durable with an fsync. With one
//! connection behind a lock, every request queued for that lock (reads too) and every issuance
//! paid its own fsync. Now writes go over a channel to one thread, which runs the jobs queued
//! meanwhile in ONE transaction (each in its own savepoint, so a job that fails rolls back only
//! itself) and commits them together: one fsync for the whole group (group commit). A caller is
//! answered only after the COMMIT holding its job returned, with `synchronous = FULL` in WAL mode,
//! so an answered write survives a crash or power loss. Reads run on reader connections in WAL
//! mode, which never wait for the writer and see every commit that was answered.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use rusqlite::OpenFlags;

use super::conn::{Backend, Connection as Conn};
use super::pg::PgPool;

/// SQLite's connection (the writer's and the readers').
type Connection = rusqlite::Connection;

/// At most this many jobs share one commit; a longer queue is committed in several groups so
/// the first callers are not held back by the last.
const MAX_GROUP: usize = 256;
/// Reader connections kept open between reads.
const MAX_IDLE_READERS: usize = 16;
/// Prepared statements kept per connection (`prepare_cached`); the store has fewer queries.
const STATEMENT_CACHE: usize = 128;

/// The shared handle to the issuer's database: clone it freely. Writes go to the writer thread
/// ([`Db::write`] in a group commit, [`Db::call`] and [`Db::with`] alone); reads to the reader
/// pool ([`Db::read`]).
#[derive(Clone)]
pub struct Db(Arc<Engine>);

/// The database behind the handle.
enum Engine {
    /// SQLite in the data directory (or in memory): the writer thread and the readers.
    Lite(Inner),
    /// A PostgreSQL server shared by several instances.
    Pg(Arc<PgPool>),
}

struct Inner {
    /// The write connection: the writer thread holds it while it runs a job or a group, and
    /// [`Db::with`] while it runs on its caller's thread.
    conn: Arc<Mutex<Connection>>,
    jobs: Mutex<Sender<Job>>,
    /// `None` for an in-memory database, which only the writer's connection can see.
    readers: Option<Readers>,
    stats: Arc<Stats>,
}

/// Counts of the writer's group commits.
#[derive(Default)]
struct Stats {
    groups: AtomicU64,
    jobs: AtomicU64,
}

/// A job for the writer thread.
enum Job {
    /// Runs by itself between groups, on the connection in autocommit mode: it may open its own
    /// transactions (what `call` and `with` give).
    Alone(Box<dyn FnOnce(&mut Connection) + Send>),
    /// Runs inside a group's transaction, in its own savepoint.
    Grouped(Box<dyn GroupJob>),
}

/// A job of a group commit: run it, then answer its caller once the group's fate is known.
trait GroupJob: Send {
    /// Runs the job inside its savepoint; `true` if its changes are to be kept.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller: the job's own result if the group committed, else the commit's error.
    fn answer(self: Box<Self>, commit: Result<(), &str>);
}

/// A grouped job and where its answer goes.
struct Pending<T, F> {
    job: Option<F>,
    result: Option<Result<T>>,
    reply: tokio::sync::oneshot::Sender<Result<T>>,
}

impl<T, F> GroupJob for Pending<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> Result<T> + Send + 'static,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let result = match self.job.take() {
            Some(job) => catch_unwind(AssertUnwindSafe(|| job(conn)))
                .unwrap_or_else(|_| Err(anyhow!("a database job panicked"))),
            None => Err(anyhow!("a database job ran twice")),
        };
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn answer(self: Box<Self>, commit: Result<(), &str>) {
        let answer = match (commit, self.result) {
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(anyhow!("a database job was not run")),
            (Err(error), _) => Err(anyhow!("the database did not commit: {error}")),
        };
        // A caller that went away (a cancelled request) needs no answer.
        let _ = self.reply.send(answer);
    }
}

/// Reader connections, opened on demand and kept for the next read.
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database file, brings its schema up to date and starts the
    /// writer thread.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        Self::start(
            conn,
            Some(Readers {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            }),
        )
    }

    /// A private in-memory database, for tests and benchmarks. Reads go to the writer's
    /// connection, the only one that sees it.
    ///
    /// When `ISSUER_TEST_DATABASE_URL` names a PostgreSQL server (`scripts/pg-test-server`), a
    /// new empty database on it instead: that is how the store's and the services' tests run on
    /// both engines (`scripts/test`).
    pub fn in_memory() -> Result<Self> {
        match std::env::var("ISSUER_TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => {
                on_plain_thread(|| Ok(Self(Arc::new(Engine::Pg(Arc::new(PgPool::fresh(&url)?))))))
            }
            _ => Self::start(Connection::open_in_memory()?, None),
        }
    }

    /// Connects to a PostgreSQL database (`postgres://user@host:port/db`) with a pool of at most
    /// `pool_size` connections and brings its schema up to date. Blocks: call it before the
    /// async runtime starts, or on a blocking thread.
    pub fn connect(url: &str, pool_size: u32) -> Result<Self> {
        Ok(Self(Arc::new(Engine::Pg(Arc::new(PgPool::connect(
            url, pool_size,
        )?)))))
    }

    /// The database named by `--database-url` when given (PostgreSQL, with the default pool),
    /// else the SQLite file `issuer.sqlite3` in the data directory.
    pub fn open_configured(url: Option<&str>, data_dir: &Path) -> Result<Self> {
        Self::open_with_pool(url, data_dir, super::pg::DEFAULT_POOL_SIZE)
    }

    /// [`Db::open_configured`] with at most `pool_size` PostgreSQL connections
    /// (`--database-pool`).
    pub fn open_with_pool(url: Option<&str>, data_dir: &Path, pool_size: u32) -> Result<Self> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => on_plain_thread(|| Self::connect(url, pool_size)),
            None => Self::open(&data_dir.join("issuer.sqlite3")),
        }
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match &*self.0 {
            Engine::Lite(_) => Backend::Sqlite,
            Engine::Pg(_) => Backend::Postgres,
        }
    }

    fn lite(&self) -> Option<&Inner> {
        match &*self.0 {
            Engine::Lite(inner) => Some(inner),
            Engine::Pg(_) => None,
        }
    }

    fn start(mut conn: Connection, readers: Option<Readers>) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL with full synchronous commits: a confirmed payment or an issued visa survives a
        // crash or power loss once the transaction that holds it has committed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        keep_plans(&conn)?;
        // Migrations run with foreign keys off (a table rebuild needs it); on for everything else.
        super::migrate(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let conn = Arc::new(Mutex::new(conn));
        let (jobs, queue) = std::sync::mpsc::channel();
        let shared = conn.clone();
        let stats = Arc::new(Stats::default());
        let counts = stats.clone();
        std::thread::Builder::new()
            .name("db-writer".to_owned())
            .spawn(move || writer(&shared, &queue, &counts))
            .context("starting the database writer thread")?;
        Ok(Self(Arc::new(Engine::Lite(Inner {
            conn,
            jobs: Mutex::new(jobs),
            readers,
            stats,
        }))))
    }

    /// Runs `f` in the writer's next group commit: inside one transaction shared with the other
    /// writes queued meanwhile, in a savepoint of its own (an `Err` from `f` rolls back only what
    /// `f` did). Answers once the group's COMMIT is durable. `f` must not begin or end
    /// transactions itself (it gets no `&mut Connection` for that reason); writes that a rule
    /// guards are safe here, as the group holds the write lock from its first statement on.
    ///
    /// On PostgreSQL `f` runs in a serializable transaction of its own on a pooled connection,
    /// again from the start if the server aborts it for a conflict with another instance.
    pub async fn write<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&Conn<'_>) -> Result<T> + Send + 'static,
    {
        match &*self.0 {
            Engine::Lite(_) => self
                .submit(move |conn| f(&Conn::Lite(conn)))?
                .await
                .map_err(|_| anyhow!("the database writer stopped"))?,
            Engine::Pg(pool) => on_pool(pool, move |pool| pool.transaction(f)).await,
        }
    }

    /// Queues `f` for the next group commit now; the answer comes on the returned channel.
    fn submit<T, F>(&self, f: F) -> Result<tokio::sync::oneshot::Receiver<Result<T>>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send_lite(Job::Grouped(Box::new(Pending {
            job: Some(f),
            result: None,
            reply,
        })))?;
        Ok(answer)
    }

    /// How many group commits the writer made, and how many grouped jobs they held (for
    /// benchmarks: their ratio is the mean group size).
    pub fn group_stats(&self) -> (u64, u64) {
        self.lite().map_or((0, 0), |inner| {
            (
                inner.stats.groups.load(Ordering::Relaxed),
                inner.stats.jobs.load(Ordering::Relaxed),
            )
        })
    }

    /// Runs `f` on the writer's connection by itself, outside any group, so it may open its own
    /// transactions. Prefer [`Db::write`] for writes and [`Db::read`] for reads.
    ///
    /// On PostgreSQL `f` runs on a pooled connection, again from the start if a transaction it
    /// opened was aborted for a conflict with another instance.
    pub async fn call<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&mut Conn<'_>) -> Result<T> + Send + 'static,
    {
        if let Engine::Pg(pool) = &*self.0 {
            return on_pool(pool, move |pool| pool.client(f)).await;
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send_lite(Job::Alone(Box::new(move |conn| {
            let result = catch_unwind(AssertUnwindSafe(|| f(&mut Conn::LiteOwned(conn))))
                .unwrap_or_else(|_| Err(anyhow!("a database job panicked")));
            let _ = reply.send(result);
        })))?;
        answer
            .await
            .map_err(|_| anyhow!("the database writer stopped"))?
    }

    /// Asks the database a trivial question through the writer thread: proves the writer runs
    /// and the file answers (a lock held elsewhere makes it wait, then fail). For readiness.
    pub async fn ping(&self) -> Result<()> {
        self.call(|conn| {
            // A statement every engine answers: on SQLite through the writer (so a stuck writer
            // shows), on PostgreSQL through a pooled connection (so an unreachable server shows).
            let _one: i64 = conn.query_row("SELECT 1", [], |r| r.get(0))?;
            Ok(())
        })
        .await
    }

    /// Waits until every write queued before it has committed, then checkpoints the WAL into
    /// the database file: what a graceful shutdown does last.
    pub async fn flush(&self) -> Result<()> {
        self.call(|conn| {
            // PostgreSQL made each write durable at its commit; only SQLite has a WAL of its own
            // to fold into the database file.
            if conn.backend() == super::Backend::Sqlite {
                let _busy: i64 =
                    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            }
            Ok(())
        })
        .await
    }

    /// Runs `f` on the writer's connection on this thread, between two groups (CLI, start-up,
    /// tests). Never call it from inside another job of this database: it would wait for itself.
    ///
    /// On PostgreSQL `f` runs on a pooled connection (on a thread of its own when called from
    /// the async runtime, as the blocking client needs), again from the start if a transaction
    /// it opened was aborted for a conflict with another instance.
    pub fn with<T: Send>(&self, f: impl FnMut(&mut Conn<'_>) -> Result<T> + Send) -> Result<T> {
        match &*self.0 {
            Engine::Lite(inner) => {
                let mut f = f;
                let mut conn = inner
                    .conn
                    .lock()
                    .map_err(|_| anyhow!("the database lock is poisoned"))?;
                f(&mut Conn::LiteOwned(&mut conn))
            }
            Engine::Pg(pool) => on_plain_thread(|| pool.client(f)),
        }
    }

    /// Runs `f` on a reader connection: for reads only (the connection refuses writes). Reads
    /// are indexed look-ups much shorter than a hand-over to another thread, so they run on the
    /// calling task's thread; a reader sees every write whose caller was answered.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Conn<'_>) -> Result<T> + Send + 'static,
    {
        let inner = match &*self.0 {
            Engine::Lite(inner) => inner,
            Engine::Pg(pool) => return on_pool(pool, move |pool| pool.read(f)).await,
        };
        match &inner.readers {
            None => {
                let mut f = Some(f);
                self.call(move |conn| {
                    let f = f.take().ok_or_else(|| anyhow!("a read ran twice"))?;
                    f(conn)
                })
                .await
            }
            Some(readers) => {
                let conn = readers.take()?;
                // One read transaction, so every query of `f` sees the same snapshot.
                conn.prepare_cached("BEGIN")?.execute([])?;
                let result = catch_unwind(AssertUnwindSafe(|| f(&Conn::Lite(&conn))))
                    .unwrap_or_else(|_| Err(anyhow!("a database read panicked")));
                if conn.prepare_cached("COMMIT")?.execute([]).is_ok() {
                    readers.put(conn);
                }
                result
            }
        }
    }

    /// Runs `f`, a look-up of exactly one statement (a session by its token), as [`Db::read`]
    /// does, but on PostgreSQL outside a transaction: one statement is its own snapshot, and
    /// the look-up that every signed-in page makes costs one round trip instead of three. An
    /// `f` that runs a second statement gets an error on PostgreSQL.
    pub async fn read_one<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Conn<'_>) -> Result<T> + Send + 'static,
    {
        match &*self.0 {
            Engine::Lite(_) => self.read(f).await,
            Engine::Pg(pool) => on_pool(pool, move |pool| pool.read_one(f)).await,
        }
    }

    fn send_lite(&self, job: Job) -> Result<()> {
        self.lite()
            .ok_or_else(|| anyhow!("not an SQLite database"))?
            .jobs
            .lock()
            .map_err(|_| anyhow!("the database queue lock is poisoned"))?
            .send(job)
            .map_err(|_| anyhow!("the database writer stopped"))
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

/// Runs blocking database work off the async runtime's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow!("a database task failed: {e}"))?
}

/// Runs `f` on a blocking thread with one of the pool's connections: it first waits as a task
/// for a free one, so at most as many PostgreSQL jobs hold a thread as the pool has connections
/// (hundreds of waiting requests would otherwise each park a thread on the pool's lock).
async fn on_pool<T: Send + 'static>(
    pool: &Arc<PgPool>,
    f: impl FnOnce(&PgPool) -> Result<T> + Send + 'static,
) -> Result<T> {
    let slot = pool.slot().await?;
    let pool = pool.clone();
    blocking(move || {
        let _slot = slot;
        f(&pool)
    })
    .await
}

/// Runs `f` here, or on a scoped thread of its own when this thread is in the async runtime
/// (the blocking PostgreSQL client starts a runtime of its own, which cannot nest).
fn on_plain_thread<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(f)
            .join()
            .map_err(|_| anyhow!("a database job panicked"))?
    })
}

impl Readers {
    fn take(&self) -> Result<Connection> {
        let idle = self
            .idle
            .lock()
            .map_err(|_| anyhow!("the reader pool lock is poisoned"))?
            .pop();
        match idle {
            Some(conn) => Ok(conn),
            None => self.open(),
        }
    }

    fn put(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE_READERS
        {
            idle.push(conn);
        }
    }

    fn open(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("opening a reader of {}", self.path.display()))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // A reader must never write: what it runs cannot bypass the writer's group commit.
        conn.pragma_update(None, "query_only", "ON")?;
        keep_plans(&conn)?;
        Ok(conn)
    }
}

/// Makes the statements a connection caches (`prepare_cached`) really stay compiled: a cache of
/// `STATEMENT_CACHE` statements, and the query planner's stability guarantee (QPSG).
///
/// Why the guarantee: since SQLite 3.4x the planner marks every `column = ?N` term as "re-plan
/// when this parameter is rebound to or from 0 or 1", and `sqlite3_clear_bindings`, which rusqlite
/// calls on each statement it puts back in its cache, expires any statement so marked. So every
/// cached look-up with such a term was parsed and planned again on its next run: on the session
/// pages that was about 40 % of the portal's CPU time (profile in `docs/performance.md`, goal 4).
/// With QPSG a plan never depends on the values bound; the store's look-ups are answered by
/// indexes whatever the values (`schema.rs` checks each plan), so no plan gets worse.
fn keep_plans(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// The writer thread: takes jobs in order; a job that runs alone runs alone, and grouped jobs
/// queued one after another share a commit. Ends when every handle is gone and the queue is
/// empty, so nothing accepted is dropped.
fn writer(conn: &Mutex<Connection>, queue: &Receiver<Job>, stats: &Stats) {
    let mut next = None;
    loop {
        let job = match next.take() {
            Some(job) => job,
            None => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        let Ok(mut conn) = conn.lock() else {
            // Only a panic while `with` held the lock poisons it; later jobs are answered by
            // their dropped reply channels ("the database writer stopped").
            return;
        };
        match job {
            Job::Alone(job) => {
                job(&mut conn);
                if !conn.is_autocommit() {
                    // A job that panicked inside its own transaction leaves it open.
                    let _ = conn.execute_batch("ROLLBACK");
                }
            }
            Job::Grouped(first) => {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match queue.try_recv() {
                        Ok(Job::Grouped(job)) => group.push(job),
                        Ok(alone) => {
                            next = Some(alone);
                            break;
                        }
                        Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
                    }
                }
                stats.groups.fetch_add(1, Ordering::Relaxed);
                stats.jobs.fetch_add(group.len() as u64, Ordering::Relaxed);
                commit_group(&conn, group);
            }
        }
    }
}

/// Runs a group in one immediate transaction, each job in its own savepoint, commits once, then
/// answers every caller: with its own result if the commit succeeded, else with the error.
fn commit_group(conn: &Connection, mut group: Vec<Box<dyn GroupJob>>) {
    let outcome = run_group(conn, &mut group);
    if outcome.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    let commit = outcome.map_err(|error| format!("{error:#}"));
    for job in group {
        job.answer(commit.as_ref().map(|_| ()).map_err(String::as_str));
    }
}

fn run_group(conn: &Connection, group: &mut [Box<dyn GroupJob>]) -> Result<()> {
    conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    for job in group.iter_mut() {
        conn.prepare_cached("SAVEPOINT job")?.execute([])?;
        if job.run(conn) {
            conn.prepare_cached("RELEASE job")?.execute([])?;
        } else {
            conn.prepare_cached("ROLLBACK TO job")?.execute([])?;
            conn.prepare_cached("RELEASE job")?.execute([])?;
        }
    }
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(db: &Db) -> Vec<i64> {
        db.with(|conn| {
            let mut stmt = conn.prepare("SELECT n FROM t ORDER BY n")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<Vec<i64>>>()
        })
        .expect("read back")
    }

    #[tokio::test]
    async fn writes_queued_together_share_one_commit_and_a_failing_one_rolls_back_only_itself() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("t.sqlite3")).expect("db");
        db.with(|conn| conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            .expect("table");
        // The first job holds the writer until every other job is queued behind it.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started, running) = std::sync::mpsc::channel::<()>();
        let first = db
            .submit(move |conn| {
                started.send(()).map_err(|_| anyhow!("nobody waits"))?;
                wait.recv().map_err(|_| anyhow!("never released"))?;
                Ok(conn.execute("INSERT INTO t VALUES (0)", [])?)
            })
            .expect("queued");
        running.recv().expect("the first job runs");
        let rest: Vec<_> = (1..=99)
            .map(|n| {
                db.submit(move |conn| {
                    conn.execute("INSERT INTO t VALUES (?1)", [n])?;
                    if n == 50 {
                        anyhow::bail!("job 50 refuses after writing");
                    }
                    Ok(n)
                })
                .expect("queued")
            })
            .collect();
        release.send(()).expect("release");
        assert_eq!(first.await.expect("answered").expect("stored"), 1);
        for (n, answer) in (1..=99).zip(rest) {
            let answer = answer.await.expect("answered");
            if n == 50 {
                assert!(answer.is_err(), "job 50 is answered with its error");
            } else {
                assert_eq!(answer.expect("stored"), n);
            }
        }
        let expected: Vec<i64> = (0..=99).filter(|n| *n != 50).collect();
        assert_eq!(numbers(&db), expected);
        // The first job was a group alone; the 99 queued behind it were one group.
        assert_eq!(db.group_stats(), (2, 100));
    }

    #[tokio::test]
    async fn an_answered_write_is_seen_by_readers_and_by_another_connection() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.sqlite3");
        let db = Db::open(&path).expect("db");
        db.with(|conn| conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            .expect("table");
        for n in 1..=3 {
            db.write(move |conn| conn.execute("INSERT INTO t VALUES (?1)", [n]))
                .await
                .expect("written");
            let seen: i64 = db
                .read(|conn| conn.query_row("SELECT MAX(n) FROM t", [], |r| r.get(0)))
                .await
                .expect("read");
            assert_eq!(seen, n);
        }
        let other = Connection::open(&path).expect("another connection");
        let count: i64 = other
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(count, 3);
    }

    #[tokio::test]
    async fn a_one_statement_read_answers_and_on_postgresql_refuses_a_second_statement() {
        let db = Db::in_memory().expect("db");
        db.with(|conn| {
            conn.execute_batch("CREATE TABLE t (n BIGINT PRIMARY KEY); INSERT INTO t VALUES (7)")
        })
        .expect("table");
        let seen: i64 = db
            .read_one(|conn| conn.query_row("SELECT n FROM t", [], |r| r.get(0)))
            .await
            .expect("read");
        assert_eq!(seen, 7);
        let twice = db
            .read_one(|conn| {
                conn.query_row("SELECT n FROM t", [], |r| r.get::<_, i64>(0))?;
                conn.query_row("SELECT n + 1 FROM t", [], |r| r.get::<_, i64>(0))
            })
            .await;
        match db.backend() {
            Backend::Postgres => {
                let error = format!("{:#}", twice.expect_err("refused"));
                assert!(error.contains("ran 2 statements"), "{error}");
            }
            Backend::Sqlite => assert_eq!(twice.expect("one read transaction on SQLite"), 8),
        }
    }

    #[tokio::test]
    async fn a_statement_first_prepared_in_a_transaction_that_rolled_back_runs_again() {
        let db = Db::in_memory().expect("db");
        db.with(|conn| conn.execute_batch("CREATE TABLE t (n BIGINT PRIMARY KEY)"))
            .expect("table");
        db.with(|conn| {
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO t VALUES (?1)", [1])?;
            drop(tx);
            conn.execute("INSERT INTO t VALUES (?1)", [2])?;
            let tx = conn.transaction()?;
            tx.execute("INSERT INTO t VALUES (?1)", [3])?;
            tx.commit()
        })
        .expect("the statement runs after the rollback, in and out of a transaction");
        assert_eq!(numbers(&db), vec![2, 3]);
    }

    #[tokio::test]
    async fn a_reader_refuses_to_write() {
        let dir = tempfile::tempdir().expect("dir");
        let db = Db::open(&dir.path().join("t.sqlite3")).expect("db");
        db.with(|conn| conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            .expect("table");
        let error = db
            .read(|conn| conn.execute("INSERT INTO t VALUES (1)", []))
            .await
            .expect_err("refused");
        assert!(format!("{error:#}").contains("readonly"), "{error:#}");
        assert!(numbers(&db).is_empty());
    }

    #[tokio::test]
    async fn a_job_that_panics_is_answered_with_an_error_and_the_writer_goes_on() {
        let db = Db::in_memory().expect("db");
        db.with(|conn| conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            .expect("table");
        let panicked = db
            .write(|conn| -> Result<()> {
                conn.execute("INSERT INTO t VALUES (7)", [])?;
                panic!("a bug in a job")
            })
            .await;
        assert!(panicked.is_err());
        db.write(|conn| conn.execute("INSERT INTO t VALUES (8)", []))
            .await
            .expect("the next job is stored");
        assert_eq!(numbers(&db), vec![8]);
    }
}
