"""Forwarding beyond the city: a complaint that is "bukan wewenang kota" goes to an external
body of the city file ([external.CODE]: the province, a ministry, PLN, a PDAM that is no city
agency) by its one channel, and what it answers comes back to the complaint's timeline.

The move itself is lifecycle's `forward` (one transaction: the status, the event, this
module's `record`, the citizen's notice). The message to the body goes through the outbox
(channel "forward", recipient the body's code): by e-mail with a reply token in its subject,
as a signed webhook (lapor.hooks), or as an Open311 request whose status is then polled
(`poll`, a scheduled job). An answer (`answer`) becomes a public `forward_answer` event and
a notice to the citizen.

The city may take a forwarded complaint back (lifecycle's `recall`, "Tarik kembali": the body
says it is not theirs either, or it went out by mistake): `recall` marks the forwarding
recalled and tells the body by the channel it was forwarded on (a short e-mail, or a signed
`complaint.recalled` webhook; Open311 GeoReport v2 has no cancel, so an Open311 body is told
nothing and its request is polled no more). A later answer from the body about that
forwarding is refused with a 409 problem+json (`recall.problem_recalled`): the
complaint is the city's again, and the citizen is not told what a body it no longer waits for
says. A complaint recalled may be forwarded again (a new forwarding, a new token).
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import aiohttp
import asyncpg

from lapor import i18n, notify, privacy, schemas, tracking
from lapor.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from lapor.outbox import Message, enqueue
from lapor.repo import complaints as complaint_repo
from lapor.repo import forwarding as repo

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.city.values import External
    from lapor.context import Services
    from lapor.hooks import SignedPoster
    from lapor.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "forward"
ANSWER_MAX = 5000
# A reply's subject or body carries the token as "[lapor:TOKEN]".
TOKEN_MARK = re.compile(r"\[lapor:([A-Za-z0-9_-]{16,64})\]")
# Open311 statuses; "closed" ends the polling.
OPEN311_STATUSES = ("open", "closed")


def external_for(city: CityConfig, code: str | None) -> External:
    """The external body a forward names; 422 naming the field for any other value."""
    found = city.externals.get(code or "")
    if found is None:
        raise ValidationFailed.on(
            "external",
            i18n.t(
                "forward.problem_unknown",
                value=repr((code or "")[:40]),
                choices=", ".join(city.externals) or "-",
            ),
        )
    return found


def forwarded_to(city: CityConfig, status: str, events) -> dict[str, str] | None:
    """The body a forwarded complaint went to, from its `forward` move (the views show it)."""
    moves = [e for e in events if e["kind"] == "forward"] if status == "forwarded" else []
    code = (moves[-1]["data"] or {}).get("external") if moves else None
    if code is None:
        return None
    body = city.externals.get(code)
    return {"code": code, "name": body.name if body else code}


def check_secrets(settings: Settings, city: CityConfig) -> list[str]:
    """The environment variables a city's external bodies need and do not have."""
    missing = []
    for code, body in city.externals.items():
        if body.channel == "webhook" and code not in settings.external_secrets:
            missing.append(f"LAPOR_EXTERNAL_{code}_SECRET")
        if body.channel == "open311" and code not in settings.external_api_keys:
            missing.append(f"LAPOR_EXTERNAL_{code}_API_KEY")
    return missing


async def record(
    conn: asyncpg.Connection,
    *,
    complaint_id: int,
    external: External,
    reason: str | None,
    now,
) -> int:
    """The forwarding and its message to the body, in the move's transaction."""
    token = secrets.token_urlsafe(24)
    forward_id = await repo.add(conn, complaint_id, external.code, external.channel, token, now)
    await enqueue(
        conn,
        Message(
            channel=CHANNEL,
            recipient=external.code,
            kind="forward",
            text=reason or "",
            complaint_id=complaint_id,
            dedupe_key=f"forward:{forward_id}",
            extra={"forward_id": forward_id},
        ),
        now,
    )
    return forward_id


class Recalled(NamedTuple):
    """The body a recalled forwarding had gone to (its name, for the event and the notice)."""

    code: str
    name: str


