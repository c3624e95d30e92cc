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

/// A graduate's records, newest first.
pub async fn history(db: &mut impl Access, graduate_id: i64, page: PageRequest) -> Result<Page<ConsentRecord>> {
    let items: Vec<ConsentRecord> = on_backend!(db, |e| sqlx::query_as(
        "SELECT id, graduate_id, given, purpose, text_version, method, user_id, at FROM consent_records \
         WHERE graduate_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
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
