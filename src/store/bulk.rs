//! Bulk inserts for synthetic data: multi-row `INSERT … VALUES (…), (…)` statements built
//! with [`sqlx::QueryBuilder`]; the tables' triggers write the matching `changes` rows in
//! the same statement (the search index follows that log).
//!
//! The SQL is written once: [`insert_rows`] runs inside [`on_backend!`], so the same code
//! runs on either backend with its native types, and [`builder`] ties the query builder to
//! the connection's backend. The statement's head, the values bound per row and so the
//! rows per statement come from the table's column list ([`super::columns`]). Statements
//! stay under SQLite's limit of 32766 bound variables (PostgreSQL allows 65535). While one
//! statement runs, the next one is encoded.

use super::columns::{self, Binds, Columns};
use super::{Db, Result, Tx, on_backend};
use crate::domain::graduate::GraduateFields;
use crate::domain::posting::PostingFields;
use chrono::Utc;
use sqlx::{Connection, Database, QueryBuilder};
use std::marker::PhantomData;
use std::sync::LazyLock;

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` (since 3.32); the smaller of the two backends.
pub const MAX_BINDS: usize = 32_766;

/// Rows per statement for a table with `binds` bound values per row (and one more, the
/// time, per statement).
pub const fn rows_per_statement(binds: usize) -> usize {
    (MAX_BINDS - 1) / binds
}

/// Postings per `INSERT` statement.
pub const POSTINGS_PER_STATEMENT: usize = rows_per_statement(PostingFields::BINDS);

/// The backend of a connection, as a type.
pub(super) fn backend_of<C: Connection>(_conn: &C) -> PhantomData<C> {
    PhantomData
}

/// A query builder for the backend `C`, so one body of code serves both backends.
pub(super) fn builder<C>(_backend: PhantomData<C>, sql: &str) -> QueryBuilder<C::Database>
where
    C: Connection,
    <C::Database as Database>::Arguments: Default,
{
    QueryBuilder::new(sql)
}

/// Insert `rows` (organisation id, fields) in statements of as many rows as the bind
/// limit allows; the tables' triggers write each row's `create` change. Returns how many
/// rows were written.
async fn insert_rows<C: Columns>(tx: &mut Tx, rows: Vec<(i64, C)>, head: &str) -> Result<u64> {
    let now = Utc::now();
    let mut rows = rows.into_iter().peekable();
    on_backend!(tx, |e| {
        let backend = backend_of(&*e);
        // Rows are moved into the arguments, not copied.
        let mut encode = || {
            rows.peek()?;
            let mut qb = builder(backend, head);
            qb.push(" SELECT v.*, t.now, t.now FROM (");
            qb.push_values(rows.by_ref().take(rows_per_statement(C::BINDS)), |b, (organization_id, fields)| {
                fields.bind_owned(b.bind_value(organization_id));
            });
            // The time is bound once per statement rather than twice per row.
            qb.push(") AS v, (SELECT ").push_bind(now).push(" AS now) AS t");
            Some(qb)
        };
        let mut next = encode();
        let mut written: u64 = 0;
        while let Some(mut qb) = next.take() {
            // The worker runs this statement while this thread encodes the next one.
            let (inserted, following) = tokio::join!(biased; qb.build().execute(&mut *e), async { encode() });
            written += inserted?.rows_affected();
            next = following;
        }
        Ok(written)
    })
}

static POSTINGS_HEAD: LazyLock<String> = LazyLock::new(columns::insert_head::<PostingFields>);
static GRADUATES_HEAD: LazyLock<String> = LazyLock::new(columns::insert_head::<GraduateFields>);

/// Insert postings (organisation id, fields), each with its `create` change; returns how
/// many were written.
pub async fn insert_postings(tx: &mut Tx, rows: Vec<(i64, PostingFields)>) -> Result<u64> {
    insert_rows(tx, rows, &POSTINGS_HEAD).await
}

/// Insert graduates (school id, fields), each with its `create` change; returns how many
/// were written.
pub async fn insert_graduates(tx: &mut Tx, rows: Vec<(i64, GraduateFields)>) -> Result<u64> {
    insert_rows(tx, rows, &GRADUATES_HEAD).await
}

/// What [`start_load`] changed, for [`finish_load`] to undo.
#[derive(Debug)]
pub struct Load {
    /// The SQLite writer's settings before the load.
    saved: Option<(i64, i64)>,
    /// Stops the background checkpointer and waits for it.
    checkpointer: Option<(tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
}

/// Prepare for a long bulk load. On SQLite, the one writer connection gets a page cache
/// large enough that a transaction's dirty pages are not spilled to the WAL half-way
/// (64 MB), and stops checkpointing (up to 400 MB of WAL): a checkpoint copies the WAL
/// into the database file and waits for the disk, and done by the writer every few
/// transactions it took a fifth of the time. Instead a second connection checkpoints
/// (`PASSIVE`, never blocking the writer) every quarter of a second on its own thread,
/// so the copying overlaps the inserts and little is left for the end. Nothing to do on
/// PostgreSQL.
pub async fn start_load(db: &Db) -> Result<Load> {
    let Db::Sqlite { write, .. } = db else {
        return Ok(Load { saved: None, checkpointer: None });
    };
    let mut conn = write.acquire().await?;
    let cache_size = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    let wal_autocheckpoint = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(&mut *conn).await?;
    sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
    sqlx::query("PRAGMA wal_autocheckpoint = 100000").execute(&mut *conn).await?;
    let mut checkpointing = sqlx::SqliteConnection::connect_with(&write.connect_options()).await?;
    let (stop, mut stopped) = tokio::sync::oneshot::channel();
    let checkpointer = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {}
            }
            // Busy or failed: the writer's own checkpoint catches up later.
            if sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut checkpointing).await.is_err() {
                break;
            }
        }
        let _ = checkpointing.close().await;
    });
    Ok(Load { saved: Some((cache_size, wal_autocheckpoint)), checkpointer: Some((stop, checkpointer)) })
}

/// Undo [`start_load`]; the writer checkpoints again as before.
pub async fn finish_load(db: &Db, load: Load) -> Result<()> {
    if let Some((stop, checkpointer)) = load.checkpointer {
        let _ = stop.send(());
        let _ = checkpointer.await;
    }
    let (Db::Sqlite { write, .. }, Some((cache_size, wal_autocheckpoint))) = (db, load.saved) else {
        return Ok(());
    };
    let mut conn = write.acquire().await?;
    // Integers read from SQLite itself: nothing to escape.
    let cache_size = format!("PRAGMA cache_size = {cache_size}");
    sqlx::query(sqlx::AssertSqlSafe(cache_size)).execute(&mut *conn).await?;
    let checkpoint = format!("PRAGMA wal_autocheckpoint = {wal_autocheckpoint}");
    sqlx::query(sqlx::AssertSqlSafe(checkpoint)).execute(&mut *conn).await?;
    Ok(())
}
