"""The OpenAPI 3.1 document, generated from the app's routes and the pydantic models in
lapor/schemas.py: each handler declares what it takes and returns (`documented`), the webhooks
that other libraries serve are declared here (`EXTERNAL`), and nothing else is written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel

import lapor
from lapor import schemas

REF = "#/components/schemas/{model}"
Auth = Literal["none", "optional", "officer", "webhook"]

PROBLEM_TEXT = {
    400: "Malformed request (not JSON, a broken form, a mistyped tracking code)",
    401: "No valid officer token (or webhook secret)",
    403: "Not this officer's agency, or not their role",
    404: "No such complaint, photo or report (a rahasia one is unknown to strangers)",
    409: "The action is not allowed in the complaint's status (`allowed_actions`)",
    410: "Already answered or expired",
    413: "Body or photo too large",
    415: "Neither application/json nor multipart/form-data",
    422: "A field is wrong: `errors` names each one",
    429: "Past the city's rate limit for this client; `retry_after` as in the header",
    503: "The database or the photo store cannot be reached: nothing was done; try again "
    "after `Retry-After` seconds",
}

# Problems that pass: each answer says when to try again (Retry-After), so each is one shared
# response in components.
PASSING = {429: "TooManyRequests", 503: "Unavailable"}
RETRY_AFTER_TEXT = {
    429: "Seconds until the limit's window ends",
    503: "Seconds after which trying again may succeed",
}


RETRY_AFTER = {
    "description": "Seconds until the limit's window ends",
    "schema": {"type": "integer", "minimum": 1},
}


@dataclass(frozen=True)
class Doc:
    """What one route takes and returns. `returns` is a model, `[Model]` for a list of them,
    or a mapping of media type to a model (None: any bytes)."""

    summary: str
    path: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    headers: type[BaseModel] | None = None
    body: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    body_required: bool = True
    ok: int = 200
    returns: Any = None
    problems: tuple[int, ...] = ()
    auth: Auth = "none"
    html: bool = False  # answers (and errors) as HTML pages, not JSON
    plain: tuple[int, ...] = ()  # errors answered as text/plain by another library
    # Errors in a shape of their own instead of problem+json (Open311's list of {code,
    # description}, as JSON or XML): media type -> model, `[Model]` or None; and what each
    # status means there, where PROBLEM_TEXT would mislead.
    errors: Mapping[str, Any] | None = None
    problem_text: Mapping[int, str] = field(default_factory=dict)


def documented(**declared: Any) -> Callable:
    """Attach a route's `Doc` to its handler (put it under the route decorator)."""

    def attach(handler: Callable) -> Callable:
        handler.__openapi__ = Doc(**declared)  # type: ignore[attr-defined]
        return handler

    return attach


# Routes served by other code (aiogram's webhook handler, the WhatsApp channel).
EXTERNAL: dict[tuple[str, str], Doc] = {
    ("post", "/webhooks/telegram"): Doc(
        "Telegram Bot API webhook: citizens' updates (aiogram answers it)",
        headers=schemas.TelegramSecret,
        body={"application/json": schemas.Loose},
        returns={"application/json": None, "text/plain": None},
        plain=(401,),  # aiogram's own answer to a wrong secret
        auth="webhook",
    ),
    ("get", "/webhooks/whatsapp"): Doc(
        "WhatsApp Cloud API webhook verification (Meta's subscription check)",
        query=schemas.WhatsAppVerifyQuery,
        returns={"text/plain": None},
        problems=(403,),
        auth="webhook",
    ),
    ("post", "/webhooks/whatsapp"): Doc(
        "WhatsApp Cloud API webhook: citizens' messages and delivery statuses",
        headers=schemas.WhatsAppSignature,
        body={"application/json": schemas.Loose},
        returns=schemas.WebhookReceived,
        problems=(400, 401, 403, 413),
        auth="webhook",
    ),
    # -- sms (bots/sms.py) --
    ("post", "/webhooks/sms"): Doc(
        "SMS gateway webhook (Twilio's form): a citizen's SMS; answered with empty TwiML",
        headers=schemas.SmsSignature,
        body={"application/x-www-form-urlencoded": schemas.SmsInbound},
        returns={"text/xml": None},
        problems=(400, 401, 403, 413),
        auth="webhook",
    ),
    ("post", "/webhooks/sms/status"): Doc(
        "SMS gateway status callback: a sent message's later status; a failure becomes a "
        "dead letter once",
        headers=schemas.SmsSignature,
        body={"application/x-www-form-urlencoded": schemas.SmsStatusCallback},
        ok=204,
        problems=(400, 401, 403, 413),
        auth="webhook",
    ),
    # -- end sms --
}


