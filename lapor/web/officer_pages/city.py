"""The admin's city page, /petugas/admin/kota: agencies' names, categories' names, agencies
and days to resolve, the city's SLA days, and the log of every change (lapor/city_edits.py)."""

from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy

from lapor import city_edits
from lapor.auth import Officer
from lapor.errors import DomainError, ValidationFailed
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    _field_errors,
    _render,
    _routable_agencies,
    require_officer,
    routes,
)

PAGE = "/petugas/admin/kota"


async def _city_page(
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
    return _render(
        request,
        "petugas/kota.html",
        officer,
        {
            "city": city,
            "agencies": list(city.agencies.values()),
            "routable_agencies": _routable_agencies(city),
            "categories": list(city.categories.values()),
            "sla_fields": city_edits.SLA_FIELDS,
            "sla_value": lambda field: city_edits.current_value(city, "sla", "", field),
            "log": await city_edits.audit_log(services, officer),
            "error": error,
            "field_errors": _field_errors(error),
            "failed": failed,
            "values": values or {},
            "saved": request.query.get("selesai") == "1",
        },
        status,
    )


@routes.get(PAGE)
async def city_page(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    return await _city_page(request, officer)


def _changes(form: MultiDictProxy, kind: str) -> dict[str, str]:
    """The form's fields that this kind of edit knows, as typed (the core checks them)."""
    return {
        field: value
        for field in city_edits.FIELDS.get(kind, ())
        if isinstance(value := form.get(field), str)
    }


@routes.post(PAGE)
async def city_edit(request: web.Request) -> web.Response:
    officer = await require_officer(request, "admin")
    form = await request.post()
    kind = form.get("kind") if isinstance(form.get("kind"), str) else ""
    code = form.get("code") if isinstance(form.get("code"), str) else ""
    changes = _changes(form, kind)
    try:
        await city_edits.edit(request.app[SERVICES], officer, kind, code, changes)
    except ValidationFailed as error:
        return await _city_page(
            request,
            officer,
            error=error,
            failed=f"{kind}-{code}",
            values=changes,
            status=error.status,
        )
    raise web.HTTPSeeOther(f"{PAGE}?selesai=1#{kind}-{code}")
