"""Officer accounts: who works in lapor, in which role and agency, active or not, and their
passwords. The admin pages and `lapor officer` both come here."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg
from zxcvbn import zxcvbn

from lapor import i18n, sessions
from lapor.auth import ROLES, Officer, create_officer, hash_password, revoke_officer_tokens
from lapor.errors import FieldError, Forbidden, NotFound, ValidationFailed
from lapor.repo import officers as repo

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services

log = logging.getLogger(__name__)

PASSWORD_MIN, PASSWORD_MAX = 10, 200
NAME_MAX = 100
_USERNAME = re.compile(r"^[a-z0-9._-]{3,40}$")
ROLE_LABELS = {
    "officer": "Petugas instansi",
    "verifier": "Meja verifikasi",
    "admin": "Admin kota",
}


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None
    head: bool
    email: str | None
    telegram_chat: str | None
    active: bool
    has_password: bool
    created_at: datetime

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def require_admin(officer: Officer) -> None:
    if officer.role != "admin":
        raise Forbidden(i18n.t("problem.admin_only"))


# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses and more); below it the word
# lists (common passwords, names, keyboard patterns, dates, repeats) find it too soon.
PASSWORD_SCORE_MIN = 3
WEAK_PASSWORD = i18n.t("problem.weak_password")


def check_password(password: str | None, user_inputs: Sequence[str | None] = ()) -> str:
    """Refuse a password too short, too long, or too easy to guess (zxcvbn, with the
    officer's own username and name counted as known words)."""
    if not password or len(password) < PASSWORD_MIN:
        raise ValidationFailed.on("password", f"kata sandi paling sedikit {PASSWORD_MIN} karakter")
    if len(password) > PASSWORD_MAX:
        raise ValidationFailed.on("password", f"kata sandi paling panjang {PASSWORD_MAX} karakter")
    known = []
    for value in filter(None, user_inputs):  # "Rina Lestari", "rina.dlh": whole, parts, joined
        parts = [part for part in re.split(r"[\W_]+", value) if part]
        known += [value, *parts, "".join(parts)]
    if zxcvbn(password, user_inputs=known)["score"] < PASSWORD_SCORE_MIN:
        raise ValidationFailed.on("password", WEAK_PASSWORD)
    return password


def _role_and_agency(city: CityConfig, role: str | None, agency: str | None) -> str | None:
    """Check a role with its agency; returns the agency to store."""
    errors = []
    agency = (agency or "").strip() or None
    if role not in ROLES:
        errors.append(FieldError("role", "pilih peran: " + ", ".join(ROLE_LABELS.values())))
    if agency is not None and (agency not in city.agencies):
        errors.append(
            FieldError("agency", i18n.t("problem.unknown_agency", value=repr(agency[:40])))
        )
    elif agency is not None and city.agencies[agency].kind == "oversight":
        errors.append(FieldError("agency", i18n.t("problem.oversight_has_no_reports")))
    elif role == "officer" and agency is None:
        errors.append(FieldError("agency", i18n.t("problem.agency_officer_needs_agency")))
    if errors:
        raise ValidationFailed.of(errors)
    if role == "verifier" and agency is None:
        return city.desk_agency
    return agency


async def list_accounts(services: Services) -> list[Account]:
    async with services.pool.acquire() as conn:
        rows = await repo.accounts(conn)
    return [Account(**dict(row)) for row in rows]


async def any_officer(conn: asyncpg.Connection) -> bool:
    """Whether any officer account exists (the demo city is loaded once)."""
    return await repo.any_exist(conn)


async def any_admin(conn: asyncpg.Connection) -> bool:
    """Whether someone can run the city: an active admin account (`lapor serve` says how to
    make the first one when there is none)."""
    return await repo.any_active_admin(conn)


async def create(
    services: Services,
    username: str,
    display_name: str | None,
    role: str,
    agency: str | None,
    password: str | None,
) -> Officer:
    username = (username or "").strip().lower()
    errors = []
    if not _USERNAME.match(username):
        errors.append(
            FieldError("username", "3-40 huruf kecil, angka, titik, garis bawah atau tanda hubung")
        )
    display_name = (display_name or "").strip() or username
    if len(display_name) > NAME_MAX:
        errors.append(FieldError("display_name", f"nama paling panjang {NAME_MAX} karakter"))
    try:
        agency = _role_and_agency(services.city, role, agency)
    except ValidationFailed as error:
        errors.extend(error.errors)
    try:
        check_password(password, (username, display_name))
    except ValidationFailed as error:
        errors.extend(error.errors)
    if errors:
        raise ValidationFailed.of(errors)
    password_hash = await asyncio.to_thread(hash_password, password)
    try:
        async with services.pool.acquire() as conn:
            officer = await create_officer(conn, username, display_name, role, agency)
            await repo.set_password_hash(conn, officer.id, password_hash)
    except asyncpg.UniqueViolationError:
        raise ValidationFailed.on("username", i18n.t("problem.username_taken")) from None
    log.info("officer created officer_id=%s role=%s agency=%s", officer.id, role, agency)
    return officer


async def _existing(conn: asyncpg.Connection, officer_id: int) -> asyncpg.Record:
    row = await repo.standing(conn, officer_id)
    if row is None:
        raise NotFound(i18n.t("problem.officer_not_found"))
    return row


async def change_role(
    services: Services,
    actor: Officer,
    officer_id: int,
    role: str,
    agency: str | None,
    head: bool = False,
) -> None:
    """The admin sets an officer's role and agency, and whether they head that agency (only
    an agency's officer may)."""
    agency = _role_and_agency(services.city, role, agency)
    if head and role != "officer":
        raise ValidationFailed.on("head", i18n.t("team.problem.head_is_agency_officer"))
    if officer_id == actor.id and role != actor.role:
        raise ValidationFailed.on("role", i18n.t("problem.own_role"))
    async with services.pool.acquire() as conn:
        await _existing(conn, officer_id)
        await repo.set_role(conn, officer_id, role, agency, head)
    log.info(
        "officer changed officer_id=%s role=%s agency=%s head=%s", officer_id, role, agency, head
    )


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TELEGRAM_CHAT = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$")


async def set_contacts(
    services: Services, actor: Officer, officer_id: int, email: str | None, telegram: str | None
) -> None:
    """The admin sets where the SLA ladder reminds an officer of the complaints they own: an
    e-mail address, a Telegram chat id (or @channel); either may be empty."""
    require_admin(actor)
    email = (email or "").strip() or None
    telegram = (telegram or "").strip() or None
    errors = []
    if email is not None and (len(email) > 200 or not _EMAIL.match(email)):
        errors.append(FieldError("email", i18n.t("validation.email_invalid")))
    if telegram is not None and not _TELEGRAM_CHAT.match(telegram):
        errors.append(FieldError("telegram_chat", i18n.t("team.problem.bad_telegram_chat")))
    if errors:
        raise ValidationFailed.of(errors)
    async with services.pool.acquire() as conn:
        await _existing(conn, officer_id)
        await repo.set_contacts(conn, officer_id, email, telegram)
    log.info("officer contacts set officer_id=%s", officer_id)


@dataclass(frozen=True)
class Member:
    """An officer of an agency, as the assignment choices list them."""

    id: int
    username: str
    display_name: str
    head: bool


async def team(services: Services, agency: str) -> list[Member]:
    """The agency's active officers: whom its complaints may be assigned to."""
    async with services.pool.acquire() as conn:
        rows = await repo.team(conn, agency)
    return [Member(**dict(row)) for row in rows]


async def team_for(services: Services, officer: Officer, agency: str | None) -> list[Member]:
    """An agency's officers, to an officer of it (their own) or to the admin (any they name)."""
    if officer.role != "admin":
        if agency is not None and agency != officer.agency_code:
            raise Forbidden(i18n.t("team.problem.team_of_own_agency"))
        agency = officer.agency_code
    elif agency is None:
        raise ValidationFailed.on("agency", i18n.t("team.problem.team_agency"))
    if agency is None or agency not in services.city.agencies:
        raise ValidationFailed.on(
            "agency", i18n.t("problem.unknown_agency", value=repr((agency or "")[:40]))
        )
    return await team(services, agency)


async def set_active(services: Services, actor: Officer, officer_id: int, active: bool) -> None:
    """Deactivating logs the officer out everywhere; the account and its history stay."""
    if officer_id == actor.id and not active:
        raise ValidationFailed.on("active", i18n.t("problem.own_account_inactive"))
    async with services.pool.acquire() as conn, conn.transaction():
        await _existing(conn, officer_id)
        await repo.set_active(conn, officer_id, active)
        if not active:
            await sessions.end_sessions(conn, officer_id)
            await revoke_officer_tokens(conn, officer_id, services.clock.now())
    log.info("officer %s officer_id=%s", "activated" if active else "deactivated", officer_id)


async def set_password(services: Services, officer_id: int, password: str | None) -> None:
    """A new password ends the officer's sessions and API tokens: whoever had the old one
    is logged out."""
    async with services.pool.acquire() as conn:
        account = await _existing(conn, officer_id)
    check_password(password, (account["username"], account["display_name"]))
    password_hash = await asyncio.to_thread(hash_password, password)
    async with services.pool.acquire() as conn, conn.transaction():
        await _existing(conn, officer_id)
        await repo.set_password_hash(conn, officer_id, password_hash)
        await sessions.end_sessions(conn, officer_id)
        await revoke_officer_tokens(conn, officer_id, services.clock.now())
    log.info("officer password set officer_id=%s", officer_id)


async def revoke_tokens(services: Services, actor: Officer, officer_id: int) -> int:
    """The admin revokes every API token of an officer (a lost laptop, a leaked script);
    returns how many were live. Their page sessions stay."""
    require_admin(actor)
    async with services.pool.acquire() as conn, conn.transaction():
        await _existing(conn, officer_id)
        count = await revoke_officer_tokens(conn, officer_id, services.clock.now())
    log.info("officer api tokens revoked officer_id=%s count=%s", officer_id, count)
    return count
