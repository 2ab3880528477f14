"""`lapor officer add|password` and the demo's passwords, as an operator runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import run_cli

from lapor.auth import verify_password
from lapor.db import connect

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def lapor(*args: str, database_url: str, tmp_path: Path, stdin: str = "", **env_extra):
    env = dict(
        DATABASE_URL=database_url,
        LAPOR_DATA_DIR=str(tmp_path / "data"),
        LAPOR_SECRET_KEY="cli-test-secret-0123456789",
        LAPOR_LOG_LEVEL="WARNING",
        **env_extra,
    )
    return run_cli(*args, env=env, stdin=stdin)


async def stored(database_url: str, username: str):
    async with connect(database_url) as conn:
        return await conn.fetchrow(
            "SELECT role, agency_code, display_name, password_hash FROM officer WHERE username = $1",
            username,
        )


async def test_officer_add_reads_the_password_from_the_environment(database_url, tmp_path):
    secret = "sandi-dari-lingkungan"
    result = lapor(
        "officer", "add", "rina.dlh", "--role", "officer", "--agency", "DLH",
        "--name", "Rina Lestari",
        database_url=database_url, tmp_path=tmp_path, LAPOR_OFFICER_PASSWORD=secret,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    row = await stored(database_url, "rina.dlh")
    assert (row["role"], row["agency_code"], row["display_name"]) == (
        "officer",
        "DLH",
        "Rina Lestari",
    )
    assert verify_password(row["password_hash"], secret)


async def test_officer_password_reads_standard_input_and_refuses_a_short_one(
    database_url, tmp_path
):
    first = lapor(
        "officer", "add", "meja2", "--role", "verifier",
        database_url=database_url, tmp_path=tmp_path, stdin="sandi-awal-panjang\n",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert (await stored(database_url, "meja2"))["agency_code"] == "DISKOMINFO"
    short = lapor(
        "officer", "password", "meja2",
        database_url=database_url, tmp_path=tmp_path, stdin="pendek\n",
    )  # fmt: skip
    assert short.returncode == 2
    assert "paling sedikit 10 karakter" in short.stderr
    changed = lapor(
        "officer", "password", "meja2",
        database_url=database_url, tmp_path=tmp_path, stdin="sandi-kedua-panjang\n",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert verify_password(
        (await stored(database_url, "meja2"))["password_hash"], "sandi-kedua-panjang"
    )
    missing = lapor(
        "officer", "password", "tidak.ada",
        database_url=database_url, tmp_path=tmp_path, stdin="sandi-kedua-panjang\n",
    )  # fmt: skip
    assert missing.returncode != 0
    assert "no officer named" in missing.stderr


async def test_officer_add_names_a_wrong_agency(database_url, tmp_path):
    result = lapor(
        "officer", "add", "budi", "--role", "officer", "--agency", "NGAWUR",
        database_url=database_url, tmp_path=tmp_path, stdin="sandi-yang-panjang\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert "instansi tidak dikenal" in result.stderr


async def test_the_demo_prints_each_officer_a_password_that_works(database_url, tmp_path):
    result = lapor("demo", database_url=database_url, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith("meja "))
    username, _role, _agency, password, token = line.split()
    assert token.startswith("lpo_")
    assert "/petugas/masuk" in result.stdout
    assert verify_password((await stored(database_url, username))["password_hash"], password)
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", password)
