-- Who was shown a reporter's identity (name, phone or e-mail), and when (issue 14 §3).
-- One row per officer and complaint within an hour; the admin reads them on the complaint.
-- Kept apart from the timeline: looking is not something that happened to the complaint.
CREATE TABLE identity_view (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL REFERENCES complaint (id),
    officer_id   bigint NOT NULL REFERENCES officer (id),
    fields       text[] NOT NULL CHECK (cardinality(fields) > 0),
    viewed_at    timestamptz NOT NULL
);
CREATE INDEX identity_view_recent ON identity_view (complaint_id, officer_id, viewed_at);

-- An audit trail is append-only, like the timeline.
CREATE FUNCTION identity_view_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'identity_view is append-only';
END $$;
CREATE TRIGGER identity_view_no_change BEFORE UPDATE OR DELETE ON identity_view
    FOR EACH ROW EXECUTE FUNCTION identity_view_append_only();
