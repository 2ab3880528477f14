"""A real city's first run: `lapor serve` on a fresh database starts empty (no demo), says how
to make the first admin, and `lapor admin create` makes one who can log in."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from officer_helpers import login

from lapor import cli
from lapor.db import connect

ADMIN_PASSWORD = "kunci-balai-kota-2026"


@pytest.fixture
def lapor_main(monkeypatch, tmp_path, capsys):
    """`lapor ...` in this process on the given database; `serve` runs the app's real startup
    and shutdown (pool, city, routing, dispatcher) without binding a port."""
    monkeypatch.setenv("LAPOR_SECRET_KEY", "first-run-secret-0123456789")
    monkeypatch.setenv("LAPOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAPOR_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("LAPOR_SCHEDULER", "off")
    monkeypatch.delenv("LAPOR_OFFICER_PASSWORD", raising=False)
    served = []

    def serve_once(settings, **_):
        from lapor.web.app import create_app

        async def start_and_stop():
            runner = web.AppRunner(create_app(settings))
            await runner.setup()
            await runner.cleanup()

        asyncio.run(start_and_stop())
        served.append(settings)

    monkeypatch.setattr(cli, "_serve", serve_once)

    async def run(database_url: str, *args: str, **env: str):
        monkeypatch.setenv("DATABASE_URL", database_url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = await asyncio.to_thread(cli.main, list(args))
        out, err = capsys.readouterr()
        return code, out, err

    run.served = served
    return run


async def counts(database_url: str) -> tuple[int, int]:
    async with connect(database_url) as conn:
        return (
            await conn.fetchval("SELECT count(*) FROM complaint"),
            await conn.fetchval("SELECT count(*) FROM officer"),
        )


async def test_serve_on_a_fresh_database_starts_empty_and_says_how_to_begin(
    lapor_main, empty_database_url
):
    code, out, err = await lapor_main(empty_database_url, "serve")
    assert code == 0, err
    assert lapor_main.served, "the server was not started"
    assert await counts(empty_database_url) == (0, 0)  # no demo complaints, no demo officers
    notice = [line for line in out.splitlines() if "admin" in line]
    assert len(notice) == 1
    assert "lapor admin create --username" in notice[0]


async def test_admin_create_makes_an_admin_who_logs_in_and_serve_stops_asking(
    lapor_main, database_url, client
):
    code, out, err = await lapor_main(
        database_url,
        "admin", "create", "--username", "walikota", "--name", "Admin Balai Kota",
        LAPOR_OFFICER_PASSWORD=ADMIN_PASSWORD,
    )  # fmt: skip
    assert code == 0, err
    assert "walikota" in out and "/petugas/masuk" in out
    assert ADMIN_PASSWORD not in out + err

    response = await login(client, "walikota", ADMIN_PASSWORD)
    assert response.status in (302, 303)
    assert (await client.get("/petugas/admin")).status == 200

    code, out, _ = await lapor_main(database_url, "serve")
    assert code == 0 and "admin create" not in out
    assert await counts(database_url) == (0, 1)


async def test_admin_create_refuses_a_taken_username_but_allows_a_second_admin(
    lapor_main, database_url
):
    env = {"LAPOR_OFFICER_PASSWORD": ADMIN_PASSWORD}
    assert (await lapor_main(database_url, "admin", "create", "--username", "satu", **env))[0] == 0
    code, _, err = await lapor_main(database_url, "admin", "create", "--username", "satu", **env)
    assert code == 2 and err.strip()
    assert (await lapor_main(database_url, "admin", "create", "--username", "dua", **env))[0] == 0
    assert await counts(database_url) == (0, 2)
