"""What `lapor serve` (lapor.web.app) and the other commands (lapor.cli) share, built in one
place: the core's services over a pool, and every scheduled job. The composition root: it may
name the bots, which the core (lapor.scheduler included) never imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

from bots import conversations
from lapor import (
    city_edits,
    forwarding,
    models,
    open_data,
    receipts,
    report_jobs,
    whatsapp_window,
)
from lapor.clock import Clock, SystemClock
from lapor.context import Services
from lapor.db import ReplicaReads
from lapor.forwarding_send import ForwardSender
from lapor.hooks import SignedPoster, WebhookSender
from lapor.metrics import NO_METRICS, Metrics
from lapor.photo_store import FilePhotoStore, PhotoStore
from lapor.scheduler import ScheduledJob, default_jobs

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.outbox import Sender
    from lapor.routing import Router
    from lapor.settings import Settings


def build_services(
    settings: Settings,
    city: CityConfig,
    pool: asyncpg.Pool,
    router: Router,
    *,
    clock: Clock | None = None,
    replica: ReplicaReads | None = None,
    metrics: Metrics = NO_METRICS,
) -> Services:
    return Services(
        pool=pool,
        city=city,
        clock=clock or SystemClock(),
        photos=photo_store(settings),
        router=router,
        secret_key=settings.secret_key,
        base_url=settings.base_url,
        replica=replica,
        metrics=metrics,
        channels=outbox_channels(settings),
    )


def outbox_channels(settings: Settings) -> frozenset[str]:
    """The channels this deployment can send through (lapor.notify chooses among them)."""
    configured = {
        "telegram": bool(settings.telegram_bot_token),
        "whatsapp": settings.whatsapp_enabled,
        "sms": settings.sms_enabled,
        "email": bool(settings.smtp_host),
    }
    return frozenset(channel for channel, on in configured.items() if on)


def photo_store(settings: Settings) -> PhotoStore:
    """LAPOR_PHOTO_STORE: the files under the data directory (the default), or the S3 bucket.
    Whoever builds the services opens the store at start-up and closes it at shutdown."""
    if settings.photo_store == "s3":
        from lapor.photo_s3 import S3PhotoStore  # botocore is imported only when used

        return S3PhotoStore.from_settings(settings)
    return FilePhotoStore(settings.data_dir / "photos")


def all_jobs(settings: Settings, city: CityConfig) -> tuple[ScheduledJob, ...]:
    """Every instance's jobs: SLA and rate limits, chat drafts, surveys and reports, the
    nightly retrain and following the active model, the daily open data dump, the poll of
    Open311 bodies complaints were forwarded to, the webhook delivery log's pruning."""
    return (
        default_jobs()
        + conversations.jobs()
        + report_jobs.jobs(settings, city)
        + models.jobs(settings, city)
        + (whatsapp_window.jobs() if settings.whatsapp_enabled else ())
        + (receipts.jobs() if settings.whatsapp_enabled or settings.sms_enabled else ())
        + open_data.jobs(settings, city)
        + city_edits.jobs()
        + forwarding.jobs(settings, city)
    )


def outbound_senders(
    settings: Settings, city: CityConfig, services: Services, email_sender: Sender | None
) -> tuple[dict[str, Sender], SignedPoster]:
    """The outbox's senders beyond the chats: events to webhook subscribers, and (when the city
    names external bodies) complaints forwarded to them. The poster is closed by the caller."""
    poster = SignedPoster(services.pool, services.clock, settings.webhook_timeout)
    found: dict[str, Sender] = {"webhook": WebhookSender(poster)}
    if city.externals:
        found["forward"] = ForwardSender(
            city=city,
            settings=settings,
            poster=poster,
            email_sender=email_sender,
            base_url=settings.base_url,
        )
    return found, poster
