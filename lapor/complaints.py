"""Complaints: intake from any channel, the public and the officer views, and the queue."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from lapor import i18n, privacy, schemas, sla, tracking
from lapor.auth import Officer, is_reporter_token, reporter_token
from lapor.city import CityConfig
from lapor.context import Services
from lapor.errors import (
    FieldError,
    Forbidden,
    IdempotencyMismatch,
    NotFound,
    Unauthorized,
    ValidationFailed,
)
from lapor.lifecycle import OPEN_STATUSES, STATUS_LABELS
from lapor.photos import (
    ORIGINAL,
    Photo,
    check_photo_count,
    discard_photos,
    read_photo,
    store_photos,
)
from lapor.repo import complaints as repo
from lapor.repo import idempotency
from lapor.tracking import parse_code

log = logging.getLogger(__name__)

TEXT_MIN, TEXT_MAX = 10, 5000
CHANNELS = ("web", "telegram", "whatsapp")
# Indonesia from Sabang to Merauke, Miangas to Rote, with a little margin at sea.
LAT_RANGE, LON_RANGE = (-11.5, 6.5), (94.0, 141.5)

# Timeline kinds the public may see; reminders and escalations stay internal.
PUBLIC_EVENT_KINDS = frozenset(
    {
        "received",
        "routed",
        "verify",
        "reject",
        "transfer",
        "start",
        "respond",
        "resolve",
        "not_ours",
        "reopen",
        "close",
        "merge",
    }
)


@dataclass(frozen=True)
class Location:
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None


@dataclass(frozen=True)
class ReporterContact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    chat_id: str | None = None


@dataclass(frozen=True)
class Intake:
    text: str
    channel: str
    title: str | None = None
    category_hint: str | None = None
    rahasia: bool = False
    anonim: bool = False
    location: Location = field(default_factory=Location)
    reporter: ReporterContact | None = None
    photos: tuple[Photo, ...] = ()

    def fingerprint(self) -> str:
        """What makes two submissions 'the same request' for idempotency."""
        content = asdict(self)
        content["photos"] = [photo.sha256 for photo in self.photos]
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


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


def _suggests_rahasia(intake: Intake, copy: privacy.PublicCopy) -> bool:
    return copy.accusation and not intake.rahasia


@dataclass(frozen=True)
class Viewer:
    officer: Officer | None = None
    token: str | None = None


# ---------------------------------------------------------------- validation of what came in


def parse_intake(
    data: Any,
    *,
    channel: str,
    category_codes: Sequence[str],
    rahasia_default: bool = False,
    anonim_default: bool = False,
    photos: Sequence[Photo] = (),
    chat_id: str | None = None,
) -> Intake:
    """Check a submission from any channel against the one schema (`schemas.NewComplaint`),
    then what only the city knows; every problem is reported with its field name."""
    errors: list[FieldError] = []
    try:
        sent = schemas.check(schemas.NewComplaint, data)
    except ValidationFailed as error:
        errors.extend(error.errors)
        sent = None
    try:
        check_photo_count(len(photos))
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    # What only the city knows, and what concerns two fields: checked on what was sent even
    # when the model refused something else, so that every problem is named at once.
    raw = data if isinstance(data, Mapping) else {}
    category = raw.get("category")
    if (
        isinstance(category, str)
        and category.strip()
        and category.strip() not in category_codes
        and "category" not in {e.field for e in errors}
    ):
        errors.append(
            FieldError(
                "category",
                i18n.t("validation.category_unknown_named", category=repr(category[:40])),
            )
        )
    where = raw.get("location")
    if isinstance(where, Mapping) and (where.get("lat") is None) != (where.get("lon") is None):
        errors.append(FieldError("location", i18n.t("validation.lat_lon_together")))
    if errors:
        raise ValidationFailed.of(errors)
    assert sent is not None
    where = sent.location or schemas.Location()
    location = Location(
        where.lat,
        where.lon,
        where.address or None,
        where.kelurahan or None,
        where.kecamatan or None,
    )
    reporter = None
    if sent.reporter is not None:
        r = sent.reporter
        reporter = ReporterContact(r.name or None, r.phone or None, r.email or None, chat_id)
    elif chat_id is not None:
        reporter = ReporterContact(chat_id=chat_id)
    return Intake(
        text=sent.text,
        channel=channel,
        title=sent.title or None,
        category_hint=sent.category,
        rahasia=rahasia_default if sent.rahasia is None else sent.rahasia,
        anonim=anonim_default if sent.anonim is None else sent.anonim,
        location=location,
        reporter=reporter,
        photos=tuple(photos),
    )


# ---------------------------------------------------------------------------------- intake


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
    )


async def file_complaint(
    services: Services, intake: Intake, idempotency_key: str | None = None
) -> Filed:
    """Store a new complaint with its photos and first events, routed through the one seam,
    and the public copy of its text with the personal data found in it hidden."""
    fingerprint = intake.fingerprint() if idempotency_key else ""
    copy = privacy.public_copy(intake.text, intake.title)
    if idempotency_key:
        async with services.pool.acquire() as conn:
            replay = await _replay(services, conn, idempotency_key, fingerprint, intake, copy)
        if replay is not None:
            return replay

    decision = services.router.route(intake.text, intake.category_hint)
    now = services.clock.now()
    written: list[Photo] = []
    try:
        async with services.pool.acquire() as conn, conn.transaction():
            reporter_id = None
            if intake.reporter is not None:
                r = intake.reporter
                reporter_id = await repo.insert_reporter(
                    conn, intake.channel, r.name, r.phone, r.email, r.chat_id
                )
            complaint_id, code = await _insert_complaint(
                conn, intake, copy, decision, reporter_id, now
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
            await repo.add_event(
                conn,
                complaint_id,
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
                    },
                ),
            )
            if decision.status == "assigned":
                await repo.add_event(
                    conn,
                    complaint_id,
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
                    ),
                )
            await sla.refresh(conn, services.city, complaint_id, now)  # its first deadlines
            if idempotency_key and not await idempotency.claim(
                conn, idempotency_key, fingerprint, complaint_id, now
            ):
                raise _KeyTaken
            # The files last, when only the commit is left: a refused row leaves no file.
            written = store_photos(services.photos, intake.photos)
    except _KeyTaken:
        async with services.pool.acquire() as conn:
            replay = await _replay(services, conn, idempotency_key or "", fingerprint, intake, copy)
        if replay is None:  # the other holder rolled back after all: try once more as new
            return await file_complaint(services, intake, idempotency_key)
        return replay
    except BaseException:
        discard_photos(services.photos, written)
        raise
    log.info(
        "complaint filed code=%s channel=%s status=%s agency=%s category=%s hidden=%s",
        code,
        intake.channel,
        decision.status,
        decision.agency,
        decision.category,
        ",".join(copy.kinds) or "-",
    )
    return Filed(
        code,
        decision.status,
        decision.category,
        decision.agency,
        reporter_token(services.secret_key, code),
        hidden=copy.kinds,
        suggest_rahasia=_suggests_rahasia(intake, copy),
        published=is_published(services.city, intake.rahasia, verified_at=None),
    )


async def _insert_complaint(
    conn, intake: Intake, copy: privacy.PublicCopy, decision, reporter_id, now
) -> tuple[int, str]:
    loc = intake.location
    suggestions = [
        {"category": s.category, "confidence": s.confidence} for s in decision.suggestions
    ]
    for _ in range(5):  # 45 random bits: a collision is rare, and then we draw again
        code = tracking.new_code()
        complaint_id = await repo.insert_complaint(
            conn,
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
            now if decision.status == "assigned" else None,
            list(decision.top_terms),
            decision.non_complaint,
            copy.title,
            copy.text,
        )
        if complaint_id is not None:
            return complaint_id, code
    raise RuntimeError("could not draw an unused tracking code")


# ----------------------------------------------------------------------------------- views


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _agency(code: str | None, name: str | None) -> dict[str, str] | None:
    return None if code is None else {"code": code, "name": name or code}


def _visible(services: Services, row: asyncpg.Record, viewer: Viewer) -> bool:
    if viewer.officer is not None and viewer.officer.may_see(row["agency_code"]):
        return True
    return is_reporter_token(
        services.secret_key, row["tracking_code"], viewer.token, row["reporter_token_version"]
    )


def _officer_sees(row: asyncpg.Record, viewer: Viewer) -> bool:
    return viewer.officer is not None and viewer.officer.may_see(row["agency_code"])


def is_published(city: CityConfig, rahasia: bool, verified_at: datetime | None) -> bool:
    """Whether the public may read a complaint's text and see its location and photos: never
    a rahasia one; otherwise at once or after an officer's verification (`verified_at`, see
    lifecycle.VERIFYING_ACTIONS), as the city's [privacy] publish says. Its status and public
    timeline are visible by code regardless. (repo/public.py says the same in SQL.)"""
    if rahasia:
        return False
    return city.publishes_immediately or verified_at is not None


def _original_code(row: asyncpg.Record, viewer: Viewer) -> str | None:
    """The code a merged complaint points at, unless that original is rahasia and the viewer
    may not see it: merging into a rahasia complaint must not publish its code."""
    if not row["duplicate_of_rahasia"]:
        return row["duplicate_of_code"]
    if viewer.officer is not None and viewer.officer.may_see(row["duplicate_of_agency"]):
        return row["duplicate_of_code"]
    return None


def _public_event(event: asyncpg.Record) -> dict[str, Any]:
    status = event["to_status"]
    return {
        "kind": event["kind"],
        "status": status,
        "status_label": STATUS_LABELS.get(status) if status else None,
        "agency": _agency(event["to_agency"], event["to_agency_name"]),
        "note": event["public_note"],
        "at": _iso(event["created_at"]),
    }


async def public_view(services: Services, code_text: str, viewer: Viewer) -> dict[str, Any]:
    """What anyone may see: never the reporter, and nothing at all of a rahasia complaint.

    A complaint that is not rahasia is public (the choice the citizen made when filing, as on
    LAPOR!): once published (`is_published`) the public copy of its title and text, its
    location and photos are shown; before that, and for a rahasia one shown to its reporter
    and the officers, only its status and public timeline. To anyone else a rahasia
    complaint is an unknown code, to the byte."""
    return await _public_view(services, code_text, viewer, check=True)


async def moved_view(services: Services, code_text: str, officer: Officer) -> dict[str, Any]:
    """The answer to an officer whose move (a transfer, "bukan wewenang") took the complaint
    out of their sight: its public view, even of a rahasia one. The move was theirs to make,
    and so is knowing its result; the text and the reporter stay with the new holder."""
    return await _public_view(services, code_text, Viewer(officer=officer), check=False)


async def _public_view(
    services: Services, code_text: str, viewer: Viewer, *, check: bool
) -> dict[str, Any]:
    code = parse_code(code_text)
    async with services.pool.acquire() as conn:
        row = await repo.get(conn, code)
        if check and row["rahasia"] and not _visible(services, row, viewer):
            raise repo.unknown_code()
        published = is_published(services.city, row["rahasia"], row["verified_at"])
        events = await repo.timeline(conn, row["id"])
        photos = await repo.photos(conn, row["id"]) if published else []
    view: dict[str, Any] = {
        "tracking_code": code,
        "display_code": tracking.display(code),
        "status": row["status"],
        "status_label": STATUS_LABELS[row["status"]],
        "category": (
            {"code": row["category_code"], "name": row["category_name"]}
            if row["category_code"]
            else None
        ),
        "agency": _agency(row["agency_code"], row["agency_name"]),
        "rahasia": row["rahasia"],
        "published": published,
        "duplicate_of": _original_code(row, viewer),  # merged: the original's tracking code
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "timeline": [_public_event(e) for e in events if e["kind"] in PUBLIC_EVENT_KINDS],
    }
    if published:
        # The public copy: NULL only for a complaint filed before the copies existed and not
        # yet backfilled (moderation.backfill_public_copies), which shows no text until then.
        view["title"] = row["public_title"]
        view["text"] = row["public_body"]
        view["location"] = _location(row, public=True)
        # A photo hidden by moderation is not there for the public (officers: full_view).
        view["photos"] = _photo_links(code, [p for p in photos if p["hidden_at"] is None])
    return view


def _photo_links(code: str, photos: Sequence[asyncpg.Record]) -> list[dict[str, Any]]:
    return [
        {
            "position": p["position"],
            "media_type": p["media_type"],
            "size_bytes": p["size_bytes"],
            "proof": p["event_id"] is not None,  # attached by an officer on resolving
            "url": f"/api/v1/complaints/{code}/photos/{p['position']}",
            "display_url": f"/api/v1/complaints/{code}/photos/{p['position']}?size=display",
            "thumb_url": f"/api/v1/complaints/{code}/photos/{p['position']}?size=thumb",
            "hidden": p["hidden_at"] is not None,  # from the public, by moderation
        }
        for p in photos
    ]


PLACE_FIELDS = ("address", "kelurahan", "kecamatan")


def _location(row: asyncpg.Record, *, public: bool = False) -> dict[str, Any] | None:
    if row["latitude"] is None and not row["address"] and not row["kelurahan"]:
        return None
    location = {
        "lat": row["latitude"],
        "lon": row["longitude"],
        **{name: row[name] for name in PLACE_FIELDS},
    }
    if public:  # the citizen types the place too ("depan rumah saya, hubungi 0812...")
        location.update({name: privacy.redact_place(location[name]) for name in PLACE_FIELDS})
    return location


async def full_view(services: Services, code_text: str, officer: Officer) -> dict[str, Any]:
    """The officer's view: text, photos, routing facts, the whole timeline, and the reporter's
    contact unless the complaint is anonim (then nobody sees it, officers included)."""
    code = parse_code(code_text)
    async with services.pool.acquire() as conn:
        row = await repo.get(conn, code)
        if not officer.may_see(row["agency_code"]):
            if row["rahasia"]:
                raise repo.unknown_code()
            raise Forbidden(i18n.t("problem.not_your_agency"))
        reporter = None if row["anonim"] else await repo.reporter(conn, row["reporter_id"])
        shown = [name for name in IDENTITY_FIELDS if reporter is not None and reporter[name]]
        if shown:
            await _record_identity_view(services, conn, row["id"], officer, shown)
        events = await repo.timeline(conn, row["id"])
        photos = await repo.photos(conn, row["id"])
        looked = await repo.identity_views(conn, row["id"]) if officer.role == "admin" else None
    view = await public_view(services, code, Viewer(officer=officer))
    found = privacy.public_copy(row["body"], row["title"])
    view.update(
        {
            "title": row["title"],
            "text": row["body"],
            # What the public reads instead, and why (officers may edit it: moderation.py).
            "public_copy": {"title": row["public_title"], "text": row["public_body"]},
            "privacy": {"found": list(found.kinds), "accusation": found.accusation},
            "verified_at": _iso(row["verified_at"]),
            "anonim": row["anonim"],
            "channel": row["channel"],
            "category_hint": row["category_hint"],
            "location": _location(row),
            "routing": {
                "predicted_category": row["predicted_category"],
                "confidence": row["confidence"],
                "model_version": row["model_version"],
                "auto_routed": row["auto_routed"],
                "non_complaint": row["non_complaint"],
                "suggestions": row["suggestions"],
                "top_terms": row["routing_terms"],
            },
            "sla": _sla(services, row),
            "deadlines": {
                "due_at": _iso(row["due_at"]),
                "verify_due_at": _iso(row["verify_due_at"]),
                "response_due_at": _iso(row["response_due_at"]),
                "resolve_due_at": _iso(row["resolve_due_at"]),
                "close_due_at": _iso(row["close_due_at"]),
            },
            "photos": _photo_links(code, photos),
            "reporter": None
            if reporter is None
            else {
                "name": reporter["name"],
                "phone": reporter["phone"],
                "email": reporter["email"],
                "channel": reporter["channel"],
            },
            # The admin's audit: who was shown the reporter's identity, and when.
            **(
                {}
                if looked is None
                else {
                    "identity_views": [
                        {
                            "officer": v["officer_name"],
                            "username": v["username"],
                            "fields": list(v["fields"]),
                            "at": _iso(v["viewed_at"]),
                        }
                        for v in looked
                    ]
                }
            ),
            "timeline": [
                {
                    **_public_event(e),
                    "from_status": e["from_status"],
                    "from_agency": _agency(e["from_agency"], e["from_agency_name"]),
                    "actor": e["actor_kind"],
                    "officer": e["officer_name"],
                    "internal_note": e["internal_note"],
                    "data": e["data"],
                }
                for e in events
            ],
        }
    )
    return view


IDENTITY_FIELDS = ("name", "phone", "email")


async def _record_identity_view(
    services: Services,
    conn: asyncpg.Connection,
    complaint_id: int,
    officer: Officer,
    shown: list[str],
) -> None:
    """Leave an audit row when an officer is shown who reported: the admin can see who looked,
    and when. One per officer and complaint within an hour, so that reloading a page does not
    bury the trail; concurrent views serialize on an advisory lock."""
    async with conn.transaction():
        await repo.record_identity_view(conn, complaint_id, officer.id, shown, services.clock.now())


async def photo(
    services: Services, code_text: str, position: int, viewer: Viewer, size: str = ORIGINAL
) -> tuple[bytes, str]:
    """A photo of a published complaint, to anyone; of one not (yet) published or rahasia, to
    its reporter and officers; a photo hidden by moderation only to officers (to anyone else
    it answers as a photo that does not exist). ``size``: the stored original, or its
    "display" or "thumb" copy (always a JPEG)."""
    code = parse_code(code_text)
    async with services.pool.acquire() as conn:
        row = await repo.get(conn, code)
        if row["rahasia"] and not _visible(services, row, viewer):
            raise repo.unknown_code()  # not "no such photo": that would say the code exists
        published = is_published(services.city, row["rahasia"], row["verified_at"])
        if not published and not _visible(services, row, viewer):
            raise NotFound(i18n.t("problem.photo_not_found"))
        found = [p for p in await repo.photos(conn, row["id"]) if p["position"] == position]
    if found and found[0]["hidden_at"] is not None and not _officer_sees(row, viewer):
        found = []  # hidden by moderation: to all but officers, as if it did not exist
    if not found:
        raise NotFound(i18n.t("problem.photo_not_found"))
    return await read_photo(services.photos, found[0]["sha256"], found[0]["media_type"], size)


# ----------------------------------------------------------------------------------- queue


def _sla(
    services: Services, row: asyncpg.Record, now: datetime | None = None
) -> dict[str, Any] | None:
    """The working time left in an open complaint's current stage, with its colour."""
    if row["status"] not in OPEN_STATUSES:
        return None
    state = sla.sla_state(
        services.city,
        row["sla_stage"],
        row["due_at"],
        now or services.clock.now(),
        row["category_code"],
    )
    return None if state is None else state.as_json()


