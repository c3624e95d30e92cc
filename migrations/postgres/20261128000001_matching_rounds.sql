-- Matching rounds (PostgreSQL). Keep in step with migrations/sqlite.

-- A graduate's ranked choices (志愿), recorded by the school. Rank 1 is the first choice.
CREATE TABLE graduate_choices (
    graduate_id BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    rank        BIGINT NOT NULL CHECK (rank >= 1),
    posting_id  BIGINT NOT NULL REFERENCES postings (id),
    PRIMARY KEY (graduate_id, rank),
    UNIQUE (graduate_id, posting_id)
);
CREATE INDEX graduate_choices_posting ON graduate_choices (posting_id);

-- A company's ranked shortlist of graduates for one of its postings.
CREATE TABLE posting_shortlists (
    posting_id  BIGINT NOT NULL REFERENCES postings (id),
    rank        BIGINT NOT NULL CHECK (rank >= 1),
    graduate_id BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    PRIMARY KEY (posting_id, rank),
    UNIQUE (posting_id, graduate_id)
);
CREATE INDEX posting_shortlists_graduate ON posting_shortlists (graduate_id);

CREATE TABLE rounds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL,
    -- The round's request as validated JSON: scope, proposing, weights, seed, …
    settings     JSONB NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'running', 'done', 'failed', 'published')),
    phase        TEXT,
    percent      BIGINT NOT NULL DEFAULT 0,
    error        TEXT,
    stats        JSONB,
    created_by   BIGINT,
    created_at   TIMESTAMPTZ NOT NULL,
    -- Refreshed while running; a running round whose heartbeat stopped was interrupted.
    heartbeat_at TIMESTAMPTZ,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    published_at TIMESTAMPTZ
);

-- One row per graduate in a round's instance: its preference list as used, and the outcome.
-- No foreign key to graduates: an erased graduate's row keeps only numbers.
CREATE TABLE round_graduates (
    round_id      BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    graduate_id   BIGINT NOT NULL,
    school_id     BIGINT NOT NULL,
    preferences   JSONB NOT NULL,
    lottery       BIGINT NOT NULL,
    posting_id    BIGINT,
    company_id    BIGINT,
    graduate_rank BIGINT,
    posting_rank  BIGINT,
    score         JSONB,
    explanation   JSONB NOT NULL,
    PRIMARY KEY (round_id, graduate_id)
);
CREATE INDEX round_graduates_school ON round_graduates (round_id, school_id, graduate_id);
CREATE INDEX round_graduates_company ON round_graduates (round_id, company_id, graduate_id);
CREATE INDEX round_graduates_placed ON round_graduates (posting_id);

-- One row per posting in a round's instance: its list and capacity as used, and seats filled.
CREATE TABLE round_postings (
    round_id    BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    posting_id  BIGINT NOT NULL,
    company_id  BIGINT NOT NULL,
    project_id  BIGINT,
    preferences JSONB NOT NULL,
    lottery     BIGINT NOT NULL,
    capacity    BIGINT NOT NULL,
    filled      BIGINT NOT NULL,
    explanation JSONB NOT NULL,
    PRIMARY KEY (round_id, posting_id)
);
CREATE INDEX round_postings_company ON round_postings (round_id, company_id, posting_id);
