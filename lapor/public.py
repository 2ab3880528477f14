"""What the public pages show: a complaint's status in LAPOR!'s four words, its public
timeline, the list and the map of public reports (never a rahasia one, never a reporter), and
which months of the agencies' performance may be looked at."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from lapor import i18n, privacy, tracking
from lapor.errors import FieldError, ValidationFailed
from lapor.lifecycle import MOVES
from lapor.repo import public as sql
from lapor.reports import add_months, parse_month, reportable_agencies

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services

# The public status of a complaint, as LAPOR! shows it, and the statuses behind each.
# The group words (for the list's filter and the badge colour) are LAPOR!'s; a complaint itself
# always shows its status's own label, the same as the API and the bots (lapor/i18n `status.`).
STATUS_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "belum": (i18n.t("status_group.belum"), ("received",)),
    "diproses": (i18n.t("status_group.diproses"), ("assigned", "in_progress")),
    "selesai": (i18n.t("status_group.selesai"), ("resolved", "closed")),
    "ditolak": (i18n.t("status_group.ditolak"), ("rejected",)),
    "dilimpahkan": (i18n.t("status_group.dilimpahkan"), ("forwarded",)),
}
GROUP_OF = {status: group for group, (_, statuses) in STATUS_GROUPS.items() for status in statuses}

# What happened, in a citizen's words: the lifecycle's own labels, and the two intake events.
EVENT_WORDS = {**i18n.section("event"), **{action: move.label for action, move in MOVES.items()}}

PAGE_SIZE = 20
MAX_PAGE = 5000
MAP_LIMIT = 1000
KECAMATAN_LIMIT = 300
# Where a map opens when no public report has a location yet: all of Indonesia.
INDONESIA = (-2.5, 118.0, 5)
PERFORMANCE_MONTHS = 24  # how far back /kinerja goes


def public_status(status: str) -> tuple[str, str]:
    """(group, label): "assigned" -> ("diproses", "Diteruskan ke instansi")."""
    return GROUP_OF[status], i18n.t(f"status.{status}")


def timeline(events: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The public timeline of `complaints.public_view` in the citizen's words."""
    entries = []
    for event in events:
        status = event.get("status")
        entries.append(
            {
                "at": event["at"],
                "words": EVENT_WORDS.get(event["kind"], event["kind"]),
                "status": public_status(status) if status else None,
                "agency": event["agency"]["name"] if event.get("agency") else None,
                "note": event.get("note"),
            }
        )
    return entries


# ------------------------------------------------------------------------------ the list


FILTER_NAMES = ("kategori", "status", "kecamatan", "instansi")


@dataclass(frozen=True)
class ReportFilter:
    """The list's and the map's filters, by their names in the address (FILTER_NAMES)."""

    kategori: str | None = None
    status: str | None = None
    kecamatan: str | None = None
    instansi: str | None = None

    def args(self) -> tuple[Any, ...]:
        statuses = list(STATUS_GROUPS[self.status][1]) if self.status else None
        return self.kategori, statuses, self.kecamatan, self.instansi

    def query(self) -> dict[str, str]:
        """The filters that are set, for links to other pages of the same list."""
        return {name: value for name in FILTER_NAMES if (value := getattr(self, name))}


def parse_filter(city: CityConfig, query: Mapping[str, str]) -> ReportFilter:
    """The filters from the address; an unknown value is named, never silently ignored."""
    values = {name: (query.get(name) or "").strip() or None for name in FILTER_NAMES}
    errors: list[FieldError] = []
    if values["kategori"] and values["kategori"] not in city.categories:
        errors.append(FieldError("kategori", i18n.t("problem.unknown_category_plain")))
    if values["status"] and values["status"] not in STATUS_GROUPS:
        errors.append(
            FieldError("status", i18n.t("problem.status_one_of", choices=", ".join(STATUS_GROUPS)))
        )
    if values["instansi"] and values["instansi"] not in {
        agency.code for agency in reportable_agencies(city)
    }:
        errors.append(FieldError("instansi", i18n.t("problem.unknown_agency_plain")))
    if values["kecamatan"] and len(values["kecamatan"]) > 100:
        errors.append(FieldError("kecamatan", i18n.t("problem.too_long", maximum=100)))
    if errors:
        raise ValidationFailed.of(errors)
    return ReportFilter(**values)


