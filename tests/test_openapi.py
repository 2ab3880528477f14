"""The OpenAPI document is generated from the routes and lapor/schemas.py: every route the app
serves (webhooks included) is in it, with the patterns and the problems that really occur."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from lapor.web.app import create_app
from lapor.web.openapi import openapi_document, route_path

# The HTML pages for people (and their static files) are not part of the API document.
PAGE_MODULES = (
    "lapor.web.pages",
    "lapor.web.officer_pages",
    "lapor.web.lost_codes",
    "lapor.web.support_pages",
)


def route_set(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource.canonical == "/static":
            continue
        module = getattr(route.handler, "__module__", "")
        if module in PAGE_MODULES or module.startswith(tuple(f"{m}." for m in PAGE_MODULES)):
            continue
        found.add((route.method.lower(), route_path(route)))
    return found


def described(document) -> set[tuple[str, str]]:
    return {(method, path) for path, item in document["paths"].items() for method in item}


@pytest.fixture
def every_channel(settings):
    return replace(
        settings,
        telegram_bot_token="42:TEST",
        telegram_webhook_secret="rahasia_webhook",
        whatsapp_token="wa-token",
        whatsapp_app_secret="wa-secret",
        whatsapp_verify_token="wa-verify",
        whatsapp_phone_number_id="1099",
        sms_account_sid="AC" + "1" * 32,
        sms_auth_token="sms-token",
        sms_from="+6281100001708",
    )


async def test_the_served_document_describes_exactly_the_routes(client):
    response = await client.get("/api/openapi.json")
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    assert described(document) == route_set(client.app)


def test_the_webhooks_are_described_when_they_are_served(every_channel, clock, city):
    app = create_app(every_channel, clock=clock, city=city)
    document = openapi_document(app)
    assert described(document) == route_set(app)
    assert {("post", "/webhooks/telegram"), ("get", "/webhooks/whatsapp")} <= described(document)
    assert ("post", "/webhooks/whatsapp") in described(document)
    assert ("post", "/webhooks/sms") in described(document)


def parameter(document, path: str, method: str, name: str) -> dict:
    (found,) = [p for p in document["paths"][path][method]["parameters"] if p["name"] == name]
    return found


async def test_codes_categories_and_months_carry_their_patterns(client):
    document = await (await client.get("/api/openapi.json")).json()
    code = parameter(document, "/api/v1/complaints/{code}", "get", "code")["schema"]["pattern"]
    assert re.fullmatch(code, "abcde-fgh12") and re.fullmatch(code, "ABCDEFGH12")
    assert not re.fullmatch(code, "ABCDE") and not re.fullmatch(code, "ABCDE/FGH12")
    month = parameter(document, "/api/v1/reports/{month}/{file}", "get", "month")["schema"]
    assert re.fullmatch(month["pattern"], "2026-10") and not re.fullmatch(month["pattern"], "10")
    category = parameter(document, "/api/v1/queue", "get", "category")["schema"]["pattern"]
    intake = document["components"]["schemas"]["NewComplaint"]["properties"]["category"]
    assert category in [choice.get("pattern") for choice in intake["anyOf"]]
    assert re.fullmatch(category, "penerangan_jalan") and not re.fullmatch(category, "a b")


async def test_the_problems_that_really_occur_are_documented(client):
    document = await (await client.get("/api/openapi.json")).json()
    paths = document["paths"]
    filing = paths["/api/v1/complaints"]["post"]["responses"]
    assert {"201", "400", "413", "415", "422", "429", "503"} <= set(filing)
    assert filing["503"] == {"$ref": "#/components/responses/Unavailable"}
    for passing in ("TooManyRequests", "Unavailable"):
        assert "Retry-After" in document["components"]["responses"][passing]["headers"]
    assert "429" in paths["/api/v1/complaints/{code}"]["get"]["responses"]
    assert "409" in paths["/api/v1/complaints/{code}/actions"]["post"]["responses"]
    problem = filing["422"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}


async def test_who_may_call_is_as_the_handlers_check(client):
    document = await (await client.get("/api/openapi.json")).json()
    paths = document["paths"]
    # The photo of a published complaint is anyone's: a token is optional, not required.
    photo = paths["/api/v1/complaints/{code}/photos/{position}"]["get"]
    assert {} in photo["security"]
    assert paths["/api/v1/queue"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/v1/complaints"]["post"]


async def test_the_photo_route_answers_anonymously_as_documented(client):
    """The document says a token is optional for photos; without one the answer is a 404
    problem for a code nobody filed, not a 401."""
    response = await client.get("/api/v1/complaints/ABCDE-FGH12/photos/1")
    assert response.status in (400, 404)
    assert response.content_type == "application/problem+json"


async def test_health_and_readiness(client):
    assert (await (await client.get("/healthz")).json()) == {"status": "ok"}
    assert (await client.get("/readyz")).status == 200


async def test_the_sla_says_whether_it_is_overdue_and_in_words(client):
    document = await (await client.get("/api/openapi.json")).json()
    sla = document["components"]["schemas"]["Sla"]
    assert {"overdue", "time_left"} <= set(sla["required"])
    assert sla["properties"]["overdue"]["type"] == "boolean"


async def test_the_city_edits_and_the_desk_are_the_admins_and_the_desks(client):
    document = await (await client.get("/api/openapi.json")).json()
    paths = document["paths"]
    for path in ("/api/v1/agencies/{code}", "/api/v1/categories/{code}", "/api/v1/sla"):
        edit = paths[path]["patch"]
        assert edit["security"] == [{"bearer": []}]
        assert {"403", "422"} <= set(edit["responses"])
    assert paths["/api/v1/desk"]["get"]["security"] == [{"bearer": []}]
    desk_item = document["components"]["schemas"]["DeskItem"]
    assert "refused_agencies" in desk_item["properties"]
