"""Officer accounts: who works in lapor, in which role and agency, active or not, and their
passwords. The admin pages and `lapor officer` both come here."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, sessions
from lapor.auth import ROLES, Officer, create_officer, hash_password
from lapor.errors import FieldError, Forbidden, NotFound, ValidationFailed

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
    active: bool
    has_password: bool
    created_at: datetime

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def require_admin(officer: Officer) -> None:
    if officer.role != "admin":
        raise Forbidden(i18n.t("problem.admin_only"))


def check_password(password: str | None) -> str:
    if not password or len(password) < PASSWORD_MIN:
        raise ValidationFailed.on("password", f"kata sandi paling sedikit {PASSWORD_MIN} karakter")
    if len(password) > PASSWORD_MAX:
        raise ValidationFailed.on("password", f"kata sandi paling panjang {PASSWORD_MAX} karakter")
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
        rows = await conn.fetch(
            """SELECT id, username, display_name, role, agency_code, active,
                      password_hash IS NOT NULL AS has_password, created_at
               FROM officer ORDER BY active DESC, role, agency_code NULLS FIRST, username"""
        )
    return [Account(**dict(row)) for row in rows]


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
        check_password(password)
    except ValidationFailed as error:
        errors.extend(error.errors)
    if errors:
        raise ValidationFailed.of(errors)
    password_hash = await asyncio.to_thread(hash_password, password)
    try:
        async with services.pool.acquire() as conn:
            officer = await create_officer(conn, username, display_name, role, agency)
            await conn.execute(
                "UPDATE officer SET password_hash = $2 WHERE id = $1", officer.id, password_hash
            )
    except asyncpg.UniqueViolationError:
        raise ValidationFailed.on("username", i18n.t("problem.username_taken")) from None
    log.info("officer created officer_id=%s role=%s agency=%s", officer.id, role, agency)
    return officer


async def _existing(conn: asyncpg.Connection, officer_id: int) -> asyncpg.Record:
    row = await conn.fetchrow("SELECT id, role, active FROM officer WHERE id = $1", officer_id)
    if row is None:
        raise NotFound(i18n.t("problem.officer_not_found"))
    return row


async def change_role(
    services: Services, actor: Officer, officer_id: int, role: str, agency: str | None
) -> None:
    agency = _role_and_agency(services.city, role, agency)
    if officer_id == actor.id and role != actor.role:
        raise ValidationFailed.on("role", i18n.t("problem.own_role"))
    async with services.pool.acquire() as conn:
        await _existing(conn, officer_id)
        await conn.execute(
            "UPDATE officer SET role = $2, agency_code = $3 WHERE id = $1", officer_id, role, agency
        )
    log.info("officer changed officer_id=%s role=%s agency=%s", officer_id, role, agency)


async def set_active(services: Services, actor: Officer, officer_id: int, active: bool) -> None:
    """Deactivating logs the officer out everywhere; the account and its history stay."""
    if officer_id == actor.id and not active:
        raise ValidationFailed.on("active", i18n.t("problem.own_account_inactive"))
    async with services.pool.acquire() as conn, conn.transaction():
        await _existing(conn, officer_id)
        await conn.execute("UPDATE officer SET active = $2 WHERE id = $1", officer_id, active)
        if not active:
            await sessions.end_sessions(conn, officer_id)
    log.info("officer %s officer_id=%s", "activated" if active else "deactivated", officer_id)


async def set_password(services: Services, officer_id: int, password: str | None) -> None:
    """A new password ends the officer's sessions: whoever had the old one is logged out."""
    check_password(password)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with services.pool.acquire() as conn, conn.transaction():
        await _existing(conn, officer_id)
        await conn.execute(
            "UPDATE officer SET password_hash = $2 WHERE id = $1", officer_id, password_hash
        )
        await sessions.end_sessions(conn, officer_id)
    log.info("officer password set officer_id=%s", officer_id)
