"""JSON API v1 handlers for support ("Saya juga mengalami", lapor/support.py): the open
complaints a new report may be about, and supporting one instead of filing. Its own route
table, added before api.py's: /api/v1/complaints/similar must be matched before
/api/v1/complaints/{code}."""

from __future__ import annotations

from aiohttp import web

from lapor import schemas, support, tracking
from lapor.web.api import idempotency_key, params, read_json
from lapor.web.clients import address_hit, limit_address
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented

routes = web.RouteTableDef()


@routes.get("/api/v1/complaints/similar")
@documented(
    summary="Open complaints near a point that say much the same (same category, pg_trgm), to "
    "support instead of filing again; public words only, never rahasia, never the reporter",
    query=schemas.SimilarQuery,
    returns=schemas.SimilarAnswer,
    problems=(422, 429),
)
async def get_similar(request: web.Request) -> web.Response:
    await limit_address(request, "lookups_per_address")
    query = params(schemas.SimilarQuery, request.query)
    services = request.app[SERVICES]
    found = await support.similar(services, query.text, query.lat, query.lon, query.category)
    return web.json_response(
        {
            "items": [candidate.as_dict() for candidate in found],
            "radius_m": services.city.duplicates.radius_m,
        }
    )


@routes.post("/api/v1/complaints/{code}/support")
@documented(
    summary="Saya juga mengalami: support an open complaint instead of filing it again, and "
    "follow it (its public changes go to the contact given)",
    path=schemas.CodePath,
    headers=schemas.IdempotencyHeader,
    body={"application/json": schemas.SupportRequest},
    body_required=False,
    ok=201,
    returns=schemas.SupportAnswer,
    problems=(400, 404, 409, 413, 422, 429),
)
async def post_support(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    key = idempotency_key(request)
    data = await read_json(request) if request.can_read_body else {}
    sent = schemas.check(schemas.SupportRequest, data)
    where = params(schemas.CodePath, request.match_info)
    r = sent.reporter
    contact = (
        None if r is None else support.Contact(r.name or None, r.phone or None, r.email or None)
    )
    done = await support.support(
        services,
        where.code,
        contact,
        "web",
        key,
        hit=address_hit(request, "filing_per_address"),
    )
    return web.json_response(
        {
            "tracking_code": done.tracking_code,
            "display_code": tracking.display(done.tracking_code),
            "support_count": done.support_count,
            "status_url": services.status_url(done.tracking_code),
            "following": done.following,
            "replayed": done.replayed or done.own,
        },
        status=201,  # as filing answers a replay
        # Only a replay of the same key says so: the reporter's own contact and a supporter's
        # answer alike, or a stranger could learn which number reported the complaint.
        headers={"Idempotent-Replayed": "true"} if done.by_key else {},
    )
