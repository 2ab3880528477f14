"""SQL for officer page sessions and failed logins. Callers own the transaction."""

from __future__ import annotations

INSERT_SESSION = """
INSERT INTO officer_session (token_sha256, officer_id, created_at, last_seen_at, expires_at)
VALUES ($1, $2, $3, $3, $4)
"""

# A live session of an active officer: not past its absolute expiry, not idle too long.
SELECT_LIVE_SESSION = """
SELECT s.last_seen_at, o.id, o.username, o.display_name, o.role, o.agency_code
FROM officer_session s JOIN officer o ON o.id = s.officer_id
WHERE s.token_sha256 = $1 AND o.active
  AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - $3::interval
"""

TOUCH_SESSION = "UPDATE officer_session SET last_seen_at = $2 WHERE token_sha256 = $1"

DELETE_SESSION = "DELETE FROM officer_session WHERE token_sha256 = $1"

DELETE_OFFICER_SESSIONS = "DELETE FROM officer_session WHERE officer_id = $1"

DELETE_DEAD_SESSIONS = """
DELETE FROM officer_session WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - $2::interval
"""

SELECT_OFFICER_FOR_LOGIN = """
SELECT id, username, display_name, role, agency_code, password_hash, active
FROM officer WHERE username = $1
"""

# Failed logins of one username are counted one at a time, so five at once lock it once.
LOCK_USERNAME = "SELECT pg_advisory_xact_lock(hashtext('lapor-login:' || $1))"

SELECT_LOCK = "SELECT locked_until FROM login_lock WHERE username = $1 AND locked_until > $2"

INSERT_FAILURE = "INSERT INTO login_failure (username, failed_at, address) VALUES ($1, $2, $3)"

# How many failures, and from how many addresses (a failure recorded before 011 counts as one).
COUNT_RECENT_FAILURES = """
SELECT count(*), count(DISTINCT coalesce(address, '')) FROM login_failure
WHERE username = $1 AND failed_at > $2::timestamptz - $3::interval
"""

# An address the officer logged in from recently is not held back by a lock others caused.
REMEMBER_ADDRESS = """
INSERT INTO login_known_address (username, address, last_success_at) VALUES ($1, $2, $3)
ON CONFLICT (username, address) DO UPDATE SET last_success_at = excluded.last_success_at
"""

IS_KNOWN_ADDRESS = """
SELECT EXISTS (
    SELECT 1 FROM login_known_address
    WHERE username = $1 AND address = $2 AND last_success_at > $3
)
"""

UPSERT_LOCK = """
INSERT INTO login_lock (username, locked_until) VALUES ($1, $2)
ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until
"""

# After a lock-out starts, or a successful login, the count starts again from zero; failures
# older than the window never count.
CLEAR_FAILURES = """
DELETE FROM login_failure WHERE username = $1 OR failed_at <= $2::timestamptz - $3::interval
"""

CLEAR_LOCK = "DELETE FROM login_lock WHERE username = $1"
