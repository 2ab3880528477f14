"""Who is asking: officers with API tokens (stored as SHA-256) and reporters with access tokens.

Officer tokens are 256 random bits, so a fast hash is enough to store them; passwords (for the
officer pages) are hashed with argon2. An officer token ends at its expiry (`TOKEN_LIFETIME`
from issue unless the deployment says otherwise), when revoked (by its holder or the admin),
and with a new password or a deactivation, as the pages' sessions do.

A reporter's access token is an HMAC of the tracking code and the complaint's token version
under the service's secret key: nothing secret is stored, an intake replayed with the same
idempotency key hands back the same token, and the reporter revokes it by moving the version
on (`revoke_reporter_token`), which hands them the next one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from argon2 import PasswordHasher, profiles

from lapor import constant_time, i18n
from lapor.errors import Unauthorized, ValidationFailed
from lapor.repo import officers as officers_repo
from lapor.repo import tokens as repo

# Who acts on a complaint (lapor.lifecycle's moves name them): the officers of the complaint's
# current agency, the verification desk, the city admin, or the citizen holding the
# complaint's access token.
AGENCY, DESK, ADMIN, REPORTER = "agency", "desk", "admin", "reporter"

OFFICER_TOKEN_PREFIX = "lpo_"
REPORTER_TOKEN_PREFIX = "lpr_"
ROLES = ("officer", "verifier", "admin")
# How long an officer's API token lives unless LAPOR_TOKEN_DAYS says otherwise: a month, so a
# token copied into a script or leaked in a log stops working within weeks, while officers
# using the API renew it (`lapor token`) about as often as a monthly report comes out.
TOKEN_LIFETIME = timedelta(days=30)

# argon2id with RFC 9106's low-memory profile (t=3, m=64 MiB, p=4): tens of milliseconds of
# CPU per login on purpose. Tests swap in a cheap hasher (tests/conftest.py) and check this one.
PASSWORD_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_passwords = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)


def use_password_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Hash new passwords with `hasher` (a test's cheap one); returns the one it replaces.
    Hashes carry their own parameters, so either verifies what the other wrote."""
    global _passwords
    previous, _passwords = _passwords, hasher
    return previous


@dataclass(frozen=True)
class Officer:
    id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None
    head: bool = False  # the head of their agency: assigns its complaints, keeps its templates

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


def officer_of(row: asyncpg.Record) -> Officer:
    """An Officer from a row with id, username, display_name, role, agency_code and head."""
    return Officer(
        row["id"],
        row["username"],
        row["display_name"],
        row["role"],
        row["agency_code"],
        row["head"],
    )


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
    return officer_of(row)


async def issue_token(
    conn: asyncpg.Connection,
    officer_id: int,
    *,
    now: datetime,
    lifetime: timedelta = TOKEN_LIFETIME,
) -> str:
    """A new API token for the officer, living `lifetime` from `now`; only its hash is kept."""
    token = OFFICER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    await repo.add_token(conn, officer_id, _sha256(token), now, now + lifetime)
    return token


async def find_officer(conn: asyncpg.Connection, username: str) -> Officer | None:
    row = await officers_repo.by_username(conn, username)
    return None if row is None else officer_of(row)


async def authenticate(conn: asyncpg.Connection, token: str, now: datetime) -> Officer:
    """The officer behind a live API token; Unauthorized for an unknown, revoked or expired
    token, and for a deactivated officer's."""
    row = await repo.live_token_officer(conn, _sha256(token), now)
    if row is None:
        raise Unauthorized(i18n.t("problem.unknown_token"))
    return officer_of(row)


async def revoke_token(conn: asyncpg.Connection, token: str, now: datetime) -> bool:
    """Revoke one API token (its holder's own); False if it was not live."""
    return await repo.revoke_api_token(conn, _sha256(token), now) != "UPDATE 0"


async def revoke_officer_tokens(conn: asyncpg.Connection, officer_id: int, now: datetime) -> int:
    """Revoke every live API token of an officer; returns how many."""
    status = await repo.revoke_officer_tokens(conn, officer_id, now)
    return int(status.split()[-1])


def reporter_token(secret_key: str, tracking_code: str, version: int = 0) -> str:
    """The reporter's access token for a complaint at its token `version` (version 0 is the
    token handed out before tokens could be revoked, so those stay valid until revoked)."""
    message = b"reporter-access:" + tracking_code.encode()
    if version:
        message += b":" + str(version).encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return REPORTER_TOKEN_PREFIX + base64.urlsafe_b64encode(digest[:24]).decode()


def is_reporter_token(
    secret_key: str, tracking_code: str, token: str | None, version: int = 0
) -> bool:
    if not token:
        return False
    return constant_time.same(token, reporter_token(secret_key, tracking_code, version))


async def current_reporter_token(conn: asyncpg.Connection, secret_key: str, code: str) -> str:
    """The reporter token valid now for the complaint (for the system acting as the reporter,
    e.g. a survey's "belum" reopening it, or a chat looking up its own complaint)."""
    version = await repo.select_reporter_token_version(conn, code)
    return reporter_token(secret_key, code, version or 0)


async def revoke_reporter_token(conn: asyncpg.Connection, secret_key: str, row) -> str:
    """Move the complaint's token version on (the caller holds the row locked and has checked
    the current token): the old token stops working; returns the new one."""
    version = await repo.bump_reporter_token_version(conn, row["id"])
    return reporter_token(secret_key, row["tracking_code"], version)
