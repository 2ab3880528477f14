"""`lapor serve` and `lapor run`: the server, its banner, Ctrl-C."""

from __future__ import annotations

import logging

from aiohttp import web

from lapor.cli.officers import PASSWORD_ENV
from lapor.settings import Settings

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
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        shutdown_timeout=settings.shutdown_timeout,
        print=(lambda _: print(_banner(settings), flush=True))
        if banner
        else (lambda message: log.info("%s", message)),
        access_log=None,
    )
    if banner:
        print("lapor stopped.")


def _interrupted(signum, frame) -> None:
    # asyncio.run's own SIGINT handler only cancels the main task, which waits for the event
    # loop; a Ctrl-C during training (seconds of work off the loop) must stop at once.
    raise KeyboardInterrupt
