-- The admin's edits of the city file's agencies, categories and SLA numbers (issue 17 §6).
-- The file in config/cities/ stays the seed; these rows are applied over it
-- (lapor/city_edits.py effective()), so re-syncing the seed never undoes an edit. A value
-- equal to the seed's is no edit: its row is deleted.
CREATE TABLE city_edit (
    city        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('agency', 'category', 'sla')),
    code        text NOT NULL,  -- the agency's or the category's code; '' for the SLA numbers
    field       text NOT NULL,
    value       jsonb NOT NULL,
    officer_id  bigint REFERENCES officer (id),
    edited_at   timestamptz NOT NULL,
    PRIMARY KEY (city, kind, code, field)
);

-- Every change, kept: who, when, the value in force before and after it.
CREATE TABLE city_edit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city        text NOT NULL,
    kind        text NOT NULL,
    code        text NOT NULL,
    field       text NOT NULL,
    before      jsonb,
    after       jsonb,
    officer_id  bigint REFERENCES officer (id),
    edited_at   timestamptz NOT NULL
);
CREATE INDEX city_edit_log_city ON city_edit_log (city, id);
