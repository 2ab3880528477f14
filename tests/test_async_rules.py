"""Rules for the long-running tasks (outbox, listener, scheduler, bots) that a review misses."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_asyncio_wait_for_in_the_service():
    # On Python 3.11, asyncio.wait_for loses a cancellation that arrives as the awaited thing
    # completes (CPython gh-86296): a loop that waits with it can outlive stop() and hang a
    # shutdown. `async with asyncio.timeout(...)` keeps the cancellation.
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("lapor", "bots")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bwait_for\(", line) and not line.lstrip().startswith("#")
    ]
    assert found == []
