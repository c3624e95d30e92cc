//! The change log the search index follows. The database writes it: triggers on every
//! table a search document copies from (migration `…_change_log_triggers`) append the
//! documents a write changes, in the writing statement, so no caller can forget to.
//!
//! Reading it is the one place where the backends differ in kind, not just in syntax:
//! on PostgreSQL, sequence values become visible out of order (a transaction holding seq 5
//! can commit after one holding seq 6). A follower that only remembers "highest seq seen"
//! would skip 5 forever. So the follower's [`Cursor`] also remembers which transactions were
//! still running when it last read, and the next read takes changes above the highest seq
//! seen *or* written by one of those transactions. A transaction that had not yet been
//! given an id when the follower read allocates its seq values afterwards, above
//! everything the follower saw, so the seq condition finds them.

use super::{Db, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Posting,
    Graduate,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Posting => "posting",
            Entity::Graduate => "graduate",
        }
    }

    pub fn parse(text: &str) -> Option<Entity> {
        match text {
            "posting" => Some(Entity::Posting),
            "graduate" => Some(Entity::Graduate),
            _ => None,
        }
    }
}

/// Where a follower is in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The highest seq applied.
    pub seq: i64,
    /// PostgreSQL transactions that were running at the last read; their changes may still
    /// appear below `seq`.
    #[serde(default)]
    pub in_flight: Vec<i64>,
}

/// One logged change.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: i64,
    pub operation: String,
}

/// Changes not yet applied by a follower at `cursor` (at most about `limit`, oldest
/// first), and the cursor to continue from once they are applied.
pub async fn unapplied(db: &Db, cursor: &Cursor, limit: i64) -> Result<(Vec<Change>, Cursor)> {
    match db {
        Db::Sqlite { read, .. } => {
            // One writer: seq order is commit order.
            let rows: Vec<Change> = sqlx::query_as(
                "SELECT seq, entity, entity_id, operation FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(cursor.seq)
            .bind(limit)
            .fetch_all(read)
            .await?;
            let seq = rows.last().map_or(cursor.seq, |c| c.seq);
            Ok((rows, Cursor { seq, in_flight: Vec::new() }))
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
            let running = running_transactions(&mut tx).await?;
            // Changes of transactions that were running at the last read and have landed
            // below the cursor since: all of them, so that those transactions are done with
            // (a limit here would hand back the same first rows of a large one forever).
            let mut rows: Vec<Change> = sqlx::query_as(
                "SELECT seq, entity, entity_id, operation FROM changes \
                 WHERE txid = ANY($1) AND seq <= $2 ORDER BY seq",
            )
            .bind(&cursor.in_flight)
            .bind(cursor.seq)
            .fetch_all(&mut *tx)
            .await?;
            let after: Vec<Change> = sqlx::query_as(
                "SELECT seq, entity, entity_id, operation FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(cursor.seq)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let seq = after.last().map_or(cursor.seq, |c| c.seq);
            rows.extend(after);
            // Transactions running now may still add changes below `seq`; those that were
            // running before and are not now have given all theirs above.
            Ok((rows, Cursor { seq, in_flight: running }))
        }
    }
}

/// The transactions running in this transaction's snapshot (taken by its first statement).
async fn running_transactions(tx: &mut sqlx::Transaction<'static, sqlx::Postgres>) -> Result<Vec<i64>> {
    sqlx::query_scalar("SELECT xip::text::bigint FROM pg_snapshot_xip(pg_current_snapshot()) AS xip")
        .fetch_all(&mut **tx)
        .await
}

/// The cursor that stands for "everything committed so far": where a full rebuild that
/// reads the tables after this call hands over to the follower.
pub async fn current_cursor(db: &Db) -> Result<Cursor> {
    const MAX_SEQ: &str = "SELECT COALESCE(MAX(seq), 0) FROM changes";
    match db {
        Db::Sqlite { read, .. } => {
            let seq: i64 = sqlx::query_scalar(MAX_SEQ).fetch_one(read).await?;
            Ok(Cursor { seq, in_flight: Vec::new() })
        }
        Db::Postgres(pool) => {
            // One snapshot: every transaction not running in it and not yet seen allocates
            // its seq values later, above the maximum visible here.
            let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
            let in_flight = running_transactions(&mut tx).await?;
            let seq: i64 = sqlx::query_scalar(MAX_SEQ).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(Cursor { seq, in_flight })
        }
    }
}

/// How long ago (seconds, by the database's clock, which also stamped the changes) the
/// oldest committed change a follower at `cursor` has not applied was written; `None`
/// when it has applied every committed change.
pub async fn oldest_unapplied_age(db: &Db, cursor: &Cursor) -> Result<Option<f64>> {
    match db {
        Db::Sqlite { read, .. } => {
            sqlx::query_scalar(
                "SELECT (julianday('now') - julianday(MIN(changed_at))) * 86400.0 FROM changes WHERE seq > $1",
            )
            .bind(cursor.seq)
            .fetch_one(read)
            .await
        }
        // As `unapplied` reads them: above the cursor, or below it from a transaction that
        // was running at the follower's last read.
        Db::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT EXTRACT(EPOCH FROM clock_timestamp() - MIN(changed_at))::float8 FROM changes \
             WHERE seq > $1 OR (txid = ANY($2) AND seq <= $1)",
            )
            .bind(cursor.seq)
            .bind(&cursor.in_flight)
            .fetch_one(pool)
            .await
        }
    }
}
