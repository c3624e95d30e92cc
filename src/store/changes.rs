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
