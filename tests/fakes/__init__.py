"""Fake Telegram Bot API, WhatsApp Cloud API and SMS gateway (Twilio's API) servers for tests:
real HTTP on 127.0.0.1, recording every call, so the bots' own client code (aiogram, aiohttp)
runs unmocked; and a fake SMTP server (mail.py) for lapor's e-mail sender."""

from ._server import Call
from .mail import FakeMail, Mail
from .sms import FakeSmsGateway, Sms
from .telegram import FakeTelegram, TelegramError
from .telegram_updates import UpdateFactory
from .whatsapp import FakeWhatsApp, GraphError
from .whatsapp_payloads import PayloadFactory, encode, sign, signed_headers

__all__ = [
    "Call",
    "FakeMail",
    "FakeSmsGateway",
    "FakeTelegram",
    "FakeWhatsApp",
    "GraphError",
    "Mail",
    "PayloadFactory",
    "Sms",
    "TelegramError",
    "UpdateFactory",
    "encode",
    "sign",
    "signed_headers",
]
