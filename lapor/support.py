"""One incident, many reporters: at intake, the open complaints near a new report that say much
the same are offered (`similar`); the citizen may support one ("Saya juga mengalami",
`support`) instead of filing, and then follows it: every public change reaches them on their
own channel (notify.complaint_moved tells the supporters too). A merge makes the duplicate's
reporter and supporters supporters of the original (`merge_supporters`, called by
lifecycle.act). `supporters(conn, complaint_id)` lists who supports a complaint.

A supporter's contact is a `reporter` row of its own per support: personal data, kept and
erased like a reporter's (lapor/erasure.py), never on a public answer."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, ratelimit, tracking
from lapor.erasure import normalize_phone
from lapor.errors import Conflict, FieldError, IdempotencyMismatch, ValidationFailed
from lapor.repo import complaints as complaint_repo
from lapor.repo import idempotency
from lapor.repo import support as repo
from lapor.sla_rules import OPEN_STATUSES
from lapor.tracking import parse_code

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

SUMMARY_MAX = 200
CANDIDATES_MAX = 5
TEXT_MIN = 3
CHANNELS = ("web", "telegram", "whatsapp", "sms", "open311")  # complaints.intake's


@dataclass(frozen=True)
class Contact:
    """How a supporter may be reached (all optional): what they typed on the web, or their chat."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    chat_id: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An open, public complaint a new report may be about: public words only."""

    tracking_code: str
    title: str | None
    summary: str
    category: str | None
    distance_m: int
    support_count: int
    similarity: float

    @property
    def display_code(self) -> str:
        return tracking.display(self.tracking_code)

    def as_dict(self) -> dict[str, object]:
        return {
            "tracking_code": self.tracking_code,
            "display_code": self.display_code,
            "title": self.title,
            "summary": self.summary,
            "category": self.category,
            "distance_m": self.distance_m,
            "support_count": self.support_count,
            "similarity": round(self.similarity, 3),
        }


@dataclass(frozen=True)
class Supported:
    tracking_code: str
    support_count: int
    replayed: bool = False  # this person (or this key) supported it before: nothing changed
    own: bool = False  # the reporter of the complaint themselves: nothing to add
    following: bool = False  # they left a way to be told of its changes
    by_key: bool = False  # the same Idempotency-Key came before: the answer is a replay


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 3].rstrip() + "..."


def guess_category(services: Services, text: str, category: str | None) -> str | None:
    """The citizen's category, else the router's guess from the words (None: any)."""
    if category:
        return category
    try:
        decision = services.router.route(text, None)
    except ValueError:  # nothing the model can read
        return None
    return decision.category or decision.predicted_category


async def similar(
    services: Services,
    text: str,
    lat: float | None,
    lon: float | None,
    category: str | None = None,
    *,
    limit: int = CANDIDATES_MAX,
    conn: asyncpg.Connection | None = None,
) -> list[Candidate]:
    """Open complaints within the city's [duplicates] radius_m of the point, in the same
    category (the citizen's or the router's guess) and at least [duplicates] similarity alike
    (pg_trgm); never rahasia, never unpublished, never a word of a reporter. Without a point
    or words there is nothing to compare: no candidates."""
    text = (text or "").strip()
    if lat is None or lon is None or len(text) < TEXT_MIN:
        return []
    if category is not None and category not in services.city.categories:
        raise ValidationFailed.on(
            "category", i18n.t("problem.unknown_category", value=repr(category[:40]))
        )
    rules = services.city.duplicates
    category = guess_category(services, text, category)

    lat_degrees = rules.radius_m / repo.METRES_PER_DEGREE
    lon_degrees = lat_degrees / max(0.01, math.cos(math.radians(lat)))
    args = (
        text[:5000],
        float(lat),
        float(lon),
        category,
        float(rules.radius_m),
        lat_degrees,
        lon_degrees,
        services.city.publishes_immediately,
        float(rules.similarity),
        max(1, min(limit, CANDIDATES_MAX)),
    )
    if conn is not None:
        rows = await repo.similar(conn, *args)
    else:
        rows = await services.public_read(partial(_similar_rows, args=args))
    return [
        Candidate(
            row["tracking_code"],
            row["public_title"],
            _summary(row["public_body"]),
            row["category_code"],
            round(row["distance_m"]),
            row["support_count"],
            float(row["score"]),
        )
        for row in rows
    ]


async def _similar_rows(services: Services, args: tuple) -> list[asyncpg.Record]:
    async with services.pool.acquire() as conn:
        return await repo.similar(conn, *args)


# ------------------------------------------------------------------------------ supporting


def contact_key(
    channel: str, chat_id: str | None, phone: str | None, email: str | None
) -> str | None:
    """Who a contact is, so the same person supports a complaint once: a Telegram chat; a
    phone number (a WhatsApp or SMS chat is one); an e-mail address. None: nobody to know."""
    if channel == "telegram" and chat_id:
        return f"telegram:{chat_id}"
    number = normalize_phone(chat_id if channel in ("whatsapp", "sms") and chat_id else phone)
    if number and len(number) >= 8:
        return f"phone:{number}"
    if email and email.strip():
        return f"email:{email.strip().lower()}"
    return None


