"""The verification desk's page."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from lapor import (
    desk,
    priority,
)
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import _done_message, _render, require_officer, routes

DESK_PAGE_SIZE = 15


@routes.get("/petugas/meja")
async def desk_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "verifier", "admin")
    services = request.app[SERVICES]
    result = await desk.desk_queue(
        services, officer, cursor=request.query.get("cursor") or None, limit=DESK_PAGE_SIZE
    )
    agencies = services.city.agencies
    for item in result["items"]:
        item["refused_names"] = [
            agencies[code].name if code in agencies else code for code in item["refused_agencies"]
        ]
    next_url = None
    if result["next_cursor"]:
        next_url = "/petugas/meja?" + urlencode({"cursor": result["next_cursor"]})
    return _render(
        request,
        "petugas/meja.html",
        officer,
        {
            "items": result["items"],
            "next_url": next_url,
            "priorities": priority.PRIORITIES[::-1],
            "category_names": {c.code: c.name for c in services.city.categories.values()},
            "done": _done_message(request.query),
        },
    )
