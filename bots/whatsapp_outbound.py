"""WhatsApp outbound: the Graph API session, the outbox's sender and the media fetcher.

`WhatsAppSender` renders an outbox message as a text or an interactive message (`render`)
inside the chat's 24-hour customer-service window, or as its approved template outside it
(bots/whatsapp_templates.py), deciding when it sends (lapor.whatsapp_window), and maps
Graph's errors onto the outbox's retry rules; `WhatsAppMedia` downloads the photos citizens
send. One aiohttp session (`Graph`) serves both, opened and closed with the app.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import aiohttp

from bots.channels import ChannelSession, read_json, retry_after
from bots.whatsapp_templates import render_template
from lapor.city import WhatsAppTemplates
from lapor.errors import PayloadTooLarge
from lapor.outbox_errors import Dropped, PartlySent, PermanentFailure, RetryAfter
from lapor.photos import MAX_PHOTO_BYTES
from lapor.settings import Settings

log = logging.getLogger("bots.whatsapp")

# Meta's limits on what a message may hold.
TEXT_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
REPLY_BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_ROWS_MAX = 10
LIST_ROW_TITLE_MAX = 24
LIST_ROW_DESCRIPTION_MAX = 72
LIST_ROW_ID_MAX = 200
LIST_BUTTON = "Pilih"  # the label that opens a list; Indonesian, the default language

# Graph error codes that mean "too much, too fast" (sent with HTTP 400 as well as 429):
# 4 app calls, 80007 WABA, 130429 throughput, 131048 spam limit, 131056 pair rate limit.
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131048, 131056})
# Graph codes that say our token or app is wrong (190 expired or revoked token, 10 and 200
# permissions): the deployment's to fix, not the message's, so it is retried meanwhile.
CONFIGURATION_CODES = frozenset({10, 190, 200})
# 131047 "Re-engagement message": free text more than 24 hours after the citizen last wrote.
OUTSIDE_WINDOW_CODE = 131047
# Meta does not say how long to wait; a minute clears the throughput and pair limits.
DEFAULT_RETRY_AFTER = 60.0
SEND_TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5)
MEDIA_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=5)


def render(recipient: str, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Graph message bodies for one outbox payload (``text``, ``buttons``): one, or two
    when a text with buttons is longer than an interactive body may be (its last paragraphs,
    usually the question, go with the buttons; the rest is sent first as text).

    Up to three buttons whose labels fit a reply button (20 characters, all different) are
    reply buttons. Anything else (the four answers of a survey question, a label such as "Ada
    tetapi tidak berfungsi") is a list: one row per button, its id the button's data, its
    title the label (shortened at a word to 24 characters, the whole label then shown as the
    row's description)."""
    text = str(payload.get("text") or "").strip() or "-"
    buttons = [
        (" ".join(str(label).split()) or "-", str(data))
        for label, data in payload.get("buttons") or ()
    ]
    if not buttons:
        return [_text_message(recipient, text)]
    head, tail = _split_for_interactive(text)
    messages = [_text_message(recipient, head)] if head else []
    if _fits_reply_buttons(buttons):
        action = {
            "buttons": [
                {"type": "reply", "reply": {"id": data[:BUTTON_ID_MAX], "title": label}}
                for label, data in buttons
            ]
        }
        interactive = {"type": "button", "body": {"text": tail}, "action": action}
    else:
        if len(buttons) > LIST_ROWS_MAX:
            log.warning("whatsapp list cut to %s rows from %s", LIST_ROWS_MAX, len(buttons))
        rows = [_row(label, data) for label, data in buttons[:LIST_ROWS_MAX]]
        interactive = {
            "type": "list",
            "body": {"text": tail},
            "action": {"button": LIST_BUTTON, "sections": [{"rows": rows}]},
        }
    messages.append(_envelope(recipient, "interactive", interactive))
    return messages


def _fits_reply_buttons(buttons: Sequence[tuple[str, str]]) -> bool:
    labels = [label for label, _ in buttons]
    return (
        len(buttons) <= REPLY_BUTTONS_MAX
        and all(len(label) <= BUTTON_TITLE_MAX for label in labels)
        and len(set(labels)) == len(labels)  # Meta refuses two buttons with one title
    )