class _Schemas:
    """components/schemas, filled as models are referred to."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: str = "validation") -> dict[str, str]:
        name = model.__name__
        if name not in self.found:
            schema = model.model_json_schema(ref_template=REF, mode=mode)
            for inner, definition in schema.pop("$defs", {}).items():
                self.found.setdefault(inner, definition)
            self.found[name] = schema
        return {"$ref": REF.format(model=name)}

    def returns(self, returns: Any) -> dict[str, Any]:
        if isinstance(returns, list):
            return {"type": "array", "items": self.ref(returns[0], "serialization")}
        return self.ref(returns, "serialization")


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter is absent rather than null: `X | None` becomes X."""
    choices = schema.get("anyOf")
    if not choices:
        return schema
    kept = [c for c in choices if c.get("type") != "null"]
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    rest.pop("default", None) if schema.get("default") is None else None
    return {**kept[0], **rest} if len(kept) == 1 else {"anyOf": kept, **rest}


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    found = []
    for name, prop in schema["properties"].items():
        prop = _not_null(dict(prop))
        prop.pop("title", None)
        description = prop.pop("description", None)
        parameter = {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
            "schema": prop,
        }
        if description:
            parameter["description"] = description
        found.append(parameter)
    return found


def _operation(doc: Doc, components: _Schemas) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": doc.summary}
    parameters = (
        _parameters(doc.path, "path")
        + _parameters(doc.query, "query")
        + _parameters(doc.headers, "header")
    )
    if parameters:
        operation["parameters"] = parameters
    if doc.auth == "officer":
        operation["security"] = [{"bearer": []}]
    elif doc.auth == "optional":
        operation["security"] = [{}, {"bearer": []}]
    if doc.body:
        operation["requestBody"] = {
            "required": doc.body_required,
            "content": {
                media: {"schema": components.ref(model)} for media, model in doc.body.items()
            },
        }
    if doc.html:
        ok: dict[str, Any] = {"description": "HTML", "content": {"text/html": {}}}
    elif doc.returns is None:  # 204: nothing in the body
        ok = {"description": "Done; no content"}
    elif isinstance(doc.returns, Mapping):
        ok = {
            "description": "OK",
            "content": {
                media: {"schema": components.returns(model)} if model else {}
                for media, model in doc.returns.items()
            },
        }
    else:
        ok = {
            "description": "OK",
            "content": {"application/json": {"schema": components.returns(doc.returns)}},
        }
    responses: dict[str, Any] = {str(doc.ok): ok}
    for status in sorted(doc.problems):
        text = doc.problem_text.get(status, PROBLEM_TEXT[status])
        if doc.errors is not None:
            responses[str(status)] = {
                "description": text,
                "content": {
                    media: {"schema": components.returns(model)} if model else {}
                    for media, model in doc.errors.items()
                },
            }
            if status == 429:
                responses["429"]["headers"] = {"Retry-After": RETRY_AFTER}
        elif doc.html:
            responses[str(status)] = {"description": f"HTML: {text}"}
        elif status in PASSING:
            responses[str(status)] = {"$ref": f"#/components/responses/{PASSING[status]}"}
        else:
            responses[str(status)] = {
                "description": text,
                "content": {
                    "application/problem+json": {"schema": components.ref(schemas.Problem)}
                },
            }
    for status in doc.plain:
        responses[str(status)] = {
            "description": PROBLEM_TEXT[status],
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    operation["responses"] = responses
    return operation


def route_path(route: web.AbstractRoute) -> str:
    """`/a/{code}/photos/{position:\\d+}` as OpenAPI writes it: `/a/{code}/photos/{position}`."""
    return re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", route.resource.canonical)


def route_doc(route: web.AbstractRoute) -> Doc | None:
    handler = route.handler
    doc = getattr(handler, "__openapi__", None) or getattr(
        getattr(handler, "__func__", None), "__openapi__", None
    )
    return doc or EXTERNAL.get((route.method.lower(), route_path(route)))


def openapi_document(app: web.Application) -> dict[str, Any]:
    components = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        doc = route_doc(route)
        if doc is None:  # the HTML pages for people, and /static
            continue
        paths.setdefault(route_path(route), {})[route.method.lower()] = _operation(doc, components)
    components.ref(schemas.Problem)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lapor API",
            "version": lapor.__version__,
            "description": "Citizen complaints for Indonesian local governments. Errors are "
            "application/problem+json. Generated from the routes and lapor/schemas.py.",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.found.items())),
            "responses": {
                name: {
                    "description": PROBLEM_TEXT[status],
                    "headers": {
                        "Retry-After": {
                            "description": RETRY_AFTER_TEXT[status],
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    },
                    "content": {
                        "application/problem+json": {"schema": components.ref(schemas.Problem)}
                    },
                }
                for status, name in PASSING.items()
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
