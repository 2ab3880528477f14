-- Core schema: the city's agencies and categories, reporters, complaints, their photos and
-- their append-only timeline, officers with API tokens, and idempotency keys for intake.

CREATE TABLE agency (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    name        text NOT NULL,
    short_name  text NOT NULL,
    parent_code text REFERENCES agency (code) DEFERRABLE INITIALLY DEFERRED,
    kind        text NOT NULL CHECK (kind IN ('opd', 'desk', 'oversight')),
    active      boolean NOT NULL DEFAULT true
);

CREATE TABLE category (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]*$'),
    name        text NOT NULL,
    agency_code text NOT NULL REFERENCES agency (code),
    resolution  text NOT NULL CHECK (resolution IN ('simple', 'no_field_check', 'field_check')),
    desk        boolean NOT NULL DEFAULT false,
    active      boolean NOT NULL DEFAULT true
);

-- Personal data lives here and only here; public queries never join this table.
CREATE TABLE reporter (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel    text NOT NULL CHECK (channel IN ('web', 'telegram', 'whatsapp')),
    name       text,
    phone      text,
    email      text,
    chat_id    text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reporter_chat ON reporter (channel, chat_id) WHERE chat_id IS NOT NULL;

CREATE TABLE complaint (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tracking_code      text NOT NULL UNIQUE CHECK (tracking_code ~ '^[0-9A-HJKMNP-TV-Z]{10}$'),
    title              text CHECK (char_length(title) <= 200),
    body               text NOT NULL CHECK (char_length(body) BETWEEN 10 AND 5000),
    category_code      text REFERENCES category (code),
    category_hint      text REFERENCES category (code),
    agency_code        text REFERENCES agency (code),
    status             text NOT NULL CHECK (status IN
                         ('received', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected')),
    rahasia            boolean NOT NULL DEFAULT false,
    anonim             boolean NOT NULL DEFAULT false,
    latitude           double precision CHECK (latitude BETWEEN -11.5 AND 6.5),
    longitude          double precision CHECK (longitude BETWEEN 94.0 AND 141.5),
    address            text CHECK (char_length(address) <= 300),
    kelurahan          text CHECK (char_length(kelurahan) <= 100),
    kecamatan          text CHECK (char_length(kecamatan) <= 100),
    channel            text NOT NULL CHECK (channel IN ('web', 'telegram', 'whatsapp')),
    reporter_id        bigint REFERENCES reporter (id),
    -- routing facts
    predicted_category text REFERENCES category (code),
    confidence         real CHECK (confidence BETWEEN 0 AND 1),
    model_version      text,
    auto_routed        boolean NOT NULL DEFAULT false,
    suggestions        jsonb NOT NULL DEFAULT '[]',
    -- time
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    assigned_at        timestamptz,
    responded_at       timestamptz,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    -- deadlines (filled by the SLA rules): the current stage's deadline drives the queue order
    due_at             timestamptz,
    verify_due_at      timestamptz,
    response_due_at    timestamptz,
    resolve_due_at     timestamptz,
    close_due_at       timestamptz,
    -- a complaint waits at the desk (no agency) exactly while received, and rejected ones stay there
    CONSTRAINT agency_matches_status
        CHECK ((status IN ('received', 'rejected')) = (agency_code IS NULL)),
    CONSTRAINT location_pair CHECK ((latitude IS NULL) = (longitude IS NULL))
);

-- The officer queue and the desk read only open complaints: partial indexes keep them small.
CREATE INDEX complaint_agency_queue ON complaint
    (agency_code, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('assigned', 'in_progress');
CREATE INDEX complaint_desk_queue ON complaint
    ((coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status = 'received';
CREATE INDEX complaint_reporter ON complaint (reporter_id);

CREATE TABLE complaint_photo (
    complaint_id bigint NOT NULL REFERENCES complaint (id),
    position     smallint NOT NULL CHECK (position BETWEEN 1 AND 5),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type   text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size_bytes   integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    PRIMARY KEY (complaint_id, position)
);

CREATE TABLE officer (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL CHECK (username ~ '^[a-z0-9._-]{3,40}$'),
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('officer', 'verifier', 'admin')),
    agency_code   text REFERENCES agency (code),
    password_hash text,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT officer_has_agency CHECK (role <> 'officer' OR agency_code IS NOT NULL)
);
CREATE UNIQUE INDEX officer_username ON officer (username);

CREATE TABLE api_token (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    officer_id   bigint NOT NULL REFERENCES officer (id),
    token_sha256 text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE TABLE complaint_event (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  bigint NOT NULL REFERENCES complaint (id),
    kind          text NOT NULL,
    from_status   text,
    to_status     text,
    from_agency   text REFERENCES agency (code),
    to_agency     text REFERENCES agency (code),
    actor_kind    text NOT NULL CHECK (actor_kind IN ('system', 'reporter', 'officer')),
    officer_id    bigint REFERENCES officer (id),
    public_note   text CHECK (char_length(public_note) <= 5000),
    internal_note text CHECK (char_length(internal_note) <= 5000),
    data          jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL
);
CREATE INDEX complaint_event_timeline ON complaint_event (complaint_id, created_at, id);

-- The timeline is append-only: history is never rewritten.
CREATE FUNCTION complaint_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'complaint_event is append-only';
END $$;
CREATE TRIGGER complaint_event_no_change BEFORE UPDATE OR DELETE ON complaint_event
    FOR EACH ROW EXECUTE FUNCTION complaint_event_append_only();

CREATE TABLE idempotency_key (
    key          text PRIMARY KEY CHECK (char_length(key) BETWEEN 1 AND 200),
    request_hash text NOT NULL,
    complaint_id bigint NOT NULL REFERENCES complaint (id),
    created_at   timestamptz NOT NULL
);
