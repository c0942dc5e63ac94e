//! The database: one Diesel code path over SQLite (embedded default) and
//! PostgreSQL (scale-out), chosen by the URL's scheme.
//!
//! Everything backend-specific is matched on the inner connection here and
//! nowhere else: connection set-up, migrations and how a write transaction
//! begins.

pub mod query_count;
pub mod schema;

use crate::clock::Clock;
use crate::error::{ServerError, ServerResult};
use chrono::NaiveDateTime;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool as R2d2Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// A connection to either backend; queries are written once against it.
// The SQLite variant comes last: the derive picks the first variant whose
// URL it can establish, and SQLite accepts any string as a file name.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("could not open the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("could not open the database: {0}")]
    R2d2(#[from] diesel::r2d2::Error),
    #[error("could not create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("could not run the database migrations: {0}")]
    Migrations(String),
}

/// Which backend a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// The SQLite URL for a data directory, creating the directory if needed.
pub fn sqlite_url_in(data_dir: &Path) -> Result<String, DbSetupError> {
    std::fs::create_dir_all(data_dir).map_err(|source| DbSetupError::DataDir {
        path: data_dir.display().to_string(),
        source,
    })?;
    Ok(data_dir.join("holdspace.db").display().to_string())
}

/// Sets the per-connection SQLite settings every connection needs: they are
/// not persistent, so a pooled connection without them would silently skip
/// foreign keys or fail fast on a busy database. (WAL is a property of the
/// database file, set once when the pool opens: switching journal modes
/// takes a lock, which a connection opened while others write may not get.)
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        match conn {
            DbConnection::Sqlite(c) => c
                .batch_execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                .map_err(diesel::r2d2::Error::QueryError),
            DbConnection::Postgresql(c) => c
                .batch_execute("SET TIME ZONE 'UTC'")
                .map_err(diesel::r2d2::Error::QueryError),
        }
    }
}

/// A pool of connections, used from blocking threads and the writer (and
/// for short reads on SQLite, in place: see [`Database::read`]).
#[derive(Clone)]
pub struct Pool {
    inner: R2d2Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

/// A connection checked out of the pool.
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

impl Pool {
    /// Opens a pool and brings the schema up to date.
    pub fn open(url: &str, max_size: u32) -> Result<Self, DbSetupError> {
        let backend = Backend::of_url(url);
        if backend == Backend::Sqlite && (url == ":memory:" || url.contains("mode=memory")) {
            // Each pooled connection would get its own empty database.
            return Err(DbSetupError::Migrations(
                "an in-memory SQLite database cannot be shared by a pool; give a file path".into(),
            ));
        }
        let inner = R2d2Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            // A pooled PostgreSQL connection may have lost its server (a
            // restart, a failover): ask it first. A SQLite file cannot go
            // away, and the question would cost a query per request.
            .test_on_check_out(backend == Backend::Postgres)
            .connection_customizer(Box::new(ConnectionSetup))
            .build(ConnectionManager::<DbConnection>::new(url))?;
        let pool = Self { inner, backend };
        pool.migrate()?;
        Ok(pool)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConn, diesel::r2d2::PoolError> {
        self.inner.get()
    }

    /// A SQLite connection nobody is using, if there is one, without waiting.
    fn idle_sqlite(&self) -> Option<PooledConn> {
        (self.backend == Backend::Sqlite)
            .then(|| self.inner.try_get())
            .flatten()
    }

    fn migrate(&self) -> Result<(), DbSetupError> {
        let mut conn = self.get()?;
        let result = match &mut *conn {
            DbConnection::Sqlite(c) => c
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)
                .and_then(|()| c.run_pending_migrations(SQLITE_MIGRATIONS).map(drop)),
            DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
        };
        result.map_err(|e| DbSetupError::Migrations(e.to_string()))
    }

    /// Runs blocking database work on tokio's blocking threads, never on the
    /// async executor.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<diesel::r2d2::PoolError> + From<tokio::task::JoinError> + Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        let pool = self.inner.clone();
        let count = query_count::current();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            query_count::counted(count, || work(&mut conn))
        })
        .await?
    }
}

