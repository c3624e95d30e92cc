//! Bearer tokens, stored only as SHA-256 hashes.
use super::{Access, Result, on_backend};
use crate::domain::Role;
use chrono::{DateTime, Utc};

/// Who a valid token belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    pub token_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub organization_id: i64,
    /// For the pages' header: who is signed in.
    pub email: String,
    pub organization_name: String,
    /// Until when a cached verification may stand for it.
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(db: &mut impl Access, user_id: i64, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(Utc::now())
    .bind(expires_at)
    .execute(e)
    .await
    .map(|_| ()))
}

/// The owner of an unexpired, unrevoked token.
pub async fn owner(db: &mut impl Access, token_hash: &str, now: DateTime<Utc>) -> Result<Option<TokenOwner>> {
    on_backend!(db, |e| {
        sqlx::query_as(
        "SELECT t.id AS token_id, u.id AS user_id, u.role, u.organization_id, u.email, o.name AS organization_name, t.expires_at \
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organizations o ON o.id = u.organization_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(e)
    .await
    })
}

pub async fn revoke(db: &mut impl Access, token_id: i64) -> Result<()> {
    on_backend!(db, |e| sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(token_id)
        .bind(Utc::now())
        .execute(e)
        .await
        .map(|_| ()))
}

/// Revoke every token (and so every page session) of a user but `except` (the one a
/// request came with, when it should stay signed in); how many were live.
pub async fn revoke_all_of(db: &mut impl Access, user_id: i64, except: Option<i64>, now: DateTime<Utc>) -> Result<u64> {
    on_backend!(db, |e| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id <> COALESCE($3, 0)"
    )
    .bind(user_id)
    .bind(now)
    .bind(except)
    .execute(e)
    .await
    .map(|r| r.rows_affected()))
}

/// Forget tokens that expired more than a day ago.
pub async fn purge_expired(db: &mut impl Access, now: DateTime<Utc>) -> Result<u64> {
    on_backend!(db, |e| sqlx::query("DELETE FROM api_tokens WHERE expires_at < $1")
        .bind(now - chrono::Duration::days(1))
        .execute(e)
        .await
        .map(|r| r.rows_affected()))
}
