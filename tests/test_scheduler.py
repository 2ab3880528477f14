"""The scheduler: jobs with fixed ids and explicit defaults, started by lapor serve or alone,
surviving a failing job, and catching up once after downtime."""

import asyncio
import logging
import os
import signal
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from lifecycle_helpers import file

from bots import conversations
from lapor import models, report_jobs
from lapor.assembly import all_jobs
from lapor.db import create_pool
from lapor.escalation import sweep
from lapor.scheduler import (
    JOB_DEFAULTS,
    ScheduledJob,
    Scheduler,
    default_jobs,
    run_job,
    try_run_alone,
)
from lapor.settings import SettingsError, settings_from_env
from lapor.web.keys import SCHEDULER

WIB = ZoneInfo("Asia/Jakarta")
ROOT = Path(__file__).resolve().parent.parent
FAST = IntervalTrigger(seconds=0.05)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


class CountingJob:
    """Wraps a service function; counts its runs and lets a test wait for the n-th."""

    def __init__(self, work=None, failures: int = 0) -> None:
        self.work = work
        self.failures = failures
        self.calls = 0
        self.completed = 0
        self._changed = asyncio.Event()

    async def __call__(self, services) -> object:
        self.calls += 1
        try:
            if self.calls <= self.failures:
                raise RuntimeError(f"run {self.calls} breaks")
            result = await self.work(services) if self.work else None
            self.completed += 1
            return result
        finally:
            self._changed.set()

    async def wait_for(self, calls: int) -> None:
        async def reached() -> None:
            while self.calls < calls:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(reached(), timeout=20)


async def test_default_jobs_have_fixed_ids_and_explicit_defaults(services):
    scheduler = Scheduler(services, default_jobs() + conversations.jobs())
    await scheduler.start()
    try:
        assert sorted(scheduler.job_ids()) == sorted(
            [
                "sla.sweep",
                "sla.auto_close",
                "bots.expire_drafts",
                "bots.forget_deliveries",
                "ratelimit.prune",
                "privacy.erase_expired_contacts",
                "partitions.ahead",
            ]
        )
        for job in scheduler.scheduled():
            assert job.coalesce is True
            assert job.max_instances == 1
            assert job.misfire_grace_time == JOB_DEFAULTS["misfire_grace_time"]
    finally:
        await scheduler.stop()
    assert not scheduler.running
    assert [job.id for job in default_jobs()] == [
        "sla.sweep",
        "sla.auto_close",
        "ratelimit.prune",
        "privacy.erase_expired_contacts",
        "partitions.ahead",
    ]


def test_every_instance_runs_the_core_the_bots_the_surveys_reports_and_models_jobs(settings, city):
    assert [job.id for job in all_jobs(settings, city)] == [
        "sla.sweep",
        "sla.auto_close",
        "ratelimit.prune",
        "privacy.erase_expired_contacts",
        "partitions.ahead",
        "bots.expire_drafts",
        "bots.forget_deliveries",
        *(job.id for job in report_jobs.jobs(settings, city)),
        *(job.id for job in models.jobs(settings, city)),
        "open_data.daily",
        "city.follow_edits",
        "webhooks.prune_log",
    ]


async def test_two_jobs_may_not_share_an_id(services):
    job = ScheduledJob("same", CountingJob(), FAST, "one")
    with pytest.raises(ValueError, match="share an id"):
        Scheduler(services, [job, replace(job, description="two")])


async def test_a_failing_job_is_logged_and_runs_again_at_the_next_tick(services, caplog):
    # Given a job whose first two runs fail
    job = CountingJob(failures=2)
    scheduler = Scheduler(services, [ScheduledJob("flaky", job, FAST, "fails twice")])
    # When the scheduler runs it
    await scheduler.start()
    try:
        await job.wait_for(calls=3)
        # Then the later ticks still come, and the third run completes
        assert job.completed >= 1
        assert scheduler.running
    finally:
        await scheduler.stop()
    failures = [r for r in caplog.records if "job failed id=flaky" in r.getMessage()]
    assert len(failures) == 2
    assert all(r.levelno == logging.ERROR and r.exc_info for r in failures)


async def test_run_job_reports_failure_instead_of_raising(services):
    job = ScheduledJob("broken", CountingJob(failures=1), FAST, "breaks")
    assert await run_job(job, services) is False
    assert await run_job(job, services) is True


