-- The outcome loop (issue 12): vetting organisations, offers from published rounds and
-- their answers, graduates' destinations, postings that fill and close, fair-day check-in,
-- readable audit entries, and the notices all of these send.

-- Vetting. Organisations that exist already were working before vetting existed: they
-- stay approved. New companies start pending (the service decides, not the default).
ALTER TABLE organizations ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
    CHECK (status IN ('pending', 'approved', 'rejected'));
ALTER TABLE organizations ADD COLUMN status_reason TEXT;
-- What the coordinator checked (JSON list of check names), when, by whom, and when to
-- check again.
ALTER TABLE organizations ADD COLUMN checks TEXT;
ALTER TABLE organizations ADD COLUMN decided_by BIGINT;
ALTER TABLE organizations ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE organizations ADD COLUMN reverify_on DATE;
CREATE INDEX organizations_status ON organizations (kind, status);

-- Disabling a user revokes their tokens at once and refuses sign-in.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;

-- Graduates placed with a posting (accepted offers); the posting is filled when it
-- reaches its headcount.
ALTER TABLE postings ADD COLUMN filled BIGINT NOT NULL DEFAULT 0 CHECK (filled >= 0);

-- Each placement of a published round becomes an offer. Both sides answer; both yes
-- places the graduate, either no (or the deadline) returns the seat.
CREATE TABLE offers (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id             BIGINT NOT NULL REFERENCES rounds (id),
    graduate_id          BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    posting_id           BIGINT NOT NULL REFERENCES postings (id),
    company_id           BIGINT NOT NULL,
    school_id            BIGINT NOT NULL,
    project_id           BIGINT,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'expired')),
    company_answer       TEXT CHECK (company_answer IN ('accept', 'decline')),
    company_reason       TEXT,
    company_answered_at  TIMESTAMPTZ,
    graduate_answer      TEXT CHECK (graduate_answer IN ('accept', 'decline')),
    graduate_reason      TEXT,
    -- Who answered for the graduate: their school, the graduate (personal link), or a
    -- coordinator.
    graduate_answered_by TEXT CHECK (graduate_answered_by IN ('school', 'graduate', 'coordinator')),
    graduate_answered_at TIMESTAMPTZ,
    due_at               TIMESTAMPTZ NOT NULL,
    decided_at           TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, graduate_id)
);
CREATE INDEX offers_due ON offers (status, due_at);
CREATE INDEX offers_company ON offers (company_id, status, id);
CREATE INDEX offers_school ON offers (school_id, status, id);
CREATE INDEX offers_posting ON offers (posting_id, status);
CREATE INDEX offers_graduate ON offers (graduate_id, status);

-- Every change of an offer, in order.
CREATE TABLE offer_history (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id BIGINT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    at       TIMESTAMPTZ NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('company', 'school', 'graduate', 'coordinator', 'system')),
    action   TEXT NOT NULL,
    reason   TEXT,
    user_id  BIGINT
);
CREATE INDEX offer_history_offer ON offer_history (offer_id, id);

-- Graduates' destinations in the Ministry of Education's categories, with the date each
-- took effect; the latest on or before a date is the graduate's destination then.
CREATE TABLE graduate_outcomes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    graduate_id   BIGINT NOT NULL REFERENCES graduates (id) ON DELETE CASCADE,
    school_id     BIGINT NOT NULL,
    destination   TEXT NOT NULL CHECK (destination IN ('agreement', 'labour_contract', 'other_employment',
        'self_employed', 'further_study', 'military', 'abroad', 'seeking', 'not_seeking')),
    effective_on  DATE NOT NULL,
    employer_name TEXT,
    offer_id      BIGINT REFERENCES offers (id) ON DELETE SET NULL,
    note          TEXT,
    recorded_by   BIGINT,
    recorded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX graduate_outcomes_graduate ON graduate_outcomes (graduate_id, effective_on, id);
CREATE INDEX graduate_outcomes_school ON graduate_outcomes (school_id, effective_on);

-- Fair day: an approved registration's check-in code (short, typed; unique within its
-- event), its booth, and when it was checked in and by whom.
ALTER TABLE registrations ADD COLUMN checkin_code TEXT;
ALTER TABLE registrations ADD COLUMN booth TEXT;
ALTER TABLE registrations ADD COLUMN checked_in_at TIMESTAMPTZ;
ALTER TABLE registrations ADD COLUMN checked_in_by BIGINT;
ALTER TABLE registrations ADD COLUMN decided_at TIMESTAMPTZ;
CREATE UNIQUE INDEX registrations_checkin_code ON registrations (event_id, checkin_code);

-- The audit log becomes readable: a short detail (e.g. the reason, the filter of an
-- export), and indexes for its filters.
ALTER TABLE audit_entries ADD COLUMN detail TEXT;
CREATE INDEX audit_entries_at ON audit_entries (at, id);
CREATE INDEX audit_entries_organization ON audit_entries (organization_id, at);
CREATE INDEX audit_entries_user ON audit_entries (user_id, at);

-- New notice kinds, and the user a password-reset notice is for (deleting the user
-- deletes it).
ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
ALTER TABLE notices ADD CONSTRAINT notices_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'update', 'cancellation', 'round_result',
        'personal_link', 'registration_decision', 'organization_decision', 'offer', 'offer_answer', 'password_reset'));
ALTER TABLE notices ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX notices_user ON notices (user_id);
