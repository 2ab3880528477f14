"""Officers' page sessions: login, the cookie, lock-out, expiry, deactivation and logout."""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from officer_helpers import PASSWORD, csrf_in, csrf_token, give_passwords, login

from lapor import officers

QUEUE = "/petugas/antrian"


@pytest.fixture
async def with_passwords(services, accounts):
    await give_passwords(services, accounts)
    return accounts


def session_cookie(client) -> str | None:
    for cookie in client.session.cookie_jar:
        if cookie.key == "lapor_session":
            return cookie.value
    return None


def login_target(response) -> str:
    """Where a redirect to the login page promises to come back to."""
    location = urlsplit(response.headers["Location"])
    assert location.path == "/petugas/masuk"
    return parse_qs(location.query)["lanjut"][0]


async def logged_in(client) -> bool:
    response = await client.get(QUEUE, allow_redirects=False)
    assert response.status in (200, 303)
    return response.status == 200


async def test_a_login_opens_a_session_whose_token_is_stored_only_hashed(
    client, services, with_passwords
):
    response = await login(client, "dpupr")
    assert response.status == 303
    assert response.headers["Location"] == QUEUE
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lapor_session=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/petugas"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http here; see the https test below
    token = session_cookie(client)
    async with services.pool.acquire() as conn:
        rows = await conn.fetch("SELECT token_sha256, officer_id, expires_at FROM officer_session")
    assert [r["token_sha256"] for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert rows[0]["officer_id"] == with_passwords["dpupr"].officer.id
    assert rows[0]["expires_at"] == services.clock.now() + timedelta(hours=24)
    assert await logged_in(client)


async def test_the_session_cookie_is_secure_behind_https(
    services, accounts, settings, clock, aiohttp_client
):
    from lapor.web.app import create_app

    secure = dataclasses.replace(settings, public_url="https://lapor.example.go.id")
    client = await aiohttp_client(create_app(secure, clock=clock))
    await give_passwords(services, accounts)
    form = await client.get("/petugas/masuk")
    assert "Secure" in form.headers["Set-Cookie"]  # the CSRF cookie too
    # The test talks plain http, so the client would not send a Secure cookie back by itself.
    nonce = form.cookies["lapor_csrf"].value
    response = await client.post(
        "/petugas/masuk",
        data={"username": "dpupr", "password": PASSWORD, "csrf_token": csrf_in(await form.text())},
        cookies={"lapor_csrf": nonce},
        allow_redirects=False,
    )
    assert response.status == 303
    assert "Secure" in response.headers["Set-Cookie"]


async def test_a_wrong_password_and_an_unknown_username_are_refused_alike(client, with_passwords):
    wrong = await login(client, "dpupr", "bukan-sandinya-sama-sekali")
    unknown = await login(client, "tidak.ada", "bukan-sandinya-sama-sekali")
    assert wrong.status == unknown.status == 401
    assert "Nama pengguna atau kata sandi salah." in await wrong.text()
    assert "Nama pengguna atau kata sandi salah." in await unknown.text()
    assert session_cookie(client) is None


@pytest.fixture
def settings(settings):
    # 127.0.0.1, the test client, is a trusted proxy: X-Forwarded-For names the client.
    return dataclasses.replace(settings, trusted_proxies=(ipaddress.ip_network("127.0.0.1/32"),))


def from_address(number: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"198.51.100.{number}"}


@pytest.mark.parametrize("username", ["dpupr", "tidak.ada"])
async def test_five_failures_from_three_addresses_lock_a_username_for_fifteen_minutes(
    client, clock, with_passwords, username
):
    for number in (1, 2, 3, 1, 2):
        wrong = await login(client, username, "salah-salah-salah", headers=from_address(number))
        assert wrong.status == 401
    # Even the right password is refused now, with a message that names the wait.
    locked = await login(client, username, headers=from_address(9))
    text = await locked.text()
    assert locked.status == 429
    assert locked.headers["Retry-After"] == "900"
    assert "15 menit" in text
    clock.advance(timedelta(minutes=14))
    assert (await login(client, username, headers=from_address(9))).status == 429
    clock.advance(timedelta(minutes=1, seconds=1))
    expected = 303 if username == "dpupr" else 401
    assert (await login(client, username, headers=from_address(9))).status == expected
    # Another username was never affected.
    assert (await login(client, "dlh", headers=from_address(9))).status == 303


async def test_failures_from_one_address_never_lock_the_username(client, with_passwords):
    for _ in range(8):
        assert (await login(client, "admin", "salah-salah-salah")).status == 401
    assert (await login(client, "admin")).status == 303


async def test_a_lock_does_not_hold_back_an_address_the_officer_logged_in_from(
    client, clock, with_passwords
):
    assert (await login(client, "admin", headers=from_address(50))).status == 303
    clock.advance(timedelta(days=29))
    for number in (1, 2, 3, 4, 5):
        await login(client, "admin", "salah-salah-salah", headers=from_address(number))
    assert (await login(client, "admin", headers=from_address(6))).status == 429
    assert (await login(client, "admin", headers=from_address(50))).status == 303


async def test_failures_further_apart_than_fifteen_minutes_do_not_lock(
    client, clock, with_passwords
):
    for _ in range(4):
        assert (await login(client, "dpupr", "salah-salah-salah")).status == 401
    clock.advance(timedelta(minutes=16))
    for _ in range(4):
        assert (await login(client, "dpupr", "salah-salah-salah")).status == 401
    assert (await login(client, "dpupr")).status == 303


async def test_a_successful_login_starts_the_count_again(client, with_passwords):
    for _ in range(4):
        await login(client, "dpupr", "salah-salah-salah")
    assert (await login(client, "dpupr")).status == 303
    for _ in range(4):
        await login(client, "dpupr", "salah-salah-salah")
    assert (await login(client, "dpupr")).status == 303


async def test_a_session_ends_after_eight_idle_hours(client, clock, with_passwords):
    await login(client, "dpupr")
    clock.advance(timedelta(hours=7, minutes=59))
    assert await logged_in(client)  # each request keeps it alive
    clock.advance(timedelta(hours=7, minutes=59))
    assert await logged_in(client)
    clock.advance(timedelta(hours=8, minutes=1))
    response = await client.get("/petugas/antrian?status=assigned", allow_redirects=False)
    assert response.status == 303
    assert login_target(response) == "/petugas/antrian?status=assigned"


async def test_a_session_ends_24_hours_after_login_however_busy(client, clock, with_passwords):
    await login(client, "dpupr")
    for _ in range(3):
        clock.advance(timedelta(hours=7, minutes=55))
        assert await logged_in(client)
    clock.advance(timedelta(minutes=16))  # 24 h 1 min after login
    assert not await logged_in(client)


async def test_a_deactivated_officer_is_logged_out_and_cannot_log_in(
    client, services, with_passwords
):
    await login(client, "dpupr")
    assert await logged_in(client)
    async with services.pool.acquire() as conn:  # even without ending the sessions
        await conn.execute("UPDATE officer SET active = false WHERE username = 'dpupr'")
    assert not await logged_in(client)
    response = await login(client, "dpupr")
    assert response.status == 401
    assert "Nama pengguna atau kata sandi salah." in await response.text()


async def test_deactivating_through_the_service_ends_the_sessions(client, services, with_passwords):
    await login(client, "dpupr")
    admin = with_passwords["admin"].officer
    await officers.set_active(services, admin, with_passwords["dpupr"].officer.id, False)
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM officer_session") == 0
    await officers.set_active(services, admin, with_passwords["dpupr"].officer.id, True)
    assert not await logged_in(client)  # reactivated, but the old session stays gone
    assert (await login(client, "dpupr")).status == 303


async def test_logout_needs_the_csrf_token_and_ends_the_session(client, services, with_passwords):
    await login(client, "dpupr")
    refused = await client.post("/petugas/keluar", data={}, allow_redirects=False)
    assert refused.status == 403
    assert await logged_in(client)
    token = await csrf_token(client, QUEUE)
    response = await client.post(
        "/petugas/keluar", data={"csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == "/petugas/masuk?keluar=1"
    assert not await logged_in(client)
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM officer_session") == 0


async def test_an_old_cookie_does_not_come_back_after_logout(client, with_passwords):
    await login(client, "dpupr")
    old = session_cookie(client)
    token = await csrf_token(client, QUEUE)
    await client.post("/petugas/keluar", data={"csrf_token": token}, allow_redirects=False)
    response = await client.get(QUEUE, cookies={"lapor_session": old}, allow_redirects=False)
    assert response.status == 303


@pytest.mark.parametrize(
    ("lanjut", "target"),
    [
        ("/petugas/laporan/ABCDEFGHJK", "/petugas/laporan/ABCDEFGHJK"),
        ("/petugas/antrian?status=assigned", "/petugas/antrian?status=assigned"),
        ("https://penipu.example/petugas", QUEUE),
        ("//penipu.example/petugas", QUEUE),
        ("/\\penipu.example", QUEUE),
        ("/admin", QUEUE),
        ("javascript:alert(1)", QUEUE),
    ],
)
async def test_after_login_only_local_officer_pages_are_followed(
    client, with_passwords, lanjut, target
):
    response = await login(client, "dpupr", lanjut=lanjut)
    assert response.status == 303
    assert response.headers["Location"] == target


async def test_a_page_without_a_session_sends_to_login_and_back(client, with_passwords):
    page = "/petugas/laporan/ABCDEFGHJK"
    response = await client.get(page, allow_redirects=False)
    assert response.status == 303
    assert login_target(response) == page
    form = await client.get(response.headers["Location"])
    assert f'name="lanjut" value="{page}"' in await form.text()
    assert PASSWORD not in await form.text()
