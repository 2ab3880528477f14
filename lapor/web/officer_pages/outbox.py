"""The admin's dead letters: outbox messages that were given up on, and a button that puts one
back in the queue."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from lapor import dead_letters
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import ADMIN_DONE, _render, require_officer, routes

PAGE_PATH = "/petugas/admin/kiriman"


@routes.get(PAGE_PATH)
async def dead_letters_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    before = request.query.get("sebelum")
    result = await dead_letters.dead_letters(
        request.app[SERVICES],
        officer,
        before=int(before) if before and before.isdigit() and len(before) < 19 else None,
    )
    next_url = None
    if result["next_before"]:
        next_url = f"{PAGE_PATH}?" + urlencode({"sebelum": result["next_before"]})
    return _render(
        request,
        "petugas/kiriman.html",
        officer,
        {
            **result,
            "next_url": next_url,
            "first": before is not None,
            "done": ADMIN_DONE.get(request.query.get("selesai", "")),
        },
    )


@routes.post(PAGE_PATH + "/{message_id:\\d{1,18}}/ulang")
async def retry_dead_letter(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    await request.post()  # the CSRF middleware has checked the form's token
    # A message no longer dead (sent again meanwhile) is the HTML 404 page.
    await dead_letters.retry(request.app[SERVICES], officer, int(request.match_info["message_id"]))
    raise web.HTTPSeeOther(f"{PAGE_PATH}?selesai=ulang")
