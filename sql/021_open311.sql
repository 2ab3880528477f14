-- Open311 GeoReport v2 (lapor/open311/): the partners' systems that file complaints through
-- it, and what a category's service definition asks for, kept with the complaint.

-- One row per partner (another city system, a community app), with its api_key stored as
-- SHA-256, as officers' API tokens are: 256 random bits need no slow hash. The admin issues
-- and revokes keys (`lapor open311 add|revoke`); a revoked key files nothing.
CREATE TABLE open311_client (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    key_sha256 text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- The answers to a service definition's attributes ({"nomor_tiang": "PJU-0412"}), as the
-- citizen gave them: for officers, never in a public answer or an export.
ALTER TABLE complaint ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(attributes) = 'object');

-- "open311" joins the channels a complaint and its reporter may come from. Added to whatever
-- list each CHECK holds when this runs, rather than restating the list: other migrations add
-- channels of their own (SMS, ...), and restating it here would drop theirs.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conrelid::regclass AS owner, c.conname AS name, pg_get_constraintdef(c.oid) AS rule
        FROM pg_constraint c
        WHERE c.conrelid IN ('complaint'::regclass, 'reporter'::regclass)
          AND c.contype = 'c'
          AND pg_get_constraintdef(c.oid) LIKE '%(channel = ANY (ARRAY[%'
          AND pg_get_constraintdef(c.oid) NOT LIKE '%''open311''%'
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', found.owner, found.name);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', found.owner, found.name,
                       replace(found.rule, 'ARRAY[', 'ARRAY[''open311''::text, '));
    END LOOP;
END
$$;

-- The updates feed (servicerequestupdates) reads the public timeline by time.
CREATE INDEX complaint_event_created ON complaint_event (created_at, id);
