"""The views of one complaint: the public page, the officer's full view, photos, the token."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from lapor import forwarding, i18n, priority, privacy, sla, tracking
from lapor.auth import Officer, is_reporter_token
from lapor.city import CityConfig
from lapor.context import Services
from lapor.errors import Forbidden, NotFound, Unauthorized
from lapor.lifecycle import MERGED_IN, OPEN_STATUSES, STATUS_LABELS
from lapor.photo_store import read_photo
from lapor.photos import ORIGINAL
from lapor.repo import complaints as repo
from lapor.tracking import parse_code

log = logging.getLogger(__name__)


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
        "forward",
        "forward_answer",
        "recall",
    }
)


@dataclass(frozen=True)
class Viewer:
    officer: Officer | None = None
    token: str | None = None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


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
        row["priority"],
    )
    return None if state is None else state.as_json()


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
        "forwarded_to": forwarding.forwarded_to(services.city, row["status"], events),
        "rahasia": row["rahasia"],
        "published": published,
        "duplicate_of": _original_code(row, viewer),  # merged: the original's tracking code
        "support_count": row["support_count"],  # "Saya juga mengalami": a number, no names
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
        # A photo hidden by moderation is not there for the public (officers: full_view),
        # nor one the reporter sent later with a note.
        view["photos"] = _photo_links(
            code, [p for p in photos if p["hidden_at"] is None and not p["by_reporter"]]
        )
    return view


def _photo_links(code: str, photos: Sequence[asyncpg.Record]) -> list[dict[str, Any]]:
    return [
        {
            "position": p["position"],
            "media_type": p["media_type"],
            "size_bytes": p["size_bytes"],
            # attached by an officer on resolving
            "proof": p["event_id"] is not None and not p["by_reporter"],
            # sent by the reporter after filing, with a note (citizen_notes.py): never public
            "by_reporter": p["by_reporter"],
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
            "priority": row["priority"],
            "priority_label": priority.label(row["priority"]),
            "anonim": row["anonim"],
            "channel": row["channel"],
            "category_hint": row["category_hint"],
            # What the category's service definition asked (Open311), as the citizen answered.
            "attributes": row["attributes"],
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
            "assignee": (
                None
                if row["assignee_id"] is None
                else {"id": row["assignee_id"], "name": row["assignee_name"]}
            ),
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
                    "data": _data_for(e, officer),
                }
                for e in events
            ],
        }
    )
    return view


def _data_for(event: asyncpg.Record, officer: Officer) -> dict[str, Any] | None:
    """An event's data as this officer may read it: the original's `merged_in` event names a
    rahasia duplicate only to those who may see it (to others its code does not exist)."""
    data = event["data"]
    if (
        event["kind"] == MERGED_IN
        and data
        and data.get("rahasia")
        and not officer.may_see(data.get("duplicate_agency"))
    ):
        return {name: value for name, value in data.items() if name != "duplicate"}
    return data


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
    if found and found[0]["by_reporter"] and not _visible(services, row, viewer):
        found = []  # sent with the reporter's note: for its officers and its reporter
    if not found:
        raise NotFound(i18n.t("problem.photo_not_found"))
    return await read_photo(services.photos, found[0]["sha256"], found[0]["media_type"], size)


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
