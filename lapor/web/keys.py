"""Typed application keys, defined once."""

from __future__ import annotations

from aiohttp import web

from bots.engine import Engine
from bots.whatsapp import WhatsAppChannel
from lapor.context import Services
from lapor.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
ENGINE = web.AppKey("engine", Engine)
WHATSAPP = web.AppKey("whatsapp", WhatsAppChannel)
