"""Jobs that finish what they start: the monthly report stopped between its parts (a failure,
a cancelled task) is completed by the next run, which rewrites none of the finished parts."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from report_month import OCTOBER, build_october

from lapor import report_files, reports

FAST = ("csv",)  # charts and PDFs take a second per agency; test_report_render covers them


@pytest.fixture
async def october(services, clock):
    async with services.pool.acquire() as conn:
        await build_october(conn)
    clock.set(datetime(2026, 11, 1, 0, 0, tzinfo=UTC))  # 1 November, 07:00 in Jakarta


def scopes(services) -> list[str | None]:
    return [None, *(agency.code for agency in reports.reportable_agencies(services.city))]


async def stored(services) -> dict[str | None, datetime]:
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT agency_code, generated_at FROM report WHERE month = $1", OCTOBER
        )
    return {row["agency_code"]: row["generated_at"] for row in rows}


def prefix(scope: str | None) -> str:
    return f"{'kota' if scope is None else scope.lower()}-2026-10"


def parts_of(paths) -> set[str]:
    """The parts (by file prefix) that some files belong to."""
    return {path.name.split("-", 1)[0] + "-2026-10" for path in paths}


def modified(out_dir, parts) -> dict[str, int]:
    """Each finished part's files and their modification times, to the nanosecond."""
    return {
        path.name: path.stat().st_mtime_ns
        for path in out_dir.iterdir()
        if any(path.name.startswith(prefix(scope) + "-") for scope in parts)
    }


async def test_a_report_that_failed_after_three_parts_is_finished_without_rewriting_them(
    services, settings, clock, october
):
    reports_dir = settings.data_dir / "reports"
    out_dir = reports.month_dir(reports_dir, OCTOBER)
    every = scopes(services)
    # Given a disk that refuses the fourth part's file (a directory stands where it goes)
    blocker = out_dir / f"{prefix(every[3])}-ringkasan.csv"
    blocker.mkdir(parents=True)
    with pytest.raises(IsADirectoryError):
        await report_files.monthly_job(services, reports_dir, formats=FAST)
    before = await stored(services)
    assert set(before) == set(every[:3])
    files_before = modified(out_dir, every[:3])
    assert parts_of(out_dir / name for name in files_before) == {prefix(s) for s in every[:3]}
    # When the disk is fixed and the job runs again, an hour later
    blocker.rmdir()
    clock.advance(timedelta(hours=1))
    written = await report_files.monthly_job(services, reports_dir, formats=FAST)
    # Then it wrote exactly the missing parts, once each
    assert parts_of(written) == {prefix(scope) for scope in every[3:]}
    assert len(written) == len({path.name for path in written})
    after = await stored(services)
    assert set(after) == set(every)
    assert {scope: after[scope] for scope in every[:3]} == before  # not written again
    assert modified(out_dir, every[:3]) == files_before
    assert all(after[scope] == clock.now() for scope in every[3:])
    # And a third run has nothing left to do
    assert await report_files.monthly_job(services, reports_dir, formats=FAST) == []


class CancelAfter(logging.Handler):
    """Cancels the job's task as the `parts`-th part is logged as written: the cancellation
    lands at the job's next await, the start of the next part."""

    def __init__(self, parts: int) -> None:
        super().__init__()
        self.parts = parts
        self.seen = 0
        self.task: asyncio.Task | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("report written"):
            self.seen += 1
            if self.seen == self.parts and self.task is not None:
                self.task.cancel()


async def test_a_report_cancelled_between_parts_is_finished_by_the_next_run(
    services, settings, clock, october
):
    reports_dir = settings.data_dir / "reports"
    every = scopes(services)
    canceller = CancelAfter(parts=2)
    logger = logging.getLogger("lapor.report_files")
    logger.addHandler(canceller)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        # Given a run stopped (as the process stops) once two parts are written
        canceller.task = asyncio.create_task(
            report_files.monthly_job(services, reports_dir, formats=FAST)
        )
        with pytest.raises(asyncio.CancelledError):
            await canceller.task
    finally:
        logger.removeHandler(canceller)
        logger.setLevel(level)
    before = await stored(services)
    assert set(before) == set(every[:2])
    # When the next run comes
    clock.advance(timedelta(minutes=5))
    written = await report_files.monthly_job(services, reports_dir, formats=FAST)
    # Then the rest is written and the first two parts are left as they were
    assert parts_of(written) == {prefix(scope) for scope in every[2:]}
    after = await stored(services)
    assert set(after) == set(every)
    assert {scope: after[scope] for scope in every[:2]} == before
