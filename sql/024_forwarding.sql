-- Issue 18 §3, forwarding beyond the city (lapor/forwarding.py) and outbound webhooks for
-- subscribers (lapor/webhooks.py).

-- "forwarded": the complaint is not the city's to handle and went to an external body (the
-- province, a ministry, PLN, a PDAM that is not a city agency). Like a rejected one it is with
-- no city agency. Added to whatever list the CHECK holds when this runs (as sql/021 does for
-- channels): another migration may add statuses of its own.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS rule
        FROM pg_constraint c
        WHERE c.conrelid = 'complaint'::regclass AND c.contype = 'c'
          AND pg_get_constraintdef(c.oid) LIKE '%(status = ANY (ARRAY[%'
          AND pg_get_constraintdef(c.oid) LIKE '%''in_progress''%'
          AND pg_get_constraintdef(c.oid) NOT LIKE '%''forwarded''%'
          AND c.conname <> 'agency_matches_status'
    LOOP
        EXECUTE format('ALTER TABLE complaint DROP CONSTRAINT %I', found.name);
        EXECUTE format('ALTER TABLE complaint ADD CONSTRAINT %I %s', found.name,
                       replace(found.rule, 'ARRAY[', 'ARRAY[''forwarded''::text, '));
    END LOOP;
END
$$;
ALTER TABLE complaint DROP CONSTRAINT agency_matches_status,
    ADD CONSTRAINT agency_matches_status
        CHECK ((status IN ('received', 'rejected', 'forwarded')) = (agency_code IS NULL));

-- A forwarded complaint leaves the city's hands: its reporter's contact is erased after
-- [privacy] retain_contacts_days like a closed or rejected one's (lapor/erasure.py).
DROP INDEX complaint_retention;
CREATE INDEX complaint_retention ON complaint ((coalesce(closed_at, updated_at)))
    WHERE contacts_erased_at IS NULL AND status IN ('closed', 'rejected', 'forwarded');

-- Two outbox channels: "webhook" (an event to a subscriber, the recipient its id) and
-- "forward" (a complaint or a note to an external body, the recipient its code).
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS rule
        FROM pg_constraint c
        WHERE c.conrelid = 'outbox'::regclass AND c.contype = 'c'
          AND pg_get_constraintdef(c.oid) LIKE '%(channel = ANY (ARRAY[%'
          AND pg_get_constraintdef(c.oid) NOT LIKE '%''webhook''%'
    LOOP
        EXECUTE format('ALTER TABLE outbox DROP CONSTRAINT %I', found.name);
        EXECUTE format('ALTER TABLE outbox ADD CONSTRAINT %I %s', found.name,
                       replace(found.rule, 'ARRAY[', 'ARRAY[''webhook''::text, ''forward''::text, '));
    END LOOP;
END
$$;

-- One forwarding per complaint: where it went, by which channel, the token an e-mail reply
-- carries back, and (Open311) the body's own request id and the last status polled.
CREATE TABLE complaint_forward (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  bigint NOT NULL UNIQUE REFERENCES complaint (id),
    external_code text NOT NULL CHECK (external_code ~ '^[A-Z][A-Z0-9_]*$'),
    channel       text NOT NULL CHECK (channel IN ('email', 'webhook', 'open311')),
    reply_token   text NOT NULL UNIQUE CHECK (reply_token ~ '^[A-Za-z0-9_-]{16,64}$'),
    external_id   text CHECK (char_length(external_id) <= 200),
    last_status   text CHECK (char_length(last_status) <= 100),
    last_update   text CHECK (char_length(last_update) <= 5000),
    polled_at     timestamptz,
    answered_at   timestamptz,
    created_at    timestamptz NOT NULL
);
-- The Open311 forwards still waiting for an answer, polled on a schedule.
CREATE INDEX complaint_forward_polled ON complaint_forward (polled_at NULLS FIRST, id)
    WHERE channel = 'open311' AND external_id IS NOT NULL AND last_status IS DISTINCT FROM 'closed';

-- Subscribers to the complaint events (the city's dashboard...): a URL, the secret the events
-- are signed with (HMAC needs it in clear), the events wanted. Revoked ones get nothing more.
CREATE TABLE webhook_subscription (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    url        text NOT NULL CHECK (url ~ '^https?://' AND char_length(url) <= 2000),
    secret     text NOT NULL CHECK (char_length(secret) BETWEEN 16 AND 200),
    events     text[] NOT NULL CHECK (events <@ ARRAY['complaint.created', 'complaint.status_changed']
                                      AND cardinality(events) > 0),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX webhook_subscription_live ON webhook_subscription (id) WHERE revoked_at IS NULL;

-- Every attempt to deliver an outbound webhook (to a subscriber or an external body): the log
-- the admin reads at /petugas/admin/webhook.
CREATE TABLE webhook_delivery (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     text NOT NULL CHECK (char_length(event_id) <= 200),
    target       text NOT NULL CHECK (char_length(target) <= 200),
    event        text NOT NULL CHECK (char_length(event) <= 100),
    url          text NOT NULL,
    status_code  integer,
    error        text CHECK (char_length(error) <= 1000),
    duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
    attempted_at timestamptz NOT NULL
);
CREATE INDEX webhook_delivery_event ON webhook_delivery (event_id);
CREATE INDEX webhook_delivery_target ON webhook_delivery (target, id);
