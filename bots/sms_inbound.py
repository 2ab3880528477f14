"""SMS inbound: the gateway's webhook form turned into the engine's `Incoming`.

The first provider is Twilio (and any gateway that speaks its API): an incoming SMS is POSTed as
application/x-www-form-urlencoded (``From``, ``To``, ``Body``, ``MessageSid``, ``NumMedia``,
``AccountSid``, ...) and signed in ``X-Twilio-Signature``: base64 of the HMAC-SHA1, under the
account's auth token, of the full webhook URL followed by every POST parameter, sorted by
name, as name and value concatenated (`signature`). Pure functions; the webhook itself is in
bots/sms.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from bots.engine import Incoming
from lapor import constant_time
from lapor.receipts import StatusReport

log = logging.getLogger("bots.sms")

CHANNEL = "sms"

# Twilio's answers to its own keywords (STOP, START, HELP and their synonyms) when Advanced
# Opt-Out is on: the gateway has answered the citizen itself, and a reply of ours to a STOP
# would be refused (error 21610).
OPT_OUT_TYPES = frozenset({"STOP", "START", "HELP"})
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_MESSAGE_SID = re.compile(r"^[A-Za-z]{2}[0-9a-fA-F]{32}$")


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's request signature for a form POST to ``url`` with ``params``: the URL, then
    each parameter name (sorted) followed by each of its values (sorted, repeated ones once)."""
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    signed = url + "".join(
        name + value for name in sorted(values) for value in sorted(values[name])
    )
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signature_valid(
    header: str | None, auth_token: str, url: str, params: Sequence[tuple[str, str]]
) -> bool:
    """Whether ``header`` signs ``params`` posted to ``url`` (with or without the scheme's
    default port, as Twilio's own helpers accept: a proxy may add or drop it)."""
    if not header or not auth_token:
        return False
    return any(
        constant_time.same(header, signature(auth_token, candidate, params))
        for candidate in _with_and_without_port(url)
    )


def _with_and_without_port(url: str) -> list[str]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port is None and default is not None:
        other = urlunsplit(parts._replace(netloc=f"{prefix}{host}:{default}"))
    elif parts.port == default:
        other = urlunsplit(parts._replace(netloc=f"{prefix}{host}"))
    else:
        return [url]
    return [url, other]


def chat_id(number: str) -> str | None:
    """The chat of a phone number: its E.164 digits without the plus ("6281234567890"), the
    form a WhatsApp chat has too (so erasure by phone finds both); None if it is no number."""
    digits = re.sub(r"[\s\-()]", "", number or "").removeprefix("+")
    return digits if digits.isdigit() and 6 <= len(digits) <= 15 else None


def parse_form(form: Mapping[str, str], *, account_sid: str | None = None) -> Incoming | None:
    """The engine's `Incoming` for one webhook form, or None when it is not a citizen's SMS
    to answer (another account's, an opt-out keyword the gateway answered, no sender).

    An MMS (``NumMedia`` above 0) is out of scope: its text, if any, is read as text (the
    photos are not fetched); without text it is `unsupported`, and the citizen is told that
    SMS takes text only."""
    if account_sid and form.get("AccountSid") not in (None, account_sid):
        log.warning("sms webhook for another account; ignored")
        return None
    message_id = form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid") or ""
    sender = chat_id(form.get("From", ""))
    if not _MESSAGE_SID.match(message_id) or sender is None:
        log.warning("sms webhook without a message sid or a sender number; ignored")
        return None
    if (form.get("OptOutType") or "").upper() in OPT_OUT_TYPES:
        log.info("sms opt-out keyword answered by the gateway type=%s", form["OptOutType"])
        return None
    body = form.get("Body") or ""
    base = {"channel": CHANNEL, "chat_id": sender, "message_id": message_id}
    if body.strip():
        return Incoming(**base, kind="text", text=body)
    return Incoming(**base, kind="unsupported")


# Twilio's MessageStatus as lapor.receipts reads it: "undelivered" (the carrier gave up) is a
# failure as "failed" (Twilio could not send) is; queued, sending, scheduled: nothing yet.
_STATUSES = {
    "accepted": "accepted",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
}


def parse_status(form: Mapping[str, str], *, account_sid: str | None = None) -> StatusReport | None:
    """The status callback of a message we sent (Twilio's StatusCallback form), or None when
    it is another account's, malformed, or a status with nothing to say yet."""
    if account_sid and form.get("AccountSid") not in (None, account_sid):
        log.warning("sms status for another account; ignored")
        return None
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    status = _STATUSES.get((form.get("MessageStatus") or form.get("SmsStatus") or "").lower())
    if not _MESSAGE_SID.match(sid) or status is None:
        return None
    code = form.get("ErrorCode") or ""
    return StatusReport(
        provider_id=sid,
        status=status,
        error_code=int(code) if code.isdigit() and 0 < int(code) < 10**7 else None,
        error=(form.get("ErrorMessage") or None) if status == "failed" else None,
    )


def numbered(text: str | None) -> int | None:
    """The number a reply is, when it is only a number ("2", " 2. ", "2)"), else None."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None
