-- Officer page sessions (the pages' login; the API keeps its bearer tokens) and the record of
-- failed logins that locks a username out for a while.

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of this table logs
-- nobody in. A session ends at its absolute expiry, or earlier when left idle (the idle limit
-- lives in lapor/sessions.py and is checked against last_seen_at).
CREATE TABLE officer_session (
    token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    officer_id   bigint NOT NULL REFERENCES officer (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX officer_session_officer ON officer_session (officer_id);
CREATE INDEX officer_session_expiry ON officer_session (expires_at);

-- Failures are kept per username typed, whether or not such an officer exists: the lock-out
-- must not tell a guesser which usernames are real.
CREATE TABLE login_failure (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username  text NOT NULL CHECK (char_length(username) <= 100),
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failure_recent ON login_failure (username, failed_at);

CREATE TABLE login_lock (
    username     text PRIMARY KEY CHECK (char_length(username) <= 100),
    locked_until timestamptz NOT NULL
);
