use super::{Access, PageRequest, Result, on_backend};
use crate::domain::user::User;
use crate::domain::{Email, Role};
use chrono::{DateTime, Utc};

/// An account with its password hash, for logging in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub organization_id: i64,
    /// Disabled accounts cannot sign in.
    pub disabled_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    db: &mut impl Access,
    email: &Email,
    password_hash: &str,
    role: Role,
    organization_id: i64,
) -> Result<User> {
    on_backend!(db, |e| sqlx::query_as(
        "INSERT INTO users (email, password_hash, role, organization_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, email, role, organization_id, disabled_at IS NOT NULL AS disabled, disabled_at, created_at"
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(organization_id)
    .bind(Utc::now())
    .fetch_one(e)
    .await)
}

pub async fn get(db: &mut impl Access, id: i64) -> Result<Option<User>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, email, role, organization_id, disabled_at IS NOT NULL AS disabled, disabled_at, created_at \
         FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(e)
    .await)
}

pub async fn credentials(db: &mut impl Access, email: &Email) -> Result<Option<Credentials>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, password_hash, organization_id, disabled_at FROM users WHERE email = $1"
    )
    .bind(email)
    .fetch_optional(e)
    .await)
}

pub async fn set_password(db: &mut impl Access, id: i64, password_hash: &str) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(password_hash)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

/// Disable (`Some(now)`) or enable (`None`) an account.
pub async fn set_disabled(db: &mut impl Access, id: i64, disabled_at: Option<DateTime<Utc>>) -> Result<Option<User>> {
    on_backend!(db, |e| sqlx::query_as(
        "UPDATE users SET disabled_at = $2 WHERE id = $1 \
         RETURNING id, email, role, organization_id, disabled_at IS NOT NULL AS disabled, disabled_at, created_at"
    )
    .bind(id)
    .bind(disabled_at)
    .fetch_optional(e)
    .await)
}

/// Replace a password only if it is still `expected_hash` (a reset link is single-use even
/// when two tabs submit it at once).
pub async fn replace_password(db: &mut impl Access, id: i64, expected_hash: &str, new_hash: &str) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .bind(id)
        .bind(expected_hash)
        .bind(new_hash)
        .execute(e)
        .await
        .map(|r| r.rows_affected() == 1))
}

/// An account's credentials by id (for a password-reset link).
pub async fn credentials_of(db: &mut impl Access, id: i64) -> Result<Option<Credentials>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT id, password_hash, organization_id, disabled_at FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(e)
    .await)
}

/// Name the user a queued notice is for, so that deleting the user deletes it.
pub async fn own_notice(db: &mut impl Access, dedupe_key: &str, user_id: i64) -> Result<()> {
    on_backend!(db, |e| sqlx::query("UPDATE notices SET user_id = $2 WHERE dedupe_key = $1")
        .bind(dedupe_key)
        .bind(user_id)
        .execute(e)
        .await
        .map(|_| ()))
}

pub async fn delete(db: &mut impl Access, id: i64) -> Result<bool> {
    on_backend!(db, |e| sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(e)
        .await
        .map(|r| r.rows_affected() > 0))
}

pub async fn count(db: &mut impl Access) -> Result<i64> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(e).await)
}

macro_rules! filter {
    () => {
        " FROM users WHERE ($1 IS NULL OR organization_id = $1) AND ($2 IS NULL OR role = $2)"
    };
}

pub async fn list(
    db: &mut impl Access,
    organization_id: Option<i64>,
    role: Option<Role>,
    page: PageRequest,
) -> Result<(Vec<User>, i64)> {
    let items = on_backend!(db, |e| sqlx::query_as(concat!(
        "SELECT id, email, role, organization_id, disabled_at IS NOT NULL AS disabled, disabled_at, created_at",
        filter!(),
        " ORDER BY id LIMIT $3 OFFSET $4"
    ))
    .bind(organization_id)
    .bind(role)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(e)
    .await)?;
    let total = on_backend!(db, |e| sqlx::query_scalar(concat!("SELECT COUNT(*)", filter!()))
        .bind(organization_id)
        .bind(role)
        .fetch_one(e)
        .await)?;
    Ok((items, total))
}
