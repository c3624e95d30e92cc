//! Bulk inserts for synthetic data: multi-row `INSERT … VALUES (…), (…)` statements built
//! with [`sqlx::QueryBuilder`], each followed by the matching `changes` rows in the same
//! transaction (the search index follows that log).
//!
//! The SQL is written once: [`bulk_insert!`] expands inside [`on_backend!`], so the same
//! code runs on either backend with its native types, and [`builder`] ties the query
//! builder to the connection's backend. Statements stay under SQLite's limit of 32766
//! bound variables (PostgreSQL allows 65535). While one statement runs, the next one is
//! encoded.

use super::{Db, Result, Tx, on_backend};
use crate::domain::graduate::GraduateFields;
use crate::domain::posting::PostingFields;
use chrono::Utc;
use sqlx::{Connection, Database, QueryBuilder};
use std::marker::PhantomData;

/// SQLite's default `SQLITE_MAX_VARIABLE_NUMBER` (since 3.32); the smaller of the two backends.
pub const MAX_BINDS: usize = 32_766;

/// Bound values per posting row (see [`insert_postings`]).
const POSTING_BINDS: usize = 16;
/// Bound values per graduate row (see [`insert_graduates`]).
const GRADUATE_BINDS: usize = 16;

/// Rows per statement for a table with `binds` bound values per row (and one more, the
/// time, per statement).
pub const fn rows_per_statement(binds: usize) -> usize {
    (MAX_BINDS - 1) / binds
}

/// Postings per `INSERT` statement.
pub const POSTINGS_PER_STATEMENT: usize = rows_per_statement(POSTING_BINDS);
/// Graduates per `INSERT` statement.
pub const GRADUATES_PER_STATEMENT: usize = rows_per_statement(GRADUATE_BINDS);

/// The backend of a connection, as a type.
pub(super) fn backend_of<C: Connection>(_conn: &C) -> PhantomData<C> {
    PhantomData
}

/// A query builder for the backend `C`, so one body of code serves both backends.
pub(super) fn builder<C>(_backend: PhantomData<C>, sql: &'static str) -> QueryBuilder<C::Database>
where
    C: Connection,
    <C::Database as Database>::Arguments: Default,
{
    QueryBuilder::new(sql)
}

/// Insert `$rows` in statements of `$per_statement` rows: `$insert` is the head of the
/// `INSERT` up to `VALUES`, `$push` binds one row's values. Before each statement the
/// table's highest id is read; after it, `$log` (bound to the time and that id) writes
/// the `changes` rows and must log exactly the rows inserted. Evaluates to the number of
/// rows written.
macro_rules! bulk_insert {
    ($tx:expr, $rows:expr, $per_statement:expr, $max_id:expr, $insert:expr, $log:expr,
     |$b:ident, $now:ident, $row:ident| $push:expr) => {{
        let $now = Utc::now();
        let mut rows = $rows.into_iter().peekable();
        on_backend!($tx, |e| {
            let backend = backend_of(&*e);
            // Rows are moved into the arguments, not copied.
            let mut encode = || {
                rows.peek()?;
                let mut qb = builder(backend, $insert);
                qb.push(" SELECT v.*, t.now, t.now FROM (");
                let mut len = 0;
                qb.push_values(rows.by_ref().take($per_statement), |mut $b, $row| {
                    len += 1;
                    $push;
                });
                // The time is bound once per statement rather than twice per row.
                qb.push(") AS v, (SELECT ").push_bind($now).push(" AS now) AS t");
                Some((len, qb))
            };
            let mut next = encode();
            let mut written: u64 = 0;
            while let Some((len, mut qb)) = next.take() {
                let before: i64 = sqlx::query_scalar($max_id).fetch_one(&mut *e).await?;
                // The worker runs this statement while this thread encodes the next one.
                let (inserted, following) =
                    tokio::join!(biased; qb.build().execute(&mut *e), async { encode() });
                inserted?;
                next = following;
                let logged = sqlx::query($log).bind($now).bind(before).execute(&mut *e).await?.rows_affected();
                if logged != len as u64 {
                    return Err(sqlx::Error::Protocol(format!(
                        "bulk insert: logged {logged} changes for {len} new rows"
                    )));
                }
                written += logged;
            }
            Ok(written)
        })
    }};
}

/// Insert postings (organisation id, fields), each with its `create` change; returns how
/// many were written.
pub async fn insert_postings(tx: &mut Tx, rows: Vec<(i64, PostingFields)>) -> Result<u64> {
    bulk_insert!(
        tx,
        rows,
        POSTINGS_PER_STATEMENT,
        "SELECT COALESCE(MAX(id), 0) FROM postings",
        "INSERT INTO postings (organization_id, project_id, title, description, category, majors, education_min, \
         education_min_rank, headcount, salary_min, salary_max, location, benefits, starts_on, closes_on, status, \
         created_at, updated_at)",
        // Ours are the rows above the highest id seen before the insert (ids only grow, and
        // every id visible then was handed out before ours) stamped with our time (which
        // leaves out rows another PostgreSQL session committed meanwhile).
        "INSERT INTO changes (entity, entity_id, operation, changed_at) \
         SELECT 'posting', id, 'create', $1 FROM postings WHERE id > $2 AND created_at = $1 ORDER BY id",
        |b, _now, row| {
            let (organization_id, f): (i64, PostingFields) = row;
            b.push_bind(organization_id)
                .push_bind(f.project_id)
                .push_bind(f.title)
                .push_bind(f.description)
                .push_bind(f.category)
                .push_bind(f.majors)
                .push_bind(f.education_min)
                .push_bind(f.education_min.rank())
                .push_bind(f.headcount)
                .push_bind(f.salary_min)
                .push_bind(f.salary_max)
                .push_bind(f.location)
                .push_bind(f.benefits)
                .push_bind(f.starts_on)
                .push_bind(f.closes_on)
                .push_bind(f.status)
        }
    )
}

/// Insert graduates (school id, fields), each with its `create` change; returns how many
/// were written.
pub async fn insert_graduates(tx: &mut Tx, rows: Vec<(i64, GraduateFields)>) -> Result<u64> {
    bulk_insert!(
        tx,
        rows,
        GRADUATES_PER_STATEMENT,
        "SELECT COALESCE(MAX(id), 0) FROM graduates",
        "INSERT INTO graduates (organization_id, name, major, education, education_rank, graduation_year, skills, \
         certificates, preferred_locations, expected_salary, available_from, email, phone, consent, summary, status, \
         created_at, updated_at)",
        "INSERT INTO changes (entity, entity_id, operation, changed_at) \
         SELECT 'graduate', id, 'create', $1 FROM graduates WHERE id > $2 AND created_at = $1 ORDER BY id",
        |b, _now, row| {
            let (organization_id, f): (i64, GraduateFields) = row;
            b.push_bind(organization_id)
                .push_bind(f.name)
                .push_bind(f.major)
                .push_bind(f.education)
                .push_bind(f.education.rank())
                .push_bind(f.graduation_year)
                .push_bind(f.skills)
                .push_bind(f.certificates)
                .push_bind(f.preferred_locations)
                .push_bind(f.expected_salary)
                .push_bind(f.available_from)
                .push_bind(f.email)
                .push_bind(f.phone)
                .push_bind(f.consent)
                .push_bind(f.summary)
                .push_bind(f.status)
        }
    )
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
