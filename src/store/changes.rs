//! The change log the search index follows; written in the same transaction as the change.
use super::{Access, Result, on_backend};
use chrono::Utc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Posting,
    Graduate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Posting => "posting",
            Entity::Graduate => "graduate",
        }
    }
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// One logged change.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: i64,
    pub operation: String,
}

pub async fn record(db: &mut impl Access, entity: Entity, id: i64, operation: Operation) -> Result<()> {
    on_backend!(db, |e| sqlx::query(
        "INSERT INTO changes (entity, entity_id, operation, changed_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(entity.as_str())
    .bind(id)
    .bind(operation.as_str())
    .bind(Utc::now())
    .execute(e)
    .await
    .map(|_| ()))
}

/// Changes after `seq`, oldest first.
pub async fn since(db: &mut impl Access, seq: i64, limit: i64) -> Result<Vec<Change>> {
    on_backend!(db, |e| sqlx::query_as(
        "SELECT seq, entity, entity_id, operation FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2"
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(e)
    .await)
}
