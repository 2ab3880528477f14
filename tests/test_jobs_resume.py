"""Jobs that finish what they start: the monthly report stopped between its parts (a failure,
a cancelled task) is completed by the next run, which rewrites none of the finished parts; and
scheduled jobs that fail while the database is down succeed once it is back, in the same
process, the monthly report within a short retry rather than a month later."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from db_outage import unreachable
from report_month import OCTOBER, build_october

from lapor import escalation, report_files, reports
from lapor.scheduler import ScheduledJob, Scheduler

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


# ------------------------------------------------------------- jobs across a database outage


class Outcomes:
    """Wraps a job's service function; records each run's outcome (True: it completed)."""

    def __init__(self, work) -> None:
        self.work = work
        self.runs: list[bool] = []
        self._changed = asyncio.Event()

    async def __call__(self, services) -> object:
        try:
            result = await self.work(services)
        except BaseException:
            self.runs.append(False)
            raise
        finally:
            self._changed.set()
        self.runs.append(True)
        return result

    async def until(self, condition, seconds: float = 10) -> None:
        async def reached() -> None:
            while not condition(self.runs):
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(reached(), timeout=seconds)


async def test_a_job_failing_while_the_database_is_down_succeeds_at_its_next_tick(
    services, database_url, pg_server, caplog
):
    # Given the SLA sweep every 0.1 s
    sweep = Outcomes(escalation.sweep)
    scheduler = Scheduler(
        services, [ScheduledJob("sla.sweep", sweep, IntervalTrigger(seconds=0.1), "sweep")]
    )
    await scheduler.start()
    try:
        await sweep.until(lambda runs: runs and runs[-1])
        # When the database goes away under it, a run fails
        async with unreachable(database_url, pg_server):
            await sweep.until(lambda runs: False in runs)
            failed_at = len(sweep.runs)
        # Then, the database back, the next ticks succeed, the scheduler never stopped
        await sweep.until(lambda runs: len(runs) > failed_at and runs[-1])
        assert scheduler.running
        assert scheduler.job_ids() == ["sla.sweep"]
    finally:
        await scheduler.stop()
    failures = [r for r in caplog.records if "job failed id=sla.sweep" in r.getMessage()]
    assert failures and all("database unreachable" in r.getMessage() for r in failures)
    assert all(r.levelno == logging.WARNING and not r.exc_info for r in failures)


async def test_a_monthly_report_that_failed_at_start_is_retried_soon_not_next_month(
    services, settings, database_url, pg_server
):
    # Given the monthly report job, and a database down when the scheduler starts
    reports_dir = settings.data_dir / "reports"
    report = Outcomes(partial(report_files.monthly_job, reports_dir=reports_dir, formats=FAST))
    trigger = CronTrigger(day=1, hour=7, minute=0, timezone=services.city.timezone)
    scheduler = Scheduler(
        services, [ScheduledJob("reports.monthly", report, trigger, "monthly")], retry_after=0.3
    )
    async with unreachable(database_url, pg_server):
        await scheduler.start()
        try:
            await report.until(lambda runs: runs.count(False) >= 2)  # retried, still down
        except BaseException:
            await scheduler.stop()
            raise
    try:
        # When the database is back, the next retry writes the month (not the 1st of next month)
        await report.until(lambda runs: runs[-1])
        (next_run,) = [job.next_run_time for job in scheduler.scheduled()]
    finally:
        await scheduler.stop()
    async with services.pool.acquire() as conn:
        written = await conn.fetchval("SELECT count(*) FROM report WHERE month = $1", OCTOBER)
    assert written == len(scopes(services))
    # And after it the schedule is the monthly one again
    assert next_run == trigger.get_next_fire_time(None, datetime.now(UTC))
