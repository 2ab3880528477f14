"""JSON API v1 handlers: parse the request, call one service function, format the answer."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from lapor import complaints, i18n, lifecycle, moderation, officers, schemas
from lapor.auth import OFFICER_TOKEN_PREFIX, Officer, authenticate, revoke_token
from lapor.complaints import Viewer
from lapor.context import Services
from lapor.errors import (
    DomainError,
    FieldError,
    PayloadTooLarge,
    Unauthorized,
    ValidationFailed,
)
from lapor.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, Photo, accept_photo, check_size
from lapor.web.clients import limit_address
from lapor.web.keys import SERVICES
from lapor.web.openapi import documented

JSON_MAX_BYTES = 1024 * 1024
FORM_FIELD_MAX_BYTES = 64 * 1024
MAX_FORM_PARTS = 40

routes = web.RouteTableDef()


# ----------------------------------------------------------------------- request plumbing


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    token = token.strip()
    if not token.isascii() or not token.isprintable():  # tokens are ASCII; a header may not be
        raise Unauthorized(i18n.t("api.bad_token"))
    return token


async def _officer(request: web.Request, *, required: bool) -> Officer | None:
    token = _bearer(request)
    if token is None or not token.startswith(OFFICER_TOKEN_PREFIX):
        if required:
            raise Unauthorized(i18n.t("api.officer_token_required"))
        return None
    services = request.app[SERVICES]
    async with services.pool.acquire() as conn:
        return await authenticate(conn, token, services.clock.now())


async def _viewer(request: web.Request) -> Viewer:
    token = _bearer(request)
    if token is not None and token.startswith(OFFICER_TOKEN_PREFIX):
        return Viewer(officer=await _officer(request, required=True))
    return Viewer(token=token)


async def _read_limited(stream, limit: int, field: str, message: str) -> bytes:
    """Read a body or a multipart part, refusing it as soon as it passes the limit."""
    read = stream.read_chunk if isinstance(stream, BodyPartReader) else stream.read
    chunks, size = [], 0
    while chunk := await read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge.on(field, message)
        chunks.append(chunk)
    return b"".join(chunks)


def _not_json(message: str) -> DomainError:
    return DomainError(i18n.t("api.not_json"), [FieldError("body", message)])


async def read_json(request: web.Request) -> Any:
    """The body as JSON; a string no column can hold (NUL, a lone surrogate) is named here,
    before any model or database sees it."""
    if request.content_length is not None and request.content_length > JSON_MAX_BYTES:
        raise PayloadTooLarge.on("body", "isi JSON paling besar 1 MB")
    raw = await _read_limited(request.content, JSON_MAX_BYTES, "body", "isi JSON paling besar 1 MB")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise _not_json("JSON bersarang terlalu dalam") from None
    except ValueError as error:  # also UnicodeDecodeError, and integers of 4300+ digits
        raise _not_json(str(error)[:200]) from None
    problem = schemas.unsafe_text(data)
    if problem is not None:
        raise ValidationFailed.of([problem])
    return data


def params(model: type[schemas.M], values: Mapping[str, str]) -> schemas.M:
    """Path or query parameters as their model (the first of repeated ones)."""
    return schemas.check(model, {key: values.get(key) for key in values})


PHOTO_FIELDS = ("photos", "photo")
_TRUE, _FALSE = {"true", "1", "on", "ya", "yes"}, {"false", "0", "off", "tidak", "no", ""}
_NESTED = {
    "lat": ("location", "lat"),
    "lon": ("location", "lon"),
    "address": ("location", "address"),
    "kelurahan": ("location", "kelurahan"),
    "kecamatan": ("location", "kecamatan"),
    "reporter_name": ("reporter", "name"),
    "reporter_phone": ("reporter", "phone"),
    "reporter_email": ("reporter", "email"),
}


# An intake error's field, as the form calls it ("reporter.phone" -> "reporter_phone").
FORM_FIELDS = {f"{outer}.{inner}": name for name, (outer, inner) in _NESTED.items()}


def _form_value(name: str, value: str, errors: list[FieldError]) -> Any:
    if name in ("rahasia", "anonim"):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        errors.append(FieldError(name, "harus true atau false"))
        return None
    if name in ("lat", "lon"):
        if not value.strip():
            return None
        try:
            return float(value)
        except ValueError:
            errors.append(FieldError(f"location.{name}", "harus berupa angka"))
            return None
    return value if value.strip() else None


class IntakeForm:
    """A complaint sent as form fields (the API's multipart, the report page's form), mapped
    onto the nested shape `parse_intake` checks. One mapping for both doors; conversion
    problems are kept and reported together with the intake's own (see `web_intake`)."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.photos: list[Photo] = []
        self.errors: list[FieldError] = []

    def add_field(self, name: str, text: str) -> None:
        value = _form_value(name, text, self.errors)
        if value is None:
            return
        if name in _NESTED:
            outer, inner = _NESTED[name]
            self.data.setdefault(outer, {})[inner] = value
        else:
            self.data[name] = value

    async def add_photo(self, raw: bytes, field: str = "photos") -> None:
        if not raw:  # a browser sends an empty part when no file was chosen
            return
        if len(self.photos) >= MAX_PHOTOS:
            raise ValidationFailed.on(
                field, i18n.t("validation.too_many_photos", maximum=MAX_PHOTOS)
            )
        try:
            self.photos.append(await accept_photo(raw, field=field))
        except ValidationFailed as error:
            self.errors.extend(error.errors)


