//! Ranked preferences: a graduate's choices (志愿) and a posting's shortlist. Rank 1 first.

use super::{Access, Result, on_backend};

/// Replace a graduate's ranked choices.
pub async fn replace_choices(db: &mut impl Access, graduate_id: i64, posting_ids: &[i64]) -> Result<()> {
    on_backend!(db, |e| sqlx::query("DELETE FROM graduate_choices WHERE graduate_id = $1")
        .bind(graduate_id)
        .execute(&mut *e)
        .await
        .map(|_| ()))?;
    for (at, posting_id) in posting_ids.iter().enumerate() {
        on_backend!(db, |e| sqlx::query(
            "INSERT INTO graduate_choices (graduate_id, rank, posting_id) VALUES ($1, $2, $3)"
        )
        .bind(graduate_id)
        .bind(at as i64 + 1)
        .bind(posting_id)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Replace a posting's ranked shortlist.
pub async fn replace_shortlist(db: &mut impl Access, posting_id: i64, graduate_ids: &[i64]) -> Result<()> {
    on_backend!(db, |e| sqlx::query("DELETE FROM posting_shortlists WHERE posting_id = $1")
        .bind(posting_id)
        .execute(&mut *e)
        .await
        .map(|_| ()))?;
    for (at, graduate_id) in graduate_ids.iter().enumerate() {
        on_backend!(db, |e| sqlx::query(
            "INSERT INTO posting_shortlists (posting_id, rank, graduate_id) VALUES ($1, $2, $3)"
        )
        .bind(posting_id)
        .bind(at as i64 + 1)
        .bind(graduate_id)
        .execute(e)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

pub async fn choices_of(db: &mut impl Access, graduate_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT posting_id FROM graduate_choices WHERE graduate_id = $1 ORDER BY rank"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

pub async fn shortlist_of(db: &mut impl Access, posting_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT graduate_id FROM posting_shortlists WHERE posting_id = $1 ORDER BY rank"
    )
    .bind(posting_id)
    .fetch_all(e)
    .await)
}

/// Every choice as (graduate, posting), by graduate and rank.
pub async fn all_choices(db: &mut impl Access) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT graduate_id, posting_id FROM graduate_choices ORDER BY graduate_id, rank"
    )
    .fetch_all(e)
    .await)
}

/// Every shortlist entry as (posting, graduate), by posting and rank.
pub async fn all_shortlists(db: &mut impl Access) -> Result<Vec<(i64, i64)>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT posting_id, graduate_id FROM posting_shortlists ORDER BY posting_id, rank"
    )
    .fetch_all(e)
    .await)
}
