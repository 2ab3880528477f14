-- Every message to a citizen or an officer is written here in the same transaction as the
-- change that causes it, and a dispatcher delivers it (at least once) with retries.

CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('telegram', 'whatsapp', 'email')),
    recipient       text NOT NULL CHECK (char_length(recipient) BETWEEN 1 AND 320),
    kind            text NOT NULL,
    payload         jsonb NOT NULL,
    -- The same logical message is queued once, however often its cause is replayed.
    dedupe_key      text UNIQUE,
    complaint_id    bigint REFERENCES complaint (id),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_complaint ON outbox (complaint_id);
