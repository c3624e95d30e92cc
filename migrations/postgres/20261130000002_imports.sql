-- Roster files uploaded on the import page, kept from the preview until the teacher runs
-- the import (and for the error workbook afterwards); deleted a week after upload.
CREATE TABLE imports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The school whose roster the file is for.
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- Who uploaded it.
    user_id         BIGINT,
    file_name       TEXT NOT NULL,
    content         BYTEA NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('valid_rows', 'all_or_nothing')),
    -- staged (previewed) | running | done | failed
    status          TEXT NOT NULL CHECK (status IN ('staged', 'running', 'done', 'failed')),
    -- The dry run's report (JSON), shown as the preview.
    preview         TEXT NOT NULL,
    -- The run's report (JSON) once done, or why it failed.
    result          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX imports_created ON imports (created_at);
