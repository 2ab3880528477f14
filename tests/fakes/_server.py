"""What both fake APIs share: a real aiohttp server on 127.0.0.1, a log of calls that
tests can wait on, and a queue of failures to inject into the next calls of an endpoint."""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web


@dataclass
class Call:
    """One request the fake answered, successful or not."""

    method: str
    """Telegram method as the client spelled it (``sendMessage``), or the WhatsApp endpoint
    (``messages``, ``media``, ``media-download``)."""
    params: dict[str, Any]
    """Decoded parameters (Telegram) or the JSON body (WhatsApp)."""
    status: int
    """HTTP status the fake answered with."""
    response: Any = None
    """The JSON the fake answered with (whole body, not only ``result``)."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Uploaded files by the parameter that referenced them (``photo``)."""
    injected: bool = False
    """True when the answer came from ``fail_next`` / ``rate_limit_next``."""

    @property
    def failed(self) -> bool:
        return self.status >= 300

    @property
    def result(self) -> Any:
        """Telegram's ``result`` field (the sent Message, ``True``...), else the body."""
        if isinstance(self.response, dict) and "result" in self.response:
            return self.response["result"]
        return self.response


Match = str | Callable[[Call], bool]


@dataclass
class Failure:
    """A canned error answer waiting for the next call of one endpoint."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """Start/stop, call log, ``wait_for`` and failure injection; subclasses add routes."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._waiters: set[asyncio.Event] = set()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> None:
        # handler_cancellation: a client that gives up (aiogram cancelling its long poll when
        # polling stops) must not leave a handler waiting; shutdown_timeout keeps stop() quick.
        self._runner = web.AppRunner(
            self.build_app(), handle_signals=False, shutdown_timeout=1.0, handler_cancellation=True
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("the fake server is not started")
        return f"http://127.0.0.1:{self._port}"

    # -- recording -------------------------------------------------------------------------

    def record(self, call: Call) -> Call:
        self.calls.append(call)
        for waiter in self._waiters:
            waiter.set()
        return call

    def calls_to(self, method: str, *, include_failed: bool = False) -> list[Call]:
        return [c for c in self.calls if _predicate(method, include_failed)(c)]

    async def wait_for(
        self,
        match: Match,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the fake's API: wait_for(..., timeout=)
        count: int = 1,
        include_failed: bool = False,
    ) -> Call:
        """Return the ``count``-th call matching ``match`` (a method/endpoint name, compared
        case-insensitively, or a predicate on :class:`Call`), waiting up to ``timeout`` seconds
        for it to arrive. Calls already recorded count, so there is no race with a call that
        happened before the wait began. Failed calls match only with ``include_failed``."""
        predicate = _predicate(match, include_failed)
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    found = [c for c in self.calls if predicate(c)]
                    if len(found) >= count:
                        return found[count - 1]
                    waiter.clear()
                    await waiter.wait()
        except TimeoutError:
            seen = ", ".join(f"{c.method}({c.status})" for c in self.calls) or "nothing"
            raise AssertionError(
                f"no call #{count} matching {match!r} within {timeout}s; calls so far: {seen}"
            ) from None
        finally:
            self._waiters.discard(waiter)

    # -- failure injection -----------------------------------------------------------------

    def inject(self, method: str, failure: Failure, times: int) -> None:
        for _ in range(times):
            self._failures[method.lower()].append(failure)

    def take_failure(self, method: str) -> Failure | None:
        queue = self._failures.get(method.lower())
        return queue.popleft() if queue else None


def _predicate(match: Match, include_failed: bool) -> Callable[[Call], bool]:
    if isinstance(match, str):
        name = match.lower()

        def matches(call: Call) -> bool:
            return call.method.lower() == name and (include_failed or not call.failed)

        return matches

    def matches_predicate(call: Call) -> bool:
        return (include_failed or not call.failed) and match(call)

    return matches_predicate
