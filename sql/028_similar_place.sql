-- "Saya juga mengalami" (lapor/repo/support.py SIMILAR) looks for open, non-rahasia complaints
-- within a few hundred metres of a new report at every report and lookup: the box of latitude
-- and longitude it narrows by reads this index instead of every open complaint.
CREATE INDEX complaint_open_place ON complaint (latitude, longitude)
    WHERE status IN ('received', 'assigned', 'in_progress') AND NOT rahasia
      AND latitude IS NOT NULL;
