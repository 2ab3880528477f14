"""Typed application keys, defined once."""

from __future__ import annotations

from aiohttp import web

from lapor.context import Services
from lapor.scheduler import Scheduler
from lapor.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
SCHEDULER = web.AppKey("scheduler", Scheduler)
