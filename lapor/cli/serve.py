"""`lapor serve` and `lapor run`: the server, its banner, Ctrl-C, and a graceful stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from aiohttp import web

from lapor.cli.officers import PASSWORD_ENV
from lapor.settings import Settings
from lapor.web.inflight import IN_FLIGHT

log = logging.getLogger("lapor")


def _banner(settings: Settings) -> str:
    url = settings.base_url
    return (
        f"\nlapor is running at {url}/\n"
        f"  citizens   {url}/  (report form; follow a report at {url}/lacak)\n"
        f"  officers   {url}/petugas/masuk  (the demo logins were printed when the demo city "
        "was loaded;\n"
        "             a new password: .venv/bin/lapor officer password USERNAME)\n"
        f"  API        {url}/api/v1/openapi.json\n"
        "Stop with Ctrl-C.\n"
    )


async def _warn_without_admin(settings: Settings) -> bool:
    """One line on standard output when nobody can run the city yet; True if it was printed."""
    from lapor.db import connect
    from lapor.officers import any_admin

    async with connect(settings.database_url, pooled=settings.pooled) as conn:
        if await any_admin(conn):
            return False
    print(
        "lapor: no admin account yet; create the city's first one with "
        f"`lapor admin create --username NAME` (password from {PASSWORD_ENV} or standard "
        "input), then log in at " + settings.base_url + "/petugas/masuk",
        flush=True,
    )
    return True


def _serve(settings: Settings, *, banner: bool = False) -> None:
    from lapor.web.app import create_app

    app = create_app(settings)
    log.info("serving host=%s port=%s city=%s", settings.host, settings.port, settings.city)
    announce = (
        (lambda _: print(_banner(settings), flush=True))
        if banner
        else (lambda message: log.info("%s", message))
    )
    asyncio.run(serve_until_stopped(app, settings, announce))
    if banner:
        print("lapor stopped.")


async def serve_until_stopped(
    app: web.Application,
    settings: Settings,
    announce: Callable[[str], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM (or `stop` is set, when given), then stop gracefully: stop accepting connections, let
    the requests in flight finish (reading bodies still arriving) within the shutdown
    timeout, and exit as soon as they are done.

    Not web.run_app: on a signal it closes every connection before waiting for the handlers,
    and a connection closed that way drops the rest of a body still arriving, so an upload
    under way waited out the whole timeout and was lost."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=settings.shutdown_timeout)
    await runner.setup()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if stop is None else ()
    stop = stop or asyncio.Event()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        announce(f"======== Running on {site.name} ========")
        for signum in signals:
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        in_flight = app[IN_FLIGHT]
        log.info("stopping: no new connections, %d requests in flight", len(in_flight))
        await site.stop()
        await in_flight.drain(settings.shutdown_timeout)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await runner.cleanup()  # idle connections, then the app's cleanup (jobs, pool)


def _interrupted(signum, frame) -> None:
    # asyncio.run's own SIGINT handler only cancels the main task, which waits for the event
    # loop; a Ctrl-C during training (seconds of work off the loop) must stop at once.
    raise KeyboardInterrupt
