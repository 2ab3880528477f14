"""Monthly reports: the list and the downloads."""

from __future__ import annotations

from aiohttp import web

from lapor import (
    reports,
)
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import _render, require_officer, routes
from lapor.web.reports_api import report_file_response, reports_dir


@routes.get("/petugas/rekap")
async def reports_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    return _render(
        request,
        "petugas/rekap.html",
        officer,
        {
            "reports": await reports.list_reports(services, officer),
            "month_key": reports.month_key,
            "month_label": reports.month_label,
        },
    )


@routes.get("/petugas/rekap/{month}/{file}")
async def report_download(request: web.Request) -> web.StreamResponse:
    officer = await require_officer(request)
    path = await reports.report_file(
        request.app[SERVICES],
        reports_dir(request.app),
        officer,
        request.match_info["month"],
        request.match_info["file"],
    )
    return report_file_response(path)
