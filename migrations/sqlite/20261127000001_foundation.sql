-- Foundation schema (SQLite). Keep in step with migrations/postgres: same tables,
-- columns and constraints; only types and identity syntax differ.

CREATE TABLE organizations (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('company', 'school', 'coordinator')),
    name          TEXT NOT NULL,
    credit_code   TEXT UNIQUE,
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    district      TEXT,
    address       TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'company', 'school')),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX users_organization ON users (organization_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    park            TEXT,
    stage           TEXT NOT NULL,
    key_project     BOOLEAN NOT NULL DEFAULT FALSE,
    shortage        BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX projects_organization ON projects (organization_id);

CREATE TABLE postings (
    id                 INTEGER PRIMARY KEY,
    organization_id    BIGINT NOT NULL REFERENCES organizations (id),
    project_id         BIGINT REFERENCES projects (id),
    title              TEXT NOT NULL,
    description        TEXT,
    category           TEXT NOT NULL,
    majors             TEXT NOT NULL,
    education_min      TEXT NOT NULL,
    education_min_rank BIGINT NOT NULL,
    headcount          BIGINT NOT NULL CHECK (headcount BETWEEN 1 AND 10000),
    salary_min         BIGINT,
    salary_max         BIGINT,
    location           TEXT,
    benefits           TEXT NOT NULL,
    starts_on          DATE,
    closes_on          DATE,
    status             TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    CHECK (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)
);
CREATE INDEX postings_organization ON postings (organization_id, status);
CREATE INDEX postings_project ON postings (project_id);
CREATE INDEX postings_status ON postings (status, id);

CREATE TABLE graduates (
    id                  INTEGER PRIMARY KEY,
    organization_id     BIGINT NOT NULL REFERENCES organizations (id),
    name                TEXT NOT NULL,
    major               TEXT NOT NULL,
    education           TEXT NOT NULL,
    education_rank      BIGINT NOT NULL,
    graduation_year     BIGINT NOT NULL,
    skills              TEXT NOT NULL,
    certificates        TEXT NOT NULL,
    preferred_locations TEXT NOT NULL,
    expected_salary     BIGINT,
    available_from      DATE,
    email               TEXT,
    phone               TEXT,
    consent             BOOLEAN NOT NULL DEFAULT FALSE,
    summary             TEXT,
    status              TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX graduates_organization ON graduates (organization_id, status);
CREATE INDEX graduates_consent ON graduates (consent, status);

-- The search index follows this log. `snapshot_xmin` is only set on PostgreSQL, where
-- sequence values can become visible out of order; SQLite has a single writer.
CREATE TABLE changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    entity        TEXT NOT NULL CHECK (entity IN ('posting', 'graduate')),
    entity_id     BIGINT NOT NULL,
    operation     TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at    TIMESTAMP NOT NULL,
    snapshot_xmin BIGINT
);

CREATE TABLE audit_entries (
    id              INTEGER PRIMARY KEY,
    user_id         BIGINT,
    organization_id BIGINT,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       BIGINT,
    at              TIMESTAMP NOT NULL
);
CREATE INDEX audit_entries_entity ON audit_entries (entity, entity_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
