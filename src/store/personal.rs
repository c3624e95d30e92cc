//! What is held about one graduate beyond their record and consent: the queries behind
//! the graduate's own page and the download of everything held about them.

use super::{Access, Result, on_backend};
use crate::domain::{NoticeKind, NoticeStatus, PostingStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One of the graduate's ranked choices, with what the posting is.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChoiceRow {
    pub rank: i64,
    pub posting_id: i64,
    pub title: String,
    pub company_name: String,
    pub location: Option<String>,
    pub status: PostingStatus,
}

pub async fn choices(db: &mut impl Access, graduate_id: i64) -> Result<Vec<ChoiceRow>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT c.rank, c.posting_id, p.title, o.name AS company_name, p.location, p.status \
         FROM graduate_choices c JOIN postings p ON p.id = c.posting_id \
         JOIN organizations o ON o.id = p.organization_id WHERE c.graduate_id = $1 ORDER BY c.rank"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// On how many postings' shortlists the graduate is.
pub async fn shortlisted(db: &mut impl Access, graduate_id: i64) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM posting_shortlists WHERE graduate_id = $1")
        .bind(graduate_id)
        .fetch_one(e)
        .await)
}

/// An audit entry about the graduate: what was done, when.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub action: String,
    /// The user who did it; none when the graduate did, through their link.
    #[serde(skip)]
    pub user_id: Option<i64>,
    pub at: DateTime<Utc>,
}

pub async fn audit(db: &mut impl Access, graduate_id: i64) -> Result<Vec<AuditRow>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT action, user_id, at FROM audit_entries \
         WHERE entity = 'graduate' AND entity_id = $1 ORDER BY id"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}

/// An e-mail sent (or to be sent) to the graduate.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NoticeRow {
    pub kind: NoticeKind,
    pub recipient_email: String,
    pub status: NoticeStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub async fn notices(db: &mut impl Access, graduate_id: i64) -> Result<Vec<NoticeRow>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT kind, recipient_email, status, created_at, sent_at FROM notices WHERE graduate_id = $1 ORDER BY id"
    )
    .bind(graduate_id)
    .fetch_all(e)
    .await)
}
