-- Satisfaction surveys (SKM/IKM) after resolution, the monthly reports, and what the reports'
-- aggregation needs: a working-time function and indexes on the month columns.

-- One invitation per complaint, ever: the unique complaint_id is the "never surveyed twice".
-- While a chat survey is being answered, its partial scores wait here; when it finishes they
-- move to survey_response and are cleared, so this row (which leads to the reporter) keeps
-- only that a survey happened.
CREATE TABLE survey (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL UNIQUE REFERENCES complaint (id),
    channel      text CHECK (channel IN ('telegram', 'whatsapp', 'email')),
    status       text NOT NULL CHECK (status IN
                   ('no_contact', 'sent', 'answering', 'answered', 'reopened', 'expired')),
    -- 0: "is it fixed?"; 1-9: element U1-U9; 10: the optional comment
    step         smallint NOT NULL DEFAULT 0 CHECK (step BETWEEN 0 AND 10),
    fixed        text CHECK (fixed IN ('sudah', 'belum', 'tidak_tahu')),
    scores       smallint[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz,
    reminded_at  timestamptz,
    expires_at   timestamptz,
    finished_at  timestamptz,
    CONSTRAINT survey_contact CHECK ((status = 'no_contact') = (channel IS NULL)),
    CONSTRAINT survey_partial CHECK (cardinality(scores) <= 9)
);
CREATE INDEX survey_open ON survey (sent_at) WHERE status IN ('sent', 'answering');
CREATE INDEX survey_sent_month ON survey (sent_at) WHERE sent_at IS NOT NULL;

-- The answers, one column per element. An anonim reporter's answers have no complaint_id:
-- the row is keyed by a random id that no other table holds, carries only what the IKM is
-- grouped by (month, agency, category), and no timestamp to match against the survey row.
CREATE TABLE survey_response (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    complaint_id  bigint UNIQUE REFERENCES complaint (id),
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    agency_code   text REFERENCES agency (code),
    category_code text REFERENCES category (code),
    fixed         text NOT NULL CHECK (fixed IN ('sudah', 'tidak_tahu')),
    u1 smallint NOT NULL CHECK (u1 BETWEEN 1 AND 4),
    u2 smallint NOT NULL CHECK (u2 BETWEEN 1 AND 4),
    u3 smallint NOT NULL CHECK (u3 BETWEEN 1 AND 4),
    u4 smallint NOT NULL CHECK (u4 BETWEEN 1 AND 4),
    u5 smallint NOT NULL CHECK (u5 BETWEEN 1 AND 4),
    u6 smallint NOT NULL CHECK (u6 BETWEEN 1 AND 4),
    u7 smallint NOT NULL CHECK (u7 BETWEEN 1 AND 4),
    u8 smallint NOT NULL CHECK (u8 BETWEEN 1 AND 4),
    u9 smallint NOT NULL CHECK (u9 BETWEEN 1 AND 4),
    comment       text CHECK (char_length(comment) <= 2000)
);
CREATE INDEX survey_response_month ON survey_response (month, agency_code);

-- A generated monthly report: its files live under LAPOR_DATA_DIR/reports/YYYY-MM/.
CREATE TABLE report (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month        date NOT NULL CHECK (extract(day FROM month) = 1),
    agency_code  text REFERENCES agency (code), -- NULL: the city-wide report
    files        jsonb NOT NULL,
    generated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX report_once ON report (month, coalesce(agency_code, ''));

-- Reports pick a month of complaints and of events of one kind.
CREATE INDEX complaint_created ON complaint (created_at);
CREATE INDEX complaint_event_kind_time ON complaint_event (kind, created_at);
-- The survey sweep looks for recent resolutions.
CREATE INDEX complaint_resolved ON complaint (resolved_at) WHERE resolved_at IS NOT NULL;

-- Office time (seconds) from the start of a precomputed calendar up to `at`. The caller passes
-- the calendar as arrays indexed by day (from lapor.calendar.WorkingCalendar, which knows the
-- holidays), so office time between two moments is one subtraction per row, in SQL:
-- working_seconds_until(end) - working_seconds_until(start).
CREATE FUNCTION working_seconds_until(
    at timestamptz,
    tz text,
    first_day date,
    seconds_before_day double precision[],
    is_working_day boolean[],
    office_start_seconds double precision,
    workday_seconds double precision
) RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT seconds_before_day[(at AT TIME ZONE tz)::date - first_day + 1]
         + CASE WHEN is_working_day[(at AT TIME ZONE tz)::date - first_day + 1]
                THEN least(greatest(extract(epoch FROM (at AT TIME ZONE tz)::time)
                                    - office_start_seconds, 0), workday_seconds)
                ELSE 0 END
$$;