def _broken_form(detail: str) -> DomainError:
    return DomainError(i18n.t("api.bad_multipart"), [FieldError("body", detail)])


async def read_multipart(request: web.Request) -> IntakeForm:
    """Form fields and photos from multipart/form-data, reading each part with its own limit.
    A field that is not UTF-8 is refused as on the JSON path (never silently replaced)."""
    intake_form = IntakeForm()
    parts = 0
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            parts += 1
            if parts > MAX_FORM_PARTS or not isinstance(part, BodyPartReader):
                raise ValidationFailed.on("body", "terlalu banyak bagian dalam formulir")
            name = part.name or ""
            if schemas.unsafe_text(name) is not None:
                raise ValidationFailed.on("body", i18n.t("validation.bad_field_name"))
            if name in PHOTO_FIELDS:
                message = "Setiap foto paling besar 5 MB."
                raw = await _read_limited(part, MAX_PHOTO_BYTES, name, message)
                await intake_form.add_photo(raw, name)
                continue
            field = name or "body"
            raw = await _read_limited(part, FORM_FIELD_MAX_BYTES, field, "kolom terlalu besar")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationFailed.on(field, i18n.t("validation.not_utf8")) from None
            intake_form.add_field(name, text)
    except (ValueError, AssertionError, LookupError, TypeError, HttpProcessingError) as error:
        # aiohttp's reader on a broken body: no boundary, a bad header, a truncated part.
        raise _broken_form(str(error)[:200] or "formulir rusak") from None
    return intake_form


def web_intake(
    services: Services,
    data: Any,
    photos: Sequence[Photo] = (),
    errors: Sequence[FieldError] = (),
) -> complaints.Intake:
    """A complaint from the web (the API or the report page), checked by the one intake;
    `errors` found while reading a form are reported with the intake's own."""
    found = list(errors)
    try:
        intake = complaints.parse_intake(
            data,
            channel="web",
            category_codes=list(services.city.categories),
            rahasia_default=services.city.rahasia_default,
            anonim_default=services.city.anonim_default,
            photos=photos,
        )
    except ValidationFailed as error:
        found.extend(error.errors)
    if found:
        raise ValidationFailed.of(found)
    return intake


