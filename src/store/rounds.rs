//! Matching rounds: the round, and per graduate and per posting the preferences it used
//! and the outcome. Results are written in one transaction (see `services::rounds`).

use super::bulk::{MAX_BINDS, backend_of, builder};
use super::{Access, PageRequest, Result, Tx, on_backend};
use crate::domain::RoundStatus;
use crate::domain::round::{Progress, Round, RoundSettings, RoundStats};
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

/// Record progress (and that the run is alive).
pub async fn progress(db: &mut impl Access, id: i64, run: DateTime<Utc>, phase: &str, percent: i64) -> Result<()> {
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
    .map(|_| ()))
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

/// Remove a previous run's results (a round runs again from scratch).
pub async fn clear_results(db: &mut impl Access, id: i64) -> Result<()> {
    on_backend!(db, |e| {
        sqlx::query("DELETE FROM round_graduates WHERE round_id = $1").bind(id).execute(&mut *e).await?;
        sqlx::query("DELETE FROM round_postings WHERE round_id = $1").bind(id).execute(&mut *e).await.map(|_| ())
    })
}

/// One graduate of a round's instance and its outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateRow {
    pub graduate_id: i64,
    pub school_id: i64,
    /// Ranked posting ids, JSON.
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub posting_id: Option<i64>,
    pub company_id: Option<i64>,
    /// 1-based rank the graduate gave its posting.
    pub graduate_rank: Option<i64>,
    /// 1-based rank the posting gave the graduate.
    pub posting_rank: Option<i64>,
    pub score: Option<Json<serde_json::Value>>,
    pub explanation: Json<serde_json::Value>,
}

/// One posting of a round's instance and its outcome.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingRow {
    pub posting_id: i64,
    pub company_id: i64,
    pub project_id: Option<i64>,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub capacity: i64,
    pub filled: i64,
    pub explanation: Json<serde_json::Value>,
}

const GRADUATE_BINDS: usize = 12;
const POSTING_BINDS: usize = 10;

pub async fn insert_graduate_rows(tx: &mut Tx, round_id: i64, rows: &[GraduateRow]) -> Result<()> {
    for chunk in rows.chunks(MAX_BINDS / GRADUATE_BINDS) {
        on_backend!(tx, |e| {
            let mut qb = builder(
                backend_of(&*e),
                "INSERT INTO round_graduates (round_id, graduate_id, school_id, preferences, lottery, posting_id, \
                 company_id, graduate_rank, posting_rank, score, explanation) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(round_id)
                    .push_bind(r.graduate_id)
                    .push_bind(r.school_id)
                    .push_bind(r.preferences.clone())
                    .push_bind(r.lottery)
                    .push_bind(r.posting_id)
                    .push_bind(r.company_id)
                    .push_bind(r.graduate_rank)
                    .push_bind(r.posting_rank)
                    .push_bind(r.score.clone())
                    .push_bind(r.explanation.clone());
            });
            qb.build().execute(&mut *e).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn insert_posting_rows(tx: &mut Tx, round_id: i64, rows: &[PostingRow]) -> Result<()> {
    for chunk in rows.chunks(MAX_BINDS / POSTING_BINDS) {
        on_backend!(tx, |e| {
            let mut qb = builder(
                backend_of(&*e),
                "INSERT INTO round_postings (round_id, posting_id, company_id, project_id, preferences, lottery, \
                 capacity, filled, explanation) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(round_id)
                    .push_bind(r.posting_id)
                    .push_bind(r.company_id)
                    .push_bind(r.project_id)
                    .push_bind(r.preferences.clone())
                    .push_bind(r.lottery)
                    .push_bind(r.capacity)
                    .push_bind(r.filled)
                    .push_bind(r.explanation.clone());
            });
            qb.build().execute(&mut *e).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Which rows of a round a reader may see.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowFilter {
    /// Only this school's graduates.
    pub school_id: Option<i64>,
    /// Only graduates placed with this company (for postings: this company's postings).
    pub company_id: Option<i64>,
    /// Only matched (`Some(true)`) or unmatched (`Some(false)`) graduates.
    pub matched: Option<bool>,
}

/// A graduate row with the names a reader needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GraduateRowView {
    #[sqlx(flatten)]
    pub row: GraduateRow,
    /// Null when the graduate was erased since.
    pub graduate_name: Option<String>,
    pub graduate_major: Option<String>,
    pub graduate_consent: Option<bool>,
    pub school_name: Option<String>,
    pub posting_title: Option<String>,
    pub company_name: Option<String>,
    pub project_id: Option<i64>,
}

macro_rules! graduate_rows_where {
    () => {
        " FROM round_graduates r \
         LEFT JOIN graduates g ON g.id = r.graduate_id \
         LEFT JOIN organizations s ON s.id = r.school_id \
         LEFT JOIN postings p ON p.id = r.posting_id \
         LEFT JOIN organizations c ON c.id = r.company_id \
         WHERE r.round_id = $1 AND ($2 IS NULL OR r.school_id = $2) AND ($3 IS NULL OR r.company_id = $3) \
         AND ($4 IS NULL OR (r.posting_id IS NOT NULL) = $4)"
    };
}

/// Graduate rows in graduate id order.
pub async fn graduate_rows(
    db: &mut impl Access,
    round_id: i64,
    filter: RowFilter,
    page: PageRequest,
) -> Result<(Vec<GraduateRowView>, i64)> {
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT r.graduate_id, r.school_id, r.preferences, r.lottery, r.posting_id, r.company_id, r.graduate_rank, \
         r.posting_rank, r.score, r.explanation, g.name AS graduate_name, g.major AS graduate_major, \
         g.consent AS graduate_consent, \
         s.name AS school_name, p.title AS posting_title, c.name AS company_name, p.project_id AS project_id",
        graduate_rows_where!(),
        " ORDER BY r.graduate_id LIMIT $5 OFFSET $6"
    ))
    .bind(round_id)
    .bind(filter.school_id)
    .bind(filter.company_id)
    .bind(filter.matched)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", graduate_rows_where!()))
        .bind(round_id)
        .bind(filter.school_id)
        .bind(filter.company_id)
        .bind(filter.matched)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

/// A posting row with the names a reader needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostingRowView {
    #[sqlx(flatten)]
    pub row: PostingRow,
    pub posting_title: String,
    pub company_name: String,
    pub project_name: Option<String>,
}

macro_rules! posting_rows_where {
    () => {
        " FROM round_postings r JOIN postings p ON p.id = r.posting_id \
         JOIN organizations c ON c.id = r.company_id LEFT JOIN projects pr ON pr.id = r.project_id \
         WHERE r.round_id = $1 AND ($2 IS NULL OR r.company_id = $2)"
    };
}

/// Posting rows in posting id order.
pub async fn posting_rows(
    db: &mut impl Access,
    round_id: i64,
    company_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<PostingRowView>, i64)> {
    let rows = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT r.posting_id, r.company_id, r.project_id, r.preferences, r.lottery, r.capacity, r.filled, \
         r.explanation, p.title AS posting_title, c.name AS company_name, pr.name AS project_name",
        posting_rows_where!(),
        " ORDER BY r.posting_id LIMIT $3 OFFSET $4"
    ))
    .bind(round_id)
    .bind(company_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", posting_rows_where!()))
        .bind(round_id)
        .bind(company_id)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

/// Placed graduates of a round and, per posting, the seats they took (for a later round
/// over what is left).
pub async fn placements(db: &mut impl Access, round_id: i64) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT graduate_id, posting_id FROM round_graduates WHERE round_id = $1 AND posting_id IS NOT NULL"
    )
    .bind(round_id)
    .fetch_all(e)
    .await)
}

