"""Typed application keys, defined once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bots.engine import Engine
from bots.sms import SmsChannel
from bots.whatsapp import WhatsAppChannel
from lapor.context import Services
from lapor.db import Reachability
from lapor.scheduler import Scheduler
from lapor.settings import Settings

if TYPE_CHECKING:  # aiogram takes seconds to import: only a city with a Telegram bot pays for it
    from bots.telegram import TelegramChannel
    from lapor.web.metrics import PrometheusMetrics  # it reads these keys: no import back

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
ENGINE = web.AppKey("engine", Engine)
TELEGRAM: web.AppKey[TelegramChannel] = web.AppKey("telegram")
SCHEDULER = web.AppKey("scheduler", Scheduler)
WHATSAPP = web.AppKey("whatsapp", WhatsAppChannel)
REACHABILITY = web.AppKey("reachability", Reachability)
METRICS: web.AppKey[PrometheusMetrics] = web.AppKey("metrics")
SMS = web.AppKey("sms", SmsChannel)