# ------------------------------------------------------------------------------- handlers


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
    problems=(400, 413, 415, 422, 429),
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
    key = request.headers.get("Idempotency-Key")
    if key is not None and (not 1 <= len(key) <= 200 or schemas.unsafe_text(key) is not None):
        raise ValidationFailed.on("Idempotency-Key", "panjang kunci 1 sampai 200 karakter")
    intake = web_intake(services, data, photos, errors)
    # Counted once the request is a valid complaint, before anything is written.
    await limit_address(request, "filing_per_address")
    filed = await complaints.file_complaint(services, intake, key)
    headers = {"Location": f"/api/v1/complaints/{filed.tracking_code}"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return web.json_response(
        {
            "tracking_code": filed.tracking_code,
            "status": filed.status,
            "status_label": lifecycle.STATUS_LABELS[filed.status],
            "category": filed.category,
            "agency": filed.agency,
            "status_url": services.status_url(filed.tracking_code),
            "access_token": filed.access_token,
            "privacy": privacy_answer(filed),
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
    view = await complaints.public_view(request.app[SERVICES], request.match_info["code"], viewer)
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


@routes.delete("/api/v1/tokens/current")
@documented(
    summary="Revoke the officer API token this request carries",
    ok=204,
    problems=(401,),
    auth="officer",
)
async def revoke_current_token(request: web.Request) -> web.Response:
    """An officer revokes the API token this request carries."""
    services = request.app[SERVICES]
    await _officer(request, required=True)
    async with services.pool.acquire() as conn:
        await revoke_token(conn, _bearer(request) or "", services.clock.now())
    return web.Response(status=204)


@routes.delete("/api/v1/officers/{officer_id:\\d+}/tokens")
@documented(
    summary="The admin revokes every API token of an officer",
    path=schemas.OfficerPath,
    returns=schemas.Revoked,
    problems=(400, 401, 403, 404),
    auth="officer",
)
async def revoke_officer_tokens(request: web.Request) -> web.Response:
    """The admin revokes every API token of an officer."""
    officer = await _officer(request, required=True)
    where = params(schemas.OfficerPath, request.match_info)
    count = await officers.revoke_tokens(request.app[SERVICES], officer, where.officer_id)
    return web.json_response({"revoked": count})


@routes.get("/api/v1/moderation")
@documented(
    summary="The moderation log, newest first: the city for the admin and the desk, an "
    "officer's own agency",
    query=schemas.ModerationQuery,
    returns=schemas.ModerationLog,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_moderation_log(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.ModerationQuery, request.query)
    result = await moderation.moderation_log(
        request.app[SERVICES],
        officer,
        agency=query.agency,
        before=query.before,
        limit=query.limit,
    )
    return web.json_response(result)


async def _current_agency(services, code: str) -> str | None:
    return await complaints.current_agency(services, complaints.parse_code(code))


@routes.get("/api/v1/queue")
@documented(
    summary="The caller's open complaints, most urgent first",
    query=schemas.QueueQuery,
    returns=schemas.Queue,
    problems=(401, 403, 422),
    auth="officer",
)
async def get_queue(request: web.Request) -> web.Response:
    officer = await _officer(request, required=True)
    query = params(schemas.QueueQuery, request.query)
    result = await complaints.queue(
        request.app[SERVICES],
        officer,
        status=query.status,
        category=query.category,
        agency=query.agency,
        cursor=query.cursor,
        limit=query.limit,
    )
    return web.json_response(result)


@routes.get("/api/v1/categories")
@documented(summary="Complaint categories and the agency each goes to", returns=[schemas.Category])
async def get_categories(request: web.Request) -> web.Response:
    city = request.app[SERVICES].city
    return web.json_response(
        [
            {
                "code": c.code,
                "name": c.name,
                "agency": c.agency,
                "agency_name": city.agencies[c.agency].name,
                "desk": c.desk,
            }
            for c in city.categories.values()
        ]
    )


@routes.get("/api/v1/agencies")
@documented(summary="The city's agencies (OPD)", returns=[schemas.Agency])
async def get_agencies(request: web.Request) -> web.Response:
    city = request.app[SERVICES].city
    return web.json_response(
        [
            {
                "code": a.code,
                "name": a.name,
                "short_name": a.short_name,
                "kind": a.kind,
                "parent": a.parent,
                "categories": [c.code for c in city.categories.values() if c.agency == a.code],
            }
            for a in city.agencies.values()
        ]
    )
