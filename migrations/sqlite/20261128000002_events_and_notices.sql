-- Job fairs, symposiums and campus visits; registrations; the notice outbox (SQLite).
-- Keep in step with migrations/postgres.

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('job_fair', 'symposium', 'campus_visit')),
    title          TEXT NOT NULL,
    description    TEXT,
    venue          TEXT NOT NULL,
    starts_at      TIMESTAMP NOT NULL,
    ends_at        TIMESTAMP NOT NULL,
    booth_capacity BIGINT NOT NULL DEFAULT 0 CHECK (booth_capacity >= 0),
    seat_capacity  BIGINT NOT NULL DEFAULT 0 CHECK (seat_capacity >= 0),
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    -- Increases with every change; calendar files carry it as SEQUENCE.
    revision       BIGINT NOT NULL DEFAULT 1,
    created_by     BIGINT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts ON events (status, starts_at);

CREATE TABLE event_invitations (
    event_id        BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (event_id, organization_id)
);
CREATE INDEX event_invitations_organization ON event_invitations (organization_id);

CREATE TABLE registrations (
    id              INTEGER PRIMARY KEY,
    event_id        BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('company', 'school')),
    -- Company: the postings it brings (JSON list of ids). School: graduates it brings and
    -- the accompanying teacher (带队老师).
    posting_ids     TEXT NOT NULL,
    graduates       BIGINT NOT NULL DEFAULT 0 CHECK (graduates >= 0),
    teacher_name    TEXT,
    teacher_phone   TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'declined')),
    source          TEXT NOT NULL CHECK (source IN ('form', 'rsvp')),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (event_id, organization_id)
);

-- The outbox: one row per e-mail. Requests insert rows in their own transaction; the
-- worker claims due rows, sends them and records the outcome. `dedupe_key` makes a
-- repeated request queue nothing new.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'update', 'cancellation', 'round_result')),
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
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX notices_due ON notices (status, next_attempt_at);
CREATE INDEX notices_event ON notices (event_id, id);

-- Addresses that asked for no more reminders (List-Unsubscribe).
CREATE TABLE unsubscribes (
    email      TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
);
