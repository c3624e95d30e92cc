//! The source of truth: SQLite (embedded default) or PostgreSQL, chosen by URL scheme.
//!
//! One set of queries serves both backends: each query is one SQL string with `$N`
//! placeholders, run through [`on_backend!`], which expands the same code once per
//! backend so binds and decodes use each driver's native types. Everything that differs
//! by backend (connecting, pragmas, migrations, `BEGIN IMMEDIATE`) lives in this file.

pub mod audit;
pub mod backup;
pub mod bulk;
pub mod changes;
pub mod columns;
pub mod consent;
pub mod duplicates;
pub mod events;
pub mod graduates;
pub mod imports;
pub mod notices;
pub mod offers;
pub mod organizations;
pub mod outbox;
pub mod outcomes;
pub mod page;
pub mod personal;
pub mod postings;
pub mod preferences;
pub mod projects;
pub mod reports;
pub mod rounds;
pub mod search_source;
pub mod settings;
pub mod tokens;
pub mod users;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub use page::{Page, PageRequest};

pub type Result<T> = std::result::Result<T, sqlx::Error>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Connection pools for the configured backend.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite allows one writer at a time: writes go through a one-connection pool so they
    /// queue in-process instead of failing with "database is locked"; reads use many.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// A write transaction; dropping it without [`Tx::commit`] rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A pooled connection for reads.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A borrowed connection of either backend, what queries run on.
pub enum Exec<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Anything queries can run on: a transaction or a pooled connection.
pub trait Access {
    fn exec(&mut self) -> Exec<'_>;
}

impl Access for Tx {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Tx::Sqlite(tx) => Exec::Sqlite(tx),
            Tx::Postgres(tx) => Exec::Postgres(tx),
        }
    }
}

impl Access for Conn {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Conn::Sqlite(c) => Exec::Sqlite(c),
            Conn::Postgres(c) => Exec::Postgres(c),
        }
    }
}

/// Run the same expression on whichever backend `$access` holds; `$e` is bound to the
/// backend's `&mut Connection`.
#[macro_export]
macro_rules! on_backend {
    ($access:expr, |$e:ident| $body:expr) => {
        match $crate::store::Access::exec($access) {
            $crate::store::Exec::Sqlite($e) => $body,
            $crate::store::Exec::Postgres($e) => $body,
        }
    };
}
pub use on_backend;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// How long acquiring a connection may take before it fails with `PoolTimedOut` (which
/// clients get as 503 with Retry-After), unless configured (`XIAOQI_DB_WAIT_MS`).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

impl Db {
    /// Connect to the database named by `url`, creating a SQLite file (and its folder) if
    /// needed. Does not migrate.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        Db::connect_waiting(url, DEFAULT_WAIT).await
    }

    /// [`Db::connect`], with `wait` the longest wait for a connection: on SQLite for the
    /// one writer (and the busy timeout against other processes), on PostgreSQL for any.
    pub async fn connect_waiting(url: &str, wait: Duration) -> anyhow::Result<Db> {
        match Backend::of_url(url) {
            Some(Backend::Sqlite) => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(wait);
                if let Some(parent) = options.get_filename().parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)?;
                }
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(wait)
                    .connect_with(options.clone())
                    .await?;
                // An in-memory database exists once per connection: share the writer.
                let read = if in_memory {
                    write.clone()
                } else {
                    SqlitePoolOptions::new()
                        .max_connections(8)
                        .acquire_timeout(wait)
                        .connect_with(options.read_only(true))
                        .await?
                };
                Ok(Db::Sqlite { read, write })
            }
            Some(Backend::Postgres) => {
                let options = PgConnectOptions::from_str(url)?.application_name("xiaoqi");
                let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(wait).connect_with(options).await?;
                Ok(Db::Postgres(pool))
            }
            None => anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (got a URL of another scheme)"),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The longest a write waits for its turn before failing: what the outbox keeps in
    /// hand to record a delivery (`notify::lane`).
    pub fn write_wait(&self) -> Duration {
        match self {
            Db::Sqlite { write, .. } => write.options().get_acquire_timeout(),
            Db::Postgres(pool) => pool.options().get_acquire_timeout(),
        }
    }

    /// Apply pending migrations.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Begin a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a transaction never fails half-way on a lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        match self {
            Db::Sqlite { write, .. } => Ok(Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Postgres(pool) => Ok(Tx::Postgres(pool.begin().await?)),
        }
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<Conn> {
        match self {
            Db::Sqlite { read, .. } => Ok(Conn::Sqlite(read.acquire().await?)),
            Db::Postgres(pool) => Ok(Conn::Postgres(pool.acquire().await?)),
        }
    }

    /// Is the database answering?
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.read().await?;
        on_backend!(&mut conn, |e| sqlx::query("SELECT 1").execute(e).await.map(|_| ()))
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Is this error a violated unique constraint? Returns the constraint's text if so.
pub fn unique_violation(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Some(db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()))
        }
        _ => None,
    }
}
