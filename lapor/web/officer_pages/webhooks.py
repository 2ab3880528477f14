"""The admin's outbound webhooks: the subscribers (added and revoked with `lapor webhooks`) and
the log of every delivery attempt, to subscribers and to external bodies, newest first."""

from __future__ import annotations

from aiohttp import web

from lapor import hooks, tracking
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import _render, require_officer, routes

PAGE_PATH = "/petugas/admin/webhook"


@routes.get(PAGE_PATH)
async def webhooks_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    services = request.app[SERVICES]
    before = request.query.get("sebelum", "")
    attempts = await hooks.deliveries(
        services, limit=50, before=int(before) if before.isdigit() and len(before) < 19 else None
    )
    return _render(
        request,
        "petugas/webhook.html",
        officer,
        {
            "subscribers": await hooks.subscriptions(services),
            "attempts": attempts,
            "next_before": attempts[-1]["id"] if len(attempts) == 50 else None,
            "display": tracking.display,
        },
    )
