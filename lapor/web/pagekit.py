"""What every HTML page shares: the templates, the static files, CSRF protection and the error
page. The pages themselves live in `pages` (public) and `officer_pages` (officers).

CSRF: a signed double-submit token. Every page visitor gets a random `lapor_csrf` cookie
(HttpOnly, SameSite=Lax); every form carries `csrf_token`, an HMAC of that cookie under the
service's secret key; a page POST whose token does not match is refused with a 403 page before
any handler runs. The JSON API (bearer tokens), the webhooks (signatures), Open311 (api_key)
and the survey form (its signed link is the secret, and it works once) are outside it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup, escape

from lapor import constant_time, i18n
from lapor.errors import Forbidden

STATIC_DIR = Path(__file__).parent / "static"
CSRF_COOKIE = "lapor_csrf"
CSRF_FIELD = "csrf_token"
_NOT_PAGES = (
    "/api/",
    "/webhooks/",
    "/healthz",
    "/readyz",
    "/static/",
    "/metrics",
    "/open311/",
    "/data/",
)
_NO_CSRF = ("/survei/",)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_REQUEST_NONCE = web.RequestKey("lapor_csrf_nonce", str)


def is_page(request: web.Request) -> bool:
    """Whether the request is for an HTML page (errors become a page, not problem+json)."""
    return not request.path.startswith(_NOT_PAGES)


def _keys():
    # Imported late: keys imports the bot channels, which import problems, which imports us.
    from lapor.web import keys

    return keys


def _secret(request: web.Request) -> str:
    return request.app[_keys().SETTINGS].secret_key


def secure_cookies(request: web.Request) -> bool:
    """Cookies are Secure behind HTTPS: the public URL says so, or the request came over TLS."""
    SETTINGS = _keys().SETTINGS
    return request.app[SETTINGS].base_url.startswith("https://") or request.secure


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: web.Request) -> str:
    if _REQUEST_NONCE not in request:  # a page outside the middleware (never, in the app)
        request[_REQUEST_NONCE] = secrets.token_urlsafe(32)
    return _sign(_secret(request), request[_REQUEST_NONCE])


@web.middleware
async def csrf_middleware(request: web.Request, handler) -> web.StreamResponse:
    if not is_page(request):
        return await handler(request)
    nonce = request.cookies.get(CSRF_COOKIE, "")
    fresh = not _NONCE.match(nonce)
    if fresh:
        nonce = secrets.token_urlsafe(32)
    request[_REQUEST_NONCE] = nonce
    if request.method not in _SAFE_METHODS and not request.path.startswith(_NO_CSRF):
        form = await request.post()  # cached: the handler reads the same form
        sent = form.get(CSRF_FIELD)
        expected = _sign(_secret(request), nonce)
        if fresh or not isinstance(sent, str) or not constant_time.same(sent, expected):
            raise Forbidden(i18n.t("problem.form_expired"))
    response = await handler(request)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="Lax",
            secure=secure_cookies(request),
            path="/",
        )
    return response


def page_context(request: web.Request) -> dict[str, Any]:
    """What every template sees: the request, the city and the CSRF field for its forms."""

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(
            CSRF_FIELD, escape(csrf_token(request))
        )

    services = request.app.get(_keys().SERVICES)
    return {
        "request": request,
        "city": services.city if services else None,
        "csrf_field": csrf_field,
    }


def render(
    request: web.Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> web.Response:
    """Render a page with the shared context (what aiohttp-jinja2's processors would add)."""
    return aiohttp_jinja2.render_template(
        template, request, {**page_context(request), **(context or {})}, status=status
    )


def setup(app: web.Application) -> None:
    """Templates with autoescaping, the context every page gets, and /static."""
    environment = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("lapor.web", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    environment.globals["t"] = i18n.for_templates()  # the pages speak Bahasa Indonesia
    app.router.add_static("/static", STATIC_DIR, name="static", append_version=True)


def error_page(request: web.Request, status: int, title: str, detail: str | None) -> web.Response:
    """The HTML counterpart of a problem+json answer, for people in a browser."""
    try:
        return render(
            request, "error.html", {"status": status, "title": title, "detail": detail}, status
        )
    except Exception:  # the error page must never fail in turn
        return web.Response(status=status, text=f"{status} {title}\n{detail or ''}\n")
