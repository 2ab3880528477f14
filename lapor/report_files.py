"""A month's report as files: build it (lapor.reports), write HTML, PDF, CSV and charts
(lapor.report_render), list it for the API; and the monthly job that does so once for the
city and every agency."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lapor import report_render, reports
from lapor.repo import locks
from lapor.repo import reports as report_sql
from lapor.reports import MonthlyReport

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)


async def generate(
    services: Services,
    month: date,
    out_dir: Path,
    *,
    agency: str | None = None,
    record: bool = False,
    formats: tuple[str, ...] = ("html", "pdf", "csv", "png"),
) -> tuple[MonthlyReport, list[Path]]:
    """Build one report and write its files into `out_dir`; `record` lists it in the database."""
    # The places (kecamatan table and map) belong to the written report only.
    report = await reports.build_report(services, month, agency=agency, places=True)
    started = time.perf_counter()
    # Drawing the charts and the PDF takes seconds of CPU: off the event loop, so a serving
    # instance keeps answering while the scheduler writes the month.
    paths = await asyncio.to_thread(report_render.write_all, report, out_dir, formats=formats)
    report.timings["render"] = time.perf_counter() - started
    if record:
        async with services.pool.acquire() as conn:
            await report_sql.record_report(
                conn,
                month,
                agency,
                [path.name for path in paths],
                services.clock.now(),
            )
    log.info(
        "report written month=%s agency=%s files=%d",
        reports.month_key(month),
        agency or "-",
        len(paths),
    )
    return report, paths


# A fixed key for pg_try_advisory_lock: only one instance writes the month's reports.
_LOCK_KEY = 7_0001


async def monthly_job(
    services: Services,
    reports_dir: Path,
    month: date | None = None,
    *,
    force: bool = False,
    formats: tuple[str, ...] = ("html", "pdf", "csv", "png"),
) -> list[Path]:
    """The scheduled job (1st of the month, 07:00 city time): the month before, city-wide and
    for every agency, once. Several instances may call it: one does the work, the rest skip.

    Each part (the city, then one agency at a time) is listed in the database as soon as its
    files are written, so a run stopped half-way (a crash, a lost database) leaves the parts it
    finished listed: the next run writes only the ones missing, and none twice."""
    month = month or reports.previous_month(services.city, services.clock.now())
    async with services.pool.acquire() as conn:
        if not await locks.try_key_lock(conn, _LOCK_KEY):
            log.info(
                "report job skipped month=%s: another instance runs it", reports.month_key(month)
            )
            return []
        try:
            done = set() if force else await report_sql.written_scopes(conn, month)
            scopes = [None, *(a.code for a in reports.reportable_agencies(services.city))]
            missing = [scope for scope in scopes if scope not in done]
            if missing and done:
                log.info(
                    "report job resumes month=%s written=%d missing=%d",
                    reports.month_key(month),
                    len(done),
                    len(missing),
                )
            written: list[Path] = []
            out_dir = reports.month_dir(reports_dir, month)
            for scope in missing:
                _, paths = await generate(
                    services, month, out_dir, agency=scope, record=True, formats=formats
                )
                written.extend(paths)
            return written
        finally:
            await locks.key_unlock(conn, _LOCK_KEY)
