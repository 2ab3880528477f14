"""What every officer page shares: the route table, the session (who is logged in, where to go
next), and rendering a page with its SLA and done messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from lapor import (
    i18n,
    lifecycle,
    officers,
    sessions,
    tracking,
)
from lapor.auth import Officer
from lapor.calendar import local_time
from lapor.errors import DomainError, Forbidden
from lapor.web import pagekit
from lapor.web.keys import SERVICES

routes = web.RouteTableDef()

SESSION_COOKIE = "lapor_session"
HOME = "/petugas/antrian"
LOGIN = "/petugas/masuk"
LEAFLET = pagekit.STATIC_DIR / "leaflet" / "leaflet.js"

SLA_LABELS = i18n.section("team.sla")  # green, amber, red
# Fields each action form sends, besides `action`; the rest of a form is ignored.
ACTION_FIELDS = (
    "agency",
    "category",
    "note",
    "internal_note",
    "duplicate_of",
    "priority",
    "external",
)
# What the admin page says after a change (the team work's own: its officers' contacts).
ADMIN_DONE = {**i18n.section("admin_done"), **i18n.section("team.admin_done")}
# The public-copy form, as the complaint page names its action.
PUBLIC_COPY = "public_copy"
HIDE_PHOTO = "hide_photo"


# ---------------------------------------------------------------------------- sessions


def safe_next(value: object, default: str | None = HOME) -> str | None:
    """Where to go after login or an action: only a path on this site, under /petugas."""
    if not isinstance(value, str) or not value:
        return default
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/petugas") or value.startswith("//"):
        return default
    if value.startswith(LOGIN):
        return default
    return value


async def current_officer(request: web.Request) -> Officer | None:
    return await sessions.officer_for(request.app[SERVICES], request.cookies.get(SESSION_COOKIE))


async def require_officer(request: web.Request, *roles: str) -> Officer:
    """The logged-in officer, or a 303 to the login page that comes back here afterwards.
    With `roles`, an officer of another role gets the 403 page."""
    officer = await current_officer(request)
    if officer is None:
        back = request.path_qs if request.method == "GET" else HOME
        raise web.HTTPSeeOther(f"{LOGIN}?{urlencode({'lanjut': back})}")
    if roles and officer.role not in roles:
        raise Forbidden(i18n.t("problem.not_for_your_role"))
    return officer


def _set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Lax",
        secure=pagekit.secure_cookies(request),
        path="/petugas",
        max_age=int(sessions.ABSOLUTE.total_seconds()),
    )


# ---------------------------------------------------------------------------- rendering


def _sla_view(services, sla: dict[str, Any] | None) -> dict[str, Any] | None:
    """The SLA badge: its words are the core's (sla_rules.time_left_words), as in the API."""
    if not sla:
        return None
    return {
        "state": sla["state"],
        "label": SLA_LABELS[sla["state"]],
        "left": sla["time_left"],
        "overdue": sla["overdue"],
        "due": local_time(services.city.zone, sla["due_at"]),
    }


def _render(
    request: web.Request,
    template: str,
    officer: Officer | None,
    context: dict[str, Any],
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    city = services.city
    response = pagekit.render(
        request,
        template,
        {
            "officer": officer,
            "role_labels": officers.ROLE_LABELS,
            "local_time": lambda moment: local_time(services.city.zone, moment) or "-",
            "sla_view": lambda sla: _sla_view(services, sla),
            "display_code": tracking.display,
            "agency_name": lambda code: city.agencies[code].name if code in city.agencies else code,
            **context,
        },
        status,
    )
    # Personal data and internal notes: never kept by a browser or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


def _field_errors(error: DomainError | None) -> dict[str, str]:
    return {} if error is None else {e.field: e.message for e in error.errors}


def _text(form: MultiDictProxy, name: str) -> str | None:
    value = form.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def _routable_agencies(city) -> list:
    return sorted(
        (a for a in city.agencies.values() if a.kind != "oversight"), key=lambda a: a.name
    )


def _routable_categories(city) -> list:
    return [c for c in city.categories.values() if not c.desk]


def _done_message(query) -> str | None:
    action = query.get("selesai")
    if action == PUBLIC_COPY:
        return i18n.t("officer_done.public_copy")
    if action == HIDE_PHOTO:
        return i18n.t("officer_done.hide_photo")
    if action in ("assign", "note"):
        return i18n.t(f"team.page.done_{action}")
    if action not in lifecycle.MOVES:
        return None
    message = i18n.t("officer.done", what=lifecycle.MOVES[action].label.lower())
    code = tracking.normalize(query.get("kode") or "")
    if isinstance(code, str):
        message += i18n.t("officer_page.done_code", code=tracking.display(code))
    return message + "."
