"""RFC 9457 problem details: the only shape an error leaves this service in."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from lapor import i18n
from lapor.errors import DomainError, InvalidTransition
from lapor.web.keys import REACHABILITY
from lapor.web.pagekit import error_page, is_page

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
# While the database cannot be reached: when to try again, in seconds (RFC 9110 Retry-After).
DATABASE_RETRY_AFTER = 5


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> web.Response:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return web.json_response(body, status=status, content_type=PROBLEM_TYPE)


def from_domain(error: DomainError) -> web.Response:
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidTransition):
        extra["allowed_actions"] = error.allowed
    if error.retry_after is not None:
        extra["retry_after"] = error.retry_after
    response = problem(
        error.status,
        error.title,
        error.detail,
        slug=error.slug,
        errors=[{"field": e.field, "message": e.message} for e in error.errors],
        **extra,
    )
    retry_after(response, error)
    return response


def retry_after(response: web.StreamResponse, error: DomainError) -> web.StreamResponse:
    """An error that passes (a 429, the photo store's 503) says when to come back, in whole
    seconds (RFC 9110 Retry-After)."""
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@web.middleware
async def problem_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Errors leave as problem+json, or as an HTML error page on the pages."""
    page = is_page(request)
    try:
        return await handler(request)
    except DomainError as error:
        if page:
            return retry_after(error_page(request, error.status, error.title, error.detail), error)
        return from_domain(error)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        detail = error.text if error.text and not error.text.startswith(str(error.status)) else None
        if page:
            response = error_page(request, error.status, error.reason, detail)
        else:
            response = problem(error.status, error.reason, detail)
        for name in ("Allow",):
            if name in error.headers:
                response.headers[name] = error.headers[name]
        return response
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception as error:
        reachability = request.app.get(REACHABILITY)
        if reachability is not None and reachability.failed(error):
            return database_down(request, page)  # logged once per outage, by `failed`
        log.exception("unhandled error method=%s path=%s", request.method, request.path)
        if page:
            return error_page(
                request, 500, "Internal Server Error", "Terjadi kesalahan pada server."
            )
        return problem(500, "Internal Server Error", "Terjadi kesalahan pada server.")


def database_down(request: web.Request, page: bool) -> web.Response:
    """503 while the database cannot be reached: come back in a few seconds."""
    title, detail = i18n.t("problem.database_down_title"), i18n.t("problem.database_down")
    if page:
        response = error_page(request, 503, title, detail)
    else:
        response = problem(503, title, detail, slug="database-down")
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
