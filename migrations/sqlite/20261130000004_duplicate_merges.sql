-- A merged pair outlives the graduate merged away (erased), so its row keeps ids only, as
-- round rows do: no foreign keys to graduates. Pairs still open or dismissed are removed
-- with either graduate by the service that erases it (store::duplicates::forget).
-- `kept_id` is the record a merge went into (the surviving one).

CREATE TABLE graduate_duplicates_kept (
    id          INTEGER PRIMARY KEY,
    graduate_id BIGINT NOT NULL,
    other_id    BIGINT NOT NULL,
    -- id_number | name_phone
    reason      TEXT NOT NULL CHECK (reason IN ('id_number', 'name_phone')),
    -- open | merged | dismissed
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
    found_at    TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT,
    kept_id     BIGINT,
    CHECK (graduate_id < other_id),
    CHECK ((status = 'merged') = (kept_id IS NOT NULL)),
    UNIQUE (graduate_id, other_id)
);
INSERT INTO graduate_duplicates_kept (id, graduate_id, other_id, reason, status, found_at, resolved_at, resolved_by)
    SELECT id, graduate_id, other_id, reason, status, found_at, resolved_at, resolved_by FROM graduate_duplicates;
DROP TABLE graduate_duplicates;
ALTER TABLE graduate_duplicates_kept RENAME TO graduate_duplicates;
CREATE INDEX graduate_duplicates_status ON graduate_duplicates (status, id);
CREATE INDEX graduate_duplicates_other ON graduate_duplicates (other_id);
CREATE INDEX graduate_duplicates_kept_id ON graduate_duplicates (kept_id);
