"""Scheduled jobs: thin wrappers around one service function each, run by APScheduler's
``AsyncIOScheduler`` inside ``lapor serve`` or alone as ``lapor scheduler``.

Any number of instances may run the same jobs at once. Each job is written for that: the SLA
sweep and auto-close claim their rows with ``FOR UPDATE SKIP LOCKED`` (instances share the
work, none repeats it), and a job that must run alone (the monthly report) calls
``try_run_alone`` in its transaction so that the other instances skip that tick. Jobs compute
what is due from the injected clock, so after downtime one run does everything that piled
up: missed ticks are coalesced into one, never replayed one by one. A job that fails is
logged and runs again at its next tick, or after ``retry_after`` seconds if that comes sooner
(the monthly report must not wait a month because the database was restarting at 07:00).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from lapor import erasure, escalation, partitions, ratelimit, sla
from lapor.context import Services
from lapor.db import unreachable
from lapor.repo import locks

log = logging.getLogger(__name__)

# coalesce: a run of missed ticks becomes one run. misfire_grace_time: a tick up to this many
# seconds late (a busy event loop) still runs. max_instances: a slow run is never overlapped
# by the next tick in the same process (other processes are kept apart by the database).
JOB_DEFAULTS: dict[str, Any] = {"coalesce": True, "misfire_grace_time": 60, "max_instances": 1}
# A failed run is tried again this soon (LAPOR_JOB_RETRY_SECONDS), unless its next tick is sooner.
RETRY_AFTER_SECONDS = 300.0


@dataclass(frozen=True)
class ScheduledJob:
    id: str  # deterministic: the same id in every instance and after every restart
    run: Callable[[Services], Awaitable[object]]
    trigger: BaseTrigger
    description: str
    run_at_start: bool = True  # catch up at once after downtime instead of a tick later


def default_jobs() -> tuple[ScheduledJob, ...]:
    """The core's jobs that need nothing but the services. The chat drafts' jobs are the bots'
    own (`bots.conversations.jobs`), the survey and report jobs need settings and the city
    (`report_jobs.jobs`); `lapor.assembly.all_jobs` puts them all together."""
    return (
        ScheduledJob(
            "sla.sweep",
            escalation.sweep,
            IntervalTrigger(minutes=1, timezone=UTC),
            "SLA reminders and escalations that are due",
        ),
        ScheduledJob(
            "sla.auto_close",
            sla.auto_close,
            IntervalTrigger(minutes=1, timezone=UTC),
            "close resolved complaints nobody answered within auto_close_days",
        ),
        ScheduledJob(
            "ratelimit.prune",
            ratelimit.prune,
            IntervalTrigger(minutes=10, timezone=UTC),
            "forget rate-limit windows that have ended",
        ),
        ScheduledJob(
            "privacy.erase_expired_contacts",
            erasure.erase_expired_contacts,
            IntervalTrigger(hours=6, timezone=UTC),
            "erase reporters' contacts of complaints closed longer than retain_contacts_days",
        ),
        ScheduledJob(
            "partitions.ahead",
            partitions.keep_ahead,
            IntervalTrigger(hours=12, timezone=UTC),
            "monthly partitions made months ahead (only once `lapor db partition` ran)",
        ),
    )


async def run_job(job: ScheduledJob, services: Services) -> bool:
    """Run one job once; a failure is logged, never raised, so the next tick runs as usual.
    The run and how long it took are counted (`services.metrics`), unless it was cancelled."""
    started = time.perf_counter()
    try:
        result = await job.run(services)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # any failure: log it and try again
        services.metrics.job_ran(job.id, ok=False, seconds=time.perf_counter() - started)
        if unreachable(error):  # an outage, not a bug: no traceback every minute it lasts
            log.warning("job failed id=%s: database unreachable error=%s", job.id, error)
        else:
            log.exception("job failed id=%s; it runs again at its next tick", job.id)
        return False
    services.metrics.job_ran(job.id, ok=True, seconds=time.perf_counter() - started)
    log.debug("job done id=%s result=%s", job.id, result)
    return True


async def try_run_alone(conn: asyncpg.Connection, job_id: str) -> bool:
    """Inside a transaction: True if this instance now holds the job's lock (until commit),
    False if another instance holds it, in which case this tick has nothing to do."""
    return await locks.try_xact_lock(conn, f"lapor.job.{job_id}")


class Scheduler:
    """The jobs of one process, on the running event loop."""

    def __init__(
        self,
        services: Services,
        jobs: Sequence[ScheduledJob] | None = None,
        *,
        retry_after: float = RETRY_AFTER_SECONDS,
    ) -> None:
        self.services = services
        self.retry_after = retry_after
        self.jobs = tuple(default_jobs() if jobs is None else jobs)
        ids = [job.id for job in self.jobs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"two scheduled jobs share an id: {ids}")
        self._scheduler: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping: set[asyncio.Task[Any]] = set()

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def scheduled(self) -> list[Job]:
        """APScheduler's view of the jobs (next run time, defaults applied); empty when stopped."""
        return [] if self._scheduler is None else self._scheduler.get_jobs()

    def job_ids(self) -> list[str]:
        return [job.id for job in self.scheduled()]

    async def start(self) -> None:
        scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(),
            timezone=self.services.city.timezone,
            job_defaults=dict(JOB_DEFAULTS),
        )
        for job in self.jobs:
            options: dict[str, Any] = {}
            if job.run_at_start:
                options["next_run_time"] = datetime.now(UTC)
            scheduler.add_job(
                self._tick(job),
                trigger=job.trigger,
                id=job.id,
                name=job.description,
                replace_existing=True,
                **options,
            )
        scheduler.start()
        self._scheduler = scheduler
        log.info("scheduler started jobs=%s", ",".join(job.id for job in self.jobs))

    async def stop(self) -> None:
        if self._scheduler is None:
            return
        self._scheduler.shutdown(wait=False)
        self._scheduler = None
        # A job cut short rolls its transaction back; its work is picked up by the next run.
        running = list(self._running)
        self._stopping.update(running)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self._stopping.difference_update(running)
        log.info("scheduler stopped")

    def _tick(self, job: ScheduledJob) -> Callable[[], Awaitable[None]]:
        async def tick() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                if not await run_job(job, self.services):
                    self._retry_soon(job)
            except asyncio.CancelledError:
                if task not in self._stopping:
                    raise
                # Stopped with the process, on purpose: not a failure for APScheduler to log.
                log.info("job %s stopped with the process; the next run takes it up", job.id)
            finally:
                if task is not None:
                    self._running.discard(task)

        tick.__name__ = tick.__qualname__ = f"job_{job.id.replace('.', '_')}"
        return tick

    def _retry_soon(self, job: ScheduledJob) -> None:
        """Bring a failed job's next run forward to `retry_after` seconds from now. APScheduler
        has already set the next regular tick (before the run began); after the retry the
        trigger carries on from there (a cron trigger: its next date; an interval: a period
        after the retry)."""
        if self._scheduler is None:
            return
        scheduled = self._scheduler.get_job(job.id)
        if scheduled is None:
            return
        soon = datetime.now(UTC) + timedelta(seconds=self.retry_after)
        if scheduled.next_run_time is None or soon < scheduled.next_run_time:
            self._scheduler.modify_job(job.id, next_run_time=soon)
            log.info("job %s runs again in %g s", job.id, self.retry_after)
