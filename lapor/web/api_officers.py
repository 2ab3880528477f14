"""JSON API v1 handlers for officers and the city: the queue, the moderation log, API tokens,
categories and agencies. Each parses the request, calls one service function and formats the
answer; the plumbing is in api.py."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aiohttp import web

from lapor import city_edits, complaints, dead_letters, desk, moderation, officers, schemas
from lapor.auth import revoke_token
from lapor.city import CityConfig
from lapor.complaints.queue_filters import FILTER_NAMES
from lapor.web.api import _bearer, _officer, params, read_json, routes
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented


@routes.delete("/api/v1/tokens/current")
@documented(
    summary="Revoke the officer API token this request carries",
    ok=204,
    problems=(401,),
    auth="officer",
)
async def revoke_current_token(request: web.Request) -> web.Response:
    """An officer revokes the API token this request carries."""
    services = request.app[SERVICES]
    await _officer(request, required=True)
    async with services.pool.acquire() as conn:
        await revoke_token(conn, _bearer(request) or "", services.clock.now())
    return web.Response(status=204)


@routes.delete("/api/v1/officers/{officer_id:\\d+}/tokens")
@documented(
    summary="The admin revokes every API token of an officer",
    path=schemas.OfficerPath,
    returns=schemas.Revoked,
    problems=(400, 401, 403, 404),
    auth="officer",
)
async def revoke_officer_tokens(request: web.Request) -> web.Response:
    """The admin revokes every API token of an officer."""
    officer = await _officer(request, required=True)
    where = params(schemas.OfficerPath, request.match_info)
    count = await officers.revoke_tokens(request.app[SERVICES], officer, where.officer_id)
    return web.json_response({"revoked": count})


@routes.get("/api/v1/moderation")
@documented(
    summary="The moderation log, newest first: the city for the admin and the desk, an "
    "officer's own agency",
    query=schemas.ModerationQuery,
    returns=schemas.ModerationLog,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_moderation_log(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.ModerationQuery, request.query)
    result = await moderation.moderation_log(
        request.app[SERVICES],
        officer,
        agency=query.agency,
        before=query.before,
        limit=query.limit,
    )
    return web.json_response(result)


@routes.get("/api/v1/outbox/dead")
@documented(
    summary="The admin's dead letters: messages the outbox gave up on, newest first, each with "
    "its last error",
    query=schemas.DeadLetterQuery,
    returns=schemas.DeadLetters,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_dead_letters(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.DeadLetterQuery, request.query)
    result = await dead_letters.dead_letters(
        request.app[SERVICES], officer, before=query.before, limit=query.limit
    )
    return web.json_response(result)


@routes.post("/api/v1/outbox/{message_id:\\d+}/retry")
@documented(
    summary="The admin puts a dead message back in the queue; it goes out again now",
    path=schemas.OutboxPath,
    returns=schemas.Retried,
    problems=(400, 401, 403, 404),
    auth="officer",
)
async def retry_dead_letter(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    where = params(schemas.OutboxPath, request.match_info)
    await dead_letters.retry(request.app[SERVICES], officer, where.message_id)
    return web.json_response({"id": where.message_id, "status": "pending"})


@routes.get("/api/v1/queue")
@documented(
    summary="The caller's open complaints, most urgent first, filtered (text, code, place, "
    "dates, channel, SLA colour, owner)",
    query=schemas.QueueQuery,
    returns=schemas.Queue,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_queue(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.QueueQuery, request.query)
    result = await complaints.queue(
        request.app[SERVICES],
        officer,
        cursor=query.cursor,
        limit=query.limit,
        sort=query.sort,
        **{name: getattr(query, name) for name in FILTER_NAMES},
    )
    return web.json_response(result)


@routes.get("/api/v1/desk")
@documented(
    summary="The verification desk's queue, each complaint with up to three suggested "
    'categories (never an agency that answered "bukan wewenang" for it)',
    query=schemas.DeskQuery,
    returns=schemas.Desk,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_desk(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.DeskQuery, request.query)
    result = await desk.desk_queue(
        request.app[SERVICES], officer, cursor=query.cursor, limit=query.limit
    )
    for item in result["items"]:
        item["suggestions"] = [asdict(s) for s in item["suggestions"]]
    return web.json_response(result)


@routes.get("/api/v1/categories")
@documented(
    summary="Complaint categories and the agency each goes to", returns=[schemas.EditedCategory]
)
async def get_categories(request: web.Request) -> web.Response:
    city = request.app[SERVICES].city
    return web.json_response([_category(city, code) for code in city.categories])


@routes.get("/api/v1/agencies")
@documented(summary="The city's agencies (OPD)", returns=[schemas.Agency])
async def get_agencies(request: web.Request) -> web.Response:
    city = request.app[SERVICES].city
    return web.json_response([_agency(city, code) for code in city.agencies])


def _category(city: CityConfig, code: str) -> dict[str, Any]:
    """A category as GET /api/v1/categories and its PATCH answer it."""
    c = city.categories[code]
    return {
        "code": c.code,
        "name": c.name,
        "agency": c.agency,
        "agency_name": city.agencies[c.agency].name,
        "desk": c.desk,
        "resolution_days": c.resolution_days,
    }


def _agency(city: CityConfig, code: str) -> dict[str, Any]:
    """An agency as GET /api/v1/agencies and its PATCH answer it."""
    a = city.agencies[code]
    return {
        "code": a.code,
        "name": a.name,
        "short_name": a.short_name,
        "kind": a.kind,
        "parent": a.parent,
        "categories": [c.code for c in city.categories.values() if c.agency == a.code],
    }


# ------------------------------------------------------------ the admin's city edits (§6)


async def _city_edit(request: web.Request, kind: str, code: str, model) -> CityConfig:
    officer = await _officer(request, required=True)
    body = schemas.check(model, await read_json(request))
    city = await city_edits.edit(
        request.app[SERVICES], officer, kind, code, body.model_dump(exclude_unset=True)
    )
    return city


@routes.patch("/api/v1/agencies/{code}")
@documented(
    summary="The admin renames an agency (over the city file, audited)",
    path=schemas.AgencyPath,
    body={"application/json": schemas.AgencyEdit},
    returns=schemas.Agency,
    problems=(400, 401, 403, 404, 422),
    auth="officer",
)
async def edit_agency(request: web.Request) -> web.Response:
    where = params(schemas.AgencyPath, request.match_info)
    city = await _city_edit(request, "agency", where.code, schemas.AgencyEdit)
    return web.json_response(_agency(city, where.code))


@routes.patch("/api/v1/categories/{code}")
@documented(
    summary="The admin changes a category's name, agency or days to resolve (over the city "
    "file, audited)",
    path=schemas.CategoryPath,
    body={"application/json": schemas.CategoryEdit},
    returns=schemas.EditedCategory,
    problems=(400, 401, 403, 404, 422),
    auth="officer",
)
async def edit_category(request: web.Request) -> web.Response:
    where = params(schemas.CategoryPath, request.match_info)
    city = await _city_edit(request, "category", where.code, schemas.CategoryEdit)
    return web.json_response(_category(city, where.code))


def _sla_numbers(city) -> dict:
    return {
        "verify_days": city.sla.verify_days,
        "first_response_days": city.sla.first_response_days,
        "auto_close_days": city.sla.auto_close_days,
        "resolution_days": dict(city.sla.resolution_days),
    }


@routes.get("/api/v1/sla")
@documented(summary="The city's SLA numbers in working days", returns=schemas.SlaNumbers)
async def get_sla(request: web.Request) -> web.Response:
    return web.json_response(_sla_numbers(request.app[SERVICES].city))


@routes.patch("/api/v1/sla")
@documented(
    summary="The admin changes the city's SLA numbers (over the city file, audited)",
    body={"application/json": schemas.SlaEdit},
    returns=schemas.SlaNumbers,
    problems=(400, 401, 403, 422),
    auth="officer",
)
async def edit_sla(request: web.Request) -> web.Response:
    city = await _city_edit(request, "sla", "", schemas.SlaEdit)
    return web.json_response(_sla_numbers(city))


@routes.get("/api/v1/city/edits")
@documented(
    summary="The admin's log of city edits, newest first: who, when, before and after",
    query=schemas.CityEditQuery,
    returns=schemas.CityEditLog,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_city_edits(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.CityEditQuery, request.query)
    items = await city_edits.audit_log(request.app[SERVICES], officer, limit=query.limit)
    return web.json_response({"items": items})
