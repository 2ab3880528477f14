"""The SMS adapter: a gateway's webhook in, its Messages API out (Twilio's API first).

Inbound, ``POST /webhooks/sms`` reads the form, checks the gateway's signature over the public
webhook URL (LAPOR_PUBLIC_URL + the path: the URL the gateway was given, not the one a proxy
hands us) and the form's parameters before anything else, turns the SMS into an `Incoming`
and hands it to the same engine as Telegram and WhatsApp, which dedupes by MessageSid. A reply
that is only a number ("2") is the second of the choices the chat was last sent, when it was
sent some (`numbered_choices`); SMS has no buttons. The answer is an empty TwiML
``<Response/>``: every reply goes through the outbox (`SmsSender`), never in the webhook's
answer, so it is paced, retried and recorded like any other. An engine failure answers 5xx
(503 while the database is down); Twilio does not resend by default, but a resent SMS is
answered once.

SMS carries text only: MMS photos are out of scope (an MMS's text is read, its media is not),
and a location is an address the citizen types (the dialogue skips the photo step and asks for
a typed address on this channel: bots/channels.py).

This module is the door (`SmsChannel`); the inbound half is in bots/sms_inbound.py, the
outbound half in bots/sms_outbound.py, the text rules in bots/sms_text.py.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from aiohttp import web

from bots.channels import read_limited
from bots.engine import Engine, Incoming
from bots.sms_inbound import CHANNEL, numbered, parse_form, parse_status, signature_valid
from bots.sms_outbound import STATUS_PATH, SmsGateway, SmsSender
from lapor import receipts
from lapor.errors import DomainError, Forbidden, PayloadTooLarge, Unauthorized
from lapor.repo import numbered_choices
from lapor.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/sms"
SIGNATURE_HEADER = "X-Twilio-Signature"
# An SMS form is a few hundred bytes; an MMS adds media URLs.
MAX_WEBHOOK_BYTES = 64 * 1024
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 200  # Twilio sends about twenty (an MMS: two more per medium, at most ten media)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


class SmsChannel:
    """What the app needs for SMS, built from the settings: the gateway session, the sender
    and the webhook. The engine is attached at start-up."""

    def __init__(self, settings: Settings) -> None:
        if not settings.sms_enabled:
            raise ValueError("SMS is not configured (LAPOR_SMS_ACCOUNT_SID and friends)")
        self.settings = settings
        self.webhook_url = settings.base_url + WEBHOOK_PATH
        self.gateway = SmsGateway(settings)
        self.sender = SmsSender(self.gateway, remember=self.remember_choices)
        self.engine: Engine | None = None

    def mount(self, app: web.Application) -> None:
        """Serve the webhook and open the gateway session with the app."""
        app.cleanup_ctx.append(self.gateway.session_context)
        app.router.add_post(WEBHOOK_PATH, self.receive)
        app.router.add_post(STATUS_PATH, self.status)

    def attach(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def _engine(self) -> Engine:
        if self.engine is None:
            raise RuntimeError("the SMS channel has no engine (the app has not started)")
        return self.engine

    async def remember_choices(self, chat_id: str, choices: list[str]) -> None:
        async with self._engine.services.pool.acquire() as conn:
            await numbered_choices.remember(conn, CHANNEL, chat_id, choices)

    async def receive(self, request: web.Request) -> web.StreamResponse:
        params = await self._signed_form(request, self.webhook_url)
        incoming = parse_form(params, account_sid=self.settings.sms_account_sid)
        if incoming is not None:
            await self._engine.handle(await self._choice_of(incoming))
            log.info("sms webhook message handled")
        return web.Response(text=EMPTY_TWIML, content_type="text/xml")

    async def status(self, request: web.Request) -> web.StreamResponse:
        """A message's later status (StatusCallback): a failure is acted on once
        (lapor.receipts: a dead letter for the admin), anything else recorded."""
        params = await self._signed_form(request, self.settings.base_url + STATUS_PATH)
        report = parse_status(params, account_sid=self.settings.sms_account_sid)
        if report is not None:
            await receipts.reported(self._engine.services, CHANNEL, [report])
        return web.Response(status=204)

    async def _signed_form(self, request: web.Request, public_url: str) -> dict[str, str]:
        """The form of a gateway's POST to `public_url`, once its signature is checked."""
        body = await read_limited(request, MAX_WEBHOOK_BYTES)
        if body is None:
            raise PayloadTooLarge("The webhook body is too large.")
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            log.warning("sms webhook without signature refused")
            raise Unauthorized(f"The {SIGNATURE_HEADER} header is required.")
        if request.content_type != FORM:
            raise DomainError(f"The webhook body must be {FORM}.")
        try:
            params = parse_qsl(
                body.decode("ascii"),  # percent-encoded: anything else is no form
                keep_blank_values=True,
                strict_parsing=bool(body),
                errors="strict",
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError):
            raise DomainError("The webhook body is not a valid form.") from None
        # The URL the gateway signed: ours as configured, with the query it was called with.
        url = public_url + (f"?{request.query_string}" if request.query_string else "")
        if not signature_valid(header, self.settings.sms_auth_token, url, params):
            log.warning("sms webhook with a wrong signature refused")
            raise Forbidden(f"The {SIGNATURE_HEADER} header does not match.")
        return dict(params)

    async def _choice_of(self, incoming: Incoming) -> Incoming:
        """A reply that is only a number, read as the choice of that number on the last list
        the chat was sent; otherwise (no list, a number not on it) the text as it is."""
        number = numbered(incoming.text) if incoming.kind == "text" else None
        if number is None:
            return incoming
        async with self._engine.services.pool.acquire() as conn:
            choices = await numbered_choices.recall(conn, CHANNEL, incoming.chat_id)
        if not 1 <= number <= len(choices):
            return incoming
        return Incoming(
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            message_id=incoming.message_id,
            kind="choice",
            choice=choices[number - 1],
        )
