"""Debian's PgBouncer in transaction mode in front of the test PostgreSQL, on a free loopback
port, for as long as a test needs it (tests/test_pooler.py)."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(server_url: str, port: int, directory: Path) -> Path:
    parts = urlsplit(server_url)
    host = parse_qs(parts.query).get("host", [parts.hostname or "127.0.0.1"])[0]
    user = parts.username or "postgres"
    server = f"host={host} port={parts.port or 5432} user={user}"
    if parts.password:
        server += f" password={parts.password}"
    (directory / "users.txt").write_text(f'"{user}" ""\n')
    path = directory / "pgbouncer.ini"
    # A small server pool, so that concurrent transactions really share server connections.
    path.write_text(
        f"""[databases]
* = {server}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "users.txt"}
pool_mode = transaction
default_pool_size = 3
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
"""
    )
    for item in (directory, *directory.iterdir()):
        item.chmod(0o755 if item.is_dir() else 0o644)
    return path


def _run_as(server_url: str) -> str:
    """PgBouncer refuses to run as root. It drops to the postgres system user, or, when the
    server listens only on a socket in its own data directory (the embedded server, mode 0700),
    to the user who owns that directory, the only one who can reach the socket."""
    host = parse_qs(urlsplit(server_url).query).get("host", [""])[0]
    if host.startswith("/"):
        return pwd.getpwuid(os.stat(host).st_uid).pw_name
    return "postgres"


@pytest.fixture
def pgbouncer(pg_server) -> Iterator[Callable[[str], str]]:
    """`through(url)`: the same database's DSN, but through PgBouncer (its query parameters,
    which PgBouncer would refuse as startup parameters, dropped)."""
    if not os.path.exists(PGBOUNCER):
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer; make test does)")
    directory = Path(tempfile.mkdtemp(prefix="lapor-pgbouncer-"))
    port = _free_port()
    config = _config(pg_server, port, directory)
    user = ["-u", _run_as(pg_server)] if os.geteuid() == 0 else []
    log = (directory / "log").open("w")
    process = subprocess.Popen([PGBOUNCER, *user, str(config)], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise AssertionError("pgbouncer exited: " + (directory / "log").read_text())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("pgbouncer never listened") from None
                time.sleep(0.02)

        def through(url: str) -> str:
            parts = urlsplit(url)
            user = parts.username or "postgres"
            return f"postgresql://{user}@127.0.0.1:{port}{parts.path}"

        yield through
    finally:
        process.send_signal(signal.SIGINT)  # safe shutdown: closes its server connections
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(directory, ignore_errors=True)