/// The pool and the clock: what every piece of server code needs to read
/// or write, and "now" as the site sees it.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    clock: Arc<dyn Clock>,
    /// SQLite's writer; none on PostgreSQL.
    writer: Option<Writer>,
}

impl Database {
    pub fn new(pool: Pool, clock: Arc<dyn Clock>) -> Self {
        let writer = (pool.backend() == Backend::Sqlite).then(Writer::start);
        Self { pool, clock, writer }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// Runs `work` on a blocking thread with a connection and the current time.
    pub async fn run<T, F>(&self, work: F) -> ServerResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, NaiveDateTime) -> ServerResult<T> + Send + 'static,
    {
        let now = self.clock.now();
        self.pool.run(move |conn| work(conn, now)).await
    }

    /// Runs `work`, a short read (a few indexed queries, no writes), where
    /// it costs least.
    ///
    /// On SQLite, with a connection idle, that is right here on the async
    /// thread: such a read takes microseconds, and handing it to a blocking
    /// thread and back took a fifth of a module page's time (two thread
    /// wake-ups). A reader in WAL mode never waits for a writer, so the
    /// thread is not held up. Without an idle connection, and on PostgreSQL
    /// (a network round trip), it goes to a blocking thread as [`Self::run`].
    pub async fn read<T, F>(&self, work: F) -> ServerResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, NaiveDateTime) -> ServerResult<T> + Send + 'static,
    {
        let now = self.clock.now();
        let Some(mut conn) = self.pool.idle_sqlite() else {
            return self.pool.run(move |conn| work(conn, now)).await;
        };
        let count = query_count::current();
        // A panic here would otherwise end the task rendering the page,
        // which then never answers; on a blocking thread it becomes an error.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            query_count::counted(count, || work(&mut conn, now))
        }))
        .unwrap_or(Err(ServerError::Panicked))
    }

    /// Runs `work` in a write transaction (see [`write_transaction`]): on
    /// SQLite, on its writer thread (see [`Writer`]); on PostgreSQL, on a
    /// blocking thread.
    pub async fn write<T, F>(&self, work: F) -> ServerResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, NaiveDateTime) -> ServerResult<T> + Send + 'static,
    {
        let Some(writer) = &self.writer else {
            return self
                .run(move |conn, now| write_transaction(conn, |conn| work(conn, now)))
                .await;
        };
        let (now, pool, count) = (self.clock.now(), self.pool.clone(), query_count::current());
        let (answer, answered) = tokio::sync::oneshot::channel();
        writer.queue(Box::new(move || {
            // A panic would otherwise end the writer, and every write after it.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut conn = pool.get()?;
                query_count::counted(count, || write_transaction(&mut conn, |conn| work(conn, now)))
            }))
            .unwrap_or(Err(ServerError::Panicked));
            // The request may have gone (a closed connection): nobody is left to tell.
            let _ = answer.send(outcome);
        }))?;
        answered.await.unwrap_or(Err(ServerError::Panicked))
    }
}

/// A write transaction waiting for SQLite's writer.
type WriteJob = Box<dyn FnOnce() + Send>;

/// SQLite's one writer: a thread of its own that runs this process's write
/// transactions one after the other, as they were asked for.
///
/// SQLite lets one transaction write at a time. Handed out as a lock to
/// whichever blocking thread asks, each turn began by waking the next
/// thread in line, and on a busy machine that wake-up, not the writing,
/// was most of a turn: with 32 quiz submissions at once a quarter of the
/// CPU sat idle while they queued. One thread that takes the next
/// transaction as soon as it commits the last never waits to be woken while
/// work is queued. Writes made some other way (a transaction on a blocking
/// thread, another process) still take their turn through SQLite's lock.
#[derive(Clone)]
struct Writer {
    queue: std::sync::mpsc::Sender<WriteJob>,
}

