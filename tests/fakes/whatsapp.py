"""A fake WhatsApp Business Cloud API (Graph API) server on 127.0.0.1 for tests.

It accepts what the lapor WhatsApp sender posts (text, reply buttons, lists, templates, read
receipts), checks the limits Meta enforces on interactive messages, serves registered media and
answers errors in Graph's shape, so the sender's real HTTP code is what the tests exercise.

Meta's rules on when a business may write: free-form messages only within 24 hours of the
citizen's last message (``user_wrote``/``inbound`` tell the fake, on its own ``clock``), else
131047; template messages any time, but only templates approved (``approve_template``) under
that name and language, with the approved number of body parameters and quick replies
(132001, 132000), each parameter one line of at most 1024 characters (132018). (The real Cloud
API reports a 131047 in a later status webhook; the fake answers it at once, as HTTP 400,
unless ``late_window_errors`` is set: then it accepts the message and reports it failed later.)

Status callbacks: every accepted message is reported ``sent``, or ``failed`` when its number
cannot be reached (``unreachable``: 131026) or its window had closed (131047, with
``late_window_errors``); ``send_statuses`` POSTs what is waiting to the app's webhook
(``subscribe``), one webhook each, signed like Meta's (X-Hub-Signature-256)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from ._server import Call, Failure, FakeServer
from .whatsapp_payloads import PayloadFactory, encode, signed_headers

__all__ = ["Call", "FakeWhatsApp", "GraphError"]

_VERSION = r"{version:v\d+\.\d+}"


class GraphError(Exception):
    """An error answer: ``{"error": {"message", "type", "code", ..., "fbtrace_id"}}``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        details: str | None = None,
        subcode: int | None = None,
        error_type: str = "OAuthException",
        transient: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.subcode = subcode
        self.error_type = error_type
        self.transient = transient

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.error_type,
            "code": self.code,
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.transient:
            error["is_transient"] = True
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        error["fbtrace_id"] = "AFakeTraceId" + hashlib.md5(self.message.encode()).hexdigest()[:8]
        return {"error": error}


def _invalid(details: str) -> GraphError:
    return GraphError(400, 131009, "(#131009) Parameter value is not valid", details=details)


def _missing(parameter: str) -> GraphError:
    return GraphError(400, 100, f"(#100) The parameter {parameter} is required.")


def _no_such_object(object_id: str, verb: str) -> GraphError:
    return GraphError(
        400,
        100,
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read "
        "the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
        error_type="GraphMethodException",
    )


