"""The "Lupa kode?" page (/lupa-kode; its API twin, POST /api/v1/lost-codes, is in
web/api_complaints.py). A citizen types the phone number or e-mail address they reported with;
lapor.lost_codes sends the codes there. Both answer the same sentence whatever was found, and
never show a code."""

from __future__ import annotations

from aiohttp import web

from lapor import lost_codes
from lapor.errors import ValidationFailed
from lapor.web import clients, pagekit
from lapor.web.keys import SERVICES

routes = web.RouteTableDef()
PAGE_PATH = "/lupa-kode"
FIELD = "kontak"


@routes.get(PAGE_PATH)
async def lost_codes_page(request: web.Request) -> web.Response:
    sent = request.query.get("terkirim") == "1"
    return pagekit.render(request, "lost_codes.html", {"contact": "", "sent": sent})


@routes.post(PAGE_PATH)
async def ask_for_codes(request: web.Request) -> web.Response:
    form = await request.post()  # the CSRF middleware has checked the form's token
    typed = str(form.get(FIELD) or "")[:200]
    try:
        await lost_codes.send_codes(
            request.app[SERVICES], typed, client=clients.address_of(request)
        )
    except ValidationFailed as error:
        context = {"contact": typed, "error": error.errors[0].message if error.errors else None}
        return pagekit.render(request, "lost_codes.html", context, status=422)
    raise web.HTTPSeeOther(f"{PAGE_PATH}?terkirim=1")