impl Writer {
    /// Starts the thread; it ends when the last `Database` sharing it is dropped.
    fn start() -> Self {
        let (queue, jobs) = std::sync::mpsc::channel::<WriteJob>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || jobs.into_iter().for_each(|job| job()))
            .expect("the operating system starts a thread");
        Self { queue }
    }

    fn queue(&self, job: WriteJob) -> ServerResult<()> {
        // The thread ends only when every sender is gone, so it is there to receive.
        self.queue.send(job).map_err(|_| ServerError::Panicked)
    }
}

/// Runs a query on the backend's own connection, for the reads of the
/// hottest pages. Through [`DbConnection`], Diesel turns a query into SQL
/// again on every pass over it, prepared statement or not (a twentieth of
/// a module page's time); a backend's own connection finds its statement by
/// the query's type. The query is still written once, and compiled for each
/// backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $query:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $query,
            $crate::db::DbConnection::Postgresql($c) => $query,
        }
    };
}

/// Courses joined to their current (published) version; courses with none
/// are left out. A macro, not a function: the joined query's type is long
/// and each caller adds its own filter, order and columns.
#[macro_export]
macro_rules! current_courses {
    () => {
        $crate::db::schema::courses::table.inner_join(
            $crate::db::schema::course_versions::table
                .on($crate::db::schema::courses::current_version_id
                    .eq($crate::db::schema::course_versions::id.nullable())),
        )
    };
}

/// Runs `work` in a transaction that takes the write lock up front.
///
/// SQLite's default deferred transaction upgrades its read lock when it first
/// writes and fails at once with SQLITE_BUSY if another writer got there
/// first (the busy timeout does not apply to that upgrade); `BEGIN IMMEDIATE`
/// waits for the lock instead. PostgreSQL needs nothing special.
///
/// On SQLite this process's write transactions also wait their turn here
/// first: one SQLite turns away sleeps, longer each time and up to 100 ms,
/// before asking again, which put 58 ms on the slowest quiz submissions of
/// 32 at once; queued here, each starts as soon as the one before commits.
/// Single-statement writes outside a transaction, and other processes (a
/// second instance, `holdspace user`), still wait on SQLite's busy timeout.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
{
    static SQLITE_WRITERS: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // Held until the transaction ends. The lock guards no data, so a writer
    // that panicked holding it leaves nothing to repair.
    let _turn = matches!(conn, DbConnection::Sqlite(_))
        .then(|| SQLITE_WRITERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        }
        DbConnection::Postgresql(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
        }
    }
    match work(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            COMMITTED_WRITES.fetch_add(1, std::sync::atomic::Ordering::Release);
            Ok(value)
        }
        Err(error) => {
            // The original error matters more than a failed rollback; a broken
            // connection is discarded by the pool's health check.
            let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            Err(error)
        }
    }
}

static COMMITTED_WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many write transactions this process has committed: something read
/// before a count and kept can be trusted while the count stays the same
/// (as far as this process's writes go; another process's are not seen).
pub fn committed_writes() -> u64 {
    COMMITTED_WRITES.load(std::sync::atomic::Ordering::Acquire)
}

/// Whether a Diesel error is a unique-constraint violation, on either backend.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// An insert's outcome where a row already there (a concurrent request got
/// there first) is as good as the one just written.
pub fn unless_already_there(inserted: diesel::QueryResult<usize>) -> diesel::QueryResult<()> {
    match inserted {
        Err(error) if is_unique_violation(&error) => Ok(()),
        other => other.map(drop),
    }
}

#[cfg(test)]
mod tests {
    use super::{Database, Pool};
    use crate::clock::SystemClock;
    use crate::error::ServerError;
    use diesel::prelude::*;
    use std::sync::Arc;
    use std::thread::{ThreadId, current};

    fn sqlite(dir: &tempfile::TempDir, connections: u32) -> Database {
        let url = dir.path().join("test.db").display().to_string();
        Database::new(Pool::open(&url, connections).unwrap(), Arc::new(SystemClock))
    }

