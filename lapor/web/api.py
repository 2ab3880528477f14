"""JSON API v1, the request plumbing: the bearer token, the officer or viewer behind it, the
body as JSON or as a form (`IntakeForm`, shared with the report page), the one web intake, and
the route table the handlers add to (api_complaints.py, api_officers.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from lapor import complaints, i18n, schemas
from lapor.auth import OFFICER_TOKEN_PREFIX, Officer, authenticate
from lapor.complaints import Viewer
from lapor.context import Services
from lapor.errors import (
    DomainError,
    FieldError,
    PayloadTooLarge,
    Unauthorized,
    ValidationFailed,
)
from lapor.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, Photo, accept_photo
from lapor.web.keys import SERVICES

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


async def read_body(request: web.Request) -> bytes:
    """The raw body, at most JSON_MAX_BYTES (a webhook checks its signature over it)."""
    if request.content_length is not None and request.content_length > JSON_MAX_BYTES:
        raise PayloadTooLarge.on("body", "isi JSON paling besar 1 MB")
    return await _read_limited(
        request.content, JSON_MAX_BYTES, "body", "isi JSON paling besar 1 MB"
    )


async def read_json(request: web.Request) -> Any:
    """The body as JSON (`parse_json`)."""
    return parse_json(await read_body(request))


def parse_json(raw: bytes) -> Any:
    """A body as JSON; a string no column can hold (NUL, a lone surrogate) is named here,
    before any model or database sees it."""
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


def idempotency_key(request: web.Request) -> str | None:
    """The Idempotency-Key header (filing, support), checked: 1 to 200 characters a column
    can hold."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and (not 1 <= len(key) <= 200 or schemas.unsafe_text(key) is not None):
        raise ValidationFailed.on("Idempotency-Key", "panjang kunci 1 sampai 200 karakter")
    return key


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
            city=services.city,
        )
    except ValidationFailed as error:
        found.extend(error.errors)
    if found:
        raise ValidationFailed.of(found)
    return intake


async def _current_agency(services, code: str) -> str | None:
    return await complaints.current_agency(services, complaints.parse_code(code))
