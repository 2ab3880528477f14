"""Files streamed to the caller as they are written (the queue's CSV export): the response
starts before the last row is read (the security headers go on as it is prepared:
headers.security_headers_on_prepare)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from lapor.complaints import export
from lapor.web.keys import SERVICES


def export_filename(request: web.Request, extension: str) -> str:
    day = request.app[SERVICES].clock.now().astimezone(request.app[SERVICES].city.zone)
    return f"antrian-{day:%Y%m%d-%H%M}.{extension}"


async def stream_csv(request: web.Request, lines: AsyncIterator[list[str]]) -> web.StreamResponse:
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{export_filename(request, "csv")}"',
            "Cache-Control": "no-store",  # the queue of an agency: never kept by a proxy
        }
    )
    await response.prepare(request)
    async for chunk in export.csv_chunks(lines):
        await response.write(chunk)
    await response.write_eof()
    return response
