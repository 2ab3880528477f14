"""Pages for officers under /petugas: login, the queue, a complaint, the desk, admin.

Thin: each handler checks the session (`require_officer`), calls one service function
(sessions, complaints, lifecycle, desk, officers, models, reports) and renders a template.
Domain errors from a form come back as the same page with the message; everything else
becomes the HTML error page (403 for another agency's complaint, 404, ...).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from lapor import (
    complaints,
    desk,
    i18n,
    lifecycle,
    models,
    moderation,
    officers,
    privacy,
    reports,
    sessions,
    tracking,
)
from lapor.auth import Officer
from lapor.calendar import local_time
from lapor.complaints import Viewer
from lapor.errors import DomainError, Forbidden, NotFound, ValidationFailed
from lapor.photos import MAX_PHOTO_BYTES, accept_photo, check_size
from lapor.ratelimit import TooManyRequests
from lapor.sla import calendar_for
from lapor.web import clients, pagekit
from lapor.web.api import _current_agency
from lapor.web.keys import SERVICES, SETTINGS
from lapor.web.problems import retry_after
from lapor.web.reports_api import report_file_response, reports_dir

routes = web.RouteTableDef()

SESSION_COOKIE = "lapor_session"
HOME = "/petugas/antrian"
LOGIN = "/petugas/masuk"
QUEUE_PAGE_SIZE = 25
DESK_PAGE_SIZE = 15
LEAFLET = pagekit.STATIC_DIR / "leaflet" / "leaflet.js"

SLA_LABELS = {"green": "Hijau", "amber": "Kuning", "red": "Merah"}
# Fields each action form sends, besides `action`; the rest of a form is ignored.
ACTION_FIELDS = ("agency", "category", "note", "internal_note", "duplicate_of")
ADMIN_DONE = i18n.section("admin_done")  # what the admin page says after a change
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


def _duration(services, hours: float) -> str:
    """Working time in words: '2 hari 3 jam kerja' (a working day is the office day)."""
    day = calendar_for(services.city).workday_length.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} menit kerja"
    days, rest = divmod(hours, day)
    parts = []
    if days:
        parts.append(f"{int(days)} hari")
    if round(rest):
        parts.append(f"{round(rest)} jam")
    return " ".join(parts or ["1 jam"]) + " kerja"


def _sla_view(services, sla: dict[str, Any] | None) -> dict[str, str] | None:
    if not sla:
        return None
    hours = sla["working_hours_left"]
    left = (
        f"sisa {_duration(services, hours)}"
        if hours >= 0
        else f"lewat {_duration(services, -hours)}"
    )
    return {
        "state": sla["state"],
        "label": SLA_LABELS[sla["state"]],
        "left": left,
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


# --------------------------------------------------------------------------------- login


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


# --------------------------------------------------------------------------------- queue


@routes.get("/petugas/antrian")
async def queue_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    query = request.query
    filters = {name: (query.get(name) or "").strip() or None for name in ("status", "category")}
    if officer.role != "officer":
        filters["agency"] = (query.get("agency") or "").strip() or None
    error, status = None, 200
    try:
        result = await complaints.queue(
            services,
            officer,
            **filters,
            cursor=query.get("cursor") or None,
            limit=QUEUE_PAGE_SIZE,
        )
    except ValidationFailed as failed:
        error, status = failed, failed.status
        result = {"items": [], "next_cursor": None}
    chosen = {name: value for name, value in filters.items() if value}
    next_url = None
    if result["next_cursor"]:
        next_url = "/petugas/antrian?" + urlencode({**chosen, "cursor": result["next_cursor"]})
    first_url = "/petugas/antrian" + (f"?{urlencode(chosen)}" if chosen else "")
    return _render(
        request,
        "petugas/antrian.html",
        officer,
        {
            "items": result["items"],
            "next_url": next_url,
            "filters": filters,
            "first_url": first_url if query.get("cursor") else None,
            "statuses": complaints.queue_statuses(officer),
            "status_labels": lifecycle.STATUS_LABELS,
            "categories": list(services.city.categories.values()),
            "agencies": _routable_agencies(services.city),
            "error": error,
            "done": _done_message(query),
        },
        status,
    )


def _done_message(query) -> str | None:
    action = query.get("selesai")
    if action == PUBLIC_COPY:
        return i18n.t("officer_done.public_copy")
    if action == HIDE_PHOTO:
        return i18n.t("officer_done.hide_photo")
    if action not in lifecycle.MOVES:
        return None
    message = i18n.t("officer.done", what=lifecycle.MOVES[action].label.lower())
    code = tracking.normalize(query.get("kode") or "")
    if isinstance(code, str):
        message += f" (laporan {tracking.display(code)})"
    return message + "."


# ----------------------------------------------------------------------------- complaint


def _available_actions(officer: Officer, view: dict[str, Any]) -> list[str]:
    agency = view["agency"]["code"] if view["agency"] else None
    roles = officer.roles_for(agency)
    return [
        action
        for action in lifecycle.allowed_actions(view["status"])
        if roles & lifecycle.MOVES[action].actors
    ]


def _routing_terms(services, view: dict[str, Any]) -> tuple[list[str], str | None]:
    """The stored terms that weighed most; for an older complaint without them, the active
    model's, said so."""
    stored = view["routing"]["top_terms"] or []
    if stored or not hasattr(services.router, "model"):
        return list(stored), None
    try:
        decision = services.router.route(view["text"], view["category_hint"])
    except Exception:  # a text the model cannot read: nothing to show
        return [], None
    return list(decision.top_terms), decision.model_version


