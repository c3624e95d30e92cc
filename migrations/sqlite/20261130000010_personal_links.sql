-- Graduates' personal links (/me/{token}) are e-mailed through the outbox: a notice kind
-- of their own, and the graduate it is for, so that erasing a graduate deletes the
-- notices that carried their name, address and link. SQLite cannot change a CHECK
-- constraint in place: the table is rebuilt (nothing refers to it).

CREATE TABLE notices_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'update', 'cancellation', 'round_result', 'personal_link')),
    event_id        BIGINT REFERENCES events (id) ON DELETE CASCADE,
    round_id        BIGINT,
    revision        BIGINT NOT NULL DEFAULT 0,
    organization_id BIGINT,
    recipient_email TEXT NOT NULL,
    recipient_name  TEXT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    -- Everything rendering needs, as of queueing (the event at that revision, links).
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    last_error      TEXT,
    message_id      TEXT,
    sent_at         TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    -- The graduate a personal link is for; erasing the graduate deletes the notice.
    graduate_id     BIGINT REFERENCES graduates (id) ON DELETE CASCADE
);
INSERT INTO notices_new (id, kind, event_id, round_id, revision, organization_id, recipient_email, recipient_name,
    dedupe_key, payload, status, attempts, next_attempt_at, claimed_until, last_error, message_id, sent_at, created_at)
SELECT id, kind, event_id, round_id, revision, organization_id, recipient_email, recipient_name,
    dedupe_key, payload, status, attempts, next_attempt_at, claimed_until, last_error, message_id, sent_at, created_at
FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_due ON notices (status, next_attempt_at);
CREATE INDEX notices_event ON notices (event_id, id);
CREATE INDEX notices_graduate ON notices (graduate_id);
