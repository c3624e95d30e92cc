//! Small key–value facts about this installation (e.g. whether demo data was loaded).
use super::{Access, Result, on_backend};

pub async fn get(db: &mut impl Access, key: &str) -> Result<Option<String>> {
    on_backend!(db, |e| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(e)
        .await)
}

pub async fn set(db: &mut impl Access, key: &str, value: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    .bind(key)
    .bind(value)
    .execute(e)
    .await
    .map(|_| ()))
}

/// Set a value only if the key has none yet.
pub async fn set_if_absent(db: &mut impl Access, key: &str, value: &str) -> Result<()> {
    on_backend!(db, |e| sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(value)
        .execute(e)
        .await
        .map(|_| ()))
}
