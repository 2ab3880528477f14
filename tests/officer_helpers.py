"""Logging officers in to the pages, and posting their forms with the CSRF token."""

from __future__ import annotations

import re

from lapor.auth import hash_password

PASSWORD = "sandi-uji-yang-panjang"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_hash_cache: list[str] = []


async def give_passwords(services, accounts) -> None:
    """Every test account gets PASSWORD (hashed once per session: argon2 is slow on purpose)."""
    if not _hash_cache:
        _hash_cache.append(hash_password(PASSWORD))
    async with services.pool.acquire() as conn:
        await conn.execute(
            "UPDATE officer SET password_hash = $1 WHERE id = ANY($2::bigint[])",
            _hash_cache[0],
            [account.officer.id for account in accounts.values()],
        )


def csrf_in(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def csrf_token(client, path: str = "/petugas/masuk") -> str:
    response = await client.get(path)
    return csrf_in(await response.text())


async def login(client, username: str, password: str = PASSWORD, *, headers=None, **extra):
    token = await csrf_token(client)
    return await client.post(
        "/petugas/masuk",
        data={"username": username, "password": password, "csrf_token": token, **extra},
        allow_redirects=False,
        headers=headers,
    )


async def post_form(client, path: str, fields: dict, **options):
    token = await csrf_token(client, "/petugas/antrian")
    return await client.post(
        path, data={**fields, "csrf_token": token}, allow_redirects=False, **options
    )
