-- Issue 17 §1, a team working its queue: a complaint has one owner among its agency's
-- officers, an agency has a head who assigns and keeps the reply templates, officers have a
-- contact the SLA ladder reminds them through, and the queue is searched by text.

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it. In
-- public, named so, once per database: a lapor migrated into another schema finds it too.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- The head of an agency (kepala dinas, or whom they name) is one of its officers.
-- email / telegram_chat: where the SLA ladder reminds this officer of what they own.
ALTER TABLE officer
    ADD COLUMN head boolean NOT NULL DEFAULT false,
    ADD COLUMN email text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND char_length(email) <= 200),
    ADD COLUMN telegram_chat text CHECK (telegram_chat ~ '^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$'),
    ADD CONSTRAINT officer_head_is_agency_officer CHECK (NOT head OR role = 'officer');

-- Who owns the complaint now: an officer of the agency it is with (lifecycle.act clears it
-- when the complaint leaves that agency).
ALTER TABLE complaint ADD COLUMN assignee_id bigint REFERENCES officer (id);

-- "Mine": an officer's open complaints in deadline order.
CREATE INDEX complaint_assignee_queue ON complaint
    (assignee_id, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('assigned', 'in_progress') AND assignee_id IS NOT NULL;

-- The admin's queue: every open complaint of the city in deadline order (the agencies' and
-- the desk's have theirs since 001).
CREATE INDEX complaint_open_queue ON complaint
    ((coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('received', 'assigned', 'in_progress');

-- The queue's text search (lapor/repo/queue.py SEARCH_TEXT): every word typed must occur in
-- the title, the text or the address, case aside; trigrams find it among the open complaints.
CREATE INDEX complaint_open_text ON complaint
    USING gin ((coalesce(title, '') || ' ' || body || ' ' || coalesce(address, '')) public.gin_trgm_ops)
    WHERE status IN ('received', 'assigned', 'in_progress');

-- The place filters compare without case or surrounding spaces, as the public list does; an
-- agency's officer reads one place's complaints in deadline order straight from the index.
CREATE INDEX complaint_open_kelurahan ON complaint
    (lower(btrim(kelurahan)), agency_code, (coalesce(due_at, 'infinity'::timestamptz)),
     created_at, id)
    WHERE status IN ('received', 'assigned', 'in_progress') AND kelurahan IS NOT NULL;
CREATE INDEX complaint_open_kecamatan ON complaint
    (lower(btrim(kecamatan)), agency_code, (coalesce(due_at, 'infinity'::timestamptz)),
     created_at, id)
    WHERE status IN ('received', 'assigned', 'in_progress') AND kecamatan IS NOT NULL;

-- What the planner knows of those expressions. The indexes above are partial, and PostgreSQL
-- keeps no statistics of a partial index's expressions: without these it takes any search
-- word, place or deadline range for a rare one and reads every match before sorting ("jalan"
-- is in nearly every text; the ordered queue index finds 50 at once).
CREATE STATISTICS complaint_search_text_stats
    ON ((coalesce(title, '') || ' ' || body || ' ' || coalesce(address, ''))) FROM complaint;
CREATE STATISTICS complaint_due_sort_stats
    ON ((coalesce(due_at, 'infinity'::timestamptz))) FROM complaint;
CREATE STATISTICS complaint_kelurahan_stats ON (lower(btrim(kelurahan))) FROM complaint;
CREATE STATISTICS complaint_kecamatan_stats ON (lower(btrim(kecamatan))) FROM complaint;

-- Reply templates: an agency's ready answers for complaints in one status, with
-- placeholders ({kode}, {kelurahan}, ...: lapor/reply_templates.py), kept by its head.
CREATE TABLE reply_template (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_code text NOT NULL REFERENCES agency (code),
    status      text NOT NULL CHECK (status IN ('assigned', 'in_progress')),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
    body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_by  bigint REFERENCES officer (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX reply_template_title ON reply_template (agency_code, status, lower(title));
