"""Outbound webhooks: complaint events for subscribers (the city's dashboard...), signed, and
delivered and retried through the outbox (channel "webhook", the recipient a subscriber's id).

Each POST carries ``X-Lapor-Timestamp`` (Unix seconds) and ``X-Lapor-Signature``:
``v1=`` + hex HMAC-SHA256(secret, timestamp + "." + body). The same signing serves the
external bodies complaints are forwarded to (lapor/forwarding.py), both ways.
A rahasia complaint raises no event, and no event carries the reporter, the text or the
exact place: a subscriber learns what moved, where (kecamatan, kelurahan), and when.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import asyncpg

from lapor import constant_time, i18n, outbox, privacy
from lapor.clock import Clock
from lapor.errors import NotFound, ValidationFailed
from lapor.outbox_errors import Dropped, PermanentFailure, RetryAfter
from lapor.repo import hooks as repo
from lapor.repo import outbox as outbox_repo

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

CHANNEL = "webhook"
EVENTS = ("complaint.created", "complaint.status_changed")
TIMESTAMP_HEADER = "X-Lapor-Timestamp"
SIGNATURE_HEADER = "X-Lapor-Signature"
TOLERANCE_SECONDS = 300  # an answer signed longer ago than this is a replay
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")


# ------------------------------------------------------------------------------- signatures


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def signed_headers(secret: str, body: bytes, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def signature_valid(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: datetime
) -> bool:
    """Whether `signature` is this body's, made with `secret` within TOLERANCE_SECONDS."""
    if not secret or not timestamp or not signature or not timestamp.isdigit():
        return False
    if len(timestamp) > 12 or abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return constant_time.same(signature.strip(), sign(secret, int(timestamp), body))


# ------------------------------------------------------------------------------- subscribers


@dataclass(frozen=True)
class Subscription:
    id: int
    name: str
    url: str
    events: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None
    attempts: int


async def add(
    services: Services, name: str, url: str, events: Sequence[str] = EVENTS
) -> tuple[int, str]:
    """A new subscriber; returns its id and its signing secret (shown once, to the admin)."""
    if not _NAME.fullmatch(name):
        raise ValidationFailed.on("name", i18n.t("webhooks.problem_name"))
    if not re.fullmatch(r"https?://[^\s]{1,1990}", url):
        raise ValidationFailed.on("url", i18n.t("webhooks.problem_url"))
    unknown = [event for event in events if event not in EVENTS]
    if unknown or not events:
        raise ValidationFailed.on(
            "events", i18n.t("webhooks.problem_events", events=", ".join(EVENTS))
        )
    secret = secrets.token_urlsafe(32)
    async with services.pool.acquire() as conn:
        found = await repo.add(
            conn, name, url, secret, list(dict.fromkeys(events)), services.clock.now()
        )
    if found is None:
        raise ValidationFailed.on("name", i18n.t("webhooks.problem_name_taken", name=name))
    log.info("webhook subscriber added name=%s events=%s", name, ",".join(events))
    return found, secret


async def subscriptions(services: Services) -> list[Subscription]:
    async with services.pool.acquire() as conn:
        rows = await repo.subscriptions(conn)
    return [
        Subscription(
            r["id"],
            r["name"],
            r["url"],
            tuple(r["events"]),
            r["created_at"],
            r["revoked_at"],
            r["attempts"],
        )
        for r in rows
    ]


async def revoke(services: Services, name: str) -> None:
    async with services.pool.acquire() as conn:
        if not await repo.revoke(conn, name, services.clock.now()):
            raise NotFound(i18n.t("webhooks.problem_unknown", name=name))
    log.info("webhook subscriber revoked name=%s", name)


KEEP_DELIVERIES = timedelta(days=90)


async def prune_deliveries(services: Services) -> int:
    """The delivery log keeps ninety days of attempts: enough to answer a subscriber who asks
    what happened last quarter, and bounded however busy the hooks are."""
    async with services.pool.acquire() as conn:
        return await repo.prune_deliveries(conn, services.clock.now() - KEEP_DELIVERIES)


async def deliveries(
    services: Services, *, limit: int = 50, before: int | None = None
) -> list[asyncpg.Record]:
    """The delivery log, newest attempt first (the admin's page)."""
    async with services.pool.acquire() as conn:
        return await repo.deliveries(conn, limit, before)


# ------------------------------------------------------------------------------- events


