-- "Merge as duplicate": a complaint closed because another one reports the same matter points
-- at that original. Proof photos: a resolution may attach a photo, tied to its timeline event.

ALTER TABLE complaint ADD COLUMN duplicate_of bigint REFERENCES complaint (id),
    ADD CONSTRAINT complaint_not_its_own_duplicate CHECK (duplicate_of <> id),
    ADD CONSTRAINT duplicate_is_closed CHECK (duplicate_of IS NULL OR status = 'closed');
CREATE INDEX complaint_duplicates ON complaint (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The reporter's photos keep positions 1-5; officers' proof photos follow them, each tied to
-- the event (a resolution) it proves.
ALTER TABLE complaint_photo ADD COLUMN event_id bigint REFERENCES complaint_event (id),
    DROP CONSTRAINT complaint_photo_position_check,
    ADD CONSTRAINT complaint_photo_position_check
        CHECK (position BETWEEN 1 AND 5 OR (event_id IS NOT NULL AND position BETWEEN 6 AND 50));
