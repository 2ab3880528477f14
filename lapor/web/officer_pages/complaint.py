"""One complaint for an officer: its page, the moves the lifecycle allows this officer (an
answer from a reply template among them), its owner and notes (forms posted to team.py), the
public copy, hiding and showing photos."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDictProxy

from lapor import (
    assignment,
    complaints,
    desk,
    i18n,
    lifecycle,
    moderation,
    officers,
    priority,
    privacy,
    reply_templates,
)
from lapor.auth import Officer
from lapor.complaints import Viewer
from lapor.errors import DomainError, NotFound, ValidationFailed
from lapor.photos import MAX_PHOTO_BYTES, accept_photo, check_size
from lapor.web.api import _current_agency
from lapor.web.keys import SERVICES, SETTINGS
from lapor.web.officer_pages.common import (
    ACTION_FIELDS,
    HIDE_PHOTO,
    HOME,
    LEAFLET,
    PUBLIC_COPY,
    _done_message,
    _field_errors,
    _render,
    _routable_agencies,
    _routable_categories,
    _text,
    require_officer,
    routes,
    safe_next,
)


def _available_actions(officer: Officer, view: dict[str, Any]) -> list[str]:
    agency = view["agency"]["code"] if view["agency"] else None
    return lifecycle.allowed_moves(officer, view["status"], agency)


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
    agency = view["agency"]["code"] if view["agency"] else None
    owner = view["assignee"]["id"] if view["assignee"] else None
    owning = assignment.choices(officer, agency, view["status"], owner)
    actions = _available_actions(officer, view)
    return _render(
        request,
        "petugas/laporan.html",
        officer,
        {
            "c": view,
            "code": view["tracking_code"],
            "actions": actions,
            "moves": lifecycle.MOVES,
            "priorities": priority.PRIORITIES[::-1],
            "status_labels": lifecycle.STATUS_LABELS,
            "agencies": _routable_agencies(city),
            "externals": list(city.externals.values()),
            "categories": _routable_categories(city),
            "category_names": {c.code: c.name for c in city.categories.values()},
            "predicted_name": city.categories[predicted].name if predicted else None,
            # Where the verify form starts: the desk's first suggestion, never an agency that
            # answered "bukan wewenang" for this complaint.
            "verify_default": desk.first_choice(services, view) if "verify" in actions else None,
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
            "owning": owning,
            "team": await officers.team(services, agency) if "assign" in owning else [],
            "templates": await reply_templates.offered(services, officer, code),
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
    template = _text(form, "template")
    try:
        if action == "respond" and template is not None:  # the answer from a reply template
            if not template.isdigit() or len(template) > 18:
                raise ValidationFailed.on("template", i18n.t("team.problem.not_a_number"))
            await reply_templates.answer(services, code, officer, int(template))
        else:
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
