//! The outbox as the worker sees it: claim due notices, record what happened.
//!
//! Every function here is one SQL statement, so it is atomic on its own; callers run it in
//! a write transaction ([`super::Db::begin`]), which on SQLite takes the write lock at once.
//!
//! Claiming is the one place where the backends need different text. PostgreSQL may have
//! several workers (one per server node) claiming at once: `FOR UPDATE SKIP LOCKED` lets
//! each take rows the others have not locked, without waiting or double-claiming. SQLite
//! has no row locks and no such clause, and needs none: all writes go through one
//! connection under `BEGIN IMMEDIATE`, so claims are serialised. The two statements are
//! otherwise identical: one text with the locking clause spliced in per backend.
//!
//! The fence: `claim` increments `attempts`, and every outcome except "sent" is recorded
//! only if the row is still `sending` with the attempt number this worker claimed. A worker
//! whose lease ran out (and whose row another worker reclaimed) cannot overwrite the newer
//! claim's outcome.

use super::{Access, Exec, Result, on_backend};
use chrono::{DateTime, Utc};

/// A notice claimed for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedNotice {
    pub id: i64,
    /// The payload as stored: JSON of [`crate::domain::NoticePayload`]. Kept as text so
    /// one unreadable row fails alone instead of failing the whole claim.
    pub payload: String,
    /// Including this attempt (1 on the first).
    pub attempts: i64,
    pub recipient_email: String,
    pub created_at: DateTime<Utc>,
}

/// The claim, with `$lock` the only part that differs by backend.
macro_rules! claim_statement {
    ($lock:literal) => {
        concat!(
            "UPDATE notices SET status = 'sending', claimed_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM notices \
                          WHERE (status IN ('queued', 'retrying') AND next_attempt_at <= $1) \
                             OR (status = 'sending' AND claimed_until < $1) \
                          ORDER BY id LIMIT $3",
            $lock,
            ") RETURNING id, CAST(payload AS TEXT) AS payload, attempts, recipient_email, created_at"
        )
    };
}

/// PostgreSQL: skip rows another worker holds, so concurrent claimers never wait for or
/// share a row.
const CLAIM_POSTGRES: &str = claim_statement!(" FOR UPDATE SKIP LOCKED");
/// SQLite: no row locks; the single writer connection serialises claims.
const CLAIM_SQLITE: &str = claim_statement!("");

/// Move up to `limit` due notices to `sending`, leased until `now + lease`, and return
/// them in id order. Due: queued or retrying with `next_attempt_at <= now`, or sending
/// with an expired lease (its worker died).
pub async fn claim(
    db: &mut impl Access,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<ClaimedNotice>> {
    let mut rows: Vec<ClaimedNotice> = match db.exec() {
        Exec::Sqlite(e) => sqlx::query_as(CLAIM_SQLITE).bind(now).bind(now + lease).bind(limit).fetch_all(e).await?,
        Exec::Postgres(e) => {
            sqlx::query_as(CLAIM_POSTGRES).bind(now).bind(now + lease).bind(limit).fetch_all(e).await?
        }
    };
    // RETURNING gives no order guarantee.
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Record a delivery. Applies whatever the row's state: the server took the message, and
/// that is the truth even if this worker's lease ran out meanwhile. Returns false only if
/// the row is gone or already sent.
pub async fn mark_sent(db: &mut impl Access, id: i64, message_id: &str, at: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'sent', message_id = $2, sent_at = $3, claimed_until = NULL, \
         last_error = NULL WHERE id = $1 AND status <> 'sent'"
    )
    .bind(id)
    .bind(message_id)
    .bind(at)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Schedule another attempt after a failed one. `attempts` is the claimed attempt number
/// (the fence, see module docs); returns false if the claim is no longer this worker's.
pub async fn mark_retry(
    db: &mut impl Access,
    id: i64,
    attempts: i64,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'retrying', last_error = $3, next_attempt_at = $4, claimed_until = NULL \
         WHERE id = $1 AND status = 'sending' AND attempts = $2"
    )
    .bind(id)
    .bind(attempts)
    .bind(error)
    .bind(next_attempt_at)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Give up on a notice: it stays visible as `failed` with the last error until someone
/// requeues it. `attempts` is the fence, as for [`mark_retry`].
pub async fn mark_failed(db: &mut impl Access, id: i64, attempts: i64, error: &str) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'failed', last_error = $3, claimed_until = NULL \
         WHERE id = $1 AND status = 'sending' AND attempts = $2"
    )
    .bind(id)
    .bind(attempts)
    .bind(error)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Hand back a claimed notice that was not attempted (the worker is stopping, or its lease
/// is too short to start a send): due again at `now`, and the attempt does not count.
pub async fn release(db: &mut impl Access, id: i64, attempts: i64, now: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = CASE WHEN last_error IS NULL THEN 'queued' ELSE 'retrying' END, \
         attempts = attempts - 1, next_attempt_at = $3, claimed_until = NULL \
         WHERE id = $1 AND status = 'sending' AND attempts = $2"
    )
    .bind(id)
    .bind(attempts)
    .bind(now)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Put a failed notice back in the queue with a fresh set of attempts (for
/// `xiaoqi notices retry ID`). The last error stays until the next outcome replaces it.
/// Returns false if there is no such failed notice.
pub async fn requeue(db: &mut impl Access, id: i64, now: DateTime<Utc>) -> Result<bool> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'queued', attempts = 0, next_attempt_at = $2, claimed_until = NULL \
         WHERE id = $1 AND status = 'failed'"
    )
    .bind(id)
    .bind(now)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Notices not yet finished: queued, retrying or sending.
pub async fn depth(db: &mut impl Access) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar(
        "SELECT COUNT(*) FROM notices WHERE status IN ('queued', 'retrying', 'sending')"
    )
    .fetch_one(e)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_postgres_locks_rows() {
        assert_eq!(CLAIM_POSTGRES.replace(" FOR UPDATE SKIP LOCKED", ""), CLAIM_SQLITE);
        assert!(!CLAIM_SQLITE.contains("FOR UPDATE"));
    }
}