def complaint_facts(
    *,
    tracking_code: str,
    status: str,
    category: str | None,
    agency: str | None,
    kecamatan: str | None,
    kelurahan: str | None,
) -> dict[str, Any]:
    """What a subscriber may know of a complaint: never its text, reporter or exact place;
    the kecamatan and kelurahan the citizen typed as the public reads them."""
    return {
        "tracking_code": tracking_code,
        "status": status,
        "category": category,
        "agency": agency,
        "kecamatan": privacy.redact_place(kecamatan),
        "kelurahan": privacy.redact_place(kelurahan),
    }


def event_payload(
    event: str, event_id: str, occurred_at: datetime, complaint: Mapping[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "id": event_id,
        "event": event,
        "occurred_at": occurred_at.isoformat(),
        "complaint": dict(complaint),
        **extra,
    }


def created_payload(tracking_code: str, occurred_at: datetime, **facts: Any) -> dict[str, Any]:
    """complaint.created, queued by the statement that files the complaint (its transaction)."""
    return event_payload(
        "complaint.created",
        f"created:{tracking_code}",
        occurred_at,
        complaint_facts(tracking_code=tracking_code, **facts),
    )


async def status_changed(
    conn: asyncpg.Connection,
    *,
    complaint_id: int,
    rahasia: bool,
    event_id: int,
    from_status: str,
    action: str,
    occurred_at: datetime,
    **facts: Any,
) -> int:
    """Queue complaint.status_changed for every subscriber, in the move's transaction; none for
    a rahasia complaint. Returns how many were queued."""
    if rahasia:
        return 0
    key = f"status:{event_id}"
    payload = event_payload(
        "complaint.status_changed",
        key,
        occurred_at,
        complaint_facts(**facts),
        from_status=from_status,
        action=action,
    )
    queued = await repo.queue_event(
        conn, "complaint.status_changed", key, payload, complaint_id, occurred_at
    )
    if queued:  # wake the dispatchers on commit, as outbox.enqueue does
        await outbox_repo.notify(conn, outbox.CHANNEL, CHANNEL)
    return queued


# ------------------------------------------------------------------------------- delivery


class SignedPoster:
    """POSTs a signed JSON body and writes each attempt to the delivery log; what a failure
    means for the outbox (retry, pause, give up) is decided here, once, for subscribers and
    external bodies alike."""

    def __init__(self, pool: asyncpg.Pool, clock: Clock, timeout: float = 10.0) -> None:
        self.pool, self.clock, self.timeout = pool, clock, timeout
        self._session: aiohttp.ClientSession | None = None

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(
        self,
        url: str,
        secret: str,
        payload: Mapping[str, Any],
        *,
        target: str,
        event: str,
        event_id: str,
    ) -> dict[str, Any] | None:
        """POST `payload` signed with `secret`; the answer's JSON object (None when it had
        none) on a 2xx, else the exception the outbox understands."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = signed_headers(secret, body, self.clock.now())
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        try:
            session = await self.session()
            async with session.post(url, data=body, headers=headers) as response:
                status = response.status
                answer = await response.read()
                retry_after = response.headers.get("Retry-After", "")
        except (aiohttp.ClientError, TimeoutError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:1000]
            raise
        finally:
            await self.record(event_id, target, event, url, status, error, started)
        if status == 429:
            raise RetryAfter(float(retry_after) if retry_after.isdigit() else 60.0)
        if 200 <= status < 300:
            try:
                found = json.loads(answer) if answer else None
            except ValueError:
                found = None
            return found if isinstance(found, dict) else None
        if status in (400, 401, 403, 404, 410, 422):
            raise PermanentFailure(f"{url} answered {status}")
        raise ConnectionError(f"{url} answered {status}")  # 5xx, 408...: try again later

    async def record(self, event_id, target, event, url, status, error, started) -> None:
        """One attempt in the delivery log (`started`: its time.monotonic())."""
        duration = int((time.monotonic() - started) * 1000)
        if status is not None and not 200 <= status < 300:
            error = error or f"HTTP {status}"
        async with self.pool.acquire() as conn:
            await repo.log_attempt(
                conn, event_id, target, event, url, status, error, duration, self.clock.now()
            )


class WebhookSender:
    """The outbox's sender for channel "webhook": the recipient is a subscriber's id."""

    def __init__(self, poster: SignedPoster) -> None:
        self.poster = poster

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> None:
        async with self.poster.pool.acquire() as conn:
            subscriber = await repo.find(conn, int(recipient))
        if subscriber is None or subscriber["revoked_at"] is not None:
            raise Dropped(f"subscriber {recipient} is revoked")
        await self.poster.post(
            subscriber["url"],
            subscriber["secret"],
            payload,
            target=f"subscriber:{subscriber['id']}",
            event=str(payload.get("event", "")),
            event_id=str(payload.get("id", "")),
        )
