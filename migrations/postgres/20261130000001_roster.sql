-- The roster as Chinese schools keep it (学号, 性别, 身份证号, 出生日期, 班级), consent as
-- records rather than a flag, and cross-school duplicate candidates for coordinators.

ALTER TABLE graduates ADD COLUMN student_no TEXT;
ALTER TABLE graduates ADD COLUMN gender TEXT;
-- Sensitive: never indexed for search, never shown to companies, shown masked otherwise.
ALTER TABLE graduates ADD COLUMN id_number TEXT;
ALTER TABLE graduates ADD COLUMN birth_date DATE;
ALTER TABLE graduates ADD COLUMN class_name TEXT;
-- Re-imports update by (school, 学号); within a school it is unique.
CREATE UNIQUE INDEX graduates_student_no ON graduates (organization_id, student_no);
-- Cross-school duplicate detection: same ID number, or same name and phone.
CREATE INDEX graduates_id_number ON graduates (id_number);
CREATE INDEX graduates_name_phone ON graduates (name, phone);

-- Every consent given or withdrawn. graduates.consent is the latest record's answer, kept
-- beside them so search, rounds and shortlists filter on one column.
CREATE TABLE consent_records (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    graduate_id  BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    given        BOOLEAN NOT NULL,
    -- What the graduate agreed to, as shown to companies (e.g. 向园区企业推荐就业).
    purpose      TEXT NOT NULL,
    -- The version of the consent text the graduate was shown.
    text_version TEXT NOT NULL,
    -- import | teacher (a school user) | coordinator | graduate_link (the graduate)
    method       TEXT NOT NULL CHECK (method IN ('import', 'teacher', 'coordinator', 'graduate_link')),
    -- The user who recorded it; NULL when the graduate did, through the personal link.
    user_id      BIGINT,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX consent_records_graduate ON consent_records (graduate_id, id);

-- Possible duplicates across schools, for coordinators to merge or dismiss. A pair is
-- stored once, lower id first.
CREATE TABLE graduate_duplicates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    graduate_id BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    other_id    BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    -- id_number | name_phone
    reason      TEXT NOT NULL CHECK (reason IN ('id_number', 'name_phone')),
    -- open | merged | dismissed
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
    found_at    TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by BIGINT,
    CHECK (graduate_id < other_id),
    UNIQUE (graduate_id, other_id)
);
CREATE INDEX graduate_duplicates_status ON graduate_duplicates (status, id);
CREATE INDEX graduate_duplicates_other ON graduate_duplicates (other_id);