def _fingerprint(code: str, channel: str, contact: Contact | None) -> str:
    content = {"code": code, "channel": channel, "contact": None}
    if contact is not None:
        content["contact"] = [contact.name, contact.phone, contact.email, contact.chat_id]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def support(
    services: Services,
    code_text: str,
    contact: Contact | None,
    channel: str,
    idempotency_key: str | None = None,
    *,
    conn: asyncpg.Connection | None = None,
    hit: ratelimit.Hit | None = None,
) -> Supported:
    """The citizen supports an open complaint ("Saya juga mengalami") and follows it. Once
    per person (their contact) and per Idempotency-Key; the complaint's own reporter adds
    nothing. Refusals: 404 for an unknown or rahasia code, 409 for a complaint no longer open.
    With `conn`, it joins the caller's transaction (the bots' turn)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    code = parse_code(code_text)
    if conn is not None:
        async with conn.transaction():
            return await _support(services, conn, code, contact, channel, idempotency_key, hit)
    async with services.pool.acquire() as own, own.transaction():
        return await _support(services, own, code, contact, channel, idempotency_key, hit)


async def _support(
    services: Services,
    conn: asyncpg.Connection,
    code: str,
    contact: Contact | None,
    channel: str,
    key: str | None,
    hit: ratelimit.Hit | None,
) -> Supported:
    now = services.clock.now()
    fingerprint = _fingerprint(code, channel, contact)
    if key is not None:
        found = await repo.find_by_key(conn, key, now - idempotency.KEY_LIFETIME)
        if found is not None:
            if found["request_hash"] != fingerprint:
                raise IdempotencyMismatch(
                    i18n.t("validation.idempotency_reused"),
                    [FieldError("Idempotency-Key", i18n.t("validation.idempotency_reused_field"))],
                )
            return Supported(
                found["tracking_code"], found["support_count"], replayed=True, by_key=True
            )
    if hit is not None:
        # Counted before the contact is compared: the answer tells whether it is the
        # reporter's or a supporter's, so an unlimited number of tries would name them.
        await ratelimit.hit(services, hit.key, hit.limit, hit.detail, conn=conn)
    row = await repo.lock_for_support(conn, code)
    if row is None or row["rahasia"]:  # a rahasia complaint is unknown to strangers
        raise complaint_repo.unknown_code()
    if row["status"] not in OPEN_STATUSES:
        raise Conflict(i18n.t("support.problem_closed", code=tracking.display(code)))
    c = contact or Contact()
    who = contact_key(channel, c.chat_id, c.phone, c.email)
    following = who is not None
    mine = contact_key(
        row["reporter_channel"] or "",
        row["reporter_chat_id"],
        row["reporter_phone"],
        row["reporter_email"],
    )
    if who is not None and who == mine:
        return Supported(code, row["support_count"], own=True, following=True)
    if who is not None and await repo.find_by_contact(conn, row["id"], who):
        return Supported(code, row["support_count"], replayed=True, following=True)
    inserted = await repo.insert_supporter(
        conn,
        row["id"],
        channel,
        c.name,
        c.phone,
        c.email,
        c.chat_id,
        "support",
        who,
        key,
        now,
        fingerprint,
    )
    if inserted is None:  # a concurrent request with the same key or contact won
        return Supported(code, row["support_count"], replayed=True, following=following)
    # No timeline event: a popular complaint would drown its timeline; the count says it.
    count = await repo.add_support(conn, row["id"], 1)
    log.info("complaint supported code=%s channel=%s count=%s", code, channel, count)
    return Supported(code, count, following=following)


async def merge_supporters(
    conn: asyncpg.Connection, duplicate_id: int, original_id: int, reporter_id: int | None, now
) -> int:
    """On a merge (in lifecycle.act's transaction): the duplicate's reporter and its
    supporters become supporters of the original, each with a copy of their contact (the
    duplicate's is erased on its own schedule); someone who supports it already, or is its
    reporter, is not counted twice. Returns how many were added. A rahasia original gets
    none: they are strangers to it, and its notices would tell them its code and progress
    (the merge's public note hides that code too)."""
    original = await repo.lock_by_id(conn, original_id)
    if original is None or original["rahasia"]:
        return 0
    people: list[asyncpg.Record] = []
    if reporter_id is not None:
        found = await repo.reporter(conn, reporter_id)
        if found is not None:
            people.append(found)
    people.extend(await repo.supporters(conn, duplicate_id))
    original_reporter = await repo.reporter_of_complaint(conn, original_id)
    theirs = (
        None
        if original_reporter is None
        else contact_key(
            original_reporter["channel"],
            original_reporter["chat_id"],
            original_reporter["phone"],
            original_reporter["email"],
        )
    )
    added = 0
    for person in people:
        who = contact_key(person["channel"], person["chat_id"], person["phone"], person["email"])
        if who is not None and who == theirs:
            continue
        inserted = await repo.insert_supporter(
            conn,
            original_id,
            person["channel"],
            person["name"],
            person["phone"],
            person["email"],
            person["chat_id"],
            "merged",
            who,
            None,
            now,
            None,
        )
        added += inserted is not None
    if added:
        await repo.add_support(conn, original_id, added)
    return added


async def supporters(conn: asyncpg.Connection, complaint_id: int) -> list[dict[str, object]]:
    """Who supports a complaint, in the order they came: the source ("support" or "merged"),
    the channel and contact they left (personal data: for officers and tests, never for a
    public answer), the language of their chat."""
    return [
        {
            "id": row["id"],
            "reporter_id": row["reporter_id"],
            "source": row["source"],
            "channel": row["channel"],
            "chat_id": row["chat_id"],
            "phone": row["phone"],
            "email": row["email"],
            "name": row["name"],
            "language": row["language"],
            "created_at": row["created_at"],
        }
        for row in await repo.supporters(conn, complaint_id)
    ]
