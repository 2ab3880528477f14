-- Rate limits shared by every instance: one counter per key (rule and subject, e.g.
-- 'filing:address:203.0.113.7') and fixed window. A hit is one upsert; the scheduler prunes
-- windows that have ended (lapor/ratelimit.py).
CREATE TABLE rate_limit (
    key          text NOT NULL CHECK (char_length(key) <= 300),
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL CHECK (window_end > window_start),
    hits         integer NOT NULL CHECK (hits > 0),
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_window_end ON rate_limit (window_end);

-- Failed logins now remember the address they came from: one address alone never locks a
-- username (it meets its own per-address limit first), and an address an officer logged in
-- from successfully is not held back by a lock others caused (lapor/sessions.py).
ALTER TABLE login_failure ADD COLUMN address text CHECK (char_length(address) <= 100);

CREATE TABLE login_known_address (
    username        text NOT NULL CHECK (char_length(username) <= 100),
    address         text NOT NULL CHECK (char_length(address) <= 100),
    last_success_at timestamptz NOT NULL,
    PRIMARY KEY (username, address)
);
