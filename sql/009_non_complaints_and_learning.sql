-- Texts that are no complaint at all (greetings, thanks, praise, questions, spam) are filed
-- at the desk marked as such, never routed; the desk can close them at a glance.
ALTER TABLE complaint ADD COLUMN non_complaint boolean NOT NULL DEFAULT false;
CREATE INDEX complaint_non_complaint_at_desk ON complaint (created_at)
    WHERE non_complaint AND status = 'received';

-- Nightly retraining: which corrections a model has learned from, so the job retrains only
-- when officers have taught something new, and what the independent set said of each model.
ALTER TABLE model_version ADD COLUMN corrections_until bigint,
    ADD COLUMN independent_accuracy double precision,
    ADD COLUMN independent_precision double precision,
    ADD COLUMN independent_coverage double precision;
