"""Stored monthly reports for officers: the list, and each file for download."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from lapor import reports, schemas
from lapor.web.api import _officer, params
from lapor.web.keys import SERVICES, SETTINGS
from lapor.web.openapi import documented

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
@documented(
    summary="Stored monthly reports: admins see all, others city-wide and their agency's",
    returns=schemas.ReportList,
    problems=(401,),
    auth="officer",
)
async def list_reports(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    stored = await reports.list_reports(request.app[SERVICES], officer)
    return web.json_response({"items": [report.as_dict() for report in stored]})


@routes.get("/api/v1/reports/{month}/{file}")
@documented(
    summary="One file of a stored report (HTML, PDF, CSV or PNG)",
    path=schemas.ReportPath,
    returns={media.split(";")[0]: None for media in MEDIA_TYPES.values()},
    problems=(401, 403, 404, 422),
    auth="officer",
)
async def download(request: web.Request) -> web.StreamResponse:
    officer = await _officer(request, required=True)
    where = params(schemas.ReportPath, request.match_info)
    path = await reports.report_file(
        request.app[SERVICES], reports_dir(request.app), officer, where.month, where.file
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
