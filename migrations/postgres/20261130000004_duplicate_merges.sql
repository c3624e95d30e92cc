-- A merged pair outlives the graduate merged away (erased), so its row keeps ids only, as
-- round rows do: no foreign keys to graduates. Pairs still open or dismissed are removed
-- with either graduate by the service that erases it (store::duplicates::forget).
-- `kept_id` is the record a merge went into (the surviving one).

ALTER TABLE graduate_duplicates DROP CONSTRAINT graduate_duplicates_graduate_id_fkey;
ALTER TABLE graduate_duplicates DROP CONSTRAINT graduate_duplicates_other_id_fkey;
ALTER TABLE graduate_duplicates ADD COLUMN kept_id BIGINT;
ALTER TABLE graduate_duplicates ADD CONSTRAINT graduate_duplicates_kept CHECK ((status = 'merged') = (kept_id IS NOT NULL));
CREATE INDEX graduate_duplicates_kept_id ON graduate_duplicates (kept_id);
