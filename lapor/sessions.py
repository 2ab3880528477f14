"""Officers' sessions on the pages: logging in with a password, staying in, logging out.

A session is a random token in a cookie; the database keeps only its SHA-256, the officer,
and when it was made and last used. It ends after `IDLE` without a request, at `ABSOLUTE`
after login whatever happens, at logout, and at once when the officer is deactivated.

Failed logins are counted twice. Per address (the city's `[limits]
login_failures_per_address`, shared by every instance): past it, that address may not try
again until its window ends, whatever the username. Per username typed (existing or not):
`FAILURES_BEFORE_LOCK` within `FAILURE_WINDOW`, coming from at least `LOCK_ADDRESSES`
different addresses, lock that username for `LOCK_TIME`. So one address alone can never lock
anyone out (it meets its own limit first), and the lock is kept for guessing spread over
many addresses. Even then it does not hold back an address the officer logged in from within
`KNOWN_FOR`: strangers cannot keep an admin out of the office for ever. Every refusal of a
password reads the same, so the login form never tells whether a username exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, ratelimit
from lapor.auth import Officer, hash_password, officer_of, verify_password
from lapor.errors import Unauthorized
from lapor.ratelimit import TooManyRequests
from lapor.repo import sessions as repo

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

IDLE = timedelta(hours=8)
ABSOLUTE = timedelta(hours=24)
FAILURES_BEFORE_LOCK = 5
LOCK_ADDRESSES = 3
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
KNOWN_FOR = timedelta(days=30)
# Refresh last_seen_at at most this often: a page view need not always write.
TOUCH_EVERY = timedelta(minutes=1)
USERNAME_MAX = 100


class LoginRefused(Unauthorized):
    """Wrong username or password, or a deactivated account: the same words for all three."""


class LockedOut(TooManyRequests):
    slug = "locked-out"


# What a refused login says: lapor/i18n `login.` keys.
WRONG = i18n.t("login.wrong")
LOCKED = i18n.catalogue(i18n.DEFAULT)["login.locked"]  # {minutes} filled in later
ADDRESS_LIMITED = i18n.catalogue(i18n.DEFAULT)["login.address_limited"]


@dataclass(frozen=True)
class Session:
    token: str  # goes into the cookie; never stored
    officer: Officer
    expires_at: datetime


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_username(username: str) -> str:
    return username.strip().lower()[:USERNAME_MAX]


@cache
def _decoy_hash() -> str:
    # Checked against when the username does not exist, so both take as long.
    return hash_password(secrets.token_urlsafe(16))


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


async def login(
    services: Services, username: str, password: str, address: str | None = None
) -> Session:
    """Check the password and open a session, or refuse (LoginRefused; TooManyRequests for an
    address past its limit, LockedOut for a locked username). `address`: the client's."""
    username = normalize_username(username)
    now = services.clock.now()
    address = (address or "unknown")[:100]
    limit = services.city.limits.login_failures_per_address
    limit_key = f"login_failures_per_address:address:{address}"
    await ratelimit.check(services, limit_key, limit, ADDRESS_LIMITED)
    if not username or not password:
        raise LoginRefused(WRONG)
    async with services.pool.acquire() as conn:
        locked_until = await repo.locked_until(conn, username, now)
        if locked_until is not None and not await repo.is_known_address(
            conn, username, address, now - KNOWN_FOR
        ):
            seconds = int((locked_until - now).total_seconds())
            raise LockedOut(LOCKED.format(minutes=_minutes_left(locked_until, now)), seconds)
        row = await repo.officer_for_login(conn, username)
    stored = row["password_hash"] if row is not None and row["password_hash"] else _decoy_hash()
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop.
    matches = await asyncio.to_thread(verify_password, stored, password)
    if not matches or row is None or not row["active"] or not row["password_hash"]:
        await ratelimit.count(services, limit_key, limit)
        await _failed(services, username, address, now)
        raise LoginRefused(WRONG)
    officer = officer_of(row)
    token = secrets.token_urlsafe(32)
    expires_at = now + ABSOLUTE
    async with services.pool.acquire() as conn, conn.transaction():
        await repo.lock_username(conn, username)
        await repo.clear_failures(conn, username, now, FAILURE_WINDOW)
        await repo.remember_address(conn, username, address, now)
        await repo.delete_dead_sessions(conn, now, IDLE)
        await repo.insert_session(conn, _sha256(token), officer.id, now, expires_at)
    log.info("officer logged in officer_id=%s role=%s", officer.id, officer.role)
    return Session(token, officer, expires_at)


async def _failed(services: Services, username: str, address: str, now: datetime) -> None:
    async with services.pool.acquire() as conn, conn.transaction():
        await repo.lock_username(conn, username)
        await repo.insert_failure(conn, username, now, address)
        failures, addresses = await repo.count_recent_failures(conn, username, now, FAILURE_WINDOW)
        if failures >= FAILURES_BEFORE_LOCK and addresses >= LOCK_ADDRESSES:
            await repo.lock_out(conn, username, now + LOCK_TIME)
            await repo.clear_failures(conn, username, now, FAILURE_WINDOW)
            log.warning(
                "login locked after %s failures from %s addresses until %s",
                failures,
                addresses,
                now + LOCK_TIME,
            )


async def officer_for(services: Services, token: str | None) -> Officer | None:
    """The officer behind a session cookie, or None if there is no live session."""
    if not token or len(token) > 100:
        return None
    now = services.clock.now()
    digest = _sha256(token)
    async with services.pool.acquire() as conn:
        row = await repo.live_session(conn, digest, now, IDLE)
        if row is None:
            return None
        if now - row["last_seen_at"] >= TOUCH_EVERY:
            await repo.touch_session(conn, digest, now)
    return officer_of(row)


async def logout(services: Services, token: str | None) -> None:
    if not token:
        return
    async with services.pool.acquire() as conn:
        await repo.delete_session(conn, _sha256(token))


async def end_sessions(conn: asyncpg.Connection, officer_id: int) -> None:
    """Log an officer out everywhere (deactivation, a new password)."""
    await repo.delete_officer_sessions(conn, officer_id)
