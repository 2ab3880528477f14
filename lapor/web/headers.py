"""Security headers on every response, errors and redirects included: the content security
policy the pages and Leaflet live within, no framing, no sniffing, no library version in
`Server`, HSTS behind HTTPS, and `no-store` wherever an answer carries personal data."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urlsplit

from aiohttp import web

from lapor.settings import Settings
from lapor.web.officer_pages import SESSION_COOKIE
from lapor.web.pages import REPORTER_COOKIE

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
HSTS = "max-age=31536000"


def tile_source(template: str) -> str | None:
    """The CSP source of the configured map tiles: `https://tile.openstreetmap.org`, or
    `https://*.tile.example.org` for a template with `{s}` subdomains; None without tiles."""
    if not template:
        return None
    parts = urlsplit(template.replace("{s}", "*"))  # {z}/{x}/{y} in the path are no matter
    host = parts.netloc
    if _PLACEHOLDER.search(host) or "*" in host.partition(".")[2]:
        return f"{parts.scheme}:"  # a placeholder CSP cannot say: the scheme, no narrower
    return f"{parts.scheme}://{host}"


def content_security_policy(settings: Settings) -> str:
    """Scripts and styles from this site only (no inline ones anywhere); images from here,
    Leaflet's data: placeholders and the tile server."""
    images = ["'self'", "data:"]
    tiles = tile_source(settings.map_tiles)
    if tiles:
        images.append(tiles)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(settings: Settings) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "Referrer-Policy": "same-origin",
        "Server": "lapor",
    }
    if settings.base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def carries_personal_data(request: web.Request) -> bool:
    """Answers a browser or a proxy must not keep: the officers' pages and API (a bearer or a
    session), the reporter's own views (their token or cookie), and any form sent back with
    what was typed in it (a POST)."""
    return (
        request.path.startswith("/petugas")
        or "Authorization" in request.headers
        or SESSION_COOKIE in request.cookies
        or REPORTER_COOKIE in request.cookies
        or request.method not in ("GET", "HEAD", "OPTIONS")
    )


def _apply(headers: Mapping[str, str], request: web.Request, response: web.StreamResponse):
    response.headers.update(headers)
    if carries_personal_data(request) and "no-store" not in response.headers.get(
        "Cache-Control", ""
    ):
        response.headers["Cache-Control"] = "no-store"


def security_headers_middleware(settings: Settings):
    headers = security_headers(settings)

    @web.middleware
    async def middleware(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as raised:  # redirects, and anything the problem layer passes
            _apply(headers, request, raised)
            raise
        _apply(headers, request, response)
        return response

    return middleware


def security_headers_on_prepare(settings: Settings):
    """The same headers on an answer its handler streams (a CSV export): such an answer is
    sent before the middleware sees it, so they go on as it is prepared."""
    headers = security_headers(settings)

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        _apply(headers, request, response)

    return on_prepare
