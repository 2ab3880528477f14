-- The monthly report's twelve-month trend (lapor/report_trend.py): the volumes of a month long
-- ended (received and resolved, city-wide and per agency), counted once and kept. Counting
-- twelve months again for every report took a quarter of the report's time at five million
-- complaints (bench/scale.py). A month is kept once it ended more than a month before it is
-- counted; the city-wide row (all_agencies) says it was counted, even when it holds zeros.
CREATE TABLE report_trend_month (
    month        date NOT NULL,
    all_agencies boolean NOT NULL,
    agency_code  text,  -- NULL on an agency row: at the verification desk
    received     integer NOT NULL,
    resolved     integer NOT NULL,
    counted_at   timestamptz NOT NULL,
    CHECK (NOT all_agencies OR agency_code IS NULL)
);
CREATE UNIQUE INDEX report_trend_month_key
    ON report_trend_month (month, all_agencies, coalesce(agency_code, ''));