def parse_page(text: str | None) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise ValidationFailed.on("halaman", i18n.t("problem.page_number", maximum=MAX_PAGE))
    return int(text)


@dataclass(frozen=True)
class ReportPage:
    items: list[dict[str, Any]]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def _place(row) -> str | None:
    parts = [p.strip() for p in (row["kelurahan"], row["kecamatan"]) if p and p.strip()]
    return privacy.redact_place(", ".join(parts)) or None


def _published_args(services: Services, filters: ReportFilter) -> tuple[Any, ...]:
    return (*filters.args(), services.city.publishes_immediately)


async def list_reports(services: Services, filters: ReportFilter, page: int = 1) -> ReportPage:
    """One page of published reports (the public copy of their text), newest first."""
    args = _published_args(services, filters)
    async with services.pool.acquire() as conn:
        total = await sql.count_reports(conn, *args)
        rows = await sql.list_reports(conn, args, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    items = []
    for row in rows:
        group, label = public_status(row["status"])
        items.append(
            {
                "tracking_code": row["tracking_code"],
                "display_code": tracking.display(row["tracking_code"]),
                "group": group,
                "status_label": label,
                "title": row["title"],
                "excerpt": row["excerpt"] + ("…" if row["cut"] else ""),
                "category": row["category_name"],
                "agency": row["agency_name"],
                "place": _place(row),
                "created_at": row["created_at"],
            }
        )
    return ReportPage(items, total, page)


async def map_points(services: Services, filters: ReportFilter) -> dict[str, Any]:
    """The newest located published reports as map points (at most MAP_LIMIT)."""
    args = _published_args(services, filters)
    async with services.pool.acquire() as conn:
        rows = await sql.map_points(conn, args, MAP_LIMIT + 1)
    points = []
    for row in rows[:MAP_LIMIT]:
        group, label = public_status(row["status"])
        points.append(
            {
                "code": row["tracking_code"],
                "display_code": tracking.display(row["tracking_code"]),
                "lat": row["latitude"],
                "lon": row["longitude"],
                "group": group,
                "status_label": label,
                "category": row["category_name"],
                "place": _place(row),
                "created_at": row["created_at"].isoformat(),
                "url": f"/lacak/{row['tracking_code']}",
            }
        )
    return {"points": points, "truncated": len(rows) > MAP_LIMIT}


async def kecamatan_names(services: Services) -> list[str]:
    """The kecamatan of published reports, for the filter; a name with personal data typed
    into it is left out rather than offered as a choice."""
    immediately = services.city.publishes_immediately
    async with services.pool.acquire() as conn:
        rows = await sql.kecamatan_names(conn, KECAMATAN_LIMIT, immediately)
    return [row["name"] for row in rows if not privacy.redact(row["name"]).kinds]


async def map_center(services: Services) -> tuple[float, float, int]:
    """(lat, lon, zoom) where the maps open: the city itself, from its boundary ([area]); a
    city without one, its recent public reports, or Indonesia."""
    if services.city.area is not None:
        return services.city.area.center()
    async with services.pool.acquire() as conn:
        row = await sql.map_center(conn, 500, services.city.publishes_immediately)
    if not row["n"]:
        return INDONESIA
    return round(row["lat"], 5), round(row["lon"], 5), 12


# ------------------------------------------------------------------------------ performance


def performance_month(city: CityConfig, now: datetime, text: str | None) -> date:
    """The month /kinerja shows: this month unless `bulan` (YYYY-MM) names one of the last
    PERFORMANCE_MONTHS; a later or earlier one is refused by name."""
    local = now.astimezone(city.zone)
    current = date(local.year, local.month, 1)
    if not text:
        return current
    try:
        month = parse_month(text)
    except ValidationFailed:
        raise ValidationFailed.on("bulan", i18n.t("problem.month_format")) from None
    earliest = add_months(current, -(PERFORMANCE_MONTHS - 1))
    if not earliest <= month <= current:
        raise ValidationFailed.on(
            "bulan",
            i18n.t(
                "problem.month_between", earliest=f"{earliest:%Y-%m}", latest=f"{current:%Y-%m}"
            ),
        )
    return month
