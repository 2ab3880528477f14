"""The queue page: the complaints this officer may see, filtered, one page at a time."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from lapor import (
    complaints,
    lifecycle,
)
from lapor.errors import ValidationFailed
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    _done_message,
    _render,
    _routable_agencies,
    require_officer,
    routes,
)

QUEUE_PAGE_SIZE = 25


@routes.get("/petugas/antrian")
async def queue_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    query = request.query
    filters = {name: (query.get(name) or "").strip() or None for name in ("status", "category")}
    if officer.role != "officer":
        filters["agency"] = (query.get("agency") or "").strip() or None
    error, status = None, 200
    try:
        result = await complaints.queue(
            services,
            officer,
            **filters,
            cursor=query.get("cursor") or None,
            limit=QUEUE_PAGE_SIZE,
        )
    except ValidationFailed as failed:
        error, status = failed, failed.status
        result = {"items": [], "next_cursor": None}
    chosen = {name: value for name, value in filters.items() if value}
    next_url = None
    if result["next_cursor"]:
        next_url = "/petugas/antrian?" + urlencode({**chosen, "cursor": result["next_cursor"]})
    first_url = "/petugas/antrian" + (f"?{urlencode(chosen)}" if chosen else "")
    return _render(
        request,
        "petugas/antrian.html",
        officer,
        {
            "items": result["items"],
            "next_url": next_url,
            "filters": filters,
            "first_url": first_url if query.get("cursor") else None,
            "statuses": complaints.queue_statuses(officer),
            "status_labels": lifecycle.STATUS_LABELS,
            "categories": list(services.city.categories.values()),
            "agencies": _routable_agencies(services.city),
            "error": error,
            "done": _done_message(query),
        },
        status,
    )