RECALL_NOTICE = "recall"  # the payload's "notice" of a recall message on channel "forward"


async def recall(
    conn: asyncpg.Connection,
    city: CityConfig,
    *,
    complaint_id: int,
    reason: str | None,
    now,
) -> Recalled | None:
    """End the complaint's forwarding, in the recall move's transaction, and queue the body's
    notice (not for Open311: the spec has no cancel). None when it had none to end."""
    found = await repo.recall(conn, complaint_id, now)
    if found is None:
        return None
    code = found["external_code"]
    external = city.externals.get(code)
    if found["channel"] != "open311":
        await enqueue(
            conn,
            Message(
                channel=CHANNEL,
                recipient=code,
                kind="recall",
                text=reason or "",
                complaint_id=complaint_id,
                dedupe_key=f"recall:{found['id']}",
                extra={"forward_id": found["id"], "notice": RECALL_NOTICE},
            ),
            now,
        )
    return Recalled(code, external.name if external else code)


# ------------------------------------------------------------------------------- answers


async def answer(
    services: Services,
    forward: asyncpg.Record,
    text: str,
    *,
    status: str | None = None,
    source: str,
) -> int | None:
    """The body's answer on the complaint's public timeline, and its reporter told; None when
    it says nothing new (a poll finding the same status and note again)."""
    text = (text or "").strip()[:ANSWER_MAX]
    if not text:
        raise ValidationFailed.on("text", i18n.t("forward.problem_empty_answer"))
    # An e-mail or a poll is not JSON the door checked: a NUL no column can hold is named here.
    problem = schemas.unsafe_text(text, "text")
    if problem is not None:
        raise ValidationFailed.of([problem])
    external = services.city.externals.get(forward["external_code"])
    name = external.name if external else forward["external_code"]
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        locked = await repo.lock(conn, forward["id"])
        if locked is None or locked["recalled_at"] is not None:
            raise Conflict(
                i18n.t(
                    "recall.problem_recalled",
                    code=tracking.display(forward["tracking_code"]),
                    external=name,
                )
            )
        if text == forward["last_update"] and status == forward["last_status"]:
            return None
        await repo.answered(conn, forward["id"], now, status, text)
        # The body's words are public (the timeline, the reporter's and supporters' notices):
        # a phone number or a name it quotes is hidden there and kept for the officers only.
        public = privacy.redact(text).text
        event_id = await complaint_repo.add_event(
            conn,
            forward["complaint_id"],
            complaint_repo.EventRow(
                "forward_answer",
                "system",
                now,
                public_note=i18n.t("forward.answer_note", external=name, text=public),
                internal_note=text if public != text else None,
                data={
                    "external": forward["external_code"],
                    "source": source,
                    **({"external_status": status} if status else {}),
                },
            ),
        )
        await notify.complaint_moved(
            conn,
            complaint_id=forward["complaint_id"],
            reporter_id=forward["reporter_id"],
            tracking_code=forward["tracking_code"],
            action="forward_answer",
            agency_name=name,
            note=public,
            event_id=event_id,
            status_url=services.status_url(forward["tracking_code"]),
            now=now,
            channels=services.channels,
        )
    log.info(
        "forward answered code=%s external=%s source=%s",
        forward["tracking_code"],
        forward["external_code"],
        source,
    )
    return event_id


async def answer_from_webhook(
    services: Services, external_code: str, body: Mapping[str, Any]
) -> int | None:
    """A signed answer from an external body (its signature checked by the door):
    {"tracking_code": ..., "text": ..., "status": optional}."""
    code_text = body.get("tracking_code")
    text = body.get("text")
    if not isinstance(code_text, str) or not isinstance(text, str):
        raise ValidationFailed.on("text", i18n.t("forward.problem_answer_fields"))
    status = body.get("status")
    code = tracking.parse_code(code_text)
    async with services.pool.acquire() as conn:
        forward = await repo.by_code(conn, code, external_code)
    if forward is None:
        raise NotFound(i18n.t("forward.problem_not_forwarded"))
    return await answer(
        services,
        forward,
        text,
        status=status[:100] if isinstance(status, str) else None,
        source="webhook",
    )


