"""Service requests through Open311: a partner files one (the same intake and filing as every
other door, channel "open311"), anyone follows it, lists them, resolves a token, and reads
the public updates (FixMyStreet's `servicerequestupdates`).

The privacy rules are the public pages' own: a rahasia complaint is unknown here, to the byte;
text is the public copy (personal data hidden), officers' notes pass through the same filter,
places as the status page shows them; the reporter is never read. The list and the feed show
published complaints; a request asked for by its id shows its status before that, as /lacak."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import complaints, constant_time, i18n, privacy, ratelimit, schemas
from lapor.complaints import PUBLIC_EVENT_KINDS, is_published
from lapor.errors import DomainError, FieldError, NotFound, ValidationFailed
from lapor.open311.catalogue import (
    MOVE_WORDS,
    STATUS_WORDS,
    check_attributes,
    notice,
    statuses_for,
)
from lapor.open311.clients import Client
from lapor.open311.schemas import TOKEN_PATTERN, NewRequest, RequestsQuery, UpdatesQuery
from lapor.public import EVENT_WORDS
from lapor.repo import open311 as repo
from lapor.tracking import parse_code

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services

log = logging.getLogger(__name__)

SPAN = timedelta(days=90)  # GeoReport: a query spans at most 90 days
MAX_REQUESTS = 1000  # ... or returns the first 1000 requests
MAX_UPDATES = 1000
MAX_IDS = 100
DESCRIPTION_MAX = 4000  # GeoReport's limit on a description
KINDS = sorted(PUBLIC_EVENT_KINDS)

# The intake's field names, as GeoReport's form calls them.
_FORM_NAMES = {
    "text": "description",
    "category": "service_code",
    "location.lat": "lat",
    "location.lon": "long",
    "location.address": "address_string",
    "location": "lat",
    "reporter.name": "first_name",
    "reporter.phone": "phone",
    "reporter.email": "email",
}


def check_jurisdiction(city: CityConfig, jurisdiction_id: str | None) -> None:
    """lapor serves one city: a jurisdiction_id may be left out, but not another city's."""
    if jurisdiction_id and jurisdiction_id.strip() not in (city.open311.jurisdiction_id, city.key):
        raise NotFound(i18n.t("open311.unknown_jurisdiction", jurisdiction=jurisdiction_id[:100]))


def request_token(secret_key: str, code: str) -> str:
    """The token of a filed request: its code and an HMAC of it (nothing to store; only lapor
    makes one, and it names the request to whoever holds it)."""
    digest = hmac.new(secret_key.encode(), b"open311-token:" + code.encode(), hashlib.sha256)
    return f"{code}-{digest.hexdigest()[:20]}"


# ------------------------------------------------------------------------------ filing


