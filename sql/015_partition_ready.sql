-- Issue 15, past one machine: what lets `lapor db partition` turn complaint_event and outbox
-- into tables partitioned by month (lapor/partitions.py, docs/partitioning.md) without
-- changing a query. Nothing is partitioned here.

-- A partitioned table's unique indexes must include its partition key, so the outbox could not
-- keep `dedupe_key UNIQUE` once partitioned by created_at: a message replayed across a month
-- boundary would be queued twice. The keys move to a table of their own, which stays whole
-- whatever becomes of the outbox (and of its old months, detached or archived). Enqueueing
-- claims the key here first, in the same statement (lapor/repo/outbox.py).
CREATE TABLE outbox_dedupe (
    dedupe_key text PRIMARY KEY,
    created_at timestamptz NOT NULL
);
INSERT INTO outbox_dedupe (dedupe_key, created_at)
SELECT dedupe_key, created_at FROM outbox WHERE dedupe_key IS NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_dedupe_key_key;

-- A foreign key may not point at complaint_event(id) once its key is (id, created_at); after the
-- conversion a proof photo's event is checked by this trigger instead (an event of the same
-- complaint). Events are append-only, so what existed when the photo was written stays.
CREATE FUNCTION complaint_photo_event_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM complaint_event e
        WHERE e.id = NEW.event_id AND e.complaint_id = NEW.complaint_id) THEN
        RAISE EXCEPTION 'complaint_photo: event % is not an event of complaint %',
            NEW.event_id, NEW.complaint_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;

-- The monthly report over five million complaints (bench/scale.py): the month's and the trend's
-- complaints and resolutions are read from these indexes alone, not from the tables' rows.
-- They replace the two indexes of 006 (what else used those, these serve as well). On a city
-- already big, build them first with CREATE INDEX CONCURRENTLY under these names; this
-- migration then only drops the old ones.
CREATE INDEX IF NOT EXISTS complaint_created_covering ON complaint (created_at)
    INCLUDE (agency_code, category_code, channel);
DROP INDEX complaint_created;
CREATE INDEX IF NOT EXISTS complaint_event_kind_time_covering ON complaint_event (kind, created_at)
    INCLUDE (complaint_id, id, from_agency);
DROP INDEX complaint_event_kind_time;