def _reply_text(message: email.message.Message) -> str:
    """The new words of a reply: its plain text without the quoted message below them."""
    part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    raw = part.get_content() if part is not None else ""
    kept = []
    for line in raw.splitlines():
        if line.startswith(">") or TOKEN_MARK.search(line):
            continue
        if re.match(r"^(On .* wrote:|Pada .* menulis:|-----Original Message-----)\s*$", line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


async def answer_from_mail(services: Services, raw: bytes) -> int | None:
    """An e-mail reply to a forwarded complaint: its token (subject or body) names it."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = TOKEN_MARK.search(str(message.get("Subject", "")))
    text = _reply_text(message)
    if found is None:
        part = message.get_body(preferencelist=("plain",))
        found = TOKEN_MARK.search(part.get_content() if part is not None else "")
    if found is None:
        raise Unauthorized(i18n.t("forward.problem_no_token"))
    async with services.pool.acquire() as conn:
        forward = await repo.by_token(conn, found.group(1))
    if forward is None:
        raise Unauthorized(i18n.t("forward.problem_no_token"))
    return await answer(services, forward, text, source="email")


# ------------------------------------------------------------------------------- polling


async def poll(
    services: Services,
    poster: SignedPoster,
    api_keys: Mapping[str, str],
    *,
    every: timedelta = timedelta(minutes=15),
    batch: int = 50,
) -> int:
    """Ask each Open311 body for the forwarded requests not polled for `every`; a new status
    or note becomes an answer. Returns how many answers came."""
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        due = await repo.due_polls(conn, now, now - every, batch)
    answers = 0
    session = await poster.session()
    for forward in due:
        external = services.city.externals.get(forward["external_code"])
        if external is None or external.channel != "open311":
            continue
        url = f"{(external.url or '').rstrip('/')}/requests/{forward['external_id']}.json"
        params = {"api_key": api_keys[external.code]} if external.code in api_keys else {}
        try:
            async with session.get(url, params=params) as response:
                if response.status != 200:
                    log.warning("forward poll %s answered %s", external.code, response.status)
                    continue
                found = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("forward poll %s failed (%s)", external.code, type(error).__name__)
            continue
        request = found[0] if isinstance(found, list) and found else {}
        if not isinstance(request, dict):
            continue
        status = str(request.get("status") or "")[:100] or None
        note = str(request.get("status_notes") or "").strip()
        if not note and status == forward["last_status"]:
            continue
        text = note or i18n.section("forward.open311_status").get(status or "", status or "-")
        try:
            told = await answer(services, forward, text, status=status, source="open311")
        except Conflict:  # recalled while it was asked
            continue
        except ValidationFailed:  # a note no column can hold: the next request still counts
            log.warning("forward poll %s gave an unreadable note", external.code)
            continue
        if told is not None:
            answers += 1
    return answers


def jobs(settings: Settings, city: CityConfig) -> tuple:
    """The webhook delivery log's pruning (subscribers' and external bodies' attempts), and the
    Open311 poll when the city forwards to an Open311 body. The scheduler is imported here, not
    in lapor.hooks: the SLA that the scheduler runs raises hook events."""
    from apscheduler.triggers.interval import IntervalTrigger

    from lapor import hooks
    from lapor.scheduler import ScheduledJob

    prune = ScheduledJob(
        "webhooks.prune_log",
        hooks.prune_deliveries,
        IntervalTrigger(hours=6, timezone=UTC),
        "forget webhook delivery attempts after ninety days",
    )
    if not any(body.channel == "open311" for body in city.externals.values()):
        return (prune,)
    every = timedelta(minutes=settings.forward_poll_minutes)

    async def run(services: Services) -> int:
        poster = hooks.SignedPoster(services.pool, services.clock, settings.webhook_timeout)
        try:
            return await poll(services, poster, settings.external_api_keys, every=every)
        finally:
            await poster.close()

    return (
        prune,
        ScheduledJob(
            "forwarding.poll_open311",
            run,
            IntervalTrigger(minutes=settings.forward_poll_minutes, timezone=UTC),
            "ask Open311 bodies complaints were forwarded to for their status",
        ),
    )
