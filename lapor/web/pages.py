"""Server-rendered pages for citizens: the report form, the status look-up and page, the list
and map of public reports, and each agency's performance. Every page works without
JavaScript; public.js adds the maps (Leaflet) on top.

The form files a complaint through the API's own steps (`api.IntakeForm`, `api.web_intake`,
`complaints.file_complaint`), after offering similar open reports (support_pages.py); the
performance pages show `reports.build_report`'s figures. Longer than 400 lines because the
form, the status page and the lists share the page cache and the render helpers above them.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable, Hashable
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.web_request import FileField

from lapor import complaints, emergency, i18n, open_data, privacy, public, reports
from lapor.calendar import local_time
from lapor.complaints import Viewer
from lapor.errors import DomainError, FieldError, IdempotencyMismatch, NotFound, ValidationFailed
from lapor.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from lapor.web import api, clients, pagekit, reads, support_pages
from lapor.web.keys import SERVICES, SETTINGS

routes = web.RouteTableDef()
T = TypeVar("T")

# A rahasia complaint is hidden from everyone but its reporter and the officers. The browser
# that filed it gets the reporter's access token in a cookie for that complaint's page only,
# until the browser closes, so the citizen sees what they just sent.
REPORTER_COOKIE = reads.REPORTER_COOKIE
IDEMPOTENCY_FIELD = "idempotency_key"
_NOT_INTAKE = (pagekit.CSRF_FIELD, IDEMPOTENCY_FIELD, support_pages.ANYWAY_FIELD)

# The report form's fields, as its labels name them (for the list of errors above the form).
FIELD_LABELS = {
    "text": "Isi laporan",
    "title": "Judul",
    "category": "Kategori",
    "lokasi": "Titik di peta",
    "address": "Alamat",
    "kelurahan": "Kelurahan/desa",
    "kecamatan": "Kecamatan",
    "photos": "Foto",
    "reporter_name": "Nama",
    "reporter_phone": "Nomor telepon/WhatsApp",
    "reporter_email": "Email",
    "rahasia": "Rahasia",
    "anonim": "Anonim",
}


class PageCache:
    """Figures the public pages share for a few minutes. A month's report over a large city
    takes seconds (README, "Monthly report"): far too long to compute for every visitor of
    a public page. Requests for the same key while it is computed wait for that one result."""

    def __init__(self, ttl_seconds: float = 300.0, size: int = 128) -> None:
        self.ttl, self.size = ttl_seconds, size
        self._entries: dict[Hashable, tuple[float, asyncio.Future]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is None or entry[0] <= now:
            if len(self._entries) >= self.size:
                self._evict(now)
            entry = (now + self.ttl, asyncio.ensure_future(compute()))
            self._entries[key] = entry
        try:
            return await asyncio.shield(entry[1])
        except Exception:
            if self._entries.get(key) is entry:  # a failure is not kept
                del self._entries[key]
            raise

    def _evict(self, now: float) -> None:
        for key, (expires, _) in list(self._entries.items()):
            if expires <= now:
                del self._entries[key]
        while len(self._entries) >= self.size:
            del self._entries[min(self._entries, key=lambda k: self._entries[k][0])]


PAGE_CACHE = web.AppKey("public_page_cache", PageCache)


def setup(app: web.Application) -> None:
    app[PAGE_CACHE] = PageCache()
    app.router.add_routes(routes)


# ------------------------------------------------------------------------------ helpers


def _iso(value: str | datetime | None) -> str:
    return value.isoformat() if isinstance(value, datetime) else value or ""


def _render(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    shared = {
        "when": partial(local_time, services.city.zone),
        "iso": _iso,
        "tiles": request.app[SETTINGS].map_tiles,
        "groups": public.STATUS_GROUPS,
        # The maps fit the city's boundary ([area]); without one they open on `center`.
        "city_bounds": services.city.area.bounds if services.city.area else None,
    }
    return pagekit.render(request, template, {**shared, **context}, status)


async def _cached(request: web.Request, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
    return await request.app[PAGE_CACHE].get(key, compute)


async def _map_center(request: web.Request) -> tuple[float, float, int]:
    return await _cached(
        request, ("center",), partial(reads.public_read, request, public.map_center)
    )


# ------------------------------------------------------------------------------ report form


def _form_context(
    request: web.Request,
    values: dict[str, str],
    errors: list[FieldError],
    center: tuple[float, float, int],
) -> dict[str, Any]:
    by_field: dict[str, str] = {}
    general: list[str] = []
    for error in errors:
        field = api.FORM_FIELDS.get(error.field, error.field)
        if field in ("lat", "lon", "location"):
            field = "lokasi"
        if field in FIELD_LABELS:
            by_field.setdefault(field, error.message)
        else:
            general.append(f"{error.field}: {error.message}")
    city = request.app[SERVICES].city
    return {
        "categories": list(city.categories.values()),
        "values": values,
        "errors": by_field,
        "general_errors": general,
        "labels": FIELD_LABELS,
        "center": center,
        "max_photos": MAX_PHOTOS,
        "whatsapp": "whatsapp" in request.app[SERVICES].channels,
    }


def _default_values(request: web.Request) -> dict[str, str]:
    # anonim is a box the citizen ticks, never ticked for them: left unticked, a contact given
    # is seen by the officers (complaints.parse_intake), and no contact leaves nothing to see.
    city = request.app[SERVICES].city
    return {
        "rahasia": "true" if city.rahasia_default else "false",
        IDEMPOTENCY_FIELD: secrets.token_urlsafe(18),
    }


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    context = _form_context(request, _default_values(request), [], await _map_center(request))
    return _render(request, "home.html", context)


def _read_upload(upload: FileField) -> bytes:
    return upload.file.read(MAX_PHOTO_BYTES + 1)


@routes.post("/")
async def file_report(request: web.Request) -> web.StreamResponse:
    """The form, read from the body the CSRF check already parsed, filed as the API files."""
    services = request.app[SERVICES]
    form = await request.post()
    sent = api.IntakeForm()
    values = _default_values(request)
    chose_photos = False
    try:
        for name, value in form.items():
            if name in _NOT_INTAKE:
                values[name] = str(value)
            elif isinstance(value, FileField):
                raw = await asyncio.to_thread(_read_upload, value)  # accept_photo: <= 5 MB
                chose_photos = chose_photos or bool(raw)
                if name in api.PHOTO_FIELDS:
                    await sent.add_photo(raw, name)
                else:
                    sent.errors.append(FieldError(name, i18n.t("problem.unknown_field")))
            else:
                values[name] = value
                sent.add_field(name, value)
        intake = api.web_intake(services, sent.data, sent.photos, sent.errors)
    except ValidationFailed as error:
        context = _form_context(request, values, error.errors, await _map_center(request))
        context["photos_dropped"] = chose_photos
        return _render(request, "home.html", context, status=422)
    anyway = values.get(support_pages.ANYWAY_FIELD) == "baru"  # "Tetap laporkan baru"
    if not anyway and (offer := await support_pages.offer(request, intake)):  # similar ones
        context = _form_context(request, values, [], await _map_center(request))
        return _render(request, "home.html", {**context, **offer, "photos_again": chose_photos})
    await clients.limit_address(request, "filing_per_address")
    key = values.get(IDEMPOTENCY_FIELD) or None
    try:  # the same form sent twice (a double click, a resend) files one complaint
        filed = await complaints.file_complaint(services, intake, key)
    except IdempotencyMismatch:  # sent again after editing: a new complaint
        filed = await complaints.file_complaint(services, intake)
    # The confirmation names what was hidden from the public copy and, when the text accuses
    # someone, advises rahasia: told by the address, as nothing of it is on the public page.
    confirmation = {"baru": "1"}
    if filed.hidden:
        confirmation["disembunyikan"] = ",".join(filed.hidden)
    if filed.suggest_rahasia:
        confirmation["saran"] = "rahasia"
    if filed.emergency:  # the page opens with the city's emergency numbers
        confirmation["darurat"] = "1"
    response = web.HTTPSeeOther(f"/lacak/{filed.tracking_code}?{urlencode(confirmation)}")
    if intake.rahasia:
        response.set_cookie(
            REPORTER_COOKIE,
            filed.access_token,
            path=f"/lacak/{filed.tracking_code}",
            httponly=True,
            samesite="Lax",
            secure=pagekit.secure_cookies(request),
        )
    raise response


# ------------------------------------------------------------------------------ status


@routes.get("/lacak")
async def lookup(request: web.Request) -> web.Response:
    """Ask for a code; ?kode=... goes to its page, or says what is wrong with it."""
    typed = request.query.get("kode")
    if typed is None:
        return _render(request, "lookup.html", {"kode": ""})
    try:
        if not typed.strip():
            raise ValidationFailed.on("kode", i18n.t("problem.code_required"))
        code = complaints.parse_code(typed)
    except DomainError as error:
        return _render(request, "lookup.html", {"kode": typed, "error": error.detail}, 400)
    raise web.HTTPSeeOther(f"/lacak/{code}")


@routes.get("/lacak/{code}")
async def status_page(request: web.Request) -> web.Response:
    await clients.limit_address(request, "lookups_per_address")
    viewer = Viewer(token=request.cookies.get(REPORTER_COOKIE))
    code = request.match_info["code"]
    try:  # the reporter's own look (their cookie, or just filed): on the primary
        view = await reads.public_read(
            request, lambda services: complaints.public_view(services, code, viewer)
        )
    except DomainError as error:
        context = {"error": error.detail, "kode": request.match_info["code"]}
        return _render(request, "lookup.html", context, status=error.status)
    group, label = public.public_status(view["status"])
    new = request.query.get("baru") == "1"
    hidden = (request.query.get("disembunyikan") or "").split(",") if new else []
    context = {
        "complaint": view,
        "group": group,
        "status_label": label,
        "timeline": public.timeline(view["timeline"]),
        "new": new,
        "hidden": [privacy.LABELS[kind] for kind in privacy.KINDS if kind in hidden],
        "suggest_rahasia": new and request.query.get("saran") == "rahasia",
        **support_pages.status_context(request, view),  # the support count, its button
        "emergency": (
            emergency.message(request.app[SERVICES].city)
            if new and request.query.get("darurat") == "1"
            else None
        ),
    }
    response = _render(request, "status.html", context)
    if view["rahasia"]:  # shown only to its reporter: keep it out of shared caches
        response.headers["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------ list and map


@routes.get("/laporan")
async def report_list(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    filters = public.parse_filter(services.city, request.query)
    page_number = public.parse_page(request.query.get("halaman"))
    page = await reads.public_read(
        request, partial(public.list_reports, filters=filters, page=page_number)
    )
    kecamatan = await _cached(
        request, ("kecamatan",), partial(reads.public_read, request, public.kecamatan_names)
    )
    query = filters.query()

    def page_link(halaman: int) -> str:
        return "/laporan?" + urlencode({**query, "halaman": halaman})

    context = {
        "filters": filters,
        "page": page,
        "page_link": page_link,
        "categories": list(services.city.categories.values()),
        "agencies": reports.reportable_agencies(services.city),
        "kecamatan_names": kecamatan,
        "points_url": "/laporan/peta.json" + ("?" + urlencode(query) if query else ""),
        "center": await _map_center(request),
    }
    return _render(request, "reports.html", context)


@routes.get("/laporan/peta.json")
async def report_points(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    filters = public.parse_filter(services.city, request.query)
    points = await reads.public_read(request, partial(public.map_points, filters=filters))
    return web.json_response(points, headers={"Cache-Control": "public, max-age=60"})


# ------------------------------------------------------------------------------ performance


async def _report(request: web.Request, month: date, agency: str | None):
    build = partial(reports.build_report, month=month, agency=agency)
    return await _cached(
        request, ("report", month, agency), partial(reads.public_read, request, build)
    )


def _months(request: web.Request, chosen: date) -> dict[str, Any]:
    # The report's own number formats. report_render brings matplotlib: loaded with the first
    # performance page, not when the service starts (as report_files.generate does).
    from lapor.report_render import converted, number, percent

    services = request.app[SERVICES]
    current = public.performance_month(services.city, services.clock.now(), None)
    choices = [reports.add_months(current, -i) for i in range(public.PERFORMANCE_MONTHS)]
    return {
        "month": chosen,
        "previous_month": reports.add_months(chosen, -1),
        "month_label": reports.month_label,
        "month_key": reports.month_key,
        "month_choices": choices,
        "is_current": chosen == current,
        "number": number,
        "percent": percent,
        "converted": converted,
        "stage_labels": reports.STAGE_LABELS,
    }


@routes.get("/kinerja")
async def performance(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    month = public.performance_month(
        services.city, services.clock.now(), request.query.get("bulan")
    )
    report = await _report(request, month, None)
    # The month's aggregate tables as open data, and the licence they are published under.
    tables = await reads.public_read(request, partial(open_data.month_tables, month=month))
    links = [(name, f"/data/kinerja/{reports.month_key(month)}/{name}") for name in tables]
    report_data = {"tables": links, "licence": open_data.licence(services.city)}
    page = {"report": report, "open_data": report_data, **_months(request, month)}
    return _render(request, "performance.html", page)


@routes.get("/kinerja/{agency}")
async def agency_performance(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    code = request.match_info["agency"].upper()
    if code not in {agency.code for agency in reports.reportable_agencies(services.city)}:
        raise NotFound(i18n.t("problem.agency_unknown"))
    month = public.performance_month(
        services.city, services.clock.now(), request.query.get("bulan")
    )
    report = await _report(request, month, code)
    from lapor.report_render import summary_rows  # matplotlib: see _months

    context = {
        "report": report,
        "agency": services.city.agencies[code],
        "now": report.current[code],
        "before": report.previous[code],
        "rows": summary_rows(report.current[code], report.previous[code]),
        "trend": report.trend[code],
        **_months(request, month),
    }
    return _render(request, "agency_performance.html", context)
