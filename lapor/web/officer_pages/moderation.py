"""The moderation log: every change to a public copy, for the admin."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from lapor import (
    moderation,
)
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import _render, require_officer, routes


@routes.get("/petugas/admin/moderasi")
async def moderation_page(request: web.Request) -> web.Response:
    """The moderation log: every edit of a public copy, newest first, with its reason."""
    officer = await require_officer(request, "admin")
    before = request.query.get("sebelum")
    result = await moderation.moderation_log(
        request.app[SERVICES],
        officer,
        before=int(before) if before and before.isdigit() else None,
        limit=moderation.LOG_PAGE,
    )
    next_url = None
    if result["next_before"]:
        next_url = "/petugas/admin/moderasi?" + urlencode({"sebelum": result["next_before"]})
    return _render(
        request,
        "petugas/moderasi.html",
        officer,
        {"items": result["items"], "next_url": next_url, "first": before is not None},
    )
