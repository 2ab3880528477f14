"""The WhatsApp Business Cloud API adapter: Meta's webhook in, the Graph API out.

Inbound, `POST /webhooks/whatsapp` checks Meta's signature over the raw body before anything
else, turns every message into an `Incoming` (`parse_webhook`, a pure function) and hands it
to the engine, which dedupes by message id: Meta redelivers until it gets a 200, so a
redelivery must be harmless, and an engine failure (the database is down) answers 500 so that
Meta tries again; every message also opens its chat's 24-hour customer-service window
(lapor.whatsapp_window), and the status callbacks of our own messages go to lapor.receipts,
which resends a message that failed as its template, by SMS, or makes it a dead letter. Outbound, `WhatsAppSender` renders an outbox message as a text or an
interactive message inside the window, or its approved template outside it, and maps Graph's
errors onto the outbox's retry rules; `WhatsAppMedia` downloads the photos citizens send. One
aiohttp session serves both, opened and closed with the app.

This module is the door (the webhook, `WhatsAppChannel`); the inbound half is in
bots/whatsapp_inbound.py, the outbound half in bots/whatsapp_outbound.py, both re-exported here.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bots.channels import read_limited
from bots.engine import Engine
from bots.whatsapp_inbound import (
    CHANNEL,
    last_written,
    parse_statuses,
    parse_webhook,
    signature_valid,
)
from bots.whatsapp_outbound import (
    BUTTON_ID_MAX,
    BUTTON_TITLE_MAX,
    DEFAULT_RETRY_AFTER,
    INTERACTIVE_BODY_MAX,
    LIST_BUTTON,
    LIST_ROW_DESCRIPTION_MAX,
    LIST_ROW_ID_MAX,
    LIST_ROW_TITLE_MAX,
    LIST_ROWS_MAX,
    MEDIA_TIMEOUT,
    RATE_LIMIT_CODES,
    REPLY_BUTTONS_MAX,
    SEND_TIMEOUT,
    TEXT_MAX,
    Graph,
    GraphError,
    WhatsAppMedia,
    WhatsAppSender,
    render,
)
from lapor import constant_time, receipts, whatsapp_window
from lapor.context import Services
from lapor.errors import DomainError, Forbidden, PayloadTooLarge, Unauthorized
from lapor.settings import Settings

__all__ = [
    "BUTTON_ID_MAX",
    "BUTTON_TITLE_MAX",
    "CHANNEL",
    "DEFAULT_RETRY_AFTER",
    "INTERACTIVE_BODY_MAX",
    "LIST_BUTTON",
    "LIST_ROW_DESCRIPTION_MAX",
    "LIST_ROW_ID_MAX",
    "LIST_ROW_TITLE_MAX",
    "LIST_ROWS_MAX",
    "MAX_WEBHOOK_BYTES",
    "MEDIA_TIMEOUT",
    "RATE_LIMIT_CODES",
    "REPLY_BUTTONS_MAX",
    "SEND_TIMEOUT",
    "SIGNATURE_HEADER",
    "TEXT_MAX",
    "WEBHOOK_PATH",
    "Graph",
    "GraphError",
    "WhatsAppChannel",
    "WhatsAppMedia",
    "WhatsAppSender",
    "parse_webhook",
    "render",
    "signature_valid",
]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/whatsapp"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's webhook bodies are a few kilobytes (at most a thousand changes per batch).
MAX_WEBHOOK_BYTES = 1024 * 1024


class WhatsAppChannel:
    """What the app needs for WhatsApp, built from the settings: the Graph session, the
    sender, the media fetcher and the webhook. The engine is handed over at start-up."""

    def __init__(self, settings: Settings) -> None:
        if not settings.whatsapp_enabled:
            raise ValueError("WhatsApp is not configured (WHATSAPP_TOKEN and friends)")
        self.settings = settings
        self.graph = Graph(settings)
        self.sender = WhatsAppSender(self.graph)
        self.media = WhatsAppMedia(self.graph)
        self.engine: Engine | None = None

    def start(self, engine: Engine, services: Services) -> None:
        """Once the database is there: the engine to hand messages to, and what the sender
        reads at send time (the chats' windows, the city's approved templates)."""
        self.engine = engine
        self.sender.use(whatsapp_window.Windows(services), services.city.whatsapp)

    def mount(self, app: web.Application) -> None:
        """Serve the webhook and open the Graph session with the app."""
        app.cleanup_ctx.append(self.graph.session_context)
        app.router.add_get(WEBHOOK_PATH, self.verify)
        app.router.add_post(WEBHOOK_PATH, self.receive)

    async def verify(self, request: web.Request) -> web.StreamResponse:
        """Meta's subscription check: echo ``hub.challenge`` to whoever knows the token."""
        mode = request.query.get("hub.mode", "")
        token = request.query.get("hub.verify_token", "")
        expected = self.settings.whatsapp_verify_token
        if mode == "subscribe" and constant_time.same(token, expected):
            return web.Response(text=request.query.get("hub.challenge", ""))
        log.warning("whatsapp webhook verification refused")
        raise Forbidden("Verifikasi webhook WhatsApp ditolak.")

    async def receive(self, request: web.Request) -> web.StreamResponse:
        body = await read_limited(request, MAX_WEBHOOK_BYTES)
        if body is None:
            raise PayloadTooLarge("Isi webhook terlalu besar.")
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            log.warning("whatsapp webhook without signature refused")
            raise Unauthorized(f"Header {SIGNATURE_HEADER} wajib ada.")
        if not signature_valid(body, header, self.settings.whatsapp_app_secret):
            log.warning("whatsapp webhook with a wrong signature refused")
            raise Forbidden(f"Header {SIGNATURE_HEADER} tidak cocok.")
        try:
            payload = json.loads(body)
        except ValueError:
            raise DomainError("Isi webhook bukan JSON yang sah.") from None
        if not isinstance(payload, dict):
            raise DomainError("Isi webhook harus berupa objek JSON.")
        if self.engine is None:
            raise RuntimeError("the WhatsApp channel has no engine (the app has not started)")
        number = self.settings.whatsapp_phone_number_id
        incomings = parse_webhook(payload, phone_number_id=number)
        # Each message opens its chat's 24-hour window, before the replies are queued.
        await whatsapp_window.record(
            self.engine.services, last_written(payload, phone_number_id=number)
        )
        # In order: one chat's messages arrive in one batch in the order they were written.
        # An exception (the database is down) answers 500, and Meta delivers the batch again;
        # the engine skips what it already handled.
        for incoming in incomings:
            await self.engine.handle(incoming)
        # What Meta says of the messages we sent: a failure reaches the citizen another way.
        statuses = parse_statuses(payload, phone_number_id=number)
        failed = await receipts.reported(self.engine.services, CHANNEL, statuses)
        if incomings or failed:
            log.info("whatsapp webhook messages=%s failed=%s", len(incomings), failed)
        return web.json_response({"received": len(incomings)})
