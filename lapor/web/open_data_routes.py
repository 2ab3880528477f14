"""Open data at /data/: the public complaints as CSV or GeoJSON with the list's filters,
streamed as they are read (lapor.open_data.export); the daily dumps (/data/harian/); and the
monthly report's aggregate tables (/data/kinerja/{month}/{file}). Every file names the city's
licence in a Link header; the GeoJSON says it in the file too."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

from aiohttp import web

from lapor import open_data, public, schemas
from lapor.web import clients
from lapor.web.api import params
from lapor.web.headers import security_headers
from lapor.web.keys import SERVICES, SETTINGS
from lapor.web.openapi import documented
from lapor.web.reports_api import reports_dir

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
# Exports hold a database connection while a client downloads: a few at a time per process,
# the others wait their turn without one.
EXPORTS = web.AppKey("open_data_exports", asyncio.Semaphore)
CONCURRENT_EXPORTS = 4
CACHE = "public, max-age=300"


def setup(app: web.Application) -> None:
    app[EXPORTS] = asyncio.Semaphore(CONCURRENT_EXPORTS)
    app.router.add_routes(routes)


def _file_headers(request: web.Request, name: str, media_type: str) -> dict[str, str]:
    return {
        "Content-Type": f"{media_type}; charset=utf-8",
        "Content-Disposition": f'inline; filename="{quote(name)}"',
        "Link": open_data.licence_link(request.app[SERVICES].city),
        "Cache-Control": CACHE,
    }


@routes.get("/data/laporan.{format}")
@documented(
    summary="Open data: public complaints as CSV or GeoJSON (the list's filters), streamed",
    path=schemas.OpenDataPath,
    query=schemas.OpenDataQuery,
    returns={"text/csv": None, "application/geo+json": None},
    problems=(422, 429),
)
async def complaints_export(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    fmt = params(schemas.OpenDataPath, request.match_info).format
    schemas.check(schemas.OpenDataQuery, {key: request.query[key] for key in request.query})
    filters = public.parse_filter(services.city, request.query)
    await clients.limit_address(request, "lookups_per_address")
    response = web.StreamResponse(
        headers={
            # Sent before the handler returns, so before the middleware could add them.
            **security_headers(request.app[SETTINGS]),
            **_file_headers(request, f"laporan.{fmt}", open_data.MEDIA_TYPES[fmt]),
        }
    )

    async def write(chunk: bytes) -> None:
        if not response.prepared:
            await response.prepare(request)
        if chunk:
            await response.write(chunk)

    try:
        async with request.app[EXPORTS]:
            await open_data.export(services, filters, fmt, write)
    except Exception:
        if not response.prepared:
            raise  # nothing sent yet: a proper error answer (a database outage: 503)
        # Half a file is out: end the connection without ending the body, so the client
        # sees a download that broke rather than a short file that looks whole.
        log.warning("open data export cut short path=%s", request.path, exc_info=True)
        if request.transport is not None:
            request.transport.close()
        return response
    await response.write_eof()
    return response


@routes.get("/data/harian/")
@documented(summary="Open data: the daily dumps of public complaints", returns=schemas.DumpList)
async def dump_list(request: web.Request) -> web.Response:
    dumps = await open_data.dump_files(open_data.dump_dir(request.app[SETTINGS].data_dir))
    city = request.app[SERVICES].city
    return web.json_response(
        {
            "licence": open_data.licence(city),
            "files": [
                {
                    "name": dump.name,
                    "date": dump.day.isoformat(),
                    "size_bytes": dump.size_bytes,
                    "url": f"/data/harian/{dump.name}",
                }
                for dump in dumps
            ],
        },
        headers={"Link": open_data.licence_link(city)},
    )


@routes.get("/data/harian/{name}")
@documented(
    summary="Open data: one daily dump",
    path=schemas.DumpPath,
    returns={"text/csv": None, "application/geo+json": None},
    problems=(404, 422),
)
async def dump_file(request: web.Request) -> web.FileResponse:
    name = params(schemas.DumpPath, request.match_info).name
    path = open_data.dump_path(open_data.dump_dir(request.app[SETTINGS].data_dir), name)
    fmt = path.suffix.removeprefix(".")
    return web.FileResponse(path, headers=_file_headers(request, name, open_data.MEDIA_TYPES[fmt]))


@routes.get("/data/kinerja/{month}/{file}")
@documented(
    summary="Open data: a monthly report's aggregate table (CSV), as /kinerja links it",
    path=schemas.ReportPath,
    returns={"text/csv": None},
    problems=(404, 422),
)
async def month_table(request: web.Request) -> web.FileResponse:
    where = params(schemas.ReportPath, request.match_info)
    path = await open_data.table_file(
        request.app[SERVICES], reports_dir(request.app), where.month, where.file
    )
    return web.FileResponse(path, headers=_file_headers(request, path.name, "text/csv"))
