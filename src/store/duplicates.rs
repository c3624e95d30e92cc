//! Possible duplicates across schools: the same ID number, or the same name and phone.
//! Within one school the 学号 is unique, so duplicates there are refused, not listed.

use super::{Access, PageRequest, Result, on_backend};
use crate::domain::duplicate::{DuplicateReason, DuplicateStatus};
use chrono::{DateTime, Utc};

/// Pairs of `a` (the graduates scanned) and `b` (any other school's graduate), stored lower
/// id first; a pair already known (in any status) is left alone.
fn pairs(scanned: &str) -> String {
    format!(
        "INSERT INTO graduate_duplicates (graduate_id, other_id, reason, found_at) \
         SELECT CASE WHEN a.id < b.id THEN a.id ELSE b.id END, CASE WHEN a.id < b.id THEN b.id ELSE a.id END, \
                CASE WHEN a.id_number = b.id_number THEN 'id_number' ELSE 'name_phone' END, $2 \
         FROM graduates a JOIN graduates b ON b.organization_id <> a.organization_id \
              AND (b.id_number = a.id_number OR (b.name = a.name AND b.phone = a.phone)) \
         WHERE {scanned} AND (a.id_number IS NOT NULL OR a.phone IS NOT NULL) \
         ON CONFLICT (graduate_id, other_id) DO NOTHING"
    )
}

static ONE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| pairs("a.id = $1"));
static SCHOOL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| pairs("a.organization_id = $1"));

/// Record the cross-school duplicate candidates of one graduate; the number of new pairs.
pub async fn scan_one(db: &mut impl Access, graduate_id: i64) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(sqlx::AssertSqlSafe(ONE.as_str()))
        .bind(graduate_id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}

/// Record the cross-school duplicate candidates of a whole school's roster (after an
/// import: one statement instead of one per row); the number of new pairs.
pub async fn scan_school(db: &mut impl Access, organization_id: i64) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(sqlx::AssertSqlSafe(SCHOOL.as_str()))
        .bind(organization_id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}

/// A stored pair: `graduate_id` is the lower id. Once merged, `kept_id` is the surviving
/// record; the other was erased and only its id remains.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pair {
    pub id: i64,
    pub graduate_id: i64,
    pub other_id: i64,
    pub reason: DuplicateReason,
    pub status: DuplicateStatus,
    pub found_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<i64>,
    pub kept_id: Option<i64>,
}

macro_rules! pair_columns {
    () => {
        "id, graduate_id, other_id, reason, status, found_at, resolved_at, resolved_by, kept_id"
    };
}

/// One page of the pairs in `status`: open ones oldest first (a queue worked from the
/// top), resolved ones most recently resolved first.
pub async fn list(db: &mut impl Access, status: DuplicateStatus, page: PageRequest) -> Result<(Vec<Pair>, i64)> {
    let items: Vec<Pair> = if status == DuplicateStatus::Open {
        on_backend!(db, |e| sqlx::query_as(concat!(
            "SELECT ",
            pair_columns!(),
            " FROM graduate_duplicates WHERE status = $1 ORDER BY id LIMIT $2 OFFSET $3"
        ))
        .bind(status)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?
    } else {
        on_backend!(db, |e| sqlx::query_as(concat!(
            "SELECT ",
            pair_columns!(),
            " FROM graduate_duplicates WHERE status = $1 ORDER BY resolved_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(status)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(e)
        .await)?
    };
    let total = on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM graduate_duplicates WHERE status = $1")
        .bind(status)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}

/// How many pairs there are in each status (statuses without pairs left out).
pub async fn counts(db: &mut impl Access) -> Result<Vec<(DuplicateStatus, i64)>> {
    on_backend!(db, |e| sqlx::query_as("SELECT status, COUNT(*) FROM graduate_duplicates GROUP BY status")
        .fetch_all(e)
        .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<Pair>> {
    on_backend!(db, |e| sqlx::query_as(concat!("SELECT ", pair_columns!(), " FROM graduate_duplicates WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await)
}

/// Close an open pair as merged (into `kept_id`) or dismissed; false when it is not open
/// (any more). On PostgreSQL the row stays locked until the transaction ends, so of two
/// coordinators resolving one pair at once, the second finds it closed.
pub async fn resolve(
    db: &mut impl Access,
    id: i64,
    status: DuplicateStatus,
    kept_id: Option<i64>,
    by: i64,
) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE graduate_duplicates SET status = $2, kept_id = $3, resolved_at = $4, resolved_by = $5 \
         WHERE id = $1 AND status = 'open'"
    )
    .bind(id)
    .bind(status)
    .bind(kept_id)
    .bind(Utc::now())
    .bind(by)
    .execute(e)
    .await
    .map(|r| r.rows_affected() > 0))
}

/// A graduate is being erased: its open and dismissed pairs go with it. Merges it had
/// absorbed follow it `into` the record it is merged into, or go too when it is simply
/// erased (a merged pair lives as long as its surviving record).
pub async fn forget(db: &mut impl Access, graduate_id: i64, into: Option<i64>) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "DELETE FROM graduate_duplicates WHERE (graduate_id = $1 OR other_id = $1) AND status <> 'merged'"
    )
    .bind(graduate_id)
    .execute(e)
    .await
    .map(|_| ()))?;
    match into {
        Some(kept) => {
            on_backend!(db, |e| sqlx::query("UPDATE graduate_duplicates SET kept_id = $2 WHERE kept_id = $1")
                .bind(graduate_id)
                .bind(kept)
                .execute(e)
                .await
                .map(|_| ()))
        }
        None => on_backend!(db, |e| sqlx::query("DELETE FROM graduate_duplicates WHERE kept_id = $1")
            .bind(graduate_id)
            .execute(e)
            .await
            .map(|_| ())),
    }
}

/// Take both graduates' row locks, lower id first (on PostgreSQL; SQLite has one writer):
/// two merges touching the same graduate run one after the other instead of deadlocking.
/// The number of the two that still exist.
pub async fn lock_graduates(db: &mut impl Access, a: i64, b: i64) -> Result<u64> {
    let mut found = 0;
    for id in [a.min(b), a.max(b)] {
        found += on_backend!(db, |e| sqlx::query("UPDATE graduates SET updated_at = updated_at WHERE id = $1")
            .bind(id)
            .execute(e)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(found)
}

/// The postings whose shortlists rank this graduate.
pub async fn shortlisted_on(db: &mut impl Access, graduate_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT posting_id FROM posting_shortlists WHERE graduate_id = $1 ORDER BY posting_id"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// How many consent records a graduate has.
pub async fn consent_records(db: &mut impl Access, graduate_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1")
        .bind(graduate_id)
        .fetch_one(e)
        .await)
}

/// Move every consent record of `from` to `to`, keeping their ids (so the order of the
/// combined history is the order they were given in); the number moved.
pub async fn move_consent_records(db: &mut impl Access, from: i64, to: i64) -> Result<u64> {
    on_backend!(db, |e| sqlx::query("UPDATE consent_records SET graduate_id = $2 WHERE graduate_id = $1")
        .bind(from)
        .bind(to)
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}

/// The answer of a graduate's latest consent record, if any.
pub async fn latest_consent(db: &mut impl Access, graduate_id: i64) -> Result<Option<bool>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT given FROM consent_records WHERE graduate_id = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(graduate_id)
    .fetch_optional(e)
    .await)
}
