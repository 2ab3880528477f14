"""Server-rendered pages for citizens: the public status page behind every tracking code."""

from __future__ import annotations

from aiohttp import web

from lapor import complaints
from lapor.complaints import Viewer
from lapor.errors import DomainError
from lapor.web import pagekit
from lapor.web.keys import SERVICES

routes = web.RouteTableDef()


@routes.get("/lacak/{code}")
async def status_page(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        view = await complaints.public_view(services, request.match_info["code"], Viewer())
    except DomainError as error:
        return pagekit.render(
            request,
            "status.html",
            {"error": error.detail, "city": services.city},
            status=error.status,
        )
    return pagekit.render(request, "status.html", {"complaint": view, "city": services.city})
