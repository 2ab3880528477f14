"""The admin's edits of the city: agencies' names, categories' names, agencies and SLA days,
and the city's SLA numbers, kept in `city_edit` and applied over the city file, which stays the
seed (`effective`). Every change is audited in `city_edit_log` (who, when, before, after).

The instance that makes an edit uses it at once; the others pick it up through the
`city.follow_edits` job (every minute; `CityEditsFollower`), as they follow a new model.
Starting, or re-syncing the seed into the agency and category tables (`reference.sync_city`),
applies the edits over the file, so it never undoes one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import asyncpg
from apscheduler.triggers.interval import IntervalTrigger

from lapor import i18n
from lapor.auth import Officer
from lapor.city import RESOLUTION_KINDS, CityConfig
from lapor.errors import FieldError, Forbidden, NotFound, ValidationFailed
from lapor.repo import city_edits as repo
from lapor.repo import locks
from lapor.repo import reference as reference_repo
from lapor.scheduler import ScheduledJob

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

KINDS = ("agency", "category", "sla")
AGENCY_FIELDS = ("name", "short_name")
CATEGORY_FIELDS = ("name", "agency", "resolution_days")
SLA_FIELDS = (
    "verify_days",
    "first_response_days",
    "auto_close_days",
    *(f"resolution_days_{kind}" for kind in RESOLUTION_KINDS),
)
FIELDS = {"agency": AGENCY_FIELDS, "category": CATEGORY_FIELDS, "sla": SLA_FIELDS}
TEXT_LIMITS = {"name": 200, "short_name": 60}
MAX_DAYS = 365
# The serializing lock `reference.sync_city` takes too: an edit and a re-sync never interleave.
LOCK = "lapor.sync_city"


@dataclass(frozen=True)
class Edit:
    kind: str  # agency | category | sla
    code: str  # the agency's or category's code; "" for the city's SLA numbers
    field: str
    value: Any  # str for names and agencies, int for days, None: a category's kind decides


def effective(seed: CityConfig, edits: Iterable[Edit]) -> CityConfig:
    """The city as the service runs it: the seed (the city file) with the admin's edits over
    it. An edit naming an agency or category the file no longer has, or an agency that is
    gone, is ignored (kept, in case the file brings it back)."""
    agencies = dict(seed.agencies)
    categories = dict(seed.categories)
    sla: dict[str, int] = {}
    for edit in edits:
        if edit.kind == "agency" and edit.code in agencies and edit.field in AGENCY_FIELDS:
            agencies[edit.code] = replace(agencies[edit.code], **{edit.field: edit.value})
        elif edit.kind == "category" and edit.code in categories:
            if edit.field not in CATEGORY_FIELDS:
                continue
            if edit.field == "agency" and edit.value not in seed.agencies:
                continue
            categories[edit.code] = replace(categories[edit.code], **{edit.field: edit.value})
        elif edit.kind == "sla" and edit.field in SLA_FIELDS:
            sla[edit.field] = edit.value
    resolution_days = dict(seed.sla.resolution_days)
    for kind in RESOLUTION_KINDS:
        resolution_days[kind] = sla.pop(f"resolution_days_{kind}", resolution_days[kind])
    rules = replace(seed.sla, resolution_days=MappingProxyType(resolution_days), **sla)
    return replace(
        seed,
        agencies=MappingProxyType(agencies),
        categories=MappingProxyType(categories),
        sla=rules,
    )


def current_value(city: CityConfig, kind: str, code: str, field: str) -> Any:
    """The value in force for one editable field."""
    if kind == "agency":
        return getattr(city.agencies[code], field)
    if kind == "category":
        return getattr(city.categories[code], field)
    if field.startswith("resolution_days_"):
        return city.sla.resolution_days[field.removeprefix("resolution_days_")]
    return getattr(city.sla, field)


async def load_edits(conn: asyncpg.Connection, city_key: str) -> list[Edit]:
    return [
        Edit(r["kind"], r["code"], r["field"], r["value"]) for r in await repo.edits(conn, city_key)
    ]


async def effective_city(conn: asyncpg.Connection, seed: CityConfig) -> CityConfig:
    return effective(seed, await load_edits(conn, seed.key))


# ------------------------------------------------------------------------------ checking


def _text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(i18n.t("city_edit.problem.text_required"))
    text = " ".join(value.split())
    if len(text) > TEXT_LIMITS[field] or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(i18n.t("city_edit.problem.text_too_long", limit=TEXT_LIMITS[field]))
    return text


def _days(value: object, *, optional: bool = False) -> int | None:
    if optional and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    if isinstance(value, bool):
        raise ValueError(i18n.t("city_edit.problem.days", limit=MAX_DAYS))
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        raise ValueError(i18n.t("city_edit.problem.days", limit=MAX_DAYS))
    return value


def _checked(city: CityConfig, kind: str, code: str, field: str, value: object) -> Any:
    if field in TEXT_LIMITS:
        return _text(field, value)
    if kind == "category" and field == "agency":
        agency = city.agencies.get(value) if isinstance(value, str) else None
        if city.categories[code].desk:
            raise ValueError(i18n.t("city_edit.problem.desk_category"))
        # As the city file's own rule: an OPD or the desk, never an oversight agency.
        if agency is None or agency.kind == "oversight":
            raise ValueError(i18n.t("city_edit.problem.agency"))
        return agency.code
    return _days(value, optional=kind == "category")


def check_changes(
    city: CityConfig, kind: str, code: str, changes: Mapping[str, object]
) -> dict[str, Any]:
    """The changes as values, every bad one named by its field at once."""
    if kind not in KINDS:
        raise NotFound(i18n.t("city_edit.problem.unknown_kind"))
    known = {"agency": city.agencies, "category": city.categories, "sla": {"": None}}[kind]
    if code not in known:
        raise NotFound(i18n.t("city_edit.problem.unknown_code", code=code))
    checked: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field, value in changes.items():
        if field not in FIELDS[kind]:
            errors.append(FieldError(field, i18n.t("city_edit.problem.not_editable")))
            continue
        try:
            checked[field] = _checked(city, kind, code, field, value)
        except ValueError as error:
            errors.append(FieldError(field, str(error)))
    if errors:
        raise ValidationFailed.of(errors)
    return checked


# ------------------------------------------------------------------------------- editing


def seed_of(services: Services) -> CityConfig:
    return services.seed_city or services.city


def use(services: Services, city: CityConfig) -> None:
    """This instance runs with `city` from now on (the router maps categories with it too)."""
    services.city = city
    if hasattr(services.router, "city"):
        services.router.city = city


async def edit(
    services: Services,
    officer: Officer | None,
    kind: str,
    code: str,
    changes: Mapping[str, object],
) -> CityConfig:
    """The admin changes some fields of one agency, category or the SLA numbers: checked,
    written over the seed with one audit row per field that changed, the agency and category
    tables updated, all in one transaction; this instance uses the result at once."""
    if officer is None or officer.role != "admin":
        raise Forbidden(i18n.t("city_edit.problem.admin_only"))
    seed = seed_of(services)
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        await locks.xact_lock(conn, LOCK)
        before = await effective_city(conn, seed)
        checked = check_changes(before, kind, code, changes)
        for field, value in checked.items():
            old = current_value(before, kind, code, field)
            if value == old:
                continue
            if value == current_value(seed, kind, code, field):
                await repo.remove(conn, seed.key, kind, code, field)  # back to the file's
            else:
                await repo.put(conn, seed.key, kind, code, field, value, officer.id, now)
            await repo.log(conn, seed.key, kind, code, field, old, value, officer.id, now)
        after = await effective_city(conn, seed)
        await write_tables(conn, after)
    use(services, after)
    log.info("city edited kind=%s code=%s fields=%s", kind, code, ",".join(sorted(checked)))
    return after


async def write_tables(conn: asyncpg.Connection, city: CityConfig) -> None:
    """The agency and category tables say what `city` says (SQL joins on their names)."""
    await reference_repo.upsert_agencies(
        conn, [(a.code, a.name, a.short_name, a.parent, a.kind) for a in city.agencies.values()]
    )
    await reference_repo.upsert_categories(
        conn, [(c.code, c.name, c.agency, c.resolution, c.desk) for c in city.categories.values()]
    )


async def audit_log(
    services: Services, officer: Officer | None, *, limit: int = 50
) -> list[dict[str, Any]]:
    """The newest changes first: who, when, what, before and after."""
    if officer is None or officer.role != "admin":
        raise Forbidden(i18n.t("city_edit.problem.admin_only"))
    async with services.pool.acquire() as conn:
        rows = await repo.audit_log(conn, seed_of(services).key, limit)
    return [
        {
            "id": r["id"],
            "kind": r["kind"],
            "code": r["code"],
            "field": r["field"],
            "before": r["before"],
            "after": r["after"],
            "officer": None
            if r["officer_id"] is None
            else {"id": r["officer_id"], "name": r["officer_name"]},
            "edited_at": r["edited_at"].isoformat(),
        }
        for r in rows
    ]


# ---------------------------------------------------------------------- other instances


class CityEditsFollower:
    """Keeps this instance's city as the edits in the database say, when another instance
    made them: compares the newest audit row's id, and reloads only when it moved."""

    def __init__(self) -> None:
        self._seen: int | None = None

    async def __call__(self, services: Services) -> bool:
        seed = seed_of(services)
        async with services.pool.acquire() as conn:
            latest = await repo.latest(conn, seed.key)
            if latest is None or latest == self._seen:
                return False
            city = await effective_city(conn, seed)
        self._seen = latest
        if city != services.city:
            use(services, city)
            log.info("city edits followed latest=%s", latest)
            return True
        return False


def jobs() -> tuple[ScheduledJob, ...]:
    return (
        ScheduledJob(
            "city.follow_edits",
            CityEditsFollower(),
            IntervalTrigger(minutes=1, timezone=UTC),
            "use the city edits another instance's admin made",
        ),
    )
