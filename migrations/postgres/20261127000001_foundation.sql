-- Foundation schema (PostgreSQL). Keep in step with migrations/sqlite: same tables,
-- columns and constraints; only types and identity syntax differ.

CREATE TABLE organizations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('company', 'school', 'coordinator')),
    name          TEXT NOT NULL,
    credit_code   TEXT UNIQUE,
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    district      TEXT,
    address       TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'company', 'school')),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE projects (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    park            TEXT,
    stage           TEXT NOT NULL,
    key_project     BOOLEAN NOT NULL DEFAULT FALSE,
    shortage        BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX projects_organization ON projects (organization_id);

CREATE TABLE postings (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id    BIGINT NOT NULL REFERENCES organizations (id),
    project_id         BIGINT REFERENCES projects (id),
    title              TEXT NOT NULL,
    description        TEXT,
    category           TEXT NOT NULL,
    majors             JSONB NOT NULL,
    education_min      TEXT NOT NULL,
    education_min_rank BIGINT NOT NULL,
    headcount          BIGINT NOT NULL CHECK (headcount BETWEEN 1 AND 10000),
    salary_min         BIGINT,
    salary_max         BIGINT,
    location           TEXT,
    benefits           JSONB NOT NULL,
    starts_on          DATE,
    closes_on          DATE,
    status             TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
);
CREATE INDEX postings_organization ON postings (organization_id, status);
CREATE INDEX postings_project ON postings (project_id);
CREATE INDEX postings_status ON postings (status, id);

CREATE TABLE graduates (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id     BIGINT NOT NULL REFERENCES organizations (id),
    name                TEXT NOT NULL,
    major               TEXT NOT NULL,
    education           TEXT NOT NULL,
    education_rank      BIGINT NOT NULL,
    graduation_year     BIGINT NOT NULL,
    skills              JSONB NOT NULL,
    certificates        JSONB NOT NULL,
    preferred_locations JSONB NOT NULL,
    expected_salary     BIGINT,
    available_from      DATE,
    email               TEXT,
    phone               TEXT,
    consent             BOOLEAN NOT NULL DEFAULT FALSE,
    summary             TEXT,
    status              TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX graduates_organization ON graduates (organization_id, status);
CREATE INDEX graduates_consent ON graduates (consent, status);

-- The search index follows this log. `snapshot_xmin` is only set on PostgreSQL, where
-- sequence values can become visible out of order; SQLite has a single writer.
CREATE TABLE changes (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity        TEXT NOT NULL CHECK (entity IN ('posting', 'graduate')),
    entity_id     BIGINT NOT NULL,
    operation     TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at    TIMESTAMPTZ NOT NULL,
    -- Oldest transaction still running when this change was written: a follower reads
    -- only changes below the oldest xmin still in flight, so none is skipped.
    snapshot_xmin BIGINT DEFAULT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
);

CREATE TABLE audit_entries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT,
    organization_id BIGINT,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       BIGINT,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_entries_entity ON audit_entries (entity, entity_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