def _form(fields: Sequence[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The form's plain fields (the first of repeated ones; a blank one counts as left out,
    as GeoReport's optional arguments say) and its `attribute[code]` answers."""
    plain: dict[str, str] = {}
    answers: list[tuple[str, str]] = []
    for name, value in fields:
        if name.startswith("attribute[") and name.endswith("]"):
            answers.append((name[len("attribute[") : -1].removesuffix("]["), value))
        elif value.strip():
            plain.setdefault(name, value)
    return plain, answers


def _intake(city: CityConfig, sent: NewRequest) -> complaints.Intake:
    errors: list[FieldError] = []
    if sent.lat is None and sent.long is None and not sent.address_string:
        message = i18n.t("open311.location_required")  # GeoReport asks for a place
        errors += [FieldError("lat", message), FieldError("long", message)]
    name = " ".join(part for part in (sent.first_name, sent.last_name) if part) or None
    reporter = {"name": name, "phone": sent.phone, "email": sent.email}
    data: dict[str, Any] = {
        "category": sent.service_code,
        "location": {"lat": sent.lat, "lon": sent.long, "address": sent.address_string},
        "reporter": {key: value for key, value in reporter.items() if value} or None,
    }
    if sent.description is not None:
        data["text"] = sent.description
    try:
        intake = complaints.parse_intake(
            data,
            channel="open311",
            category_codes=list(city.categories),
            rahasia_default=city.rahasia_default,
            anonim_default=city.anonim_default,
        )
    except ValidationFailed as error:
        errors += [FieldError(_FORM_NAMES.get(e.field, e.field), e.message) for e in error.errors]
    if errors:
        raise ValidationFailed.of(errors)
    return intake


def parse_request(city: CityConfig, fields: Sequence[tuple[str, str]]) -> complaints.Intake:
    """POST requests' form as the one intake checks it, with the service definition's answers;
    every problem named by GeoReport's field names. An unknown service_code or jurisdiction is
    a 404, as the spec says."""
    plain, answers = _form(fields)
    check_jurisdiction(city, plain.get("jurisdiction_id"))
    code = plain.get("service_code", "").strip()
    if code and code not in city.categories:
        raise NotFound(i18n.t("open311.unknown_service", code=code[:40]))
    errors: list[FieldError] = []
    intake = None
    try:
        intake = _intake(city, schemas.check(NewRequest, plain))
    except ValidationFailed as error:
        errors.extend(error.errors)
    attributes, wrong = check_attributes(code, answers)
    errors.extend(wrong)
    if errors or intake is None:
        raise ValidationFailed.of(errors)
    return replace(intake, attributes=attributes)


async def file_request(
    services: Services, client: Client, fields: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """File a partner's request through the one filing service, counted against the partner's
    limit; the answer GeoReport's POST requests gives."""
    intake = parse_request(services.city, fields)
    limit = services.city.open311.filing_per_client
    hit = ratelimit.Hit(f"open311_filing:client:{client.id}", limit, i18n.t("open311.too_many"))
    filed = await complaints.file_complaint(services, intake, hit=hit)
    log.info("open311 request filed client=%s code=%s", client.name, filed.tracking_code)
    return {
        "service_request_id": filed.tracking_code,
        "token": request_token(services.secret_key, filed.tracking_code),
        "service_notice": notice(services.city, filed.status, filed.category, filed.agency),
        "account_id": None,
    }


# ------------------------------------------------------------------------------ reading


def _iso(city: CityConfig, moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(city.zone).isoformat()


def _note(text: str | None) -> str | None:
    """An officer's public note, through the same filter as the citizen's text."""
    return None if not text else privacy.redact(text).text


def _place(row: asyncpg.Record) -> str | None:
    parts = [p.strip() for p in (row["address"], row["kelurahan"], row["kecamatan"]) if p]
    return privacy.redact_place(", ".join(part for part in parts if part)) or None


def _photo(services: Services, code: str, position: int | None) -> str | None:
    if position is None:
        return None
    return f"{services.base_url}/api/v1/complaints/{code}/photos/{position}?size=display"


def _request(services: Services, row: asyncpg.Record) -> dict[str, Any]:
    city = services.city
    published = is_published(city, row["rahasia"], row["verified_at"])
    word = STATUS_WORDS[row["status"]][0]
    code = row["tracking_code"]
    body = row["public_body"] if published else None
    return {
        "service_request_id": code,
        "status": word,
        "status_notes": _note(row["status_notes"]),
        "service_name": row["category_name"],
        "service_code": row["category_code"],
        "description": None if body is None else body[:DESCRIPTION_MAX],
        "agency_responsible": row["agency_name"],
        "service_notice": notice(city, row["status"], row["category_code"], row["agency_code"]),
        "requested_datetime": _iso(city, row["created_at"]),
        "updated_datetime": _iso(city, row["updated_at"]),
        "expected_datetime": _iso(city, row["resolve_due_at"]) if word == "open" else None,
        "address": _place(row) if published else None,
        "address_id": None,
        "zipcode": None,
        "lat": row["latitude"] if published else None,
        "long": row["longitude"] if published else None,
        "media_url": _photo(services, code, row["photo_position"]) if published else None,
    }


def _moment(name: str, text: str | None) -> datetime | None:
    if not text:
        return None
    # "+07:00" sent unencoded in a query string arrives as " 07:00": read it as meant.
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationFailed.on(name, i18n.t("open311.date_format"))
    return moment


def date_range(
    services: Services, start_text: str | None, end_text: str | None
) -> tuple[datetime, datetime]:
    """[start, end] from GeoReport's start_date and end_date: the last 90 days when both are
    left out, 90 days from the one given, never more than 90 days or backwards."""
    start, end = _moment("start_date", start_text), _moment("end_date", end_text)
    if start is None and end is None:
        end = services.clock.now()
    if start is None:
        start = end - SPAN
    if end is None:
        end = start + SPAN
    if end < start:
        raise ValidationFailed.on("end_date", i18n.t("open311.date_order"))
    if end - start > SPAN:
        raise ValidationFailed.on("end_date", i18n.t("open311.date_span", days=SPAN.days))
    return start, end


def _codes(text: str) -> list[str]:
    found = [part for part in (piece.strip() for piece in text.split(",")) if part]
    if not found or len(found) > MAX_IDS:
        raise ValidationFailed.on(
            "service_request_id", i18n.t("open311.ids_count", maximum=MAX_IDS)
        )
    try:
        return [parse_code(part) for part in found]
    except DomainError as error:  # a mistyped code, named as GeoReport calls the field
        raise ValidationFailed.on("service_request_id", error.detail) from None


async def find_requests(services: Services, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """GET requests: by id (comma delimited, overriding the rest), else the published ones
    filed in the range, of the services and statuses asked for, newest first."""
    city = services.city
    if query.get("service_request_id"):  # it overrides every other argument, as the spec says
        sent = schemas.check(RequestsQuery, {"service_request_id": query["service_request_id"]})
        check_jurisdiction(city, query.get("jurisdiction_id"))
        codes = _codes(sent.service_request_id or "")
        async with services.pool.acquire() as conn:
            rows = await repo.requests_by_code(conn, KINDS, codes)
        return [_request(services, row) for row in rows]
    sent = schemas.check(RequestsQuery, dict(query))
    check_jurisdiction(city, sent.jurisdiction_id)
    categories = sent.service_code.split(",") if sent.service_code else None
    unknown = [code for code in categories or () if code not in city.categories]
    if unknown:
        raise ValidationFailed.on(
            "service_code", i18n.t("open311.unknown_service", code=unknown[0])
        )
    statuses = statuses_for(sent.status.split(",")) if sent.status else None
    start, end = date_range(services, sent.start_date, sent.end_date)
    async with services.pool.acquire() as conn:
        rows = await repo.search_requests(
            conn,
            KINDS,
            city.publishes_immediately,
            start,
            end,
            categories,
            statuses,
            MAX_REQUESTS,
        )
    return [_request(services, row) for row in rows]


def _unknown_request() -> NotFound:
    return NotFound(i18n.t("open311.unknown_request"))


async def get_request(services: Services, code_text: str) -> list[dict[str, Any]]:
    """GET requests/{id}: one request in a list, as GeoReport answers it. A rahasia complaint
    answers exactly as a code nobody filed."""
    try:
        code = parse_code(code_text)
    except DomainError:  # GeoReport: 404 for whatever names no request
        raise _unknown_request() from None
    async with services.pool.acquire() as conn:
        rows = await repo.requests_by_code(conn, KINDS, [code])
    if not rows:
        raise _unknown_request()
    return [_request(services, rows[0])]


def find_token(services: Services, token: str) -> list[dict[str, Any]]:
    """GET tokens/{token}: the request a token names. lapor files in real time, so the token
    only repeats the id; it is there for clients written for servers that file later."""
    code = token[:10]
    if not re.fullmatch(TOKEN_PATTERN, token) or not constant_time.same(
        token, request_token(services.secret_key, code)
    ):
        raise NotFound(i18n.t("open311.unknown_token"))
    return [{"service_request_id": code, "token": token}]


async def updates(services: Services, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """servicerequestupdates: the public timeline of published complaints in the range, oldest
    first, each with the status word of FixMyStreet's extension."""
    sent = schemas.check(UpdatesQuery, dict(query))
    check_jurisdiction(services.city, sent.jurisdiction_id)
    start, end = date_range(services, sent.start_date, sent.end_date)
    async with services.pool.acquire() as conn:
        rows = await repo.updates(
            conn, services.city.publishes_immediately, start, end, KINDS, MAX_UPDATES
        )
    return [
        {
            "update_id": str(row["id"]),
            "service_request_id": row["tracking_code"],
            "status": MOVE_WORDS.get(row["kind"]) or STATUS_WORDS[row["status"]][1],
            "updated_datetime": _iso(services.city, row["created_at"]),
            "description": _note(row["public_note"]) or EVENT_WORDS.get(row["kind"], row["kind"]),
            "media_url": _photo(services, row["tracking_code"], row["photo_position"]),
        }
        for row in rows
    ]
