//! Queueing notices (the request side of the outbox) and reading them back.

use super::{Access, PageRequest, Result, on_backend};
use crate::domain::notice::NoticePayload;
use crate::domain::{NoticeKind, NoticeStatus};
use chrono::{DateTime, Utc};
use sqlx::types::Json;

/// A notice to queue.
pub struct NewNotice<'a> {
    pub kind: NoticeKind,
    pub event_id: Option<i64>,
    pub round_id: Option<i64>,
    pub revision: i64,
    /// The graduate a personal link is for (erasing the graduate deletes the notice).
    pub graduate_id: Option<i64>,
    /// Unique: a notice with the same key is never queued twice.
    pub dedupe_key: String,
    pub payload: &'a NoticePayload,
}

/// Queue a notice unless one with the same key exists; returns whether it was queued.
pub async fn enqueue(db: &mut impl Access, n: &NewNotice<'_>) -> Result<bool> {
    let now = Utc::now();
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO notices (kind, event_id, round_id, revision, organization_id, recipient_email, recipient_name, \
         dedupe_key, payload, status, attempts, next_attempt_at, created_at, graduate_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 0, $10, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING"
    )
    .bind(n.kind)
    .bind(n.event_id)
    .bind(n.round_id)
    .bind(n.revision)
    .bind(n.payload.recipient.organization_id)
    .bind(&n.payload.recipient.email)
    .bind(&n.payload.recipient.name)
    .bind(&n.dedupe_key)
    .bind(Json(n.payload))
    .bind(now)
    .bind(n.graduate_id)
    .execute(e)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// A notice as the API lists it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub kind: NoticeKind,
    pub revision: i64,
    pub organization_id: Option<i64>,
    pub recipient_email: String,
    pub recipient_name: Option<String>,
    pub status: NoticeStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub message_id: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn event_notice(db: &mut impl Access, event_id: i64, id: i64) -> Result<Option<NoticeView>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, kind, revision, organization_id, recipient_email, recipient_name, status, attempts, last_error, \
         message_id, next_attempt_at, sent_at, created_at FROM notices WHERE event_id = $1 AND id = $2"
    )
    .bind(event_id)
    .bind(id)
    .fetch_optional(e)
    .await)
}

/// A failed notice back to the queue, due now; its attempts stay counted.
pub async fn requeue(db: &mut impl Access, id: i64, now: DateTime<Utc>) -> Result<()> {
    on_backend!(db, |e| {
        sqlx::query(
        "UPDATE notices SET status = 'queued', next_attempt_at = $2, claimed_until = NULL WHERE id = $1 AND status = 'failed'"
    )
    .bind(id)
    .bind(now)
    .execute(e)
    .await
    .map(|_| ())
    })
}

pub async fn for_event(db: &mut impl Access, event_id: i64, page: PageRequest) -> Result<(Vec<NoticeView>, i64)> {
    let rows = on_backend!(db, |e| {
        sqlx::query_as(
        "SELECT id, kind, revision, organization_id, recipient_email, recipient_name, status, attempts, last_error, \
         message_id, next_attempt_at, sent_at, created_at FROM notices WHERE event_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
    )
    .bind(event_id)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await
    })?;
    let total = on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE event_id = $1")
        .bind(event_id)
        .fetch_one(e)
        .await)?;
    Ok((rows, total))
}

pub async fn unsubscribe(db: &mut impl Access, email: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO unsubscribes (email, created_at) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING"
    )
    .bind(email)
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|_| ()))
}

pub async fn is_unsubscribed(db: &mut impl Access, email: &str) -> Result<bool> {
    on_backend!(db, |e| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM unsubscribes WHERE email = $1")
        .bind(email)
        .fetch_one(e)
        .await
        .map(|n| n > 0))
}

/// Who receives an organisation's notices: its contact e-mail and its users' e-mails, as
/// (organisation id, organisation name, e-mail, name).
pub async fn recipients(
    db: &mut impl Access,
    organization_ids: &[i64],
) -> Result<Vec<(i64, String, String, Option<String>)>> {
    let mut out = Vec::new();
    for id in organization_ids {
        let rows: Vec<(i64, String, String, Option<String>)> = on_backend!(db, |e| sqlx::query_as(
            "SELECT o.id, o.name, o.contact_email, o.contact_name FROM organizations o \
             WHERE o.id = $1 AND o.contact_email IS NOT NULL \
             UNION SELECT o.id, o.name, u.email, NULL FROM users u JOIN organizations o ON o.id = u.organization_id \
             WHERE o.id = $1"
        )
        .bind(id)
        .fetch_all(e)
        .await)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Notices not yet handed to the mail server (queued or waiting to retry) that no longer
/// should go out become `failed` with `reason`; `xiaoqi notices retry` can still send one.
/// Rows a worker is sending right now are left alone. Returns how many.
pub async fn supersede_for_event(db: &mut impl Access, event_id: i64, reason: &str) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'failed', last_error = $2 WHERE event_id = $1 \
         AND kind IN ('invitation', 'update', 'reminder') AND status IN ('queued', 'retrying')"
    )
    .bind(event_id)
    .bind(reason)
    .execute(e)
    .await
    .map(|r| r.rows_affected()))
}

/// Reminders to `email` not yet handed to the mail server become `failed` with `reason`.
pub async fn supersede_reminders_to(db: &mut impl Access, email: &str, reason: &str) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE notices SET status = 'failed', last_error = $2 WHERE recipient_email = $1 \
         AND kind = 'reminder' AND status IN ('queued', 'retrying')"
    )
    .bind(email)
    .bind(reason)
    .execute(e)
    .await
    .map(|r| r.rows_affected()))
}
