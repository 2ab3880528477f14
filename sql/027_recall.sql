-- The recall of a forwarding (lifecycle move `recall`, lapor/forwarding.py): the city takes a
-- forwarded complaint back to its verification desk. The forwarding row stays (its token still
-- names it, so a late answer is refused by name instead of unknown), marked recalled; a
-- complaint may be forwarded again later, so "one forwarding per complaint" becomes "one live
-- forwarding per complaint".
ALTER TABLE complaint_forward ADD COLUMN recalled_at timestamptz;
ALTER TABLE complaint_forward DROP CONSTRAINT complaint_forward_complaint_id_key;
CREATE UNIQUE INDEX complaint_forward_live ON complaint_forward (complaint_id)
    WHERE recalled_at IS NULL;
CREATE INDEX complaint_forward_complaint ON complaint_forward (complaint_id);

-- A recalled Open311 request is polled no more (Open311 GeoReport v2 has no cancel).
DROP INDEX complaint_forward_polled;
CREATE INDEX complaint_forward_polled ON complaint_forward (polled_at NULLS FIRST, id)
    WHERE channel = 'open311' AND external_id IS NOT NULL AND last_status IS DISTINCT FROM 'closed'
      AND recalled_at IS NULL;
