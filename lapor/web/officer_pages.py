"""Pages for officers under /petugas: login, the queue, a complaint, the desk, admin."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
