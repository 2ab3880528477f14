"""The filtered queue as a spreadsheet: CSV, streamed row by row as the pages are read.

Same filters and visibility as the queue (queue_filters.where), every matching row rather
than a page: read in keyset pages of `PAGE` rows, each its own short query, so a slow
download holds no connection and no transaction (a complaint that moves while the file is
being written may be missed or appear twice). What the file holds is what an officer reads
in the queue and on the complaint page, never the reporter's name or contact. A cell that
a spreadsheet would take for a formula (=, +, -, @) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from lapor import i18n, tracking
from lapor.auth import Officer
from lapor.calendar import local_time
from lapor.complaints.queue_filters import PAGE_MAX, QueueFilters, colour, sla_bounds, where
from lapor.context import Services
from lapor.lifecycle import STATUS_LABELS
from lapor.repo import queue as repo

PAGE = 500
COLUMNS = (
    "code",
    "status",
    "title",
    "text",
    "category",
    "agency",
    "assignee",
    "kelurahan",
    "kecamatan",
    "address",
    "channel",
    "received",
    "due",
    "sla",
    "rahasia",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def header() -> list[str]:
    return [i18n.t(f"team.export.{name}") for name in COLUMNS]


async def rows(
    services: Services, officer: Officer, filters: QueueFilters
) -> AsyncIterator[list[str]]:
    """Each matching complaint as the file's cells, in the queue's order. The filters are
    checked before the first row: a wrong one raises before anything is sent."""
    checked = where(services, officer, filters, limit=PAGE_MAX)  # (the pages are PAGE rows)
    return _rows(services, checked)


async def _rows(services: Services, checked: repo.Where) -> AsyncIterator[list[str]]:
    city, zone = services.city, services.city.zone
    bounds = sla_bounds(services, "", services.clock.now())
    sla_words = i18n.section("team.sla")
    yes, no = i18n.t("team.export.yes"), i18n.t("team.export.no")
    while True:
        async with services.pool.acquire() as conn:
            page = await repo.export_page(conn, checked, PAGE)
        for r in page:
            state = colour(bounds, r["sla_stage"], r["category_code"], r["due_at"])
            agency = city.agencies.get(r["agency_code"] or "")
            yield [
                _cell(value)
                for value in (
                    tracking.display(r["tracking_code"]),
                    STATUS_LABELS[r["status"]],
                    r["title"],
                    r["body"],
                    r["category_name"],
                    agency.name if agency else None,
                    r["assignee_name"],
                    r["kelurahan"],
                    r["kecamatan"],
                    r["address"],
                    r["channel"],
                    local_time(zone, r["created_at"]),
                    local_time(zone, r["due_at"]),
                    sla_words[state] if state else None,
                    yes if r["rahasia"] else no,
                )
            ]
        if len(page) < PAGE:
            return
        last = page[-1]
        checked = replace(
            checked, after=(last["due_at"], last["created_at"], last["id"], last["priority_rank"])
        )


async def csv_chunks(lines: AsyncIterator[list[str]], every: int = 200) -> AsyncIterator[bytes]:
    """The header and the rows as UTF-8 CSV (RFC 4180 line ends), `every` rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header())
    count = 0
    async for line in lines:
        writer.writerow(line)
        count += 1
        if count % every == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