def _encode_cursor(row: asyncpg.Record) -> str:
    payload = [_iso(row["due_at"]), _iso(row["created_at"]), row["id"]]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime | None, datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        due, created, ident = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(ident, int) or not 0 < ident <= schemas.INT64_MAX:
            raise ValueError("the id is not a row's")
        return (
            None if due is None else datetime.fromisoformat(due),
            datetime.fromisoformat(created),
            ident,
        )
    except (ValueError, TypeError, RecursionError, binascii.Error):
        raise ValidationFailed.on("cursor", i18n.t("problem.bad_cursor")) from None


def officer_scope(
    services: Services, officer: Officer, agency: str | None, limit: int, *, forbidden: str
) -> str | None:
    """The agency an officer's list covers, and its page size checked: an officer sees only
    their own agency (naming another is `forbidden`); the admin and the desk see the agency
    they name, or all (None)."""
    if officer.role == "officer":
        if agency is not None and agency != officer.agency_code:
            raise Forbidden(forbidden)
        agency = officer.agency_code
    elif agency is not None and agency not in services.city.agencies:
        raise ValidationFailed.on(
            "agency", i18n.t("problem.unknown_agency", value=repr(agency[:40]))
        )
    if not 1 <= limit <= 200:
        raise ValidationFailed.on("limit", "limit antara 1 dan 200")
    return agency


