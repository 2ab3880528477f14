"""While the database cannot be reached, every request that needs it answers 503 with
Retry-After as problem+json (an HTML page on the pages), the outage is logged once, and
after it the same requests succeed, with nothing half-written."""

from __future__ import annotations

import asyncio
import logging
import socket
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from db_outage import unreachable
from helpers import VALID, row_counts

from lapor import db, i18n

PROBLEM = "application/problem+json"


async def test_an_outage_answers_503_with_retry_after_and_is_logged_once(
    client, services, accounts, database_url, pg_server, caplog
):
    caplog.set_level(logging.INFO)
    officer = accounts["dpupr"].headers
    filing = {"Idempotency-Key": "outage-attempt-1"}
    # Given a service that answers
    assert (await client.get("/api/v1/queue", headers=officer)).status == 200
    assert (await client.get("/readyz")).status == 200
    # When the database goes away, and citizens and officers keep asking
    async with unreachable(database_url, pg_server):
        answers = []
        for _ in range(5):
            answers.append(await client.post("/api/v1/complaints", json=VALID, headers=filing))
            answers.append(await client.get("/api/v1/queue", headers=officer))
            answers.append(await client.get("/api/v1/complaints/ABCDE-FGH12"))
        ready = await client.get("/readyz")
        page = await client.get("/lacak/ABCDE-FGH12")
        alive = await client.get("/healthz")
        # Then each answers 503, says when to come back, and shows no traceback
        for answer in [*answers, ready]:
            assert answer.status == 503
            assert answer.content_type == PROBLEM
            assert answer.headers["Retry-After"] == "5"
            body = await answer.json()
            assert body["status"] == 503
            assert body["title"] == i18n.t("problem.database_down_title")
            assert body["detail"] == i18n.t("problem.database_down")
            assert "Traceback" not in await answer.text()
        assert page.status == 503 and page.content_type == "text/html"
        assert page.headers["Retry-After"] == "5"
        assert i18n.t("problem.database_down") in await page.text()
        assert alive.status == 200  # the process itself is fine
    # And once it is back the same requests succeed; the refused filing left nothing behind
    filed = await client.post("/api/v1/complaints", json=VALID, headers=filing)
    assert filed.status == 201 and "Idempotent-Replayed" not in filed.headers
    assert (await row_counts(services))["complaint"] == 1
    assert (await client.get("/api/v1/queue", headers=officer)).status == 200
    assert (await client.get("/readyz")).status == 200
    said = [(r.levelno, r.getMessage()) for r in caplog.records if r.name != "aiohttp.access"]
    (outage,) = [(level, line) for level, line in said if "database unreachable" in line]
    assert outage[0] == logging.WARNING and "answering 503 until it is back" in outage[1]
    assert sum("database reachable again" in line for _, line in said) == 1
    assert not [line for level, line in said if level >= logging.ERROR]
    # Nothing else about it from the web or the pool (the outbox has its own single line)
    web = ("lapor.db", "lapor.web", "asyncpg", "aiohttp")
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(web)]
    assert [r.getMessage() for r in warned] == [outage[1]]


async def caught(action) -> BaseException:
    try:
        await action()
    except Exception as error:
        return error
    raise AssertionError("it did not fail")


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_only_failing_to_reach_the_database_counts_as_an_outage(
    services, database_url, pg_server, tmp_path
):
    async with services.pool.acquire() as conn:
        mistake = await caught(lambda: conn.execute("SELECT * FROM no_such_table"))
    disk = await caught(
        lambda: asyncio.to_thread(tmp_path.joinpath("missing", "x").write_bytes, b"")
    )
    no_database = await caught(
        lambda: asyncpg.connect(urlunsplit(urlsplit(pg_server)._replace(path="/no_database")))
    )
    refused = await caught(lambda: asyncpg.connect(f"postgresql://127.0.0.1:{a_closed_port()}/x"))
    async with services.pool.acquire() as conn, unreachable(database_url, pg_server):
        not_accepting = await caught(lambda: asyncpg.connect(database_url))
        lost = await caught(lambda: conn.fetchval("SELECT 1"))  # terminated under its holder
    assert [db.unreachable(e) for e in (mistake, disk, no_database)] == [False] * 3
    assert [db.unreachable(e) for e in (refused, not_accepting, lost)] == [True] * 3
