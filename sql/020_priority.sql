-- Issue 17 §2: a complaint's priority (rendah, sedang, tinggi, darurat). Suggested at intake from
-- the citizen's words, set by the desk or the agency afterwards (a `set_priority` event). The
-- queue sorts by it first, then by the deadline, so its rank is stored beside it: 0 (darurat)
-- comes first. The city's [sla.priority] shortens the deadlines of the higher priorities.
ALTER TABLE complaint
    ADD COLUMN priority text NOT NULL DEFAULT 'sedang'
        CHECK (priority IN ('rendah', 'sedang', 'tinggi', 'darurat')),
    ADD COLUMN priority_rank smallint GENERATED ALWAYS AS (
        CASE priority WHEN 'darurat' THEN 0 WHEN 'tinggi' THEN 1 WHEN 'sedang' THEN 2 ELSE 3 END
    ) STORED;

-- The queues' order is now (priority, deadline, age): the partial indexes follow it.
DROP INDEX complaint_agency_queue;
CREATE INDEX complaint_agency_queue ON complaint
    (agency_code, priority_rank, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('assigned', 'in_progress');
DROP INDEX complaint_desk_queue;
CREATE INDEX complaint_desk_queue ON complaint
    (priority_rank, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status = 'received';
-- And 019's: an officer's own ("mine") and the admin's city-wide queue.
DROP INDEX complaint_assignee_queue;
CREATE INDEX complaint_assignee_queue ON complaint
    (assignee_id, priority_rank, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('assigned', 'in_progress') AND assignee_id IS NOT NULL;
DROP INDEX complaint_open_queue;
CREATE INDEX complaint_open_queue ON complaint
    (priority_rank, (coalesce(due_at, 'infinity'::timestamptz)), created_at, id)
    WHERE status IN ('received', 'assigned', 'in_progress');
