"""What a channel reports later about a message the outbox sent, and what lapor does when it
says the message failed. WhatsApp accepts a message (HTTP 200 and its id) and tells only
afterwards, in its webhook's ``statuses``, that it could not deliver it; an SMS gateway
likewise, in the StatusCallback of each message (bots/sms.py); by then the outbox has marked
the message sent, so without this the citizen would simply never hear.

The outbox keeps the ids a sender returns (`Delivery.deliver`, lapor/repo/receipts.py); the webhook hands
the statuses here (`reported`). A failure is acted on once per message:
- the chat's 24-hour window had closed (131047): the message goes again as its template, which
  Meta accepts outside the window; a message without one is dropped, as the sender would;
- the number cannot be reached on WhatsApp (131026: no WhatsApp, an old app, the terms not
  accepted): by SMS to the same number when the city has an SMS gateway (the text only: a
  survey, whose answers are buttons, is not rerouted); otherwise, and for any other
  failure, the message becomes a dead letter the admin sees (lapor.dead_letters).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.triggers.interval import IntervalTrigger

from lapor.outbox import CHANNEL as OUTBOX_NOTIFY
from lapor.repo import outbox as outbox_repo
from lapor.repo import receipts as repo
from lapor.scheduler import ScheduledJob

if TYPE_CHECKING:
    import asyncpg

    from lapor.context import Services

log = logging.getLogger(__name__)

OUTSIDE_WINDOW = 131047
UNDELIVERABLE = 131026
STATUSES = ("accepted", "sent", "delivered", "read", "failed")
# Meta retries an unanswered webhook for up to seven days; a receipt is kept a while longer.
KEEP = timedelta(days=14)


@dataclass(frozen=True)
class StatusReport:
    """One status a channel reported for a message it gave ``provider_id``."""

    provider_id: str
    status: str
    error_code: int | None = None
    error: str | None = None


async def reported(services: Services, channel: str, reports: Sequence[StatusReport]) -> int:
    """Record what the channel said; act on failures. Returns how many failures were acted on
    (a repeated webhook acts on none: the receipt remembers its action)."""
    acted = 0
    now = services.clock.now()
    for report in reports:
        if report.status not in STATUSES:
            continue
        async with services.pool.acquire() as conn, conn.transaction():
            receipt = await repo.lock(conn, report.provider_id)
            if receipt is None or receipt["channel"] != channel:
                continue  # not ours (another app on the number), or older than receipts
            action = None
            first_failure = report.status == "failed" and receipt["action"] is None
            if first_failure and not receipt["acted_on_message"] and receipt["kind"] is not None:
                action = await _act(services, conn, receipt, report, now)
                acted += 1
            await repo.update(
                conn,
                report.provider_id,
                report.status,
                report.error_code,
                (report.error or "")[:1000] or None,
                action,
                now,
            )
    return acted


async def _act(
    services: Services, conn: asyncpg.Connection, receipt: Any, report: StatusReport, now
) -> str:
    payload = dict(receipt["payload"])
    detail = f"{receipt['channel']} failed after sending: {report.error_code} {report.error or ''}"
    if report.error_code == OUTSIDE_WINDOW:
        if isinstance(payload.get("template"), dict):
            resent = {**payload, "template_only": True}
            resent.pop("parts_sent", None)
            await _queue(conn, receipt, receipt["channel"], resent, "template", now)
            log.info("receipt outbox=%s window closed: resent as template", receipt["outbox_id"])
            return "template"
        await repo.mark_undelivered(conn, receipt, "dropped", now, detail.strip())
        return "dropped"
    if (
        report.error_code == UNDELIVERABLE
        and "sms" in services.channels
        and receipt["kind"] != "survey"
    ):
        await _queue(conn, receipt, "sms", {"text": payload.get("text") or ""}, "sms", now)
        log.info("receipt outbox=%s undeliverable: rerouted to sms", receipt["outbox_id"])
        return "sms"
    await repo.mark_undelivered(conn, receipt, "dead", now, detail.strip())
    log.warning("receipt outbox=%s failed code=%s: dead", receipt["outbox_id"], report.error_code)
    return "dead"


async def _queue(
    conn: asyncpg.Connection, receipt: Any, channel: str, payload: dict, why: str, now: datetime
) -> None:
    await outbox_repo.insert(
        conn,
        channel,
        receipt["recipient"],
        receipt["kind"],
        payload,
        f"receipt:{receipt['outbox_id']}:{why}",
        receipt["complaint_id"],
        now,
    )
    await outbox_repo.notify(conn, OUTBOX_NOTIFY, channel)


async def prune(services: Services) -> int:
    """Forget receipts no status can still arrive for."""
    async with services.pool.acquire() as conn:
        return await repo.prune(conn, services.clock.now() - KEEP)


def jobs() -> tuple[ScheduledJob, ...]:
    return (
        ScheduledJob(
            "outbox.prune_receipts",
            prune,
            IntervalTrigger(hours=6, timezone=UTC),
            "forget the channels' message ids two weeks after sending",
        ),
    )
