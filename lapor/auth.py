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

from lapor import i18n
from lapor.errors import Unauthorized, ValidationFailed
from lapor.lifecycle import ADMIN, AGENCY, DESK

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
    row = await conn.fetchrow(
        """INSERT INTO officer (username, display_name, role, agency_code, password_hash)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id, username, display_name, role, agency_code""",
        username,
        display_name,
        role,
        agency_code,
        hash_password(password) if password else None,
    )
    return _officer(row)


async def issue_token(conn: asyncpg.Connection, officer_id: int) -> str:
    token = OFFICER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO api_token (officer_id, token_sha256) VALUES ($1, $2)",
        officer_id,
        _sha256(token),
    )
    return token


async def find_officer(conn: asyncpg.Connection, username: str) -> Officer | None:
    row = await conn.fetchrow(
        "SELECT id, username, display_name, role, agency_code FROM officer WHERE username = $1",
        username,
    )
    return None if row is None else _officer(row)


async def authenticate(conn: asyncpg.Connection, token: str) -> Officer:
    row = await conn.fetchrow(
        """SELECT o.id, o.username, o.display_name, o.role, o.agency_code
           FROM api_token t JOIN officer o ON o.id = t.officer_id
           WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND o.active""",
        _sha256(token),
    )
    if row is None:
        raise Unauthorized(i18n.t("problem.unknown_token"))
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