def queue_statuses(officer: Officer) -> tuple[str, ...]:
    if officer.role == "verifier":
        return ("received",)
    if officer.role == "admin":
        return OPEN_STATUSES
    return ("assigned", "in_progress")


async def queue(
    services: Services,
    officer: Officer,
    *,
    status: str | None = None,
    category: str | None = None,
    agency: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The caller's open complaints, most urgent deadline first, then the oldest."""
    statuses = queue_statuses(officer)
    if status is not None:
        if status not in statuses:
            raise ValidationFailed.on(
                "status", f"status harus salah satu dari: {', '.join(statuses)}"
            )
        statuses = (status,)
    if category is not None and category not in services.city.categories:
        raise ValidationFailed.on(
            "category", i18n.t("problem.unknown_category", value=repr(category[:40]))
        )
    agency = officer_scope(
        services,
        officer,
        agency,
        limit,
        forbidden="Petugas hanya melihat antrean instansinya sendiri.",
    )
    after = _decode_cursor(cursor) if cursor else None
    async with services.pool.acquire() as conn:
        rows = await repo.queue(
            conn,
            list(statuses),
            agency,
            category,
            after is not None,
            after[0] if after else None,
            after[1] if after else None,
            after[2] if after else None,
            limit + 1,
        )
    more = len(rows) > limit
    rows = rows[:limit]
    now = services.clock.now()
    return {
        "items": [
            {
                "tracking_code": r["tracking_code"],
                "status": r["status"],
                "status_label": STATUS_LABELS[r["status"]],
                "title": r["title"],
                "excerpt": r["excerpt"],
                "category": r["category_code"],
                "category_name": r["category_name"],
                "agency": r["agency_code"],
                "created_at": _iso(r["created_at"]),
                "due_at": _iso(r["due_at"]),
                "sla": _sla(services, r, now),
                "rahasia": r["rahasia"],
            }
            for r in rows
        ],
        "next_cursor": _encode_cursor(rows[-1]) if more else None,
    }


async def current_agency(services: Services, code: str) -> str | None:
    """The agency the complaint with this (normalized) code is with now; None when it is
    unrouted or there is no such complaint."""
    async with services.pool.acquire() as conn:
        return await repo.agency_of(conn, code)


# --------------------------------------------------------------------------- reporter access


async def revoke_reporter_token(services: Services, code_text: str, token: str | None) -> str:
    """The reporter revokes the access token they hold (shared by mistake, seen over a
    shoulder): the complaint's token version moves on, the old token stops working, and the
    new one is returned. Only the current token may do it; anyone else is answered as a bad
    token is elsewhere (401 without one; an unknown code for a rahasia complaint; 403)."""
    from lapor.auth import revoke_reporter_token as move_version

    code = parse_code(code_text)
    async with services.pool.acquire() as conn, conn.transaction():
        row = await repo.lock(conn, code)
        if not is_reporter_token(services.secret_key, code, token, row["reporter_token_version"]):
            if row["rahasia"]:
                raise repo.unknown_code()
            if not token:
                raise Unauthorized("Sertakan token pelapor: Authorization: Bearer lpr_...")
            raise Forbidden(i18n.t("api.not_this_reporter"))
        new_token = await move_version(conn, services.secret_key, row)
        await repo.add_event(
            conn,
            row["id"],
            repo.EventRow("revoke_token", "reporter", services.clock.now()),
        )
    log.info("reporter token revoked code=%s", code)
    return new_token
