"""The queue page: the complaints this officer may see, filtered (text, code, place, dates,
channel, SLA colour, owner: mine, nobody's, the team's), one page at a time, with the bulk
actions on a selection and the export of the filtered list (officer_pages/team.py)."""

from __future__ import annotations

from dataclasses import asdict, replace
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiMapping

from lapor import (
    bulk,
    complaints,
    i18n,
    lifecycle,
    officers,
    reply_templates,
)
from lapor.auth import Officer
from lapor.complaints.intake import CHANNELS
from lapor.complaints.queue_filters import FILTER_NAMES, MINE, SLA_STATES, UNASSIGNED, QueueFilters
from lapor.errors import DomainError, ValidationFailed
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    SLA_LABELS,
    _done_message,
    _render,
    _routable_agencies,
    require_officer,
    routes,
)

QUEUE = "/petugas/antrian"
QUEUE_PAGE_SIZE = 25
# The owner views above the filters: the team's whole queue, mine, nobody's yet.
VIEWS = (
    ("", "team.page.view_team"),
    (MINE, "team.page.view_mine"),
    (UNASSIGNED, "team.page.view_none"),
)


def filters_from(query: MultiMapping[str], officer: Officer) -> QueueFilters:
    """The filters a queue URL asks for (empty fields: not filtered)."""
    chosen = {name: (query.get(name) or "").strip() or None for name in FILTER_NAMES}
    if officer.role == "officer":
        chosen["agency"] = None  # always their own
    return QueueFilters(**chosen)


def queue_url(filters: QueueFilters, **extra: str) -> str:
    chosen = {**filters.chosen(), **extra}
    return QUEUE + (f"?{urlencode(chosen)}" if chosen else "")


async def render_queue(
    request: web.Request,
    officer: Officer,
    query: MultiMapping[str],
    *,
    bulk_error: DomainError | None = None,
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    filters = filters_from(query, officer)
    # sort=support: the most supported first (lapor/support.py); else priority and deadline.
    by_support = {"sort": "support"} if query.get("sort") == "support" else {}
    error = None
    try:
        result = await complaints.queue(
            services,
            officer,
            cursor=query.get("cursor") or None,
            limit=QUEUE_PAGE_SIZE,
            **by_support,
            **asdict(filters),
        )
    except ValidationFailed as failed:
        error, status = failed, failed.status
        result = {"items": [], "next_cursor": None}
    next_url = None
    if result["next_cursor"]:
        next_url = queue_url(filters, cursor=result["next_cursor"], **by_support)
    team_agency = officer.agency_code if officer.role == "officer" else filters.agency
    team = await officers.team(services, team_agency) if team_agency else []
    templates = []
    if officer.role in ("officer", "admin") and team_agency:
        templates = await reply_templates.list_templates(services, officer, agency=team_agency)
    views = [
        (label, value, queue_url(replace(filters, assignee=value or None)))
        for value, label in VIEWS
    ]
    return _render(
        request,
        "petugas/antrian.html",
        officer,
        {
            "items": result["items"],
            "next_url": next_url,
            "filters": filters,
            "filtered": bool(filters.chosen()),
            "first_url": queue_url(filters) if query.get("cursor") else None,
            "here": queue_url(filters),
            "export_url": "/petugas/antrian/ekspor"
            + (f"?{urlencode(filters.chosen())}" if filters.chosen() else ""),
            "views": views,
            "by_support": bool(by_support),
            "sorts": (("due", queue_url(filters)), ("support", queue_url(filters, sort="support"))),
            "statuses": complaints.queue_statuses(officer),
            "status_labels": lifecycle.STATUS_LABELS,
            "categories": list(services.city.categories.values()),
            "agencies": _routable_agencies(services.city),
            "channels": CHANNELS,
            # The city's own names, offered as the place filters are typed (an exact match).
            "place_names": _place_names(services.city),
            "sla_states": [(state, SLA_LABELS[state]) for state in SLA_STATES],
            "team": team,
            "assignable": [
                m for m in team if officer.role == "admin" or officer.head or m.id == officer.id
            ],
            "templates": templates,
            "bulk_actions": bulk.BULK_ACTIONS if officer.role in ("officer", "admin") else (),
            "error": error,
            "bulk_error": bulk_error,
            "done": _done_message(request.query) or _bulk_done(request.query),
        },
        status,
    )


def _place_names(city) -> dict[str, list[str]]:
    """The kecamatan and kelurahan of the city's map ([area]), sorted; none without one."""
    if city.area is None:
        return {"kecamatan": [], "kelurahan": []}
    return {
        "kecamatan": sorted(city.area.kecamatan),
        "kelurahan": sorted({name for _, name in city.area.kelurahan}),
    }


def _bulk_done(query: MultiMapping[str]) -> str | None:
    action, count = query.get("massal"), query.get("jumlah") or ""
    if action not in bulk.BULK_ACTIONS or not count.isdigit():
        return None
    return i18n.t(f"team.page.bulk_done_{action}", count=count)


@routes.get(QUEUE)
async def queue_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    return await render_queue(request, officer, request.query)
