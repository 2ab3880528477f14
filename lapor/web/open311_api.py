"""Open311 GeoReport v2 at /open311/v2/, with FixMyStreet's updates extension: each handler
parses, calls lapor.open311 and answers in the format the path names (`.json` or `.xml`);
errors leave as GeoReport's list of {code, description} in that format (404 for what does not
exist, 403 for a missing or wrong api_key, 429 past a limit, 400 for the rest), never as
problem+json."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from lapor import i18n, open311, schemas
from lapor.errors import DomainError, ValidationFailed
from lapor.open311 import schemas as o311
from lapor.web import clients, reads
from lapor.web.api import _read_limited
from lapor.web.keys import SERVICES
from lapor.web.open311_xml import render
from lapor.web.openapi import documented
from lapor.web.problems import retry_after

routes = web.RouteTableDef()
BASE = "/open311/v2"
FORMATS = ("json", "xml")
FORM_MAX_BYTES = 64 * 1024
FORM_MAX_FIELDS = 100
FORM_TYPE = "application/x-www-form-urlencoded"

# How the OpenAPI document describes these routes: both formats, and GeoReport's errors.
ERRORS = {"application/json": [o311.Open311Error], "text/xml": None}
ERROR_TEXT = {
    400: "A parameter is wrong (each named in `description`), or the format is not json/xml",
    403: "No api_key, or one the city did not issue or has revoked",
    404: "No such service, request, token or jurisdiction (a rahasia complaint is unknown)",
    429: "Past the city's limit for this client; Retry-After says when to come back",
}


def _both(model: Any) -> dict[str, Any]:
    return {"application/json": model, "text/xml": None}


def _status(error: DomainError) -> int:
    """GeoReport's codes: 404 for what does not exist, 403 for the api_key, 400 for the rest
    (and lapor's 429 and 503, which say when to come back)."""
    if error.status in (401, 403):
        return 403
    if error.status in (404, 429, 503):
        return error.status
    return 400


def _answer(fmt: str, root: str, value: Any, status: int = 200) -> web.Response:
    if fmt == "json":
        return web.json_response(value, status=status)
    return web.Response(
        body=render(root, value), status=status, content_type="text/xml", charset="utf-8"
    )


def _errors(error: DomainError, fmt: str) -> web.Response:
    status = _status(error)
    found = [{"code": status, "description": f"{e.field}: {e.message}"} for e in error.errors]
    response = _answer(
        fmt, "errors", found or [{"code": status, "description": error.detail}], status
    )
    return retry_after(response, error)


Handler = Callable[[web.Request, str], Awaitable[web.Response]]


def georeport(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The format from the path, and every refusal in GeoReport's shape and that format (XML,
    the spec's own, when the format itself is what is wrong)."""

    @functools.wraps(handler)
    async def answer(request: web.Request) -> web.Response:
        fmt = request.match_info.get("format", "")
        if fmt not in FORMATS:
            problem = i18n.t("open311.format")
            return _errors(ValidationFailed.on("format", problem), "xml")
        try:
            return await handler(request, fmt)
        except DomainError as error:
            return _errors(error, fmt)
        except web.HTTPException as error:  # aiohttp's own refusals (a body too large)
            if error.status < 400:
                raise
            return _errors(DomainError(error.reason), fmt)

    return answer


def _query(request: web.Request) -> dict[str, str]:
    return {key: request.query[key] for key in request.query}


def _check_jurisdiction(request: web.Request) -> None:
    sent = schemas.check(
        o311.JurisdictionQuery, {"jurisdiction_id": request.query.get("jurisdiction_id")}
    )
    open311.check_jurisdiction(request.app[SERVICES].city, sent.jurisdiction_id)


# ------------------------------------------------------------------------------ services


@routes.get(BASE + "/discovery.{format}")
@documented(
    summary="Open311 Service Discovery: the GeoReport v2 endpoint and its formats",
    path=o311.FormatPath,
    returns=_both(o311.Discovery),
    errors=ERRORS,
    problems=(400,),
    problem_text=ERROR_TEXT,
)
@georeport
async def discovery(request: web.Request, fmt: str) -> web.Response:
    services = request.app[SERVICES]
    return _answer(fmt, "discovery", open311.discovery(services.city, services.base_url))


@routes.get(BASE + "/services.{format}")
@documented(
    summary="Open311: the city's categories as services, with their groups",
    path=o311.FormatPath,
    query=o311.JurisdictionQuery,
    returns=_both([o311.Service]),
    errors=ERRORS,
    problems=(400, 404),
    problem_text=ERROR_TEXT,
)
@georeport
async def service_list(request: web.Request, fmt: str) -> web.Response:
    _check_jurisdiction(request)
    return _answer(fmt, "services", open311.services(request.app[SERVICES].city))


@routes.get(BASE + "/services/{service_code}.{format}")
@documented(
    summary="Open311: a service definition (what the category asks, e.g. a pole number)",
    path=o311.ServicePath,
    query=o311.JurisdictionQuery,
    returns=_both(o311.ServiceDefinition),
    errors=ERRORS,
    problems=(400, 404),
    problem_text=ERROR_TEXT,
)
@georeport
async def service_definition(request: web.Request, fmt: str) -> web.Response:
    _check_jurisdiction(request)
    code = request.match_info["service_code"]
    definition = open311.definition(request.app[SERVICES].city, code)
    return _answer(fmt, "service_definition", definition)


# ------------------------------------------------------------------------------ requests


async def _form(request: web.Request) -> list[tuple[str, str]]:
    """The form-encoded body, read with its limit; a field no column could hold is named."""
    if request.content_type != FORM_TYPE:
        raise ValidationFailed.on("body", i18n.t("open311.form_type"))
    too_large = i18n.t("open311.form_too_large", kb=FORM_MAX_BYTES // 1024)
    raw = await _read_limited(request.content, FORM_MAX_BYTES, "body", too_large)
    try:
        fields = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=FORM_MAX_FIELDS,
            errors="strict",
        )
    except ValueError:  # not UTF-8 (UnicodeDecodeError), or too many fields
        raise ValidationFailed.on("body", i18n.t("open311.form_broken")) from None
    for name, value in fields:
        problem = schemas.unsafe_text(name) or schemas.unsafe_text(value)
        if problem is not None:
            raise ValidationFailed.on(name[:60] or "body", problem.message)
    return fields


def _first(fields: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in fields if key == name and value.strip()), None)


@routes.post(BASE + "/requests.{format}")
@documented(
    summary="Open311: file a service request (a complaint) with a partner's api_key",
    path=o311.FormatPath,
    body={FORM_TYPE: o311.NewRequest},
    returns=_both([o311.RequestFiled]),
    errors=ERRORS,
    problems=(400, 403, 404, 429),
    problem_text=ERROR_TEXT,
)
@georeport
async def create_request(request: web.Request, fmt: str) -> web.Response:
    services = request.app[SERVICES]
    fields = await _form(request)
    key = _first(fields, "api_key") or request.query.get("api_key")
    client = await open311.authenticate(services, key)
    filed = await open311.file_request(services, client, fields)
    return _answer(fmt, "service_requests", [filed])


async def _public(
    request: web.Request, read: Callable[[Any], Awaitable[Any]], *, by_id: bool = False
) -> Any:
    """A public read, counted against the address's look-up limit: on the replica, except a
    look-up by id, which a partner makes right after filing (it sends no cookie or token that
    would tell lapor so) and which must not miss what the standby has not replayed yet."""
    await clients.limit_address(request, "lookups_per_address")
    if by_id:
        return await read(request.app[SERVICES])
    return await reads.public_read(request, read)


@routes.get(BASE + "/requests.{format}")
@documented(
    summary="Open311: requests by id, or published ones by service, date range and status",
    path=o311.FormatPath,
    query=o311.RequestsQuery,
    returns=_both([o311.ServiceRequest]),
    errors=ERRORS,
    problems=(400, 404, 429),
    problem_text=ERROR_TEXT,
)
@georeport
async def request_list(request: web.Request, fmt: str) -> web.Response:
    query = _query(request)
    found = await _public(
        request,
        lambda services: open311.find_requests(services, query),
        by_id=bool(query.get("service_request_id")),
    )
    return _answer(fmt, "service_requests", found)


@routes.get(BASE + "/requests/{service_request_id}.{format}")
@documented(
    summary="Open311: one request by its id (the tracking code)",
    path=o311.RequestPath,
    query=o311.JurisdictionQuery,
    returns=_both([o311.ServiceRequest]),
    errors=ERRORS,
    problems=(400, 404, 429),
    problem_text=ERROR_TEXT,
)
@georeport
async def request_one(request: web.Request, fmt: str) -> web.Response:
    _check_jurisdiction(request)
    code = request.match_info["service_request_id"]
    found = await _public(request, lambda services: open311.get_request(services, code), by_id=True)
    return _answer(fmt, "service_requests", found)


@routes.get(BASE + "/tokens/{token}.{format}")
@documented(
    summary="Open311: the request id a token names",
    path=o311.TokenPath,
    query=o311.JurisdictionQuery,
    returns=_both([o311.TokenFound]),
    errors=ERRORS,
    problems=(400, 404, 429),
    problem_text=ERROR_TEXT,
)
@georeport
async def token(request: web.Request, fmt: str) -> web.Response:
    _check_jurisdiction(request)
    await clients.limit_address(request, "lookups_per_address")
    found = open311.find_token(request.app[SERVICES], request.match_info["token"])
    return _answer(fmt, "service_requests", found)


@routes.get(BASE + "/servicerequestupdates.{format}")
@documented(
    summary="Open311 (FixMyStreet's extension): public updates of published requests",
    path=o311.FormatPath,
    query=o311.UpdatesQuery,
    returns=_both([o311.RequestUpdate]),
    errors=ERRORS,
    problems=(400, 404, 429),
    problem_text=ERROR_TEXT,
)
@georeport
async def request_updates(request: web.Request, fmt: str) -> web.Response:
    query = _query(request)
    found = await _public(request, lambda services: open311.updates(services, query))
    return _answer(fmt, "service_request_updates", found)
