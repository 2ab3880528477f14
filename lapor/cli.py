"""The `lapor` command: migrate, serve, demo, run, token."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiohttp import web

from lapor.settings import Settings, SettingsError, settings_from_env

log = logging.getLogger("lapor")


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


async def _migrate(dsn: str) -> list[str]:
    from lapor.db import connect
    from lapor.migrate import migrate

    async with connect(dsn) as conn:
        return await migrate(conn)


async def _demo(settings: Settings, *, quiet_if_loaded: bool) -> None:
    from lapor.city import load_city
    from lapor.clock import SystemClock
    from lapor.context import Services
    from lapor.db import create_pool
    from lapor.demo import already_loaded, load_demo
    from lapor.photos import FilePhotoStore
    from lapor.reference import sync_city
    from lapor.routing import CategoryRouter

    city = load_city(settings.city)
    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await sync_city(conn, city)
            if await already_loaded(conn):
                if not quiet_if_loaded:
                    print("The demo city is already loaded (officers exist); nothing to do.")
                return
        services = Services(
            pool,
            city,
            SystemClock(),
            FilePhotoStore(settings.data_dir / "photos"),
            CategoryRouter(city),
            settings.secret_key,
            settings.base_url,
        )
        accounts = await load_demo(services)
    finally:
        await pool.close()
    print(f"\nDemo city '{city.name}' loaded. Officer API tokens (shown once, keep them):")
    for account in accounts:
        print(
            f"  {account.username:<28} {account.role:<9} {account.agency or '-':<14} {account.token}"
        )
    print("New token later: lapor token USERNAME\n")


async def _token(settings: Settings, username: str) -> None:
    from lapor.auth import find_officer, issue_token
    from lapor.db import connect

    async with connect(settings.database_url) as conn:
        officer = await find_officer(conn, username)
        if officer is None:
            raise SystemExit(f"no officer named {username!r}")
        print(await issue_token(conn, officer.id))


def _serve(settings: Settings) -> None:
    from lapor.web.app import create_app

    app = create_app(settings)
    log.info("serving host=%s port=%s city=%s", settings.host, settings.port, settings.city)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        shutdown_timeout=settings.shutdown_timeout,
        print=lambda message: log.info("%s", message),
        access_log=None,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lapor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply pending SQL migrations")
    sub.add_parser("serve", help="migrate, then serve the API and pages on LAPOR_HOST:LAPOR_PORT")
    sub.add_parser("demo", help="load the demo city (officers and complaints) once")
    sub.add_parser("run", help="migrate, load the demo city if the database is empty, serve")
    token = sub.add_parser("token", help="issue a new API token for an officer")
    token.add_argument("username")
    args = parser.parse_args(argv)

    try:
        settings = settings_from_env()
    except SettingsError as error:
        print(f"lapor: {error}", file=sys.stderr)
        return 2
    _configure_logging(settings)

    from lapor.db import database_server

    with database_server(settings) as dsn:
        settings = settings.with_database(dsn)
        applied = asyncio.run(_migrate(dsn))
        if args.command == "migrate":
            print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
        elif args.command == "demo":
            asyncio.run(_demo(settings, quiet_if_loaded=False))
        elif args.command == "token":
            asyncio.run(_token(settings, args.username))
        elif args.command == "run":
            asyncio.run(_demo(settings, quiet_if_loaded=True))
            _serve(settings)
        else:
            _serve(settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
