"""Who is asking: officers with API tokens (stored as SHA-256) and reporters with access tokens.

Officer tokens are 256 random bits, so a fast hash is enough to store them; passwords (for the
officer pages) are hashed with argon2. A reporter's access token is an HMAC of the tracking code
under the service's secret key: nothing to store, and an intake replayed with the same
idempotency key hands back the same token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import asyncpg
from argon2 import PasswordHasher

from lapor.errors import Unauthorized, ValidationFailed
from lapor.repo import officers as officers_repo

# Who acts on a complaint (lapor.lifecycle's moves name them): the officers of the complaint's
# current agency, the verification desk, the city admin, or the citizen holding the
# complaint's access token.
AGENCY, DESK, ADMIN, REPORTER = "agency", "desk", "admin", "reporter"

OFFICER_TOKEN_PREFIX = "lpo_"
REPORTER_TOKEN_PREFIX = "lpr_"
ROLES = ("officer", "verifier", "admin")

_passwords = PasswordHasher()


@dataclass(frozen=True)
class Officer:
    id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None

    def roles_for(self, complaint_agency: str | None) -> frozenset[str]:
        """The lifecycle actor roles this officer holds for a complaint at that agency."""
        if self.role == "admin":
            return frozenset({ADMIN})
        if self.role == "verifier":
            return frozenset({DESK})
        if complaint_agency is not None and complaint_agency == self.agency_code:
            return frozenset({AGENCY})
        return frozenset()

    def may_see(self, complaint_agency: str | None) -> bool:
        # The desk and the admin see the whole city; an agency sees only what is with it now.
        return self.role in ("admin", "verifier") or (
            complaint_agency is not None and complaint_agency == self.agency_code
        )


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _passwords.verify(password_hash, password)
    except Exception:
        return False


def _officer(row: asyncpg.Record) -> Officer:
    return Officer(row["id"], row["username"], row["display_name"], row["role"], row["agency_code"])


async def create_officer(
    conn: asyncpg.Connection,
    username: str,
    display_name: str,
    role: str,
    agency_code: str | None,
    password: str | None = None,
) -> Officer:
    if role not in ROLES:
        raise ValidationFailed.on("role", f"role must be one of {', '.join(ROLES)}")
    if role == "officer" and not agency_code:
        raise ValidationFailed.on("agency", "an officer belongs to an agency")
    row = await officers_repo.insert(
        conn,
        username,
        display_name,
        role,
        agency_code,
        hash_password(password) if password else None,
    )
    return _officer(row)


async def issue_token(conn: asyncpg.Connection, officer_id: int) -> str:
    token = OFFICER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    await officers_repo.add_token(conn, officer_id, _sha256(token))
    return token


async def find_officer(conn: asyncpg.Connection, username: str) -> Officer | None:
    row = await officers_repo.by_username(conn, username)
    return None if row is None else _officer(row)


async def authenticate(conn: asyncpg.Connection, token: str) -> Officer:
    row = await officers_repo.by_token(conn, _sha256(token))
    if row is None:
        raise Unauthorized("Token tidak dikenal atau sudah dicabut.")
    return _officer(row)


def reporter_token(secret_key: str, tracking_code: str) -> str:
    digest = hmac.new(
        secret_key.encode(), b"reporter-access:" + tracking_code.encode(), hashlib.sha256
    ).digest()
    return REPORTER_TOKEN_PREFIX + base64.urlsafe_b64encode(digest[:24]).decode()


def is_reporter_token(secret_key: str, tracking_code: str, token: str | None) -> bool:
    if not token:
        return False
    return hmac.compare_digest(reporter_token(secret_key, tracking_code), token)
