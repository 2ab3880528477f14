"""Filing a complaint: idempotent on its key, placed in the city, classified, routed (by area
where the city says so), its priority suggested, its public copy made, and its reporter given
a token."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace

import asyncpg

from lapor import hooks, i18n, priority, privacy, ratelimit, sla, tracking
from lapor.auth import reporter_token
from lapor.city.areas import Place
from lapor.complaints.intake import Intake, place_of
from lapor.complaints.views import is_published
from lapor.context import Services
from lapor.errors import (
    FieldError,
    IdempotencyMismatch,
)
from lapor.photo_store import discard_photos, store_photos
from lapor.photos import Photo
from lapor.repo import complaints as repo
from lapor.repo import idempotency
from lapor.repo import intake as intake_repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filed:
    tracking_code: str
    status: str
    category: str | None
    agency: str | None
    access_token: str
    replayed: bool = False
    hidden: tuple[str, ...] = ()  # kinds of personal data kept out of the public copy
    # The text names someone in an accusation and the citizen did not choose rahasia: they
    # are advised to (a suggestion; their choice stands).
    suggest_rahasia: bool = False
    published: bool = False  # text, location and photos are public now
    priority: str = priority.DEFAULT
    # An emergency under way (a fire, a collapse, someone hurt): the citizen is given the
    # city's emergency numbers before anything else (lapor.emergency).
    emergency: bool = False


def _suggests_rahasia(intake: Intake, copy: privacy.PublicCopy) -> bool:
    return copy.accusation and not intake.rahasia


class _KeyTaken(Exception):
    """Another request holds the idempotency key: undo this one and answer as that one did."""


async def _replay(
    services: Services,
    conn: asyncpg.Connection,
    key: str,
    fingerprint: str,
    intake: Intake,
    copy: privacy.PublicCopy,
) -> Filed | None:
    found = await idempotency.find(conn, key, services.clock.now())
    if found is None:
        return None
    stored_hash, code = found
    if stored_hash != fingerprint:
        raise IdempotencyMismatch(
            i18n.t("validation.idempotency_reused"),
            [FieldError("Idempotency-Key", i18n.t("validation.idempotency_reused_field"))],
        )
    row = await repo.get(conn, code)
    return Filed(
        code,
        row["status"],
        row["category_code"],
        row["agency_code"],
        reporter_token(services.secret_key, code, row["reporter_token_version"]),
        replayed=True,
        hidden=copy.kinds,
        suggest_rahasia=_suggests_rahasia(intake, copy),
        published=is_published(services.city, row["rahasia"], row["verified_at"]),
        priority=row["priority"],
        emergency=_suggested(intake).emergency,
    )


def _suggested(intake: Intake) -> priority.Suggestion:
    return priority.suggest(f"{intake.title or ''}\n{intake.text}")


def _by_area(services: Services, decision, intake: Intake):
    """The decision with the agency the city names for the complaint's area, where it routes
    the category by area: the point's kecamatan or kelurahan, or else what the citizen typed.
    A point outside the city is refused (parse_intake refuses it first for the doors)."""
    city = services.city
    place = place_of(city, intake.location)
    if decision.status != "assigned" or decision.category not in city.area_routes:
        return decision
    place = place or Place(intake.location.kecamatan, intake.location.kelurahan)
    agency = city.agency_for(decision.category, place).code
    return decision if agency == decision.agency else replace(decision, agency=agency)


async def file_complaint(
    services: Services,
    intake: Intake,
    idempotency_key: str | None = None,
    *,
    hit: ratelimit.Hit | None = None,
) -> Filed:
    """Store a new complaint with its photos and first events, routed through the one seam,
    and the public copy of its text with the personal data found in it hidden. `hit`, a
    door's rate limit, is counted before anything else is written, on the same connection:
    in the statement that files the complaint when that is all (no photos, no key)."""
    async with services.pool.acquire() as conn:
        return await _file(services, conn, intake, idempotency_key, hit)


async def _file(
    services: Services,
    conn: asyncpg.Connection,
    intake: Intake,
    idempotency_key: str | None,
    hit: ratelimit.Hit | None,
) -> Filed:
    # Without photos or a key the filing is one statement, atomic on its own: no BEGIN/COMMIT,
    # and the hit counted in it.
    one_statement = not (intake.photos or idempotency_key)
    if hit is not None and not one_statement:
        await ratelimit.hit(services, hit.key, hit.limit, hit.detail, conn=conn)
        hit = None
    fingerprint = intake.fingerprint() if idempotency_key else ""
    copy = privacy.public_copy(intake.text, intake.title)
    if idempotency_key:
        replay = await _replay(services, conn, idempotency_key, fingerprint, intake, copy)
        if replay is not None:
            return replay

    decision = _by_area(services, services.router.route(intake.text, intake.category_hint), intake)
    suggested = _suggested(intake)
    now = services.clock.now()
    written: list[Photo] = []
    try:
        async with contextlib.nullcontext() if one_statement else conn.transaction():
            # The reporter, the complaint with its first deadlines and its first events: one
            # statement, so one round trip.
            complaint_id, code = await _insert_complaint(
                conn,
                services,
                intake,
                copy,
                decision,
                _first_events(intake, copy, decision, suggested, now),
                now,
                hit,
                suggested.priority,
            )
            for position, photo in enumerate(intake.photos, start=1):
                await repo.add_photo(
                    conn,
                    complaint_id,
                    position,
                    photo.sha256,
                    photo.media_type,
                    photo.size,
                )
            if idempotency_key and not await idempotency.claim(
                conn, idempotency_key, fingerprint, complaint_id, now
            ):
                raise _KeyTaken
            # The files last, when only the commit is left: a refused row leaves no file.
            written = await store_photos(services.photos, intake.photos)
    except _KeyTaken:
        replay = await _replay(services, conn, idempotency_key or "", fingerprint, intake, copy)
        if replay is None:  # the other holder rolled back after all: try once more as new
            return await _file(services, conn, intake, idempotency_key, None)
        return replay
    except BaseException:
        await discard_photos(services.photos, written)
        raise
    log.info(
        "complaint filed code=%s channel=%s status=%s agency=%s category=%s priority=%s hidden=%s",
        code,
        intake.channel,
        decision.status,
        decision.agency,
        decision.category,
        suggested.priority,
        ",".join(copy.kinds) or "-",
    )
    services.metrics.complaint_filed(intake.channel, auto_routed=decision.status == "assigned")
    return Filed(
        code,
        decision.status,
        decision.category,
        decision.agency,
        reporter_token(services.secret_key, code),
        hidden=copy.kinds,
        suggest_rahasia=_suggests_rahasia(intake, copy),
        published=is_published(services.city, intake.rahasia, verified_at=None),
        priority=suggested.priority,
        emergency=suggested.emergency,
    )


def _first_events(
    intake: Intake, copy: privacy.PublicCopy, decision, suggested: priority.Suggestion, now
) -> list[repo.EventRow]:
    """The timeline a complaint starts with: received, and routed when it was."""
    events = [
        repo.EventRow(
            "received",
            "reporter",
            now,
            to_status="received",
            data={
                "channel": intake.channel,
                # What the citizen was told at intake, kept as it was then.
                **({"hidden": list(copy.kinds)} if copy.kinds else {}),
                **({"rahasia_suggested": True} if _suggests_rahasia(intake, copy) else {}),
                # The priority the words suggested, and the words (for the desk to judge).
                "priority": suggested.priority,
                **({"priority_words": list(suggested.words)} if suggested.words else {}),
            },
        )
    ]
    if decision.status == "assigned":
        events.append(
            repo.EventRow(
                "routed",
                "system",
                now,
                from_status="received",
                to_status="assigned",
                to_agency=decision.agency,
                data={
                    "category": decision.category,
                    "confidence": decision.confidence,
                    "model_version": decision.model_version,
                    "reason": decision.reason,
                },
            )
        )
    return events


async def _insert_complaint(
    conn,
    services: Services,
    intake: Intake,
    copy: privacy.PublicCopy,
    decision,
    events,
    now,
    hit: ratelimit.Hit | None,
    level: str = priority.DEFAULT,
) -> tuple[int, str]:
    loc = intake.location
    suggestions = [
        {"category": s.category, "confidence": s.confidence} for s in decision.suggestions
    ]
    assigned_at = now if decision.status == "assigned" else None
    deadlines = sla.first_deadlines(  # what sla.refresh would store right after the insert
        services.city,
        status=decision.status,
        category_code=decision.category,
        agency_code=decision.agency,
        created_at=now,
        assigned_at=assigned_at,
        priority=level,
    )
    r = intake.reporter
    reporter = None if r is None else (intake.channel, r.name, r.phone, r.email, r.chat_id)
    reporter_id = None
    for _ in range(5):  # 45 random bits: a collision is rare, and then we draw again
        code = tracking.new_code()
        reporter_id, complaint_id, hits = await intake_repo.insert_filed(
            conn,
            reporter,
            (
                code,
                intake.title,
                intake.text,
                decision.category,
                intake.category_hint,
                decision.agency,
                decision.status,
                intake.rahasia,
                intake.anonim,
                loc.lat,
                loc.lon,
                loc.address,
                loc.kelurahan,
                loc.kecamatan,
                intake.channel,
                reporter_id,
                decision.predicted_category,
                decision.confidence,
                decision.model_version,
                decision.auto_routed,
                suggestions,
                now,
                assigned_at,
                list(decision.top_terms),
                decision.non_complaint,
                copy.title,
                copy.text,
            ),
            deadlines,
            events,
            None if hit is None else hit.values(now),
            level,
            dict(intake.attributes),
            None
            if intake.rahasia
            else hooks.created_payload(
                code,
                now,
                status=decision.status,
                category=decision.category,
                agency=decision.agency,
                kecamatan=loc.kecamatan,
                kelurahan=loc.kelurahan,
            ),
        )
        if hit is not None:
            hit.check(hits, now, services.metrics)  # past the limit only the hit was written
            hit = None  # counted: the next try only files
        if complaint_id is not None:
            return complaint_id, code
        reporter = None  # written already: the next try uses its id
    raise RuntimeError("could not draw an unused tracking code")
