"""Stored monthly reports for officers: the list, and each file for download."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from lapor import reports
from lapor.web.api import _officer
from lapor.web.keys import SERVICES, SETTINGS

routes = web.RouteTableDef()

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
}


def reports_dir(app: web.Application):
    return app[SETTINGS].data_dir / "reports"


@routes.get("/api/v1/reports")
async def list_reports(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    stored = await reports.list_reports(request.app[SERVICES], officer)
    return web.json_response({"items": [report.as_dict() for report in stored]})


@routes.get("/api/v1/reports/{month}/{file}")
async def download(request: web.Request) -> web.StreamResponse:
    officer = await _officer(request, required=True)
    path = await reports.report_file(
        request.app[SERVICES],
        reports_dir(request.app),
        officer,
        request.match_info["month"],
        request.match_info["file"],
    )
    return report_file_response(path)


def report_file_response(path: Path) -> web.FileResponse:
    """One stored report file as a download (the API's and the officer pages' alike)."""
    return web.FileResponse(
        path,
        headers={
            "Content-Type": MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            "Content-Disposition": f'attachment; filename="{quote(path.name)}"',
            "Cache-Control": "private, no-store",
        },
    )
