"""A fake SMS gateway speaking Twilio's API, on 127.0.0.1, for tests.

Outbound (lapor's sender calling it): ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``
with HTTP Basic auth and the form fields To, From (or MessagingServiceSid) and Body, answered as
Twilio answers: 201 with the message, or an error ``{"code", "message", "more_info",
"status"}`` (20003 bad credentials, 21211 not a number, 21610 the recipient sent STOP, 21617 a
body over 1600 characters, 20429 too many requests, with Retry-After). It enforces a rate
limit of its own (``rate_limit``), and records every message with the encoding and the number
of segments a carrier would bill for it.

Inbound (the gateway calling lapor): `deliver` POSTs an incoming SMS to the app's webhook as
Twilio does, a form signed in X-Twilio-Signature over the URL the gateway was given
(``webhook_url``, the public URL) while it reaches the app at its loopback address, as a
proxy would. The signature is computed here independently of lapor's own check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import math
import re
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
import gsm0338  # noqa: F401  registers the "gsm03.38" codec
from aiohttp import web

from ._server import Call, Failure, FakeServer

__all__ = ["FakeSmsGateway", "Sms", "twilio_signature"]

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


def twilio_signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature for a form POST: base64 HMAC-SHA1 of the URL followed by each
    parameter's name and value, sorted by name (as Twilio's helper libraries compute it)."""
    data = url + "".join(f"{name}{form[name]}" for name in sorted(form))
    return base64.b64encode(
        hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()


def encoding_and_segments(body: str) -> tuple[str, int]:
    """How a carrier sends ``body``: GSM-7 (160 septets in one SMS, 153 a segment when
    concatenated) or, with any character outside it, UCS-2 (70, then 67 a segment)."""
    try:
        septets = len(body.encode("gsm03.38"))
    except UnicodeEncodeError:
        units = len(body.encode("utf-16-le")) // 2
        return "UCS-2", 1 if units <= 70 else math.ceil(units / 67)
    return "GSM-7", 1 if septets <= 160 else math.ceil(septets / 153)


@dataclass(frozen=True)
class Sms:
    """A message the fake accepted."""

    sid: str
    to: str
    sender: str
    body: str
    encoding: str
    segments: int
    status_callback: str | None = None  # where Twilio POSTs the message's later statuses


class _Refused(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": _MORE_INFO.format(code=self.code),
            "status": self.status,
        }


class FakeSmsGateway(FakeServer):
    """``async with FakeSmsGateway() as gateway:``; point lapor's LAPOR_SMS_API_URL at
    ``gateway.base_url`` and read ``gateway.sent()``. The endpoint's name (for ``calls``,
    ``wait_for`` and ``fail_next``) is ``messages``."""

    def __init__(
        self,
        account_sid: str = "AC" + "5" * 32,
        auth_token: str = "sms-token-for-tests",
        number: str = "+6281100001708",
        webhook_url: str = "http://lapor.test/webhooks/sms",
    ) -> None:
        super().__init__()
        self.account_sid, self.auth_token, self.number = account_sid, auth_token, number
        self.webhook_url = webhook_url
        # At most this many requests in this many seconds (a sliding window), else 429.
        self.rate_limit: tuple[int, float] | None = None
        self.opted_out: set[str] = set()
        self._recent: deque[float] = deque()
        self._sids = itertools.count(1)

    # -- public API for tests --------------------------------------------------------------

    def sent(self, to: str | None = None) -> list[Sms]:
        """The messages accepted (to ``to`` if given), oldest first."""
        return [
            call.response["_sms"]
            for call in self.calls_to("messages")
            if to is None or call.params.get("To") == to
        ]

    def fail_next(self, status: int = 500, times: int = 1, *, code: int = 20500) -> None:
        error = _Refused(status, code, "Internal Server Error" if status >= 500 else "Refused")
        self.inject("messages", Failure(status, error.body()), times)

    def rate_limit_next(self, times: int = 1, *, retry_after: int | None = None) -> None:
        """Answer 429 with Twilio's 20429, and a Retry-After header when given."""
        error = _Refused(429, 20429, "Too Many Requests")
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.inject("messages", Failure(429, error.body(), headers), times)

    async def deliver(
        self,
        webhook: str,
        sender: str,
        body: str,
        *,
        message_sid: str | None = None,
        media: int = 0,
        extra: dict[str, str] | None = None,
        signed_url: str | None = None,
    ) -> tuple[int, str]:
        """POST an incoming SMS from ``sender`` to the app at ``webhook`` (its loopback URL),
        signed over ``signed_url`` (default: the public ``webhook_url``); (status, body)."""
        sid = message_sid or self.new_sid()
        form = {
            "ToCountry": "ID",
            "ToState": "",
            "SmsMessageSid": sid,
            "NumMedia": str(media),
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "ID",
            "To": self.number,
            "ToZip": "",
            "NumSegments": str(encoding_and_segments(body)[1]),
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "ApiVersion": "2010-04-01",
        }
        for index in range(media):
            form[f"MediaContentType{index}"] = "image/jpeg"
            form[f"MediaUrl{index}"] = f"{self.base_url}/media/{sid}/{index}"
        form.update(extra or {})
        signature = twilio_signature(self.auth_token, signed_url or self.webhook_url, form)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            "X-Twilio-Signature": signature,
            "User-Agent": "TwilioProxy/1.1",
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(webhook, data=urlencode(form), headers=headers) as response,
        ):
            return response.status, await response.text()

    async def report_status(
        self, app_url: str, sms: Sms, status: str, error_code: int | None = None
    ) -> int:
        """POST a later status of ``sms`` as Twilio does to its StatusCallback: to the app at
        ``app_url`` (its loopback address, the callback's path kept), signed over the callback
        URL as given (the public one); the app's HTTP status."""
        if not sms.status_callback:
            raise AssertionError("the message was sent without a StatusCallback")
        form = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "From": self.number,
            "To": sms.to,
            "MessageSid": sms.sid,
            "SmsSid": sms.sid,
            "MessageStatus": status,
            "SmsStatus": status,
        }
        if error_code is not None:
            form["ErrorCode"] = str(error_code)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
            "X-Twilio-Signature": twilio_signature(self.auth_token, sms.status_callback, form),
        }
        target = app_url.rstrip("/") + urlsplit(sms.status_callback).path
        async with (
            aiohttp.ClientSession() as session,
            session.post(target, data=urlencode(form), headers=headers) as response,
        ):
            return response.status

    def new_sid(self, prefix: str = "SM") -> str:
        return prefix + hashlib.md5(f"{prefix}{next(self._sids)}".encode()).hexdigest()

    # -- HTTP --------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(
            "/2010-04-01/Accounts/{account_sid}/Messages.json", self._handle_messages
        )
        return app

    async def _handle_messages(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        params = {key: str(value) for key, value in form.items()}
        headers: dict[str, str] = {}
        injected = False
        try:
            self._check_auth(request)
            if failure := self.take_failure("messages"):
                injected = True
                status, body, headers = failure.status, failure.body, failure.headers
            elif self._over_rate():
                error = _Refused(429, 20429, "Too Many Requests")
                status, body, headers = 429, error.body(), {"Retry-After": "1"}
            else:
                status, body = 201, self._accept(params)
        except _Refused as error:
            status, body = error.status, error.body()
        self.record(Call("messages", params, status, body, injected=injected))
        public = {key: value for key, value in body.items() if not key.startswith("_")}
        return web.json_response(public, status=status, headers=headers)

    def _check_auth(self, request: web.Request) -> None:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            login, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except ValueError:
            raise _Refused(401, 20003, "Authenticate") from None
        if scheme.lower() != "basic" or (login, password) != (self.account_sid, self.auth_token):
            raise _Refused(401, 20003, "Authenticate")
        if request.match_info["account_sid"] != login:
            raise _Refused(404, 20404, "The requested resource was not found")

    def _over_rate(self) -> bool:
        if self.rate_limit is None:
            return False
        most, seconds = self.rate_limit
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - seconds:
            self._recent.popleft()
        if len(self._recent) >= most:
            return True
        self._recent.append(now)
        return False

    def _accept(self, form: dict[str, str]) -> dict[str, Any]:
        to, body = form.get("To", ""), form.get("Body")
        if not to:
            raise _Refused(400, 21604, "A 'To' phone number is required.")
        if body is None or body == "":
            raise _Refused(400, 21602, "Message body is required.")
        sender = form.get("From") or form.get("MessagingServiceSid")
        if not sender:
            raise _Refused(400, 21603, "A 'From' phone number is required.")
        if form.get("From") and form["From"] != self.number:
            raise _Refused(
                400,
                21606,
                f"The From phone number {form['From']} is not a valid, SMS-capable inbound "
                "phone number or short code for your account.",
            )
        if not _E164.match(to):
            raise _Refused(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self.opted_out:
            raise _Refused(400, 21610, "Attempt to send to unsubscribed recipient")
        if len(body) > 1600:
            raise _Refused(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        encoding, segments = encoding_and_segments(body)
        sid = self.new_sid()
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "from": self.number,
            "body": body,
            "status": "queued",
            "num_segments": str(segments),
            "api_version": "2010-04-01",
            "_sms": Sms(sid, to, sender, body, encoding, segments, form.get("StatusCallback")),
        }
