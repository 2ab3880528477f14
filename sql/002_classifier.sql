-- Trained routing models and what officers taught them.

CREATE TABLE model_version (
    version    text PRIMARY KEY,
    path       text NOT NULL,
    metadata   jsonb NOT NULL,
    threshold  double precision NOT NULL CHECK (threshold BETWEEN 0 AND 1.000001),
    macro_f1   double precision,
    created_at timestamptz NOT NULL DEFAULT now(),
    active     boolean NOT NULL DEFAULT false
);
-- At most one model routes at a time.
CREATE UNIQUE INDEX model_version_one_active ON model_version (active) WHERE active;

-- Every verify, transfer and "bukan wewenang" is a lesson for the next model.
CREATE TABLE routing_correction (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id       bigint NOT NULL REFERENCES complaint (id),
    action             text NOT NULL CHECK (action IN ('verify', 'transfer', 'not_ours')),
    text               text NOT NULL,
    predicted_category text REFERENCES category (code),
    final_category     text REFERENCES category (code),
    officer_id         bigint REFERENCES officer (id),
    created_at         timestamptz NOT NULL
);
CREATE INDEX routing_correction_learned ON routing_correction (created_at)
    WHERE final_category IS NOT NULL;

-- Why the model routed as it did: the terms of the text that weighed most.
ALTER TABLE complaint ADD COLUMN routing_terms jsonb NOT NULL DEFAULT '[]';