# Graph's rate-limit errors a sender may meet, by code.
_RATE_LIMITS = {
    130429: ("(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
    80007: (
        "(#80007) Rate limit issues",
        "The WhatsApp Business Account has reached its rate limit.",
    ),
    131056: (
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time.",
    ),
}

_SERVER_ERRORS = {
    500: (
        131000,
        "(#131000) Something went wrong",
        "Message failed to send due to an unknown error.",
    ),
    503: (2, "(#2) Service temporarily unavailable", None),
}

_MESSAGE_TYPES = frozenset(
    {
        "text",
        "interactive",
        "image",
        "audio",
        "document",
        "video",
        "sticker",
        "location",
        "contacts",
        "reaction",
        "template",
    }
)


WINDOW = timedelta(hours=24)
PARAM_MAX = 1024
_FREE_FORM = _MESSAGE_TYPES - {"template", "reaction"}


@dataclass(frozen=True)
class Template:
    """An approved template, as WhatsApp Manager knows it."""

    name: str
    language: str
    body_params: int
    quick_replies: int = 0


def _outside_window() -> GraphError:
    return GraphError(
        400,
        131047,
        "(#131047) Re-engagement message",
        details="Message failed to send because more than 24 hours have passed since the "
        "customer last replied to this number.",
    )


def _no_template(name: Any, language: Any) -> GraphError:
    return GraphError(
        400,
        132001,
        "(#132001) Template name does not exist in the translation",
        details=f"template name ({name}) does not exist in {language}",
    )


def _param_count(where: str, sent: int, expected: int) -> GraphError:
    return GraphError(
        400,
        132000,
        "(#132000) Number of parameters does not match the expected number of params",
        details=f"{where}: number of localizable_params ({sent}) does not match the expected "
        f"number of params ({expected})",
    )


def _bad_param(details: str) -> GraphError:
    return GraphError(
        400,
        132018,
        "(#132018) There was an issue with the parameters in your template.",
        details=details,
    )


class FakeWhatsApp(FakeServer):
    """``async with FakeWhatsApp() as wa:``; point the sender at ``wa.base_url`` (Graph's
    ``https://graph.facebook.com``) and read ``wa.sent_messages()``.

    Endpoints (the names used by ``calls``, ``wait_for`` and ``fail_next``):
    ``messages`` = POST /{version}/{phone_number_id}/messages, ``media`` = GET
    /{version}/{media_id}, ``media-download`` = GET the ``url`` the media lookup returned."""

    def __init__(
        self,
        token: str = "wa-test-token",
        phone_number_id: str = "1234567890",
        version: str = "v21.0",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.token = token
        self.phone_number_id = phone_number_id
        self.version = version
        self.clock = clock or (lambda: datetime.now(UTC))
        self.templates: dict[tuple[str, str], Template] = {}
        self._last_inbound: dict[str, datetime] = {}
        self.read_receipts: list[str] = []
        self._media: dict[str, tuple[bytes, str]] = {}
        self._unsized: set[str] = set()
        self._message_seq = 0
        # Status callbacks: where to POST them, what waits, what fails.
        self.webhook: tuple[str, str] | None = None
        self.statuses: list[tuple[str, str, str, int | None]] = []  # wamid, to, status, code
        self.unreachable: set[str] = set()
        self.late_window_errors = False

    # -- public API for tests --------------------------------------------------------------

    @property
    def messages_url(self) -> str:
        return f"{self.base_url}/{self.version}/{self.phone_number_id}/messages"

    def add_media(
        self,
        media_id: str,
        data: bytes,
        mime_type: str = "image/jpeg",
        *,
        states_size: bool = True,
    ) -> None:
        """Make ``media_id`` (as in an inbound image message) retrievable and downloadable.
        With ``states_size=False`` the lookup leaves out ``file_size`` (Meta documents it,
        but a client must not count on it), so only the download shows how big it is."""
        self._media[media_id] = (data, mime_type)
        if not states_size:
            self._unsized.add(media_id)

    def user_wrote(self, wa_id: str, at: datetime | None = None) -> None:
        """The citizen ``wa_id`` wrote to the business number (now, by the fake's clock):
        their 24-hour window is open from then."""
        self._last_inbound[_digits(wa_id)] = at or self.clock()

    def inbound(self, payload: dict[str, Any]) -> None:
        """Every sender of a webhook payload (PayloadFactory's) wrote now."""
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                for message in change.get("value", {}).get("messages", []):
                    self.user_wrote(message["from"])

    def subscribe(self, webhook_url: str, app_secret: str) -> None:
        """The app's webhook (its loopback URL) and the Meta app's secret that signs for it."""
        self.webhook = (webhook_url, app_secret)

    async def send_statuses(self) -> list[int]:
        """POST every waiting status callback to the subscribed webhook, oldest first, each
        in its own signed payload as Meta sends them; the app's HTTP answers."""
        if self.webhook is None:
            raise RuntimeError("no webhook subscribed (FakeWhatsApp.subscribe)")
        url, secret = self.webhook
        waiting, self.statuses = self.statuses, []
        answers = []
        async with aiohttp.ClientSession() as session:
            for wamid, to, status, code in waiting:
                payloads = PayloadFactory(
                    phone_number_id=self.phone_number_id,
                    wa_id=to,
                    clock=lambda: self.clock().timestamp(),
                )
                body = encode(payloads.status(wamid, status, error_code=code))
                headers = signed_headers(body, secret)
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    answers.append(response.status)
        return answers

    def approve_template(
        self, name: str, language: str, body_params: int, quick_replies: int = 0
    ) -> None:
        self.templates[(name, language)] = Template(name, language, body_params, quick_replies)

    def sent_templates(self, to: str | None = None) -> list[dict[str, Any]]:
        """The ``template`` objects of the template messages accepted, oldest first."""
        return [m["template"] for m in self.sent_messages(to) if m.get("type") == "template"]

    def sent_messages(self, to: str | None = None) -> list[dict[str, Any]]:
        """JSON bodies of the messages accepted (to ``to`` if given, compared by digits),
        oldest first; read receipts are not messages and are listed in ``read_receipts``."""
        return [
            call.params
            for call in self.calls_to("messages")
            if "status" not in call.params
            and (to is None or _digits(call.params["to"]) == _digits(to))
        ]

    def fail_next(
        self,
        endpoint: str = "messages",
        status: int = 500,
        times: int = 1,
        *,
        code: int | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``endpoint`` with a Graph error; 500 and 503
        default to Meta's codes (131000, 2), other statuses to code 100."""
        default_code, default_message, details = _SERVER_ERRORS.get(
            status, (100, "(#100) Invalid parameter", None)
        )
        error = GraphError(
            status,
            code if code is not None else default_code,
            message or default_message,
            details=details,
            transient=status >= 500,
        )
        self.inject(endpoint, Failure(status, error.body()), times)

    def rate_limit_next(
        self,
        endpoint: str = "messages",
        times: int = 1,
        *,
        code: int = 130429,
        retry_after: int | None = None,
    ) -> None:
        """Answer with HTTP 429 and one of Graph's rate-limit errors (130429, 80007, 131056),
        with a ``Retry-After`` header when ``retry_after`` is given."""
        message, details = _RATE_LIMITS[code]
        error = GraphError(429, code, message, details=details)
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.inject(endpoint, Failure(429, error.body(), headers), times)

    # -- HTTP --------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(f"/{_VERSION}/{{phone_number_id}}/messages", self._handle_messages)
        app.router.add_get(f"/{_VERSION}/{{media_id}}", self._handle_media)
        app.router.add_get("/media-download/{media_id}", self._handle_download)
        return app

    async def _handle_messages(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        params = body if isinstance(body, dict) else {}

        def answer() -> dict[str, Any]:
            if request.match_info["phone_number_id"] != self.phone_number_id:
                raise _no_such_object(request.match_info["phone_number_id"], "post")
            if not isinstance(body, dict):
                raise GraphError(400, 100, "(#100) Invalid parameter")
            return self._accept_message(body)

        return self._respond(request, "messages", params, answer)

    async def _handle_media(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]

        def answer() -> dict[str, Any]:
            if media_id not in self._media:
                raise _no_such_object(media_id, "get")
            data, mime_type = self._media[media_id]
            found = {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/media-download/{media_id}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": len(data),
                "id": media_id,
            }
            if media_id in self._unsized:
                del found["file_size"]
            return found

        return self._respond(request, "media", {"media_id": media_id}, answer)

    async def _handle_download(self, request: web.Request) -> web.Response:
        media_id = request.match_info["media_id"]
        params = {"media_id": media_id}
        if error := self._auth_error(request):
            self.record(Call("media-download", params, error.status, error.body()))
            return web.json_response(error.body(), status=error.status)
        if failure := self.take_failure("media-download"):
            self.record(Call("media-download", params, failure.status, failure.body, injected=True))
            return web.json_response(failure.body, status=failure.status)
        if media_id not in self._media:
            self.record(Call("media-download", params, 404, None))
            return web.Response(status=404, text="Not Found")
        data, mime_type = self._media[media_id]
        self.record(Call("media-download", params, 200, None))
        return web.Response(body=data, content_type=mime_type.split(";")[0])

    def _respond(
        self, request: web.Request, endpoint: str, params: dict[str, Any], answer: Any
    ) -> web.Response:
        injected = False
        headers: dict[str, str] = {}
        try:
            if error := self._auth_error(request):
                raise error
            if failure := self.take_failure(endpoint):
                injected = True
                status, body, headers = failure.status, failure.body, failure.headers
            else:
                status, body = 200, answer()
        except GraphError as error:
            status, body = error.status, error.body()
        self.record(Call(endpoint, params, status, body, injected=injected))
        return web.json_response(body, status=status, headers=headers)

    def _auth_error(self, request: web.Request) -> GraphError | None:
        authorization = request.headers.get("Authorization", "")
        if not authorization:
            return GraphError(
                401,
                190,
                "An active access token must be used to query information about the current user.",
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            return GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")
        return None

    # -- messages ----------------------------------------------------------------------------

    def _accept_message(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("messaging_product") != "whatsapp":
            raise _missing("messaging_product")
        if body.get("status") == "read":
            if not body.get("message_id"):
                raise _missing("message_id")
            self.read_receipts.append(body["message_id"])
            return {"success": True}
        to = body.get("to")
        if not to:
            raise _missing("to")
        kind = body.get("type", "text")
        if kind not in _MESSAGE_TYPES:
            raise GraphError(
                400,
                100,
                f'(#100) Param type must be one of {{{", ".join(sorted(_MESSAGE_TYPES))}}} - got "{kind}".',
            )
        if kind not in body:
            raise _missing(kind)
        failure: int | None = 131026 if _digits(to) in self.unreachable else None
        if kind in _FREE_FORM:
            last = self._last_inbound.get(_digits(to))
            if last is None or self.clock() - last >= WINDOW:
                if not self.late_window_errors:
                    raise _outside_window()
                failure = failure or 131047
        if kind == "text":
            _check_text(body["text"])
        elif kind == "interactive":
            _check_interactive(body["interactive"])
        elif kind == "template":
            self._check_template(body["template"])
        self._message_seq += 1
        wamid = self._wamid(to)
        status = "sent" if failure is None else "failed"
        self.statuses.append((wamid, _digits(to), status, failure))
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": _digits(to)}],
            "messages": [{"id": wamid}],
        }

    def _check_template(self, template: Any) -> None:
        if not isinstance(template, dict) or not template.get("name"):
            raise _missing("template['name']")
        language = (template.get("language") or {}).get("code")
        if not language:
            raise _missing("template['language']['code']")
        approved = self.templates.get((template["name"], language))
        if approved is None:
            raise _no_template(template["name"], language)
        components = template.get("components") or []
        body = [c for c in components if c.get("type") == "body"]
        params = body[0].get("parameters", []) if body else []
        if len(params) != approved.body_params:
            raise _param_count("body", len(params), approved.body_params)
        for param in params:
            text = param.get("text") if param.get("type") == "text" else None
            if not isinstance(text, str) or not text.strip():
                raise _bad_param("Param text must be a non-empty string")
            if len(text) > PARAM_MAX:
                raise _bad_param(f"Param text is longer than {PARAM_MAX} characters")
            if "\n" in text or "\t" in text or "     " in text:
                raise _bad_param(
                    "Param text cannot have new-line/tab characters or more than 4 "
                    "consecutive spaces"
                )
        buttons = [c for c in components if c.get("type") == "button"]
        if len(buttons) != approved.quick_replies:
            raise _param_count("buttons", len(buttons), approved.quick_replies)
        indexes = set()
        for button in buttons:
            payloads = [p.get("payload") for p in button.get("parameters", [])]
            if button.get("sub_type") != "quick_reply" or len(payloads) != 1 or not payloads[0]:
                raise _invalid("Quick reply buttons need one payload parameter each")
            indexes.add(str(button.get("index")))
        if indexes != {str(i) for i in range(approved.quick_replies)}:
            raise _invalid("Button indexes must be 0 to the number of buttons - 1")

    def _wamid(self, to: str) -> str:
        # Real ids are base64 of an opaque binary; only their uniqueness matters to a sender.
        raw = f"{_digits(to)}:{self.phone_number_id}:{self._message_seq:08d}".encode()
        return "wamid." + base64.b64encode(raw).decode()


def _check_text(text: Any) -> None:
    if not isinstance(text, dict) or not isinstance(text.get("body"), str) or not text["body"]:
        raise _missing("text['body']")
    if len(text["body"]) > 4096:
        raise GraphError(
            400, 100, "(#100) Param text['body'] must be at most 4096 characters long."
        )


def _check_interactive(interactive: Any) -> None:
    """Meta's limits on reply buttons and lists, the ones a dialogue outgrows unnoticed."""
    if not isinstance(interactive, dict):
        raise _missing("interactive")
    kind = interactive.get("type")
    if kind not in {
        "button",
        "list",
        "cta_url",
        "location_request_message",
        "flow",
        "product",
        "product_list",
    }:
        raise _missing("interactive['type']")
    body_text = (interactive.get("body") or {}).get("text")
    if kind in {"button", "list"} and not body_text:
        raise _missing("interactive['body']['text']")
    if body_text and len(body_text) > 1024:
        raise _invalid("Body text length invalid. Min length: 1, Max length: 1024")
    header = interactive.get("header")
    if (
        isinstance(header, dict)
        and header.get("type") == "text"
        and len(header.get("text", "")) > 60
    ):
        raise _invalid("Header text length invalid. Min length: 1, Max length: 60")
    footer = interactive.get("footer")
    if isinstance(footer, dict) and len(footer.get("text", "")) > 60:
        raise _invalid("Footer text length invalid. Min length: 1, Max length: 60")
    action = interactive.get("action")
    if not isinstance(action, dict):
        raise _missing("interactive['action']")
    if kind == "button":
        _check_buttons(action.get("buttons"))
    elif kind == "list":
        _check_list(action)


def _check_buttons(buttons: Any) -> None:
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise _invalid("Buttons count invalid. Min: 1, Max: 3")
    titles = []
    for button in buttons:
        if not isinstance(button, dict) or button.get("type") != "reply":
            raise _missing("interactive['action']['buttons'][]['type']")
        reply = button.get("reply")
        if not isinstance(reply, dict):
            raise _missing("interactive['action']['buttons'][]['reply']")
        if not 1 <= len(reply.get("title", "")) <= 20:
            raise _invalid("Button title length invalid. Min length: 1, Max length: 20")
        if not 1 <= len(reply.get("id", "")) <= 256:
            raise _invalid("Button id length invalid. Min length: 1, Max length: 256")
        titles.append(reply["title"])
    if len(set(titles)) != len(titles):
        raise _invalid("Button title is not unique")


def _check_list(action: dict[str, Any]) -> None:
    if not 1 <= len(action.get("button", "")) <= 20:
        raise _invalid("Button text length invalid. Min length: 1, Max length: 20")
    sections = action.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
        raise _invalid("Sections count invalid. Min: 1, Max: 10")
    rows = [row for section in sections for row in section.get("rows", [])]
    if not 1 <= len(rows) <= 10:
        raise _invalid("Total row count exceed max allowed count: 10")
    if len(sections) > 1 and not all(section.get("title") for section in sections):
        raise _invalid("Section title is required when there are multiple sections")
    for row in rows:
        if not 1 <= len(row.get("title", "")) <= 24:
            raise _invalid("Row title length invalid. Min length: 1, Max length: 24")
        if len(row.get("description", "")) > 72:
            raise _invalid("Row description length invalid. Max length: 72")
        if not 1 <= len(row.get("id", "")) <= 200:
            raise _invalid("Row id length invalid. Min length: 1, Max length: 200")
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise _invalid("Row id is not unique")


def _digits(phone: Any) -> str:
    return re.sub(r"\D", "", str(phone))
