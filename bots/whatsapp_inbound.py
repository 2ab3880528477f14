"""WhatsApp inbound: Meta's webhook payload turned into the engine's `Incoming`.

`signature_valid` checks Meta's signature over the raw body; `parse_webhook` (a pure function)
turns every message of a payload into an `Incoming`, `last_written` says when each chat
last wrote (its 24-hour window, lapor.whatsapp_window), and `parse_statuses` reads what Meta
reports of the messages we sent (a failure among them: lapor.receipts acts on it). The webhook itself is in bots/whatsapp.py.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from bots.engine import Incoming
from lapor import constant_time
from lapor.receipts import StatusReport

log = logging.getLogger("bots.whatsapp")

CHANNEL = "whatsapp"

_WA_ID = re.compile(r"^[0-9]{5,20}$")
_SLASH_COMMAND = re.compile(r"^/([A-Za-z]+)(?:\s+(.*))?$", re.S)
_PHOTO_DOCUMENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether ``header`` is ``sha256=`` + the hex HMAC-SHA256 of ``body`` under the secret."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return constant_time.same(header.removeprefix("sha256="), expected)


def parse_webhook(payload: Any, *, phone_number_id: str | None = None) -> list[Incoming]:
    """Every message in a webhook payload, in order, as the engine's `Incoming`.

    Status callbacks (sent/delivered/read of our own messages) carry no message and give
    nothing. With ``phone_number_id``, messages to another number of the same Meta app are
    left out: answering them from ours would be wrong. A part that is not shaped like Meta's
    is skipped (and logged) rather than failing the whole batch."""
    found: list[Incoming] = []
    for value in _values(payload, phone_number_id, warn=True):
        names = {
            contact.get("wa_id"): (contact.get("profile") or {}).get("name")
            for contact in _dicts(value.get("contacts"))
        }
        for message in _dicts(value.get("messages")):
            incoming = _incoming(message, names)
            if incoming is None:
                log.warning("whatsapp message without id or sender; skipped")
            else:
                found.append(incoming)
    return found


def last_written(payload: Any, *, phone_number_id: str | None = None) -> dict[str, datetime | None]:
    """When each sender in a webhook payload last wrote, by the messages' own ``timestamp``
    (None when a message has none): each opens that chat's 24-hour window. Every message
    counts, a sticker or a poll as much as a text; status callbacks do not."""
    found: dict[str, datetime | None] = {}
    for value in _values(payload, phone_number_id):
        for message in _dicts(value.get("messages")):
            sender = message.get("from")
            if not isinstance(sender, str) or not _WA_ID.match(sender):
                continue
            seconds = _number(message.get("timestamp"))
            at = datetime.fromtimestamp(seconds, UTC) if seconds and seconds < 1e11 else None
            if at is None or found.get(sender, at) is None:
                found[sender] = None  # no time said: now, the latest there is
            else:
                found[sender] = max(at, found.get(sender) or at)
    return found


def parse_statuses(payload: Any, *, phone_number_id: str | None = None) -> list[StatusReport]:
    """The status callbacks of a webhook payload (sent, delivered, read, failed, of messages
    we sent), in order; a failure with its first error's code and title. The same checks as
    `parse_webhook`: another number's statuses and malformed parts are left out."""
    found: list[StatusReport] = []
    for value in _values(payload, phone_number_id):
        for status in _dicts(value.get("statuses")):
            wamid, state = status.get("id"), status.get("status")
            if not isinstance(wamid, str) or not wamid or not isinstance(state, str):
                log.warning("whatsapp status without id or status; skipped")
                continue
            [error, *_] = _dicts(status.get("errors")) or [{}]
            code = error.get("code")
            data = error.get("error_data")
            details = data if isinstance(data, dict) else {}
            words = [error.get("title") or error.get("message"), details.get("details")]
            found.append(
                StatusReport(
                    provider_id=wamid,
                    status=state,
                    error_code=code if isinstance(code, int) and code > 0 else None,
                    error=": ".join(str(w) for w in words if isinstance(w, str) and w) or None,
                )
            )
    return found


def _incoming(message: Mapping[str, Any], names: Mapping[Any, Any]) -> Incoming | None:
    message_id, sender = message.get("id"), message.get("from")
    if not isinstance(message_id, str) or not message_id or not isinstance(sender, str):
        return None
    if not sender:
        return None
    name = names.get(sender)
    base = {
        "channel": CHANNEL,
        "chat_id": sender,
        "message_id": message_id,
        "sender_name": name if isinstance(name, str) and name else None,
    }
    kind = message.get("type")
    content = message.get(kind) if isinstance(kind, str) else None
    content = content if isinstance(content, dict) else {}
    if kind == "text" and isinstance(content.get("body"), str):
        body = content["body"]
        if match := _SLASH_COMMAND.match(body.strip()):
            return Incoming(
                **base, kind="command", command=match.group(1).lower(), text=match.group(2)
            )
        return Incoming(**base, kind="text", text=body)
    if kind == "location":
        latitude, longitude = _number(content.get("latitude")), _number(content.get("longitude"))
        if latitude is not None and longitude is not None:
            return Incoming(**base, kind="location", latitude=latitude, longitude=longitude)
    # A photo sent "as a document" (uncompressed) is still a photo; the core sniffs the bytes.
    is_photo = kind == "image" or (
        kind == "document" and content.get("mime_type") in _PHOTO_DOCUMENT_TYPES
    )
    if is_photo and isinstance(content.get("id"), str) and content["id"]:
        caption = content.get("caption")
        return Incoming(
            **base,
            kind="photo",
            photo_ref=content["id"],
            text=caption if isinstance(caption, str) else None,
        )
    if kind == "interactive":
        reply = content.get(content.get("type")) if content.get("type") in _REPLIES else None
        if isinstance(reply, dict) and isinstance(reply.get("id"), str) and reply["id"]:
            return Incoming(**base, kind="choice", choice=reply["id"])
    # A tap on a template's quick-reply button carries its payload the same way.
    if kind == "button" and isinstance(content.get("payload"), str) and content["payload"]:
        return Incoming(**base, kind="choice", choice=content["payload"])
    return Incoming(**base, kind="unsupported")


_REPLIES = ("button_reply", "list_reply")


def _values(
    payload: Any, phone_number_id: str | None, *, warn: bool = False
) -> Iterator[dict[str, Any]]:
    """Each change's `value` of a webhook payload, for our number only (another number of the
    same Meta app is left out; `warn` says so once per change, for the messages' reader)."""
    for entry in _dicts(payload.get("entry") if isinstance(payload, dict) else None):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if phone_number_id and metadata.get("phone_number_id") not in (None, phone_number_id):
                if warn:
                    log.warning("whatsapp webhook for another phone number; ignored")
                continue
            yield value


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
