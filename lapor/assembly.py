"""What `lapor serve` (lapor.web.app) and the other commands (lapor.cli) share, built in one
place: the core's services over a pool, and every scheduled job. The composition root: it may
name the bots, which the core (lapor.scheduler included) never imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

from bots import conversations
from lapor import models, report_jobs
from lapor.clock import Clock, SystemClock
from lapor.context import Services
from lapor.photos import FilePhotoStore
from lapor.scheduler import ScheduledJob, default_jobs

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.routing import Router
    from lapor.settings import Settings


def build_services(
    settings: Settings,
    city: CityConfig,
    pool: asyncpg.Pool,
    router: Router,
    *,
    clock: Clock | None = None,
) -> Services:
    return Services(
        pool=pool,
        city=city,
        clock=clock or SystemClock(),
        photos=FilePhotoStore(settings.data_dir / "photos"),
        router=router,
        secret_key=settings.secret_key,
        base_url=settings.base_url,
    )


def all_jobs(settings: Settings, city: CityConfig) -> tuple[ScheduledJob, ...]:
    """Every instance's jobs: SLA and rate limits, chat drafts, surveys and reports, the
    nightly retrain and following the active model."""
    return (
        default_jobs()
        + conversations.jobs()
        + report_jobs.jobs(settings, city)
        + models.jobs(settings, city)
    )
