"""`lapor demo`, `lapor token`, `lapor officer`, `lapor admin`: officers and their logins."""

from __future__ import annotations

import argparse
import os
import sys

from lapor.cli.common import _services
from lapor.settings import Settings


async def _demo(settings: Settings, *, quiet_if_loaded: bool) -> None:
    from lapor.demo import already_loaded, load_demo

    async with _services(settings) as services:
        city = services.city
        async with services.pool.acquire() as conn:
            if await already_loaded(conn):
                if not quiet_if_loaded:
                    print("The demo city is already loaded (officers exist); nothing to do.")
                return
        accounts = await load_demo(services)
    print(
        f"\nDemo city '{city.name}' loaded. Officers (shown once, keep them): "
        f"log in at {settings.base_url}/petugas/masuk with the password; the token is for the API."
    )
    for account in accounts:
        print(
            f"  {account.username:<28} {account.role:<9} {account.agency or '-':<14} "
            f"{account.password}  {account.token}"
        )
    print("New token later: lapor token USERNAME; new password: lapor officer password USERNAME\n")


async def _token(settings: Settings, username: str) -> None:
    from datetime import UTC, datetime, timedelta

    from lapor.auth import find_officer, issue_token
    from lapor.db import connect

    async with connect(settings.database_url, pooled=settings.pooled) as conn:
        officer = await find_officer(conn, username)
        if officer is None:
            raise SystemExit(f"no officer named {username!r}")
        lifetime = timedelta(days=settings.token_days)
        print(await issue_token(conn, officer.id, now=datetime.now(UTC), lifetime=lifetime))


# -- officer accounts for the pages (lapor/officers.py) --
PASSWORD_ENV = "LAPOR_OFFICER_PASSWORD"


def _read_password() -> str:
    """From LAPOR_OFFICER_PASSWORD, else asked twice on a terminal, else one line of stdin;
    never from the command line, where it would land in the shell history and `ps`."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != first:
            raise SystemExit("lapor: the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def _officer(settings: Settings, args: argparse.Namespace) -> None:
    from lapor import officers
    from lapor.auth import find_officer

    password = _read_password()
    async with _services(settings) as services:
        if args.officer_command == "add":
            officer = await officers.create(
                services, args.username, args.name, args.role, args.agency, password
            )
            print(
                f"officer {officer.username} ({officer.role}, {officer.agency_code or '-'}) added"
            )
            return
        async with services.pool.acquire() as conn:
            existing = await find_officer(conn, args.username)
        if existing is None:
            raise SystemExit(f"lapor: no officer named {args.username!r}")
        await officers.set_password(services, existing.id, password)
        print(f"password of {existing.username} set; their open sessions were ended")


async def _admin_create(settings: Settings, username: str, name: str | None) -> None:
    """The city's first admin on a fresh database (or one more: a city may have several, as
    `lapor officer add --role admin` and the admin page allow); they add everyone else."""
    from lapor import officers

    password = _read_password()
    async with _services(settings) as services:
        admin = await officers.create(services, username, name, "admin", None, password)
    print(
        f"admin {admin.username} created. Log in at {settings.base_url}/petugas/masuk with "
        f"that password; add officers on the admin page ({settings.base_url}/petugas/admin) "
        f"or with `lapor officer add`; an API token: `lapor token {admin.username}`."
    )
