"""Reply templates: an agency's ready answers for complaints in one status, kept by its head
(or the admin), used by its officers to answer a complaint (a `respond` move whose public note
is the template filled in for that complaint; the event records which template).

Placeholders are `{name}` from PLACEHOLDERS, filled with what the public may read of the
complaint (the place as `privacy.redact_place` shows it); a template naming any other is
refused when saved. Filling is plain substitution, never `str.format`: a template is text an
officer typed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import i18n, lifecycle, privacy, schemas, tracking
from lapor.assignment import joined
from lapor.calendar import local_time
from lapor.errors import FieldError, Forbidden, NotFound, ValidationFailed
from lapor.repo import complaints as complaint_repo
from lapor.repo import reply_templates as repo

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services

log = logging.getLogger(__name__)

# The statuses a template is for: those in which an agency answers (respond).
TEMPLATE_STATUSES = ("assigned", "in_progress")
PLACEHOLDERS = (
    "kode",
    "kategori",
    "instansi",
    "kelurahan",
    "kecamatan",
    "alamat",
    "petugas",
    "tanggal",
    "tenggat",
)
TITLE_MAX, BODY_MAX = 100, lifecycle.NOTE_MAX
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")


@dataclass(frozen=True)
class Template:
    id: int
    agency: str
    status: str
    title: str
    body: str
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency": self.agency,
            "status": self.status,
            "title": self.title,
            "body": self.body,
            "updated_at": self.updated_at.isoformat(),
        }


def _template(row: asyncpg.Record) -> Template:
    return Template(
        row["id"], row["agency_code"], row["status"], row["title"], row["body"], row["updated_at"]
    )


def fill(body: str, values: dict[str, str]) -> str:
    """The template with each known {placeholder} replaced; anything else left as typed."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def may_manage(officer: Officer, agency: str) -> bool:
    return officer.role == "admin" or (
        officer.role == "officer" and officer.head and officer.agency_code == agency
    )


def _scope(services: Services, officer: Officer, agency: str | None) -> str | None:
    """The agency whose templates an officer reads: their own; the admin's choice (or all)."""
    if officer.role == "admin":
        if agency is not None and agency not in services.city.agencies:
            raise ValidationFailed.on(
                "agency", i18n.t("problem.unknown_agency", value=repr(agency[:40]))
            )
        return agency
    if agency is not None and agency != officer.agency_code:
        raise Forbidden(i18n.t("team.problem.templates_of_own_agency"))
    return officer.agency_code


async def list_templates(
    services: Services, officer: Officer, *, agency: str | None = None, status: str | None = None
) -> list[Template]:
    agency = _scope(services, officer, agency)
    if status is not None and status not in TEMPLATE_STATUSES:
        raise ValidationFailed.on("status", i18n.t("team.problem.template_status"))
    async with services.pool.acquire() as conn:
        rows = await repo.templates(conn, agency, status)
    return [_template(row) for row in rows]


def _checked(status: str | None, title: str | None, body: str | None) -> tuple[str, str, str]:
    errors = []
    title, body = (title or "").strip(), (body or "").strip()
    if status not in TEMPLATE_STATUSES:
        errors.append(FieldError("status", i18n.t("team.problem.template_status")))
    if not title or len(title) > TITLE_MAX:
        errors.append(FieldError("title", i18n.t("team.problem.template_title", maximum=TITLE_MAX)))
    if not body or len(body) > BODY_MAX:
        errors.append(FieldError("body", i18n.t("team.problem.template_body", maximum=BODY_MAX)))
    unknown = sorted({m.group(1) for m in _PLACEHOLDER.finditer(body)} - set(PLACEHOLDERS))
    if unknown:
        errors.append(
            FieldError(
                "body",
                i18n.t(
                    "team.problem.unknown_placeholder",
                    names=", ".join("{" + name + "}" for name in unknown),
                    known=", ".join("{" + name + "}" for name in PLACEHOLDERS),
                ),
            )
        )
    unsafe = schemas.unsafe_text({"title": title, "body": body})
    if unsafe is not None:
        errors.append(unsafe)
    if errors:
        raise ValidationFailed.of(errors)
    assert status is not None
    return status, title, body


