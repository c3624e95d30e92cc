//! Ranked preferences: a graduate's choices (志愿) and a posting's shortlist. Rank 1 first.

use super::{Access, Result, on_backend};

/// Replace one owner's ranked list: `lock` takes the owner's row lock (so that two saves
/// of the same list run one after the other on PostgreSQL instead of colliding on the
/// primary key), `delete` removes the old list (`$1` the owner), `insert` adds one entry
/// (`$1` owner, `$2` 1-based rank, `$3` the ranked id).
async fn replace(
    db: &mut impl Access,
    lock: &'static str,
    delete: &'static str,
    insert: &'static str,
    owner: i64,
    ranked: &[i64],
) -> Result<()> {
    on_backend!(db, |e| sqlx::query(lock).bind(owner).execute(&mut *e).await.map(|_| ()))?;
    on_backend!(db, |e| sqlx::query(delete).bind(owner).execute(&mut *e).await.map(|_| ()))?;
    for (at, id) in ranked.iter().enumerate() {
        on_backend!(db, |e| sqlx::query(insert).bind(owner).bind(at as i64 + 1).bind(id).execute(e).await.map(|_| ()))?;
    }
    Ok(())
}

/// Replace a graduate's ranked choices.
pub async fn replace_choices(db: &mut impl Access, graduate_id: i64, posting_ids: &[i64]) -> Result<()> {
    replace(
        db,
        "UPDATE graduates SET updated_at = updated_at WHERE id = $1",
        "DELETE FROM graduate_choices WHERE graduate_id = $1",
        "INSERT INTO graduate_choices (graduate_id, rank, posting_id) VALUES ($1, $2, $3)",
        graduate_id,
        posting_ids,
    )
    .await
}

/// Replace a posting's ranked shortlist.
pub async fn replace_shortlist(db: &mut impl Access, posting_id: i64, graduate_ids: &[i64]) -> Result<()> {
    replace(
        db,
        "UPDATE postings SET updated_at = updated_at WHERE id = $1",
        "DELETE FROM posting_shortlists WHERE posting_id = $1",
        "INSERT INTO posting_shortlists (posting_id, rank, graduate_id) VALUES ($1, $2, $3)",
        posting_id,
        graduate_ids,
    )
    .await
}

pub async fn choices_of(db: &mut impl Access, graduate_id: i64) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT posting_id FROM graduate_choices WHERE graduate_id = $1 ORDER BY rank"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// A posting's shortlist; `consenting_only` leaves out graduates who have not consented
/// (or withdrew consent) to be shown to companies.
pub async fn shortlist_of(db: &mut impl Access, posting_id: i64, consenting_only: bool) -> Result<Vec<i64>> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT s.graduate_id FROM posting_shortlists s JOIN graduates g ON g.id = s.graduate_id \
         WHERE s.posting_id = $1 AND ($2 = FALSE OR g.consent) ORDER BY s.rank"
    )
    .bind(posting_id)
    .bind(consenting_only)
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
