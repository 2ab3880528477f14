"""The admin page: officers (create, role, active, password, tokens) and the active model."""

from __future__ import annotations

from aiohttp import web

from lapor import (
    models,
    officers,
    reports,
)
from lapor.auth import Officer
from lapor.errors import DomainError
from lapor.web import pagekit
from lapor.web.keys import SERVICES
from lapor.web.officer_pages.common import (
    ADMIN_DONE,
    _field_errors,
    _render,
    _routable_agencies,
    _text,
    require_officer,
    routes,
)


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
            head=form.get("head") == "1",
        )
        return "peran", "petugas"

    return await _admin_change(request, f"role-{_officer_id(request)}", change)


@routes.post("/petugas/admin/petugas/{officer_id:\\d+}/kontak")
async def admin_set_contacts(request: web.Request) -> web.Response:
    """Where the SLA ladder reminds the officer of the complaints they own."""

    async def change(services, officer, form):
        await officers.set_contacts(
            services,
            officer,
            _officer_id(request),
            _text(form, "email"),
            _text(form, "telegram_chat"),
        )
        return "kontak", "petugas"

    return await _admin_change(request, f"contacts-{_officer_id(request)}", change)


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
