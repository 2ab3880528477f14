"""Typed application keys, defined once."""

from __future__ import annotations

from aiohttp import web

from bots.engine import Engine
from bots.telegram import TelegramChannel
from bots.whatsapp import WhatsAppChannel
from lapor.context import Services
from lapor.db import Reachability
from lapor.scheduler import Scheduler
from lapor.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
ENGINE = web.AppKey("engine", Engine)
TELEGRAM = web.AppKey("telegram", TelegramChannel)
SCHEDULER = web.AppKey("scheduler", Scheduler)
WHATSAPP = web.AppKey("whatsapp", WhatsAppChannel)
REACHABILITY = web.AppKey("reachability", Reachability)