/// Titles and company names of postings, for explanations.
pub async fn posting_labels(db: &mut impl Access, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(db, |e| {
        let mut qb = builder(
            backend_of(&*e),
            "SELECT p.id, p.title, o.name FROM postings p JOIN organizations o ON o.id = p.organization_id WHERE p.id IN (",
        );
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build_query_as().fetch_all(e).await
    })
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

/// A graduate's part of a round's instance.
#[derive(Debug, sqlx::FromRow)]
pub struct GraduateInput {
    pub graduate_id: i64,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
}

/// A posting's part of a round's instance.
#[derive(Debug, sqlx::FromRow)]
pub struct PostingInput {
    pub posting_id: i64,
    pub preferences: Json<Vec<i64>>,
    pub lottery: i64,
    pub capacity: i64,
}

/// The graduates' lists of a round, in id order (one school's when `school_id` is given).
pub async fn graduate_inputs(
    db: &mut impl Access,
    round_id: i64,
    school_id: Option<i64>,
) -> Result<Vec<GraduateInput>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT graduate_id, preferences, lottery FROM round_graduates \
         WHERE round_id = $1 AND ($2 IS NULL OR school_id = $2) ORDER BY graduate_id"
    )
    .bind(round_id)
    .bind(school_id)
    .fetch_all(e)
    .await)
}

/// The postings' lists of a round, in id order (one company's when `company_id` is given).
pub async fn posting_inputs(db: &mut impl Access, round_id: i64, company_id: Option<i64>) -> Result<Vec<PostingInput>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT posting_id, preferences, lottery, capacity FROM round_postings \
         WHERE round_id = $1 AND ($2 IS NULL OR company_id = $2) ORDER BY posting_id"
    )
    .bind(round_id)
    .bind(company_id)
    .fetch_all(e)
    .await)
}

/// Per organisation, what a published round means for it: schools (id, graduates, matched)
/// and companies with postings in the round (id, graduates placed with it, possibly 0).
pub async fn outcomes(db: &mut impl Access, round_id: i64) -> Result<(Vec<(i64, i64, i64)>, Vec<(i64, i64)>)> {
    let schools = on_backend!(db, |e| sqlx::query_as(
        "SELECT school_id, COUNT(*), COUNT(posting_id) FROM round_graduates WHERE round_id = $1 \
         GROUP BY school_id ORDER BY school_id"
    )
    .bind(round_id)
    .fetch_all(e)
    .await)?;
    let companies = on_backend!(db, |e| sqlx::query_as(
        "SELECT p.company_id, COUNT(g.graduate_id) FROM round_postings p LEFT JOIN round_graduates g \
         ON g.round_id = p.round_id AND g.posting_id = p.posting_id WHERE p.round_id = $1 \
         GROUP BY p.company_id ORDER BY p.company_id"
    )
    .bind(round_id)
    .fetch_all(e)
    .await)?;
    Ok((schools, companies))
}
