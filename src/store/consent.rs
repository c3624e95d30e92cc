//! Consent records, newest last; `graduates.consent` mirrors the latest one.

use super::page::{Page, PageRequest};
use super::{Access, Result, on_backend};
use crate::domain::consent::{ConsentMethod, ConsentRecord};
use chrono::{DateTime, Utc};

/// A record about to be written.
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    pub graduate_id: i64,
    pub given: bool,
    pub purpose: &'a str,
    pub text_version: &'a str,
    pub method: ConsentMethod,
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

pub async fn insert(db: &mut impl Access, r: &NewRecord<'_>) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO consent_records (graduate_id, given, purpose, text_version, method, user_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(r.graduate_id)
    .bind(r.given)
    .bind(r.purpose)
    .bind(r.text_version)
    .bind(r.method)
    .bind(r.user_id)
    .bind(r.at)
    .execute(e)
    .await
    .map(|_| ()))
}

/// Set the graduate's current answer (the mirror of the latest record).
pub async fn set_current(db: &mut impl Access, graduate_id: i64, given: bool) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("UPDATE graduates SET consent = $2, updated_at = $3 WHERE id = $1")
        .bind(graduate_id)
        .bind(given)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

/// A record with who recorded it, as the school's history shows it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConsentEntry {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub record: ConsentRecord,
    /// The e-mail of the user who recorded it; null when the graduate did (or the account
    /// is gone).
    pub recorded_by: Option<String>,
}

/// A graduate's records, newest first.
pub async fn history(db: &mut impl Access, graduate_id: i64, page: PageRequest) -> Result<Page<ConsentEntry>> {
    let items: Vec<ConsentEntry> = on_backend!(db, |e| sqlx::query_as(
        "SELECT c.id, c.graduate_id, c.given, c.purpose, c.text_version, c.method, c.user_id, c.at, \
         u.email AS recorded_by FROM consent_records c LEFT JOIN users u ON u.id = c.user_id \
         WHERE c.graduate_id = $1 ORDER BY c.id DESC LIMIT $2 OFFSET $3"
    )
    .bind(graduate_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total: i64 =
        on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM consent_records WHERE graduate_id = $1")
            .bind(graduate_id)
            .fetch_one(e)
            .await)?;
    Ok(Page::new(items, total, page))
}

/// Every record of a graduate, oldest first (what a download of their data holds).
pub async fn all(db: &mut impl Access, graduate_id: i64) -> Result<Vec<ConsentRecord>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, graduate_id, given, purpose, text_version, method, user_id, at FROM consent_records \
         WHERE graduate_id = $1 ORDER BY id"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// The graduate's latest record, if any.
pub async fn latest(db: &mut impl Access, graduate_id: i64) -> Result<Option<ConsentRecord>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, graduate_id, given, purpose, text_version, method, user_id, at FROM consent_records \
         WHERE graduate_id = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(graduate_id)
    .fetch_optional(e)
    .await)
}

/// Lock the graduate's row for a consent change (PostgreSQL: two changes at once record
/// one after the other, each seeing the other's record; SQLite writes one at a time).
pub async fn lock(db: &mut impl Access, graduate_id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("UPDATE graduates SET consent = consent WHERE id = $1")
        .bind(graduate_id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

/// The purpose of the latest consent given, for each of `graduate_ids` that has one (what
/// companies are shown beside a consenting graduate).
pub async fn purposes(db: &mut impl Access, graduate_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if graduate_ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(db, |e| {
        let mut qb = super::bulk::builder(
            super::bulk::backend_of(&*e),
            "SELECT c.graduate_id, c.purpose FROM consent_records c WHERE c.id IN \
             (SELECT MAX(l.id) FROM consent_records l WHERE l.given AND l.graduate_id IN (",
        );
        let mut list = qb.separated(", ");
        for id in graduate_ids {
            list.push_bind(*id);
        }
        qb.push(") GROUP BY l.graduate_id)");
        qb.build_query_as().fetch_all(e).await
    })
}
