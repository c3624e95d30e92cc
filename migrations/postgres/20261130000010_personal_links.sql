-- Graduates' personal links (/me/{token}) are e-mailed through the outbox: a notice kind
-- of their own, and the graduate it is for, so that erasing a graduate deletes the
-- notices that carried their name, address and link.

ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
ALTER TABLE notices ADD CONSTRAINT notices_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'update', 'cancellation', 'round_result', 'personal_link'));
-- The graduate a personal link is for; erasing the graduate deletes the notice.
ALTER TABLE notices ADD COLUMN graduate_id BIGINT REFERENCES graduates (id) ON DELETE CASCADE;
CREATE INDEX notices_graduate ON notices (graduate_id);
