"""One SLA sweep in a process of its own, for the tests that run several at once.

    python tests/sweep_worker.py DSN ISO_MOMENT BATCH  ->  prints {"steps": n, "messages": n}

It waits for "go" on standard input first, so that the test can start every process (and
pay for their imports) before any of them touches the database.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path

from lapor.city import load_city
from lapor.clock import FixedClock
from lapor.context import Services
from lapor.db import create_pool
from lapor.escalation import sweep
from lapor.photo_store import FilePhotoStore
from lapor.routing import CategoryRouter


async def main(dsn: str, moment: str, batch: int) -> None:
    city = load_city("default")
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        services = Services(
            pool,
            city,
            FixedClock(datetime.fromisoformat(moment)),
            FilePhotoStore(Path("/nonexistent")),
            CategoryRouter(city),
            "test-secret-key-not-for-production",
            "http://lapor.test",
        )
        sys.stdin.readline()  # "go"
        report = await sweep(services, batch=batch)
    finally:
        await pool.close()
    print(json.dumps({"steps": report.steps, "messages": report.messages}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
