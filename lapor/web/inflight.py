"""Requests in flight, so that a graceful stop can wait for them: once the server stops
accepting, a request whose body is still arriving (a slow upload) is read to its end and
answered before the process exits, and the process exits as soon as the last one is done."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

log = logging.getLogger(__name__)


class InFlight:
    """The handlers running now, and whether the server is stopping."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self.stopping = False

    def __len__(self) -> int:
        return len(self._tasks)

    def started(self, task: asyncio.Task) -> None:
        self._tasks.add(task)
        self._idle.clear()

    def finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()

    async def drain(self, within: float, *, settle: float = 0.2) -> int:
        """Wait up to `within` seconds for the requests in flight; cancel those still running
        then. How many were cut short.

        Idle must last `settle` seconds: a request whose bytes arrived with the signal (or on a
        kept-alive connection just after it) starts a moment later, and is waited for too."""
        self.stopping = True
        try:
            async with asyncio.timeout(within):
                while True:
                    await self._idle.wait()
                    await asyncio.sleep(settle)
                    if self._idle.is_set():
                        return 0
        except TimeoutError:
            late = list(self._tasks)
            log.warning("stopping: %d requests still running after %g s, cut", len(late), within)
            for task in late:
                task.cancel()
            return len(late)


IN_FLIGHT = web.AppKey("in_flight", InFlight)


@web.middleware
async def in_flight_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Outermost: counts each request from its headers to its handler's answer. While the
    server stops, each answer closes its connection (no keep-alive to a stopping server)."""
    tracker = request.app[IN_FLIGHT]
    task = asyncio.current_task()
    assert task is not None
    tracker.started(task)
    try:
        response = await handler(request)
        if tracker.stopping:
            response.force_close()
        return response
    finally:
        tracker.finished(task)