async def _complaint_page(
    request: web.Request,
    officer: Officer,
    *,
    error: DomainError | None = None,
    failed: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    code = request.match_info["code"]
    view = await complaints.full_view(services, code, officer)
    terms, terms_model = _routing_terms(services, view)
    city = services.city
    predicted = view["routing"]["predicted_category"]
    return _render(
        request,
        "petugas/laporan.html",
        officer,
        {
            "c": view,
            "code": view["tracking_code"],
            "actions": _available_actions(officer, view),
            "moves": lifecycle.MOVES,
            "status_labels": lifecycle.STATUS_LABELS,
            "agencies": _routable_agencies(city),
            "categories": _routable_categories(city),
            "category_names": {c.code: c.name for c in city.categories.values()},
            "predicted_name": city.categories[predicted].name if predicted else None,
            "terms": terms,
            "terms_model": terms_model,
            "leaflet": LEAFLET.is_file(),
            "tiles": request.app[SETTINGS].map_tiles,
            "requires_photo": city.resolve_requires_photo,
            "found_labels": [privacy.LABELS[kind] for kind in view["privacy"]["found"]],
            "error": error,
            "field_errors": _field_errors(error),
            "failed": failed,
            "values": values or {},
            "done": _done_message(request.query),
        },
        status,
    )


@routes.get("/petugas/laporan/{code}")
async def complaint_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    return await _complaint_page(request, officer)


async def _uploaded_photo(form: MultiDictProxy) -> tuple:
    upload = form.get("photo")
    if not isinstance(upload, web.FileField):
        return ()
    data = upload.file.read(MAX_PHOTO_BYTES + 1)
    if not data:  # the browser sends an empty part when no file was chosen
        return ()
    return (await accept_photo(data, field="photo"),)


@routes.post("/petugas/laporan/{code}/aksi")
async def complaint_action(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    code = request.match_info["code"]
    form = await request.post()
    action = _text(form, "action") or ""
    fields = {name: _text(form, name) for name in ACTION_FIELDS}
    try:
        await lifecycle.act(
            services,
            code,
            lifecycle.ActionRequest(action, **fields, photos=await _uploaded_photo(form)),
            officer=officer,
        )
    except DomainError as error:
        # The page again, with the message and what was typed (the page itself answers 403
        # or 404 when this officer may not see the complaint at all).
        values = {name: value for name, value in fields.items() if value}
        return await _complaint_page(
            request, officer, error=error, failed=action, values=values, status=error.status
        )
    code = complaints.parse_code(code)
    done = urlencode({"selesai": action, "kode": code})
    back = safe_next(form.get("kembali"), default=None)
    if back:
        target = f"{back}{'&' if '?' in back else '?'}{done}"
    elif officer.may_see(await _current_agency(services, code)):
        target = f"/petugas/laporan/{code}?{urlencode({'selesai': action})}"
    else:  # transferred away or sent back to the desk: no longer this officer's to see
        target = f"{HOME}?{done}"
    raise web.HTTPSeeOther(target)


@routes.post("/petugas/laporan/{code}/salinan-publik")
async def complaint_public_copy(request: web.Request) -> web.Response:
    """Edit what the public reads of the complaint, with a reason (moderation.py)."""
    officer = await require_officer(request)
    form = await request.post()
    edit = moderation.PublicCopyEdit(
        _text(form, "reason"), _text(form, "text"), _text(form, "title")
    )
    try:
        await moderation.edit_public_copy(
            request.app[SERVICES], request.match_info["code"], officer, edit
        )
    except DomainError as error:
        values = {
            name: value
            for name in moderation.EDIT_FIELDS
            if isinstance(value := form.get(name), str)
        }
        return await _complaint_page(
            request, officer, error=error, failed=PUBLIC_COPY, values=values, status=error.status
        )
    code = complaints.parse_code(request.match_info["code"])
    raise web.HTTPSeeOther(f"/petugas/laporan/{code}?{urlencode({'selesai': PUBLIC_COPY})}")


@routes.post("/petugas/laporan/{code}/foto/{position:\\d+}/sembunyikan")
async def complaint_hide_photo(request: web.Request) -> web.Response:
    """Hide a photo from the public, with a reason (moderation.hide_photo)."""
    officer = await require_officer(request)
    form = await request.post()
    position = int(request.match_info["position"])
    try:
        await moderation.hide_photo(
            request.app[SERVICES],
            request.match_info["code"],
            officer,
            position,
            _text(form, "reason"),
        )
    except DomainError as error:
        reason = form.get("reason")
        return await _complaint_page(
            request,
            officer,
            error=error,
            failed=f"{HIDE_PHOTO}-{position}",
            values={"reason": reason} if isinstance(reason, str) else {},
            status=error.status,
        )
    code = complaints.parse_code(request.match_info["code"])
    raise web.HTTPSeeOther(f"/petugas/laporan/{code}?{urlencode({'selesai': HIDE_PHOTO})}")


@routes.get("/petugas/laporan/{code}/foto/{position:\\d+}")
async def complaint_photo(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    # The officer pages show a photo to those who may open the complaint here; the public's
    # copy of a public complaint's photos is the API's photo route.
    if not officer.may_see(await _current_agency(services, request.match_info["code"])):
        raise NotFound(i18n.t("problem.that_photo_not_found"))
    data, media_type = await complaints.photo(
        services,
        request.match_info["code"],
        int(request.match_info["position"]),
        Viewer(officer=officer),
        size=check_size(request.query.get("size")),
    )
    return web.Response(
        body=data,
        content_type=media_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


# ---------------------------------------------------------------------------------- desk


@routes.get("/petugas/meja")
async def desk_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "verifier", "admin")
    services = request.app[SERVICES]
    result = await desk.desk_queue(
        services, officer, cursor=request.query.get("cursor") or None, limit=DESK_PAGE_SIZE
    )
    next_url = None
    if result["next_cursor"]:
        next_url = "/petugas/meja?" + urlencode({"cursor": result["next_cursor"]})
    return _render(
        request,
        "petugas/meja.html",
        officer,
        {
            "items": result["items"],
            "next_url": next_url,
            "category_names": {c.code: c.name for c in services.city.categories.values()},
            "done": _done_message(request.query),
        },
    )


# --------------------------------------------------------------------------------- admin


async def _admin_page(
    request: web.Request,
    officer: Officer,
    *,
    error: DomainError | None = None,
    failed: str | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    city = services.city
    async with services.pool.acquire() as conn:
        model_versions = await models.list_models(conn)
    router_model = getattr(services.router, "model", None)
    return _render(
        request,
        "petugas/admin.html",
        officer,
        {
            "accounts": await officers.list_accounts(services),
            "agencies": list(city.agencies.values()),
            "routable_agencies": _routable_agencies(city),
            "categories_of": {
                a.code: [c for c in city.categories.values() if c.agency == a.code]
                for a in city.agencies.values()
            },
            "models": model_versions,
            "routing_version": getattr(router_model, "version", None),
            "reports": await reports.list_reports(services, officer),
            "month_key": reports.month_key,
            "month_label": reports.month_label,
            "error": error,
            "field_errors": _field_errors(error),
            "failed": failed,
            "values": values or {},
            "done": ADMIN_DONE.get(request.query.get("selesai", "")),
        },
        status,
    )


@routes.get("/petugas/admin")
async def admin_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    return await _admin_page(request, officer)


async def _admin_change(request: web.Request, failed: str, change) -> web.Response:
    """Run one admin change; on a domain error show the admin page with the message."""
    officer = await require_officer(request, "admin")
    form = await request.post()
    try:
        done, anchor = await change(request.app[SERVICES], officer, form)
    except DomainError as error:
        values = {
            name: value
            for name, value in form.items()
            if isinstance(value, str) and "password" not in name and name != pagekit.CSRF_FIELD
        }
        return await _admin_page(
            request, officer, error=error, failed=failed, values=values, status=error.status
        )
    raise web.HTTPSeeOther(f"/petugas/admin?selesai={done}#{anchor}")


def _officer_id(request: web.Request) -> int:
    return int(request.match_info["officer_id"])


@routes.post("/petugas/admin/petugas")
async def admin_create_officer(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        await officers.create(
            services,
            _text(form, "username") or "",
            _text(form, "display_name"),
            _text(form, "role") or "",
            _text(form, "agency"),
            form.get("password") if isinstance(form.get("password"), str) else None,
        )
        return "dibuat", "petugas"

    return await _admin_change(request, "create", change)


@routes.post("/petugas/admin/petugas/{officer_id:\\d+}/peran")
async def admin_change_role(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        await officers.change_role(
            services,
            officer,
            _officer_id(request),
            _text(form, "role") or "",
            _text(form, "agency"),
        )
        return "peran", "petugas"

    return await _admin_change(request, f"role-{_officer_id(request)}", change)


@routes.post("/petugas/admin/petugas/{officer_id:\\d+}/status")
async def admin_set_active(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        active = form.get("active") == "1"
        await officers.set_active(services, officer, _officer_id(request), active)
        return ("aktif" if active else "nonaktif"), "petugas"

    return await _admin_change(request, f"status-{_officer_id(request)}", change)


@routes.post("/petugas/admin/petugas/{officer_id:\\d+}/sandi")
async def admin_reset_password(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        password = form.get("password") if isinstance(form.get("password"), str) else None
        await officers.set_password(services, _officer_id(request), password)
        return "sandi", "petugas"

    return await _admin_change(request, f"password-{_officer_id(request)}", change)


@routes.post("/petugas/admin/petugas/{officer_id:\\d+}/token")
async def admin_revoke_tokens(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        await officers.revoke_tokens(services, officer, _officer_id(request))
        return "token", "petugas"

    return await _admin_change(request, f"token-{_officer_id(request)}", change)


@routes.post("/petugas/admin/model")
async def admin_activate_model(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        await models.switch(services, _text(form, "version") or "")
        return "model", "model"

    return await _admin_change(request, "model", change)


@routes.get("/petugas/admin/moderasi")
async def moderation_page(request: web.Request) -> web.Response:
    """The moderation log: every edit of a public copy, newest first, with its reason."""
    officer = await require_officer(request, "admin")
    before = request.query.get("sebelum")
    result = await moderation.moderation_log(
        request.app[SERVICES],
        officer,
        before=int(before) if before and before.isdigit() else None,
        limit=moderation.LOG_PAGE,
    )
    next_url = None
    if result["next_before"]:
        next_url = "/petugas/admin/moderasi?" + urlencode({"sebelum": result["next_before"]})
    return _render(
        request,
        "petugas/moderasi.html",
        officer,
        {"items": result["items"], "next_url": next_url, "first": before is not None},
    )


# ------------------------------------------------------------------------------- reports


@routes.get("/petugas/rekap")
async def reports_page(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    services = request.app[SERVICES]
    return _render(
        request,
        "petugas/rekap.html",
        officer,
        {
            "reports": await reports.list_reports(services, officer),
            "month_key": reports.month_key,
            "month_label": reports.month_label,
        },
    )


@routes.get("/petugas/rekap/{month}/{file}")
async def report_download(request: web.Request) -> web.StreamResponse:
    officer = await require_officer(request)
    path = await reports.report_file(
        request.app[SERVICES],
        reports_dir(request.app),
        officer,
        request.match_info["month"],
        request.match_info["file"],
    )
    return report_file_response(path)
