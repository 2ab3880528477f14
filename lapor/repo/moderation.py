"""SQL for the public copy of complaints' text: writing it, finding complaints without one.
Callers own the transaction."""

from __future__ import annotations

SET_PUBLIC_COPY = "UPDATE complaint SET public_title = $2, public_body = $3 WHERE id = $1"

# Complaints filed before the public copies existed (sql/010), a batch at a time; several
# processes may fill them at once.
MISSING_PUBLIC_COPIES = """
SELECT id, title, body FROM complaint
WHERE public_body IS NULL
ORDER BY id
LIMIT $1
FOR UPDATE SKIP LOCKED
"""
