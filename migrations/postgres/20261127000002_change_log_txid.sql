-- On PostgreSQL a change with a lower `seq` can commit after one with a higher `seq`.
-- Each change records the id of the transaction that wrote it, so that the search
-- follower can come back for the changes of transactions it saw still running (see
-- src/store/changes.rs).
ALTER TABLE changes DROP COLUMN snapshot_xmin;
ALTER TABLE changes ADD COLUMN txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX changes_txid ON changes (txid);
