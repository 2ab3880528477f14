"""JSON API v1 handlers for complaints: file one, read it (public, full, a photo), act on it,
edit its public copy, hide a photo, revoke the reporter's token, send a reporter's lost codes.
Each parses the request, calls one service function and formats the answer; the plumbing is in
api.py."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from lapor import (
    complaints,
    emergency,
    i18n,
    lifecycle,
    lost_codes,
    moderation,
    reply_templates,
    schemas,
)
from lapor.auth import OFFICER_TOKEN_PREFIX
from lapor.complaints import Viewer
from lapor.errors import Unauthorized, ValidationFailed
from lapor.photos import check_size
from lapor.web import reads
from lapor.web.api import (
    _bearer,
    _current_agency,
    _officer,
    _viewer,
    idempotency_key,
    params,
    read_json,
    read_multipart,
    routes,
    web_intake,
)
from lapor.web.clients import address_hit, address_of, limit_address
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented


@routes.post("/api/v1/complaints")
@documented(
    summary="File a complaint",
    headers=schemas.IdempotencyHeader,
    body={
        "application/json": schemas.NewComplaint,
        "multipart/form-data": schemas.NewComplaintForm,
    },
    ok=201,
    returns=schemas.Filed,
    problems=(400, 413, 415, 422, 429, 503),
)
async def create_complaint(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    content_type = request.content_type
    if content_type == "application/json":
        data, photos, errors = await read_json(request), [], []
    elif content_type == "multipart/form-data":
        sent = await read_multipart(request)
        data, photos, errors = sent.data, sent.photos, sent.errors
    else:
        raise web.HTTPUnsupportedMediaType(text="Kirim application/json atau multipart/form-data.")
    key = idempotency_key(request)
    intake = web_intake(services, data, photos, errors)
    # Counted once the request is a valid complaint, before anything else is written: in the
    # statement that files it when it is one, else on its connection first.
    filed = await complaints.file_complaint(
        services, intake, key, hit=address_hit(request, "filing_per_address")
    )
    headers = {"Location": f"/api/v1/complaints/{filed.tracking_code}"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return web.json_response(
        {
            # An emergency under way: the numbers to call come first (lapor/emergency.py).
            "emergency": emergency.answer(services.city) if filed.emergency else None,
            "tracking_code": filed.tracking_code,
            "status": filed.status,
            "status_label": lifecycle.STATUS_LABELS[filed.status],
            "category": filed.category,
            "agency": filed.agency,
            "status_url": services.status_url(filed.tracking_code),
            "access_token": filed.access_token,
            "privacy": privacy_answer(filed),
            "priority": filed.priority,
        },
        status=201,
        headers=headers,
    )


SUGGEST_RAHASIA = i18n.t("api.suggest_rahasia")


def privacy_answer(filed: complaints.Filed) -> dict[str, Any]:
    """What intake did with the citizen's privacy: the kinds of personal data hidden from the
    public copy, whether the text is public yet, and the advice to choose rahasia."""
    return {
        "hidden": list(filed.hidden),
        "published": filed.published,
        "suggest_rahasia": filed.suggest_rahasia,
        "message": SUGGEST_RAHASIA if filed.suggest_rahasia else None,
    }


@routes.get("/api/v1/complaints/{code}")
@documented(
    summary="Public status of a complaint (never the reporter)",
    path=schemas.CodePath,
    returns=schemas.PublicComplaint,
    problems=(400, 401, 404, 429),
    auth="optional",
)
async def get_complaint(request: web.Request) -> web.Response:
    viewer = await _viewer(request)
    if viewer.officer is None:  # guessing codes is what the limit is for; officers see them all
        await limit_address(request, "lookups_per_address")
    code = request.match_info["code"]
    # Anyone else on the read replica; the reporter's token or an officer's: the primary.
    view = await reads.public_read(
        request, lambda services: complaints.public_view(services, code, viewer)
    )
    return web.json_response(view)


@routes.get("/api/v1/complaints/{code}/full")
@documented(
    summary="Officer view: text, photos, routing, deadlines, timeline, reporter unless anonim",
    path=schemas.CodePath,
    returns=schemas.FullComplaint,
    problems=(400, 401, 403, 404),
    auth="officer",
)
async def get_complaint_full(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    view = await complaints.full_view(request.app[SERVICES], request.match_info["code"], officer)
    return web.json_response(view)


PHOTO_HEADERS = {"Cache-Control": "private", "X-Content-Type-Options": "nosniff"}


@routes.get("/api/v1/complaints/{code}/photos/{position:\\d+}")
@documented(
    summary="One photo of a complaint (anyone; of a rahasia one: officers and the reporter)",
    path=schemas.PhotoPath,
    query=schemas.PhotoQuery,
    returns={"image/jpeg": None, "image/png": None, "image/webp": None},
    problems=(400, 401, 404, 422),
    auth="optional",
)
async def get_photo(request: web.Request) -> web.Response:
    where = params(schemas.PhotoPath, request.match_info)
    size = check_size(request.query.get("size"))
    viewer = await _viewer(request)
    # On the primary: one small row; the bytes come from the photo store (whose OSError must
    # not pass for a lost replica).
    data, media_type = await complaints.photo(
        request.app[SERVICES], where.code, where.position, viewer, size=size
    )
    return web.Response(body=data, content_type=media_type, headers=PHOTO_HEADERS)


@routes.post("/api/v1/complaints/{code}/actions")
@documented(
    summary="Move a complaint through its lifecycle (officers; the reporter may reopen or close)",
    path=schemas.CodePath,
    body={"application/json": schemas.Action, "multipart/form-data": schemas.ActionForm},
    returns=schemas.PublicComplaint,
    problems=(400, 401, 403, 404, 409, 413, 422),
    auth="optional",
)
async def post_action(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    token = _bearer(request)
    officer = await _officer(request, required=False)
    if request.content_type == "multipart/form-data":  # a resolution with its proof photo
        sent = await read_multipart(request)
        if sent.errors:
            raise ValidationFailed.of(sent.errors)
        data, photos = sent.data, sent.photos
    else:
        data, photos = await read_json(request), []
    if isinstance(data, dict) and not data.get("action"):
        raise ValidationFailed.on("action", i18n.t("validation.action_required"))
    action = schemas.check(schemas.Action, data)
    code = request.match_info["code"]
    if action.template is not None:  # an answer from the agency's reply template
        if action.action != "respond" or action.note:
            raise ValidationFailed.on("template", i18n.t("team.problem.template_respond_only"))
        if officer is None:
            raise Unauthorized(i18n.t("api.officer_token_required"))
        await reply_templates.answer(
            services, code, officer, action.template, internal_note=action.internal_note
        )
    else:
        await lifecycle.act(
            services,
            code,
            lifecycle.ActionRequest(
                action.action,
                action.agency,
                action.category,
                action.note,
                action.internal_note,
                action.duplicate_of,
                tuple(photos),
                action.priority,
                external=action.external,
            ),
            officer=officer,
            reporter_token=None if officer else token,
        )
    if officer is not None and officer.may_see(await _current_agency(services, code)):
        view = await complaints.full_view(services, code, officer)
    elif officer is not None:  # transferred away or sent back to the desk by this move
        view = await complaints.moved_view(services, code, officer)
    else:
        view = await complaints.public_view(services, code, Viewer(officer=officer, token=token))
    return web.json_response(view)


@routes.put("/api/v1/complaints/{code}/public-copy")
@documented(
    summary="Edit what the public reads of a complaint's text and title (never the original), "
    "with a reason; officers of its agency, the desk, the admin",
    path=schemas.CodePath,
    body={"application/json": schemas.PublicCopyEdit},
    returns=schemas.FullComplaint,
    problems=(400, 401, 403, 404, 413, 422),
    auth="officer",
)
async def put_public_copy(request: web.Request) -> web.Response:
    """An officer edits what the public reads of the complaint (never the original)."""
    services = request.app[SERVICES]
    officer = await _officer(request, required=True)
    sent = schemas.check(schemas.PublicCopyEdit, await read_json(request))
    given = sent.model_fields_set
    if "text" not in given and "title" not in given:
        raise ValidationFailed.on("text", i18n.t("validation.public_copy_fields"))
    edit = moderation.PublicCopyEdit(
        sent.reason,
        sent.text if "text" in given else moderation.KEEP,
        sent.title if "title" in given else moderation.KEEP,
    )
    code = request.match_info["code"]
    await moderation.edit_public_copy(services, code, officer, edit)
    return web.json_response(await complaints.full_view(services, code, officer))


@routes.post("/api/v1/complaints/{code}/photos/{position:\\d+}/hide")
@documented(
    summary="Hide a photo from the public, with a reason (never deleted; officers still see "
    "it); officers of its agency, the desk, the admin",
    path=schemas.PhotoPath,
    body={"application/json": schemas.HidePhoto},
    returns=schemas.FullComplaint,
    problems=(400, 401, 403, 404, 413, 422),
    auth="officer",
)
async def hide_photo(request: web.Request) -> web.Response:
    """An officer hides a photo from the public, with a reason (never deletes it)."""
    services = request.app[SERVICES]
    officer = await _officer(request, required=True)
    where = params(schemas.PhotoPath, request.match_info)
    sent = schemas.check(schemas.HidePhoto, await read_json(request))
    await moderation.hide_photo(services, where.code, officer, where.position, sent.reason)
    return web.json_response(await complaints.full_view(services, where.code, officer))


@routes.post("/api/v1/complaints/{code}/token/revoke")
@documented(
    summary="The reporter revokes their access token (Bearer lpr_...) and receives the next "
    "one; the old one stops working",
    path=schemas.CodePath,
    returns=schemas.NewAccessToken,
    problems=(400, 401, 403, 404),
    auth="optional",
)
async def revoke_reporter_token(request: web.Request) -> web.Response:
    """The reporter revokes their access token and receives the next one."""
    token = _bearer(request)
    if token is not None and token.startswith(OFFICER_TOKEN_PREFIX):
        token = None  # an officer's token is no reporter's
    new_token = await complaints.revoke_reporter_token(
        request.app[SERVICES], request.match_info["code"], token
    )
    return web.json_response({"access_token": new_token})


@routes.post("/api/v1/lost-codes")
@documented(
    summary="Lupa kode?: send a reporter's tracking codes to the phone (WhatsApp) or e-mail "
    "they reported with; the answer is the same whether or not any were found",
    body={"application/json": schemas.LostCodesRequest},
    ok=202,
    returns=schemas.LostCodesAnswer,
    problems=(400, 413, 422, 429),
)
async def api_lost_codes(request: web.Request) -> web.Response:
    asked = schemas.check(schemas.LostCodesRequest, await read_json(request))
    services = request.app[SERVICES]
    await lost_codes.send_codes(services, asked.contact, client=address_of(request))
    return web.json_response({"detail": lost_codes.sent_sentence()}, status=202)
