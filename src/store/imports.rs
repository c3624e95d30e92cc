//! Roster imports: the school's roster by 学号 (what an import compares against), the
//! bulk writes an import adds to `store::bulk`'s, and the files staged on the import page
//! between the preview and the run.

use super::bulk::{backend_of, builder};
use super::columns::{self, Sql};
use super::{Access, Result, Tx, on_backend};
use crate::domain::consent::ConsentMethod;
use crate::domain::graduate::{Graduate, GraduateFields};
use chrono::{DateTime, Utc};

static ROSTER: Sql = Sql::new(|| {
    format!(
        "SELECT {} FROM graduates WHERE organization_id = $1 AND student_no IS NOT NULL",
        columns::record::<GraduateFields>("")
    )
    .into()
});

/// The school's graduates that have a 学号 (the key an import updates by).
pub async fn roster(db: &mut impl Access, organization_id: i64) -> Result<Vec<Graduate>> {
    on_backend!(db, |e| sqlx::query_as(ROSTER.get()).bind(organization_id).fetch_all(e).await)
}

/// The highest graduate id so far (new rows get higher ones).
pub async fn max_graduate_id(db: &mut impl Access) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM graduates").fetch_one(e).await)
}

/// The school's graduates above id `above`: (id, 学号, consent).
pub async fn added_since(
    db: &mut impl Access,
    organization_id: i64,
    above: i64,
) -> Result<Vec<(i64, Option<String>, bool)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, student_no, consent FROM graduates WHERE organization_id = $1 AND id > $2 ORDER BY id"
    )
    .bind(organization_id)
    .bind(above)
    .fetch_all(e)
    .await)
}

/// Rows per statement of the bulk inserts below (7 values a row; SQLite allows 32766).
const ROWS_PER_STATEMENT: usize = 4_000;

/// The same consent record for many graduates: (graduate id, given).
#[allow(clippy::too_many_arguments)]
pub async fn insert_consent_records(
    tx: &mut Tx,
    records: &[(i64, bool)],
    purpose: &str,
    text_version: &str,
    method: ConsentMethod,
    user_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<()> {
    for chunk in records.chunks(ROWS_PER_STATEMENT) {
        on_backend!(tx, |e| {
            let mut qb = builder(
                backend_of(&*e),
                "INSERT INTO consent_records (graduate_id, given, purpose, text_version, method, user_id, at) ",
            );
            qb.push_values(chunk, |mut b, (id, given)| {
                b.push_bind(*id)
                    .push_bind(*given)
                    .push_bind(purpose)
                    .push_bind(text_version)
                    .push_bind(method)
                    .push_bind(user_id)
                    .push_bind(at);
            });
            qb.build().execute(&mut *e).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// A file staged on the import page (without its bytes).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Staged {
    pub id: i64,
    pub organization_id: i64,
    pub user_id: Option<i64>,
    pub file_name: String,
    /// `valid_rows` | `all_or_nothing`
    pub mode: String,
    /// `staged` | `running` | `done` | `failed`
    pub status: String,
    /// The dry run's report, JSON.
    pub preview: String,
    /// The run's report (JSON), or why it failed.
    pub result: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

const STAGED: &str = "SELECT id, organization_id, user_id, file_name, mode, status, preview, result, created_at, \
                      started_at, finished_at FROM imports WHERE id = $1";

/// A file about to be staged.
pub struct NewStaged<'a> {
    pub organization_id: i64,
    pub user_id: Option<i64>,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub mode: &'a str,
    pub preview: &'a str,
}

pub async fn stage(db: &mut impl Access, new: &NewStaged<'_>) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "INSERT INTO imports (organization_id, user_id, file_name, content, mode, status, preview, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'staged', $6, $7) RETURNING id"
    )
    .bind(new.organization_id)
    .bind(new.user_id)
    .bind(new.file_name)
    .bind(new.content)
    .bind(new.mode)
    .bind(new.preview)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Staged>> {
    on_backend!(db, |e| sqlx::query_as(STAGED).bind(id).fetch_optional(e).await)
}

/// The staged file's bytes.
pub async fn content(db: &mut impl Access, id: i64) -> Result<Option<Vec<u8>>> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT content FROM imports WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await)
}

/// Mark a staged (or failed, or interrupted: running since before `stale_before`) import
/// as running; false when it is not one of those (already running or done).
pub async fn claim(db: &mut impl Access, id: i64, stale_before: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE imports SET status = 'running', started_at = $2, finished_at = NULL, result = NULL \
         WHERE id = $1 AND (status IN ('staged', 'failed') OR (status = 'running' AND started_at < $3))"
    )
    .bind(id)
    .bind(Utc::now())
    .bind(stale_before)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Record how a run ended: `done` with its report, or `failed` with the reason.
pub async fn finish(db: &mut impl Access, id: i64, status: &str, result: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query("UPDATE imports SET status = $2, result = $3, finished_at = $4 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(result)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|_| ()))
}

/// Delete files staged before `before` (they hold personal data; a week is long enough
/// to preview, import and fetch the error workbook).
pub async fn purge(db: &mut impl Access, before: DateTime<Utc>) -> Result<u64> {
    on_backend!(db, |e| sqlx::query("DELETE FROM imports WHERE created_at < $1 AND status <> 'running'")
        .bind(before)
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}
