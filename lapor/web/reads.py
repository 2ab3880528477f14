"""Which server answers a request's reads: the read replica (DATABASE_REPLICA_URL) for
anonymous public reads, the primary for everyone else.

A standby replays the primary's changes a moment late, so whoever may be looking for their own
write reads the primary: a request with a bearer token (an officer, or a reporter with their
access token), a browser holding a complaint's reporter cookie, and for RECENT_WRITE_SECONDS a
browser that just wrote anything (the cookie set below), such as the citizen sent from the
report form to their new complaint's page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from lapor.context import Services
from lapor.web import pagekit

T = TypeVar("T")

# The reporter's access token for one complaint's page (set by the report form, pages.py).
REPORTER_COOKIE = "lapor_pelapor"
# "This browser wrote a moment ago": its reads go to the primary until the cookie expires.
RECENT_WRITE_COOKIE = "lapor_tulis"
RECENT_WRITE_SECONDS = 60
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_primary(request: web.Request) -> bool:
    """Whether this request's reads must see every write already made: anything but an
    anonymous reader who wrote nothing lately."""
    return (
        "Authorization" in request.headers
        or REPORTER_COOKIE in request.cookies
        or RECENT_WRITE_COOKIE in request.cookies
    )


async def public_read(request: web.Request, read: Callable[[Services], Awaitable[T]]) -> T:
    """`read(services)` for a public page or list: on the replica for an anonymous reader,
    on the primary for anyone who may be looking for their own write (`reads_primary`)."""
    from lapor.web.keys import SERVICES  # late: keys imports the bots, which import the web

    services = request.app[SERVICES]
    if reads_primary(request):
        return await read(services)
    return await services.public_read(read)


def _mark_written(request: web.Request, response: web.StreamResponse) -> None:
    if request.method in SAFE_METHODS or response.status >= 400 or response.prepared:
        return
    response.set_cookie(
        RECENT_WRITE_COOKIE,
        "1",
        max_age=RECENT_WRITE_SECONDS,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=pagekit.secure_cookies(request),
    )


@web.middleware
async def recent_write_middleware(request: web.Request, handler) -> web.StreamResponse:
    """A request that may have written (any unsafe method answered without an error) leaves
    the recent-write cookie, so the same browser's next reads come from the primary."""
    try:
        response = await handler(request)
    except web.HTTPException as answer:  # a redirect after a form, raised
        _mark_written(request, answer)
        raise
    _mark_written(request, response)
    return response