    fn here(_: &mut super::DbConnection, _: chrono::NaiveDateTime) -> crate::error::ServerResult<ThreadId> {
        Ok(current().id())
    }

    /// The point of `read`: no hand-off to a blocking thread and back.
    #[tokio::test]
    async fn a_sqlite_read_runs_on_the_calling_thread() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir, 2);
        assert_eq!(db.read(here).await.unwrap(), current().id());
        assert_ne!(
            db.run(here).await.unwrap(),
            current().id(),
            "run uses a blocking thread"
        );
    }

    #[tokio::test]
    async fn a_read_with_every_connection_busy_waits_on_a_blocking_thread() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir, 1);
        let busy = db.pool().get().unwrap();
        let read = tokio::spawn({
            let db = db.clone();
            async move { db.read(here).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        drop(busy);
        assert_ne!(read.await.unwrap().unwrap(), current().id());
    }

    /// A panic would otherwise end the task rendering the page, which would
    /// then never answer.
    #[tokio::test]
    async fn a_read_that_panics_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir, 1);
        let read = db
            .read(|_, _| -> crate::error::ServerResult<()> { panic!("a bug") })
            .await;
        assert!(matches!(read, Err(ServerError::Panicked)), "{read:?}");
        assert_eq!(
            db.read(here).await.unwrap(),
            current().id(),
            "the connection is usable again"
        );
    }

    /// The point of the writer: SQLite's writes queue for one thread that
    /// never waits to be woken between them.
    #[tokio::test]
    async fn a_sqlite_write_runs_on_the_writer_thread() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir, 2);
        let name = db.write(|_, _| Ok(current().name().map(str::to_owned))).await.unwrap();
        assert_eq!(name.as_deref(), Some("sqlite-writer"));
    }

    /// Each write is its own transaction: one that fails leaves nothing
    /// behind, and one that panics does not end the writer.
    #[tokio::test]
    async fn a_failed_or_panicking_write_leaves_nothing_and_the_next_one_runs() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(&dir, 1);
        db.write(|conn, _| Ok(diesel::sql_query("CREATE TABLE scratch (n INTEGER)").execute(conn)?))
            .await
            .unwrap();
        let rows = |conn: &mut super::DbConnection| -> crate::error::ServerResult<i64> {
            let found: Count = diesel::sql_query("SELECT count(*) AS n FROM scratch").get_result(conn)?;
            Ok(found.n)
        };
        let insert =
            |conn: &mut super::DbConnection| diesel::sql_query("INSERT INTO scratch (n) VALUES (1)").execute(conn);
        let failed = db
            .write(move |conn, _| -> crate::error::ServerResult<()> {
                insert(conn)?;
                Err(ServerError::Corrupt("a later step failed".into()))
            })
            .await;
        assert!(matches!(failed, Err(ServerError::Corrupt(_))), "{failed:?}");
        let panicked = db
            .write(move |conn, _| -> crate::error::ServerResult<()> {
                insert(conn)?;
                panic!("a bug")
            })
            .await;
        assert!(matches!(panicked, Err(ServerError::Panicked)), "{panicked:?}");
        assert_eq!(db.read(move |conn, _| rows(conn)).await.unwrap(), 0, "both rolled back");
        db.write(move |conn, _| Ok(insert(conn)?)).await.unwrap();
        assert_eq!(db.read(move |conn, _| rows(conn)).await.unwrap(), 1);
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    /// SQLite is built with its query planner stability guarantee (see
    /// `.cargo/config.toml`): without it every `.first()` (a `LIMIT ?`) is
    /// prepared again each time it runs.
    #[test]
    fn sqlite_plans_do_not_depend_on_bound_values() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let found: Count =
            diesel::sql_query("SELECT count(*) AS n FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG'")
                .get_result(&mut conn)
                .unwrap();
        assert_eq!(found.n, 1, "SQLite was built without SQLITE_ENABLE_QPSG");
    }
}
