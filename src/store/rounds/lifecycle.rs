//! A round's lifecycle: created as a draft (its scope naming known ids), claimed by one
//! run at a time, alive while its heartbeat moves, then done with its statistics or
//! failed, and finally published.

use crate::domain::RoundStatus;
use crate::domain::round::{Progress, Round, RoundSettings, RoundStats};
use crate::store::{Access, PageRequest, Result, on_backend};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

#[derive(Debug, sqlx::FromRow)]
struct RoundRow {
    id: i64,
    settings: Json<RoundSettings>,
    status: RoundStatus,
    phase: Option<String>,
    percent: i64,
    error: Option<String>,
    stats: Option<Json<RoundStats>>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
}

impl From<RoundRow> for Round {
    fn from(r: RoundRow) -> Self {
        let progress = match (r.status, r.phase) {
            (RoundStatus::Running, Some(phase)) => Some(Progress { phase, percent: r.percent }),
            _ => None,
        };
        Round {
            id: r.id,
            settings: r.settings.0,
            status: r.status,
            progress,
            error: r.error,
            stats: r.stats.map(|s| s.0),
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            published_at: r.published_at,
        }
    }
}

macro_rules! columns {
    () => {
        "id, settings, status, phase, percent, error, stats, created_at, started_at, finished_at, published_at"
    };
}

pub async fn insert(db: &mut impl Access, settings: &RoundSettings, created_by: i64) -> Result<Round> {
    let row: RoundRow = on_backend!(db, |e| sqlx::query_as(concat!(
        "INSERT INTO rounds (name, settings, status, created_by, created_at) VALUES ($1, $2, 'draft', $3, $4) \
         RETURNING ",
        columns!()
    ))
    .bind(&settings.name)
    .bind(Json(settings))
    .bind(created_by)
    .bind(Utc::now())
    .fetch_one(e)
    .await)?;
    Ok(row.into())
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Round>> {
    let row: Option<RoundRow> =
        on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", columns!(), " FROM rounds WHERE id = $1"))
            .bind(id)
            .fetch_optional(e)
            .await)?;
    Ok(row.map(Round::from))
}

/// Rounds, newest first; `published_only` for tenants who see published rounds only.
pub async fn list(db: &mut impl Access, published_only: bool, page: PageRequest) -> Result<(Vec<Round>, i64)> {
    let rows: Vec<RoundRow> = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM rounds WHERE ($1 = FALSE OR status = 'published') ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(published_only)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rounds WHERE ($1 = FALSE OR status = 'published')"
    )
    .bind(published_only)
    .fetch_one(e)
    .await)?;
    Ok((rows.into_iter().map(Round::from).collect(), total))
}

/// Which ids a round's scope may name.
#[derive(Debug, Clone, Copy)]
pub enum Known {
    Postings,
    Projects,
    Schools,
    Graduates,
}

/// Every id of one kind (scopes may name many; one query beats one per id).
pub async fn ids(db: &mut impl Access, known: Known) -> Result<std::collections::HashSet<i64>> {
    let sql = match known {
        Known::Postings => "SELECT id FROM postings",
        Known::Projects => "SELECT id FROM projects",
        Known::Schools => "SELECT id FROM organizations WHERE kind = 'school'",
        Known::Graduates => "SELECT id FROM graduates",
    };
    let ids: Vec<i64> = on_backend!(db, |e| sqlx::query_scalar(sql).fetch_all(e).await)?;
    Ok(ids.into_iter().collect())
}

/// Mark a round running if it may run: a draft, a failed or done round (runs again from
/// scratch), or a running round whose heartbeat stopped before `stale_before` (its process
/// died). Returns the run's token (its start time, to the microsecond both databases
/// keep) if this call claimed it; later writes of the run name it, so a run that lost its
/// claim can no longer touch the round.
pub async fn claim(db: &mut impl Access, id: i64, stale_before: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let now = Utc::now();
    let run = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let claimed = on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET status = 'running', phase = 'loading', percent = 0, error = NULL, stats = NULL, \
         started_at = $2, heartbeat_at = $2, finished_at = NULL \
         WHERE id = $1 AND (status IN ('draft', 'failed', 'done') OR (status = 'running' AND heartbeat_at < $3))"
    )
    .bind(id)
    .bind(run)
    .bind(stale_before)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))?;
    Ok(claimed.then_some(run))
}

/// Record progress (and that the run is alive). Returns whether the round is still this
/// run's: in a transaction that also writes results, a `true` here (the round row now
/// locked by it on PostgreSQL, the writer held on SQLite) means no other run has claimed
/// the round, so the rows written with it belong to the current run.
pub async fn progress(db: &mut impl Access, id: i64, run: DateTime<Utc>, phase: &str, percent: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET phase = $2, percent = $3, heartbeat_at = $4 \
         WHERE id = $1 AND status = 'running' AND started_at = $5"
    )
    .bind(id)
    .bind(phase)
    .bind(percent)
    .bind(Utc::now())
    .bind(run)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Whether the round is still this run's, holding a share lock on its row (PostgreSQL only:
/// `FOR SHARE`) until the transaction ends. Several transactions may hold it at once, so
/// results are written on several connections in parallel, while a claim by another run
/// (an update of the row) waits for them all to end: rows written after a `true` here belong
/// to the current run, as with [`progress`], whose row lock would let only one at a time.
pub async fn holds_shared(db: &mut impl Access, id: i64, run: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "SELECT 1 FROM rounds WHERE id = $1 AND status = 'running' AND started_at = $2 FOR SHARE"
    )
    .bind(id)
    .bind(run)
    .fetch_optional(e)
    .await
    .map(|r| r.is_some()))
}

pub async fn fail(db: &mut impl Access, id: i64, run: DateTime<Utc>, error: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET status = 'failed', phase = NULL, error = $2, finished_at = $3 \
         WHERE id = $1 AND status = 'running' AND started_at = $4"
    )
    .bind(id)
    .bind(error)
    .bind(Utc::now())
    .bind(run)
    .execute(e)
    .await
    .map(|_| ()))
}

/// Rounds left running by a process that died (heartbeat older than `stale_before`) become
/// failed, so they can run again. Returns how many.
pub async fn fail_stale(db: &mut impl Access, stale_before: DateTime<Utc>) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET status = 'failed', phase = NULL, \
         error = 'interrupted: the process running it stopped / 运行中断，可重新运行', finished_at = $2 \
         WHERE status = 'running' AND heartbeat_at < $1"
    )
    .bind(stale_before)
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|r| r.rows_affected()))
}

pub async fn finish(db: &mut impl Access, id: i64, run: DateTime<Utc>, stats: &RoundStats) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET status = 'done', phase = NULL, percent = 100, stats = $2, finished_at = $3 \
         WHERE id = $1 AND status = 'running' AND started_at = $4"
    )
    .bind(id)
    .bind(Json(stats))
    .bind(Utc::now())
    .bind(run)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

pub async fn publish(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE rounds SET status = 'published', published_at = $2 WHERE id = $1 AND status = 'done'"
    )
    .bind(id)
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}
