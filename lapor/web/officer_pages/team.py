"""A team's work on the pages (issue 17 §1): bulk actions on the queue's selection, the
export of the filtered queue, a complaint's owner and internal notes, and the agency's reply
templates (kept by its head)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from lapor import assignment, bulk, i18n, lifecycle, reply_templates
from lapor.auth import Officer
from lapor.complaints import export, parse_code
from lapor.errors import DomainError, ValidationFailed
from lapor.web.downloads import stream_csv
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    _field_errors,
    _render,
    _routable_agencies,
    _text,
    require_officer,
    routes,
    safe_next,
)
from lapor.web.officer_pages.complaint import _complaint_page
from lapor.web.officer_pages.queue import QUEUE, filters_from, render_queue

TEMPLATES = "/petugas/templat"


def _number(form: MultiDictProxy, name: str) -> int | None:
    value = _text(form, name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValidationFailed.on(name, i18n.t("team.problem.not_a_number"))
    return int(value)


# ------------------------------------------------------------------------------ the queue


@routes.post(f"{QUEUE}/massal")
async def bulk_action(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    form = await request.post()
    back = safe_next(form.get("kembali")) or QUEUE
    action = _text(form, "action") or ""
    try:
        done = await bulk.apply(
            request.app[SERVICES],
            officer,
            bulk.BulkRequest(
                action,
                tuple(code for code in form.getall("codes", []) if isinstance(code, str)),
                officer_id=_number(form, "officer_id"),
                agency=_text(form, "agency") if action == "transfer" else None,
                template_id=_number(form, "template") if action == "respond" else None,
                internal_note=_text(form, "internal_note"),
            ),
        )
    except DomainError as error:
        query = MultiDict(parse_qsl(urlsplit(back).query))
        return await render_queue(request, officer, query, bulk_error=error, status=error.status)
    done_query = urlencode({"massal": action, "jumlah": len(done)})
    raise web.HTTPSeeOther(f"{back}{'&' if '?' in back else '?'}{done_query}")


@routes.get(f"{QUEUE}/ekspor")
async def export_queue(request: web.Request) -> web.StreamResponse:
    """The filtered queue as a CSV file (the filters of the queue page's URL)."""
    officer = await require_officer(request)
    filters = filters_from(request.query, officer)
    lines = await export.rows(request.app[SERVICES], officer, filters)
    return await stream_csv(request, lines)


# --------------------------------------------------------------------------- a complaint


@routes.post("/petugas/laporan/{code}/petugas")
async def complaint_assign(request: web.Request) -> web.Response:
    """Take the complaint, let go of it, or (the head, the admin) give it to an officer."""
    officer = await require_officer(request)
    form = await request.post()
    try:
        await assignment.assign(
            request.app[SERVICES],
            request.match_info["code"],
            officer,
            _number(form, "officer_id"),
            note=_text(form, "internal_note"),
        )
    except DomainError as error:
        return await _complaint_page(
            request, officer, error=error, failed="assign", status=error.status
        )
    code = parse_code(request.match_info["code"])
    raise web.HTTPSeeOther(f"/petugas/laporan/{code}?{urlencode({'selesai': 'assign'})}")


@routes.post("/petugas/laporan/{code}/catatan")
async def complaint_note(request: web.Request) -> web.Response:
    officer = await require_officer(request)
    form = await request.post()
    note = form.get("note") if isinstance(form.get("note"), str) else None
    try:
        await assignment.add_note(request.app[SERVICES], request.match_info["code"], officer, note)
    except DomainError as error:
        return await _complaint_page(
            request,
            officer,
            error=error,
            failed="note",
            values={"note": note or ""},
            status=error.status,
        )
    code = parse_code(request.match_info["code"])
    raise web.HTTPSeeOther(f"/petugas/laporan/{code}?{urlencode({'selesai': 'note'})}#riwayat-h")


# ---------------------------------------------------------------------------- templates


async def _templates_page(
    request: web.Request,
    officer: Officer,
    *,
    error: DomainError | None = None,
    failed: str | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    found = await reply_templates.list_templates(services, officer)
    return _render(
        request,
        "petugas/templat.html",
        officer,
        {
            "templates": found,
            "manages": lambda agency: reply_templates.may_manage(officer, agency),
            "may_create": officer.role == "admin" or officer.head,
            "statuses": reply_templates.TEMPLATE_STATUSES,
            "status_labels": lifecycle.STATUS_LABELS,
            "placeholders": reply_templates.PLACEHOLDERS,
            "agencies": _routable_agencies(services.city),
            "error": error,
            "field_errors": _field_errors(error),
            "failed": failed,
            "values": values or {},
            "done": {
                "dibuat": i18n.t("team.page.template_created"),
                "diubah": i18n.t("team.page.template_changed"),
                "dihapus": i18n.t("team.page.template_deleted"),
            }.get(request.query.get("selesai", "")),
        },
        status,
    )


@routes.get(TEMPLATES)
async def templates_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "officer", "admin")
    return await _templates_page(request, officer)


async def _template_change(request: web.Request, failed: str, change) -> web.Response:
    officer = await require_officer(request, "officer", "admin")
    form = await request.post()
    try:
        done = await change(request.app[SERVICES], officer, form)
    except DomainError as error:
        values = {name: value for name, value in form.items() if isinstance(value, str)}
        return await _templates_page(
            request, officer, error=error, failed=failed, values=values, status=error.status
        )
    raise web.HTTPSeeOther(f"{TEMPLATES}?selesai={done}")


@routes.post(TEMPLATES)
async def template_create(request: web.Request) -> web.Response:
    async def change(services, officer, form):
        await reply_templates.save_template(
            services,
            officer,
            agency=_text(form, "agency"),
            status=_text(form, "status"),
            title=_text(form, "title"),
            body=_text(form, "body"),
        )
        return "dibuat"

    return await _template_change(request, "create", change)


@routes.post(TEMPLATES + "/{template_id:\\d+}")
async def template_update(request: web.Request) -> web.Response:
    template_id = int(request.match_info["template_id"])

    async def change(services, officer, form):
        await reply_templates.save_template(
            services,
            officer,
            template_id=template_id,
            status=_text(form, "status"),
            title=_text(form, "title"),
            body=_text(form, "body"),
        )
        return "diubah"

    return await _template_change(request, f"edit-{template_id}", change)


@routes.post(TEMPLATES + "/{template_id:\\d+}/hapus")
async def template_delete(request: web.Request) -> web.Response:
    template_id = int(request.match_info["template_id"])

    async def change(services, officer, form):
        await reply_templates.delete_template(services, officer, template_id)
        return "dihapus"

    return await _template_change(request, f"delete-{template_id}", change)
