-- The change log's visibility marker. SQLite has one writer, so sequence order is commit
-- order and `txid` stays NULL; the column exists to keep both schemas alike.
ALTER TABLE changes DROP COLUMN snapshot_xmin;
ALTER TABLE changes ADD COLUMN txid BIGINT;
