"""Logging in and out under /petugas."""

from __future__ import annotations

from aiohttp import web

from lapor import (
    sessions,
)
from lapor.ratelimit import TooManyRequests
from lapor.web import clients
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    HOME,
    LOGIN,
    SESSION_COOKIE,
    _render,
    _set_session_cookie,
    current_officer,
    routes,
    safe_next,
)
from lapor.web.problems import retry_after


@routes.get("/petugas")
async def officer_home(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther(HOME)


@routes.get(LOGIN)
async def login_form(request: web.Request) -> web.Response:
    next_path = safe_next(request.query.get("lanjut"))
    if await current_officer(request) is not None:
        raise web.HTTPSeeOther(next_path or HOME)
    return _render(
        request,
        "petugas/masuk.html",
        None,
        {"next_path": next_path, "logged_out": "keluar" in request.query},
    )


@routes.post(LOGIN)
async def login(request: web.Request) -> web.Response:
    form = await request.post()
    username = form.get("username") if isinstance(form.get("username"), str) else ""
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    next_path = safe_next(form.get("lanjut"))
    try:
        session = await sessions.login(
            request.app[SERVICES], username, password, clients.address_of(request)
        )
    except (sessions.LoginRefused, TooManyRequests) as error:
        page = _render(
            request,
            "petugas/masuk.html",
            None,
            {"next_path": next_path, "error": error.detail, "username": username[:100]},
            error.status,
        )
        return retry_after(page, error)
    response = web.HTTPSeeOther(next_path or HOME)
    _set_session_cookie(request, response, session.token)
    raise response


@routes.post("/petugas/keluar")
async def logout(request: web.Request) -> web.Response:
    await sessions.logout(request.app[SERVICES], request.cookies.get(SESSION_COOKIE))
    response = web.HTTPSeeOther(f"{LOGIN}?keluar=1")
    response.del_cookie(SESSION_COOKIE, path="/petugas")
    raise response
