"""Inbound WhatsApp Cloud API webhook payloads, shaped as Meta sends them, and their signature.

Post ``encode(payload)`` as the raw body with ``signed_headers(body, app_secret)``: Meta signs
the exact bytes it sends (compact JSON with escaped unicode and slashes), so a handler that
re-serializes the JSON before checking X-Hub-Signature-256 fails, as it would in production."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

__all__ = ["PayloadFactory", "encode", "sign", "signed_headers"]


def sign(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 header value: ``sha256=`` + hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: dict[str, Any]) -> bytes:
    """The body bytes as Meta writes them: compact, ASCII with lowercase ``\\uXXXX``, ``\\/``."""
    return json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode()


def signed_headers(body: bytes, app_secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, app_secret)}


# What Meta's status callbacks say of the failures lapor acts on (title, details).
FAILURES = {
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131026: (
        "Message undeliverable",
        "Unable to deliver message. Reasons can include: the recipient phone number is not a "
        "WhatsApp phone number; the recipient has not accepted the new Terms of Service.",
    ),
}


class PayloadFactory:
    """Webhook payloads for one business number and one citizen (``wa_id``); each builder
    returns a whole ``{"object": "whatsapp_business_account", "entry": [...]}`` dict."""

    def __init__(
        self,
        *,
        phone_number_id: str = "1234567890",
        display_phone_number: str = "6281100000000",
        business_account_id: str = "102290129340398",
        wa_id: str = "6281234567890",
        name: str = "Budi Santoso",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.phone_number_id = phone_number_id
        self.display_phone_number = display_phone_number
        self.business_account_id = business_account_id
        self.wa_id = wa_id
        self.name = name
        self._clock = clock
        self._seq = 0

    # -- messages from the citizen -----------------------------------------------------------

    def text(self, body: str) -> dict[str, Any]:
        return self._message("text", {"body": body})

    def location(
        self,
        latitude: float,
        longitude: float,
        *,
        name: str | None = None,
        address: str | None = None,
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if name is not None:
            location["name"] = name
        if address is not None:
            location["address"] = address
        return self._message("location", location)

    def image(
        self,
        media_id: str | None = None,
        *,
        mime_type: str = "image/jpeg",
        data: bytes | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """An image; its ``sha256`` is of ``data`` when given (pair with
        ``FakeWhatsApp.add_media(media_id, data, mime_type)``)."""
        media_id = media_id or self._media_id()
        digest = hashlib.sha256(data or media_id.encode()).digest()
        # The webhook carries the hash base64-encoded; the media lookup gives it as hex.
        image: dict[str, Any] = {
            "mime_type": mime_type,
            "sha256": base64.b64encode(digest).decode(),
            "id": media_id,
        }
        if caption is not None:
            image["caption"] = caption
        return self._message("image", image)

    def button_reply(
        self, button_id: str, title: str, *, context_id: str | None = None
    ) -> dict[str, Any]:
        """A tap on a reply button; ``context_id`` is the wamid of the message that had it."""
        interactive = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
        return self._message("interactive", interactive, context_id=context_id)

    def list_reply(
        self,
        row_id: str,
        title: str,
        *,
        description: str | None = None,
        context_id: str | None = None,
    ) -> dict[str, Any]:
        reply: dict[str, Any] = {"id": row_id, "title": title}
        if description is not None:
            reply["description"] = description
        interactive = {"type": "list_reply", "list_reply": reply}
        return self._message("interactive", interactive, context_id=context_id)

    def template_button(
        self, payload: str, text: str, *, context_id: str | None = None
    ) -> dict[str, Any]:
        """A tap on a template's quick-reply button: its payload as sent, its label."""
        return self._message("button", {"payload": payload, "text": text}, context_id=context_id)

    def sticker(self, *, animated: bool = False) -> dict[str, Any]:
        media_id = self._media_id()
        sticker = {
            "mime_type": "image/webp",
            "sha256": base64.b64encode(hashlib.sha256(media_id.encode()).digest()).decode(),
            "id": media_id,
            "animated": animated,
        }
        return self._message("sticker", sticker)

    def audio(self, *, voice: bool = True) -> dict[str, Any]:
        """A voice note (``voice=True``) or an audio file."""
        media_id = self._media_id()
        audio = {
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": base64.b64encode(hashlib.sha256(media_id.encode()).digest()).decode(),
            "id": media_id,
            "voice": voice,
        }
        return self._message("audio", audio)

    def unsupported(self) -> dict[str, Any]:
        """What Meta sends for a message type the Cloud API cannot pass on (e.g. a poll)."""
        message = self._base_message("unsupported")
        message["errors"] = [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ]
        return self._wrap({"contacts": [self._contact()], "messages": [message]})

    # -- status callbacks for the business's own messages ----------------------------------

    def status(
        self,
        message_id: str,
        status: str = "delivered",
        *,
        recipient_id: str | None = None,
        error_code: int | None = None,
    ) -> dict[str, Any]:
        """A sent / delivered / read callback for an outbound message ``message_id``, or a
        ``failed`` one with Meta's error ``error_code`` (131047, 131026, ...)."""
        entry: dict[str, Any] = {
            "id": message_id,
            "status": status,
            "timestamp": self._timestamp(),
            "recipient_id": recipient_id or self.wa_id,
        }
        if status == "failed":
            title, details = FAILURES.get(error_code or 0, ("Failure", "Unknown error"))
            entry["errors"] = [
                {
                    "code": error_code,
                    "title": title,
                    "message": title,
                    "error_data": {"details": details},
                    "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                }
            ]
        if status in {"sent", "delivered"}:
            entry["conversation"] = {
                "id": hashlib.md5(f"{self.wa_id}:conversation".encode()).hexdigest(),
                "origin": {"type": "service"},
            }
            if status == "sent":
                entry["conversation"]["expiration_timestamp"] = str(int(self._clock()) + 86400)
            entry["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
        return self._wrap({"statuses": [entry]})

    # -- plumbing ----------------------------------------------------------------------------

    def message_id(self, payload: dict[str, Any]) -> str:
        """The wamid of the (single) message in ``payload``."""
        return payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]

    def _message(
        self, kind: str, content: dict[str, Any], *, context_id: str | None = None
    ) -> dict[str, Any]:
        message = self._base_message(kind)
        if context_id is not None:
            message["context"] = {"from": self.display_phone_number, "id": context_id}
        message[kind] = content
        return self._wrap({"contacts": [self._contact()], "messages": [message]})

    def _base_message(self, kind: str) -> dict[str, Any]:
        self._seq += 1
        raw = f"{self.wa_id}:inbound:{self._seq:08d}".encode()
        return {
            "from": self.wa_id,
            "id": "wamid." + base64.b64encode(raw).decode(),
            "timestamp": self._timestamp(),
            "type": kind,
        }

    def _contact(self) -> dict[str, Any]:
        return {"profile": {"name": self.name}, "wa_id": self.wa_id}

    def _wrap(self, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.business_account_id,
                    "changes": [
                        {
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": self.display_phone_number,
                                    "phone_number_id": self.phone_number_id,
                                },
                                **value,
                            },
                            "field": "messages",
                        }
                    ],
                }
            ],
        }

    def _media_id(self) -> str:
        self._seq += 1
        return str(1_000_000_000_000_000 + self._seq)

    def _timestamp(self) -> str:
        return str(int(self._clock()))
