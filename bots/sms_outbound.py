"""SMS outbound: the gateway's Messages API, and the outbox's sender for the ``sms`` channel.

Twilio's API (the first provider; others offer the same form): ``POST {api}/2010-04-01/Accounts/
{AccountSid}/Messages.json`` with HTTP Basic auth (account sid : auth token) and the form fields
``To``, ``From`` (or ``MessagingServiceSid``) and ``Body``; 201 with the message's ``sid`` when
accepted. Errors are JSON ``{"code", "message", "more_info", "status"}`` and map onto the
outbox's rules (`_send_failure`): 429 / 20429 waits for ``Retry-After``; a 5xx, a timeout or a
refused connection is retried with back-off; an error in our own credentials or sender number
kills no message (retried until the deployment is fixed); any other refusal of the message
(21211 no such number, 21610 the citizen sent STOP, 21614 not a mobile number) ends it.

`SmsSender` renders a payload as GSM-7 SMS with numbered choices (bots/sms_text.py), keeps the
choices' data for the chat before sending (so the reply "2" can be read), and sends the parts
in order, resuming after the parts already sent.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiohttp

from bots.channels import ChannelSession, read_json, retry_after
from bots.sms_text import render
from lapor.outbox import PartlySent, PermanentFailure, RetryAfter
from lapor.settings import Settings

log = logging.getLogger("bots.sms")

API_VERSION = "2010-04-01"
STATUS_PATH = "/webhooks/sms/status"  # the door of the messages' later statuses
RATE_LIMIT_CODES = frozenset({20429})
# Our side is wrong, not the message: 20003 authentication, 20404 no such account, 21212 and
# 21606 and 21659 a From number that is not ours or cannot send SMS, 21408 the destination's
# region not enabled for the account. Retried (and visible in the outbox) until fixed.
CONFIGURATION_CODES = frozenset({20003, 20404, 21212, 21408, 21606, 21659})
# Twilio does not always say how long to wait after a 429; a few seconds clear its concurrency.
DEFAULT_RETRY_AFTER = 10.0
SEND_TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5)

# Remembers, for a chat, the data of the choices it is about to be shown (`numbered`).
ChoiceMemory = Callable[[str, Sequence[str]], Awaitable[None]]


class GatewayError(Exception):
    """An error answer of the SMS gateway, kept for the outbox's ``last_error``."""

    def __init__(self, status: int, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        code = body.get("code")
        self.status = status
        self.code = code if isinstance(code, int) and not isinstance(code, bool) else None
        self.message = str(body.get("message") or f"HTTP {status}")
        super().__init__(f"HTTP {status} code={self.code} {self.message}")


class SmsGateway(ChannelSession):
    """The Messages API of one account, over one aiohttp session that the app opens at
    start-up and closes after the outbox dispatcher has stopped (bots/channels.py)."""

    name = "SMS"

    def __init__(self, settings: Settings) -> None:
        self.url = (
            f"{settings.sms_api_url.rstrip('/')}/{API_VERSION}/Accounts/"
            f"{settings.sms_account_sid}/Messages.json"
        )
        self.sender = settings.sms_from
        # Twilio POSTs each message's later statuses here (bots/sms.py): a failure becomes a
        # dead letter the admin sees, as WhatsApp's do.
        self.status_callback = settings.base_url + STATUS_PATH
        credentials = f"{settings.sms_account_sid}:{settings.sms_auth_token}".encode()
        self._headers = {"Authorization": "Basic " + base64.b64encode(credentials).decode()}

    async def send(self, to: str, body: str) -> str | None:
        """Send one SMS to ``to`` (E.164); the gateway's message sid."""
        form = {"To": to, "Body": body, "StatusCallback": self.status_callback}
        # A Messaging Service (MG...) picks the sender number itself.
        form["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        async with self.session.post(
            self.url, data=form, headers=self._headers, timeout=SEND_TIMEOUT
        ) as response:
            answer = await read_json(response)
            if response.status < 300:
                sid = answer.get("sid") if isinstance(answer, dict) else None
                return sid if isinstance(sid, str) else None
            raise _send_failure(GatewayError(response.status, answer), response)


def _send_failure(error: GatewayError, response: aiohttp.ClientResponse) -> Exception:
    """The gateway's answer as the outbox understands it: wait, retry later, or give up."""
    if error.status == 429 or error.code in RATE_LIMIT_CODES:
        return RetryAfter(
            retry_after(response.headers.get("Retry-After"), DEFAULT_RETRY_AFTER), str(error)
        )
    if error.status >= 500:
        return error  # plain: retried with backoff
    if error.status in (401, 403) or error.code in CONFIGURATION_CODES:
        return error  # our credentials or number: no message is to blame
    return PermanentFailure(str(error))


class SmsSender:
    """The outbox's sender for the ``sms`` channel: recipient is the chat (the citizen's
    number in E.164 digits, without the plus)."""

    def __init__(self, gateway: SmsGateway, remember: ChoiceMemory | None = None) -> None:
        self.gateway, self.remember = gateway, remember

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> list[str]:
        """Its SMS in order, from the first not yet sent (``parts_sent``, kept by the outbox
        when an earlier try failed half-way), so a retry repeats none; the gateway's sids."""
        parts, choices = render(payload)
        if choices and self.remember is not None:
            # Before sending: once the list is on the phone, a reply may come at any moment.
            await self.remember(recipient, choices)
        done = int(payload.get("parts_sent") or 0)
        to = "+" + recipient.removeprefix("+")
        accepted: list[str] = []
        for index, part in enumerate(parts):
            if index < done:
                continue
            try:
                if sid := await self.gateway.send(to, part):
                    accepted.append(sid)
            except Exception as error:
                if index:  # the parts before this one are on the phone
                    raise PartlySent(index, error) from error
                raise
        return accepted
