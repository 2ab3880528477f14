-- One incident, many reporters (issue 17 §3). A citizen who finds their matter already
-- reported supports that complaint ("Saya juga mengalami") instead of filing it again, and
-- follows it: every public change reaches them on their own channel, as it reaches the
-- reporter. A merge makes the duplicate's reporter and supporters supporters of the original.
--
-- A supporter's contact is a `reporter` row (channel, phone, e-mail, chat id): the same
-- personal data in the same place, found and erased by lapor/erasure.py like any reporter's.

CREATE TABLE complaint_supporter (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id    bigint NOT NULL REFERENCES complaint (id),
    reporter_id     bigint NOT NULL REFERENCES reporter (id),
    -- support: the citizen chose it; merged: the reporter or a supporter of a duplicate
    source          text NOT NULL CHECK (source IN ('support', 'merged')),
    -- who they are, so the same person supports once: "telegram:123", "phone:62812...",
    -- "email:a@b"; NULL for a supporter who left no way to reach them (counted, not told).
    -- Cleared with the contact when it is erased.
    contact_key     text CHECK (char_length(contact_key) <= 300),
    -- the Idempotency-Key the support came with (a request sent twice supports once)
    idempotency_key text CHECK (char_length(idempotency_key) <= 200),
    request_hash    text,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX complaint_supporter_once
    ON complaint_supporter (complaint_id, contact_key) WHERE contact_key IS NOT NULL;
CREATE UNIQUE INDEX complaint_supporter_key
    ON complaint_supporter (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX complaint_supporter_complaint ON complaint_supporter (complaint_id);
CREATE INDEX complaint_supporter_reporter ON complaint_supporter (reporter_id);

-- How many support it, kept with each support (the queue sorts by it, sort=support).
ALTER TABLE complaint ADD COLUMN support_count integer NOT NULL DEFAULT 0
    CHECK (support_count >= 0);
CREATE INDEX complaint_open_support ON complaint (support_count DESC, id)
    WHERE status IN ('received', 'assigned', 'in_progress');

-- The chat dialogue's new step: the open reports near the new one, offered to support.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS rule
        FROM pg_constraint c
        WHERE c.conrelid = 'bot_conversation'::regclass
          AND c.contype = 'c'
          AND pg_get_constraintdef(c.oid) LIKE '%(state = ANY (ARRAY[%'
          AND pg_get_constraintdef(c.oid) NOT LIKE '%''similar''%'
    LOOP
        EXECUTE format('ALTER TABLE bot_conversation DROP CONSTRAINT %I', found.name);
        EXECUTE format('ALTER TABLE bot_conversation ADD CONSTRAINT %I %s', found.name,
                       replace(found.rule, 'ARRAY[', 'ARRAY[''similar''::text, '));
    END LOOP;
END
$$;
