-- SLA: which stage a complaint's clock runs for, how far up its escalation ladder it has
-- climbed, and one row per ladder step taken, so that several schedulers running at once
-- still take every step exactly once.

ALTER TABLE complaint
    -- verify (at the desk), response (the agency's first follow-up), resolve, close (waiting
    -- to be closed automatically); NULL once closed or rejected
    ADD COLUMN sla_stage        text CHECK (sla_stage IN ('verify', 'response', 'resolve', 'close')),
    ADD COLUMN stage_started_at timestamptz,
    -- ladder steps already taken for the current stage (0: none, 1: the reminder, ...)
    ADD COLUMN escalation_level smallint NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
    -- when the next ladder step falls due; NULL when the ladder is done or the stage has none
    ADD COLUMN next_step_at     timestamptz;

-- The sweep reads only the complaints that have a step due, soonest first.
CREATE INDEX complaint_next_step ON complaint (next_step_at, id) WHERE next_step_at IS NOT NULL;
-- Auto-close reads resolved complaints by their close deadline.
CREATE INDEX complaint_close_due ON complaint (close_due_at, id) WHERE status = 'resolved';

-- The ledger of ladder steps: the primary key is what makes a step happen once.
-- stage_started_at tells one run of a stage from the next (a transfer or a reopen starts a
-- new clock, and its ladder starts again from the reminder).
CREATE TABLE sla_step (
    complaint_id     bigint NOT NULL REFERENCES complaint (id),
    stage            text NOT NULL CHECK (stage IN ('verify', 'response', 'resolve')),
    stage_started_at timestamptz NOT NULL,
    level            smallint NOT NULL CHECK (level >= 0),
    kind             text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
    agency_code      text NOT NULL REFERENCES agency (code),  -- whose people were told
    due_at           timestamptz NOT NULL,                     -- when the step fell due
    taken_at         timestamptz NOT NULL,                     -- when a sweep took it
    messages         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (complaint_id, stage, stage_started_at, level)
);