def _row(label: str, data: str) -> dict[str, str]:
    row = {"id": data[:LIST_ROW_ID_MAX], "title": _shorten(label, LIST_ROW_TITLE_MAX)}
    if row["title"] != label:
        row["description"] = _clip(label, LIST_ROW_DESCRIPTION_MAX)
    return row


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word where one fits."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)  # room for the ellipsis after the word
    if cut < limit // 2:  # one long word: cut inside it rather than keep too little
        return _clip(text, limit)
    return text[:cut].rstrip(" ,;:-") + "…"


def _text_message(recipient: str, text: str) -> dict[str, Any]:
    return _envelope(recipient, "text", {"body": _clip(text, TEXT_MAX), "preview_url": False})


def _envelope(recipient: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
        "type": kind,
        kind: content,
    }


def _split_for_interactive(text: str) -> tuple[str, str]:
    if len(text) <= INTERACTIVE_BODY_MAX:
        return "", text
    paragraphs = text.split("\n\n")
    tail: list[str] = []
    while paragraphs and len("\n\n".join([paragraphs[-1], *tail])) <= INTERACTIVE_BODY_MAX:
        tail.insert(0, paragraphs.pop())
    if not tail:  # one enormous last paragraph: it goes whole as text, the buttons get its end
        return text, _clip(text[-(INTERACTIVE_BODY_MAX - 1) :], INTERACTIVE_BODY_MAX)
    return "\n\n".join(paragraphs), "\n\n".join(tail)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class GraphError(Exception):
    """An error answer of the Graph API, kept for the outbox's ``last_error``."""

    def __init__(self, status: int, body: Any) -> None:
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        self.status = status
        self.code = error.get("code") if isinstance(error.get("code"), int) else None
        self.transient = bool(error.get("is_transient"))
        message = str(error.get("message") or f"HTTP {status}")
        details = (error.get("error_data") or {}).get("details") if error else None
        self.message = f"{message}: {details}" if details else message
        super().__init__(f"HTTP {status} code={self.code} {self.message}")


class Graph(ChannelSession):
    """The Graph API for one WhatsApp business number, over one aiohttp session that the app
    opens at start-up and closes after the outbox dispatcher has stopped (bots/channels.py)."""

    name = "WhatsApp"

    def __init__(self, settings: Settings) -> None:
        self.base = settings.whatsapp_api_base.rstrip("/")
        self.phone_number_id = settings.whatsapp_phone_number_id
        self._headers = {"Authorization": f"Bearer {settings.whatsapp_token}"}

    async def post_message(self, body: Mapping[str, Any]) -> str | None:
        """Send one message; the id (wamid) Graph gave it, which its later statuses name."""
        url = f"{self.base}/{self.phone_number_id}/messages"
        async with self.session.post(
            url, json=body, headers=self._headers, timeout=SEND_TIMEOUT
        ) as response:
            answer = await read_json(response)
            if response.status < 300:
                return _message_id(answer)
            raise _send_failure(GraphError(response.status, answer), response)

    async def media_url(self, media_id: str) -> tuple[str, int | None]:
        async with self.session.get(
            f"{self.base}/{media_id}", headers=self._headers, timeout=MEDIA_TIMEOUT
        ) as response:
            body = await read_json(response)
            if response.status >= 300:
                raise GraphError(response.status, body)
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise GraphError(response.status, {"error": {"message": "media without a url"}})
        size = body.get("file_size")
        return url, size if isinstance(size, int) else None

    async def download(self, url: str, max_bytes: int) -> bytes:
        """The bytes at a media url; more than ``max_bytes`` is refused without reading on."""
        async with self.session.get(url, headers=self._headers, timeout=MEDIA_TIMEOUT) as response:
            if response.status >= 300:
                raise GraphError(response.status, await read_json(response))
            data = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise _too_large()
        return bytes(data)


def _message_id(answer: Any) -> str | None:
    messages = answer.get("messages") if isinstance(answer, dict) else None
    first = messages[0] if isinstance(messages, list) and messages else None
    wamid = first.get("id") if isinstance(first, dict) else None
    return wamid if isinstance(wamid, str) and wamid else None


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge.on("photos", "Setiap foto paling besar 5 MB.")