async def test_after_three_days_down_each_overdue_step_happens_once(client, services, clock):
    # Given a complaint filed Monday 23 November 09:00 and a scheduler that swept on Thursday
    # morning, before the reminder (Thursday 15:22:30) was due
    await file(client)
    clock.set(wib(2026, 11, 26, 9))
    assert (await sweep(services)).steps == 0
    # When the scheduler was down until Monday 30 November 10:00, past the reminder and the
    # deadline (09:00), and then starts and ticks many times
    clock.set(wib(2026, 11, 30, 10))
    job = CountingJob(sweep)
    scheduler = Scheduler(services, [ScheduledJob("sla.sweep", job, FAST, "sweep")])
    await scheduler.start()
    try:
        await job.wait_for(calls=5)
    finally:
        await scheduler.stop()
    # Then the reminder, the head and Setda were each told once, not once per missed minute
    async with services.pool.acquire() as conn:
        events = await conn.fetch(
            """SELECT kind, (data->>'level')::int AS level, created_at FROM complaint_event
               WHERE kind IN ('reminder', 'escalation') ORDER BY id"""
        )
        sent = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE kind IN ('reminder', 'escalation')"
        )
    assert [(e["kind"], e["level"]) for e in events] == [
        ("reminder", 0),
        ("escalation", 1),
        ("escalation", 2),
    ]
    assert {e["created_at"] for e in events} == {clock.now()}
    assert sent == 6


async def test_serve_starts_the_jobs_and_stops_them_with_the_app(aiohttp_client, settings, clock):
    from lapor.web.app import create_app

    client = await aiohttp_client(create_app(replace(settings, scheduler=True), clock=clock))
    scheduler = client.app[SCHEDULER]
    assert scheduler.running
    assert sorted(scheduler.job_ids()) == sorted(
        [
            "sla.sweep",
            "sla.auto_close",
            "bots.expire_drafts",
            "bots.forget_deliveries",
            "ratelimit.prune",
            "privacy.erase_expired_contacts",
            "partitions.ahead",
            "surveys.invite",
            "surveys.remind",
            "reports.monthly",
            "models.retrain",
            "models.follow_active",
            "open_data.daily",
            "city.follow_edits",
            "webhooks.prune_log",
        ]
    )
    await client.close()
    assert not scheduler.running


async def test_an_app_without_the_scheduler_runs_no_jobs(client):
    assert not client.app[SCHEDULER].running


async def test_a_job_that_must_run_alone_is_skipped_by_the_other_instances(database_url):
    pool = await create_pool(database_url)
    try:
        async with pool.acquire() as first, pool.acquire() as second:
            async with first.transaction():
                assert await try_run_alone(first, "report.monthly") is True
                async with second.transaction():
                    assert await try_run_alone(second, "report.monthly") is False
                    assert await try_run_alone(second, "other.job") is True
            async with second.transaction():  # the lock went with the first's commit
                assert await try_run_alone(second, "report.monthly") is True
    finally:
        await pool.close()


def test_the_scheduler_is_on_unless_turned_off_and_smtp_needs_a_sender():
    base = {"LAPOR_SECRET_KEY": "x" * 20}
    assert settings_from_env(base).scheduler is True
    assert settings_from_env({**base, "LAPOR_SCHEDULER": "off"}).scheduler is False
    with pytest.raises(SettingsError, match="LAPOR_SCHEDULER"):
        settings_from_env({**base, "LAPOR_SCHEDULER": "sometimes"})
    with pytest.raises(SettingsError, match="SMTP_FROM"):
        settings_from_env({**base, "SMTP_HOST": "127.0.0.1"})
    mail = settings_from_env(
        {
            **base,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": "2525",
            "SMTP_FROM": "lapor@kota-contoh.go.id",
            "SMTP_STARTTLS": "false",
        }
    )
    assert (mail.smtp_host, mail.smtp_port, mail.smtp_starttls) == ("127.0.0.1", 2525, False)


async def test_lapor_scheduler_runs_alone_until_terminated(database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LAPOR_DATA_DIR": str(tmp_path),
        "LAPOR_SECRET_KEY": "test-secret-key-not-for-production",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lapor.cli",
        "scheduler",
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    seen = []
    try:

        async def started() -> None:
            while line := await process.stderr.readline():
                seen.append(line.decode())
                if "scheduler started" in seen[-1]:
                    return

        await asyncio.wait_for(started(), timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(process.stderr.read(), timeout=30)
        await process.wait()
    assert "jobs=sla.sweep,sla.auto_close" in seen[-1]
    assert process.returncode == 0, "".join(seen) + rest.decode()
    assert "scheduler stopped" in rest.decode()
