"""Rate limits: counted in PostgreSQL per address (or chat), shared by instances, refused with
429 problem+json and Retry-After before anything is written."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import timedelta

import pytest
from helpers import VALID, row_counts

from lapor import ratelimit
from lapor.city import DEFAULT_CONFIG_DIR, CityConfigError, load_city
from lapor.ratelimit import Limit
from lapor.web.keys import SERVICES

PROXY = (ipaddress.ip_network("127.0.0.1/32"),)


def from_address(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture
def city():
    return load_city("default")  # the file's limits, not conftest's out-of-the-way ones


@pytest.fixture
def settings(settings):
    # The test client connects from 127.0.0.1; as a trusted proxy, it lets a test speak for
    # any client address through X-Forwarded-For.
    return replace(settings, trusted_proxies=PROXY)


async def file(client, address: str = "203.0.113.7"):
    return await client.post("/api/v1/complaints", json=VALID, headers=from_address(address))


async def test_the_eleventh_filing_in_an_hour_is_refused_and_writes_nothing(client, services):
    for _ in range(10):
        assert (await file(client)).status == 201
    before = await row_counts(services)

    response = await file(client)

    assert response.status == 429
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == 429 and body["type"] == "/problems/too-many-requests"
    # The clock is Monday 09:00 sharp (02:00 UTC): the hour's window has all of it left.
    assert response.headers["Retry-After"] == "3600" == str(body["retry_after"])
    assert "60 menit" in body["detail"]
    assert await row_counts(services) == before


@pytest.mark.parametrize("keyed", [False, True])  # counted in the filing statement / before it
async def test_refused_filings_are_counted_too(client, services, keyed):
    for n in range(12):
        headers = from_address("203.0.113.7")
        if keyed:
            headers["Idempotency-Key"] = f"key-{n}"
        response = await client.post("/api/v1/complaints", json=VALID, headers=headers)
        assert response.status == (201 if n < 10 else 429)
    async with services.pool.acquire() as conn:
        hits = await conn.fetchval(
            "SELECT hits FROM rate_limit WHERE key = 'filing_per_address:address:203.0.113.7'"
        )
        assert hits == 12
        assert await conn.fetchval("SELECT count(*) FROM complaint") == 10


async def test_another_address_still_files(client):
    for _ in range(11):
        await file(client, "203.0.113.7")
    assert (await file(client, "198.51.100.20")).status == 201


async def test_the_next_window_files_again(client, clock):
    for _ in range(11):
        await file(client)
    clock.advance(timedelta(hours=1))
    assert (await file(client)).status == 201


async def test_an_invalid_complaint_is_not_counted(client):
    for _ in range(12):
        response = await client.post(
            "/api/v1/complaints", json={"text": ""}, headers=from_address("203.0.113.7")
        )
        assert response.status == 422
    assert (await file(client)).status == 201


async def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    settings, clock, aiohttp_client
):
    from lapor.web.app import create_app

    client = await aiohttp_client(create_app(replace(settings, trusted_proxies=()), clock=clock))
    for number in range(10):
        assert (await file(client, f"198.51.100.{number}")).status == 201
    # Every request came from 127.0.0.1, whatever the header claimed.
    assert (await file(client, "198.51.100.99")).status == 429


async def test_two_instances_share_the_count(settings, clock, aiohttp_client):
    from lapor.web.app import create_app

    first = await aiohttp_client(create_app(settings, clock=clock))
    second = await aiohttp_client(create_app(settings, clock=clock))
    for number in range(10):
        assert (await file(first if number % 2 else second)).status == 201
    assert (await file(first)).status == 429
    assert (await file(second)).status == 429


async def test_the_report_form_is_limited_with_an_error_page(client, services):
    for _ in range(10):
        await file(client)
    page = await client.get("/", headers=from_address("203.0.113.7"))
    assert page.status == 200
    before = await row_counts(services)
    form = await _report_form(client, page)
    response = await client.post(
        "/", data=form, headers=from_address("203.0.113.7"), allow_redirects=False
    )
    assert response.status == 429
    assert response.content_type == "text/html"
    assert response.headers["Retry-After"] == "3600"
    assert "Coba lagi 60 menit lagi" in await response.text()
    assert await row_counts(services) == before


async def _report_form(client, page) -> dict[str, str]:
    import re

    html = await page.text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return {
        "csrf_token": token,
        "text": VALID["text"],
        "category": "jalan",
        "rahasia": "false",
        "anonim": "false",
    }


async def test_code_lookups_are_limited_per_address(client):
    code = (await (await file(client, "192.0.2.1")).json())["tracking_code"]
    for _ in range(60):
        response = await client.get(
            f"/api/v1/complaints/{code}", headers=from_address("203.0.113.7")
        )
        assert response.status == 200
    refused = await client.get(f"/api/v1/complaints/{code}", headers=from_address("203.0.113.7"))
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "60"
    page = await client.get(f"/lacak/{code}", headers=from_address("203.0.113.7"))
    assert page.status == 429 and page.headers["Retry-After"] == "60"
    other = await client.get(f"/lacak/{code}", headers=from_address("198.51.100.20"))
    assert other.status == 200


async def test_officers_looking_up_codes_are_not_limited(client, accounts):
    code = (await (await file(client)).json())["tracking_code"]
    for _ in range(61):
        response = await client.get(f"/api/v1/complaints/{code}", headers=accounts["desk"].headers)
        assert response.status == 200


async def test_old_windows_are_pruned(client, services, clock):
    limit = Limit(5, timedelta(minutes=1))
    await ratelimit.hit(services, "test:address:a", limit)
    clock.advance(timedelta(minutes=1))
    await ratelimit.hit(services, "test:address:a", limit)
    assert await ratelimit.prune(services) == 1
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM rate_limit") == 1


def _city_with(tmp_path, old: str, new: str):
    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "kota.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_city(path)


def test_the_defaults_and_a_city_of_its_own(tmp_path):
    assert load_city("default").limits.filing_per_address == Limit(10, timedelta(hours=1))
    city = _city_with(
        tmp_path,
        "lookups_per_address = { hits = 60, minutes = 1 }",
        "lookups_per_address = { hits = 5, minutes = 2 }",
    )
    assert city.limits.lookups_per_address == Limit(5, timedelta(minutes=2))


def test_a_wrong_limit_is_named(tmp_path):
    with pytest.raises(CityConfigError, match=r"\[limits\] filing_per_chat hits"):
        _city_with(
            tmp_path,
            "filing_per_chat = { hits = 10, minutes = 60 }",
            "filing_per_chat = { hits = 0, minutes = 60 }",
        )


async def test_the_app_uses_the_city_limits(client):
    assert client.app[SERVICES].city.limits.filing_per_chat.hits == 10


def test_trusted_proxies_come_from_the_environment():
    from lapor.settings import SettingsError, trusted_proxies

    assert trusted_proxies({}) == ()
    assert trusted_proxies({"LAPOR_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}) == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    with pytest.raises(SettingsError, match="LAPOR_TRUSTED_PROXIES"):
        trusted_proxies({"LAPOR_TRUSTED_PROXIES": "proxy.local"})


async def test_only_the_hops_added_by_trusted_proxies_are_believed(client, clock):
    # A client that writes its own X-Forwarded-For is counted as the address the proxy saw.
    for number in range(10):
        headers = {"X-Forwarded-For": f"192.0.2.{number}, 203.0.113.7"}
        response = await client.post("/api/v1/complaints", json=VALID, headers=headers)
        assert response.status == 201
    assert (await file(client, "203.0.113.7")).status == 429


# ----------------------------------------------------------------------------------- login


async def test_ten_failed_logins_from_one_address_stop_that_address_only(
    client, services, accounts
):
    from officer_helpers import give_passwords, login

    await give_passwords(services, accounts)
    attacker = from_address("203.0.113.66")
    for number in range(10):  # spread over usernames: the limit is the address's
        assert (await login(client, f"tebakan{number}", "salah", headers=attacker)).status == 401
    refused = await login(client, "admin", headers=attacker)  # even the right password
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "900"
    assert "dari alamat Anda" in await refused.text()
    # Nobody was locked out by it: the admin logs in from elsewhere.
    assert (await login(client, "admin", headers=from_address("198.51.100.20"))).status == 303