class OutsideWindow(PermanentFailure):
    """Meta refused free text: the chat's window has closed (its clock and ours differ, or
    the citizen's last message reached us late). The sender falls back to the template."""


def _send_failure(error: GraphError, response: aiohttp.ClientResponse) -> Exception:
    """Graph's answer as the outbox understands it: wait, retry later, or give up."""
    if error.code == OUTSIDE_WINDOW_CODE:
        return OutsideWindow(str(error))
    if error.status == 429 or error.code in RATE_LIMIT_CODES:
        return RetryAfter(
            retry_after(response.headers.get("Retry-After"), DEFAULT_RETRY_AFTER), str(error)
        )
    if error.status >= 500 or error.transient:
        return error  # plain: retried with backoff
    if error.status == 401 or error.code in CONFIGURATION_CODES:
        return error  # an expired token kills no message: retried until it is replaced
    return PermanentFailure(str(error))


class ChatWindows(Protocol):
    async def is_open(self, wa_id: str) -> bool: ...


class WhatsAppSender:
    """The outbox's sender for the ``whatsapp`` channel: recipient is the citizen's wa_id.

    ``windows`` says whether a chat's 24-hour window is open (lapor.whatsapp_window.Windows;
    None: not tracked, so free text is tried and Meta's refusal brings the template);
    ``templates`` names the city's approved templates. The app sets both at start (`use`)."""

    def __init__(
        self,
        graph: Graph,
        *,
        windows: ChatWindows | None = None,
        templates: WhatsAppTemplates | None = None,
    ) -> None:
        self.graph = graph
        self.use(windows, templates)

    def use(self, windows: ChatWindows | None, templates: WhatsAppTemplates | None) -> None:
        self.windows, self.templates = windows, templates or WhatsAppTemplates()

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> list[str]:
        """Inside the window, its messages in order from the first not yet sent
        (``parts_sent``, kept by the outbox when an earlier try failed half-way), so a retry
        repeats none. Outside it, or when Meta reported later that the window had closed
        (``template_only``, lapor.receipts), the template; a message without one is dropped.
        Returns the ids Graph gave what it accepted (lapor.receipts reads their statuses)."""
        done = int(payload.get("parts_sent") or 0)
        if payload.get("template_only"):
            return await self._send_template(recipient, payload, "Meta reported the window closed")
        if not done and self.windows is not None and not await self.windows.is_open(recipient):
            return await self._send_template(
                recipient, payload, "the chat's 24-hour window is closed"
            )
        try:
            return await self._send_free(recipient, payload, done)
        except OutsideWindow as refused:
            log.warning("whatsapp refused free text outside the window; sending the template")
            return await self._send_template(recipient, payload, str(refused))

    async def _send_free(self, recipient: str, payload: Mapping[str, Any], done: int) -> list[str]:
        accepted: list[str] = []
        for index, body in enumerate(render(recipient, payload)):
            if index < done:
                continue
            try:
                if wamid := await self.graph.post_message(body):
                    accepted.append(wamid)
            except OutsideWindow:
                raise  # whatever part it is, the template says it all
            except Exception as error:
                if index:  # the parts before this one are in the chat
                    raise PartlySent(index, error) from error
                raise
        return accepted

    async def _send_template(
        self, recipient: str, payload: Mapping[str, Any], why: str
    ) -> list[str]:
        template = payload.get("template")
        if not isinstance(template, Mapping):
            raise Dropped(f"not sent: {why}, and the message has no template form")
        wamid = await self.graph.post_message(render_template(recipient, template, self.templates))
        return [wamid] if wamid else []


class WhatsAppMedia:
    """The engine's ``MediaFetcher``: the bytes behind an inbound image's media id."""

    def __init__(self, graph: Graph, *, max_bytes: int = MAX_PHOTO_BYTES) -> None:
        self.graph, self.max_bytes = graph, max_bytes

    async def fetch(self, ref: str) -> bytes:
        url, size = await self.graph.media_url(ref)
        if size is not None and size > self.max_bytes:  # Meta states the size: don't download
            raise _too_large()
        return await self.graph.download(url, self.max_bytes)
