"""The report form's step for similar open reports (lapor/support.py), without JavaScript:
after Kirim, `offer` finds the open reports near the point that say much the same (pages.py
then shows them above the form, its text kept, with "Tetap laporkan baru"); "Saya juga
mengalami" posts to /dukung/{code} with the contact typed in the form. The status page shows
the support count and a button of its own (`status_context`)."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from lapor import schemas, support
from lapor.complaints import Intake
from lapor.web import api, clients
from lapor.web.keys import SERVICES

routes = web.RouteTableDef()

# "Tetap laporkan baru": the form sent again after similar open reports were offered.
ANYWAY_FIELD = "lanjut"
CONTACT = ("name", "phone", "email")


async def offer(request: web.Request, intake: Intake) -> dict[str, Any] | None:
    """What the form shows of the open reports a new one may be about; None: none near."""
    where = intake.location
    if where.lat is None or where.lon is None:
        return None  # nothing to measure against: no search, no lookup counted
    # The API's search (its limit too): filing is counted only once the citizen goes on.
    await clients.limit_address(request, "lookups_per_address")
    found = await support.similar(
        request.app[SERVICES], intake.text, where.lat, where.lon, intake.category_hint
    )
    if not found:
        return None
    return {
        "candidates": [candidate.as_dict() for candidate in found],
        "support_key": secrets.token_urlsafe(18),
    }


def status_context(request: web.Request, view: dict[str, Any]) -> dict[str, Any]:
    """The status page's part: whether the visitor just supported it (?dukung=1: they will be
    told of its changes; 2: they left no contact), and whether it may be supported."""
    supported = request.query.get("dukung")
    return {
        "supported": supported if supported in ("1", "2") else None,
        "may_support": view["status"] in support.OPEN_STATUSES and not view["rahasia"],
        "support_key": secrets.token_urlsafe(18),
    }


@routes.post("/dukung/{code}")
async def support_report(request: web.Request) -> web.StreamResponse:
    """ "Saya juga mengalami": support the open report (with the contact typed in the form, if
    any) instead of filing; then its status page says so."""
    form = await request.post()
    typed = {name: str(form.get(f"reporter_{name}") or "").strip() for name in CONTACT}
    sent = api.params(schemas.Reporter, {name: value for name, value in typed.items() if value})
    key = str(form.get("idempotency_key") or "")
    done = await support.support(
        request.app[SERVICES],
        request.match_info["code"],
        support.Contact(sent.name, sent.phone, sent.email),
        "web",
        # The form's own key (a double click supports once); one no column can hold is none.
        key if 0 < len(key) <= 200 and schemas.unsafe_text(key) is None else None,
        hit=clients.address_hit(request, "filing_per_address"),
    )
    told = "1" if done.following else "2"
    raise web.HTTPSeeOther(f"/lacak/{done.tracking_code}?dukung={told}")
