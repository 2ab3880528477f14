"""Every response carries the security headers; personal answers are never stored."""

from __future__ import annotations

import dataclasses

import pytest
from lifecycle_helpers import file

from lapor.web.headers import content_security_policy, tile_source

EVERY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def check_headers(response) -> None:
    for name in EVERY:
        assert name in response.headers, (response.url, name)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Server"] == "lapor"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/laporan", 200),
        ("GET", "/healthz", 200),
        ("GET", "/api/v1/categories", 200),
        ("GET", "/api/v1/queue", 401),  # a problem+json
        ("GET", "/tidak-ada", 404),  # no route at all
        ("GET", "/lacak/ZZZZZ", 400),  # an error page
        ("GET", "/petugas", 303),  # a redirect
        ("POST", "/petugas/masuk", 403),  # refused by the CSRF check, before any handler
        ("GET", "/static/lapor.css", 200),
    ],
)
async def test_every_response_carries_the_security_headers(client, method, path, status):
    response = await client.request(method, path, allow_redirects=False)
    assert response.status == status
    check_headers(response)


async def test_hsts_only_when_the_public_address_is_https(client, settings, clock, aiohttp_client):
    from lapor.web.app import create_app

    assert "Strict-Transport-Security" not in (await client.get("/healthz")).headers
    https = dataclasses.replace(settings, public_url="https://lapor.kota.go.id")
    secure = await aiohttp_client(create_app(https, clock=clock))
    response = await secure.get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_policy_lets_images_come_from_the_configured_tile_server(settings):
    assert "img-src 'self' data:;" in content_security_policy(settings)  # no tiles in tests
    osm = dataclasses.replace(settings, map_tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in content_security_policy(osm)


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("", None),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://peta.local:8081/tiles/{z}/{x}/{y}.png", "http://peta.local:8081"),
        ("https://a.{s}.example.org/{z}/{x}/{y}.png", "https:"),
    ],
)
def test_the_tile_source_is_the_templates_origin(template, source):
    assert tile_source(template) == source


async def test_officer_and_reporter_answers_are_never_stored(client, accounts):
    filed = await file(client, rahasia=True)
    code, token = filed["tracking_code"], filed["access_token"]
    officer = accounts["dpupr"].headers
    personal = [
        await client.get(f"/api/v1/complaints/{code}/full", headers=officer),
        await client.get(f"/api/v1/complaints/{code}", headers=officer),
        await client.get("/api/v1/queue", headers=officer),
        await client.get(
            f"/api/v1/complaints/{code}", headers={"Authorization": f"Bearer {token}"}
        ),
        await client.get("/petugas/masuk"),
        await client.get("/petugas/antrian", allow_redirects=False),
        await client.post(
            f"/api/v1/complaints/{code}/actions", json={"action": "start"}, headers=officer
        ),
    ]
    for response in personal:
        assert response.status in (200, 303), (response.url, response.status)
        assert "no-store" in response.headers["Cache-Control"], response.url


async def test_public_answers_may_be_cached_as_before(client):
    code = (await file(client))["tracking_code"]
    response = await client.get(f"/api/v1/complaints/{code}")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    points = await client.get("/laporan/peta.json")
    assert points.headers["Cache-Control"] == "public, max-age=60"
