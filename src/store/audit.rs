//! Who did what, when: written in the same transaction as the action.
use super::{Access, Result, on_backend};
use chrono::Utc;

pub async fn record(
    db: &mut impl Access,
    user_id: Option<i64>,
    organization_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
) -> Result<()> {
    on_backend!(db, |e| {
        sqlx::query(
        "INSERT INTO audit_entries (user_id, organization_id, action, entity, entity_id, at) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(user_id)
    .bind(organization_id)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|_| ())
    })
}
