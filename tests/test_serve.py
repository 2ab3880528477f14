"""The `lapor` command as a user runs it: real processes, real ports, real shutdown."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from helpers import TEST_SECRET, VALID

from lapor import auth
from lapor.db import connect

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lapor_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("LAPOR_")
    }
    env.update(
        LAPOR_DATA_DIR=str(tmp_path / "data"),
        LAPOR_SECRET_KEY=TEST_SECRET,
        XDG_RUNTIME_DIR=str(tmp_path),
        **extra,
    )
    return env


def lapor(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lapor.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


async def wait_ready(base: str, process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(900):  # a minute and a half: a loaded two-core machine starts slowly
            if process.returncode is not None:
                raise AssertionError(f"server exited with {process.returncode}")
            try:
                async with session.get(base + "/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("server never became ready")


async def test_serve_finishes_a_request_in_flight_when_told_to_stop(database_url, tmp_path):
    port = free_port()
    env = lapor_env(
        tmp_path, DATABASE_URL=database_url, LAPOR_PORT=str(port), LAPOR_SHUTDOWN_TIMEOUT="20"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lapor.cli",
        "serve",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, process)
        async with aiohttp.ClientSession(base) as session, connect(database_url) as db:
            admin = await auth.create_officer(db, "admin", "Admin", "admin", None)
            token = await auth.issue_token(db, admin.id, now=datetime.now(UTC))
            headers = {"Authorization": f"Bearer {token}"}
            filed = await session.post("/api/v1/complaints", json=VALID)
            code = (await filed.json())["tracking_code"]

            # Hold the complaint's row, so the server's handler is caught mid-transaction.
            await db.execute("BEGIN")
            await db.execute("SELECT 1 FROM complaint WHERE tracking_code = $1 FOR UPDATE", code)
            action = asyncio.create_task(
                session.post(
                    f"/api/v1/complaints/{code}/actions", json={"action": "start"}, headers=headers
                )
            )
            async with connect(database_url) as watcher:
                for _ in range(200):
                    if await watcher.fetchval(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    ):
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("the action never reached the database")
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            assert process.returncode is None  # still finishing the request
            await db.execute("COMMIT")
            response = await action
            assert response.status == 200
            assert (await response.json())["status"] == "in_progress"
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.fixture
def open_dir():
    """A directory the embedded server's own system user can reach (pytest's tmp is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="lapor-test-run-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_embedded_database_starts_stops_and_keeps_its_data(open_dir):
    tmp_path = open_dir
    env = lapor_env(tmp_path)
    first = lapor("demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "lpo_" in first.stdout  # the officers' tokens, shown once
    pgdata = tmp_path / "data" / "pgdata"
    assert (pgdata / "PG_VERSION").exists()
    assert not (pgdata / "postmaster.pid").exists(), "the embedded server outlived its process"

    second = lapor("demo", env=env)
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout
    assert "lpo_" not in second.stdout

    migrate = lapor("migrate", env=env)
    assert "none pending" in migrate.stdout


async def _read_until(stream: asyncio.StreamReader, text: str, seen: list[str]) -> None:
    while True:
        line = await asyncio.wait_for(stream.readline(), 120)
        if not line:
            raise AssertionError(f"output ended before {text!r}: {seen}")
        seen.append(line.decode())
        if text in seen[-1]:
            return


async def _start_run(env: dict[str, str]):
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lapor.cli",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_lapor_run_prints_one_banner_and_stops_cleanly_on_ctrl_c(database_url, tmp_path):
    from classifier_corpus import TRAINED_AT, synthetic_examples

    from lapor import models

    async with connect(database_url) as conn:  # a model exists: `run` trains nothing
        await models.train_and_register(
            conn,
            tmp_path / "models",
            examples=synthetic_examples(),
            evaluation=synthetic_examples(per_style=1, seed=3),
            now=TRAINED_AT,
        )
    port = free_port()
    process = await _start_run(lapor_env(tmp_path, DATABASE_URL=database_url, LAPOR_PORT=str(port)))
    seen: list[str] = []
    try:
        await _read_until(process.stdout, "Stop with Ctrl-C", seen)
        await wait_ready(f"http://127.0.0.1:{port}", process)
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    stdout = "".join(seen) + (await process.stdout.read()).decode()
    stderr = (await process.stderr.read()).decode()
    assert f"lapor is running at http://127.0.0.1:{port}/" in stdout
    assert "/petugas/masuk" in stdout
    assert "lapor stopped." in stdout
    assert stdout.count("lapor is running") == 1
    # The demo city's officers, once each; no log lines, no initdb, no traceback.
    assert stdout.count("lpo_") == len(set(line.split()[0] for line in seen if "lpo_" in line))
    assert stderr == "", stderr
    assert len(stdout.splitlines()) < 45, stdout


async def test_ctrl_c_during_the_first_training_stops_at_once_and_keeps_no_model(
    database_url, tmp_path
):
    process = await _start_run(
        lapor_env(tmp_path, DATABASE_URL=database_url, LAPOR_PORT=str(free_port()))
    )
    seen: list[str] = []
    try:
        await _read_until(process.stdout, "training one", seen)
        await asyncio.sleep(1.5)  # well inside the minutes training takes
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    stderr = (await process.stderr.read()).decode()
    assert "Traceback" not in stderr, stderr
    assert "lapor stopped." in stderr
    async with connect(database_url) as conn:
        assert await conn.fetchval("SELECT count(*) FROM model_version") == 0
    models_dir = tmp_path / "data" / "models"
    assert not models_dir.exists() or not any(models_dir.iterdir())