async def save_template(
    services: Services,
    officer: Officer,
    *,
    template_id: int | None = None,
    agency: str | None = None,
    status: str | None,
    title: str | None,
    body: str | None,
) -> Template:
    """Create a template for `agency` (an officer's own when they give none), or change one."""
    status, title, body = _checked(status, title, body)
    now = services.clock.now()
    try:
        async with services.pool.acquire() as conn, conn.transaction():
            if template_id is None:
                agency = agency or officer.agency_code
                if agency is None or agency not in services.city.agencies:
                    raise ValidationFailed.on("agency", i18n.t("team.problem.template_agency"))
                if not may_manage(officer, agency):
                    raise Forbidden(i18n.t("team.problem.templates_head_only"))
                row = await repo.insert(conn, agency, status, title, body, officer.id, now)
            else:
                existing = await _existing(conn, officer, template_id)
                if not may_manage(officer, existing["agency_code"]):
                    raise Forbidden(i18n.t("team.problem.templates_head_only"))
                row = await repo.update(conn, template_id, status, title, body, now)
    except asyncpg.UniqueViolationError:
        raise ValidationFailed.on("title", i18n.t("team.problem.template_title_taken")) from None
    log.info(
        "reply template saved id=%s agency=%s by=%s", row["id"], row["agency_code"], officer.id
    )
    return _template(row)


async def _existing(conn: asyncpg.Connection, officer: Officer, template_id: int) -> asyncpg.Record:
    """The template, if this officer may see it (another agency's is not there for them)."""
    row = await repo.template(conn, template_id)
    if row is None or not (officer.role == "admin" or officer.agency_code == row["agency_code"]):
        raise NotFound(i18n.t("team.problem.template_not_found"))
    return row


async def delete_template(services: Services, officer: Officer, template_id: int) -> None:
    async with services.pool.acquire() as conn, conn.transaction():
        existing = await _existing(conn, officer, template_id)
        if not may_manage(officer, existing["agency_code"]):
            raise Forbidden(i18n.t("team.problem.templates_head_only"))
        await repo.delete(conn, template_id)
    log.info("reply template deleted id=%s by=%s", template_id, officer.id)


def values_for(services: Services, row: Any, officer: Officer) -> dict[str, str]:
    """What each placeholder says for one complaint (a row with its columns), answered by
    `officer`: only what the public may read of it."""
    city = services.city
    category = city.categories.get(row["category_code"] or "")
    agency = city.agencies.get(row["agency_code"] or "")
    zone = city.zone

    def place(name: str) -> str:
        return privacy.redact_place(row[name]) or "-"

    return {
        "kode": tracking.display(row["tracking_code"]),
        "kategori": category.name if category else "-",
        "instansi": agency.name if agency else "-",
        "kelurahan": place("kelurahan"),
        "kecamatan": place("kecamatan"),
        "alamat": place("address"),
        "petugas": officer.display_name,
        "tanggal": local_time(zone, row["created_at"]) or "-",
        "tenggat": local_time(zone, row["due_at"]) or "-",
    }


async def offered(
    services: Services, officer: Officer, code_text: str
) -> list[tuple[Template, str]]:
    """The templates the complaint page offers this officer for one complaint (its agency's,
    for its status, when they may answer it), each filled in for it."""
    code = tracking.parse_code(code_text)
    async with services.pool.acquire() as conn:
        row = await complaint_repo.get(conn, code)
        status, agency = row["status"], row["agency_code"]
        if "respond" not in lifecycle.allowed_moves(officer, status, agency):
            return []
        rows = await repo.templates(conn, agency, status)
    values = values_for(services, row, officer)
    return [(template, fill(template.body, values)) for template in map(_template, rows)]


async def answer(
    services: Services,
    code_text: str,
    officer: Officer,
    template_id: int,
    *,
    internal_note: str | None = None,
    conn: asyncpg.Connection | None = None,
) -> str:
    """Answer the complaint with the template filled in for it: a `respond` move (public
    note, status unchanged) through `lifecycle.act`, whose checks apply as to any answer.
    The template must be its agency's, for its status. Returns the status."""
    code = tracking.parse_code(code_text)
    async with joined(services, conn) as conn:
        row = await complaint_repo.lock(conn, code)
        if not officer.may_see(row["agency_code"]):
            if row["rahasia"]:
                raise complaint_repo.unknown_code()
            raise Forbidden(i18n.t("problem.not_your_agency"))
        found = await repo.template(conn, template_id)
        if (
            found is None
            or found["agency_code"] != row["agency_code"]
            or found["status"] != row["status"]
        ):
            raise ValidationFailed.on("template", i18n.t("team.problem.template_not_for_it"))
        note = fill(found["body"], values_for(services, row, officer))
        request = lifecycle.ActionRequest(
            "respond", note=note, internal_note=internal_note, template_id=template_id
        )
        return await lifecycle.act(services, code, request, officer=officer, conn=conn)
